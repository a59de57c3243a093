//! Modelling-based formation (MBF): anabolics start formation on quiescent cancellous surfaces
//! with no resorption before it, besides what they do to remodelling, and a site gives its new
//! bone back when it is remodelled with no anabolic acting.
//!
//! Rule, per cancellous site per step Δt (days), with μ the knob `modelling_formation` (packets
//! per quiescent site per year, Σ over the anabolics acting of ℓ·μ_drug):
//! ```text
//! start      P(a packet starts) = 1 − exp(−μ · Δt/365)    at a site with no BMU and no packet
//! lay down   Δz = P_mbf · min(Δt, left) / L̄;  left −= min(Δt, left)    matrix + Δz ≤ z_max
//!            matrix, osteoid, formed and N (the site's modelling-formed bone) += Δz
//! give back  when a BMU opens at the site (the step after activation) while μ = 0:
//!            x = min(g · N, matrix − osteoid);  N −= x;  matrix −= x;  resorbed += x
//!            mineral −= x · mineral / (matrix − osteoid)   (the mineralised matrix's mean share)
//! ```
//! Packets are independent of activation, so an antiresorptive that stops BMUs leaves them be:
//! an anabolic and an antiresorptive add (Tsai 2013, DATA: teriparatide plus denosumab gained
//! more than either \[R\]). Osteoid mineralises as any other (`mineralization.rs`).
//!
//! **Giving back.** New bone laid on quiescent surfaces is bone the loads did not call for; when
//! the anabolic signal ends, remodelling removes it, each BMU that opens at the site resorbing a
//! share g of it that it does not refill (the disuse mode of Frost's mechanostat, Frost 1987 Bone
//! Miner 2:73 \[R\]; that the anabolic holds it while it acts is a \[choice\]). The loss is paced
//! by activation, so an antiresorptive after the anabolic keeps what it built: a year of placebo
//! after a year of PTH(1-84) lost "substantial" spine BMD, where alendronate after it gained
//! (+4.1 % against +12.1 % at 2 years; Black 2005 NEJM 353:555, PaTH \[V abstract\]).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | μ_T | `teriparatide_modelling_per_site_per_year` | 0.8 | /site/year | MBF at quiescent surfaces only under teriparatide (Ma 2006 JBMR 21:855 \[V abstract\]), from its first month (Lindsay 2006 JBMR 21:366 \[V abstract\]); remodelling- and modelling-based formation surfaces both rose 2.9- to 21.9-fold by 3 months (Dempster 2018 JBMR 33:298 \[V abstract\]); MBF ~20–40 % of cancellous formation under teriparatide \[R\]. Here μ_T·P_mbf ≈ 30 %/year of site bone against ~69 %/year remodelling-based on the postmenopausal background (1.56 activations per site-year of 38.4 % at osteoblast work 1.15), a 31 % share \[C\]; fitted with `teriparatide_osteoblast_work` to the 2-year spine target (docs/calibration.md) |
//! | P_mbf | `modelling_packet_pct` | 38 | % of site bone | a remodelling BMU's formed volume (38.4 %, docs/validation.md): MBF packets as thick as remodelling ones \[U\] (Ma 2006 found hemiosteon wall thickness higher under teriparatide \[V abstract\]) |
//! | L̄ | `osteoblast_working_days` | 130 | days | the packet's formation period: one osteoblast team's working life, as in `cycle.rs` \[U\] |
//! | g | `modelling_giveback` | 0.4 | — | with ~1.2 activations per site-year after the menopause, ~40 % of the new bone goes within a year of stopping \[U\]; Black 2005 (above) for the direction |
//! | z_max | `max_site_bone_pct` | 150 | % of initial site bone | bounds a site's bone \[choice\] |

use crate::config::{BoneLaw, DAYS_PER_YEAR};
use crate::model::streams::{chance, hazard_to_probability, threshold};
use crate::model::{Bmu, Bone, Clock, Cortical, Knobs, Modelling, Process, Site, Stage, Streams};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{Commands, Entity, IntoScheduleConfigs, Query, Res, Schedule, Without};

/// Lay down `dz` of osteoid at a site (up to `max_bone` of matrix), counted as modelling-formed.
fn lay_down(bone: &mut Bone, modelling: &mut Modelling, dz: f64, max_bone: f64) {
    let dz = dz.min(max_bone - bone.matrix);
    if dz > 0.0 {
        bone.matrix += dz;
        bone.osteoid += dz;
        bone.formed += dz;
        modelling.new_bone += dz;
    }
}

/// Resorb a share `g` of the site's modelling-formed bone, with the mineral it holds.
fn give_back(bone: &mut Bone, modelling: &mut Modelling, g: f64) {
    let mineralised = bone.matrix - bone.osteoid;
    let x = (g * modelling.new_bone).min(mineralised);
    if x > 0.0 {
        bone.mineral -= x * (bone.mineral / mineralised).clamp(0.0, 1.0);
        bone.mineral = bone.mineral.max(0.0);
        bone.matrix -= x;
        bone.resorbed += x;
        modelling.new_bone -= x;
    }
}

