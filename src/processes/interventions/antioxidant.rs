//! An antioxidant (NAC, MitoTEMPO): `kind = "antioxidant"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | antioxidant + ℓ·`antioxidant_dose` | NAC, MitoTEMPO (Lee 2005, Lean 2003 \[V\]) |

use super::Mechanism;
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "antioxidant"`.
pub struct Antioxidant;

impl Mechanism for Antioxidant {
    fn keys(&self) -> &'static [&'static str] {
        &["antioxidant_dose"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.antioxidant += level * p.antioxidant_dose;
    }
}
