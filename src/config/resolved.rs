//! The resolved config: every key explicit, written next to every output so a run can be
//! repeated from its output directory alone (`bmu-sim run OUT/config.toml`).

use super::Config;
use super::interventions::Change;
use super::params::{PARAMS, Params};
use super::population::Between;
use super::sweep::{Mode, Scale};
use super::targets::{Spread, Trial};
use std::fmt::Write;

/// A TOML string literal.
fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// A float as TOML accepts it back bit-for-bit.
fn number(x: f64) -> String {
    format!("{x:?}")
}

/// Every parameter, one `key = value` line each, in table order.
fn write_params(s: &mut String, params: &Params) {
    for p in PARAMS {
        if let Some(v) = params.get(p.key) {
            let _ = writeln!(s, "{} = {v}", p.key);
        }
    }
}

/// The resolved config: a comment naming the source, then [`body`].
pub(super) fn to_toml(c: &Config) -> String {
    format!("# Resolved from {}: every parameter of every scenario.\n{}", c.source, body(c))
}

/// Every key of the config, explicit, and nothing about where it came from: its hash identifies
/// the model run, whatever file or path it was read from.
pub(super) fn body(c: &Config) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "seed = {}\nreplicates = {}\ndays = {}", c.seed, c.replicates, number(c.days));
    let _ = writeln!(s, "spinup_days = {}\nrecord_every_days = {}", number(c.spinup_days), number(c.record_every_days));
    let _ = writeln!(s, "bone_law = {}\nhypothesis = {}", quoted(c.bone_law.name()), quoted(c.hypothesis.name()));
    let _ = writeln!(s, "reference = {}", quoted(&c.comparison.reference_scenario));
    let _ = writeln!(s, "common_random_numbers = {}\nplots = {}", c.comparison.common_random_numbers, c.plots);
    if !c.comparison.headline.is_empty() {
        let metrics: Vec<String> = c.comparison.headline.iter().map(|m| quoted(m)).collect();
        let _ = writeln!(s, "headline = [{}]", metrics.join(", "));
    }
    if let Some(p) = &c.posterior {
        // The hash makes the config's own hash change with the posterior's content.
        let _ = writeln!(s, "posterior = {} # fnv1a64 {}", quoted(&p.file), p.hash);
    }
    if let Some(population) = &c.population {
        let _ = writeln!(s, "\n# Each replicate is a patient drawn from these.\n[population]");
        for (key, between) in &population.keys {
            let (a, x, b, y) = match *between {
                Between::LogNormal { median, cv } => ("median", median, "cv", cv),
                Between::Normal { mean, sd } => ("mean", mean, "sd", sd),
                Between::Uniform { low, high } => ("low", low, "high", high),
            };
            let _ = writeln!(s, "{key} = {{ {a} = {}, {b} = {} }}", number(x), number(y));
        }
    }
    let _ = writeln!(s, "\n# The untreated reference every scenario is measured against.\n[params]");
    write_params(&mut s, &c.reference);
    for sc in c.base_scenarios() {
        let _ = writeln!(s, "\n[[scenario]]\nname = {}", quoted(&sc.name));
        if !sc.description.is_empty() {
            let _ = writeln!(s, "description = {}", quoted(&sc.description));
        }
        let _ = writeln!(s, "hypothesis = {}\n[scenario.params]", quoted(sc.hypothesis.name()));
        write_params(&mut s, &sc.params);
        for i in &sc.interventions {
            let _ = writeln!(s, "[[scenario.intervention]]\nkind = {}", quoted(i.kind.name()));
            let _ = writeln!(s, "start_day = {}", number(i.start_day));
            if i.dosing.is_none() {
                let _ = writeln!(s, "end_day = {}", number(i.end_day));
                let _ = writeln!(s, "ramp_days = {}\nstrength = {}", number(i.ramp_days), number(i.strength));
            }
            if let Some(d) = i.dosing {
                let _ = writeln!(s, "agent = {}\ndose = {}", quoted(d.agent.name()), number(d.dose));
                let _ = writeln!(s, "every_days = {}\ndoses = {}", number(d.every_days), d.doses);
                continue;
            }
            match i.target {
                Some((key, Change::Scale(f))) => _ = writeln!(s, "key = {}\nscale = {}", quoted(key), number(f)),
                Some((key, Change::Set(v))) => _ = writeln!(s, "key = {}\nset = {}", quoted(key), number(v)),
                None => {}
            }
        }
    }
    for t in &c.comparison.targets {
        let _ = writeln!(s, "\n[[target]]\nscenario = {}\nmetric = {}", quoted(&t.scenario), quoted(t.metric));
        let _ = writeln!(s, "day = {}\nrelative = {}", number(t.day), t.relative);
        let _ = match t.trial {
            None => writeln!(s, "low = {}\nhigh = {}", number(t.low), number(t.high)),
            Some(Trial { estimate, se, given: Spread::StandardError }) => {
                writeln!(s, "estimate = {}\nse = {}", number(estimate), number(se))
            }
            Some(Trial { estimate, given: Spread::Interval95, .. }) => {
                writeln!(s, "estimate = {}\nci95 = [{}, {}]", number(estimate), number(t.low), number(t.high))
            }
        };
        let _ = writeln!(s, "source = {}", quoted(&t.source));
        if t.from_baseline {
            let _ = writeln!(s, "from_baseline = true");
        }
        if t.held_out {
            let _ = writeln!(s, "held_out = true");
        }
    }
    for k in &c.comparison.contrasts {
        let _ = writeln!(s, "\n[[contrast]]");
        if let Some(name) = &k.name {
            let _ = writeln!(s, "name = {}", quoted(name));
        }
        let _ = writeln!(s, "a = {}\nb = {}", quoted(&k.a), quoted(&k.b));
        if let Some((x, y)) = &k.interaction {
            let _ = writeln!(s, "c = {}\nd = {}", quoted(x), quoted(y));
        }
    }
    if let Some(sweep) = &c.sweep {
        let mode = match sweep.mode {
            Mode::Grid => "grid",
            Mode::Zip => "zip",
        };
        let _ = writeln!(s, "\n[sweep]\nmode = {}", quoted(mode));
        if let Some(day) = sweep.day {
            let _ = writeln!(s, "day = {}", number(day));
        }
        for a in &sweep.axes {
            let values: Vec<String> =
                a.values.iter().map(|&x| if a.integer { format!("{}", x as i64) } else { number(x) }).collect();
            let scale = if a.scale == Scale::Log { "log" } else { "linear" };
            let _ = writeln!(s, "{} = {{ values = [{}], scale = {} }}", a.key, values.join(", "), quoted(scale));
        }
    }
    s
}
