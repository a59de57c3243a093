//! `bmu-sim stress`: what this machine can do with the model's mitochondrial rules
//! (`src/stress.rs`).

use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::stress::{self, Representation, StressOptions};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RepresentationArg {
    /// One byte per mitochondrion.
    Individual,
    /// Mitochondria counted per health level and tag.
    Counts,
}

#[derive(Args, Debug)]
pub struct StressArgs {
    /// A stress options file (configs/stress.toml); flags override it
    #[arg(value_name = "FILE")]
    options: Option<PathBuf>,
    /// Osteoclasts to step [default: 10000]
    #[arg(long)]
    osteoclasts: Option<u64>,
    /// Mitochondria per osteoclast at the start [default: 1000]
    #[arg(long)]
    mitochondria: Option<u32>,
    /// Simulated days [default: 5]
    #[arg(long)]
    days: Option<f64>,
    /// Worker threads [default: all cores]
    #[arg(long)]
    threads: Option<usize>,
    /// How mitochondria are held [default: individual]
    #[arg(long, value_enum)]
    representation: Option<RepresentationArg>,
    /// End with the report as one JSON object on the last line
    #[arg(long)]
    json: bool,
}

pub fn stress(args: StressArgs, out: &mut dyn Write) -> Result<(), Error> {
    let mut o = match &args.options {
        Some(path) => StressOptions::load(path)?,
        None => StressOptions::default(),
    };
    o.osteoclasts = args.osteoclasts.unwrap_or(o.osteoclasts);
    o.mitochondria = args.mitochondria.unwrap_or(o.mitochondria);
    o.days = args.days.unwrap_or(o.days);
    o.threads = args.threads.unwrap_or(o.threads);
    if o.threads == 0 {
        return Err(Error::Usage("stress: --threads must be at least 1".into()));
    }
    o.representation = match args.representation {
        Some(RepresentationArg::Individual) => Representation::Individual,
        Some(RepresentationArg::Counts) => Representation::Counts,
        None => o.representation,
    };
    let report = stress::run(&o)?;
    let mut text = report.text();
    if args.json {
        text += &report.json();
        text.push('\n');
    }
    out.write_all(text.as_bytes()).map_err(stdout_error)
}
