//! Bad input, fuzzed: arbitrary bytes, TOML built from the config's own keys and awkward values,
//! and mutations of every shipped config go through the loader and validator. Nothing panics;
//! every rejection names the file and a line and column inside the text (or the `--set` it came
//! from), but for a text that sets nothing at all; every config accepted reads back from its resolved form to the same config, and can be
//! estimated. `fuzz/` runs the same check under libFuzzer (`cargo fuzz run config`).

use bmu_sim::config::{Config, ConfigError, Kind, Overrides, PARAMS};
use bmu_sim::estimate::Estimate;
use proptest::prelude::*;

/// Every shipped config (`configs/*.toml`), as mutation seeds.
fn shipped() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/configs");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("configs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| std::fs::read_to_string(&p).expect("a shipped config"))
        .collect();
    texts.sort();
    assert!(texts.len() >= 5, "configs/ lost its configs");
    texts
}

const FILE: &str = "fuzz.toml";

/// The check every input must pass.
fn check(bytes: &[u8], overrides: &Overrides, set: Option<&str>) -> Result<(), TestCaseError> {
    match Config::from_bytes(FILE, bytes.to_vec(), overrides) {
        Err(e) => located(&e, bytes, set),
        Ok(config) => {
            let again = Config::parse(FILE, &config.resolved_toml(), &Overrides::default());
            let again = again.map_err(|e| TestCaseError::fail(format!("the resolved config is refused: {e}")))?;
            prop_assert_eq!(again.resolved_toml(), config.resolved_toml());
            let estimate = Estimate::of(&config, 2);
            prop_assert!(estimate.wall_seconds >= 0.0 && estimate.peak_bytes > 0.0, "{}", estimate);
            Ok(())
        }
    }
}

/// `e` names the file (or the `--set` it came from), a line and column within the text, and says
/// what is wrong.
fn located(e: &ConfigError, bytes: &[u8], set: Option<&str>) -> Result<(), TestCaseError> {
    let shown = e.to_string();
    prop_assert!(!e.message.trim().is_empty(), "no message: {shown}");
    let text = match set {
        Some(pair) if e.file.starts_with("--") => {
            prop_assert!(e.file.ends_with(pair), "names {} instead of the --set: {shown}", e.file);
            pair.to_string()
        }
        _ => {
            prop_assert_eq!(&e.file, FILE, "{}", shown);
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    if e.line == 0 {
        // About the text as a whole, which has nothing to point at: it sets no key.
        let empty = toml::from_str::<toml::Table>(&text).is_ok_and(|t| t.is_empty());
        prop_assert!(empty && shown.starts_with(&format!("{}: ", e.file)), "no line and column: {shown}");
        return Ok(());
    }
    prop_assert!(e.column >= 1, "no column: {shown}");
    let lines: Vec<&str> = text.split('\n').collect();
    prop_assert!(e.line <= lines.len(), "line {} of {}: {shown}", e.line, lines.len());
    let width = lines[e.line - 1].chars().count();
    prop_assert!(e.column <= width + 1, "column {} of a {width}-character line: {shown}", e.column);
    prop_assert!(shown.starts_with(&format!("{}:{}:{}: ", e.file, e.line, e.column)), "{}", shown);
    Ok(())
}

/// Values a config should handle with care.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("nan".to_string()),
        Just("-inf".to_string()),
        Just("9223372036854775807".to_string()),
        Just("0.000001".to_string()),
        Just("true".to_string()),
        Just("\"denosumab\"".to_string()),
        Just("[1, 2, 2]".to_string()),
        Just("{ start = 1, stop = 100000, num = 10000 }".to_string()),
        Just("{ values = [] }".to_string()),
        Just("1979-05-27".to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<f64>().prop_map(|x| format!("{x:?}")),
        "[a-z_]{0,12}".prop_map(|s| format!("\"{s}\"")),
    ]
}

/// Keys a config knows, and a few it does not.
fn key() -> impl Strategy<Value = String> {
    let run = ["seed", "replicates", "days", "years", "spinup_days", "record_every_days", "bone_law", "hypothesis"];
    let more = ["reference", "common_random_numbers", "plots", "name", "kind", "start_day", "end_day", "ramp_days"];
    let odd = ["strength", "key", "scale", "set", "mode", "day", "scenario", "metric", "low", "high", "x", ""];
    let params: Vec<String> = PARAMS.iter().map(|p| p.key.to_string()).collect();
    let words: Vec<String> = run.iter().chain(&more).chain(&odd).map(|s| s.to_string()).chain(params).collect();
    prop::sample::select(words)
}

/// A line of a config: a table header or `key = value`.
fn line() -> impl Strategy<Value = String> {
    let headers = ["[params]", "[[scenario]]", "[scenario.params]", "[[scenario.intervention]]", "[[intervention]]"];
    let more = ["[sweep]", "[[target]]", "[params", "[[scenario]]]", "[scenario]"];
    prop_oneof![
        prop::sample::select(headers.iter().chain(&more).map(|s| s.to_string()).collect::<Vec<_>>()),
        (key(), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        (key(), value()).prop_map(|(k, v)| format!("{k}={v} # note")),
    ]
}

/// Mostly a value most keys accept, sometimes an awkward one.
fn mostly_sensible() -> impl Strategy<Value = String> {
    let sensible = prop::sample::select(vec!["1", "0.5", "2", "10"]).prop_map(str::to_string);
    prop_oneof![6 => sensible, 1 => value()]
}

/// `key = value` lines of parameters, each with a sensible or an awkward value.
fn params(n: usize) -> impl Strategy<Value = String> {
    let keys: Vec<&'static str> = PARAMS.iter().map(|p| p.key).collect();
    let line = (prop::sample::select(keys), mostly_sensible()).prop_map(|(k, v)| format!("{k} = {v}\n"));
    prop::collection::vec(line, 0..n).prop_map(|lines| lines.concat())
}

/// A whole config in the shape the loader expects, with awkward values here and there, so that
/// validation past the TOML syntax is reached.
fn structured() -> impl Strategy<Value = String> {
    let run = prop::collection::vec(
        (
            prop::sample::select(vec!["seed", "replicates", "days", "years", "spinup_days", "record_every_days"]),
            mostly_sensible(),
        ),
        0..3,
    );
    let kinds: Vec<&'static str> = Kind::ALL.iter().map(|(_, n)| *n).collect();
    let intervention = (prop::sample::select(kinds), mostly_sensible(), mostly_sensible(), prop::option::of(key()))
        .prop_map(|(kind, a, b, k)| {
            let key = k.map_or(String::new(), |k| format!("key = \"{k}\"\nscale = 2\n"));
            format!("[[scenario.intervention]]\nkind = \"{kind}\"\nstart_day = {a}\nend_day = {b}\n{key}")
        });
    let scenario = ("[a-z]{1,4}", params(3), prop::option::of(intervention)).prop_map(|(name, p, i)| {
        format!("[[scenario]]\nname = \"{name}\"\n[scenario.params]\n{p}{}", i.unwrap_or_default())
    });
    let keys: Vec<&'static str> = PARAMS.iter().map(|p| p.key).collect();
    let sweep = (prop::sample::select(keys), value(), prop::sample::select(vec!["grid", "grid", "zip", "spiral"]))
        .prop_map(|(k, v, mode)| format!("[sweep]\nmode = \"{mode}\"\n{k} = {v}\n"));
    let target = ("[a-z]{1,4}", mostly_sensible()).prop_map(|(name, day)| {
        format!("[[target]]\nscenario = \"{name}\"\nmetric = \"bone_density\"\nday = {day}\nlow = 0\nhigh = 1\n")
    });
    (run, params(4), prop::collection::vec(scenario, 0..3), prop::option::of(sweep), prop::option::of(target)).prop_map(
        |(run, p, scenarios, sweep, target)| {
            let run: String = run.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            format!(
                "{run}[params]\n{p}{}{}{}",
                scenarios.concat(),
                sweep.unwrap_or_default(),
                target.unwrap_or_default()
            )
        },
    )
}

/// One edit of a text.
#[derive(Clone, Debug)]
enum Edit {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, String),
    Truncate(prop::sample::Index),
    DuplicateLine(prop::sample::Index),
    Byte(prop::sample::Index, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let snippet = prop_oneof![line().prop_map(|l| format!("\n{l}\n")), value(), "[\\[\\]=\"'{}#\n.,]{1,3}"];
    prop_oneof![
        (any::<prop::sample::Index>(), 1..40usize).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<prop::sample::Index>(), snippet).prop_map(|(i, s)| Edit::Insert(i, s)),
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
        any::<prop::sample::Index>().prop_map(Edit::DuplicateLine),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Byte(i, b)),
    ]
}

