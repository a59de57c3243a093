//! What one run reports: a row of whole-tissue readouts per recorded day, and the run's totals.
//!
//! These are plain data. The observation phase (`observe.rs`) fills them from the World; the
//! output layer (`output/`) writes them. Neither side knows the other.

/// Defines [`Sample`], [`METRICS`] (its metric names, in column order) and the conversions to and
/// from values in that order, from one list, so the four cannot disagree.
macro_rules! samples {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// Whole-tissue readouts at one recorded day of one run.
        ///
        /// A value is NaN when it is undefined: a mean or rate over no cells, cell-days or sites
        /// (`observe.rs`). NaN is written as an empty field and left out of every summary, effect
        /// and curve, so it is never read as 0.
        ///
        /// `osteoclasts`, `precursors` and `osteoblasts` are counts divided by the number of
        /// (cancellous) sites and by the population scale Ω, so on one site they compare directly
        /// to Komarova's x1 and x2.
        ///
        /// Two samples are equal when every value is the same bits, so an undefined value equals
        /// itself (as it reads back from a unit file) and a determinism check can compare them.
        #[derive(Clone, Debug, Default)]
        pub struct Sample {
            pub day: f64,
            $($(#[$doc])* pub $name: f64,)*
        }

        /// Names of the metrics in a [`Sample`], in column order; `summary.csv` uses the same.
        pub const METRICS: [&str; [$(stringify!($name)),*].len()] = [$(stringify!($name)),*];

        impl PartialEq for Sample {
            fn eq(&self, other: &Sample) -> bool {
                self.day.to_bits() == other.day.to_bits()
                    && self.values().map(f64::to_bits) == other.values().map(f64::to_bits)
            }
        }

        impl Sample {
            /// The metric values in [`METRICS`] order.
            pub fn values(&self) -> [f64; METRICS.len()] {
                [$(self.$name),*]
            }

            /// The sample of `day` with metric values `v` in [`METRICS`] order: the inverse of
            /// [`values`](Self::values).
            pub fn from_values(day: f64, v: [f64; METRICS.len()]) -> Sample {
                let [$($name),*] = v;
                Sample { day, $($name),* }
            }
        }
    };
}

samples! {
    /// Mean over the cancellous sites of mineral mass, % of its value at day 0 (bone mass ×
    /// mineral fraction). Every metric but the DXA ones (`spine_bmd`, its w range, `hip_bmd`) and
    /// the markers (`ctx_pct`, `p1np_pct`) reads the cancellous sites and their cells only, so
    /// cortical sites (`cortical_sites`) leave them unchanged in meaning.
    bone_density,
    /// Mean over sites of bone matrix mass z, % of initial.
    bone_mass,
    /// Standard deviation over sites of z (% of a site's initial bone): how far sites have
    /// wandered apart.
    site_bone_sd,
    /// Mineral mass / matrix mass, 1 = fully mineralised.
    mineral_fraction,
    osteoclasts,
    precursors,
    osteoblasts,
    /// Sites hosting an active BMU.
    active_bmus,
    /// Mean resorption activity a_i of the osteoclasts (undefined when there are none).
    mean_activity,
    /// Osteoclast deaths per osteoclast-day since the previous row.
    osteoclast_apoptosis,
    /// κ, the osteoclastic drive relative to the untreated reference (`processes/coupling.rs`).
    osteoclastic_drive,
    /// Mean cell ROS over precursors and osteoclasts (undefined when there are none).
    mean_ros,
    /// Mean cell ATP over precursors and osteoclasts (undefined when there are none).
    mean_atp,
    /// Mean depolarised fraction over precursors and osteoclasts.
    mean_depolarised,
    /// Mean number of mitochondria per precursor or osteoclast.
    mitochondria_per_cell,
    /// Mitochondria removed by mitophagy (both pathways) since the previous row, per cell-day.
    mitophagy_events,
    /// Bone resorbed since day 0, mean over sites, % of initial site bone.
    resorbed,
    /// Bone formed since day 0, mean over sites, % of initial site bone.
    formed,
    /// Bone eroded and not yet refilled by the active BMUs, averaged over all (cancellous) sites,
    /// % of a site's initial bone.
    remodelling_space,
    /// Anteroposterior lumbar-spine DXA BMD, % of day 0: w·bone_density + (1 − w)·cortical
    /// density (the cortical sites' mineral mass, % of its day-0 value), w =
    /// `spine_cancellous_share`; exactly `bone_density` without cortical sites.
    spine_bmd,
    /// Vertebral trabecular volumetric BMD as QCT measures it, % of day 0: the cancellous sites'
    /// density, the same number as `bone_density` under the name a clinician looks for.
    qct_vbmd,
    /// `spine_bmd` at the low end of the plausible cancellous share (`spine_cancellous_share_low`).
    spine_bmd_low_w,
    /// `spine_bmd` at the high end of the plausible cancellous share (`spine_cancellous_share_high`).
    spine_bmd_high_w,
    /// Total-hip DXA aBMD, % of day 0: w_hip·bone_density + (1 − w_hip)·cortical density, w_hip =
    /// `hip_cancellous_share`; the same compartments as the spine's, weighted as the hip's
    /// mineral is (`observe/mod.rs`); exactly `bone_density` without cortical sites.
    hip_bmd,
    /// Resorption marker (serum CTX), % of day 0: bone resorbed per day at every site, cancellous
    /// and cortical, averaged over the `marker_window_days` before the sample (`observe/markers.rs`).
    ctx_pct,
    /// Formation marker (serum P1NP), % of day 0: bone matrix (collagen) formed per day at every
    /// site, averaged over the `marker_window_days` before the sample.
    p1np_pct,
}

/// The unit of each of [`METRICS`], in the same order (`targets.csv` names it beside an absolute
/// target; an effect is a difference in it). No unit holds a comma, so CSV fields stay unquoted.
pub const UNITS: [&str; METRICS.len()] = [
    "% of day 0",         // bone_density
    "% of day 0",         // bone_mass
    "% of site bone",     // site_bone_sd
    "fraction",           // mineral_fraction
    "cells per site / Ω", // osteoclasts
    "cells per site / Ω", // precursors
    "cells per site / Ω", // osteoblasts
    "sites",              // active_bmus
    "relative activity",  // mean_activity
    "per osteoclast-day", // osteoclast_apoptosis
    "relative drive",     // osteoclastic_drive
    "model units",        // mean_ros
    "fraction of full",   // mean_atp
    "fraction",           // mean_depolarised
    "mitochondria",       // mitochondria_per_cell
    "per cell-day",       // mitophagy_events
    "% of site bone",     // resorbed
    "% of site bone",     // formed
    "% of site bone",     // remodelling_space
    "% of day 0",         // spine_bmd
    "% of day 0",         // qct_vbmd
    "% of day 0",         // spine_bmd_low_w
    "% of day 0",         // spine_bmd_high_w
    "% of day 0",         // hip_bmd
    "% of baseline",      // ctx_pct: of the mean over the half year before day 0
    "% of baseline",      // p1np_pct
];

/// The unit of each of [`BIOPSY`], in the same order.
pub const BIOPSY_UNITS: [&str; BIOPSY.len()] = [
    "per site per year",
    "days",
    "days",
    "days",
    "% of site bone",
    "% of site bone",
    "% of site bone",
    "% of bone",
    "% per year",
];

/// The unit of a metric or biopsy index by name (empty for an unknown name).
pub fn unit(metric: &str) -> &'static str {
    let of = |names: &[&str], units: &[&'static str]| names.iter().position(|m| *m == metric).map(|i| units[i]);
    of(&METRICS, &UNITS).or_else(|| of(&BIOPSY, &BIOPSY_UNITS)).unwrap_or("")
}

/// `x` rounded to the decimal places of `unit` as written (`0.1`: one), so a day that is a whole
/// number of steps of `unit` is written as it is meant (`0.3`, not `0.30000000000000004`, the
/// sum of three 0.1s); `x` itself when `unit` has no short decimal form.
pub fn at_precision_of(x: f64, unit: f64) -> f64 {
    let text = format!("{unit}");
    let decimals = match text.split_once('.') {
        None if !text.contains('e') => 0,
        Some((_, d)) if d.len() <= 12 && !d.contains('e') => d.len() as i32,
        _ => return x,
    };
    let scale = 10f64.powi(decimals);
    let rounded = (x * scale).round() / scale;
    if rounded.is_finite() && (rounded - x).abs() <= 1e-9 * unit.abs() { rounded } else { x }
}

/// `x` to 12 significant digits: what a sum of many small increments means, without the float
/// noise of the summing (`25.875`, not `25.874999999999886`). Non-finite values are left alone.
pub fn meant(x: f64) -> f64 {
    if x.is_finite() { format!("{x:.11e}").parse().unwrap_or(x) } else { x }
}

/// Which [`METRICS`] can never be negative, in the same order: their confidence intervals are
/// clamped at 0 in `summary.csv` and in the plots (a Student-t interval around a small mean of a
/// count or rate can reach below 0; the quantity cannot). Every metric today is a mass, fraction,
/// count per site, rate or mean of non-negative cell readouts, so every entry is `true`; a signed
/// metric added later (a balance, say) gets `false`. Effects (differences) are never clamped.
pub const NON_NEGATIVE: [bool; METRICS.len()] = [
    true, // bone_density: % of day 0, bone is never below 0
    true, // bone_mass
    true, // site_bone_sd: a standard deviation
    true, // mineral_fraction
    true, // osteoclasts: a count per site / Ω
    true, // precursors
    true, // osteoblasts
    true, // active_bmus: a count
    true, // mean_activity: (ATP/ATP0)^e ≥ 0
    true, // osteoclast_apoptosis: deaths per osteoclast-day
    true, // osteoclastic_drive: κ, a ratio of rates
    true, // mean_ros
    true, // mean_atp
    true, // mean_depolarised: a fraction
    true, // mitochondria_per_cell: a count
    true, // mitophagy_events: removals per cell-day
    true, // resorbed: cumulative
    true, // formed: cumulative
    true, // remodelling_space
    true, // spine_bmd: a weighted mean of two densities, each never below 0
    true, // qct_vbmd: bone_density
    true, // spine_bmd_low_w
    true, // spine_bmd_high_w
    true, // hip_bmd: a weighted mean of two densities
    true, // ctx_pct: a rate of resorption over a positive baseline
    true, // p1np_pct: a rate of formation over a positive baseline
];

/// The virtual biopsy of one recorded year (`observe/biopsy.rs` defines each column).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BiopsyRow {
    pub year: u32,
    pub activation_per_site_per_year: f64,
    pub resorption_days: f64,
    pub reversal_days: f64,
    pub formation_days: f64,
    pub eroded_pct: f64,
    pub formed_pct: f64,
    pub balance_pct: f64,
    pub remodelling_space_pct: f64,
    pub turnover_pct_per_year: f64,
}

