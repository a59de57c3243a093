//! PINK1 knock-out: `kind = "pink1_knockout"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | PINK1 tagging off when ℓ ≥ 0.5 (`SWITCH_LEVEL`: all or nothing) | Jang 2023 \[V\] |

use super::Mechanism;
use crate::config::Params;
use crate::config::interventions::SWITCH_LEVEL;
use crate::model::Knobs;

/// `kind = "pink1_knockout"`.
pub struct Pink1Knockout;

impl Mechanism for Pink1Knockout {
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }

    fn apply(&self, level: f64, _: &Params, knobs: &mut Knobs) {
        knobs.params.pink1_tagging &= level < SWITCH_LEVEL;
    }
}
