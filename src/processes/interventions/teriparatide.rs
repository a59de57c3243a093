//! Teriparatide (intermittent PTH): `kind = "teriparatide"`, at level ℓ ∈ [0, strength].
//!
//! | acts on, with toward(f) = 1 + ℓ·(f − 1) | source |
//! |---|---|
//! | osteoblast work × toward(`teriparatide_osteoblast_work`); activation × toward(`teriparatide_activation`) | Neer 2001 \[U\]; Jilka 1999 (osteoblast lifespan) |

use super::{Mechanism, toward};
use crate::config::Params;
use crate::model::Knobs;

/// `kind = "teriparatide"`.
pub struct Teriparatide;

impl Mechanism for Teriparatide {
    fn keys(&self) -> &'static [&'static str] {
        &["teriparatide_osteoblast_work", "teriparatide_activation", "teriparatide_modelling_per_site_per_year"]
    }

    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs) {
        knobs.params.osteoblast_work *= toward(p.teriparatide_osteoblast_work, level);
        knobs.activation *= toward(p.teriparatide_activation, level);
        knobs.modelling_formation += level * p.teriparatide_modelling_per_site_per_year;
    }
}
