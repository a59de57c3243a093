//! Dosing regimens act as their kinetics say (`configs/regimens.toml`, on a smaller tissue), each
//! scenario paired with placebo under common random numbers: denosumab acts for months after its
//! last injection and then lets go; one zoledronate infusion keeps bone for years; a drug given
//! after another keeps what the first gained. None of these arms was fitted.

use crate::paired::{Effect, Paired};
use std::sync::OnceLock;

const REGIMENS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/regimens.toml");

/// The shipped config run once for all tests here: 150 + 150 sites, 6 replicates, 3 years.
fn run() -> &'static Paired {
    static RUN: OnceLock<Paired> = OnceLock::new();
    RUN.get_or_init(|| {
        let sets = ["sites=150", "cortical_sites=150", "replicates=6", "years=3", "mitochondria_per_cell=30"];
        Paired::run(REGIMENS, "regimens", "placebo", &sets)
    })
}

fn between(a: &str, b: &str, metric: &str, day: i64) -> Effect {
    let e = run().between(a, b, metric, day);
    eprintln!("{a} − {b}: {metric} at day {day}: {e:?}");
    e
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn denosumab_acts_for_months_after_its_last_dose_then_lets_go() {
    // The last of four injections is on day 547.5: its effect lasts ~6–7 months.
    let during = run().over("denosumab_stopped", "osteoclasts", 600, 720);
    let after = run().over("denosumab_stopped", "osteoclasts", 840, 1000);
    eprintln!("osteoclasts vs placebo: {during:?} 2–6 months after the last dose, {after:?} 10–15 months after");
    assert!(during.hi < 0.0, "denosumab stopped acting at its last dose: {during:?}");
    assert!(after.mean > during.hi, "osteoclasts did not come back after the offset: {after:?} vs {during:?}");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn one_zoledronate_infusion_keeps_bone_for_years() {
    let three = run().at("zoledronate_once", "spine_bmd", 1095);
    eprintln!("zoledronate once: spine at 3 years {three:?}");
    assert!(three.lo > 0.0, "no gain left three years after one infusion: {three:?}");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn zoledronate_after_denosumab_blunts_the_rebound() {
    let blunted = between("denosumab_then_zoledronate", "denosumab_stopped", "spine_bmd", 1095);
    assert!(blunted.lo > 0.0, "zoledronate at the offset kept nothing of denosumab's gain: {blunted:?}");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn an_antiresorptive_after_teriparatide_keeps_more_than_stopping() {
    let kept = between("teriparatide_then_denosumab", "teriparatide_stopped", "spine_bmd", 1095);
    assert!(kept.lo > 0.0, "denosumab after teriparatide kept no more than stopping: {kept:?}");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn an_alendronate_holiday_keeps_part_of_the_gain() {
    let (on, off) =
        (run().at("alendronate_holiday", "spine_bmd", 730), run().at("alendronate_holiday", "spine_bmd", 1095));
    eprintln!("alendronate: spine {on:?} after 2 years on, {off:?} after 1 year off");
    assert!(off.lo > 0.0, "nothing kept a year into the holiday: {off:?}");
}
