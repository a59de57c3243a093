//! The convergence study of the mitochondrial integrators (docs/numerics.md): the steady state
//! (D0, A0, ROS0, p_diff0) of the sub-step scheme at each step of a ladder, beside the exact
//! continuous-time process (`processes/mitochondria/exact/`), untreated, under estrogen loss
//! and under PINK1 loss.
//!
//! For three steps h, h/2, h/4 of one halving sequence with values Q(h), Q(h/2), Q(h/4):
//! ```text
//! observed order   p  = log2( |Q(h) − Q(h/2)| / |Q(h/2) − Q(h/4)| )
//! Richardson limit Q* = Q(h/4) + (Q(h/4) − Q(h/2)) / (2^p − 1)
//! ```
//! (Richardson 1911; Roache 1998 for the observed order). Each value is a Monte Carlo mean over
//! `cells` cells with its standard error, so an order is only meaningful where the differences
//! stand well clear of the errors; the table prints both.

use crate::config::{Kind, Params};
use crate::model::Knobs;
use crate::processes::interventions::mechanism;
use crate::steady_state;
use rayon::prelude::*;

/// The sub-steps of the ladder, in hours: two halving sequences (6, 3, 1.5) and (1, ½, ¼), and a
/// fine step.
pub const LADDER_HOURS: [f64; 7] = [6.0, 3.0, 1.5, 1.0, 0.5, 0.25, 1.0 / 12.0];

/// How a point of the study steps the mitochondria.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Integrator {
    /// The sub-step scheme with sub-steps of this many hours.
    SubStep(f64),
    /// The exact continuous-time process.
    Exact,
}

/// The cell-level conditions the study runs: untreated, and at full strength the two
/// interventions whose mitochondrial effect the step changed most.
pub const CONDITIONS: [(&str, Option<Kind>); 3] =
    [("untreated", None), ("estrogen_loss", Some(Kind::EstrogenLoss)), ("pink1_knockout", Some(Kind::Pink1Knockout))];

/// The quantities of a steady state the study reports.
pub const QUANTITIES: [&str; 4] = ["D0", "A0", "ROS0", "p_diff0"];

/// One point of the study: its steady-state values and their standard errors.
#[derive(Clone, Debug)]
pub struct Point {
    pub condition: &'static str,
    pub integrator: Integrator,
    pub value: [f64; 4],
    pub se: [f64; 4],
}

/// The knobs of `params` under `condition` at full strength, stepped by `integrator`.
fn knobs(params: &Params, condition: Option<Kind>, integrator: Integrator) -> Knobs {
    let mut p = params.clone();
    match integrator {
        // One sub-step per cell step, so the sub-step is exactly h (the study runs no tissue).
        Integrator::SubStep(hours) => (p.mito_exact, p.mito_dt_hours, p.dt_days) = (false, hours, hours / 24.0),
        Integrator::Exact => p.mito_exact = true,
    }
    let mut knobs = Knobs::untreated(&p);
    if let Some(m) = condition.and_then(mechanism) {
        m.apply(1.0, &p, &mut knobs);
    }
    knobs
}

/// Every condition × integrator (the ladder, then the exact process) over `cells` cells, in
/// parallel, in that order.
pub fn study(params: &Params, cells: u64) -> Vec<Point> {
    let integrators: Vec<Integrator> =
        LADDER_HOURS.iter().map(|&h| Integrator::SubStep(h)).chain([Integrator::Exact]).collect();
    let todo: Vec<(&'static str, Option<Kind>, Integrator)> =
        CONDITIONS.iter().flat_map(|&(name, kind)| integrators.iter().map(move |&i| (name, kind, i))).collect();
    todo.into_par_iter()
        .map(|(condition, kind, integrator)| {
            let (s, se) = steady_state::under(&knobs(params, kind, integrator), cells);
            Point { condition, integrator, value: [s.depolarised, s.atp, s.ros, s.p_diff], se }
        })
        .collect()
}

/// The observed order of three values at steps h, h/2, h/4 (NaN where the differences vanish).
pub fn observed_order(coarse: f64, mid: f64, fine: f64) -> f64 {
    ((coarse - mid).abs() / (mid - fine).abs()).log2()
}

/// The Richardson-extrapolated limit of values at h/2 and h/4 converging at order `p`.
pub fn richardson(mid: f64, fine: f64, p: f64) -> f64 {
    fine + (fine - mid) / (2f64.powf(p) - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_limit_are_exact_on_a_power_law() {
        // Q(h) = 2 + 3 h²: order 2, limit 2.
        let q = |h: f64| 2.0 + 3.0 * h * h;
        let p = observed_order(q(1.0), q(0.5), q(0.25));
        assert!((p - 2.0).abs() < 1e-12, "{p}");
        assert!((richardson(q(0.5), q(0.25), p) - 2.0).abs() < 1e-12);
        let first = |h: f64| 1.0 - 0.5 * h;
        assert!((observed_order(first(1.0), first(0.5), first(0.25)) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_sub_step_scheme_converges_at_first_order_to_the_exact_process() {
        // 300 cells: D0's standard error ≈ 0.0005. At ½ and ¼ h the sub-step scheme is still
        // ~4 % and ~2 % low (first order: the error halves with the step), so the exact value
        // must lie beyond both, about as far beyond ¼ h as ¼ h is beyond ½ h.
        let p = Params::default();
        let d0 = |i: Integrator| steady_state::under(&knobs(&p, None, i), 300).0.depolarised;
        let (half, quarter, exact) =
            (d0(Integrator::SubStep(0.5)), d0(Integrator::SubStep(0.25)), d0(Integrator::Exact));
        assert!(half < quarter && quarter < exact, "D0 {half} < {quarter} < {exact}");
        let ratio = (exact - half) / (exact - quarter);
        assert!((1.4..3.0).contains(&ratio), "error ratio {ratio} (first order: 2)");
    }
}
