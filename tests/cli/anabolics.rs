//! Modelling-based formation (`src/processes/modelling.rs`) in a tissue: an anabolic builds
//! bone that an antiresorptive cannot, so the two add; stopped alone it gives part of it back,
//! and an antiresorptive after it keeps it. Paired by replicate under common random numbers.

use crate::paired::{Effect, Paired, effect};
use std::sync::OnceLock;

/// Three years after a year's spin-up on 100 cancellous sites of a tissue turning over as after the
/// menopause (RANKL 1.5: 1.2 activations per site-year): teriparatide, denosumab and both
/// throughout; teriparatide for one year, then nothing or denosumab.
const ANABOLICS: &str = "seed = 5\nreplicates = 4\nyears = 3\nspinup_years = 1\nrecord_every_days = 73\n\
    reference = \"placebo\"\n[params]\nsites = 100\nmitochondria_per_cell = 20\nrankl = 1.5\n\
    [[scenario]]\nname = \"placebo\"\n\
    [[scenario]]\nname = \"teriparatide\"\n[[scenario.intervention]]\nkind = \"teriparatide\"\nstart_day = 0\n\
    [[scenario]]\nname = \"denosumab\"\n[[scenario.intervention]]\nkind = \"denosumab\"\nstart_day = 0\n\
    [[scenario]]\nname = \"both\"\n[[scenario.intervention]]\nkind = \"teriparatide\"\nstart_day = 0\n\
    [[scenario.intervention]]\nkind = \"denosumab\"\nstart_day = 0\n\
    [[scenario]]\nname = \"teriparatide_stop\"\n[[scenario.intervention]]\nkind = \"teriparatide\"\nstart_day = 0\n\
    end_day = 365\n\
    [[scenario]]\nname = \"teriparatide_then_denosumab\"\n[[scenario.intervention]]\nkind = \"teriparatide\"\n\
    start_day = 0\nend_day = 365\n[[scenario.intervention]]\nkind = \"denosumab\"\nstart_day = 365\n";

/// The config run once for all tests here (about 25 s on one core).
fn run() -> &'static Paired {
    static RUN: OnceLock<Paired> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let config = dir.join(format!("anabolics-{}.toml", std::process::id()));
        std::fs::write(&config, ANABOLICS).expect("write the config");
        Paired::run(config.to_str().expect("utf-8 path"), "anabolics", "placebo", &["replicates=4"])
    })
}

/// Per replicate, how much `scenario`'s effect on bone density changed from day `from` to `to`.
fn change(scenario: &str, from: i64, to: i64) -> Effect {
    let diffs = run().diffs(scenario, "bone_density");
    effect(&diffs[&to].iter().zip(&diffs[&from]).map(|(b, a)| b - a).collect::<Vec<_>>())
}

#[test]
fn an_anabolic_and_an_antiresorptive_together_beat_either_alone() {
    let p = run();
    for alone in ["teriparatide", "denosumab"] {
        let (gain, beyond) = (p.at(alone, "bone_density", 730), p.between("both", alone, "bone_density", 730));
        eprintln!("{alone}: {gain:?} at 2 years; both beyond it: {beyond:?}");
        assert!(gain.lo > 0.0, "{alone} gains nothing: {gain:?}");
        assert!(beyond.lo > 0.0, "both do not beat {alone} alone: {beyond:?}");
    }
}

#[test]
fn an_anabolic_stopped_alone_gives_back_and_an_antiresorptive_after_it_keeps() {
    let p = run();
    let built = p.at("teriparatide_stop", "bone_density", 365);
    // The packets begun in the last months of treatment finish within 130 days and their bone
    // mineralises, so the loss shows over the two years after stopping.
    let stopped = change("teriparatide_stop", 365, 1095);
    let followed = change("teriparatide_then_denosumab", 365, 1095);
    eprintln!("a year of teriparatide: {built:?}; the next two alone {stopped:?}, on denosumab {followed:?}");
    assert!(built.lo > 0.0, "a year of teriparatide builds nothing: {built:?}");
    assert!(stopped.hi < 0.0, "stopped alone, nothing is given back: {stopped:?}");
    assert!(-stopped.mean < built.mean, "stopped alone, more than the gain is lost: {stopped:?} of {built:?}");
    assert!(followed.lo > 0.0, "denosumab after it does not keep the gain: {followed:?}");
}
