//! Command-line parsing and the commands. Arguments are parsed once into a [`Command`]; each
//! command calls the library.

use bmu_sim::config::{Config, Overrides, Params};
use bmu_sim::output::{Staging, bundle, summarize};
use bmu_sim::stress::{self, Representation, StressOptions};
use bmu_sim::{Error, calibration, ensemble, meanfield};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const USAGE: &str = "\
bmu-sim: stochastic agent-based simulation of the bone multicellular unit

usage:
  bmu-sim run [CONFIG] [--out DIR] [--seed N] [--replicates N] [--threads N]
                       [--set KEY=VALUE]... [--force] [--quiet]
      Run every scenario × replicate of CONFIG (default: the embedded baseline) and write
      timeseries.csv, summary.csv, runs.csv, manifest.json and config.toml to DIR
      (default out/<config name>; an existing DIR is replaced only with --force, except the
      default one).
  bmu-sim validate CONFIG [--set KEY=VALUE]...
      Check a config and print what it would run.
  bmu-sim meanfield [--days N] [--dt D] [--every E] [--out FILE]
      The deterministic Komarova 2003 ODE from the activation pulse, as CSV day,x1,x2,z.
  bmu-sim calibrate [CONFIG] [--replicates N] [--threads N] [--set KEY=VALUE]...
      Fit the bone-neutral k2_pct_per_cell_day and the stationary initial_mineral_fraction of
      CONFIG's first scenario (default: the embedded baseline) from an ensemble run.
  bmu-sim params
      The parameter table: keys, defaults, accepted values, meaning.
  bmu-sim stress [STRESS.toml] [--osteoclasts N] [--mitochondria M] [--days D] [--threads T]
                 [--representation individual|counts] [--json]
      Step N osteoclasts of M mitochondria through the model's mitochondrial rules for D days
      (defaults 10000, 1000, 5, all cores, individual) and report mitochondrion-updates/s,
      osteoclast-steps/s and memory; --json adds the report as a JSON line at the end.
";

/// A parsed command line.
enum Command {
    Run { config: Option<PathBuf>, out: Option<PathBuf>, overrides: Overrides, threads: usize, force: bool, quiet: bool },
    Validate { config: PathBuf, overrides: Overrides },
    Meanfield { days: f64, dt: f64, every: f64, out: Option<PathBuf> },
    Calibrate { config: Option<PathBuf>, overrides: Overrides, threads: usize },
    Params,
    Stress { options: StressOptions, json: bool },
    Help,
    Version,
}

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(format!("{}\n\n{USAGE}", msg.into()))
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<&String>) -> Result<T, Error> {
    let v = value.ok_or_else(|| usage(format!("{flag} needs a value")))?;
    v.parse().map_err(|_| usage(format!("{flag}: `{v}` is not a valid number")))
}

fn positive(flag: &str, x: f64) -> Result<f64, Error> {
    if x.is_finite() && x > 0.0 { Ok(x) } else { Err(usage(format!("{flag} must be a finite number > 0"))) }
}

