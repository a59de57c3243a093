//! SIGINT, SIGTERM and SIGHUP during a run: the first asks the run to start no further unit and
//! stop once the running ones are written (a Slurm job at its time limit, a Ctrl-C); a second
//! stops at once. Either way every finished unit is on disk and `--resume` goes on from there.

use super::progress::Reporter;
use bmu_sim::Error;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The flag a signal raises (never, with a note, if the handler cannot be installed). A second
/// signal exits at once, exit 6, saying where the finished units are and `resume`, the command
/// that goes on from them.
pub fn stop_flag(reporter: &Reporter, dir: &Path, resume: String) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let raised = Arc::clone(&stop);
    let dir = dir.display().to_string();
    let installed = ctrlc::set_handler(move || {
        if raised.swap(true, Ordering::SeqCst) {
            // A second signal: the finished units are on disk, the running ones are lost.
            let e = Error::Incomplete(format!(
                "stopped at once by a second signal: the finished units are kept in {dir}; {resume}"
            ));
            eprintln!("bmu-sim: error: {e}");
            std::process::exit(i32::from(e.exit_code()));
        }
        eprintln!("bmu-sim: stopping once the running units are written (a second signal stops at once)");
    });
    if let Err(e) = installed {
        reporter.note(format_args!("signals will stop the run at once ({e})"));
    }
    stop
}
