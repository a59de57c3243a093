//! The BMU's remodelling cycle: when resorption ends, when formation starts, when the BMU is
//! done and the site returns to quiescence, keeping its bone.
//!
//! Coupled law (the tissue's), per active BMU after the census, with N1, P the BMU's osteoclasts
//! and precursors:
//! ```text
//! age += Δt
//! resorption → reversal   when N1 = 0 ∧ P = 0 (x1 = 0 is absorbing: no more can form),
//!                          or age ≥ max_bmu_days (the osteoclasts leave)
//! reversal → formation    after reversal_days;  the team's working life L ~ Gamma(k, L̄/k)
//! formation → quiescence  after L (the team retires to lining cells)
//! ```
//! Published law (Komarova 2003): the BMU completes when N1 = 0 ∧ P = 0 ∧ N2 ≤ Ω·x̄2 (its
//! osteoblast excess is spent), or is closed with its cells at age ≥ max_bmu_days.
//!
//! Each completed BMU at a cancellous site leaves a [`BmuRecord`] for the virtual biopsy (an
//! iliac cancellous one, which cortical BMUs stay out of): Rs.P (activation to the last
//! osteoclast's departure), Rv.P, FP (the team's working life; under the published law the time
//! from the end of resorption to completion) and the bone it eroded and formed.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | Rv.P | `reversal_days` | 10 | days | reversal phase of human trabecular BMUs, ~1–2 weeks (Eriksen 1994; Andersen 2009) \[U\] |
//! | L̄ | `osteoblast_working_days` | 130 | days | formation period ~145 d in iliac trabecular bone (Eriksen 1984) \[U\]; the model's FP is L |
//! | k | `osteoblast_working_shape` | 16 | — | spread of formation periods between BMUs (CV 25 %) \[U\] |
//! | — | `max_bmu_days` | 400 | days | safety bound; resorption lasts weeks |

use crate::config::{BoneLaw, Params};
use crate::model::Knobs;
use crate::model::{
    AtSite, Bmu, BmuRecord, Circulating, Clock, CompletedBmus, Cortical, Counters, Mitochondria, Process, Site,
    SiteCensus, Stage, Streams,
};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{Commands, Entity, Has, Local, Query, Res, ResMut, With, Without};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};
use rand::RngExt;
use rand_distr::Gamma;

/// Despawn the osteoclasts and precursors of the sites in `sites` (their BMU closed or stopped
/// resorbing).
fn send_cells_away(
    sites: &[u32],
    cells: &Query<(Entity, &AtSite), (With<Mitochondria>, Without<Circulating>)>,
    commands: &mut Commands,
) {
    if sites.is_empty() {
        return;
    }
    for (cell, site) in cells {
        if sites.contains(&site.0) {
            commands.entity(cell).despawn();
        }
    }
}

/// The record a BMU leaves when it completes on `day`.
fn record(bmu: &Bmu, day: f64, reversal_days: f64, formation_days: f64) -> BmuRecord {
    let resorption_days = bmu.resorption_ended.unwrap_or(bmu.age_days);
    BmuRecord { day, resorption_days, reversal_days, formation_days, eroded: bmu.eroded, formed: bmu.formed }
}

/// Coupled law: move each BMU through resorption, reversal and formation, and close it when its
/// team retires.
pub fn advance_remodelling_cycle(
    knobs: Res<Knobs>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    census: Res<SiteCensus>,
    mut counters: ResMut<Counters>,
    mut completed: ResMut<CompletedBmus>,
    mut departed: Local<Vec<u32>>,
    mut bmus: Query<(Entity, &Site, &mut Bmu, Has<Cortical>)>,
    cells: Query<(Entity, &AtSite), (With<Mitochondria>, Without<Circulating>)>,
    mut commands: Commands,
) {
    let params = &knobs.params;
    departed.clear();
    let dt = params.dt_days;
    let (shape, mean) = (params.osteoblast_working_shape, params.osteoblast_working_days);
    for (entity, site, mut bmu, cortical) in &mut bmus {
        bmu.age_days += dt;
        let i = site.index as usize;
        match bmu.stage {
            Stage::Resorption => {
                let gone = census.osteoclasts[i] == 0 && census.precursors[i] == 0;
                if gone || bmu.age_days >= params.max_bmu_days - 1e-9 {
                    if !gone {
                        departed.push(site.index);
                    }
                    bmu.resorption_ended = Some(bmu.age_days);
                    bmu.stage = Stage::Reversal { left: params.reversal_days };
                }
            }
            Stage::Reversal { left } if left - dt > 1e-9 => bmu.stage = Stage::Reversal { left: left - dt },
            Stage::Reversal { .. } => {
                let mut rng = streams.stream(Process::WorkingLife, site.index as u64, clock.step);
                let life = Gamma::new(shape, mean / shape).map_or(mean, |g| rng.sample(g)).max(dt);
                bmu.stage = Stage::Formation { left: life, working_days: life };
            }
            Stage::Formation { left, working_days } if left <= 1e-9 => {
                if !cortical {
                    completed.0.push(record(&bmu, clock.day, params.reversal_days, working_days));
                    counters.bmus_completed += 1;
                }
                commands.entity(entity).remove::<Bmu>();
            }
            Stage::Formation { .. } => {}
        }
    }
    send_cells_away(&departed, &cells, &mut commands);
}