/// A BMU opened at the site since the last step: activation inserts it at age 0 and the cycle
/// has aged it by one step.
fn just_opened(bmu: &Bmu, dt: f64) -> bool {
    bmu.stage == Stage::Resorption && bmu.age_days <= dt + 1e-9
}

/// Packets lay down bone, BMUs opening with no anabolic acting take new bone back, and quiescent
/// cancellous sites start packets at the knob's rate.
pub fn form_by_modelling(
    knobs: Res<Knobs>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut sites: Query<(Entity, &Site, &mut Bone, Option<&mut Modelling>, Option<&Bmu>), Without<Cortical>>,
    mut commands: Commands,
) {
    let params = &knobs.params;
    let dt = params.dt_days;
    let rate = knobs.modelling_formation;
    let start = threshold(hazard_to_probability(rate, dt / DAYS_PER_YEAR));
    let per_day = params.modelling_packet_pct / params.osteoblast_working_days;
    for (entity, site, mut bone, modelling, bmu) in &mut sites {
        let mut forming = false;
        if let Some(mut m) = modelling {
            if m.left_days > 1e-9 {
                let work = dt.min(m.left_days);
                m.left_days -= work;
                lay_down(&mut bone, &mut m, per_day * work, params.max_site_bone_pct);
                forming = m.left_days > 1e-9;
            }
            if rate == 0.0 && m.new_bone > 0.0 && bmu.is_some_and(|b| just_opened(b, dt)) {
                give_back(&mut bone, &mut m, params.modelling_giveback);
            }
            if start > 0 && !forming && bmu.is_none() && began(&streams, site, clock.step, start) {
                m.left_days = params.osteoblast_working_days;
            }
        } else if start > 0 && bmu.is_none() && began(&streams, site, clock.step, start) {
            commands.entity(entity).insert(Modelling { left_days: params.osteoblast_working_days, new_bone: 0.0 });
        }
    }
}

/// Whether a packet starts at `site` this step.
fn began(streams: &Streams, site: &Site, step: u64, threshold: u64) -> bool {
    chance(&mut streams.stream(Process::Modelling, u64::from(site.index), step), threshold)
}

/// This process's systems, in their phases.
pub struct ModellingPlugin;

impl Plugin for ModellingPlugin {
    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(form_by_modelling.in_set(Phase::Modelling));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{bmu, bone, count, one_system_world, run_steps};
    use bevy_ecs::prelude::World;

    /// A world of `n` quiescent cancellous sites of intact bone running `form_by_modelling` at
    /// `rate` packets per site per year, with steps of `dt` days.
    fn sites(n: u32, rate: f64, dt: f64) -> (World, Schedule) {
        let (mut world, schedule) = one_system_world(form_by_modelling);
        let mut knobs = world.resource_mut::<Knobs>();
        (knobs.params.sites, knobs.params.dt_days, knobs.modelling_formation) = (n, dt, rate);
        world.spawn_batch((0..n).map(|index| (Site { index }, bone())));
        (world, schedule)
    }

    fn total(world: &mut World, f: fn(&Bone) -> f64) -> f64 {
        world.query::<&Bone>().iter(world).map(f).sum()
    }

    #[test]
    fn no_modelling_formation_without_the_knob() {
        let (mut world, mut schedule) = sites(2000, 0.0, 1.0);
        run_steps(&mut world, &mut schedule, 365);
        assert_eq!(count::<Modelling>(&mut world), 0);
        assert!(world.query::<&Bone>().iter(&world).all(|b| *b == bone()));
    }

    #[test]
    fn packets_start_on_quiescent_cancellous_sites_only() {
        let (mut world, mut schedule) = sites(0, 1e9, 0.1);
        // Sites: 0 quiescent; 1 hosts a BMU; 2 is cortical; 3 is laying down a packet; 4 has
        // finished one.
        let forming = Modelling { left_days: 50.0, new_bone: 3.0 };
        let done = Modelling { left_days: 0.0, new_bone: 38.0 };
        let e = [
            world.spawn((Site { index: 0 }, bone())).id(),
            world.spawn((Site { index: 1 }, bone(), bmu(212))).id(),
            world.spawn((Site { index: 2 }, bone(), Cortical)).id(),
            world.spawn((Site { index: 3 }, bone(), forming)).id(),
            world.spawn((Site { index: 4 }, bone(), done)).id(),
        ];
        run_steps(&mut world, &mut schedule, 1);
        let packet = |w: &World, i: usize| w.get::<Modelling>(e[i]).copied();
        let fresh = Modelling { left_days: 130.0, new_bone: 0.0 };
        assert_eq!(packet(&world, 0), Some(fresh));
        assert_eq!((packet(&world, 1), packet(&world, 2)), (None, None), "no packet under a BMU or at a cortical site");
        let laid = 38.0 / 130.0 * 0.1;
        assert!(
            packet(&world, 3)
                .is_some_and(|m| (m.left_days - 49.9).abs() < 1e-12 && (m.new_bone - 3.0 - laid).abs() < 1e-12),
            "{:?}",
            packet(&world, 3)
        );
        assert_eq!(packet(&world, 4), Some(Modelling { left_days: 130.0, new_bone: 38.0 }), "a new packet");
    }

