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
            units += mito.units.len() as u64;
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