/// Published law: age BMUs and close those whose cycle is spent.
pub fn complete_bmus(
    knobs: Res<Knobs>,
    clock: Res<Clock>,
    census: Res<SiteCensus>,
    mut counters: ResMut<Counters>,
    mut completed: ResMut<CompletedBmus>,
    mut closed_by_age: Local<Vec<u32>>,
    mut bmus: Query<(Entity, &Site, &mut Bmu, Has<Cortical>)>,
    cells: Query<(Entity, &AtSite), (With<Mitochondria>, Without<Circulating>)>,
    mut commands: Commands,
) {
    let params = &knobs.params;
    let (_, x2_bar) = params.kernel().steady_state();
    closed_by_age.clear();
    for (entity, site, mut bmu, cortical) in &mut bmus {
        bmu.age_days += params.dt_days;
        let i = site.index as usize;
        let resorbing = census.osteoclasts[i] > 0 || census.precursors[i] > 0;
        if !resorbing && bmu.resorption_ended.is_none() {
            bmu.resorption_ended = Some(bmu.age_days);
        }
        let spent = !resorbing && f64::from(bmu.osteoblasts) <= params.population_scale * x2_bar;
        let too_old = bmu.age_days >= params.max_bmu_days - 1e-9;
        if spent || too_old {
            let formation = bmu.age_days - bmu.resorption_ended.unwrap_or(bmu.age_days);
            if !cortical {
                completed.0.push(record(&bmu, clock.day, 0.0, formation));
                counters.bmus_completed += 1;
            }
            commands.entity(entity).remove::<Bmu>();
            if too_old && !spent {
                closed_by_age.push(site.index);
            }
        }
    }
    send_cells_away(&closed_by_age, &cells, &mut commands);
}

/// This process's systems, in their phases.
pub struct CyclePlugin;

impl Plugin for CyclePlugin {
    fn add_resources(&self, world: &mut World, _: &Params) {
        world.insert_resource(CompletedBmus::default());
    }