fn apply(mut bytes: Vec<u8>, edit: &Edit) -> Vec<u8> {
    let at = |i: &prop::sample::Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    match edit {
        Edit::Delete(i, n) => {
            let start = at(i, bytes.len()).min(bytes.len());
            let end = (start + n).min(bytes.len());
            bytes.drain(start..end);
        }
        Edit::Insert(i, s) => {
            let p = at(i, bytes.len());
            bytes.splice(p..p, s.bytes());
        }
        Edit::Truncate(i) => bytes.truncate(at(i, bytes.len())),
        Edit::DuplicateLine(i) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let n = i.index(lines.len());
                let mut out: Vec<&str> = lines[..=n].to_vec();
                out.extend(&lines[n..]);
                bytes = out.join("\n").into_bytes();
            }
        }
        Edit::Byte(i, b) if !bytes.is_empty() => {
            let p = i.index(bytes.len());
            bytes[p] = *b;
        }
        Edit::Byte(..) => {}
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_refused_with_a_location(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes, &Overrides::default(), None)?;
    }

    #[test]
    fn configs_built_from_known_keys_never_panic(lines in prop::collection::vec(line(), 0..24)) {
        check(lines.join("\n").as_bytes(), &Overrides::default(), None)?;
    }

    #[test]
    fn whole_configs_with_awkward_values_never_panic(text in structured()) {
        check(text.as_bytes(), &Overrides::default(), None)?;
    }

    #[test]
    fn mutated_shipped_configs_never_panic(
        config in prop::sample::select(shipped()),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let bytes = edits.iter().fold(config.as_bytes().to_vec(), apply);
        check(&bytes, &Overrides::default(), None)?;
    }

    #[test]
    fn arbitrary_overrides_are_refused_with_their_flag(
        config in prop::sample::select(shipped()),
        k in key(),
        v in prop_oneof![value(), "[ -~]{0,16}"],
        raw in "[ -~]{0,24}",
    ) {
        for pair in [format!("{k}={v}"), raw] {
            let mut overrides = Overrides::default();
            overrides.push(&pair);
            check(config.as_bytes(), &overrides, Some(&pair))?;
        }
    }
}
