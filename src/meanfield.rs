//! Deterministic mean-field solver of the Komarova et al. (2003) bone remodelling ODE:
//!
//! ```text
//! dx1/dt = α1·x1^g11·x2^g21 − β1·x1          (osteoclasts)
//! dx2/dt = α2·x1^g12·x2^g22 − β2·x2          (osteoblasts)
//! y_i    = max(0, x_i − x̄_i)                  (cells above steady state)
//! dz/dt  = −k1·y1 + k2·y2                     (bone mass, % of initial)
//! γ      = g12·g21 − (1 − g11)(1 − g22)
//! x̄1     = (β1/α1)^((1−g22)/γ) · (β2/α2)^(g21/γ)
//! x̄2     = (β1/α1)^(g12/γ)     · (β2/α2)^((1−g11)/γ)
//! ```
//!
//! | symbol | field    | meaning                                   | unit          | default |
//! |--------|----------|-------------------------------------------|---------------|---------|
//! | x1     | `x1`     | osteoclast number                         | cells         | x̄1 + 10 |
//! | x2     | `x2`     | osteoblast number                         | cells         | x̄2      |
//! | z      | `z`      | bone mass                                 | % of initial  | 100     |
//! | α1     | `alpha1` | osteoclast production rate                | 1/day         | 3       |
//! | α2     | `alpha2` | osteoblast production rate                | 1/day         | 4       |
//! | β1     | `beta1`  | osteoclast removal rate                   | 1/day         | 0.2     |
//! | β2     | `beta2`  | osteoblast removal rate                   | 1/day         | 0.02    |
//! | g11    | `g11`    | osteoclast autocrine effect               | –             | 0.5     |
//! | g21    | `g21`    | osteoblast paracrine effect on osteoclasts| –             | −0.5    |
//! | g12    | `g12`    | osteoclast paracrine effect on osteoblasts| –             | 1       |
//! | g22    | `g22`    | osteoblast autocrine effect               | –             | 0       |
//! | k1     | `k1`     | bone resorption per osteoclast            | %/(cell·day)  | 0.24    |
//! | k2     | `k2`     | bone formation per osteoblast             | %/(cell·day)  | 0.0017  |
//!
//! Defaults give x̄1 ≈ 1.0607, x̄2 ≈ 212.13; a pulse of 10 osteoclasts gives one remodelling
//! cycle with z ≈ 89.79 % at day 12 and ≈ 99.98 % at day 200. The equilibrium loses stability
//! at the Hopf boundary g11 = 1 + β2(1−g22)/β1 (1.1 for the defaults): g11 = 1.1 gives
//! sustained cycles and g11 > 1.1 growing ones (Ayati et al. 2010, Biology Direct 5:28).
//!
//! Guards: x1 = 0 is absorbing (both formation terms are 0 whenever x1 ≤ 0, never NaN). A
//! power x2^g with x2 ≤ 0 and g < 0 is evaluated at x2 = [`X2_FLOOR`] (1e-12): large but
//! finite, never 1/0; for g ≥ 0, x2 ≤ 0 counts as 0 (0^0 = 1). x1 and x2 are clamped at 0
//! after each RK4 step. If γ = 0 the steady state is NaN, y_i counts as 0 and z is constant.
//!
//! Source: Komarova SV, Smith RJ, Dixon SJ, Sims SM, Wahl LM. Mathematical model predicts a
//! critical role for osteoclast autocrine regulation in the control of bone remodeling. Bone
//! 2003;33:206–215. Parameters as curated in BioModels BIOMD0000000148.

use std::io::Write;

/// Positive floor replacing x2 ≤ 0 in powers with a negative exponent (avoids 1/0).
pub const X2_FLOOR: f64 = 1e-12;

/// Parameters of the Komarova 2003 kernel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kernel {
    /// α1: osteoclast production rate (1/day).
    pub alpha1: f64,
    /// α2: osteoblast production rate (1/day).
    pub alpha2: f64,
    /// β1: osteoclast removal rate (1/day).
    pub beta1: f64,
    /// β2: osteoblast removal rate (1/day).
    pub beta2: f64,
    /// g11: osteoclast autocrine exponent.
    pub g11: f64,
    /// g21: osteoblast-to-osteoclast paracrine exponent.
    pub g21: f64,
    /// g12: osteoclast-to-osteoblast paracrine exponent.
    pub g12: f64,
    /// g22: osteoblast autocrine exponent.
    pub g22: f64,
    /// k1: bone resorbed per excess osteoclast per day (% of initial).
    pub k1: f64,
    /// k2: bone formed per excess osteoblast per day (% of initial).
    pub k2: f64,
}

