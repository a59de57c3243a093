//! Bisphosphonate dosing (alendronate): `kind = "bisphosphonate"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | dose ℓ, which binds to bone surfaces and which resorption releases (`processes/bisphosphonate.rs` turns the bound load into its effects) | Hughes 1995 JBMR \[V\]; Heaney & Yates 1997 |

use super::Mechanism;
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "bisphosphonate"`.
pub struct Bisphosphonate;

impl Mechanism for Bisphosphonate {
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }

    fn apply(&self, level: f64, _: &Params, knobs: &mut Knobs) {
        knobs.bisphosphonate_dose += level;
    }
}
