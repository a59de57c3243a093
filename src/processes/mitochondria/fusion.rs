//! Selective fusion–fission: polarised mitochondria fuse in pairs and share their health;
//! depolarised and PINK1-tagged units are left out.
//!
//! Rule, per sub-step of length Δt: every eligible unit (h > θfus, untagged) joins the fusion
//! pool with probability p = 1 − exp(−f · 24 · Δt); the pool is shuffled and paired, and each pair
//! (a, b) leaves with
//! ```text
//! h_a' = ⌈(h_a + h_b)/2⌉,   h_b' = ⌊(h_a + h_b)/2⌋      (the pair's health is conserved)
//! ```
//! followed at once by fission into two units. An odd unit out stays as it is.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | f | `fusion_per_hour` | 5 | encounters /h | ~5 fusion–fission cycles per mitochondrion per hour (Twig et al. 2008, Shirihai lab [V]) |
//! | θfus | `fusion_threshold` | 3 | health level | = θdep: health is highest when the fusion and autophagy thresholds coincide (Patel 2013 [V summary]) |
//!
//! Selectivity (depolarised units do not fuse) after Twig et al. 2008 EMBO J and Mouli, Twig &
//! Shirihai 2009 Biophys J 96:3509: fusion helps quality control only if it is selective.

use crate::config::Params;
use crate::model::streams::{hazard_to_probability, threshold};
use crate::model::{CellId, Clock, Mitochondria, Process, Streams};
use bevy_ecs::prelude::{Local, Query, Res};
use rand::{Rng, RngExt};

/// Eligible units meet in random pairs and even out their health.
pub fn fuse_mitochondria(
    params: Res<Params>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut pool: Local<Vec<u32>>,
    mut cells: Query<(&CellId, &mut Mitochondria)>,
) {
    let (_, dt) = params.mito_substeps();
    let t = threshold(hazard_to_probability(params.fusion_per_hour * 24.0, dt));
    let floor = params.fusion_threshold as u8;
    for (id, mut mito) in &mut cells {
        let mut rng = streams.stream(Process::Fusion, id.0, clock.mito_step);
        pool.clear();
        for (i, &u) in mito.units.iter().enumerate() {
            let eligible = !Mitochondria::tagged(u) && Mitochondria::health(u) > floor;
            if eligible && rng.next_u64() < t {
                pool.push(i as u32);
            }
        }
        for i in (1..pool.len()).rev() {
            let j = rng.random_range(0..=i);
            pool.swap(i, j);
        }
        for pair in pool.chunks_exact(2) {
            let (a, b) = (pair[0] as usize, pair[1] as usize);
            let total = mito.units[a] + mito.units[b];
            mito.units[a] = total.div_ceil(2);
            mito.units[b] = total / 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{cell, one_system_world};

    #[test]
    fn fusion_conserves_health_and_evens_it_out() {
        let (mut world, mut schedule) = one_system_world(fuse_mitochondria);
        let units: Vec<u8> = (0..400).map(|i| if i % 2 == 0 { 10 } else { 4 }).collect();
        let e = world.spawn(cell(1, units, 0.0)).id();
        schedule.run(&mut world);
        let m = &world.get::<Mitochondria>(e).unwrap().units;
        assert_eq!(m.iter().map(|&u| u as u32).sum::<u32>(), 200 * 14, "health is conserved");
        let evened = m.iter().filter(|&&u| u == 7).count();
        assert!(evened > 150, "about half the pairs are mixed 10+4 → 7,7: {evened}");
    }

    #[test]
    fn depolarised_and_tagged_units_do_not_fuse() {
        let (mut world, mut schedule) = one_system_world(fuse_mitochondria);
        let mut units = vec![3u8; 50];
        units.extend(vec![9 | Mitochondria::TAG; 50]);
        units.extend(vec![10u8; 2]);
        let e = world.spawn(cell(1, units.clone(), 0.0)).id();
        schedule.run(&mut world);
        assert_eq!(world.get::<Mitochondria>(e).unwrap().units, units);
    }
}
