//! What a cell's mitochondria add up to: ATP supply, depolarised share and ROS.
//!
//! Rule, per cell after every sub-step (p = units with h > θdep, "polarised"):
//! ```text
//! ATP  = Σ_p h / (H · N0)
//! D    = #{h ≤ θdep} / N                                   (1 when N = 0)
//! ROS  = (r_basal + Σ_all ros(h) / N0 + r_rankl · RANKL) / ((1 + antioxidant) · thiols)
//! ros(h) = leak · (H − h) / H
//! ```
//! Damaged respiratory chains leak more electrons, so ros(h) rises as h falls; depolarised units
//! that are not cleared (PINK1 loss) keep leaking, which is how the PINK1 knock-out raises
//! mitochondrial ROS (Jang 2023). RANKL adds NADPH-oxidase ROS (TRAF6–Rac1–Nox1, Lee et al. 2005
//! Blood 106:852); NAC-like antioxidants divide it, and so does the cell's thiol antioxidant
//! capacity (GSH, thioredoxin; 1 untreated), which estrogen loss lowers (Lean 2003 JCI).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | r_basal | `ros_basal` | 0.1 | ROS units | scale choice [U] |
//! | leak | `ros_leak` | 1.0 | ROS units per N0 units at h = 0 | scale choice [U] |
//! | r_rankl | `ros_rankl` | 0.2 | ROS units per RANKL | Lee 2005 (direction [V], size [U]) |
//! | antioxidant | `antioxidant` | 0 | — | Lean 2003, Lee 2005 (direction [V]) |

use crate::config::Params;
use crate::model::{Environment, MitoReadout, Mitochondria};
use bevy_ecs::prelude::{Query, Res};

/// ATP, depolarised fraction and ROS of one set of mitochondria.
pub fn read(units: &[u8], params: &Params, env: &Environment) -> (f64, f64, f64) {
    let top = params.health_levels;
    let dep = params.depolarised_threshold as u8;
    let (mut polarised_health, mut depolarised, mut deficit) = (0u32, 0u32, 0u32);
    for &u in units {
        let h = Mitochondria::health(u);
        if h > dep {
            polarised_health += h as u32;
        } else {
            depolarised += 1;
        }
        deficit += top - h as u32;
    }
    let n0 = params.mitochondria_per_cell as f64;
    let atp = polarised_health as f64 / (top as f64 * n0);
    let d = if units.is_empty() { 1.0 } else { depolarised as f64 / units.len() as f64 };
    let leak = params.ros_leak * deficit as f64 / (top as f64 * n0);
    let ros = (params.ros_basal + leak + params.ros_rankl * env.rankl) / ((1.0 + env.antioxidant) * env.thiol_capacity);
    (atp, d, ros)
}

/// Recompute every cell's readout from its mitochondria.
pub fn read_mitochondria(params: Res<Params>, env: Res<Environment>, mut cells: Query<(&Mitochondria, &mut MitoReadout)>) {
    for (mito, mut readout) in &mut cells {
        let (atp, depolarised, ros) = read(&mito.units, &params, &env);
        readout.atp = atp;
        readout.depolarised = depolarised;
        readout.ros = ros;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::interventions::untreated;

    #[test]
    fn readout_by_hand() {
        let p = Params { mitochondria_per_cell: 4, ..Params::default() };
        let env = untreated(&p);
        // Units 10, 6, 3 (depolarised), 0 (depolarised); H = 10, N0 = 4.
        let (atp, d, ros) = read(&[10, 6, 3 | Mitochondria::TAG, 0], &p, &env);
        assert!((atp - 16.0 / 40.0).abs() < 1e-12);
        assert!((d - 0.5).abs() < 1e-12);
        let leak = (0.0 + 4.0 + 7.0 + 10.0) / 40.0;
        assert!((ros - (0.1 + leak + 0.2)).abs() < 1e-12);
        let env2 = Environment { antioxidant: 1.0, thiol_capacity: 0.5, ..env };
        assert!((read(&[10], &p, &env2).2 - (0.1 + 0.2) / (2.0 * 0.5)).abs() < 1e-12);
        assert_eq!(read(&[], &p, &env).1, 1.0);
    }
}
