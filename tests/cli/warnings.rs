//! Warnings before a run that cannot answer: `validate` and `run` print each, located like an
//! error (file, line, column, key); `--strict` makes it an error (exit 3, nothing written).
//! Strengths out of a kind's range are errors.

use crate::common::*;
use crate::errors::{located, refused};

/// A small valid run for the configs below to extend: 30 days after a 10-day spin-up on 4 sites.
const SMALL: &str =
    "days = 30\nspinup_days = 10\nreplicates = 1\n[params]\nsites = 4\ndt_days = 0.5\nmitochondria_per_cell = 10\n";

/// `SMALL` + `marked`, `§` marking where the one warning must be located: check that `validate`
/// prints it there (and succeeds), that `--strict` refuses it as an error at the same place for
/// both `validate` and `run` without writing anything, and return its message.
fn warned(name: &str, marked: &str, key: &str) -> String {
    let tmp = TempDir::new(name);
    let text = format!("{SMALL}{marked}");
    let at = text.find('§').unwrap_or_else(|| panic!("{name}: no § marker"));
    let text = text.replace('§', "");
    let want = line_col(&text, at);
    let path = tmp.write("warn.toml", &text);
    let path_s = path.to_str().unwrap();
    let r = bmu(tmp.path(), &["validate", path_s]).ok();
    assert!(r.stdout.contains("valid"), "{name}: {}", r.stdout);
    let warning = r.stderr.replacen("bmu-sim: warning: ", "bmu-sim: error: ", 1);
    assert!(r.stderr.starts_with("bmu-sim: warning: "), "{name}: no warning: {}", r.stderr);
    let w = located(&warning, path_s);
    assert_eq!((w.line, w.col), want, "{name}: wrong location: {w:?}");
    assert!(w.key.as_deref().is_some_and(|k| k.ends_with(key)), "{name}: key should name `{key}`: {w:?}");
    for command in ["validate", "run"] {
        let out = tmp.join("out");
        let mut args = vec![command, path_s, "--strict"];
        if command == "run" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let strict = bmu(tmp.path(), &args).code(3);
        let e = located(&strict.stderr, path_s);
        assert_eq!((e.line, e.col, &e.key), (w.line, w.col, &w.key), "{name}: --strict refuses it where it warned");
        assert!(e.message.starts_with(&w.message) && e.message.contains("--strict"), "{name}: {e:?}");
        assert!(strict.stdout.is_empty() && !out.exists(), "{name}: --strict {command} wrote something");
    }
    w.message
}

#[test]
fn a_target_or_sweep_day_after_the_end_is_a_warning() {
    let target = "[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n[[target]]\nscenario = \"b\"\nmetric = \"bone_density\"\nday = §400\nlow = 0\nhigh = 1\n";
    let m = warned("target-day", target, "target[0].day");
    assert!(m.contains("day 400") && m.contains("run ends (day 30)"), "{m}");
    let sweep = "[sweep]\nday = §45\nparkin_per_day = [0.5, 1]\n";
    let m = warned("sweep-day", sweep, "sweep.day");
    assert!(m.contains("sweep plot would read day 30"), "{m}");
}

#[test]
fn an_intervention_that_never_acts_is_a_warning() {
    let late = "[[intervention]]\nkind = \"denosumab\"\nstart_day = §30\n";
    let m = warned("late-start", late, "intervention[0].start_day");
    assert!(m.starts_with("denosumab starts at day 30") && m.contains("never acts"), "{m}");
    let early = "[[scenario]]\nname = \"s\"\n[[scenario.intervention]]\nkind = \"antioxidant\"\nstart_day = -50\nend_day = §-10\n";
    let m = warned("early-end", early, "scenario[0].intervention[0].end_day");
    assert!(m.contains("before the spin-up begins (day -10)"), "{m}");
}

#[test]
fn a_ramp_longer_than_its_window_is_a_warning() {
    let window = "[[intervention]]\nkind = \"estrogen_loss\"\nend_day = 20\nramp_days = §15\n";
    let m = warned("ramp-window", window, "intervention[0].ramp_days");
    assert!(m.contains("20-day window") && m.contains("peaks at 0.667 of its strength"), "{m}");
    let open = "[[intervention]]\nkind = \"estrogen_loss\"\nstart_day = 10\nramp_days = §365\n";
    let m = warned("ramp-open", open, "intervention[0].ramp_days");
    assert!(m.contains("ramps up until day 375") && m.contains("never reaches its strength"), "{m}");
}

#[test]
fn a_strength_that_does_nothing_or_a_partial_knock_out_is_a_warning() {
    let zero = "[[intervention]]\nkind = \"teriparatide\"\nstrength = §0\n";
    assert!(warned("zero-strength", zero, "strength").contains("does nothing"));
    let weak = "[[intervention]]\nkind = \"pink1_knockout\"\nstrength = §0.4\n";
    let m = warned("weak-knockout", weak, "intervention[0].strength");
    assert!(m.contains("does nothing") && m.contains("from level 0.5"), "{m}");
    let partial = "[[intervention]]\nkind = \"pink1_knockout\"\nstrength = §0.7\n";
    assert!(warned("partial-knockout", partial, "strength").contains("all or nothing"));
}

#[test]
fn a_strength_out_of_its_kinds_range_is_refused() {
    for (kind, strength, max) in
        [("denosumab", "1.5", "1"), ("pink1_knockout", "2", "1"), ("estrogen_loss", "100", "10")]
    {
        let text = format!("{SMALL}[[intervention]]\nkind = \"{kind}\"\nstrength = {strength}\n");
        let e = refused(&format!("strength-{kind}"), text.as_bytes());
        assert_eq!((e.line, e.col, e.key.as_deref()), (10, 12, Some("intervention[0].strength")), "{e:?}");
        assert!(e.message.contains(&format!("strength from 0 to {max}")), "{e:?}");
    }
}

#[test]
fn run_prints_its_warnings_before_it_starts_and_still_runs() {
    let tmp = TempDir::new("run-warns");
    let text = format!("{SMALL}[[intervention]]\nkind = \"denosumab\"\nstart_day = 40\n");
    let config = tmp.write("late.toml", text);
    let r = bmu(tmp.path(), &["run", config.to_str().unwrap(), "--out", "out", "--quiet"]).ok();
    assert!(r.stderr.starts_with("bmu-sim: warning: ") && r.stderr.contains("never acts"), "{}", r.stderr);
    assert!(tmp.join("out/summary.csv").exists());
    let valid = bmu(tmp.path(), &["validate", SMOKE, "--strict"]).ok();
    assert!(valid.stderr.is_empty(), "{}", valid.stderr);
}
