//! The observation phase: whole-tissue readouts out of the World, outside every rule.
//!
//! Every readout but the DXA ones and the markers is of the cancellous sites s (and their
//! cells); c runs over the cortical sites:
//! ```text
//! bone_density       = 100 · Σ_s mineral_s / Σ_s mineral_s(day 0)
//! spine_bmd, spine_bmd_low_w, spine_bmd_high_w, hip_bmd
//!                    = w · bone_density + (1 − w) · 100 · Σ_c mineral_c / Σ_c mineral_c(day 0),
//!                      each at its own cancellous share w (dxa.rs)
//! qct_vbmd           = bone_density: vertebral trabecular vBMD as QCT measures it (% of day 0)
//! ctx_pct, p1np_pct  = resorbed and formed per day over all sites, % of the pre-treatment baseline (markers.rs)
//! bone_mass          = 100 · Σ_s z_s / Σ_s z_s(day 0)
//! site_bone_sd       = sd over sites of z_s (% of the site's initial bone)
//! osteoclasts        = #osteoclasts / (sites · Ω)        (and likewise precursors, osteoblasts)
//! remodelling_space  = Σ_active (eroded − formed) / sites
//! mitophagy_events   = mitochondria removed / cell-days, since the previous sample
//! osteoclast_apoptosis = osteoclast deaths / osteoclast-days, since the previous sample
//! mean_activity      = mean resorption activity a_i of the osteoclasts
//! osteoclastic_drive = κ (processes/coupling.rs; 1 under the published law)
//! ```
//!
//! Cell means (ROS, ATP, …) are over precursors and osteoclasts: circulating precursors are not
//! in them. A mean or rate over nothing (no cells, no osteoclast-days, no quiescent site) is
//! undefined: NaN in the [`Sample`], an empty field in `timeseries.csv`, left out of every
//! summary and effect, a gap in the plots. The virtual biopsy ([`Biopsy`]) is tracked every
//! step. Cortical sites and cells carry [`Cortical`] and are filtered out by it, which also keeps
//! the cancellous ones iterated, and so summed, in the order they would be without cortical
//! sites. `qct_vbmd` is the same number as `bone_density` under the name a clinician looks for:
//! QCT isolates the vertebral body's trabecular bone, which is what the cancellous sites are.

mod biopsy;
mod dxa;
mod markers;

pub use biopsy::Biopsy;
pub use markers::{Tracker, Trail, Turnover};

use crate::model::{
    Bmu, Bone, Clock, Cortical, Counters, MitoReadout, Mitochondria, MitophagyCount, Osteoclast, Precursor, Site,
};
use crate::processes::coupling::Coupling;
use crate::processes::interventions::ScenarioRules;
use crate::record::{BiopsyRow, Sample};
use bevy_ecs::prelude::*;

/// Day-0 totals that densities are expressed against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayZero {
    /// Of the cancellous sites.
    pub mineral: f64,
    pub matrix: f64,
    /// Of the cortical sites (0 without any).
    pub cortical_mineral: f64,
}

impl DayZero {
    pub fn of(world: &mut World, sites: &Sites) -> DayZero {
        let (mut mineral, mut matrix) = (0.0, 0.0);
        sites.for_each_cancellous(world, |b, _| (mineral, matrix) = (mineral + b.mineral, matrix + b.matrix));
        DayZero { mineral, matrix, cortical_mineral: sites.cortical_mineral(world) }
    }
}

/// The sites in [`Site::index`] order, cancellous and cortical apart, taken once (sites never
/// despawn). Sums over sites therefore add in one fixed order: a query meets the world's tables
/// in an order bevy takes from a hash of its archetypes, which any new component or resource
/// type would change.
pub struct Sites {
    cancellous: Vec<Entity>,
    cortical: Vec<Entity>,
}

impl Sites {
    pub fn of(world: &mut World) -> Sites {
        let mut query = world.query::<(Entity, &Site, Has<Cortical>)>();
        let mut all: Vec<(u32, Entity, bool)> = query.iter(world).map(|(e, s, c)| (s.index, e, c)).collect();
        all.sort_unstable_by_key(|(index, _, _)| *index);
        let pick = |cortical: bool| all.iter().filter(|s| s.2 == cortical).map(|s| s.1).collect();
        Sites { cancellous: pick(false), cortical: pick(true) }
    }

