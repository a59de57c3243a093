//! The census: at the start of every cell step, count each site's osteoclasts, their summed
//! resorption activity and its precursors. Every rule of the step reads these counts, so births
//! and deaths within a step do not feed back until the next one (the synchronous update whose
//! Δt → 0 limit is the Komarova ODE).
//!
//! ```text
//! N1(s) = #osteoclasts at s,   A(s) = Σ_{i at s} a_i,   P(s) = #precursors at s
//! exposure += (Σ_s N1(s) + P(s) + K) · Δt    (cell-days of every cell with mitochondria, the K
//!                                             circulating precursors included: the mitophagy rate)
//! osteoclast-days += Σ_s N1(s) · Δt           (the apoptosis rate's denominator)
//! ```
//! The counts cover every site, cancellous and cortical (indices `0..sites + cortical_sites`);
//! the exposures, like the counts they divide, only the cancellous sites (`Cortical` cells are
//! left out).

use crate::config::{BoneLaw, Params};
use crate::model::Knobs;
use crate::model::{AtSite, Circulating, Cortical, Counters, MitophagyCount, Osteoclast, Precursor, SiteCensus};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{Has, Query, Res, ResMut, With};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};

/// Count osteoclasts, activity and precursors per site.
pub fn take_census(
    knobs: Res<Knobs>,
    mut census: ResMut<SiteCensus>,
    mut mitophagy: ResMut<MitophagyCount>,
    mut counters: ResMut<Counters>,
    osteoclasts: Query<(&AtSite, &Osteoclast, Has<Cortical>)>,
    precursors: Query<(&AtSite, Has<Cortical>), With<Precursor>>,
    circulating: Query<(), With<Circulating>>,
) {
    let params = &knobs.params;
    let n = (params.sites + params.cortical_sites) as usize;
    let census = &mut *census;
    for v in [&mut census.osteoclasts, &mut census.precursors] {
        v.clear();
        v.resize(n, 0);
    }
    census.activity.clear();
    census.activity.resize(n, 0.0);
    let (mut n_osteoclasts, mut n_precursors) = (0usize, 0usize);
    for (site, oc, cortical) in &osteoclasts {
        census.osteoclasts[site.0 as usize] += 1;
        census.activity[site.0 as usize] += oc.activity;
        n_osteoclasts += usize::from(!cortical);
    }
    for (site, cortical) in &precursors {
        census.precursors[site.0 as usize] += 1;
        n_precursors += usize::from(!cortical);
    }
    let cells = n_osteoclasts + n_precursors + circulating.iter().count();
    mitophagy.cell_days += cells as f64 * params.dt_days;
    counters.osteoclast_days += n_osteoclasts as f64 * params.dt_days;
}

/// This process's systems, in their phases.
pub struct CensusPlugin;

impl Plugin for CensusPlugin {
    fn add_resources(&self, world: &mut World, _: &Params) {
        world.insert_resource(SiteCensus::default());
    }

    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(take_census.in_set(Phase::Census));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::one_system_world;

    #[test]
    fn counts_cells_and_activity_per_site_and_adds_exposure() {
        let (mut world, mut schedule) = one_system_world(take_census);
        world.resource_mut::<Knobs>().params.sites = 3;
        // A stale census of the wrong length must be replaced, not added to.
        *world.resource_mut::<SiteCensus>() =
            SiteCensus { osteoclasts: vec![9; 5], activity: vec![9.0; 5], precursors: vec![9; 5] };
        for (site, activity) in [(0, 0.5), (0, 1.5), (2, 1.0)] {
            world.spawn((AtSite(site), Osteoclast { activity }));
        }
        for site in [0, 1, 1] {
            world.spawn((AtSite(site), Precursor { age_days: 0.0 }));
        }
        world.spawn(Circulating);
        // A cortical site (index 3) with an osteoclast and a precursor: counted at its site, left
        // out of the exposures.
        world.resource_mut::<Knobs>().params.cortical_sites = 1;
        world.spawn((AtSite(3), Osteoclast { activity: 4.0 }, Cortical));
        world.spawn((AtSite(3), Precursor { age_days: 0.0 }, Cortical));
        for run in 1..=2 {
            schedule.run(&mut world);
            let c = world.resource::<SiteCensus>();
            assert_eq!(c.osteoclasts, vec![2, 0, 1, 1]);
            assert_eq!(c.activity, vec![2.0, 0.0, 1.0, 4.0]);
            assert_eq!(c.precursors, vec![1, 2, 0, 1]);
            // 3 osteoclasts + 3 precursors + 1 circulating, 0.1 day each per run: 0.7 cell-days per run.
            let exposure = world.resource::<MitophagyCount>().cell_days;
            assert!((exposure - 0.7 * run as f64).abs() < 1e-12, "run {run}: {exposure}");
            let oc_days = world.resource::<Counters>().osteoclast_days;
            assert!((oc_days - 0.3 * run as f64).abs() < 1e-12, "run {run}: {oc_days}");
        }
    }
}
