//! BMU activation: a quiescent site starts a BMU as a Poisson event; the BMU opens with a pulse
//! of osteoclasts above the kernel's steady state and the steady-state osteoblasts.
//!
//! Rule, per quiescent site per step Δt (days):
//! ```text
//! P(activate) = 1 − exp(−λ_act · RANKL · f_act · Δt / 365)
//! at activation:  N1 = round(Ω · (x̄1 + pulse)),  N2 = round(Ω · x̄2)
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | λ_act | `activation_per_site_per_year` | 0.8 | /site/year | with ~25 % of sites busy, 0.6 activations per site-year of ~40 % of the site's bone each: turnover ~25 %/year (trabecular bone, science.md §4 [U]) [C] |
//! | pulse | `pulse_osteoclasts` | 10 | model cells | Komarova 2003 initial condition x1 = x̄1 + 10 |
//! | RANKL, f_act | knobs | 1 | — | estrogen loss ↑, denosumab ↓ |

use crate::config::Params;
use crate::model::streams::{chance, hazard_to_probability, threshold};
use crate::model::{Bmu, Clock, Counters, Environment, Osteoclast, Process, Site, Streams};
use crate::processes::recruitment::{Circulation, new_cell};
use bevy_ecs::prelude::{Commands, Entity, Query, Res, ResMut, Without};

/// Start a BMU at `site`: insert its [`Bmu`] and spawn its osteoclast pulse.
fn open_bmu(
    commands: &mut Commands,
    counters: &mut Counters,
    (entity, site): (Entity, &Site),
    (params, circulation, streams, env): (&Params, &Circulation, &Streams, &Environment),
) {
    let (x1_bar, x2_bar) = params.kernel().steady_state();
    let omega = params.population_scale;
    commands.entity(entity).insert(Bmu::new((omega * x2_bar).round() as u32));
    for _ in 0..(omega * (x1_bar + params.pulse_osteoclasts)).round() as u64 {
        let cell = new_cell(counters, site.index, circulation, streams, params, env);
        commands.spawn((cell, Osteoclast { activity: 1.0 }));
    }
    counters.bmus_started += 1;
}

/// Quiescent sites activate at the RANKL-scaled rate.
pub fn activate_bmus(
    params: Res<Params>,
    env: Res<Environment>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    circulation: Circulation,
    mut counters: ResMut<Counters>,
    quiescent: Query<(Entity, &Site), Without<Bmu>>,
    mut commands: Commands,
) {
    let rate = params.activation_per_site_per_year * env.rankl * env.activation;
    let t = threshold(hazard_to_probability(rate, params.dt_days / 365.0));
    if t == 0 {
        return;
    }
    for (entity, site) in &quiescent {
        let mut rng = streams.stream(Process::Activation, site.index as u64, clock.step);
        if chance(&mut rng, t) {
            open_bmu(&mut commands, &mut counters, (entity, site), (&params, &circulation, &streams, &env));
        }
    }
}

