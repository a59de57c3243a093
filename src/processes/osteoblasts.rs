//! Osteoblast formation and death under the published law (`bone_law = "komarova2003"`), per
//! BMU, as counts (osteoblasts carry no individual state in this model). Under the coupled law
//! the BMU's osteoblasts are its resident lineage plus the team that erosion recruits
//! (`coupling.rs`).
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
//! | M_ob | knob | 1 | — | teriparatide ↑ (Neer 2001 \[U\]); ageing, estrogen loss ↓ |

use crate::config::BoneLaw;
use crate::model::streams::hazard_to_probability;
use crate::model::{Bmu, Clock, Knobs, Process, Site, SiteCensus, Streams};
use crate::processes::MAX_BIRTHS_PER_STEP;
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};
use bevy_ecs::prelude::{Query, Res};
use rand::RngExt;
use rand_distr::{Binomial, Poisson};

/// Osteoblasts are born from osteoclast coupling and die at a constant hazard.
pub fn turn_over_osteoblasts(
    knobs: Res<Knobs>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    census: Res<SiteCensus>,
    mut bmus: Query<(&Site, &mut Bmu)>,
) {
    let params = &knobs.params;
    let omega = params.population_scale;
    let kernel = params.kernel();
    let p_death = hazard_to_probability(params.beta2_per_day, params.dt_days);
    for (site, mut bmu) in &mut bmus {
        let mut rng = streams.stream(Process::OsteoblastTurnover, site.index as u64, clock.step);
        let x1 = census.osteoclasts[site.index as usize] as f64 / omega;
        let x2 = bmu.osteoblasts as f64 / omega;
        let rate = omega * kernel.osteoblast_formation(x1, x2) * params.osteoblast_work;
        let mean = (rate * params.dt_days).min(MAX_BIRTHS_PER_STEP);
        let births = Poisson::new(mean).map_or(0, |d| rng.sample(d) as u64);
        let deaths = Binomial::new(bmu.osteoblasts as u64, p_death).map_or(0, |d| rng.sample(d));
        bmu.osteoblasts = (bmu.osteoblasts as u64 - deaths + births).min(u32::MAX as u64) as u32;
    }
}

/// This process's systems, in their phases.
pub struct OsteoblastsPlugin;

impl Plugin for OsteoblastsPlugin {
    fn add_systems(&self, schedule: &mut Schedule, law: BoneLaw) {
        if law == BoneLaw::Komarova2003 {
            schedule.add_systems(turn_over_osteoblasts.in_set(Phase::OsteoblastTurnover));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{bmu, one_system_world, set_census};

    /// Net osteoblast change over `n` BMUs of 212 osteoblasts, one step, census `n1` osteoclasts each.
    fn net_change(n: u32, n1: u32, dt: f64, m_ob: f64) -> (i64, bool) {
        let (mut world, mut schedule) = one_system_world(turn_over_osteoblasts);
        world.resource_mut::<Knobs>().params.dt_days = dt;
        world.resource_mut::<Knobs>().params.osteoblast_work = m_ob;
        world.spawn_batch((0..n).map(|index| (Site { index }, bmu(212))));
        set_census(&mut world, vec![n1; n as usize], vec![n1 as f64; n as usize], vec![0; n as usize]);
        schedule.run(&mut world);
        let counts: Vec<i64> = world.query::<&Bmu>().iter(&world).map(|b| b.osteoblasts as i64).collect();
        (counts.iter().map(|c| c - 212).sum(), counts.iter().all(|&c| c <= 212))
    }

    #[test]
    fn without_osteoclasts_osteoblasts_only_die() {
        // Deaths ~ Binomial(1000·212, 1 − exp(−β2·Δt)), Δt = 1: p = 0.0198013, mean 4197.9, sd 64.2.
        let (net, none_born) = net_change(1000, 0, 1.0, 1.0);
        assert!(none_born, "N1 = 0 is absorbing: no births");
        let p = -(-0.02f64).exp_m1();
        let (mean, sd) = (212_000.0 * p, (212_000.0 * p * (1.0 - p)).sqrt());
        assert!((-net as f64 - mean).abs() < 5.0 * sd, "{} vs {mean} ± {sd}", -net);
    }

    #[test]
    fn births_follow_the_kernel_and_the_formation_knob() {
        // Per BMU: births ~ Poisson(α2·x1^g12·x2^g22·M_ob·Δt) = 4·11·M_ob·0.1 = 4.4·M_ob, deaths mean
        // 212·(1 − exp(−0.002)) = 0.42358. 1000 BMUs: net 3976.4 (sd 69.4) at M_ob = 1, 8376.4 (sd 96.0) at 2.
        let p = -(-0.002f64).exp_m1();
        for m_ob in [1.0, 2.0] {
            let (net, _) = net_change(1000, 11, 0.1, m_ob);
            let mean = 1000.0 * (4.4 * m_ob - 212.0 * p);
            let sd = (1000.0 * (4.4 * m_ob + 212.0 * p * (1.0 - p))).sqrt();
            assert!((net as f64 - mean).abs() < 5.0 * sd, "M_ob {m_ob}: {net} vs {mean} ± {sd}");
        }
    }
}
