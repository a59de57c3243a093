//! Integration tests of the `bmu-sim` command line: one test binary, run with
//! `cargo test --release --test cli`. Every test runs the built binary in its own temporary
//! directory.

mod common;
mod configs;
mod determinism;
mod errors;
mod outputs;
mod kernel;
mod baseline;
mod representations;
mod stress;
