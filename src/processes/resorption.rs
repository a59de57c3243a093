//! Resorption: each osteoclast's activity follows its ATP supply (proton pumps and cathepsin K
//! secretion need ATP), and each BMU removes bone for the activity above the kernel's steady
//! state.
//!
//! Rule, per osteoclast and per active BMU per step Δt:
//! ```text
//! a_i = (A_i / A0)^e_atp                    (1 with neutral mitochondria)
//! y1  = (Σ_i a_i / Ω − x̄1)+
//! Δz  = −k1 · y1 · Δt,  taken from mineralised matrix, mineral removed in proportion
//! ```
//! The form of a_i is the one place to change if ATP depletion should raise resorption
//! (Tfam loss, Miyazaki 2012, cited in the seed review).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | e_atp | `resorption_atp_exponent` | 1 | — | PGC-1β loss impairs resorption (Zhang 2018 JBMR [V] direction) |
//! | k1 | `k1_pct_per_cell_day` | 0.24 | % per model cell per day | Komarova 2003 |
//! | x̄1 | from the kernel | 1.0607 | model cells | Komarova 2003 |

use crate::config::Params;
use crate::model::{Bmu, Bone, MitoReadout, Osteoclast, Site, SiteCensus, SteadyState};
use bevy_ecs::prelude::{Query, Res, With};

/// a_i of the module rule.
pub fn resorption_activity(p: &Params, steady: &SteadyState, atp: f64) -> f64 {
    if p.neutral_mitochondria || steady.atp <= 0.0 {
        return 1.0;
    }
    let a = (atp.max(0.0) / steady.atp).powf(p.resorption_atp_exponent);
    if a.is_finite() { a.min(1e3) } else { 1e3 }
}

/// Each osteoclast's activity from its ATP.
pub fn rate_resorption_activity(params: Res<Params>, steady: Res<SteadyState>, mut cells: Query<(&mut Osteoclast, &MitoReadout)>) {
    for (mut oc, readout) in &mut cells {
        oc.activity = resorption_activity(&params, &steady, readout.atp);
    }
}

/// Remove bone for the activity above steady state.
pub fn resorb_matrix(params: Res<Params>, census: Res<SiteCensus>, mut sites: Query<(&Site, &mut Bone), With<Bmu>>) {
    let (x1_bar, _) = params.kernel().steady_state();
    for (site, mut bone) in &mut sites {
        let y1 = (census.activity[site.index as usize] / params.population_scale - x1_bar).max(0.0);
        let mineralised = bone.matrix - bone.osteoid;
        let dz = (params.k1_pct_per_cell_day * y1 * params.dt_days).min(mineralised.max(0.0));
        if dz > 0.0 {
            bone.mineral -= dz * bone.mineral / mineralised;
            bone.matrix -= dz;
            bone.resorbed += dz;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::steady;

    #[test]
    fn less_atp_means_less_resorption_per_cell() {
        let p = Params::default();
        let s = steady();
        assert!((resorption_activity(&p, &s, s.atp) - 1.0).abs() < 1e-12);
        assert!(resorption_activity(&p, &s, s.atp * 0.5) < 0.6);
        assert!(resorption_activity(&p, &s, s.atp * 1.2) > 1.1);
        let neutral = Params { neutral_mitochondria: true, ..p };
        assert_eq!(resorption_activity(&neutral, &s, 0.0), 1.0);
    }
}
