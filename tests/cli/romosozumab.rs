//! Romosozumab in a tissue (`src/processes/interventions/romosozumab.rs`): its formation marker
//! rises within weeks and is back near placebo's by month 12 while the drug is still given (the
//! tolerance of `pharmacokinetics/romosozumab.rs`), its resorption marker stays below placebo's
//! all year, and alendronate after it keeps more of its gain than nothing after it. Paired by
//! replicate under common random numbers.

use crate::paired::{Paired, effect};
use std::sync::OnceLock;

/// Two years after a year's spin-up on 200 cancellous sites turning over as after the menopause
/// (RANKL 1.5): 210 mg monthly for 12 months, then nothing or alendronate 70 mg weekly.
const ROMOSOZUMAB: &str = "seed = 7\nreplicates = 4\nyears = 2\nspinup_years = 1\nrecord_every_days = 30\n\
    reference = \"placebo\"\n[params]\nsites = 200\nmitochondria_per_cell = 20\nrankl = 1.5\n\
    [[scenario]]\nname = \"placebo\"\n\
    [[scenario]]\nname = \"romosozumab_stop\"\n[[scenario.intervention]]\nkind = \"romosozumab\"\ndose = 210\n\
    every_days = 30.4375\ndoses = 12\n\
    [[scenario]]\nname = \"romosozumab_then_alendronate\"\n[[scenario.intervention]]\nkind = \"romosozumab\"\n\
    dose = 210\nevery_days = 30.4375\ndoses = 12\n[[scenario.intervention]]\nkind = \"bisphosphonate\"\n\
    agent = \"alendronate\"\ndose = 70\nstart_day = 365\nevery_days = 7\nuntil_day = 730\n";

/// The config run once for all tests here (about 15 s on one core).
fn run() -> &'static Paired {
    static RUN: OnceLock<Paired> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let config = dir.join(format!("romosozumab-{}.toml", std::process::id()));
        std::fs::write(&config, ROMOSOZUMAB).expect("write the config");
        Paired::run(config.to_str().expect("utf-8 path"), "romosozumab", "placebo", &["replicates=4"])
    })
}

#[test]
fn romosozumab_formation_rises_then_wanes_within_a_year_while_resorption_stays_down() {
    let p = run();
    let early = p.over("romosozumab_stop", "p1np_pct", 30, 90);
    let late = p.over("romosozumab_stop", "p1np_pct", 300, 360);
    let ctx = p.over("romosozumab_stop", "ctx_pct", 30, 360);
    eprintln!("P1NP vs placebo: months 1-3 {early:?}, months 10-12 {late:?}; CTX over the year {ctx:?}");
    assert!(early.lo > 30.0, "P1NP does not rise early: {early:?}");
    assert!(late.hi < early.lo && late.mean.abs() < 25.0, "P1NP is not back near baseline by month 12: {late:?}");
    assert!(ctx.hi < 0.0, "CTX does not stay below placebo: {ctx:?}");
    // The drug was still given in month 12: what waned is the formation effect, not the drug.
    let month_12 = p.diffs("romosozumab_stop", "ctx_pct");
    let (_, last) = month_12.range(330..=360).next_back().expect("a row in month 12");
    assert!(effect(last).mean < 0.0, "CTX back at placebo's by month 12: {:?}", effect(last));
}

#[test]
fn alendronate_after_romosozumab_keeps_more_than_nothing_after_it() {
    let p = run();
    let built = p.at("romosozumab_stop", "bone_density", 365);
    let kept = p.between("romosozumab_then_alendronate", "romosozumab_stop", "bone_density", 730);
    eprintln!("a year of romosozumab: {built:?}; alendronate after it beyond nothing at 2 years: {kept:?}");
    assert!(built.lo > 0.0, "a year of romosozumab builds nothing: {built:?}");
    assert!(kept.lo > 0.0, "alendronate after romosozumab keeps no more than nothing: {kept:?}");
}