fn parse(args: &[String]) -> Result<Command, Error> {
    let Some(cmd) = args.first() else { return Ok(Command::Help) };
    let mut positional: Vec<&String> = Vec::new();
    let mut overrides = Overrides::default();
    let (mut out, mut threads, mut force, mut quiet) = (None, None, false, false);
    let (mut days, mut dt, mut every) = (None, 0.001, 0.1);
    let (mut osteoclasts, mut mitochondria, mut representation, mut json) = (None, None, None, false);
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(it.next().ok_or_else(|| usage("--out needs a path"))?)),
            "--seed" => overrides.push_flag("--seed", "seed", it.next().ok_or_else(|| usage("--seed needs a value"))?),
            "--replicates" => overrides.push_flag("--replicates", "replicates", it.next().ok_or_else(|| usage("--replicates needs a value"))?),
            "--threads" => threads = Some(number::<usize>("--threads", it.next())?.max(1)),
            "--set" => overrides.push(it.next().ok_or_else(|| usage("--set needs KEY=VALUE"))?),
            "--force" => force = true,
            "--quiet" => quiet = true,
            "--days" => days = Some(positive("--days", number("--days", it.next())?)?),
            "--osteoclasts" => osteoclasts = Some(number("--osteoclasts", it.next())?),
            "--mitochondria" => mitochondria = Some(number("--mitochondria", it.next())?),
            "--representation" => {
                let r = it.next().and_then(|r| Representation::parse(r));
                representation = Some(r.ok_or_else(|| usage("--representation needs `individual` or `counts`"))?);
            }
            "--json" => json = true,
            "--dt" => dt = positive("--dt", number("--dt", it.next())?)?,
            "--every" => every = positive("--every", number("--every", it.next())?)?,
            "-h" | "--help" => return Ok(Command::Help),
            s if s.starts_with('-') => return Err(usage(format!("unknown option `{s}`"))),
            _ => positional.push(a),
        }
    }
    let given_threads = threads;
    let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let one_config = |required: bool| -> Result<Option<PathBuf>, Error> {
        match positional.as_slice() {
            [] if required => Err(usage(format!("`{cmd}` needs a CONFIG"))),
            [] => Ok(None),
            [c] => Ok(Some(PathBuf::from(c))),
            _ => Err(usage("give at most one CONFIG")),
        }
    };
    Ok(match cmd.as_str() {
        "run" => Command::Run { config: one_config(false)?, out, overrides, threads, force, quiet },
        "validate" => Command::Validate { config: one_config(true)?.unwrap_or_default(), overrides },
        "meanfield" => Command::Meanfield { days: days.unwrap_or(200.0).min(1e6), dt, every: every.max(dt), out },
        "stress" => {
            let mut o = match one_config(false)? {
                Some(path) => StressOptions::load(&path)?,
                None => StressOptions::default(),
            };
            o.osteoclasts = osteoclasts.unwrap_or(o.osteoclasts);
            o.mitochondria = mitochondria.unwrap_or(o.mitochondria);
            (o.days, o.threads, o.representation) = (days.unwrap_or(o.days), given_threads.unwrap_or(o.threads), representation.unwrap_or(o.representation));
            Command::Stress { options: o, json }
        }
        "calibrate" => Command::Calibrate { config: one_config(false)?, overrides, threads },
        "params" => Command::Params,
        "help" | "-h" | "--help" => Command::Help,
        "version" | "-V" | "--version" => Command::Version,
        other => return Err(usage(format!("unknown command `{other}`"))),
    })
}

fn load(path: Option<&Path>, overrides: &Overrides) -> Result<Config, Error> {
    Ok(match path {
        Some(p) => Config::load(p, overrides)?,
        None => Config::baseline(overrides)?,
    })
}

pub fn main(args: &[String]) -> Result<(), Error> {
    match parse(args)? {
        Command::Help => print!("{USAGE}"),
        Command::Version => println!("bmu-sim {}", env!("CARGO_PKG_VERSION")),
        Command::Params => print!("{}", Params::markdown_table()),
        Command::Stress { options, json } => {
            let report = stress::run(&options)?;
            print!("{}", report.text());
            if json {
                println!("{}", report.json());
            }
        }
        Command::Validate { config, overrides } => describe(&load(Some(&config), &overrides)?),
        Command::Calibrate { config, overrides, threads } => calibrate(&load(config.as_deref(), &overrides)?, threads)?,
        Command::Meanfield { days, dt, every, out } => meanfield_csv(days, dt, every, out)?,
        Command::Run { config, out, overrides, threads, force, quiet } => {
            let cfg = load(config.as_deref(), &overrides)?;
            // The default directory is the tool's own: it is created, and replaced run after run.
            let (dir, force) = match out {
                Some(dir) => (dir, force),
                None => {
                    std::fs::create_dir_all("out").map_err(|e| Error::Runtime(format!("cannot create out/: {e}")))?;
                    let stem = config.as_deref().and_then(Path::file_stem).map_or("baseline".into(), |s| s.to_string_lossy());
                    (PathBuf::from("out").join(&*stem), true)
                }
            };
            run(&cfg, &dir, force, threads, quiet, args)?;
        }
    }
    Ok(())
}

