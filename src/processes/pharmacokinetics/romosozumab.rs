//! Romosozumab's kinetics and the tolerance that wanes its formation effect.
//!
//! **Kinetics** (subcutaneous; one compartment, first-order absorption, linear and
//! target-mediated (Michaelis–Menten) clearance: romosozumab binds sclerostin and the complex is
//! cleared by a fast saturable route besides the slow non-specific one, label \[V\]):
//! ```text
//! dA_sc/dt = −k_a·A_sc                                  dose k adds F·dose to A_sc at t_k
//! dA_c/dt  =  k_a·A_sc − (CL + V_max/(K_m + C))·C,      C = A_c/V
//! ℓ(t)     =  C/(C + EC50)                              (the share of its full effect)
//! ```
//! integrated as denosumab's (`mod.rs`): classical Runge–Kutta at an hour, ℓ at mid-day. k_a, V,
//! CL and V_max were fitted (K_m fixed) to the label's single 210 mg dose: the model gives Cmax
//! 21.4 µg/mL on day 5.0, AUC 401 µg·day/mL and a fall to half the peak in 12.4 days, against
//! 22.2 µg/mL, median tmax 5 days (2–7), AUC 389 and an effective half-life of 12.8 days; monthly
//! 210 mg reaches steady state by the third dose with peaks 1.15 × the first (label: steady state
//! in 3 months, accumulation under two-fold). The fit does not depend on K_m between 0.1 and
//! 3 µg/mL. EC50 puts the mean level of 70 and 140 mg monthly at 0.48 and 0.81 of 210 mg's (mean
//! ℓ 0.60), the ratios of their 12-month spine gains (+5.4, +9.1, +11.3 %, McClung 2014 \[R\]).
//!
//! **Waning of the formation effect.** Under monthly romosozumab P1NP peaks within weeks, is back
//! at placebo's by month 9 and ~15 % below it at month 12, while CTX stays ~25 % below placebo
//! (label, from FRAME \[V\]; McClung 2014 \[R\]): the formation effect wanes though the drug is
//! present (sclerostin and DKK1 rising in reply, a \[choice\] of mechanism). A tolerance T builds
//! while the drug acts and its formation effect acts at the level ℓ_f:
//! ```text
//! dT/dt = (min(ℓ, 1) − T)/τ,   T = 0 before the first dose or window day
//! ℓ_f   = ℓ · max(0, 1 − w·T)
//! ```
//! exact for ℓ held over each day (T at mid-day); the RANKL block acts at ℓ and does not wane.
//! With ℓ ≈ 0.6 the formation effect is down to ~1 − w·0.6 ≈ 0.04 of its first value within a
//! year; after the last dose T decays with τ, so a second course a year later acts as the first
//! (label: retreatment after 12 months off raised P1NP as the first course did \[V\]).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | F | `romosozumab_bioavailability` | 0.81 | — | 81 % after 210 mg sc (label \[V\]) |
//! | k_a | `romosozumab_absorption_per_day` | 0.445 | /day | fitted to tmax 5 days (label \[V\]) \[C\] |
//! | V | `romosozumab_volume_ml` | 5640 | mL | fitted to Cmax 22.2 µg/mL (label \[V\]) \[C\] |
//! | CL | `romosozumab_clearance_ml_per_day` | 347 | mL/day | fitted to AUC 389 µg·day/mL and t½ 12.8 days (label \[V\]) \[C\] |
//! | V_max | `romosozumab_vmax_ug_per_day` | 706 | µg/day | same \[C\] |
//! | K_m | `romosozumab_km_ug_per_ml` | 0.5 | µg/mL | \[U\]: the fit is insensitive to it (0.1–3) |
//! | EC50 | `romosozumab_ec50_ug_per_ml` | 8 | µg/mL | from McClung 2014's dose response \[R\], above \[C\] |
//! | τ | `romosozumab_tolerance_days` | 90 | days | P1NP at placebo's by month 9 of 12 (label \[V\]); gone within a year off \[U\] |
//! | w | `romosozumab_tolerance_weight` | 1.6 | — | w·ℓ̄ ≈ 1: the formation effect nearly gone by month 12 (label \[V\]) \[U\] |

use super::{Exposure, mid_day_levels};
use crate::config::{Intervention, Kind, Params};

