//! The knobs: everything a rule reads that an intervention may change, as it stands this step.
//!
//! A run's parameters ([`Params`], the scenario's `[params]`) never change. Each step the
//! interventions system (`processes/interventions.rs`) sets the knobs from them: `params` is the
//! parameter set with every active intervention applied (a `kind = "parameter"` intervention
//! rewrites its key; a drug multiplies the rates it acts on, such as `rankl` or
//! `parkin_per_day`), and the factors below are what has no parameter of its own. Every rule
//! reads [`Knobs`] and nothing else for its rates, so no rule can miss a drug.

use crate::config::Params;
use bevy_ecs::prelude::Resource;

/// The model's knobs this step.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Knobs {
    /// The parameters as they stand today: the scenario's, with every active intervention applied.
    pub params: Params,
    /// Extra factor on BMU activation beyond RANKL (teriparatide, osteomorphs, bisphosphonate).
    pub activation: f64,
    /// Extra factor on osteoclast formation beyond RANKL (osteomorphs re-fusing).
    pub osteoclast_formation: f64,
    /// E, osteoclast apoptosis factor from estrogen (FasL); 1 untreated.
    pub estrogen_apoptosis: f64,
    /// Bisphosphonate reaching bone today, per agent (mg per day; `processes/bisphosphonate.rs`).
    pub bisphosphonate_uptake: [f64; 3],
    /// The effect of the bisphosphonate on bone surfaces, as resorbing osteoclasts meet it (0 none,
    /// 1 full).
    pub bisphosphonate: f64,
    /// Factor on every osteoclast's resorption activity (bisphosphonate ↓).
    pub osteoclast_activity: f64,
    /// The share of the untreated RANKL signal that drugs block today (denosumab), in [0, 1]:
    /// osteomorphs accrue while it is positive.
    pub rankl_blocked: f64,
    /// Thiol antioxidant capacity (GSH, thioredoxin): ROS is divided by it (estrogen loss ↓).
    pub thiol_capacity: f64,
    /// Modelling-based formation: packets started per quiescent cancellous site per year, summed
    /// over the anabolics acting (0 untreated; `processes/modelling.rs`).
    pub modelling_formation: f64,
}

impl Knobs {
    /// The knobs of `params` with no intervention active.
    pub fn untreated(params: &Params) -> Knobs {
        Knobs {
            params: params.clone(),
            activation: 1.0,
            osteoclast_formation: 1.0,
            estrogen_apoptosis: 1.0,
            bisphosphonate_uptake: [0.0; 3],
            bisphosphonate: 0.0,
            osteoclast_activity: 1.0,
            rankl_blocked: 0.0,
            thiol_capacity: 1.0,
            modelling_formation: 0.0,
        }
    }
}
