//! Romosozumab (a sclerostin antibody): `kind = "romosozumab"`, at level ℓ ∈ [0, strength] and
//! formation level ℓ_f = ℓ·max(0, 1 − w·T) (its kinetics, ℓ = C/(C + EC50), and the tolerance T
//! that wanes its formation effect: `pharmacokinetics/romosozumab.rs`).
//!
//! ```text
//! RANKL           × (1 − b_R·min(ℓ, 1))                          resorption down, does not wane
//! osteoblast work × toward(W_R) at min(ℓ_f, 1)                   formation up, wanes
//! μ               += min(ℓ_f, 1)·μ_R                             modelling-based formation, wanes
//! ```
//! Sclerostin, from osteocytes, holds Wnt signalling down in osteoblasts; blocking it raises
//! formation and, by less, lowers resorption through RANKL/OPG (the label: "increases bone
//! formation and, to a lesser extent, decreases bone resorption" \[V\]). In monkeys and in
//! patients' biopsies most of its early new bone is modelling-based, on quiescent surfaces
//! (Ominsky 2015 JBMR \[R\]; Eriksen 2022 JBMR \[R\]).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | b_R | `romosozumab_rankl_block` | 0.4 | — | smaller than denosumab's 0.85: CTX −55 % at 2 weeks, ~−25 % vs placebo at 12 months (label \[V\]) \[U\] |
//! | W_R | `romosozumab_osteoblast_work` | 1.3 | × untreated | P1NP +145 % vs placebo at 2 weeks (label \[V\]) \[U\]; fitted with μ_R to FRAME's +13.3 % at 12 months (docs/calibration.md) |
//! | μ_R | `romosozumab_modelling_per_site_per_year` | 2.0 | /site/year | mostly modelling-based formation (above) \[U\]; fitted, see W_R |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "romosozumab"`.
pub struct Romosozumab;

impl Mechanism for Romosozumab {
    fn keys(&self) -> &'static [&'static str] {
        &["romosozumab_rankl_block", "romosozumab_osteoblast_work", "romosozumab_modelling_per_site_per_year"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        self.apply_parts(level, level, p, knobs);
    }

    fn apply_parts(&self, level: f64, formation: f64, p: &Params, knobs: &mut Knobs) {
        let (level, formation) = (level.clamp(0.0, 1.0), formation.clamp(0.0, 1.0));
        knobs.params.rankl *= 1.0 - p.romosozumab_rankl_block * level;
        knobs.params.osteoblast_work *= toward(p.romosozumab_osteoblast_work, formation);
        knobs.modelling_formation += formation * p.romosozumab_modelling_per_site_per_year;
    }
}
