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