/// Names of the biopsy columns after `year`, in [`BiopsyRow::values`] order.
pub const BIOPSY: [&str; 9] = [
    "activation_per_site_per_year",
    "resorption_days",
    "reversal_days",
    "formation_days",
    "eroded_pct",
    "formed_pct",
    "balance_pct",
    "remodelling_space_pct",
    "turnover_pct_per_year",
];

/// Which [`BIOPSY`] indices can never be negative (intervals clamped at 0 in the plots): all but
/// the balance (formed − eroded).
pub const BIOPSY_NON_NEGATIVE: [bool; BIOPSY.len()] = [true, true, true, true, true, true, false, true, true];

impl BiopsyRow {
    /// The row of `year` with indices `v` in [`BIOPSY`] order: the inverse of
    /// [`values`](Self::values).
    pub fn from_values(year: u32, v: [f64; BIOPSY.len()]) -> BiopsyRow {
        let [
            activation_per_site_per_year,
            resorption_days,
            reversal_days,
            formation_days,
            eroded_pct,
            formed_pct,
            balance_pct,
            remodelling_space_pct,
            turnover_pct_per_year,
        ] = v;
        BiopsyRow {
            year,
            activation_per_site_per_year,
            resorption_days,
            reversal_days,
            formation_days,
            eroded_pct,
            formed_pct,
            balance_pct,
            remodelling_space_pct,
            turnover_pct_per_year,
        }
    }

