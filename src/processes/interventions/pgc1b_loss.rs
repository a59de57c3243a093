//! PGC-1β loss: less mitochondrial biogenesis: `kind = "pgc1b_loss"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | k_bio × toward(`pgc1b_loss_fold`), ℓ ≤ 1 | Zhang 2018 JBMR, Ishii 2009 \[V\] |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "pgc1b_loss"`.
pub struct Pgc1bLoss;

impl Mechanism for Pgc1bLoss {
    fn keys(&self) -> &'static [&'static str] {
        &["pgc1b_loss_fold"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.biogenesis_per_day *= toward(p.pgc1b_loss_fold, level.min(1.0));
    }
}
