//! BMU activation: a quiescent site starts a BMU as a Poisson event; the BMU opens with a pulse
//! of osteoclasts above the kernel's steady state and the steady-state osteoblasts.
//!
//! Rule, per quiescent site per step Δt (days):
//! ```text
//! P(activate) = 1 − exp(−λ_act · c · RANKL · f_act · Δt / 365)
//! c = 1 at a cancellous site, r_cort at a cortical one
//! at activation:  N1 = round(Ω · (x̄1 + pulse)),  N2 = round(Ω · x̄2)
//! ```
//! Cortical sites (`cortical_sites`, marked [`Cortical`]) differ from cancellous ones only here:
//! their BMUs are the same, they start fewer of them. The cells they spawn carry the marker and
//! take ids from the cortical id space (`Counters::new_cell_id`); only cancellous activations
//! count in `bmus_started` (the biopsy's Ac.f).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | λ_act | `activation_per_site_per_year` | 0.8 | /site/year | with ~25 % of sites busy, 0.6 activations per site-year of ~40 % of the site's bone each: turnover ~25 %/year (trabecular bone, docs/model.md §1.1 \[U\]) \[C\] |
//! | r_cort | `cortical_activation_ratio` | 0.12 | — | cortical turnover ~3 %/year against ~25 %/year for trabecular bone (docs/model.md, \[U\]): 3/25 |
//! | pulse | `pulse_osteoclasts` | 10 | model cells | Komarova 2003 initial condition x1 = x̄1 + 10 |
//! | RANKL, f_act | knobs | 1 | — | estrogen loss ↑, denosumab ↓ |

use crate::config::BoneLaw;
use crate::config::DAYS_PER_YEAR;
use crate::model::streams::{chance, hazard_to_probability, threshold};
use crate::model::{Bmu, Clock, Cortical, Counters, Knobs, Osteoclast, Process, Site, Streams};
use crate::processes::recruitment::{Circulation, new_cell, spawn_cell};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{Commands, Entity, Has, Query, Res, ResMut, Without};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};

/// Start a BMU at `site`: insert its [`Bmu`] and spawn its osteoclast pulse.
fn open_bmu(
    commands: &mut Commands,
    counters: &mut Counters,
    (entity, site, cortical): (Entity, &Site, bool),
    (knobs, circulation, streams): (&Knobs, &Circulation, &Streams),
) {
    let params = &knobs.params;
    let (x1_bar, x2_bar) = params.kernel().steady_state();
    let omega = params.population_scale;
    commands.entity(entity).insert(Bmu::new((omega * x2_bar).round() as u32));
    for _ in 0..(omega * (x1_bar + params.pulse_osteoclasts)).round() as u64 {
        let cell = new_cell(counters, (site.index, cortical), circulation, streams, knobs);
        spawn_cell(commands, cell, Osteoclast { activity: 1.0 }, cortical);
    }
    counters.bmus_started += u64::from(!cortical);
}

/// Quiescent sites activate at the RANKL-scaled rate, cortical ones at r_cort times it.
pub fn activate_bmus(
    knobs: Res<Knobs>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    circulation: Circulation,
    mut counters: ResMut<Counters>,
    quiescent: Query<(Entity, &Site, Has<Cortical>), Without<Bmu>>,
    mut commands: Commands,
) {
    let params = &knobs.params;
    let rate = params.activation_per_site_per_year * params.rankl * knobs.activation;
    let per_step = |rate: f64| threshold(hazard_to_probability(rate, params.dt_days / DAYS_PER_YEAR));
    let (cancellous, cortical) = (per_step(rate), per_step(rate * params.cortical_activation_ratio));
    if cancellous == 0 && cortical == 0 {
        return;
    }
    for (entity, site, is_cortical) in &quiescent {
        let t = if is_cortical { cortical } else { cancellous };
        if t == 0 {
            continue;
        }
        let mut rng = streams.stream(Process::Activation, site.index as u64, clock.step);
        if chance(&mut rng, t) {
            let at = (entity, site, is_cortical);
            open_bmu(&mut commands, &mut counters, at, (&knobs, &circulation, &streams));
        }
    }
}

/// Every quiescent site starts a BMU at once (`pulse_at_start`: single-cycle experiments).
pub fn activate_every_site(
    knobs: Res<Knobs>,
    streams: Res<Streams>,
    circulation: Circulation,
    mut counters: ResMut<Counters>,
    quiescent: Query<(Entity, &Site, Has<Cortical>), Without<Bmu>>,
    mut commands: Commands,
) {
    for (entity, site, cortical) in &quiescent {
        open_bmu(&mut commands, &mut counters, (entity, site, cortical), (&knobs, &circulation, &streams));
    }
}

/// This process's systems, in their phases.
pub struct ActivationPlugin;