/// `run`: the ensemble, its run directory and a one-line summary per scenario.
fn run(cfg: &Config, dir: &Path, force: bool, threads: usize, quiet: bool, args: &[String]) -> Result<(), Error> {
    let total = cfg.scenarios.len() * cfg.replicates as usize;
    if !quiet {
        eprintln!("bmu-sim: {} scenario(s) × {} replicate(s) on {threads} thread(s)", cfg.scenarios.len(), cfg.replicates);
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let started = Instant::now();
    let report = |r: &bmu_sim::record::RunRecord| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if !quiet {
            eprintln!("  [{n}/{total}] {} replicate {} ({:.1} s)", r.scenario, r.replicate, r.wall_seconds);
        }
    };
    let staging = Staging::begin(dir, force)?;
    let result = ensemble::run(cfg, threads, &report)?;
    let written = bundle::write_run_directory(staging, cfg, &result, args)?;
    print_summary(cfg, &result);
    println!("wrote {} in {:.1} s", written.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// `calibrate`: fit the neutral k2 and the stationary mineral fraction of the first scenario.
fn calibrate(cfg: &Config, threads: usize) -> Result<(), Error> {
    let mut cfg = cfg.clone();
    cfg.scenarios.truncate(1);
    let result = ensemble::run(&cfg, threads, &|_| {})?;
    let c = calibration::calibrate(&cfg, &result).ok_or_else(|| Error::Model("nothing was formed: cannot calibrate k2".into()))?;
    println!("calibrated from {}, scenario {}, {} replicates x {} days:", cfg.source, c.scenario, cfg.replicates, cfg.days);
    println!("k2_pct_per_cell_day = {:.6}    # 95% CI {:.6} to {:.6}", c.k2.mean, c.k2.ci_lo, c.k2.ci_hi);
    let m = &c.mineral_fraction;
    println!("initial_mineral_fraction = {:.4}    # 95% CI {:.4} to {:.4}", m.mean, m.ci_lo, m.ci_hi);
    println!("# per site: resorbed {:.2} %, formed {:.2} % over the record", c.resorbed_per_site, c.formed_per_site);
    println!("# turnover {:.1} %/year, remodelling space {:.2} %, {:.0} active BMUs", c.turnover_pct_per_year, c.remodelling_space, c.active_bmus);
    Ok(())
}

/// `meanfield`: the Komarova ODE from the activation pulse, as CSV, to a file or stdout.
fn meanfield_csv(days: f64, dt: f64, every: f64, out: Option<PathBuf>) -> Result<(), Error> {
    let kernel = meanfield::Kernel::komarova2003();
    let rows = meanfield::solve(&kernel, meanfield::pulse_start(&kernel, 10.0), days, dt, every);
    let fail = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::BrokenPipe => Ok(()),
        _ => Err(Error::Runtime(format!("cannot write the meanfield CSV: {e}"))),
    };
    match out {
        Some(path) => {
            let file = std::fs::File::create(&path).map_err(|e| Error::Runtime(format!("{}: {e}", path.display())))?;
            meanfield::write_csv(&rows, std::io::BufWriter::new(file)).or_else(fail)
        }
        None => meanfield::write_csv(&rows, std::io::stdout().lock()).or_else(fail),
    }
}

/// What `validate` prints.
fn describe(cfg: &Config) {
    println!("config {}: valid", cfg.source);
    println!("  seed {}, {} replicate(s), {} days recorded after a {}-day spin-up, a row every {} days", cfg.seed, cfg.replicates, cfg.days, cfg.spinup_days, cfg.record_every_days);
    for s in &cfg.scenarios {
        let p = &s.params;
        let (x1, x2) = p.kernel().steady_state();
        println!(
            "  scenario {}: {} site(s), Ω = {}, dt {} d, {} mitochondria/cell, x̄1 = {x1:.4}, x̄2 = {x2:.2}, {} intervention(s){}",
            s.name, p.sites, p.population_scale, p.dt_days, p.mitochondria_per_cell, s.interventions.len(),
            if p.neutral_mitochondria { ", neutral mitochondria" } else { "" }
        );
        for i in &s.interventions {
            let end = if i.end_day == f64::MAX { "the end".to_string() } else { format!("day {}", i.end_day) };
            println!("    {} from day {} to {end} (ramp {} d, strength {})", i.kind, i.start_day, i.ramp_days, i.strength);
        }
    }
    println!("  {} run(s) in all", cfg.scenarios.len() * cfg.replicates as usize);
}

/// Final bone density per scenario, to stdout.
fn print_summary(cfg: &Config, result: &ensemble::Ensemble) {
    println!("scenario,day,bone_density_mean,ci_lo,ci_hi,n");
    for s in &cfg.scenarios {
        let last: Vec<f64> = result.runs.iter().filter(|r| r.scenario == s.name).filter_map(|r| r.samples.last()).map(|x| x.bone_density).collect();
        let day = result.runs.iter().find(|r| r.scenario == s.name).and_then(|r| r.samples.last()).map_or(0.0, |x| x.day);
        let sum = summarize(&last);
        println!("{},{day},{:.3},{:.3},{:.3},{}", s.name, sum.mean, sum.ci_lo, sum.ci_hi, sum.n);
    }
}
