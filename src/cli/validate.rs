//! `bmu-sim validate`: check a config and print what it would run and what that would cost.

use super::args::{ConfigOverrides, Threads};
use super::progress::Reporter;
use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::config::Config;
use bmu_sim::config::population::Between;
use bmu_sim::estimate::{self, Estimate};
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The config to check, `-` for standard input
    config: PathBuf,
    #[command(flatten)]
    overrides: ConfigOverrides,
    #[command(flatten)]
    threads: Threads,
}

pub fn validate(args: ValidateArgs, out: &mut dyn Write) -> Result<(), Error> {
    let config = args.overrides.load(Some(&args.config))?;
    let threads = args.threads.resolve(&Reporter::new(false));
    describe(&config, &Estimate::of(&config, threads), out).map_err(stdout_error)
}

/// What `validate` prints.
fn describe(config: &Config, estimate: &Estimate, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "config {}: valid; {} bone law, {} hypothesis",
        config.source,
        config.bone_law.name(),
        config.hypothesis
    )?;
    writeln!(
        out,
        "  seed {}, {} replicate(s), {} days recorded after a {}-day spin-up, a row every {} days",
        config.seed, config.replicates, config.days, config.spinup_days, config.record_every_days
    )?;
    for s in &config.scenarios {
        let p = &s.params;
        let (x1, x2) = p.kernel().steady_state();
        writeln!(
            out,
            "  scenario {}: {} hypothesis, {} site(s), Ω = {}, dt {} d, {} mitochondria/cell, x̄1 = {x1:.4}, x̄2 = {x2:.2}, {} intervention(s){}",
            s.name,
            s.hypothesis,
            p.sites,
            p.population_scale,
            p.dt_days,
            p.mitochondria_per_cell,
            s.interventions.len(),
            if p.neutral_mitochondria { ", neutral mitochondria" } else { "" }
        )?;
        for i in &s.interventions {
            if let Some(d) = i.dosing {
                let spec = d.agent.spec();
                let (name, unit, route) = (spec.name, spec.unit, spec.route.name());
                let (dose, every, n, first, last) =
                    (d.dose, d.every_days, d.doses, i.start_day, d.last_day(i.start_day));
                writeln!(out, "    {name} {dose} {unit} {route} every {every} d, {n} dose(s), days {first} to {last}")?;
                continue;
            }
            let end = if i.end_day == f64::MAX { "the end".to_string() } else { format!("day {}", i.end_day) };
            writeln!(
                out,
                "    {} from day {} to {end} (ramp {} d, strength {})",
                i.kind, i.start_day, i.ramp_days, i.strength
            )?;
        }
    }
    if let Some(population) = &config.population {
        writeln!(out, "  population: each replicate a patient, the same in every scenario")?;
        for (key, between) in &population.keys {
            let law = match *between {
                Between::LogNormal { median, cv } => format!("log-normal, median {median}, CV {cv}"),
                Between::Normal { mean, sd } => format!("normal, mean {mean}, SD {sd}, within the key's range"),
                Between::Uniform { low, high } => format!("uniform from {low} to {high}"),
            };
            writeln!(out, "    {key}: {law}")?;
        }
    }
    writeln!(out, "  headline readout(s): {}", config.comparison.headline_metrics().join(", "))?;
    for c in &config.comparison.contrasts {
        writeln!(out, "  contrast {}: {}", c.label(), c.expression())?;
    }
    writeln!(out, "  {} run(s) in all", estimate.runs)?;
    writeln!(
        out,
        "  estimate: wall time {} on {} thread(s) ({} of processor time), peak memory {}, output {}",
        estimate::duration(estimate.wall_seconds),
        estimate.threads,
        estimate::duration(estimate.cpu_seconds),
        estimate::bytes(estimate.peak_bytes),
        estimate::bytes(estimate.output_bytes)
    )?;
    if let Some(why) = estimate.exceeds(estimate::available_memory()) {
        writeln!(out, "  `run` would refuse it: {why} (--no-limits overrides)")?;
    }
    Ok(())
}
