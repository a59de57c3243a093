//! Integration tests of the `bmu-sim` command line: one test binary, run with
//! `cargo test --release --test cli`. Every test runs the built binary in its own temporary
//! directory.

mod anabolics;
mod architecture;
mod baseline;
mod commands;
mod common;
mod configs;
mod contrasts;
mod determinism;
mod directions;
mod effects;
mod errors;
mod figures;
mod fit;
mod kernel;
mod numerics;
mod outputs;
mod paired;
mod plots;
mod posterior;
mod readme;
mod representations;
mod resume;
mod safety;
mod scenarios;
mod sensitivity;
mod shards;
mod shell;
mod slurm;
mod spine;
mod stress;
mod sweep;
mod undefined;
mod warnings;