    fn add_systems(&self, schedule: &mut Schedule, law: BoneLaw) {
        match law {
            BoneLaw::Coupled => schedule.add_systems(advance_remodelling_cycle.in_set(Phase::Cycle)),
            BoneLaw::Komarova2003 => schedule.add_systems(complete_bmus.in_set(Phase::Cycle)),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Osteoclast, Precursor};
    use crate::processes::testing::{bmu, cell, count, one_system_world, set_census};

    #[test]
    fn published_law_spent_bmus_close_busy_ones_age_and_old_ones_close_with_their_cells() {
        let (mut world, mut schedule) = one_system_world(complete_bmus);
        // Ω·x̄2 = 212.13. Sites: 0 spent; 1 has an osteoclast; 2 a precursor; 3 excess osteoblasts;
        // 4 has an osteoclast but reaches max_bmu_days = 400 this step.
        set_census(&mut world, vec![0, 1, 0, 0, 1], vec![0.0, 1.0, 0.0, 0.0, 1.0], vec![0, 0, 1, 0, 0]);
        let bmus = [bmu(212), bmu(212), bmu(212), bmu(213), Bmu { age_days: 399.9, ..bmu(212) }];
        let sites: Vec<_> = (0..5).map(|index| world.spawn((Site { index }, bmus[index as usize])).id()).collect();
        let survivor = world.spawn((cell(1, vec![10], 0.5), AtSite(1), Osteoclast { activity: 1.0 })).id();
        let waiting = world.spawn((cell(2, vec![10], 0.5), AtSite(2), Precursor { age_days: 0.0 })).id();
        let doomed =
            [3, 4].map(|id| world.spawn((cell(id, vec![10], 0.5), AtSite(4), Osteoclast { activity: 1.0 })).id());
        let circulating = world.spawn((cell(5, vec![10], 0.5), Circulating)).id();
        schedule.run(&mut world);
        assert_eq!(world.resource::<Counters>().bmus_completed, 2);
        assert_eq!(world.resource::<CompletedBmus>().0.len(), 2);
        assert!(world.get::<Bmu>(sites[0]).is_none() && world.get::<Bmu>(sites[4]).is_none());
        for &e in &sites[1..4] {
            let age = world.get::<Bmu>(e).expect("still running").age_days;
            assert!((age - 0.1).abs() < 1e-12, "aged by Δt: {age}");
        }
        assert_eq!(world.get::<Bmu>(sites[3]).unwrap().resorption_ended, Some(0.1), "resorption is over at site 3");
        assert!(doomed.iter().all(|&e| world.get_entity(e).is_err()), "cells of a BMU closed by age go");
        assert!([survivor, waiting, circulating].iter().all(|&e| world.get_entity(e).is_ok()));
        assert_eq!((count::<Site>(&mut world), count::<Mitochondria>(&mut world)), (5, 3));
    }

    #[test]
    fn coupled_bmus_resorb_reverse_form_and_complete() {
        let (mut world, mut schedule) = one_system_world(advance_remodelling_cycle);
        world.resource_mut::<Knobs>().params.reversal_days = 0.25;
        // Sites: 0 osteoclasts gone; 1 still resorbing; 2 resorbing at max_bmu_days (its cell leaves);
        // 3 reversal ending; 4 formation done.
        set_census(&mut world, vec![0, 2, 1, 0, 0], vec![0.0, 2.0, 1.0, 0.0, 0.0], vec![0; 5]);
        let done = Bmu { eroded: 40.0, formed: 39.0, resorption_ended: Some(30.0), ..bmu(300) };
        let bmus = [
            bmu(300),
            bmu(300),
            Bmu { age_days: 399.95, ..bmu(300) },
            Bmu { stage: Stage::Reversal { left: 0.05 }, ..bmu(300) },
            Bmu { age_days: 170.0, stage: Stage::Formation { left: 0.0, working_days: 130.0 }, ..done },
        ];
        let sites: Vec<_> = (0..5).map(|index| world.spawn((Site { index }, bmus[index as usize])).id()).collect();
        let leaving = world.spawn((cell(1, vec![10], 0.5), AtSite(2), Osteoclast { activity: 1.0 })).id();
        run_steps(&mut world, &mut schedule, 1);
        let stage = |w: &World, i: usize| w.get::<Bmu>(sites[i]).map(|b| b.stage);
        assert_eq!(stage(&world, 0), Some(Stage::Reversal { left: 0.25 }));
        assert_eq!(world.get::<Bmu>(sites[0]).unwrap().resorption_ended, Some(0.1));
        assert_eq!(stage(&world, 1), Some(Stage::Resorption));
        assert_eq!(stage(&world, 2), Some(Stage::Reversal { left: 0.25 }));
        assert!(world.get_entity(leaving).is_err(), "osteoclasts of a BMU past max_bmu_days leave");
        let Some(Stage::Formation { left, working_days }) = stage(&world, 3) else { panic!("{:?}", stage(&world, 3)) };
        assert!(left == working_days && working_days > 40.0 && working_days < 400.0, "{working_days}");
        assert_eq!(stage(&world, 4), None, "the team retired: the site is quiescent");
        let records = &world.resource::<CompletedBmus>().0;
        assert_eq!(records.len(), 1);
        let r = records[0];
        assert_eq!(
            (r.resorption_days, r.reversal_days, r.formation_days, r.eroded, r.formed),
            (30.0, 0.25, 130.0, 40.0, 39.0)
        );
        // Site 0's reversal of 0.25 days ends within three more steps of 0.1.
        run_steps(&mut world, &mut schedule, 2);
        assert!(matches!(stage(&world, 0), Some(Stage::Reversal { .. })));
        run_steps(&mut world, &mut schedule, 1);
        assert!(matches!(stage(&world, 0), Some(Stage::Formation { .. })), "{:?}", stage(&world, 0));
    }

    #[test]
    fn working_lives_follow_their_gamma_law() {
        let (mut world, mut schedule) = one_system_world(advance_remodelling_cycle);
        let n = 4000;
        set_census(&mut world, vec![0; n], vec![0.0; n], vec![0; n]);
        world.spawn_batch(
            (0..n as u32).map(|index| (Site { index }, Bmu { stage: Stage::Reversal { left: 0.0 }, ..bmu(300) })),
        );
        schedule.run(&mut world);
        let lives: Vec<f64> = world
            .query::<&Bmu>()
            .iter(&world)
            .map(|b| match b.stage {
                Stage::Formation { working_days, .. } => working_days,
                s => panic!("{s:?}"),
            })
            .collect();
        // Gamma(16, 130/16): mean 130, sd 32.5; the mean of 4000 has sd 0.51.
        let mean = lives.iter().sum::<f64>() / n as f64;
        let sd = (lives.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        assert!((mean - 130.0).abs() < 2.5 && (sd - 32.5).abs() < 2.5, "mean {mean}, sd {sd}");
    }

    use crate::processes::testing::run_steps;
    use bevy_ecs::prelude::World;
}