    /// The indices in [`BIOPSY`] order.
    pub fn values(&self) -> [f64; BIOPSY.len()] {
        [
            self.activation_per_site_per_year,
            self.resorption_days,
            self.reversal_days,
            self.formation_days,
            self.eroded_pct,
            self.formed_pct,
            self.balance_pct,
            self.remodelling_space_pct,
            self.turnover_pct_per_year,
        ]
    }
}

/// One finished run: a scenario at one replicate.
#[derive(Clone, Debug, Default)]
pub struct RunRecord {
    pub scenario: String,
    pub replicate: u32,
    /// The stream seed this run used (derived from the master seed and the replicate).
    pub seed: u64,
    pub samples: Vec<Sample>,
    /// The virtual biopsy, one row per recorded year.
    pub biopsy: Vec<BiopsyRow>,
    /// BMUs activated at cancellous sites during the recorded period (spin-up excluded).
    pub bmus_started: u64,
    /// BMUs at cancellous sites that completed their cycle during the recorded period.
    pub bmus_completed: u64,
    /// Osteoclasts formed by precursor fusion (activation pulses not included), and osteoclasts
    /// that died, at cancellous sites during the recorded period.
    pub osteoclasts_formed: u64,
    pub osteoclasts_died: u64,
    /// Wall-clock seconds the run took. Not written to any byte-compared file.
    pub wall_seconds: f64,
}

