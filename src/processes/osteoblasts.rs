//! Osteoblast formation and death, per BMU, as counts (osteoblasts carry no individual state in
//! this model).
//!
//! Rule, per active BMU per step Δt, with x1 = N1/Ω and x2 = N2/Ω from the census:
//! ```text
//! births ~ Poisson(Ω · α2 · x1^g12 · x2^g22 · M_ob · Δt)      (0 when N1 = 0)
//! deaths ~ Binomial(N2, 1 − exp(−β2 · Δt))
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | α2, g12, g22 | `alpha2_per_day`, `g12`, `g22` | 4, 1, 0 | /day, — | Komarova 2003 |
//! | β2 | `beta2_per_day` | 0.02 | /day | Komarova 2003 |
//! | M_ob | knob | 1 | — | teriparatide ↑ (Neer 2001 [U]); ageing, estrogen loss ↓ |

use crate::config::Params;
use crate::model::streams::hazard_to_probability;
use crate::model::{Bmu, Clock, Environment, Process, Site, SiteCensus, Streams};
use bevy_ecs::prelude::{Query, Res};
use rand::RngExt;
use rand_distr::{Binomial, Poisson};

/// Osteoblasts are born from osteoclast coupling and die at a constant hazard.
pub fn turn_over_osteoblasts(
    params: Res<Params>,
    env: Res<Environment>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    census: Res<SiteCensus>,
    mut bmus: Query<(&Site, &mut Bmu)>,
) {
    let omega = params.population_scale;
    let kernel = params.kernel();
    let p_death = hazard_to_probability(params.beta2_per_day, params.dt_days);
    for (site, mut bmu) in &mut bmus {
        let mut rng = streams.stream(Process::OsteoblastTurnover, site.index as u64, clock.step);
        let x1 = census.osteoclasts[site.index as usize] as f64 / omega;
        let x2 = bmu.osteoblasts as f64 / omega;
        let rate = omega * kernel.osteoblast_formation(x1, x2) * env.osteoblast_formation;
        let births = Poisson::new(rate * params.dt_days).map_or(0, |d| rng.sample(d) as u64);
        let deaths = Binomial::new(bmu.osteoblasts as u64, p_death).map_or(0, |d| rng.sample(d));
        bmu.osteoblasts = (bmu.osteoblasts as u64 - deaths + births).min(u32::MAX as u64) as u32;
    }
}