    #[test]
    fn packets_start_at_the_knobs_rate_and_each_lays_down_its_size() {
        // 20 000 sites, 0.5 packets per site-year, ten steps of a day: each site starts at most
        // one packet (a packet lasts 130 days), with p = 1 − e^(−0.5·10/365) = 0.013605: mean
        // 272.1 ≈ rate·sites·days = 274.0, sd 16.4.
        let n = 20_000;
        let (mut world, mut schedule) = sites(n, 0.5, 1.0);
        run_steps(&mut world, &mut schedule, 10);
        let started = count::<Modelling>(&mut world) as f64;
        let p = -(-0.5f64 * 10.0 / 365.0).exp_m1();
        let (mean, sd) = (f64::from(n) * p, (f64::from(n) * p * (1.0 - p)).sqrt());
        assert!((started - mean).abs() < 5.0 * sd, "{started} vs {mean} ± {sd}");
        assert!((mean - 0.5 * f64::from(n) * 10.0 / 365.0).abs() < 0.01 * mean);
        // With the knob off, the packets begun finish: each lays down P_mbf = 38 % of site bone,
        // as osteoid, and no other starts.
        world.resource_mut::<Knobs>().modelling_formation = 0.0;
        run_steps(&mut world, &mut schedule, 140);
        assert_eq!(count::<Modelling>(&mut world) as f64, started);
        let gained = total(&mut world, |b| b.matrix) - 100.0 * f64::from(n);
        assert!((gained - 38.0 * started).abs() < 1e-6 * gained, "{gained} vs 38 × {started}");
        assert!((total(&mut world, |b| b.osteoid) - gained).abs() < 1e-6 * gained);
        assert!((total(&mut world, |b| b.formed) - gained).abs() < 1e-6 * gained);
        let new: f64 = world.query::<&Modelling>().iter(&world).map(|m| m.new_bone).sum();
        assert!(
            (new - gained).abs() < 1e-6 * gained
                && world.query::<&Modelling>().iter(&world).all(|m| m.left_days <= 1e-9)
        );
    }

    #[test]
    fn a_packet_stops_at_the_sites_capacity() {
        let (mut world, mut schedule) = sites(0, 0.0, 1.0);
        let e = world
            .spawn((Site { index: 0 }, Bone { matrix: 149.0, ..bone() }, Modelling { left_days: 130.0, new_bone: 0.0 }))
            .id();
        run_steps(&mut world, &mut schedule, 10);
        assert!((world.get::<Bone>(e).unwrap().matrix - 150.0).abs() < 1e-12);
        assert!((world.get::<Modelling>(e).unwrap().new_bone - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_bmu_opening_with_no_anabolic_takes_a_share_of_the_new_bone_back() {
        // Each site holds 20 of modelling-formed bone (matrix 120, osteoid 10, mineral 99).
        let start = Bone { matrix: 120.0, osteoid: 10.0, mineral: 99.0, resorbed: 0.0, formed: 20.0 };
        let held = Modelling { left_days: 0.0, new_bone: 20.0 };
        let opened = |age_days| Bmu { age_days, ..bmu(212) };
        let after = |rate: f64, b: Option<Bmu>| {
            let (mut world, mut schedule) = sites(0, rate, 0.1);
            let e = world.spawn((Site { index: 0 }, start, held)).id();
            if let Some(b) = b {
                world.entity_mut(e).insert(b);
            }
            run_steps(&mut world, &mut schedule, 1);
            (*world.get::<Bone>(e).unwrap(), *world.get::<Modelling>(e).unwrap())
        };
        // g = 0.4: x = 8 of matrix, with 8 · 99/110 = 7.2 of mineral.
        let (b, m) = after(0.0, Some(opened(0.1)));
        let want = Bone { matrix: 112.0, osteoid: 10.0, mineral: 91.8, resorbed: 8.0, formed: 20.0 };
        for (got, want) in
            [(b.matrix, want.matrix), (b.mineral, want.mineral), (b.resorbed, want.resorbed), (m.new_bone, 12.0)]
        {
            assert!((got - want).abs() < 1e-12, "{b:?} {m:?}");
        }
        assert_eq!((b.osteoid, b.formed), (10.0, 20.0));
        // Not while an anabolic acts, not by a BMU opened earlier, not without a BMU.
        for (rate, b) in [(0.5, Some(opened(0.1))), (0.0, Some(opened(30.0))), (0.0, None)] {
            assert_eq!(after(rate, b).0, start, "rate {rate}, {b:?}");
        }
    }
}
