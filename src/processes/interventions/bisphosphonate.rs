//! Bisphosphonate given on a window (oral alendronate at `bisphosphonate_window_mg_per_day`
//! × ℓ): `kind = "bisphosphonate"`, at level ℓ ∈ [0, strength]. A regimen of a named agent
//! (`agent = "zoledronate"`, `dose`, `every_days`, …) puts each dose into bone instead
//! (`interventions/mod.rs`).
//!
//! | acts on | source |
//! |---|---|
//! | alendronate reaching bone, ℓ·u·F·f mg/day; `processes/bisphosphonate.rs` binds, buries and frees it and turns the surface drug into its effects | Hughes 1995 JBMR \[V\]; Heaney & Yates 1997 |

use super::Mechanism;
use crate::config::{Agent, Params};
use crate::model::Knobs;
use crate::processes::bisphosphonate::kinetics;

/// `kind = "bisphosphonate"`.
pub struct Bisphosphonate;

impl Mechanism for Bisphosphonate {
    fn keys(&self) -> &'static [&'static str] {
        &["bisphosphonate_window_mg_per_day", "alendronate_bioavailability", "alendronate_skeletal_uptake"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        let (reaching_bone, _, _) = kinetics(Agent::Alendronate, p);
        knobs.bisphosphonate_uptake[0] += level * p.bisphosphonate_window_mg_per_day * reaching_bone;
    }
}
