//! Denosumab: an antibody that neutralises RANKL: `kind = "denosumab"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | RANKL × (1 − `denosumab_rankl_block`·min(ℓ, 1)); osteomorphs accrue while RANKL is blocked (`processes/osteomorphs.rs`) | Cummings 2009 (FREEDOM); McDonald 2021 Cell \[V\] |

use super::Mechanism;
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "denosumab"`.
pub struct Denosumab;

impl Mechanism for Denosumab {
    fn keys(&self) -> &'static [&'static str] {
        &["denosumab_rankl_block"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.rankl *= 1.0 - p.denosumab_rankl_block * level.min(1.0);
    }
}
