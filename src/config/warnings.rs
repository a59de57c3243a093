//! Warnings: what a valid config asks for that its run cannot honour, located like an error
//! (file, line, column, key) at the key that asks for it. `validate` and `run` print them before
//! anything runs; `--strict` makes the first one an error.
//!
//! - a `[[target]]` or the `[sweep]`'s `day` after the run ends (the target would be read at no
//!   recorded day; the sweep plot would read the last day instead);
//! - an intervention that never acts: it starts after the run ends, or ends before the spin-up
//!   begins;
//! - a ramp longer than its window: the level never reaches `strength`;
//! - a `strength` that does nothing (0; a knock-out below [`SWITCH_LEVEL`]) or that a knock-out,
//!   all or nothing, cannot give partially ([`Strength::Switch`]).
//!
//! Strengths out of a kind's range are errors, refused by the reader.

use super::Config;
use super::interventions::{Intervention, SWITCH_LEVEL, Strength};
use super::located::{ConfigError, Locations};

/// A located warning: printed as `bmu-sim: warning: FILE:LINE:COL: key `KEY`: message`.
pub type Warning = ConfigError;

/// The warning `message` at the key `key` was set at, or else at `fallback`'s (an intervention
/// table whose field was left at its default), or the file's top.
fn at(config: &Config, locations: &Locations, key: &str, fallback: &str, message: String) -> Warning {
    let mut w = locations.get(key).or_else(|| locations.get(fallback)).cloned().unwrap_or_else(|| ConfigError {
        file: config.source.clone(),
        line: 1,
        column: 1,
        key: String::new(),
        message: String::new(),
    });
    w.key = key.to_string();
    w.message = message;
    w
}

/// Every warning of `config`, in file order: `written` holds each intervention as written
/// (background and per scenario) under its key, `locations` where each key was set.
pub(super) fn find(config: &Config, written: &[(String, Intervention)], locations: &Locations) -> Vec<Warning> {
    let end = config.days;
    let ends = format!("after the run ends (day {end})");
    let mut warnings = Vec::new();
    for (n, t) in config.comparison.targets.iter().enumerate() {
        if t.day > end {
            let message = format!("day {} is {ends}: the target is read at no recorded day", t.day);
            warnings.push(at(config, locations, &format!("target[{n}].day"), "", message));
        }
    }
    if let Some(day) = config.sweep.as_ref().and_then(|s| s.day).filter(|d| *d > end) {
        let message = format!("day {day} is {ends}: the sweep plot would read day {end} instead");
        warnings.push(at(config, locations, "sweep.day", "sweep", message));
    }
    for (prefix, i) in written {
        warnings.extend(intervention(i, end, config.spinup_days).map(|(field, message)| {
            let message = format!("{} {message}", i.kind);
            at(config, locations, &format!("{prefix}.{field}"), prefix, message)
        }));
    }
    warnings.sort_by_key(|w| (w.line, w.column));
    warnings
}

/// What one intervention cannot do in a run recorded from day 0 to `end` after `spinup` days:
/// (the field at fault, why).
fn intervention(i: &Intervention, end: f64, spinup: f64) -> impl Iterator<Item = (&'static str, String)> {
    let mut found = Vec::new();
    if i.start_day >= end {
        found.push((
            "start_day",
            format!("starts at day {}, at or after the run's end (day {end}): it never acts", i.start_day),
        ));
    }
    if i.end_day <= -spinup {
        found.push((
            "end_day",
            format!("ends at day {}, before the spin-up begins (day {}): it never acts", i.end_day, -spinup),
        ));
    }
    let window = i.end_day - i.start_day;
    if i.end_day < f64::MAX && 2.0 * i.ramp_days > window {
        let peak = window / (2.0 * i.ramp_days);
        found.push((
            "ramp_days",
            format!(
                "ramps up and down over {} days each, longer together than its {window}-day window: \
                 its level peaks at {} of its strength",
                i.ramp_days,
                round(peak)
            ),
        ));
    } else if i.end_day == f64::MAX && i.ramp_days > 0.0 && i.start_day < end && i.start_day + i.ramp_days > end {
        found.push((
            "ramp_days",
            format!(
                "ramps up until day {}, after the run's end (day {end}): its level never reaches its strength",
                i.start_day + i.ramp_days
            ),
        ));
    }
    let s = i.strength;
    if s == 0.0 {
        found.push(("strength", "has strength 0: it does nothing".to_string()));
    } else if i.kind.strength() == Strength::Switch && s < SWITCH_LEVEL {
        found.push((
            "strength",
            format!("has strength {s}, which does nothing: a knock-out acts, fully, from level {SWITCH_LEVEL}"),
        ));
    } else if i.kind.strength() == Strength::Switch && s < 1.0 {
        found.push((
            "strength",
            format!("is all or nothing: strength {s} acts as a full knock-out (1), not a partial one"),
        ));
    }
    found.into_iter()
}

/// `x` to three significant decimals, for messages.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
