//! Hypoxia, which induces the BNIP3/NIX receptors: `kind = "hypoxia"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | hypoxia + ℓ·`hypoxia_rise` | Knowles 2015 \[V\] |

use super::Mechanism;
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "hypoxia"`.
pub struct Hypoxia;

impl Mechanism for Hypoxia {
    fn keys(&self) -> &'static [&'static str] {
        &["hypoxia_rise"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.hypoxia += level * p.hypoxia_rise;
    }
}