impl Plugin for ActivationPlugin {
    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(activate_bmus.in_set(Phase::Activation));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AtSite, CellId, FIRST_CORTICAL_CELL_ID};
    use crate::processes::testing::{bmu, bone, count, one_system_world};
    use bevy_ecs::prelude::{Schedule, With, World};

    /// A world of `n` quiescent sites of intact bone running `activate_bmus`.
    fn sites(n: u32) -> (World, Schedule) {
        let (mut world, schedule) = one_system_world(activate_bmus);
        world.resource_mut::<Knobs>().params.sites = n;
        world.spawn_batch((0..n).map(|index| (Site { index }, bone())));
        (world, schedule)
    }

    #[test]
    fn no_rate_or_no_rankl_means_no_activation() {
        for (rate, rankl) in [(0.0, 1.0), (1e9, 0.0)] {
            let (mut world, mut schedule) = sites(50);
            world.resource_mut::<Knobs>().params.activation_per_site_per_year = rate;
            world.resource_mut::<Knobs>().params.rankl = rankl;
            schedule.run(&mut world);
            assert_eq!((count::<Bmu>(&mut world), count::<Osteoclast>(&mut world)), (0, 0));
            assert_eq!(world.resource::<Counters>().bmus_started, 0);
        }
    }

    #[test]
    fn every_quiescent_site_opens_with_the_kernel_steady_state_plus_the_pulse() {
        let (mut world, mut schedule) = sites(3);
        let mut knobs = world.resource_mut::<Knobs>();
        let p = &mut knobs.params;
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
        world.resource_mut::<Knobs>().params.dt_days = 1.0;
        schedule.run(&mut world);
        // p = 1 − exp(−0.8/365) = 0.0021895: mean 218.9, sd √(n·p·(1 − p)) = 14.8.
        let p = -(-0.8f64 / 365.0).exp_m1();
        let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
        let started = world.resource::<Counters>().bmus_started as f64;
        assert!((started - mean).abs() < 5.0 * sd, "{started} vs {mean} ± {sd}");
        assert_eq!(count::<Bmu>(&mut world) as f64, started);
    }

    /// `n` cancellous and `m` cortical quiescent sites, cortical activation `ratio`, one step of
    /// a day at `rate` activations per site-year; returns the world after the step.
    fn one_day(n: u32, m: u32, ratio: f64, rate: f64) -> World {
        let (mut world, mut schedule) = sites(n);
        let mut knobs = world.resource_mut::<Knobs>();
        let p = &mut knobs.params;
        (p.cortical_sites, p.cortical_activation_ratio, p.activation_per_site_per_year, p.dt_days) =
            (m, ratio, rate, 1.0);
        world.spawn_batch((n..n + m).map(|index| (Site { index }, bone(), Cortical)));
        schedule.run(&mut world);
        world
    }

    /// Indices of the sites hosting a BMU, cancellous and cortical.
    fn busy(world: &mut World) -> (Vec<u32>, Vec<u32>) {
        let mut q = world.query_filtered::<(&Site, Has<Cortical>), With<Bmu>>();
        let (mut cancellous, mut cortical) = (vec![], vec![]);
        for (site, is_cortical) in q.iter(world) {
            if is_cortical { &mut cortical } else { &mut cancellous }.push(site.index);
        }
        cancellous.sort_unstable();
        cortical.sort_unstable();
        (cancellous, cortical)
    }

    #[test]
    fn cortical_sites_activate_at_the_ratio_times_the_cancellous_rate() {
        let n = 20_000;
        let mut world = one_day(n, n, 0.25, 36.5);
        let (cancellous, cortical) = busy(&mut world);
        // One day at 36.5 /year: p = 1 − e^(−0.1) = 0.09516 (mean 1903, sd 41.5 of 20 000);
        // cortical at 0.25 × that hazard: p = 1 − e^(−0.025) = 0.02469 (mean 494, sd 21.9).
        for (got, hazard) in [(cancellous.len(), 0.1f64), (cortical.len(), 0.025)] {
            let p = -(-hazard).exp_m1();
            let (mean, sd) = (f64::from(n) * p, (f64::from(n) * p * (1.0 - p)).sqrt());
            assert!((got as f64 - mean).abs() < 5.0 * sd, "{got} vs {mean} ± {sd}");
        }
        assert!(cortical.iter().all(|&i| i >= n) && cancellous.iter().all(|&i| i < n));
        // Only cancellous BMUs count; the cortical ones' cells carry the marker and cortical ids.
        assert_eq!(world.resource::<Counters>().bmus_started, cancellous.len() as u64);
        let mut q = world.query::<(&CellId, &AtSite, Has<Cortical>)>();
        let cells: Vec<_> = q.iter(&world).map(|(id, at, c)| (id.0, at.0, c)).collect();
        assert_eq!(cells.len(), 11 * (cancellous.len() + cortical.len()));
        for (id, site, is_cortical) in cells {
            assert_eq!(is_cortical, site >= n, "cell {id} at site {site}");
            assert_eq!(is_cortical, id >= FIRST_CORTICAL_CELL_ID, "cell {id} at site {site}");
        }
        let counters = *world.resource::<Counters>();
        assert_eq!(counters.next_cell_id, 11 * cancellous.len() as u64);
        assert_eq!(counters.cortical_cells, 11 * cortical.len() as u64);
    }

    #[test]
    fn cortical_sites_leave_the_cancellous_draws_alone_and_never_activate_at_ratio_zero() {
        let alone = busy(&mut one_day(500, 0, 0.0, 36.5));
        let (cancellous, cortical) = busy(&mut one_day(500, 500, 0.0, 36.5));
        assert_eq!((cancellous, cortical.len()), (alone.0, 0), "the same cancellous sites, no cortical one");
        let (all, none) = busy(&mut one_day(50, 50, 0.0, 1e9));
        assert_eq!((all.len(), none.len()), (50, 0), "ratio 0: never, whatever the rate");
        let (all, every) = busy(&mut one_day(50, 50, 1.0, 1e9));
        assert_eq!((all.len(), every.len()), (50, 50), "ratio 1: the cancellous rate");
    }

    #[test]
    fn recruits_copy_the_mitochondria_of_circulating_precursors() {
        use crate::model::{CellId, Circulating, Mitochondria, PrecursorPool};
        let (mut world, mut schedule) = one_system_world(activate_every_site);
        world.spawn_batch((0..4).map(|index| (Site { index }, bone())));
        // Two circulating precursors, one of 7 mitochondria at health 9 and one of 3 mitochondria at health 2.
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
