//! How the tissue answers a change, in the direction biology says (`configs/directions.toml`, on
//! a smaller tissue): each scenario is paired with the untreated reference under common random
//! numbers, and its effect is the mean paired difference with a 95 % t interval over replicates.
//! Under the published bone law several of these go the wrong way (longer-lived osteoclasts gain
//! bone); they are what the coupled remodelling cycle is for.

use crate::paired::Paired;
use std::sync::OnceLock;

const DIRECTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/directions.toml");

/// The shipped config run once for all tests here: 250 sites, 6 replicates, 3 recorded years.
fn run() -> &'static Paired {
    static RUN: OnceLock<Paired> = OnceLock::new();
    RUN.get_or_init(|| {
        let sets = ["sites=250", "replicates=6", "years=3", "mitochondria_per_cell=30", "record_every_days=15"];
        Paired::run(DIRECTIONS, "directions", "reference", &sets)
    })
}

fn at(scenario: &str, metric: &str, day: i64) -> crate::paired::Effect {
    run().at(scenario, metric, day)
}

fn over(scenario: &str, metric: &str, from: i64, to: i64) -> crate::paired::Effect {
    run().over(scenario, metric, from, to)
}

fn trend(scenario: &str, metric: &str, from: i64, to: i64) -> crate::paired::Effect {
    run().trend(scenario, metric, from, to)
}

/// A sustained loss that grows: below zero at three years, and still falling over years 1–3.
fn assert_growing_loss(scenario: &str) {
    let (one, three) = (at(scenario, "bone_density", 365), at(scenario, "bone_density", 1095));
    let slope = trend(scenario, "bone_density", 365, 1095);
    eprintln!(
        "{scenario}: density effect {one:?} at 1 y, {three:?} at 3 y; trend over years 1–3 {slope:?} points/year"
    );
    assert!(three.hi < 0.0, "{scenario}: no loss at three years: {three:?}");
    assert!(slope.hi < 0.0, "{scenario}: the loss does not keep growing after the first year: {slope:?}");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn longer_lived_osteoclasts_lose_bone_and_keep_losing_it() {
    assert_growing_loss("longer_lived_osteoclasts");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn more_osteoclasts_lose_bone_and_keep_losing_it() {
    assert_growing_loss("more_osteoclasts");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn more_active_osteoclasts_lose_bone_and_keep_losing_it() {
    assert_growing_loss("more_active_osteoclasts");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn more_activation_costs_the_extra_remodelling_space_within_a_cycle_then_holds() {
    // One cycle is ~165 days (Rs.P + Rv.P + FP). The matrix lost is the space the extra open
    // cavities take: Δbone_mass (% of day 0, ~94 % of intact) ≈ −Δremodelling_space / 0.94.
    let space = over("more_activation", "remodelling_space", 180, 1095);
    let early = at("more_activation", "bone_mass", 180);
    let late = at("more_activation", "bone_mass", 1095);
    eprintln!("more_activation: extra space {space:?}; bone mass effect {early:?} at 180 d, {late:?} at 3 y");
    assert!(space.lo > 1.0, "more BMUs should open more space: {space:?}");
    let expected = -space.mean / 0.94;
    assert!(
        (early.mean - expected).abs() < 0.3 * expected.abs(),
        "loss at one cycle {early:?} vs the extra space {expected}"
    );
    assert!(
        (late.mean - early.mean).abs() < 0.3 * expected.abs(),
        "the matrix loss should stop after a cycle: {early:?} then {late:?}"
    );
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn fewer_activations_refill_the_space_then_mineralise_older_bone() {
    let (early, late) = (at("fewer_activations", "bone_mass", 180), at("fewer_activations", "bone_mass", 1095));
    let (mineral_early, mineral_late) =
        (at("fewer_activations", "mineral_fraction", 180), at("fewer_activations", "mineral_fraction", 1095));
    let density = at("fewer_activations", "bone_density", 1095);
    eprintln!(
        "fewer_activations: mass {early:?} → {late:?}; mineral fraction {mineral_early:?} → {mineral_late:?}; density {density:?}"
    );
    assert!(early.lo > 0.5, "closing cavities should gain bone within a cycle: {early:?}");
    assert!((late.mean - early.mean).abs() < 0.5 * early.mean, "then the matrix holds: {early:?} → {late:?}");
    assert!(
        mineral_late.lo > mineral_early.hi,
        "older bone should mineralise further: {mineral_early:?} → {mineral_late:?}"
    );
    assert!(density.lo > late.hi, "so density gains more than matrix: {density:?} vs {late:?}");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn stronger_osteoblasts_gain_bone_and_weaker_ones_lose_it() {
    let (stronger, weaker) =
        (at("stronger_osteoblasts", "bone_density", 1095), at("weaker_osteoblasts", "bone_density", 1095));
    eprintln!("osteoblast work ×1.1: {stronger:?}; ×0.9: {weaker:?}");
    assert!(stronger.lo > 0.0, "stronger osteoblasts should gain: {stronger:?}");
    assert!(weaker.hi < 0.0, "weaker osteoblasts should lose: {weaker:?}");
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn damaged_mitochondria_kill_osteoclasts_sooner_weaken_them_and_gain_bone() {
    let apoptosis = over("damaged_mitochondria", "osteoclast_apoptosis", 30, 1095);
    let activity = over("damaged_mitochondria", "mean_activity", 30, 1095);
    let depolarised = at("damaged_mitochondria", "mean_depolarised", 15);
    let bone = at("damaged_mitochondria", "bone_density", 1095);
    eprintln!(
        "damage ×4: apoptosis {apoptosis:?}, activity {activity:?}, depolarised at 15 d {depolarised:?}, density {bone:?}"
    );
    assert!(apoptosis.lo > 0.0, "more apoptosis: {apoptosis:?}");
    assert!(activity.hi < 0.0, "less resorption per osteoclast: {activity:?}");
    assert!(depolarised.lo > 0.0, "recruits arrive with the damaged mitochondria of the moment: {depolarised:?}");
    // Weaker, shorter-lived osteoclasts resorb less: at the shipped size (`bmu-sim run
    // configs/directions.toml`, 500 sites, 10 replicates, 100 mitochondria per cell) the gain is
    // +1.24 (+0.80 to +1.68) at 4 years under the exact process (2026-12-07). This smaller tissue
    // resolves the direction, not the interval (+0.7, −0.3 to +1.7).
    assert!(bone.mean > 0.0, "less resorption should leave more bone: {bone:?}");
}
