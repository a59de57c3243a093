//! Abaloparatide (a PTHrP(1-34) analogue, intermittent): `kind = "abaloparatide"`, at level
//! ℓ ∈ [0, strength]; a regimen's level is the daily dose over 80 µg (`pharmacokinetics/mod.rs`).
//!
//! ```text
//! osteoblast work × toward(W_A),  activation × toward(A_A),  μ += ℓ·μ_A,   toward(f) = 1 + ℓ·(f − 1)
//! ```
//! It binds the PTH1 receptor's RG conformation more selectively than teriparatide, so its
//! signal is more transient: bone formation markers rise as with teriparatide but CTX rises less
//! (ACTIVE: at 18 months spine +9.2 % vs placebo for abaloparatide, +7.2 % for teriparatide;
//! Miller 2016 JAMA 316:722 \[R\]), and hypercalcaemia is rarer \[R\].
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | W_A | `abaloparatide_osteoblast_work` | 1.2 | × untreated | fitted (μ_A and A_A held) to ACTIVE's spine +9.2 % vs placebo at 18 months (Miller 2016 \[R\]; docs/calibration.md); teriparatide's is 1.15 |
//! | A_A | `abaloparatide_activation` | 1.1 | × untreated | below teriparatide's 1.3: CTX rose less than under teriparatide (Miller 2016 \[R\]) \[U\] |
//! | μ_A | `abaloparatide_modelling_per_site_per_year` | 0.8 | /site/year | teriparatide's (`processes/modelling.rs`) \[U\] |
//! | D_ref | `abaloparatide_reference_ug` | 80 | µg | the approved daily dose (Miller 2016 \[R\]) |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "abaloparatide"`.
pub struct Abaloparatide;

impl Mechanism for Abaloparatide {
    fn keys(&self) -> &'static [&'static str] {
        &["abaloparatide_osteoblast_work", "abaloparatide_activation", "abaloparatide_modelling_per_site_per_year"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.osteoblast_work *= toward(p.abaloparatide_osteoblast_work, level);
        knobs.activation *= toward(p.abaloparatide_activation, level);
        knobs.modelling_formation += level * p.abaloparatide_modelling_per_site_per_year;
    }
}
