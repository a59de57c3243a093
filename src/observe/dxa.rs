//! The DXA readouts: areal BMD of a two-compartment bone, as a scanner sums the mineral it sees.
//!
//! ```text
//! areal_bmd(w) = w · bone_density + (1 − w) · 100 · Σ_c mineral_c / Σ_c mineral_c(day 0)
//! ```
//! with `bone_density` the cancellous sites' density (% of day 0) and c over the cortical sites;
//! `bone_density` itself without cortical sites. Each readout is this at its own share w:
//!
//! | readout | symbol | key | default | unit | source |
//! |---|---|---|---|---|---|
//! | `spine_bmd` | w | `spine_cancellous_share` | 0.25 | of AP spine BMC | posterior elements 51.4 % of L3 BMC (Lee et al. 2009 JBMR 24:1398 \[V abstract\]) × trabecular bone ~52 % of the vertebral body's BMD (Swanpalmer et al. 1998 Appl Radiat Isot 49:1511 \[V abstract\]): 0.486 × 0.52 ≈ 0.25 |
//! | `spine_bmd_low_w` | w_low | `spine_cancellous_share_low` | 0.15 | of AP spine BMC | postmenopausal spines \[U\]: Lee 2009 was of ages 6–25; posterior elements at its mean + 2 SD (≈ 60 %) × trabecular bone 40 % of the body: 0.40 × 0.40 ≈ 0.15; older spines add osteophytes, facet arthritis and aortic calcification, all non-trabecular signal |
//! | `spine_bmd_high_w` | w_high | `spine_cancellous_share_high` | 0.40 | of AP spine BMC | posterior elements at the mean − 2 SD (43 %) × trabecular bone two-thirds of the body \[U\]: 0.57 × 0.66 ≈ 0.38, rounded to 0.40 |
//! | `hip_bmd` | w_hip | `hip_cancellous_share` | 0.30 | of total-hip BMC | the femoral neck about a quarter trabecular and the trochanter about half \[R\], the intertrochanteric region, which holds most of the total hip's mineral, mostly cortical: about 0.3 \[U\] |
//! | — | — | `cortical_sites` | 0 | sites | cortical bone beside the `sites` cancellous ones (`processes/activation.rs`); 0: every readout is `bone_density` |
//!
//! The clinical BMD targets (FREEDOM, FIT, SWAN) are anteroposterior lumbar-spine DXA, where
//! cancellous bone is only part of the signal. w_low and w_high bracket w, since the one w is
//! sourced from young spines: a spine result should hold across them. The hip is read from the
//! same two compartments as the spine: its cortical and cancellous bone are not simulated apart,
//! so the hip's own turnover (its cortex is thicker, its cancellous bone sparser) is not in it.

/// Areal BMD at cancellous share `w`, from the cancellous `bone_density` and the cortical sites'
/// `mineral` against its day-0 `reference` (`bone_density` itself without cortical bone).
pub(super) fn areal_bmd(w: f64, bone_density: f64, mineral: f64, reference: f64) -> f64 {
    if reference > 0.0 { w * bone_density + (1.0 - w) * 100.0 * mineral / reference } else { bone_density }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_cortical_sites_every_readout_is_exactly_the_cancellous_density() {
        assert_eq!(areal_bmd(0.25, 103.7, 0.0, 0.0), 103.7);
        assert_eq!(areal_bmd(0.3, 1.0 / 3.0, 0.0, 0.0), 1.0 / 3.0);
    }

    #[test]
    fn the_share_weights_the_two_compartments() {
        // Cancellous 120 %, cortical 98/97·100 %: w = 0.3 gives 36 + 0.7·101.03…
        let want = 0.3 * 120.0 + 0.7 * 100.0 * 98.0 / 97.0;
        assert!((areal_bmd(0.3, 120.0, 98.0, 97.0) - want).abs() < 1e-12);
        assert_eq!(areal_bmd(1.0, 120.0, 98.0, 97.0), 120.0);
    }
}
