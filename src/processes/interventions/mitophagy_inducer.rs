//! A mitophagy inducer (urolithin A): `kind = "mitophagy_inducer"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | k_parkin and k_receptor × toward(`mitophagy_inducer_fold`) | urolithin A (Tao 2022 \[V abstract\]) |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "mitophagy_inducer"`.
pub struct MitophagyInducer;

impl Mechanism for MitophagyInducer {
    fn keys(&self) -> &'static [&'static str] {
        &["mitophagy_inducer_fold"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.parkin_per_day *= toward(p.mitophagy_inducer_fold, level);
        knobs.params.receptor_per_day *= toward(p.mitophagy_inducer_fold, level);
    }
}
