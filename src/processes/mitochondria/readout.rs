//! What a cell's mitochondria add up to: ATP supply, depolarised share and ROS.
//!
//! Rule, per cell after every sub-step (p = mitochondria with h > θdep, "polarised"):
//! ```text
//! ATP  = Σ_p h / (H · N0)
//! D    = #{h ≤ θdep} / N                                   (1 when N = 0)
//! ROS  = (r_basal + Σ_all ros(h) / N0 + r_rankl · RANKL) / ((1 + antioxidant) · thiols)
//! ros(h) = leak · (H − h) / H
//! φ    = k_parkin · [PINK1 tagging] · D + k_receptor · hypoxia · (1 + s · Σ (H − h) / (H · N))
//! ```
//! φ is the cell's mitophagy flux: the expected share of its mitochondria that the two pathways
//! (`pink1_parkin.rs`, `receptor_mitophagy.rs`) remove per day in its present state; under the
//! review hypothesis it feeds the cell's fates (`apoptosis.rs`, `recruitment.rs`,
//! `resorption.rs`).
//! Damaged respiratory chains leak more electrons, so ros(h) rises as h falls; depolarised mitochondria
//! that are not cleared (PINK1 loss) keep leaking, which is how the PINK1 knock-out raises
//! mitochondrial ROS (Jang 2023). RANKL adds NADPH-oxidase ROS (TRAF6–Rac1–Nox1, Lee et al. 2005
//! Blood 106:852); NAC-like antioxidants divide it, and so does the cell's thiol antioxidant
//! capacity (GSH, thioredoxin; 1 untreated), which estrogen loss lowers (Lean 2003 JCI).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | r_basal | `ros_basal` | 0.1 | ROS units | scale choice \[U\] |
//! | leak | `ros_leak` | 1.0 | ROS units per N0 mitochondria at h = 0 | scale choice \[U\] |
//! | r_rankl | `ros_rankl` | 0.2 | ROS units per RANKL | Lee 2005 (direction \[V\], size \[U\]) |
//! | antioxidant | `antioxidant` | 0 | — | Lean 2003, Lee 2005 (direction \[V\]) |

use super::swar;
use crate::model::{Knobs, MitoReadout, Mitochondria};

/// The readout rule: the constants of the module formulas.
#[derive(Clone, Copy, Debug)]
pub struct Readout {
    top: u32,
    depolarised: u8,
    n0: f64,
    leak: f64,
    /// r_basal + r_rankl · RANKL.
    other_ros: f64,
    /// (1 + antioxidant) · thiols.
    scavenging: f64,
    /// k_parkin when PINK1 tags, else 0; k_receptor · hypoxia; receptor selectivity s.
    parkin: f64,
    receptors: f64,
    selectivity: f64,
}

impl Readout {
    pub fn new(knobs: &Knobs) -> Readout {
        let params = &knobs.params;
        Readout {
            top: params.health_levels,
            depolarised: params.depolarised_threshold as u8,
            n0: params.mitochondria_per_cell as f64,
            leak: params.ros_leak,
            other_ros: params.ros_basal + params.ros_rankl * params.rankl,
            scavenging: (1.0 + params.antioxidant) * knobs.thiol_capacity,
            parkin: if params.pink1_tagging { params.parkin_per_day } else { 0.0 },
            receptors: params.receptor_per_day * params.hypoxia,
            selectivity: params.receptor_selectivity,
        }
    }

    /// ROS of a cell whose mitochondria lack `deficit` = Σ (H − h) health levels in all.
    pub fn ros_of(&self, deficit: u64) -> f64 {
        (self.other_ros + self.leak * deficit as f64 / (f64::from(self.top) * self.n0)) / self.scavenging
    }