    /// Visit every cancellous site in index order.
    pub(crate) fn for_each_cancellous(&self, world: &mut World, mut visit: impl FnMut(&Bone, Option<&Bmu>)) {
        let mut query = world.query::<(&Bone, Option<&Bmu>)>();
        for (bone, bmu) in self.cancellous.iter().filter_map(|&e| query.get(world, e).ok()) {
            visit(bone, bmu);
        }
    }

    /// Σ resorbed and Σ formed over every site, cancellous then cortical, in index order.
    pub(crate) fn turnover(&self, world: &mut World) -> Turnover {
        let mut query = world.query::<&Bone>();
        let all = self.cancellous.iter().chain(&self.cortical).filter_map(|&e| query.get(world, e).ok());
        all.fold(Turnover::default(), |t, b| Turnover {
            resorbed: t.resorbed + b.resorbed,
            formed: t.formed + b.formed,
        })
    }

    /// Σ mineral over the cortical sites, in index order.
    fn cortical_mineral(&self, world: &mut World) -> f64 {
        let mut query = world.query::<&Bone>();
        self.cortical.iter().filter_map(|&e| query.get(world, e).ok()).map(|b| b.mineral).sum()
    }
}

/// Takes samples and tracks the biopsy from day 0.
pub struct Observer {
    sites: Sites,
    day_zero: DayZero,
    biopsy: Biopsy,
    /// Osteoclast deaths and osteoclast-days at the previous sample.
    last_deaths: u64,
    last_osteoclast_days: f64,
    /// The tissue's turnover over the marker window, and its value at day 0 (per day).
    markers: Tracker,
    baseline: Option<Turnover>,
}

/// `a / b`, or undefined (NaN, written as an empty field and left out of every mean) when `b` is
/// 0: a mean over no cells, sites or cell-days is missing, never 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b != 0.0 { a / b } else { f64::NAN }
}

impl Observer {
    /// Start observing the World as it stands at day 0; `trail` holds the turnover of the
    /// spin-up's last steps, the markers' baseline (`markers.rs`).
    pub fn at_day_zero(world: &mut World, trail: Trail) -> Observer {
        let counters = *world.resource::<Counters>();
        let sites = Sites::of(world);
        let dt = world.resource::<ScenarioRules>().params.dt_days;
        Observer {
            day_zero: DayZero::of(world, &sites),
            biopsy: Biopsy::starting_at(world, &sites),
            baseline: trail.baseline_per_day(dt),
            markers: Tracker::start(world, &sites, trail),
            sites,
            last_deaths: counters.osteoclasts_died,
            last_osteoclast_days: counters.osteoclast_days,
        }
    }

    /// Add the step that just ended to the biopsy and the markers' window.
    pub fn track(&mut self, world: &mut World) {
        self.biopsy.track(world, &self.sites);
        self.markers.track(world, &self.sites);
    }

    /// The biopsy, one row per recorded year.
    pub fn biopsy(&self, sites: u32) -> Vec<BiopsyRow> {
        self.biopsy.rows(sites)
    }

