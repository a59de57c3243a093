//! bmu-sim: a stochastic agent-based simulator of the bone multicellular unit (BMU), with
//! individually represented osteoclast mitochondria on bevy_ecs.
//!
//! - [`config`]: TOML scenarios → validated [`config::Config`];
//! - [`model`]: components and resources (data only);
//! - [`processes`]: one file per biological rule;
//! - [`sim`]: wires the rules into schedules and steps one run;
//! - [`steady_state`]: the untreated mitochondrial reference state;
//! - [`stress`]: the `stress` command, the model's mitochondrial rules at any size;
//! - [`ensemble`]: replicates × scenarios in parallel, merged in fixed order;
//! - [`observe`], [`record`], [`output`]: readouts, rows and files;
//! - [`meanfield`]: the deterministic Komarova 2003 ODE the ABM reduces to.

// Systems take their resources and queries as arguments: long parameter lists and nested query
// types are the ECS idiom, not a smell.
#![allow(clippy::too_many_arguments, clippy::type_complexity)]

pub mod calibration;
pub mod config;
pub mod ensemble;
pub mod meanfield;
pub mod model;
pub mod observe;
pub mod output;
pub mod processes;
pub mod record;
pub mod sim;
pub mod steady_state;
pub mod stress;

use std::fmt;

/// Everything that can stop a command, typed; the binary maps each to an exit code.
#[derive(Debug)]
pub enum Error {
    /// The command line is wrong.
    Usage(String),
    /// A config (or `--set`) is wrong.
    Config(config::ConfigError),
    /// The parameters are valid one by one but describe a model that cannot run.
    Model(String),
    /// Output could not be written.
    Output(output::OutputError),
    /// Anything else at run time.
    Runtime(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Config(_) | Error::Model(_) => 3,
            Error::Output(_) => 4,
            Error::Runtime(_) => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "{m}"),
            Error::Config(e) => write!(f, "{e}"),
            Error::Model(m) => write!(f, "{m}"),
            Error::Output(e) => write!(f, "{e}"),
            Error::Runtime(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<config::ConfigError> for Error {
    fn from(e: config::ConfigError) -> Error {
        Error::Config(e)
    }
}

impl From<output::OutputError> for Error {
    fn from(e: output::OutputError) -> Error {
        Error::Output(e)
    }
}
