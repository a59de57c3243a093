//! BNIP3 knock-down: `kind = "bnip3_knockdown"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | k_receptor × toward(`bnip3_knockdown_fold`), ℓ ≤ 1 | \[U\] |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "bnip3_knockdown"`.
pub struct Bnip3Knockdown;

impl Mechanism for Bnip3Knockdown {
    fn keys(&self) -> &'static [&'static str] {
        &["bnip3_knockdown_fold"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.receptor_per_day *= toward(p.bnip3_knockdown_fold, level.min(1.0));
    }
}
