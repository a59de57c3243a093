//! Mdivi-1, a Drp1 (fission) inhibitor that slows mitophagy: `kind = "mdivi1"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | k_parkin and k_receptor × toward(`mdivi1_fold`), ℓ ≤ 1 | Drp1 inhibition \[U\] |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "mdivi1"`.
pub struct Mdivi1;

impl Mechanism for Mdivi1 {
    fn keys(&self) -> &'static [&'static str] {
        &["mdivi1_fold"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        let level = level.min(1.0);
        knobs.params.parkin_per_day *= toward(p.mdivi1_fold, level);
        knobs.params.receptor_per_day *= toward(p.mdivi1_fold, level);
    }
}
