//! The observation phase: whole-tissue readouts out of the World, outside every rule.
//!
//! ```text
//! bone_density     = 100 · Σ_s mineral_s / Σ_s mineral_s(day 0)
//! bone_mass        = 100 · Σ_s z_s / Σ_s z_s(day 0)
//! osteoclasts      = #osteoclasts / (sites · Ω)        (and likewise precursors, osteoblasts)
//! remodelling_space = Σ_active (z_start − z)+ / sites
//! mitophagy_events = units removed / cell-days, since the previous sample
//! ```

use crate::config::Params;
use crate::model::{Bmu, Bone, Clock, MitoReadout, Mitochondria, MitophagyCount, Osteoclast, Precursor};
use crate::record::Sample;
use bevy_ecs::prelude::*;

/// Day-0 totals that densities are expressed against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference {
    pub mineral: f64,
    pub matrix: f64,
}

impl Reference {
    pub fn of(world: &mut World) -> Reference {
        let mut q = world.query::<&Bone>();
        let (mineral, matrix) = q.iter(world).fold((0.0, 0.0), |(m, z), b| (m + b.mineral, z + b.matrix));
        Reference { mineral, matrix }
    }
}

/// Takes samples; remembers the day-0 reference.
pub struct Observer {
    reference: Reference,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b != 0.0 { a / b } else { 0.0 }
}

impl Observer {
    pub fn new(reference: Reference) -> Observer {
        Observer { reference }
    }

    /// A sample of the World now; resets the mitophagy count.
    pub fn observe(&mut self, world: &mut World) -> Sample {
        let p = world.resource::<Params>().clone();
        let day = world.resource::<Clock>().day;
        let scale = p.sites as f64 * p.population_scale;
        let (mut mineral, mut matrix, mut resorbed, mut formed) = (0.0, 0.0, 0.0, 0.0);
        let (mut osteoblasts, mut active, mut space) = (0u64, 0u64, 0.0);
        let mut sites = world.query::<(&Bone, Option<&Bmu>)>();
        for (bone, bmu) in sites.iter(world) {
            mineral += bone.mineral;
            matrix += bone.matrix;
            resorbed += bone.resorbed;
            formed += bone.formed;
            if let Some(bmu) = bmu {
                osteoblasts += bmu.osteoblasts as u64;
                active += 1;
                space += (bmu.matrix_at_start - bone.matrix).max(0.0);
            }
        }
        let (mut osteoclasts, mut precursors) = (0u64, 0u64);
        let (mut ros, mut atp, mut dep, mut units) = (0.0, 0.0, 0.0, 0u64);
        let mut cells = world.query::<(&Mitochondria, &MitoReadout, Has<Osteoclast>, Has<Precursor>)>();
        for (mito, readout, is_oc, is_pre) in cells.iter(world) {
            osteoclasts += is_oc as u64;
            precursors += is_pre as u64;
            ros += readout.ros;
            atp += readout.atp;
            dep += readout.depolarised;
            units += mito.len() as u64;
        }
        let n_cells = (osteoclasts + precursors) as f64;
        let count = std::mem::take(&mut *world.resource_mut::<MitophagyCount>());
        let n_sites = p.sites as f64;
        Sample {
            day,
            bone_density: 100.0 * ratio(mineral, self.reference.mineral),
            bone_mass: 100.0 * ratio(matrix, self.reference.matrix),
            mineral_fraction: ratio(mineral, matrix),
            osteoclasts: osteoclasts as f64 / scale,
            precursors: precursors as f64 / scale,
            osteoblasts: osteoblasts as f64 / scale,
            active_bmus: active as f64,
            mean_ros: ratio(ros, n_cells),
            mean_atp: ratio(atp, n_cells),
            mean_depolarised: ratio(dep, n_cells),
            mitochondria_per_cell: ratio(units as f64, n_cells),
            mitophagy_events: ratio(count.removed as f64, count.cell_days),
            resorbed: resorbed / n_sites,
            formed: formed / n_sites,
            remodelling_space: space / n_sites,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AtSite, CellId, Site, Streams};
    use crate::processes::testing::{bone, steady};
    use crate::sim::world_with_rules;

    #[test]
    fn a_hand_built_world_reads_as_computed_by_hand() {
        let params = Params { sites: 2, population_scale: 2.0, ..Params::default() };
        let mut world = world_with_rules(&params, &steady(), Streams::new(1, 0));
        world.resource_mut::<Clock>().day = 7.0;
        let active = Bone { matrix: 90.0, osteoid: 5.0, mineral: 80.0, resorbed: 12.0, formed: 2.0 };
        world.spawn((Site { index: 0 }, active, Bmu { age_days: 10.0, osteoblasts: 300, matrix_at_start: 100.0 }));
        world.spawn((Site { index: 1 }, bone()));
        // Three osteoclasts and a precursor, with 10, 20, 30, 40 mitochondria; values exact in binary.
        for (id, atp) in [0.25, 0.5, 0.75, 1.0].into_iter().enumerate() {
            let readout = MitoReadout { atp, depolarised: 0.25, ros: 1.5 };
            let cell = (CellId(id as u64), AtSite(0), Mitochondria::uniform(10 * (id + 1), 10), readout);
            if id < 3 {
                world.spawn((cell, Osteoclast { activity: 1.0 }));
            } else {
                world.spawn((cell, Precursor { age_days: 0.0 }));
            }
        }
        *world.resource_mut::<MitophagyCount>() = MitophagyCount { removed: 30, cell_days: 12.0 };
        let mut observer = Observer::new(Reference { mineral: 190.0, matrix: 200.0 });
        // Mineral 80 + 95 = 175 of 190, matrix 190 of 200; counts over sites·Ω = 4: 3 osteoclasts,
        // 1 precursor, 300 osteoblasts; space (100 − 90)/2 sites; ATP 2.5/4; 30 removed / 12 cell-days.
        let want = Sample {
            day: 7.0,
            bone_density: 100.0 * (175.0 / 190.0),
            bone_mass: 95.0,
            mineral_fraction: 175.0 / 190.0,
            osteoclasts: 0.75,
            precursors: 0.25,
            osteoblasts: 75.0,
            active_bmus: 1.0,
            mean_ros: 1.5,
            mean_atp: 0.625,
            mean_depolarised: 0.25,
            mitochondria_per_cell: 25.0,
            mitophagy_events: 2.5,
            resorbed: 6.0,
            formed: 1.0,
            remodelling_space: 5.0,
        };
        assert_eq!(observer.observe(&mut world), want);
        assert_eq!(*world.resource::<MitophagyCount>(), MitophagyCount::default(), "the count is reset");
        assert_eq!(observer.observe(&mut world).mitophagy_events, 0.0);
    }
}