/// Cell numbers and bone mass at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct State {
    /// Osteoclast number x1.
    pub x1: f64,
    /// Osteoblast number x2.
    pub x2: f64,
    /// Bone mass z (% of initial).
    pub z: f64,
}

/// `x^g` for a cell number `x`, with `x ≤ 0` floored at [`X2_FLOOR`] when `g < 0`.
fn guarded_pow(x: f64, g: f64) -> f64 {
    x.max(if g < 0.0 { X2_FLOOR } else { 0.0 }).powf(g)
}

/// Shorthand constructor for a [`State`].
const fn st(x1: f64, x2: f64, z: f64) -> State {
    State { x1, x2, z }
}

impl Kernel {
    /// The published parameter values (Komarova et al. 2003, BIOMD0000000148).
    #[rustfmt::skip]
    pub fn komarova2003() -> Kernel {
        Kernel { alpha1: 3.0, alpha2: 4.0, beta1: 0.2, beta2: 0.02,
                 g11: 0.5, g21: -0.5, g12: 1.0, g22: 0.0, k1: 0.24, k2: 0.0017 }
    }

    /// Non-trivial steady state (x̄1, x̄2) from the closed form; both NaN if γ == 0.
    pub fn steady_state(&self) -> (f64, f64) {
        let gamma = self.g12 * self.g21 - (1.0 - self.g11) * (1.0 - self.g22);
        if gamma == 0.0 {
            return (f64::NAN, f64::NAN);
        }
        let (r1, r2) = (self.beta1 / self.alpha1, self.beta2 / self.alpha2);
        let x1 = r1.powf((1.0 - self.g22) / gamma) * r2.powf(self.g21 / gamma);
        let x2 = r1.powf(self.g12 / gamma) * r2.powf((1.0 - self.g11) / gamma);
        (x1, x2)
    }

    /// Osteoclast formation α1·x1^g11·x2^g21; 0 when x1 ≤ 0, x2 guarded as in the module doc.
    pub fn osteoclast_formation(&self, x1: f64, x2: f64) -> f64 {
        if x1 <= 0.0 {
            return 0.0;
        }
        self.alpha1 * x1.powf(self.g11) * guarded_pow(x2, self.g21)
    }

    /// Osteoblast formation α2·x1^g12·x2^g22; 0 when x1 ≤ 0, x2 guarded as in the module doc.
    pub fn osteoblast_formation(&self, x1: f64, x2: f64) -> f64 {
        if x1 <= 0.0 {
            return 0.0;
        }
        self.alpha2 * x1.powf(self.g12) * guarded_pow(x2, self.g22)
    }

    /// Time derivative (dx1/dt, dx2/dt, dz/dt) of the state.
    pub fn derivative(&self, s: State) -> State {
        self.derivative_at(s, self.steady_state())
    }

    /// Derivative with a precomputed steady state `bar` (a NaN excess counts as 0).
    fn derivative_at(&self, s: State, (b1, b2): (f64, f64)) -> State {
        let (y1, y2) = ((s.x1 - b1).max(0.0), (s.x2 - b2).max(0.0));
        let dx1 = self.osteoclast_formation(s.x1, s.x2) - self.beta1 * s.x1;
        let dx2 = self.osteoblast_formation(s.x1, s.x2) - self.beta2 * s.x2;
        st(dx1, dx2, -self.k1 * y1 + self.k2 * y2)
    }

    /// One classic RK4 step of length `h` (x1, x2 then clamped at 0).
    fn rk4_step(&self, s: State, h: f64, bar: (f64, f64)) -> State {
        let add = |a: State, k: State, f: f64| st(a.x1 + f * k.x1, a.x2 + f * k.x2, a.z + f * k.z);
        let k1 = self.derivative_at(s, bar);
        let k2 = self.derivative_at(add(s, k1, h / 2.0), bar);
        let k3 = self.derivative_at(add(s, k2, h / 2.0), bar);
        let k4 = self.derivative_at(add(s, k3, h), bar);
        let n = add(s, add(add(add(k1, k2, 2.0), k3, 2.0), k4, 1.0), h / 6.0);
        st(n.x1.max(0.0), n.x2.max(0.0), n.z)
    }
}

/// At most this many RK4 steps per solve (days / dt): about 25 s on one core.
pub const MAX_STEPS: f64 = 1e8;
/// At most this many rows per solve (days / every): about 70 MB of CSV.
pub const MAX_ROWS: f64 = 1e6;

/// A checked time grid for [`solve`]: `days` ≥ 0, step `dt` > 0 and row interval `every` ≥ `dt`,
/// all finite, within [`MAX_STEPS`] and [`MAX_ROWS`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    days: f64,
    dt: f64,
    every: f64,
}

