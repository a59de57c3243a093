//! `bmu-sim meanfield`: the Komarova 2003 ODE from the activation pulse, as CSV, to standard
//! output or atomically to a file.

use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::meanfield::{self, Grid};
use bmu_sim::store::{OutputError, PendingFile};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct MeanfieldArgs {
    /// Days to solve for
    #[arg(long, value_name = "N", default_value_t = 200.0, allow_negative_numbers = true)]
    days: f64,
    /// RK4 step, days (at most 1e8 steps in all)
    #[arg(long, value_name = "D", default_value_t = 0.001, allow_negative_numbers = true)]
    dt: f64,
    /// One row every E days (at most 1e6 rows)
    #[arg(long, value_name = "E", default_value_t = 0.1, allow_negative_numbers = true)]
    every: f64,
    /// Write the CSV to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(long, requires = "out")]
    force: bool,
}

pub fn meanfield(args: MeanfieldArgs, out: &mut dyn Write) -> Result<(), Error> {
    let grid = Grid::new(args.days, args.dt, args.every)
        .map_err(|e| Error::Usage(format!("meanfield: {e}: lower --days, or raise --dt or --every")))?;
    let pending = args.out.as_deref().map(|path| PendingFile::create(path, args.force)).transpose()?;
    let kernel = meanfield::Kernel::komarova2003();
    let rows = meanfield::solve(&kernel, meanfield::pulse_start(&kernel, 10.0), &grid);
    match pending {
        None => meanfield::write_csv(&rows, out).map_err(stdout_error),
        Some(mut file) => {
            let written = meanfield::write_csv(&rows, &mut file);
            written.map_err(|source| OutputError::Io { path: args.out.clone().unwrap_or_default(), source })?;
            file.commit()?;
            Ok(())
        }
    }
}
