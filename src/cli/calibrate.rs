//! `bmu-sim calibrate`: fit the stationary mineral fraction of a config's first scenario from an
//! ensemble run, and, when it has cortical sites, theirs from a run of them alone (see
//! `stationary_mineral.rs`).

use super::args::{ConfigOverrides, Threads};
use super::progress::Reporter;
use super::run::check_limits;
use super::stdout_error;
use bmu_sim::estimate::Estimate;
use bmu_sim::{Error, ensemble, stationary_mineral};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// The config [default: the embedded baseline, configs/baseline.toml]
    config: Option<PathBuf>,
    #[command(flatten)]
    overrides: ConfigOverrides,
    #[command(flatten)]
    threads: Threads,
    /// Run even if the estimate exceeds this machine (memory, or over a week)
    #[arg(long)]
    no_limits: bool,
    /// No progress and no notes on stderr (errors still show)
    #[arg(long, short)]
    quiet: bool,
}

pub fn calibrate(args: CalibrateArgs, out: &mut dyn Write) -> Result<(), Error> {
    let reporter = Reporter::new(args.quiet);
    let mut config = args.overrides.load(args.config.as_deref())?;
    config.scenarios.truncate(1);
    let threads = args.threads.resolve(&reporter);
    let estimate = Estimate::of(&config, threads);
    check_limits(&estimate, args.no_limits)?;
    reporter.note(format_args!("calibrating from {} replicate(s); estimated {estimate}", config.replicates));
    let result = reporter.watch(ensemble::total_steps(&config), |steps| ensemble::run(&config, threads, steps))?;
    let c = stationary_mineral::calibrate(&config, &result)
        .ok_or_else(|| Error::Model("no samples were recorded: cannot calibrate".into()))?;
    let (m, z) = (&c.mineral_fraction, &c.bone_mass);
    let mut text = format!(
        "calibrated from {}, scenario {}, {} replicates x {} days:\n\
         initial_mineral_fraction = {:.4}    # 95% CI {:.4} to {:.4}\n\
         # bone mass at the end {:.2} % (95% CI {:.2} to {:.2}): the balance is not fitted\n\
         # turnover {:.1} %/year, remodelling space {:.2} % of bone\n",
        config.source,
        c.scenario,
        config.replicates,
        config.days,
        m.mean,
        m.ci_lo,
        m.ci_hi,
        z.mean,
        z.ci_lo,
        z.ci_hi,
        c.turnover_pct_per_year,
        c.remodelling_space_pct,
    );
    if let Some(cortical) = stationary_mineral::cortical_tissue(&config) {
        reporter.note(format_args!("and the cortical sites alone; estimated {}", Estimate::of(&cortical, threads)));
        let result =
            reporter.watch(ensemble::total_steps(&cortical), |steps| ensemble::run(&cortical, threads, steps))?;
        let c = stationary_mineral::calibrate(&cortical, &result)
            .ok_or_else(|| Error::Model("no samples were recorded: cannot calibrate".into()))?;
        let (m, z) = (&c.mineral_fraction, &c.bone_mass);
        let p = &config.scenarios[0].params;
        text += &format!(
            "initial_cortical_mineral_fraction = {:.4}    # 95% CI {:.4} to {:.4}\n\
             # from the {} cortical sites alone (activation x {}): turnover {:.1} %/year, bone mass at the end {:.2} %\n",
            m.mean, m.ci_lo, m.ci_hi, p.cortical_sites, p.cortical_activation_ratio, c.turnover_pct_per_year, z.mean,
        );
    }
    out.write_all(text.as_bytes()).map_err(stdout_error)
}
