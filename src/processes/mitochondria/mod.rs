//! The mitochondrial layer: every precursor and osteoclast carries its own mitochondria, each a
//! discrete health level h ∈ {0..H} (a membrane-potential proxy, after Patel et al. 2013 PLoS
//! Comput Biol 9:e1003108) and a PINK1 tag. One mitochondrial sub-step runs, in this order:
//!
//! 1. [`damage`]: ROS-driven loss of health;
//! 2. [`fusion`]: selective fusion–fission among polarised units;
//! 3. [`pink1_parkin`]: PINK1 tagging of depolarised units, Parkin-dependent removal;
//! 4. [`receptor_mitophagy`]: BNIP3/NIX/FUNDC1 removal, weakly selective;
//! 5. [`biogenesis`]: PGC-1β-driven renewal towards a ROS-dependent target count;
//! 6. [`readout`]: the cell's ATP, depolarised fraction and ROS, which the next sub-step and the
//!    cell fates read.
//!
//! The sub-step length is `dt_days / ceil(24·dt_days / mito_dt_hours)`, so mitochondria never
//! step longer than `mito_dt_hours` and a whole number of sub-steps fills each cell step.

pub mod biogenesis;
pub mod damage;
pub mod fusion;
pub mod pink1_parkin;
pub mod readout;
pub mod receptor_mitophagy;

/// Remove the units at `sorted` (increasing, distinct) indices. Units are an unordered
/// population, so each removal swaps the last unit into the gap: O(removed), not O(units).
pub fn remove_indices(units: &mut Vec<u8>, sorted: &[usize]) {
    for &i in sorted.iter().rev() {
        units.swap_remove(i);
    }
}

pub use biogenesis::renew_mitochondria;
pub use damage::damage_mitochondria;
pub use fusion::fuse_mitochondria;
pub use pink1_parkin::{clear_tagged_mitochondria, tag_depolarised_mitochondria};
pub use readout::read_mitochondria;
pub use receptor_mitophagy::clear_by_receptors;