    /// ATP, depolarised fraction and ROS of one cell's mitochondria.
    pub fn read(&self, mito: &Mitochondria) -> MitoReadout {
        let (mut polarised_health, mut depolarised, mut health, mut n) = (0u64, 0u64, 0u64, 0u64);
        match mito {
            Mitochondria::Individual(bytes) => {
                // Eight mitochondria a word, sums in 16-bit lanes, flushed before they can overflow
                // (256 words add at most 2·63·256 to a lane).
                for block in bytes.chunks(8 * 256) {
                    let (mut ph, mut pc, mut hs) = (0u64, 0u64, 0u64);
                    swar::read(block, |w| {
                        let h = w & swar::LOW7;
                        let polarised = swar::health_above(h, self.depolarised) >> 7;
                        ph += swar::lane_sums(h & (polarised * 0xFF));
                        pc += swar::lane_sums(polarised);
                        hs += swar::lane_sums(h);
                    });
                    polarised_health += swar::total_of_lanes(ph);
                    depolarised += block.len() as u64 - swar::total_of_lanes(pc);
                    health += swar::total_of_lanes(hs);
                }
                n = bytes.len() as u64;
            }
            Mitochondria::Counts(bins) => {
                let (untagged, tagged) = bins.split_at(self.top as usize + 1);
                for (h, (&a, &b)) in untagged.iter().zip(tagged).enumerate() {
                    let (h, c) = (h as u64, u64::from(a) + u64::from(b));
                    if h > u64::from(self.depolarised) {
                        polarised_health += h * c;
                    } else {
                        depolarised += c;
                    }
                    health += h * c;
                    n += c;
                }
            }
        }
        let top = f64::from(self.top);
        let atp = polarised_health as f64 / (top * self.n0);
        let d = if n == 0 { 1.0 } else { depolarised as f64 / n as f64 };
        let deficit = n * u64::from(self.top) - health;
        let ros = self.ros_of(deficit);
        let mean_deficit = if n == 0 { 0.0 } else { deficit as f64 / (n as f64 * top) };
        let mitophagy = self.parkin * d + self.receptors * (1.0 + self.selectivity * mean_deficit);
        MitoReadout { atp, depolarised: d, ros, mitophagy }
    }
}

/// The readout of `mito` under `knobs`.
pub fn read(mito: &Mitochondria, knobs: &Knobs) -> MitoReadout {
    Readout::new(knobs).read(mito)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Params;
    use crate::model::Knobs;

    #[test]
    fn readout_by_hand() {
        let p = Params {
            mitochondria_per_cell: 4,
            parkin_per_day: 4.0,
            receptor_per_day: 0.1,
            receptor_selectivity: 1.0,
            ..Params::default()
        };
        let knobs = Knobs::untreated(&p);
        // Mitochondria 10, 6, 3 (depolarised), 0 (depolarised); H = 10, N0 = 4.
        let bytes = Mitochondria::Individual(vec![10, 6, 3 | Mitochondria::TAG, 0]);
        let counted = Mitochondria::Counts(bytes.histogram(10));
        for m in [&bytes, &counted] {
            let r = read(m, &knobs);
            assert!((r.atp - 16.0 / 40.0).abs() < 1e-12);
            assert!((r.depolarised - 0.5).abs() < 1e-12);
            let leak = (0.0 + 4.0 + 7.0 + 10.0) / 40.0;
            assert!((r.ros - (0.1 + leak + 0.2)).abs() < 1e-12);
            // φ = k_parkin·D + k_receptor·hypoxia·(1 + s·mean deficit) = 4·0.5 + 0.1·(1 + 21/40).
            assert!((r.mitophagy - (2.0 + 0.1 * (1.0 + 21.0 / 40.0))).abs() < 1e-12, "{}", r.mitophagy);
        }
        let env2 = Knobs { thiol_capacity: 0.5, ..Knobs::untreated(&Params { antioxidant: 1.0, ..p.clone() }) };
        assert!((read(&Mitochondria::uniform(1, 10), &env2).ros - (0.1 + 0.2) / (2.0 * 0.5)).abs() < 1e-12);
        assert_eq!(read(&Mitochondria::default(), &knobs).depolarised, 1.0);
        assert_eq!(read(&Mitochondria::counted(0, 10, 10), &knobs).depolarised, 1.0);
    }
}
