//! Estrogen loss (menopause, ovariectomy): `kind = "estrogen_loss"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | RANKL × toward(`estrogen_loss_rankl`) (activation, osteoclast formation and Nox ROS follow RANKL: once); osteoclast apoptosis E × toward(`estrogen_loss_apoptosis`); osteoblast work × toward(`estrogen_loss_osteoblast_work`); thiol antioxidant capacity × toward(`estrogen_loss_thiol_capacity`) | Recker 2004 (Ac.f doubles), Nakamura 2007 Cell (FasL) \[V\], Lean 2003 JCI (thiols) \[V\], Eriksen 1990 JBMR 5:311 (a negative BMU balance after the menopause) \[U\]; sizes calibrated (docs/calibration.md) |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "estrogen_loss"`.
pub struct EstrogenLoss;

impl Mechanism for EstrogenLoss {
    fn keys(&self) -> &'static [&'static str] {
        &[
            "estrogen_loss_rankl",
            "estrogen_loss_apoptosis",
            "estrogen_loss_osteoblast_work",
            "estrogen_loss_thiol_capacity",
        ]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        let toward = |f: f64| toward(f, level);
        knobs.params.rankl *= toward(p.estrogen_loss_rankl);
        knobs.estrogen_apoptosis *= toward(p.estrogen_loss_apoptosis);
        knobs.params.osteoblast_work *= toward(p.estrogen_loss_osteoblast_work);
        knobs.thiol_capacity *= toward(p.estrogen_loss_thiol_capacity).max(f64::MIN_POSITIVE);
    }
}
