//! Mitochondrial biogenesis: PGC-1β drives new mitochondria towards a target count that rises with ROS
//! (ROS → CREB → PGC-1β, Ishii et al. 2009 Nat Med).
//!
//! Rule, per cell per sub-step of length Δt:
//! ```text
//! N_target = N0 · (1 + b_ros · ROS)
//! new mitochondria ~ Poisson(k_bio · (N_target − N)+ · Δt),   each at h = H, untagged,
//! N never exceeds max_mitochondria_factor · N0
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | N0 | `mitochondria_per_cell` | 100 | mitochondria | no osteoclast count found; QC models use hundreds (\[U\]); 100 keeps the baseline fast |
//! | k_bio | `biogenesis_per_day` | 5 | /day per missing mitochondrion | chosen so the count stays within ~10 % of target at 0.35 /day turnover \[U\] |
//! | b_ros | `biogenesis_ros_gain` | 0.2 | per ROS unit | ROS → PGC-1β (Ishii 2009 \[V\] qualitative; size \[U\]) |
//! | — | `max_mitochondria_factor` | 4 | × N0 | safety bound on memory \[choice\] |

use crate::model::{Knobs, Mitochondria, Stream};
use rand::RngExt;
use rand_distr::Poisson;

/// The biogenesis rule of one sub-step.
#[derive(Clone, Copy, Debug)]
pub struct Biogenesis {
    n0: f64,
    cap: usize,
    per_day: f64,
    ros_gain: f64,
    dt: f64,
    fresh: u8,
}

impl Biogenesis {
    pub fn new(knobs: &Knobs, dt: f64) -> Biogenesis {
        let params = &knobs.params;
        let n0 = params.mitochondria_per_cell as f64;
        Biogenesis {
            n0,
            cap: (params.max_mitochondria_factor * n0) as usize,
            per_day: params.biogenesis_per_day,
            ros_gain: params.biogenesis_ros_gain,
            dt,
            fresh: params.health_levels as u8,
        }
    }

    /// How many new mitochondria a cell of `n` mitochondria at `ros` makes this sub-step (within the cap).
    pub fn new_mitochondria(&self, n: usize, ros: f64, rng: &mut Stream) -> usize {
        let target = self.n0 * (1.0 + self.ros_gain * ros);
        let mean = self.per_day * (target - n as f64).max(0.0) * self.dt;
        let Ok(poisson) = Poisson::new(mean) else { return 0 };
        (rng.sample(poisson) as usize).min(self.cap.saturating_sub(n))
    }

    /// Add `new` fresh mitochondria (health H, untagged).
    pub fn add(&self, mito: &mut Mitochondria, new: usize) {
        match mito {
            Mitochondria::Individual(bytes) => bytes.resize(bytes.len() + new, self.fresh),
            Mitochondria::Counts(bins) => bins[self.fresh as usize] += new as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Params;
    use crate::model::Knobs;
    use crate::model::{Process, Streams};

    /// Run biogenesis alone on a cell of `n` mitochondria at `ros` for `substeps` of 1/30 day.
    fn grow(n: usize, ros: f64, substeps: u64, counted: bool) -> usize {
        let p = Params::default();
        let rule = Biogenesis::new(&Knobs::untreated(&p), 1.0 / 30.0);
        let mut m = if counted { Mitochondria::counted(n as u32, 10, 10) } else { Mitochondria::uniform(n, 10) };
        for step in 0..substeps {
            let new =
                rule.new_mitochondria(m.len(), ros, &mut Streams::new(42, 0).stream(Process::Biogenesis, 1, step));
            rule.add(&mut m, new);
        }
        m.len()
    }

    #[test]
    fn biogenesis_refills_towards_the_target_and_no_further() {
        for counted in [false, true] {
            // 2 days at k_bio = 5 /day: the gap of 80 shrinks by e^(−10); within noise of 100.
            let low = grow(20, 0.0, 60, counted);
            assert!((95..=105).contains(&low), "{low}");
            assert_eq!(grow(100, 0.0, 60, counted), 100, "a cell at target makes none");
        }
    }

    #[test]
    fn ros_raises_the_target() {
        let n = grow(100, 2.0, 90, false);
        assert!((130..=150).contains(&n), "target 140, got {n}");
    }
}
