//! Notes and progress on standard error: a bar with an ETA on a terminal, plain timestamped
//! lines otherwise (cluster logs), nothing with `--quiet`. Standard error is best effort: a
//! closed or full stderr never stops a run.

use bmu_sim::estimate::duration;
use bmu_sim::provenance::rfc3339_utc;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant, SystemTime};

/// How often the bar is redrawn.
const BAR_TICK: Duration = Duration::from_millis(200);
/// How often a progress line is written to a log.
const LOG_EVERY: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Quiet,
    Bar,
    Log,
}

/// Where notes and progress go.
pub struct Reporter {
    mode: Mode,
}

impl Reporter {
    /// Silent with `quiet`; else a bar if stderr is a terminal, timestamped lines if not.
    pub fn new(quiet: bool) -> Reporter {
        let mode = match (quiet, std::io::stderr().is_terminal()) {
            (true, _) => Mode::Quiet,
            (false, true) => Mode::Bar,
            (false, false) => Mode::Log,
        };
        Reporter { mode }
    }

    /// One line on stderr, `bmu-sim: ` first (and a UTC timestamp before that in a log).
    pub fn note(&self, message: impl Display) {
        let line = match self.mode {
            Mode::Quiet => return,
            Mode::Bar => format!("bmu-sim: {message}\n"),
            Mode::Log => format!("{} bmu-sim: {message}\n", rfc3339_utc(SystemTime::now())),
        };
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    /// Run `work`, reporting how far the step counter it is given has gone towards `total`.
    pub fn watch<T>(&self, total: u64, work: impl FnOnce(&AtomicU64) -> T) -> T {
        let steps = AtomicU64::new(0);
        if self.mode == Mode::Quiet {
            return work(&steps);
        }
        std::thread::scope(|scope| {
            let (done, finished) = channel::<()>();
            let steps = &steps;
            scope.spawn(move || match self.mode {
                Mode::Bar => bar(&finished, steps, total),
                _ => self.log(&finished, steps, total),
            });
            let result = work(steps);
            drop(done);
            result
        })
    }

    fn log(&self, finished: &Receiver<()>, steps: &AtomicU64, total: u64) {
        let start = Instant::now();
        while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(LOG_EVERY) {
            self.note(progress_line(steps.load(Ordering::Relaxed), total, start.elapsed()));
        }
    }
}

/// A bar over `total` steps until `finished` closes, then cleared.
fn bar(finished: &Receiver<()>, steps: &AtomicU64, total: u64) {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {percent:>3}%  ETA {eta}");
    bar.set_style(style.unwrap_or_else(|_| ProgressStyle::default_bar()));
    loop {
        bar.set_position(steps.load(Ordering::Relaxed));
        if !matches!(finished.recv_timeout(BAR_TICK), Err(RecvTimeoutError::Timeout)) {
            break;
        }
    }
    bar.finish_and_clear();
}

/// `34% (1700 of 5000 steps), 1.2 min elapsed, about 2.3 min left`.
fn progress_line(done: u64, total: u64, elapsed: Duration) -> String {
    let fraction = if total == 0 { 1.0 } else { done as f64 / total as f64 };
    let elapsed = elapsed.as_secs_f64();
    let left = if done == 0 {
        "time left not known yet".to_string()
    } else {
        format!("about {} left", duration(elapsed * (1.0 - fraction) / fraction))
    };
    format!("{:.0}% ({done} of {total} steps), {} elapsed, {left}", 100.0 * fraction, duration(elapsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_say_how_far_and_how_long() {
        let line = progress_line(1700, 5000, Duration::from_secs(60));
        assert_eq!(line, "34% (1700 of 5000 steps), 60 s elapsed, about 116 s left");
        assert!(progress_line(0, 5000, Duration::from_secs(3)).contains("not known"));
        assert!(progress_line(0, 0, Duration::ZERO).starts_with("100%"));
    }

    #[test]
    fn watch_returns_the_work_and_its_steps() {
        for quiet in [true, false] {
            let reporter = Reporter { mode: if quiet { Mode::Quiet } else { Mode::Log } };
            let n = reporter.watch(10, |steps| {
                steps.fetch_add(10, Ordering::Relaxed);
                steps.load(Ordering::Relaxed)
            });
            assert_eq!(n, 10);
        }
    }
}