/// The longest a window's tolerance is followed (days): a century; after it, its last value.
const LONGEST_WINDOW_DAYS: f64 = 36_525.0;

/// Romosozumab's level at mid-day, day by day from the first dose, for doses of `mg` on `days`
/// (counted from the first).
pub(super) fn levels(days: &[f64], mg: f64, p: &Params) -> Vec<f64> {
    let level = |a: &[f64; 2]| {
        let c = a[1] / p.romosozumab_volume_ml;
        c / (c + p.romosozumab_ec50_ug_per_ml)
    };
    mid_day_levels(days, mg * 1e3 * p.romosozumab_bioavailability, |a| rates(a, p), level)
}

/// The rates of the depot and central amounts (µg per day).
fn rates(a: &[f64; 2], p: &Params) -> [f64; 2] {
    let c = a[1] / p.romosozumab_volume_ml;
    let absorbed = p.romosozumab_absorption_per_day * a[0];
    let cleared =
        (p.romosozumab_clearance_ml_per_day + p.romosozumab_vmax_ug_per_day / (p.romosozumab_km_ug_per_ml + c)) * c;
    [-absorbed, absorbed - cleared]
}

/// The factor max(0, 1 − w·T) on a romosozumab intervention's formation effect, day by day from
/// its first day (see the module rule); 1 before it, its last value after.
#[derive(Clone, Debug, PartialEq)]
pub struct FormationFactor {
    first_day: f64,
    per_day: Vec<f64>,
}

impl FormationFactor {
    /// The factor of intervention `i` if it is romosozumab: from its `exposure` if dosed, else
    /// from its window's level.
    pub fn of(i: &Intervention, exposure: Option<&Exposure>, p: &Params) -> Option<FormationFactor> {
        if i.kind != Kind::Romosozumab {
            return None;
        }
        let levels: Vec<f64> = match (exposure, i.dosing) {
            (Some(e), _) => e.per_day.clone(),
            (None, Some(_)) => Vec::new(),
            (None, None) => {
                let days = (i.end_day.min(i.start_day + LONGEST_WINDOW_DAYS) - i.start_day).ceil().max(0.0);
                (0..days as u32).map(|k| i.level(i.start_day + f64::from(k) + 0.5)).collect()
            }
        };
        let first_day = exposure.map_or(i.start_day, |e| e.first_day);
        Some(FormationFactor { first_day, per_day: factors(&levels, p) })
    }

    /// The factor on `day`.
    pub fn at(&self, day: f64) -> f64 {
        let k = (day - self.first_day + 1e-9).floor();
        if k < 0.0 { 1.0 } else { self.per_day.get(k as usize).or(self.per_day.last()).copied().unwrap_or(1.0) }
    }
}

/// max(0, 1 − w·T) at mid-day for the daily levels `levels`, T exact for a level held over a day.
fn factors(levels: &[f64], p: &Params) -> Vec<f64> {
    let (whole, half) = ((-1.0 / p.romosozumab_tolerance_days).exp(), (-0.5 / p.romosozumab_tolerance_days).exp());
    let mut t = 0.0;
    levels
        .iter()
        .map(|&l| {
            let l = l.clamp(0.0, 1.0);
            let mid = l + (t - l) * half;
            t = l + (t - l) * whole;
            (1.0 - p.romosozumab_tolerance_weight * mid).max(0.0)
        })
        .collect()
}

