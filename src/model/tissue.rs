//! Sites, BMUs and bone, plus the world-wide resources the processes share.

use super::cells::Mitochondria;
use bevy_ecs::prelude::{Component, Resource};
use std::sync::Arc;

/// A remodelling site of the bone region: a fixed patch of bone surface and the bone under it.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    pub index: u32,
}

/// The site a cell belongs to.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtSite(pub u32);

/// A site's bone, in % of the site's initial bone matrix.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Bone {
    /// Matrix mass z (mineralised matrix plus osteoid).
    pub matrix: f64,
    /// Newly formed matrix not yet through primary mineralisation.
    pub osteoid: f64,
    /// Mineral mass, in units where fully mineralised matrix has mineral = matrix.
    pub mineral: f64,
    /// Bone resorbed here since day 0.
    pub resorbed: f64,
    /// Bone formed here since day 0.
    pub formed: f64,
}

/// An active basic multicellular unit at a site. Present only while the BMU runs.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Bmu {
    pub age_days: f64,
    /// Osteoblasts of this BMU (a count; osteoblasts are not individual agents).
    pub osteoblasts: u32,
    /// The site's matrix when the BMU started, for the remodelling space.
    pub matrix_at_start: f64,
}

/// Simulated time. Days are negative during the spin-up; day 0 is the first recorded day.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Clock {
    pub step: u64,
    pub day: f64,
    /// Mitochondrial sub-steps taken so far (keys the mitochondrial streams).
    pub mito_step: u64,
}

/// Per-site tallies taken at the start of each step, so every rule of the step sees the same
/// populations (the synchronous update the kernel's Euler limit needs).
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct SiteCensus {
    pub osteoclasts: Vec<u32>,
    /// Σ resorption activity of the site's osteoclasts.
    pub activity: Vec<f64>,
    pub precursors: Vec<u32>,
}

/// Running totals, reset at day 0 (after the spin-up).
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Counters {
    pub next_cell_id: u64,
    pub bmus_started: u64,
    pub bmus_completed: u64,
    pub osteoclasts_formed: u64,
    pub osteoclasts_died: u64,
}

/// Mitochondria removed by mitophagy (both pathways), and cell-days of exposure, since the last
/// observation.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct MitophagyCount {
    pub removed: u64,
    pub cell_days: f64,
}

/// The model's knobs as they stand this step: the parameters with the active interventions
/// applied (`processes/interventions.rs`). Rules read knobs from here, never from interventions.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct Environment {
    /// RANKL signal (1 = untreated adult): scales activation, formation and Nox ROS.
    pub rankl: f64,
    /// Extra factor on BMU activation beyond RANKL.
    pub activation: f64,
    /// E, osteoclast apoptosis factor from estrogen (FasL); 1 untreated.
    pub estrogen_apoptosis: f64,
    /// Bisphosphonate level (0 none, 1 full dose).
    pub bisphosphonate: f64,
    /// M_ob, osteoblast formation factor (teriparatide ↑, ageing ↓).
    pub osteoblast_formation: f64,
    pub antioxidant: f64,
    pub pink1_tagging: bool,
    pub parkin_per_day: f64,
    pub receptor_per_day: f64,
    pub hypoxia: f64,
    pub biogenesis_per_day: f64,
}

/// The untreated mitochondrial steady state of one parameter set (`steady_state.rs`): the
/// reference values the fate multipliers are measured against, and a reservoir of steady-state
/// cells that new precursors draw their mitochondria from.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct SteadyState {
    /// D0, mean depolarised fraction.
    pub depolarised: f64,
    /// A0, mean ATP.
    pub atp: f64,
    pub ros: f64,
    /// Baseline differentiation probability; recruitment is divided by it.
    pub p_diff: f64,
    pub mitochondria_per_cell: f64,
    pub reservoir: Arc<Vec<Mitochondria>>,
}
