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
//! | b_R | `romosozumab_rankl_block` | 0.45 | — | smaller than denosumab's 0.85: CTX −55 % at 2 weeks, ~−25 % vs placebo at 12 months (label \[V\]); the model's CTX is −20 to −35 % vs placebo through the year \[fitted with W_R, μ_R\] |
//! | W_R | `romosozumab_osteoblast_work` | 2.4 | × untreated | fitted with μ_R and b_R to FRAME's spine +13.3 % vs placebo at 12 months (Cosman 2016 NEJM 375:1532 \[R\]; docs/calibration.md); the model's P1NP then peaks at +114 to +139 % vs placebo in months 1–3 (label: +145 % at 2 weeks \[V\]). At ℓ_f ≈ 0.6 a BMU refills ~1.8 × what it eroded: far above any measured wall thickness \[U\] |
//! | μ_R | `romosozumab_modelling_per_site_per_year` | 14 | /site/year | mostly modelling-based formation (above) \[U\]; fitted, see W_R |

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
