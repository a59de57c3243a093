//! `bmu-sim convergence`: the convergence study of the mitochondrial integrators
//! (`numerics.rs`, docs/numerics.md), as a table on standard output.

use super::args::{ConfigOverrides, Threads};
use super::progress::Reporter;
use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::numerics::{self, CONDITIONS, Integrator, LADDER_HOURS, Point, QUANTITIES};
use clap::Args;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ConvergenceArgs {
    /// The config whose first scenario's parameters are studied [default: the embedded baseline]
    config: Option<PathBuf>,
    #[command(flatten)]
    overrides: ConfigOverrides,
    #[command(flatten)]
    threads: Threads,
    /// Cells per steady state (more cells, smaller Monte Carlo errors)
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    cells: u64,
    /// No notes on stderr (errors still show)
    #[arg(long, short)]
    quiet: bool,
}

pub fn convergence(args: ConvergenceArgs, out: &mut dyn Write) -> Result<(), Error> {
    let reporter = Reporter::new(args.quiet);
    let config = args.overrides.load(args.config.as_deref())?;
    let params = &config.scenarios[0].params;
    let threads = args.threads.resolve(&reporter);
    reporter.note(format_args!(
        "steady states of {} cells: {} conditions x ({} sub-steps + the exact process)",
        args.cells,
        CONDITIONS.len(),
        LADDER_HOURS.len()
    ));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| Error::Model(e.to_string()))?;
    let points = pool.install(|| numerics::study(params, args.cells));
    out.write_all(table(&points, args.cells).as_bytes()).map_err(stdout_error)
}

/// The study as Markdown: per condition and quantity, the ladder, the exact value, the observed
/// orders of the two halving sequences, the Richardson limit of the finer one, and the error of
/// the default step (1 h) against the exact process.
fn table(points: &[Point], cells: u64) -> String {
    let mut s = format!("Steady states of {cells} cells; ± is one standard error.\n\n");
    let hours = |h: f64| if h < 0.1 { "1/12".to_string() } else { format!("{h}") };
    s += "| condition | quantity |";
    for &h in &LADDER_HOURS {
        let _ = write!(s, " Δt = {} h |", hours(h));
    }
    s += " exact | order 6→1.5 h | order 1→¼ h | Richardson (1, ½, ¼ h) | 1 h vs exact |\n|---|---|";
    s += &"---|".repeat(LADDER_HOURS.len() + 5);
    s += "\n";
    for &(condition, _) in &CONDITIONS {
        let of = |i: Integrator| points.iter().find(|p| p.condition == condition && p.integrator == i);
        for (k, quantity) in QUANTITIES.iter().enumerate() {
            let q = |h: f64| of(Integrator::SubStep(h)).map_or(f64::NAN, |p| p.value[k]);
            let _ = write!(s, "| {condition} | {quantity} |");
            for &h in &LADDER_HOURS {
                let _ = write!(s, " {:.4} |", q(h));
            }
            let (exact, se) = of(Integrator::Exact).map_or((f64::NAN, f64::NAN), |p| (p.value[k], p.se[k]));
            let coarse = numerics::observed_order(q(6.0), q(3.0), q(1.5));
            let fine = numerics::observed_order(q(1.0), q(0.5), q(0.25));
            let limit = numerics::richardson(q(0.5), q(0.25), fine);
            let _ = writeln!(
                s,
                " {exact:.4} ± {se:.4} | {coarse:.2} | {fine:.2} | {limit:.4} | {:+.1} % |",
                100.0 * (q(1.0) / exact - 1.0)
            );
        }
    }
    s
}