/// Every quiescent site starts a BMU at once (`pulse_at_start`: single-cycle experiments).
pub fn activate_every_site(
    params: Res<Params>,
    env: Res<Environment>,
    streams: Res<Streams>,
    circulation: Circulation,
    mut counters: ResMut<Counters>,
    quiescent: Query<(Entity, &Site), Without<Bmu>>,
    mut commands: Commands,
) {
    for (entity, site) in &quiescent {
        open_bmu(&mut commands, &mut counters, (entity, site), (&params, &circulation, &streams, &env));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AtSite;
    use crate::processes::testing::{bmu, bone, count, one_system_world};
    use bevy_ecs::prelude::{Schedule, With, World};

    /// A world of `n` quiescent sites of intact bone running `activate_bmus`.
    fn sites(n: u32) -> (World, Schedule) {
        let (mut world, schedule) = one_system_world(activate_bmus);
        world.resource_mut::<Params>().sites = n;
        world.spawn_batch((0..n).map(|index| (Site { index }, bone())));
        (world, schedule)
    }

    #[test]
    fn no_rate_or_no_rankl_means_no_activation() {
        for (rate, rankl) in [(0.0, 1.0), (1e9, 0.0)] {
            let (mut world, mut schedule) = sites(50);
            world.resource_mut::<Params>().activation_per_site_per_year = rate;
            world.resource_mut::<Environment>().rankl = rankl;
            schedule.run(&mut world);
            assert_eq!((count::<Bmu>(&mut world), count::<Osteoclast>(&mut world)), (0, 0));
            assert_eq!(world.resource::<Counters>().bmus_started, 0);
        }
    }

    #[test]
    fn every_quiescent_site_opens_with_the_kernel_steady_state_plus_the_pulse() {
        let (mut world, mut schedule) = sites(3);
        let mut p = world.resource_mut::<Params>();
        (p.activation_per_site_per_year, p.population_scale) = (1e9, 10.0);
        let busy = world.query::<(Entity, &Site)>().iter(&world).find(|(_, s)| s.index == 1).unwrap().0;
        world.entity_mut(busy).insert(Bmu { age_days: 7.0, ..bmu(5) });
        schedule.run(&mut world);
        // x̄1 = (α1/β1)·√(β2/α2) = 15·√0.005 = 1.06066, x̄2 = 15/√0.005 = 212.132 (Komarova 2003).
        // Ω = 10: round(2121.32) = 2121 osteoblasts, round(10·(1.06066 + 10)) = round(110.61) = 111 osteoclasts.
        let mut per_site = [0; 3];
        for at in world.query_filtered::<&AtSite, With<Osteoclast>>().iter(&world) {
            per_site[at.0 as usize] += 1;
        }
        assert_eq!(per_site, [111, 0, 111]);
        for (site, b) in world.query::<(&Site, &Bmu)>().iter(&world) {
            let expected = if site.index == 1 { Bmu { age_days: 7.0, ..bmu(5) } } else { bmu(2121) };
            assert_eq!(*b, expected, "site {}", site.index);
        }
        assert_eq!(world.resource::<Counters>().bmus_started, 2);
        assert_eq!(world.resource::<Counters>().next_cell_id, 222);
    }

    #[test]
    fn activations_match_the_untreated_hazard() {
        let n = 100_000;
        let (mut world, mut schedule) = sites(n);
        world.resource_mut::<Params>().dt_days = 1.0;
        schedule.run(&mut world);
        // p = 1 − exp(−0.8/365) = 0.0021895: mean 218.9, sd √(n·p·(1 − p)) = 14.8.
        let p = -(-0.8f64 / 365.0).exp_m1();
        let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
        let started = world.resource::<Counters>().bmus_started as f64;
        assert!((started - mean).abs() < 5.0 * sd, "{started} vs {mean} ± {sd}");
        assert_eq!(count::<Bmu>(&mut world) as f64, started);
    }

    #[test]
    fn recruits_copy_the_mitochondria_of_circulating_precursors() {
        use crate::model::{CellId, Circulating, Mitochondria, PrecursorPool};
        let (mut world, mut schedule) = one_system_world(activate_every_site);
        world.spawn_batch((0..4).map(|index| (Site { index }, bone())));
        // Two circulating precursors, one of 7 units at health 9 and one of 3 units at health 2.
        let pool = [(0, 7, 9), (1, 3, 2)]
            .map(|(id, n, h)| world.spawn((CellId(id), Circulating, Mitochondria::uniform(n, h))).id());
        world.insert_resource(PrecursorPool(pool.to_vec()));
        world.resource_mut::<Counters>().next_cell_id = 2;
        schedule.run(&mut world);
        // Four BMUs of 11 osteoclasts, each a copy of one of the two.
        let copies: Vec<Mitochondria> =
            world.query_filtered::<&Mitochondria, With<Osteoclast>>().iter(&world).cloned().collect();
        assert_eq!(copies.len(), 44);
        let (seven, three) = (Mitochondria::uniform(7, 9), Mitochondria::uniform(3, 2));
        assert!(copies.iter().all(|m| *m == seven || *m == three));
        assert!(copies.contains(&seven) && copies.contains(&three), "both are drawn");
        assert_eq!(world.resource::<Counters>().bmus_started, 4);
    }
}