/// A run of `scenario` whose bone density was `x` on each `(day, x)` of `days` (tests only).
#[cfg(test)]
pub(crate) fn densities_at(scenario: &str, replicate: u32, days: &[(f64, f64)]) -> RunRecord {
    let samples = days.iter().map(|&(day, bone_density)| Sample { day, bone_density, ..Sample::default() }).collect();
    RunRecord { scenario: scenario.into(), replicate, samples, ..RunRecord::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_of_steps_is_written_as_meant() {
        assert_eq!(0.1 + 0.2, 0.30000000000000004);
        assert_eq!(at_precision_of(0.1 + 0.2, 0.1), 0.3);
        assert_eq!(at_precision_of(3.0 * 0.1, 0.1), 0.3);
        assert_eq!(at_precision_of(1234.0 * 0.25, 0.25), 308.5);
        assert_eq!(at_precision_of(7.000000000000001, 1.0), 7.0);
        // Not a whole number of steps: left as it is; nor a unit without a short decimal form.
        assert_eq!(at_precision_of(0.123, 0.1), 0.123);
        assert_eq!(at_precision_of(0.1 + 0.2, 1.0 / 3.0), 0.1 + 0.2);
        assert_eq!(at_precision_of(2e-20 * 3.0, 1e-20), 2e-20 * 3.0);
    }

    #[test]
    fn every_metric_and_index_has_a_unit_without_a_comma() {
        for name in METRICS.iter().chain(&BIOPSY) {
            assert!(!unit(name).is_empty() && !unit(name).contains(','), "{name}");
        }
        assert_eq!((unit("spine_bmd"), unit("resorption_days"), unit("nothing")), ("% of day 0", "days", ""));
    }

    #[test]
    fn sums_of_increments_are_written_without_their_noise() {
        assert_eq!(meant(25.874999999999886), 25.875);
        assert_eq!(meant(16.200000000000152), 16.2);
        assert_eq!(meant(-0.7288025210761759), -0.728802521076);
        assert_eq!(meant(0.0), 0.0);
        assert!(meant(f64::NAN).is_nan());
    }
}
