//! Parkin overexpression: `kind = "parkin_overexpression"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | k_parkin × toward(`parkin_overexpression_fold`) | Biomolecules 2022 \[V\] |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "parkin_overexpression"`.
pub struct ParkinOverexpression;

impl Mechanism for ParkinOverexpression {
    fn keys(&self) -> &'static [&'static str] {
        &["parkin_overexpression_fold"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.parkin_per_day *= toward(p.parkin_overexpression_fold, level);
    }
}