impl Grid {
    /// The grid, or what is wrong with it. An `every` below `dt` is raised to `dt`.
    pub fn new(days: f64, dt: f64, every: f64) -> Result<Grid, String> {
        if !(days >= 0.0 && dt > 0.0 && every > 0.0 && (days + dt + every).is_finite()) {
            return Err(format!("days ({days}) must be >= 0, dt ({dt}) and every ({every}) > 0, all finite"));
        }
        let every = every.max(dt);
        let (steps, rows) = (days / dt, days / every);
        if steps > MAX_STEPS {
            return Err(format!("{days} days at dt {dt} is {steps:.1e} steps; the limit is {MAX_STEPS:.0e}"));
        }
        if rows > MAX_ROWS {
            return Err(format!("{days} days at a row every {every} is {rows:.1e} rows; the limit is {MAX_ROWS:.0e}"));
        }
        Ok(Grid { days, dt, every })
    }
}

/// Rows (day, state) from `start` to `grid.days` with classic RK4 at step `grid.dt`, one row
/// every `grid.every` days (day 0 and the last day included). Steps per row = `every/dt` rounded
/// (≥ 1), step = `every/steps`; row days are `i·every` at the precision of `every` (0.3, not
/// 0.30000000000000004), plus a shorter last row at `days` if `days` is not a multiple of `every`.
pub fn solve(kernel: &Kernel, start: State, grid: &Grid) -> Vec<(f64, State)> {
    let Grid { days, dt, every } = *grid;
    let h = every / (every / dt).round().max(1.0);
    let (bar, tol) = (kernel.steady_state(), 1e-9 * every);
    let (mut rows, mut s) = (vec![(0.0, start)], start);
    for i in 1_usize.. {
        let remaining = days - (i - 1) as f64 * every;
        if remaining <= tol {
            break;
        }
        let full = remaining >= every - tol;
        let seg = if full { every } else { remaining };
        let day = if full { crate::record::at_precision_of(i as f64 * every, every) } else { days };
        let n = (seg / h).round().max(1.0);
        for _ in 0..n as u64 {
            s = kernel.rk4_step(s, seg / n, bar);
        }
        rows.push((day, s));
    }
    rows
}

/// The single-cycle start: x1 = x̄1 + pulse, x2 = x̄2, z = 100.
pub fn pulse_start(kernel: &Kernel, pulse: f64) -> State {
    let (x1, x2) = kernel.steady_state();
    st(x1 + pulse, x2, 100.0)
}

