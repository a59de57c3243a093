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
use super::select_indices;
use crate::model::streams::{Hits, hazard_to_probability};
use crate::model::{CellId, Clock, Mitochondria, Process, Streams};
use bevy_ecs::prelude::{Local, Query, Res};
use rand::RngExt;

/// Eligible units meet in random pairs and even out their health.
pub fn fuse_mitochondria(
    params: Res<Params>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut pool: Local<Vec<usize>>,
    mut left_out: Local<Vec<usize>>,
    mut cells: Query<(&CellId, &mut Mitochondria)>,
) {
    let (_, dt) = params.mito_substeps();
    let p_join = hazard_to_probability(params.fusion_per_hour * 24.0, dt);
    let floor = params.fusion_threshold as u8;
    for (id, mut mito) in &mut cells {
        let mut rng = streams.stream(Process::Fusion, id.0, clock.mito_step);
        let units = &mut mito.units;
        // Untagged (raw byte below the tag bit) and above θfus.
        select_indices(units, &mut pool, |u| (u > floor) & (u < Mitochondria::TAG));
        // Eligible units stay out with probability 1 − p_join: drop those (few) by position. The
        // pool's order does not matter (it is paired at random), so each goes by a swap.
        left_out.clear();
        left_out.extend(Hits::new(&mut rng, pool.len(), 1.0 - p_join));
        for &k in left_out.iter().rev() {
            pool.swap_remove(k);
        }
        // Pair the pool uniformly at random: each unit in turn takes a random partner from the
        // units not yet paired (a partial Fisher–Yates shuffle, one draw per pair).
        for k in (0..pool.len().saturating_sub(1)).step_by(2) {
            let j = rng.random_range(k as u32 + 1..pool.len() as u32) as usize;
            pool.swap(k + 1, j);
            let (a, b) = (pool[k], pool[k + 1]);
            let total = units[a] + units[b];
            units[a] = total.div_ceil(2);
            units[b] = total / 2;
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
