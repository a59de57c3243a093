//! Pharmacokinetics of the dosed drugs that act from the blood: the level ℓ(t) ∈ [0, …] at which
//! a regimen (`config/dosing.rs`) drives its kind's mechanism (`processes/interventions/`), in
//! place of a window's strength. Bisphosphonates act from bone instead (`bisphosphonate.rs`).
//!
//! **Denosumab** (subcutaneous; two compartments, first-order absorption, linear and
//! target-mediated (Michaelis–Menten) clearance, Peterson 2004 as implemented in OpenBoneMin):
//! ```text
//! dA_sc/dt = −k_a·A_sc                                  dose k adds F·dose to A_sc at t_k
//! dA_c/dt  =  k_a·A_sc + Q·A_p/V_p − (Q + CL + V_max/(K_m + C))·C,     C = A_c/V_c
//! dA_p/dt  =  Q·C − Q·A_p/V_p
//! ℓ(t)     =  C/(C + IC50)                              (the share of RANKL it neutralises)
//! ```
//! integrated with classical Runge–Kutta at a fixed hour (rates ≤ 0.2 /day: converged to ~1e-10
//! relative), independent of the simulation's step. The target-mediated clearance makes the
//! concentration fall steeply once it nears K_m: a 60 mg dose keeps ℓ > ½ for ~6.6 months and
//! below 0.01 from ~8.5 months, the offset the clinic sees after a missed dose.
//!
//! **Teriparatide** (subcutaneous, t½ ≈ 1 hour: every dose is gone within its day): the model's
//! cells act on the exposure averaged over the dosing interval,
//! ```text
//! ℓ(t) = (dose / D_ref) / every_days      for t_k ≤ t < t_k + every_days
//! ```
//! so 20 µg daily is ℓ = 1, the strength-1 window the treatments were calibrated with.
//! **Abaloparatide** (subcutaneous, t½ ≈ 1.7 hours, label \[R\]) has the same form with its own
//! D_ref: 80 µg daily is ℓ = 1.
//!
//! **Romosozumab** (one compartment, linear and sclerostin-mediated clearance) and the tolerance
//! that wanes its formation effect: `romosozumab.rs`.
//!
//! ℓ is held constant over each day (its mean over [d, d + 1) for the daily peptides, its value at
//! mid-day for the antibodies), so no result depends on the cell step.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | k_a | `denosumab_absorption_per_day` | 0.14208 | /day | 0.00592 /h (Peterson 2004 AAPS J 6 W4340, via OpenBoneMin \[V\]) |
//! | F | `denosumab_bioavailability` | 0.729 | — | same \[V\]; 61 % in Sutjandra 2012 \[R\] |
//! | V_c, V_p | `denosumab_central_ml`, `denosumab_peripheral_ml` | 2340, 1324 | mL | same \[V\] |
//! | Q | `denosumab_distribution_ml_per_day` | 448.08 | mL/day | 18.67 mL/h, same \[V\] |
//! | CL | `denosumab_clearance_ml_per_day` | 66 | mL/day | 2.75 mL/h, same \[V\] |
//! | V_max, K_m | `denosumab_vmax_ng_per_day`, `denosumab_km_ng_per_ml` | 74640, 188 | ng/day, ng/mL | 3110 ng/h, 188 ng/mL, same \[V\] |
//! | IC50 | `denosumab_ic50_ng_per_ml` | 1 | ng/mL | chosen so 60 mg acts ~6–7 months (Peterson & Riggs 2010 Bone 46:49; Riggs 2012 \[R\]) \[U\] |
//! | D_ref | `teriparatide_reference_ug` | 20 | µg | the approved daily dose (Neer 2001 \[R\]) |
//! | t½ | — | ~1 | hour | teriparatide label \[R\]: the daily mean is the exposure |
//! | D_ref | `abaloparatide_reference_ug` | 80 | µg | the approved daily dose (ACTIVE, Miller 2016 JAMA 316:722 \[R\]) |

use crate::config::{Agent, Dosing, Intervention, Params};

mod romosozumab;
pub use romosozumab::FormationFactor;

/// Runge–Kutta step for the denosumab model (days): an hour.
const PK_STEP_DAYS: f64 = 1.0 / 24.0;
/// A regimen stops acting once its level has stayed below this after the last dose.
const NEGLIGIBLE: f64 = 1e-9;
/// The longest a level is followed after the last dose (days): ten years.
const LONGEST_WASHOUT_DAYS: f64 = 3652.5;

/// A regimen's level, day by day from its first dose; 0 before it and after the last value.
#[derive(Clone, Debug, PartialEq)]
pub struct Exposure {
    first_day: f64,
    /// `per_day[k]` is the level on [first_day + k, first_day + k + 1).
    per_day: Vec<f64>,
}