/// The concentration (µg/mL) after a single dose of `mg`, hour by hour for `days`.
#[cfg(test)]
fn concentrations(mg: f64, days: u32, p: &Params) -> Vec<f64> {
    let mut a = [mg * 1e3 * p.romosozumab_bioavailability, 0.0];
    (0..days * 24)
        .map(|_| {
            a = super::rk4(a, super::PK_STEP_DAYS, |x| rates(x, p));
            a[1] / p.romosozumab_volume_ml
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{of, regimen};
    use super::*;
    use crate::config::Agent;

    #[test]
    fn one_210_mg_dose_peaks_near_day_five_and_halves_in_about_two_weeks() {
        let p = Params::default();
        let c = concentrations(210.0, 200, &p);
        let (peak_hour, peak) = c.iter().enumerate().fold((0, 0.0), |m, (h, &x)| if x > m.1 { (h, x) } else { m });
        let peak_day = (peak_hour + 1) as f64 / 24.0;
        assert!((4.0..6.0).contains(&peak_day), "peak on day {peak_day}");
        assert!((18.0..26.0).contains(&peak), "Cmax {peak} µg/mL (label 22.2)");
        let auc: f64 = c.iter().sum::<f64>() / 24.0;
        assert!((350.0..430.0).contains(&auc), "AUC {auc} µg·day/mL (label 389)");
        let half = c[peak_hour..].iter().position(|&x| x < peak / 2.0).unwrap() as f64 / 24.0;
        assert!((11.0..14.5).contains(&half), "half the peak {half} days after it (label 12.8)");
        // Target-mediated clearance: the fall steepens as the concentration drops.
        let later = c[peak_hour + (half * 24.0) as usize..].iter().position(|&x| x < peak / 4.0).unwrap() as f64 / 24.0;
        assert!(later < half, "the second halving ({later} days) is faster than the first");
    }

    #[test]
    fn monthly_doses_reach_steady_state_with_little_accumulation_and_higher_doses_act_more() {
        let p = Params::default();
        let level = |mg| of(&regimen(Kind::Romosozumab, Agent::Romosozumab, mg, 30.4375, 12), &p).unwrap();
        let monthly = level(210.0);
        let peak = |m: u32| {
            (0..30).map(|d| monthly.at(100.0 + 30.4375 * f64::from(m) + f64::from(d) + 0.5)).fold(0.0, f64::max)
        };
        assert!(peak(2) < 1.05 * peak(11) && peak(11) < 1.2 * peak(0), "{} {} {}", peak(0), peak(2), peak(11));
        assert!(peak(0) < 1.0 && monthly.at(99.9) == 0.0);
        let mean = |e: &Exposure| (0..365).map(|d| e.at(100.5 + f64::from(d))).sum::<f64>() / 365.0;
        let (low, mid, high) = (mean(&level(70.0)), mean(&level(140.0)), mean(&level(210.0)));
        assert!((0.5..0.7).contains(&high) && low < mid && mid < high, "{low} {mid} {high}");
        assert!((low / high - 5.4 / 11.3).abs() < 0.05, "70 mg: {} of 210 mg's level", low / high);
        // Gone within half a year of the last dose.
        assert!(monthly.at(100.0 + 11.0 * 30.4375 + 180.0) < 0.01);
    }

    #[test]
    fn the_formation_effect_wanes_within_a_year_while_the_drug_stays() {
        let p = Params::default();
        let i = regimen(Kind::Romosozumab, Agent::Romosozumab, 210.0, 30.4375, 12);
        let level = of(&i, &p).unwrap();
        let factor = FormationFactor::of(&i, Some(&level), &p).unwrap();
        let formation = |day: f64| level.at(100.0 + day) * factor.at(100.0 + day);
        assert_eq!((factor.at(50.0), factor.at(100.4)), (1.0, factor.at(100.0)));
        let early = (5..30).map(|d| formation(f64::from(d))).fold(0.0, f64::max);
        let late = (330..360).map(|d| formation(f64::from(d))).fold(0.0, f64::max);
        assert!(early > 0.5, "the first month acts: {early}");
        assert!(late < 0.15 * early, "month 12 keeps {late} of {early}");
        // The drug level itself stays: the month-12 troughs are above the first month's.
        let trough = |from: f64| (0..30).map(|d| level.at(100.5 + from + f64::from(d))).fold(1.0, f64::min);
        assert!(trough(330.0) >= trough(0.0) && trough(330.0) > 0.3, "{}", trough(330.0));
        // Month by month the formation part falls.
        let month = |m: u32| (0..30).map(|d| formation(f64::from(30 * m + d))).sum::<f64>();
        let months: Vec<f64> = (0..12).map(month).collect();
        assert!(months.windows(2).skip(1).all(|m| m[1] <= m[0] + 1e-12), "{months:?}");
        // A window wanes alike: a year at strength 1 leaves no formation effect.
        let window = Intervention { dosing: None, end_day: 465.0, ..i };
        let w = FormationFactor::of(&window, None, &p).unwrap();
        assert!(w.at(120.0) > 0.5 && w.at(460.0) < 0.1 && w.at(1e6) == w.at(464.5), "{}", w.at(460.0));
        let other = Intervention { kind: Kind::Teriparatide, ..window };
        assert_eq!(FormationFactor::of(&other, None, &p), None);
    }
}
