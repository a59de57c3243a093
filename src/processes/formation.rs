//! Bone formation: osteoblasts above the kernel's steady state lay down osteoid.
//!
//! Rule, per active BMU per step Δt:
//! ```text
//! y2 = (N2/Ω − x̄2)+,    Δz = k2 · y2 · Δt   (new matrix, unmineralised osteoid)
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | k2 | `k2_pct_per_cell_day` | 0.0017 | % per model cell per day | Komarova 2003 (bone-neutral deterministic cycle) |
//! | x̄2 | from the kernel | 212.13 | model cells | Komarova 2003 |

use crate::config::Params;
use crate::model::{Bmu, Bone};
use bevy_ecs::prelude::{Query, Res};

/// Excess osteoblasts form osteoid.
pub fn form_osteoid(params: Res<Params>, mut sites: Query<(&mut Bone, &Bmu)>) {
    let (_, x2_bar) = params.kernel().steady_state();
    for (mut bone, bmu) in &mut sites {
        let y2 = (bmu.osteoblasts as f64 / params.population_scale - x2_bar).max(0.0);
        let dz = params.k2_pct_per_cell_day * y2 * params.dt_days;
        if dz > 0.0 {
            bone.matrix += dz;
            bone.osteoid += dz;
            bone.formed += dz;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{bmu, bone, one_system_world};

    #[test]
    fn excess_osteoblasts_lay_down_osteoid_and_none_at_steady_state() {
        let (mut world, mut schedule) = one_system_world(form_osteoid);
        world.resource_mut::<Params>().population_scale = 2.0;
        // Ω = 2, x̄2 = 15/√0.005 = 212.132: N2 = 600 gives y2 = 300 − 212.132 = 87.868,
        // Δz = k2·y2·Δt = 0.0017 · 87.868 · 0.1 = 0.0149376. N2 = 424 (x2 = 212) and 0 give nothing.
        let start = Bone { osteoid: 1.0, formed: 2.0, ..bone() };
        let [busy, at_rest, empty] = [600, 424, 0].map(|n2| world.spawn((start, bmu(n2))).id());
        let quiescent = world.spawn(start).id();
        schedule.run(&mut world);
        let dz = 0.0017 * (300.0 - 15.0 / 0.005f64.sqrt()) * 0.1;
        assert!((dz - 0.0149376).abs() < 1e-7);
        let b = *world.get::<Bone>(busy).unwrap();
        for (a, want) in [(b.matrix, 100.0 + dz), (b.osteoid, 1.0 + dz), (b.formed, 2.0 + dz), (b.mineral, 95.0)] {
            assert!((a - want).abs() < 1e-12, "{b:?}");
        }
        for e in [at_rest, empty, quiescent] {
            assert_eq!(*world.get::<Bone>(e).unwrap(), start);
        }
    }
}