impl Exposure {
    /// The level of intervention `i` if it is a regimen of a drug acting from the blood, from
    /// the doses taken on `days` (the regimen's, or fewer: `adherence`).
    pub fn of(i: &Intervention, days: &[f64], p: &Params) -> Option<Exposure> {
        let dosing = i.dosing?;
        let after_first: Vec<f64> = days.iter().map(|t| t - i.start_day).collect();
        let per_day = match dosing.agent {
            Agent::Denosumab => denosumab(&after_first, dosing.dose, p),
            Agent::Teriparatide => daily_pulses(&after_first, &dosing, p.teriparatide_reference_ug),
            Agent::Abaloparatide => daily_pulses(&after_first, &dosing, p.abaloparatide_reference_ug),
            Agent::Romosozumab => romosozumab::levels(&after_first, dosing.dose, p),
            Agent::Alendronate | Agent::Risedronate | Agent::Zoledronate => return None,
        };
        Some(Exposure { first_day: i.start_day, per_day })
    }

    /// The level on `day`.
    pub fn at(&self, day: f64) -> f64 {
        // Days on the step grid carry rounding: a step at a day's start belongs to that day.
        let k = (day - self.first_day + 1e-9).floor();
        if k < 0.0 { 0.0 } else { self.per_day.get(k as usize).copied().unwrap_or(0.0) }
    }
}

/// Denosumab's level at mid-day, day by day from the first dose, for doses of `mg` on `days`
/// (counted from the first; see the module rule).
fn denosumab(days: &[f64], mg: f64, p: &Params) -> Vec<f64> {
    let level = |a: &[f64; 3]| {
        let c = a[1] / p.denosumab_central_ml;
        c / (c + p.denosumab_ic50_ng_per_ml)
    };
    mid_day_levels(days, mg * 1e6 * p.denosumab_bioavailability, |a| denosumab_rates(a, p), level)
}

/// The `level` of a compartment model with `rates` at mid-day, day by day from the first dose,
/// for doses of `amount` into compartment 0 on `days` (counted from the first), until the level
/// is negligible after the last dose.
fn mid_day_levels<const N: usize>(
    days: &[f64],
    amount: f64,
    rates: impl Fn(&[f64; N]) -> [f64; N],
    level: impl Fn(&[f64; N]) -> f64,
) -> Vec<f64> {
    let steps_per_day = (1.0 / PK_STEP_DAYS).round() as u32;
    let Some(&last) = days.last() else { return Vec::new() };
    let (mut amounts, mut per_day, mut given) = ([0.0f64; N], Vec::new(), 0);
    for day in 0.. {
        let day = f64::from(day);
        let mut mid = 0.0;
        for s in 0..steps_per_day {
            let t = day + f64::from(s) * PK_STEP_DAYS;
            // Doses fall on the hour grid: within half a step of their time.
            while given < days.len() && days[given] < t + PK_STEP_DAYS / 2.0 {
                if let Some(depot) = amounts.first_mut() {
                    *depot += amount;
                }
                given += 1;
            }
            if s == steps_per_day / 2 {
                mid = level(&amounts);
            }
            amounts = rk4(amounts, PK_STEP_DAYS, &rates);
        }
        per_day.push(mid);
        if day > last && (mid < NEGLIGIBLE || day - last > LONGEST_WASHOUT_DAYS) {
            break;
        }
    }
    per_day
}

fn denosumab_rates(a: &[f64; 3], p: &Params) -> [f64; 3] {
    let c = a[1] / p.denosumab_central_ml;
    let absorbed = p.denosumab_absorption_per_day * a[0];
    let distribution = p.denosumab_distribution_ml_per_day * (c - a[2] / p.denosumab_peripheral_ml);
    let cleared = (p.denosumab_clearance_ml_per_day + p.denosumab_vmax_ng_per_day / (p.denosumab_km_ng_per_ml + c)) * c;
    [-absorbed, absorbed - distribution - cleared, distribution]
}

