//! bmu-sim: a stochastic agent-based simulator of the bone multicellular unit (BMU), with
//! individually represented osteoclast mitochondria on bevy_ecs.
//!
//! - [`config`]: TOML scenarios → validated [`config::Config`];
//! - [`model`]: components and resources (data only);
//! - [`processes`]: one file per biological rule;
//! - [`sim`]: wires the rules into schedules and steps one run;
//! - [`steady_state`]: the untreated mitochondrial reference state;
//! - [`numerics`]: the convergence study of the mitochondrial integrators;
//! - [`stress`]: the `stress` command, the model's mitochondrial rules at any size;
//! - [`ensemble`]: replicates × scenarios in parallel, merged in fixed order, as units and shards;
//! - [`store`]: the run-directory store: plan, units kept on disk (shards, resume), atomic
//!   files and publishing;
//! - [`study`]: one config's ensemble in its run directory: open, run, publish;
//! - [`observe`], [`record`]: readouts and rows; [`output`]: the files a finished run writes;
//! - [`analysis`]: statistics on results: summaries, effects vs the reference, bands, targets,
//!   sweeps;
//! - [`provenance`]: the config hash and when, how fast and from which commit a run was made;
//! - [`meanfield`]: the deterministic Komarova 2003 ODE the ABM reduces to;
//! - [`estimate`]: what a config will cost (time, memory, output) before it runs;
//! - [`inference`]: priors, ABC-SMC calibration, Morris and Sobol sensitivity, ask/tell and
//!   free of the simulator.

// Systems take their resources and queries as arguments: long parameter lists and nested query
// types are the ECS idiom, not a smell.
#![allow(clippy::too_many_arguments, clippy::type_complexity)]

pub mod analysis;
pub mod config;
pub mod design_file;
pub mod ensemble;
pub mod estimate;
pub mod fit;
pub mod inference;
pub mod meanfield;
pub mod model;
pub mod numerics;
pub mod observe;
pub mod output;
pub mod patients;
pub mod processes;
pub mod provenance;
pub mod record;
pub mod sensitivity;
pub mod sim;
pub mod stationary_mineral;
pub mod steady_state;
pub mod store;
pub mod stress;
pub mod study;

use std::fmt;

/// Everything that can stop a command, typed; the binary maps each to an exit code once
/// ([`Error::exit_code`], documented in the README's "Exit codes").
#[derive(Debug)]
pub enum Error {
    /// The command line is wrong (exit 2).
    Usage(String),
    /// A config (or `--set`) is wrong (exit 3).
    Config(config::ConfigError),
    /// The parameters are valid one by one but describe a model that cannot run (exit 3).
    Model(String),
    /// Output could not be written, or an existing output is in the way (exit 4).
    Output(store::OutputError),
    /// The run's [`estimate`] exceeds this machine; `--no-limits` overrides (exit 5).
    Limits(String),
    /// Anything else at run time (exit 1).
    Runtime(String),
    /// The ensemble is not finished: a signal stopped the run, or units are missing or damaged
    /// when merging. What was finished is kept (exit 6).
    Incomplete(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Runtime(_) => 1,
            Error::Usage(_) => 2,
            Error::Config(_) | Error::Model(_) => 3,
            Error::Output(_) => 4,
            Error::Limits(_) => 5,
            Error::Incomplete(_) => 6,
        }
    }

    /// True when standard output was closed by its reader (`bmu-sim params | head -1`): not a
    /// failure, the reader has what it wanted.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(store::OutputError::Stdout(e)) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(e) => write!(f, "{e}"),
            Error::Output(e) => write!(f, "{e}"),
            Error::Usage(m) | Error::Model(m) | Error::Limits(m) | Error::Runtime(m) | Error::Incomplete(m) => {
                write!(f, "{m}")
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<config::ConfigError> for Error {
    fn from(e: config::ConfigError) -> Error {
        Error::Config(e)
    }
}

impl From<store::OutputError> for Error {
    fn from(e: store::OutputError) -> Error {
        Error::Output(e)
    }
}