/// Write `day,x1,x2,z` CSV (header line, then one row per entry) to `out`, every number
/// formatted with `{}` (shortest round-trip representation), so values are exact.
pub fn write_csv<W: Write>(rows: &[(f64, State)], mut out: W) -> std::io::Result<()> {
    writeln!(out, "day,x1,x2,z")?;
    for (day, s) in rows {
        writeln!(out, "{},{},{},{}", day, s.x1, s.x2, s.z)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(days: f64, dt: f64, every: f64) -> Grid {
        Grid::new(days, dt, every).expect("a valid grid")
    }

    #[test]
    fn grids_are_bounded() {
        assert!(Grid::new(200.0, 0.001, 0.1).is_ok());
        assert_eq!(Grid::new(1.0, 0.5, 0.1), Grid::new(1.0, 0.5, 0.5), "every is raised to dt");
        let bad = [(1e9, 0.001, 0.1), (1e7, 1.0, 1.0), (-1.0, 0.1, 1.0), (f64::NAN, 0.1, 1.0), (1.0, 0.0, 1.0)];
        for (days, dt, every) in bad {
            assert!(Grid::new(days, dt, every).is_err(), "{days} {dt} {every}");
        }
        let e = Grid::new(1e9, 0.001, 0.1).expect_err("too many steps");
        assert!(e.contains("1.0e12 steps") && e.contains("1e8"), "{e}");
    }

    #[test]
    fn row_days_are_written_at_the_precision_of_the_row_spacing() {
        let k = Kernel::komarova2003();
        let rows = solve(&k, pulse_start(&k, 10.0), &grid(2.0, 0.01, 0.1));
        let days: Vec<String> = rows.iter().map(|r| r.0.to_string()).collect();
        assert_eq!(days[3], "0.3", "not 0.30000000000000004");
        assert!(days.iter().all(|d| d.len() <= 3), "{days:?}");
    }

    /// One remodelling cycle, rows every 0.01 day for 200 days.
    fn cycle(dt: f64) -> Vec<(f64, State)> {
        let k = Kernel::komarova2003();
        solve(&k, pulse_start(&k, 10.0), &grid(200.0, dt, 0.01))
    }

    /// State at `day` in rows spaced 0.01 day apart.
    fn at(rows: &[(f64, State)], day: f64) -> State {
        rows[(day / 0.01).round() as usize].1
    }

    fn near(got: f64, want: f64, tol: f64, what: &str) {
        assert!((got - want).abs() < tol, "{what}: {got} vs {want} ± {tol}");
    }

    fn finite(r: &(f64, State)) -> bool {
        r.1.x1.is_finite() && r.1.x2.is_finite() && r.1.z.is_finite()
    }

    /// Successive local maxima of x1.
    fn x1_peaks(rows: &[(f64, State)]) -> Vec<f64> {
        let x: Vec<f64> = rows.iter().map(|r| r.1.x1).collect();
        let peak = |w: &[f64]| (w[1] > w[0] && w[1] >= w[2]).then_some(w[1]);
        x.windows(3).filter_map(peak).collect()
    }

    #[test]
    fn single_cycle_matches_reference() {
        let rows = cycle(0.001);
        assert_eq!((rows.len(), rows[20000].0), (20001, 200.0));
        let zmin = rows.iter().min_by(|a, b| a.1.z.total_cmp(&b.1.z)).unwrap();
        near(zmin.1.z, 89.79, 0.01, "z min");
        near(zmin.0, 12.0, 0.5, "z min day");
        let x2max = rows.iter().max_by(|a, b| a.1.x2.total_cmp(&b.1.x2));
        near(x2max.unwrap().1.x2, 396.9, 0.1, "x2 peak");
        near(x2max.unwrap().0, 14.0, 0.5, "x2 peak day");
        let z100 = at(&rows, 100.0).z;
        near(z100, 99.785, 0.005, "z(100)");
        assert_eq!(format!("{z100:.2}"), "99.79");
        near(at(&rows, 200.0).z, 99.98, 0.005, "z(200)");
        near(at(&rows, 100.0).x1, 0.997, 0.002, "x1(100)");
        near(at(&rows, 50.0).x2, 285.57, 0.05, "x2(50)");
        let bar = Kernel::komarova2003().steady_state().0;
        let first = rows.iter().find(|r| r.1.x1 < bar).unwrap().0;
        assert!((22.0..24.0).contains(&first), "x1 < x1bar from day {first}");
        // Convergence: a 10x coarser step gives the same z(100).
        near(at(&cycle(0.01), 100.0).z, z100, 1e-4, "dt=0.01 z(100)");
    }

    #[test]
    fn steady_state_is_published_and_fixed() {
        let k = Kernel::komarova2003();
        let start = pulse_start(&k, 0.0);
        near(start.x1, 1.0607, 1e-4, "x1bar");
        near(start.x2, 212.13, 0.01, "x2bar");
        for (_, s) in solve(&k, start, &grid(100.0, 0.01, 1.0)) {
            near(s.x1, start.x1, 1e-9, "x1");
            near(s.x2, start.x2, 1e-9, "x2");
            near(s.z, 100.0, 1e-9, "z");
        }
    }

    #[test]
    fn hopf_boundary_sustains_and_beyond_grows() {
        let run = |g11: f64, pulse: f64| {
            let mut k = Kernel::komarova2003();
            k.g11 = g11;
            x1_peaks(&solve(&k, pulse_start(&k, pulse), &grid(2000.0, 0.01, 0.1)))
        };
        let p = run(1.1, 10.0);
        assert!(p.len() >= 5, "too few peaks {p:?}");
        assert!(p.iter().all(|x| (x / p[0] - 1.0).abs() < 1e-3), "{p:?}");
        // Beyond the boundary x1 collapses towards 0 between ever larger bursts: start close.
        let q = run(1.2, 0.001);
        assert!(q.len() >= 4, "too few peaks {q:?}");
        assert!(q.windows(2).all(|w| w[1] > w[0] * 1.005), "{q:?}");
    }

    #[test]
    fn zero_cells_stay_finite() {
        let k = Kernel::komarova2003();
        let (b1, b2) = k.steady_state();
        let rows = solve(&k, st(0.0, b2, 100.0), &grid(100.0, 0.01, 1.0));
        assert!(rows.iter().all(|r| finite(r) && r.1.x1 == 0.0));
        let rows = solve(&k, st(b1, 0.0, 100.0), &grid(100.0, 0.001, 1.0));
        assert!(rows.iter().all(finite));
        assert_eq!(k.osteoclast_formation(0.0, 0.0), 0.0);
        assert!(k.osteoclast_formation(1.0, 0.0).is_finite());
    }

    #[test]
    fn csv_is_exact() {
        let mut buf = Vec::new();
        write_csv(&[(0.5, st(0.1, 2.0, 100.0))], &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(text, "day,x1,x2,z\n0.5,0.1,2,100\n");
    }
}