/// One classical Runge–Kutta step of `f` from `y` over `h`.
fn rk4<const N: usize>(y: [f64; N], h: f64, f: impl Fn(&[f64; N]) -> [f64; N]) -> [f64; N] {
    let along = |k: &[f64; N], s: f64| std::array::from_fn(|i| y[i] + s * k[i]);
    let k1 = f(&y);
    let k2 = f(&along(&k1, h / 2.0));
    let k3 = f(&along(&k2, h / 2.0));
    let k4 = f(&along(&k3, h));
    std::array::from_fn(|i| y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
}

/// A daily peptide's level, each day's mean of (dose/D_ref)/every_days over the intervals
/// [t, t + every_days) of the doses taken on `days` (counted from the first).
fn daily_pulses(days: &[f64], d: &Dosing, reference: f64) -> Vec<f64> {
    let per_interval = d.dose / reference / d.every_days;
    let Some(&last) = days.last() else { return Vec::new() };
    let mut per_day = vec![0.0; (last + d.every_days).ceil() as usize];
    for &t in days {
        let end = t + d.every_days;
        for (k, level) in per_day.iter_mut().enumerate().skip(t.floor() as usize) {
            let day = k as f64;
            if day >= end {
                break;
            }
            // The part of [day, day + 1) the interval [t, end) covers.
            *level += per_interval * ((day + 1.0).min(end) - day.max(t)).max(0.0);
        }
    }
    per_day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Kind;

    /// The exposure of `i` with every dose taken.
    pub(super) fn of(i: &Intervention, p: &Params) -> Option<Exposure> {
        let days: Vec<f64> = i.dosing.map(|d| d.days(i.start_day).collect()).unwrap_or_default();
        Exposure::of(i, &days, p)
    }

    pub(super) fn regimen(kind: Kind, agent: Agent, dose: f64, every_days: f64, doses: u32) -> Intervention {
        Intervention {
            kind,
            start_day: 100.0,
            end_day: f64::MAX,
            ramp_days: 0.0,
            strength: 1.0,
            target: None,
            dosing: Some(Dosing { agent, dose, every_days, doses }),
        }
    }

    #[test]
    fn one_denosumab_injection_acts_for_six_to_seven_months_then_stops() {
        let p = Params::default();
        let e = of(&regimen(Kind::Denosumab, Agent::Denosumab, 60.0, 182.5, 1), &p).unwrap();
        assert_eq!((e.at(99.9), e.at(100.0)), (0.0, e.at(100.5)));
        assert!(e.at(100.0) > 0.99 && e.at(110.0) > 0.999, "{} {}", e.at(100.0), e.at(110.0));
        // Half effect between 6 and 7 months after the injection; gone by 9.
        let half = (0..400).find(|&d| e.at(100.0 + f64::from(d)) < 0.5).unwrap();
        assert!((183..213).contains(&half), "half effect lost on day {half}");
        assert!(e.at(100.0 + 274.0) < 1e-3 && e.at(100.0 + 5000.0) == 0.0);
        // Peak concentration: ~8 µg/mL (6.75 µg/mL on the label).
        let mut a = [60e6 * p.denosumab_bioavailability, 0.0, 0.0];
        let peak = (0..24 * 30).map(|_| {
            a = rk4(a, PK_STEP_DAYS, |x| denosumab_rates(x, &p));
            a[1] / p.denosumab_central_ml
        });
        let peak = peak.fold(0.0, f64::max);
        assert!((6_000.0..10_000.0).contains(&peak), "{peak} ng/mL");
    }

    #[test]
    fn a_second_injection_before_the_offset_keeps_denosumab_acting() {
        let p = Params::default();
        let every = of(&regimen(Kind::Denosumab, Agent::Denosumab, 60.0, 182.5, 4), &p).unwrap();
        let min = (0..730).map(|d| every.at(100.0 + f64::from(d))).fold(1.0, f64::min);
        assert!(min > 0.8, "trough level {min}");
        // A higher dose lasts longer.
        let once = |mg| of(&regimen(Kind::Denosumab, Agent::Denosumab, mg, 1.0, 1), &p).unwrap();
        assert!(once(210.0).at(100.0 + 240.0) > once(60.0).at(100.0 + 240.0));
    }

    #[test]
    fn teriparatide_daily_mean_is_dose_over_reference_per_interval() {
        let p = Params::default();
        let daily = of(&regimen(Kind::Teriparatide, Agent::Teriparatide, 20.0, 1.0, 365), &p).unwrap();
        assert_eq!((daily.at(99.0), daily.at(100.0), daily.at(464.9), daily.at(465.0)), (0.0, 1.0, 1.0, 0.0));
        let double = of(&regimen(Kind::Teriparatide, Agent::Teriparatide, 40.0, 2.0, 10), &p).unwrap();
        assert_eq!((double.at(101.5), double.at(119.5), double.at(120.0)), (1.0, 1.0, 0.0));
        assert_eq!(of(&regimen(Kind::Bisphosphonate, Agent::Zoledronate, 5.0, 365.0, 1), &p), None);
        // A dose missed is a day without it; none taken, no exposure.
        let i = regimen(Kind::Teriparatide, Agent::Teriparatide, 20.0, 1.0, 3);
        let missed = Exposure::of(&i, &[100.0, 102.0], &p).unwrap();
        assert_eq!((missed.at(100.5), missed.at(101.5), missed.at(102.5), missed.at(103.5)), (1.0, 0.0, 1.0, 0.0));
        assert_eq!(Exposure::of(&i, &[], &p).unwrap().at(100.5), 0.0);
        // Abaloparatide: the same form against its own reference, 80 µg.
        let abalo = of(&regimen(Kind::Abaloparatide, Agent::Abaloparatide, 40.0, 1.0, 30), &p).unwrap();
        assert_eq!((abalo.at(99.5), abalo.at(100.5), abalo.at(129.5), abalo.at(130.5)), (0.0, 0.5, 0.5, 0.0));
    }
}
