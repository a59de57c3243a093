//! The rules of the model, one file per biological process. Each file opens with its rule as
//! maths, a table of its symbols, parameters, units and sources, and holds a few short systems.
//! `sim.rs` wires them into schedules; nothing here knows the order it runs in.

use crate::config::{BoneLaw, Params};
use bevy_ecs::prelude::{Schedule, SystemSet, World};

pub mod activation;
pub mod apoptosis;
pub mod bisphosphonate;
pub mod census;
pub mod coupling;
pub mod cycle;
pub mod formation;
pub mod interventions;
pub mod mineralization;
pub mod mitochondria;
pub mod modelling;
pub mod osteoblasts;
pub mod osteomorphs;
pub mod oxidative_stress;
pub mod pharmacokinetics;
pub mod recruitment;
pub mod resorption;

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod headers;

/// Safety bound on the expected births (precursors, osteoblasts) of one BMU in one step: far
/// above any sane config (the Komarova pulse at Ω = 400 recruits ~20 precursors a step), it keeps
/// an absurd one from exhausting memory.
pub const MAX_BIRTHS_PER_STEP: f64 = 1e5;

/// The phases of a cell step, in the order `sim.rs` runs them. Each process adds its systems to
/// its phases ([`Plugin`]); a phase holds one process's systems, so their order is this one.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Today's knobs from the regimen (`interventions/`).
    SetKnobs,
    /// Bisphosphonate bound to bone acts on osteoclasts and activation.
    BindDrug,
    /// Osteomorphs accrue or re-fuse.
    Osteomorphs,
    /// Circulating precursors' ROS scales RANKL.
    OxidativeStress,
    /// The osteoclastic drive and the refill it implies (`coupling.rs`).
    Drive,
    /// Each osteoclast's resorption activity.
    Activity,
    /// Cells and activity counted per site.
    Census,
    /// BMUs move through their remodelling cycle.
    Cycle,
    /// Osteoclasts erode bone.
    Resorption,
    /// Erosion recruits the osteoblast team (coupled law).
    Coupling,
    /// Osteoblasts lay down osteoid.
    Formation,
    /// Anabolics form bone on quiescent surfaces; remodelling gives it back (`modelling.rs`).
    Modelling,
    /// Osteoid and bone mineralise.
    Mineralization,
    /// Osteoblasts are born and die (published law).
    OsteoblastTurnover,
    /// Osteoclasts die.
    Apoptosis,
    /// Precursors are recruited and commit.
    Recruitment,
    /// Quiescent sites start BMUs.
    Activation,
}

impl Phase {
    /// Every phase, in the order they run.
    pub const ORDER: [Phase; 17] = [
        Phase::SetKnobs,
        Phase::BindDrug,
        Phase::Osteomorphs,
        Phase::OxidativeStress,
        Phase::Drive,
        Phase::Activity,
        Phase::Census,
        Phase::Cycle,
        Phase::Resorption,
        Phase::Coupling,
        Phase::Formation,
        Phase::Modelling,
        Phase::Mineralization,
        Phase::OsteoblastTurnover,
        Phase::Apoptosis,
        Phase::Recruitment,
        Phase::Activation,
    ];
}

/// A process as a plugin: the resources it owns and the systems it adds to the phases of a cell
/// step under a bone law.
pub trait Plugin: Sync {
    /// Insert the resources this process owns, measured against the `reference` parameters.
    fn add_resources(&self, _world: &mut World, _reference: &Params) {}
    /// Add this process's systems to their phases.
    fn add_systems(&self, schedule: &mut Schedule, law: BoneLaw);
}

/// Every process of a cell step.
pub const PLUGINS: [&dyn Plugin; 15] = [
    &interventions::InterventionsPlugin,
    &bisphosphonate::BisphosphonatePlugin,
    &osteomorphs::OsteomorphPlugin,
    &oxidative_stress::OxidativeStressPlugin,
    &coupling::CouplingPlugin,
    &resorption::ResorptionPlugin,
    &census::CensusPlugin,
    &cycle::CyclePlugin,
    &formation::FormationPlugin,
    &modelling::ModellingPlugin,
    &mineralization::MineralizationPlugin,
    &osteoblasts::OsteoblastsPlugin,
    &apoptosis::ApoptosisPlugin,
    &recruitment::RecruitmentPlugin,
    &activation::ActivationPlugin,
];