    /// A sample of the World now; resets the mitophagy count.
    pub fn observe(&mut self, world: &mut World) -> Sample {
        let p = world.resource::<ScenarioRules>().params.clone();
        let day = crate::record::at_precision_of(world.resource::<Clock>().day, p.dt_days);
        let scale = p.sites as f64 * p.population_scale;
        let (mut mineral, mut matrix, mut resorbed, mut formed) = (0.0, 0.0, 0.0, 0.0);
        let (mut osteoblasts, mut active, mut space) = (0u64, 0u64, 0.0);
        let mut quiescent = Vec::with_capacity(p.sites as usize);
        self.sites.for_each_cancellous(world, |bone, bmu| {
            mineral += bone.mineral;
            matrix += bone.matrix;
            resorbed += bone.resorbed;
            formed += bone.formed;
            match bmu {
                Some(bmu) => {
                    osteoblasts += u64::from(bmu.osteoblasts);
                    active += 1;
                    space += bmu.open_cavity();
                }
                None => quiescent.push(bone.matrix),
            }
        });
        let (mut osteoclasts, mut precursors, mut activity) = (0u64, 0u64, 0.0);
        let (mut ros, mut atp, mut dep, mut mitochondria) = (0.0, 0.0, 0.0, 0u64);
        // Precursors, then osteoclasts: a fixed table order, as for the sites.
        let mut add = |mito: &Mitochondria, readout: &MitoReadout| {
            ros += readout.ros;
            atp += readout.atp;
            dep += readout.depolarised;
            mitochondria += mito.len() as u64;
        };
        let mut cells = world.query_filtered::<(&Mitochondria, &MitoReadout), (With<Precursor>, Without<Cortical>)>();
        for (mito, readout) in cells.iter(world) {
            precursors += 1;
            add(mito, readout);
        }
        let mut cells = world.query_filtered::<(&Mitochondria, &MitoReadout, &Osteoclast), Without<Cortical>>();
        for (mito, readout, oc) in cells.iter(world) {
            (osteoclasts, activity) = (osteoclasts + 1, activity + oc.activity);
            add(mito, readout);
        }
        let n_cells = (osteoclasts + precursors) as f64;
        let count = std::mem::take(&mut *world.resource_mut::<MitophagyCount>());
        let counters = *world.resource::<Counters>();
        let deaths = counters.osteoclasts_died - self.last_deaths;
        let exposure = counters.osteoclast_days - self.last_osteoclast_days;
        (self.last_deaths, self.last_osteoclast_days) = (counters.osteoclasts_died, counters.osteoclast_days);
        let n_sites = p.sites as f64;
        let n_quiescent = quiescent.len() as f64;
        let mean_quiescent = ratio(quiescent.iter().sum(), n_quiescent);
        let spread = ratio(quiescent.iter().map(|z| (z - mean_quiescent).powi(2)).sum(), n_quiescent).sqrt();
        let bone_density = 100.0 * ratio(mineral, self.day_zero.mineral);
        let cortical = self.sites.cortical_mineral(world);
        let dxa = |w| dxa::areal_bmd(w, bone_density, cortical, self.day_zero.cortical_mineral);
        let (rate, base) = (self.markers.trail.per_day(p.dt_days), self.baseline);
        Sample {
            day,
            bone_density,
            bone_mass: 100.0 * ratio(matrix, self.day_zero.matrix),
            site_bone_sd: spread,
            mineral_fraction: ratio(mineral, matrix),
            osteoclasts: osteoclasts as f64 / scale,
            precursors: precursors as f64 / scale,
            osteoblasts: osteoblasts as f64 / scale,
            active_bmus: active as f64,
            mean_activity: ratio(activity, osteoclasts as f64),
            osteoclast_apoptosis: ratio(deaths as f64, exposure),
            osteoclastic_drive: world.resource::<Coupling>().drive,
            mean_ros: ratio(ros, n_cells),
            mean_atp: ratio(atp, n_cells),
            mean_depolarised: ratio(dep, n_cells),
            mitochondria_per_cell: ratio(mitochondria as f64, n_cells),
            mitophagy_events: ratio(count.removed as f64, count.cell_days),
            resorbed: resorbed / n_sites,
            formed: formed / n_sites,
            remodelling_space: space / n_sites,
            spine_bmd: dxa(p.spine_cancellous_share),
            qct_vbmd: bone_density,
            spine_bmd_low_w: dxa(p.spine_cancellous_share_low),
            spine_bmd_high_w: dxa(p.spine_cancellous_share_high),
            hip_bmd: dxa(p.hip_cancellous_share),
            ctx_pct: markers::percent_of(rate.map(|r| r.resorbed), base.map(|b| b.resorbed)),
            p1np_pct: markers::percent_of(rate.map(|r| r.formed), base.map(|b| b.formed)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Params;
    use crate::model::{AtSite, CellId, Circulating, Site, Streams};
    use crate::processes::testing::{bone, steady};
    use crate::sim::world_with_rules;

    #[test]
    fn a_hand_built_world_reads_as_computed_by_hand() {
        let params = Params { sites: 3, population_scale: 2.0, ..Params::default() };
        let mut world = world_with_rules(&params, &steady(), Streams::new(1, 0));
        world.resource_mut::<Clock>().day = 7.0;
        let active = Bone { matrix: 90.0, osteoid: 5.0, mineral: 80.0, resorbed: 12.0, formed: 2.0 };
        let bmu = Bmu { age_days: 10.0, eroded: 14.0, formed: 4.0, ..Bmu::new(300) };
        world.spawn((Site { index: 0 }, active, bmu));
        world.spawn((Site { index: 1 }, Bone { matrix: 110.0, ..bone() }));
        world.spawn((Site { index: 2 }, Bone { matrix: 90.0, ..bone() }));
        // Three osteoclasts and a precursor, with 10, 20, 30, 40 mitochondria; values exact in binary.
        for (id, atp) in [0.25, 0.5, 0.75, 1.0].into_iter().enumerate() {
            let readout = MitoReadout { atp, depolarised: 0.25, ros: 1.5, mitophagy: 0.5 };
            let cell = (CellId(id as u64), AtSite(0), Mitochondria::uniform(10 * (id + 1), 10), readout);
            if id < 3 {
                world.spawn((cell, Osteoclast { activity: 0.5 * (id + 1) as f64 }));
            } else {
                world.spawn((cell, Precursor { age_days: 0.0 }));
            }
        }
        // A circulating precursor is not in any cell mean.
        world.spawn((
            CellId(9),
            Circulating,
            Mitochondria::uniform(500, 0),
            MitoReadout { atp: 9.0, depolarised: 1.0, ros: 9.0, mitophagy: 0.5 },
        ));
        *world.resource_mut::<MitophagyCount>() = MitophagyCount { removed: 30, cell_days: 12.0 };
        let mut observer = Observer::at_day_zero(&mut world, Trail::default());
        observer.day_zero = DayZero { mineral: 300.0, matrix: 290.0, cortical_mineral: 0.0 };
        *world.resource_mut::<Counters>() =
            Counters { osteoclasts_died: 3, osteoclast_days: 12.0, ..Counters::default() };
        // Mineral 80 + 95 + 95 = 270 of 300, matrix 290 of 290; quiescent sites 110 and 90: sd 10;
        // counts over sites·Ω = 6: 3 osteoclasts, 1 precursor, 300 osteoblasts; open cavity
        // 14 − 4 over 3 sites; activity (0.5 + 1 + 1.5)/3; ATP 2.5/4; 30 removed / 12 cell-days;
        // 3 deaths in 12 osteoclast-days.
        let want = Sample {
            day: 7.0,
            bone_density: 90.0,
            bone_mass: 100.0,
            site_bone_sd: 10.0,
            mineral_fraction: 270.0 / 290.0,
            osteoclasts: 0.5,
            precursors: 1.0 / 6.0,
            osteoblasts: 50.0,
            active_bmus: 1.0,
            mean_activity: 1.0,
            osteoclast_apoptosis: 0.25,
            osteoclastic_drive: 1.0,
            mean_ros: 1.5,
            mean_atp: 0.625,
            mean_depolarised: 0.25,
            mitochondria_per_cell: 25.0,
            mitophagy_events: 2.5,
            resorbed: 4.0,
            formed: 2.0 / 3.0,
            remodelling_space: 10.0 / 3.0,
            spine_bmd: 90.0,
            qct_vbmd: 90.0,
            spine_bmd_low_w: 90.0,
            spine_bmd_high_w: 90.0,
            hip_bmd: 90.0,
            ctx_pct: f64::NAN,
            p1np_pct: f64::NAN,
        };
        assert_eq!(observer.observe(&mut world), want);
        assert_eq!(*world.resource::<MitophagyCount>(), MitophagyCount::default(), "the count is reset");
        let again = observer.observe(&mut world);
        assert!(
            again.mitophagy_events.is_nan() && again.osteoclast_apoptosis.is_nan(),
            "no cell-days since: undefined"
        );
        *world.resource_mut::<MitophagyCount>() = MitophagyCount { removed: 0, cell_days: 4.0 };
        world.resource_mut::<Counters>().osteoclast_days = 16.0;
        let third = observer.observe(&mut world);
        assert_eq!((third.mitophagy_events, third.osteoclast_apoptosis), (0.0, 0.0), "rates since the previous sample");
    }

    #[test]
    fn cortical_sites_enter_the_spine_readout_alone_weighted_by_hand() {
        let params = Params { sites: 2, cortical_sites: 2, spine_cancellous_share: 0.25, ..Params::default() };
        let mut world = world_with_rules(&params, &steady(), Streams::new(1, 0));
        // Day 0: cancellous mineral 80 + 80 = 160, cortical 97 + 97 = 194.
        let at = |mineral| Bone { mineral, ..bone() };
        let cancellous = [0, 1].map(|index| world.spawn((Site { index }, at(80.0))).id());
        let cortical = [2, 3].map(|index| world.spawn((Site { index }, at(97.0), Cortical)).id());
        let mut observer = Observer::at_day_zero(&mut world, Trail::default());
        assert_eq!(observer.day_zero, DayZero { mineral: 160.0, matrix: 200.0, cortical_mineral: 194.0 });
        // Cancellous mineral up to 96 + 96 = 192 (120 %); cortical to 97 + 100.88 = 197.88 (102 %).
        for e in cancellous {
            world.get_mut::<Bone>(e).unwrap().mineral = 96.0;
        }
        world.get_mut::<Bone>(cortical[1]).unwrap().mineral = 100.88;
        // A busy cortical site with its cells: nothing of it shows in the cancellous readouts.
        let bmu = Bmu { eroded: 14.0, formed: 4.0, ..Bmu::new(300) };
        world.entity_mut(cortical[0]).insert(bmu);
        let readout = MitoReadout { atp: 0.9, depolarised: 0.9, ros: 9.0, mitophagy: 0.5 };
        world.spawn((
            CellId(1 << 62),
            AtSite(2),
            Mitochondria::uniform(10, 10),
            readout,
            Osteoclast { activity: 2.0 },
            Cortical,
        ));
        world.spawn((
            CellId((1 << 62) + 1),
            AtSite(2),
            Mitochondria::uniform(10, 10),
            readout,
            Precursor { age_days: 0.0 },
            Cortical,
        ));
        let s = observer.observe(&mut world);
        // spine = 0.25·120 + 0.75·102 = 30 + 76.5 = 106.5.
        assert!((s.bone_density - 120.0).abs() < 1e-12, "{}", s.bone_density);
        assert!((s.spine_bmd - 106.5).abs() < 1e-12, "{}", s.spine_bmd);
        // Across the share: w_low = 0.15 gives 18 + 86.7, w_high = 0.4 gives 48 + 61.2; QCT reads
        // the cancellous compartment alone.
        assert!((s.spine_bmd_low_w - 104.7).abs() < 1e-12, "{}", s.spine_bmd_low_w);
        assert!((s.spine_bmd_high_w - 109.2).abs() < 1e-12, "{}", s.spine_bmd_high_w);
        // The hip at w_hip = 0.3: 36 + 71.4.
        assert!((s.hip_bmd - 107.4).abs() < 1e-12, "{}", s.hip_bmd);
        assert_eq!(s.qct_vbmd.to_bits(), s.bone_density.to_bits());
        assert_eq!((s.osteoclasts, s.precursors, s.osteoblasts, s.active_bmus), (0.0, 0.0, 0.0, 0.0));
        // No cancellous cells: their means are undefined, not 0.
        let undefined = [s.mean_ros, s.mean_atp, s.mean_depolarised, s.mean_activity, s.mitochondria_per_cell];
        assert!(undefined.iter().all(|x| x.is_nan()), "{s:?}");
        assert_eq!(s.remodelling_space, 0.0);
        assert_eq!((s.bone_mass, s.site_bone_sd), (100.0, 0.0));
        // w = 1: the spine is the cancellous density; w = 0: the cortical one.
        for (w, want) in [(1.0, 120.0), (0.0, 102.0)] {
            world.resource_mut::<ScenarioRules>().params.spine_cancellous_share = w;
            let s = observer.observe(&mut world);
            assert!((s.spine_bmd - want).abs() < 1e-12, "w = {w}: {}", s.spine_bmd);
        }
    }
}
