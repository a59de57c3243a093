//! Long runs hold: a 50-year run of a small tissue needs no more memory than a 10-year one, but
//! for the rows it records. The peak resident set (`VmHWM`, Linux) of this test process, which
//! runs nothing else, is read after a 10-year run and again after a 50-year run. Tens of thousands
//! of osteoclasts and their mitochondria come and go in the 40 more years (the test prints how
//! many): a leak of cells, mitochondria or per-step records would raise the peak by megabytes.
//! `cargo test --release --test long_run -- --nocapture` prints the figures.

use bmu_sim::config::{Config, Overrides};
use bmu_sim::ensemble;
use bmu_sim::record::RunRecord;
use std::sync::atomic::AtomicU64;

/// What a 50-year run may add to the peak of a 10-year one: the extra rows it records (a few
/// hundred kilobytes here) and allocator slack.
const ALLOWED_GROWTH_KIB: u64 = 4 * 1024;

/// A `/proc/self/status` figure, in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One replicate of a 100-site tissue for `years` years after a year of spin-up, a row a month.
fn run(years: u32) -> RunRecord {
    let text = format!(
        "replicates = 1\nyears = {years}\nspinup_years = 1\nrecord_every_days = 30\n[params]\nsites = 100\nmitochondria_per_cell = 40\n"
    );
    let config = Config::parse("long.toml", &text, &Overrides::default()).expect("valid config");
    let mut result = ensemble::run(&config, 1, &AtomicU64::new(0)).expect("runs");
    result.runs.remove(0)
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn memory_stays_flat_over_a_fifty_year_run() {
    let Some(start) = status_kib("VmHWM:") else {
        eprintln!("skipped: no /proc/self/status here");
        return;
    };
    let ten = run(10);
    let after_10 = status_kib("VmHWM:").expect("VmHWM");
    let fifty = run(50);
    let after_50 = status_kib("VmHWM:").expect("VmHWM");
    eprintln!(
        "peak resident set: {start} KiB at the start, {after_10} KiB after 10 years, {after_50} KiB after 50 years \
         (+{} KiB); 50 years: {} BMUs, {} osteoclasts formed and {} died, {} rows",
        after_50.saturating_sub(after_10),
        fifty.bmus_started,
        fifty.osteoclasts_formed,
        fifty.osteoclasts_died,
        fifty.samples.len()
    );
    assert!(fifty.samples.len() > 4 * ten.samples.len(), "the 50-year run did not run 50 years");
    assert!(fifty.osteoclasts_died > 20_000, "too few cells came and went to show a leak");
    assert!(
        after_50 <= after_10 + ALLOWED_GROWTH_KIB,
        "memory grows with simulated time: {after_10} KiB after 10 years, {after_50} KiB after 50"
    );
}
