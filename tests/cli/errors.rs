//! Bad input: every refusal is one located `bmu-sim: error:` line, exit code 3 (config) or 2
//! (usage), no panic, and no output directory.

use crate::common::*;

/// A config error as printed: `bmu-sim: error: FILE:LINE:COL: key `KEY`: message`.
#[derive(Debug)]
pub struct Located {
    pub line: usize,
    pub col: usize,
    pub key: Option<String>,
    pub message: String,
}

/// Parse the single error line of `stderr`, which must name `file`.
pub fn located(stderr: &str, file: &str) -> Located {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected exactly one error line, got:\n{stderr}");
    let rest =
        lines[0].strip_prefix("bmu-sim: error: ").unwrap_or_else(|| panic!("no `bmu-sim: error: ` prefix: {stderr}"));
    let rest =
        rest.strip_prefix(file).unwrap_or_else(|| panic!("error does not start with the file `{file}`: {stderr}"));
    let mut parts = rest.splitn(4, ':');
    let (empty, line, col) = (parts.next(), parts.next(), parts.next());
    assert_eq!(empty, Some(""), "no `:LINE:COL` after the file: {stderr}");
    let num = |s: Option<&str>| {
        s.and_then(|s| s.parse::<usize>().ok()).unwrap_or_else(|| panic!("no line/column in: {stderr}"))
    };
    let (line, col) = (num(line), num(col));
    assert!(line >= 1 && col >= 1, "line and column are 1-based: {stderr}");
    let rest = parts.next().unwrap_or_default().strip_prefix(' ').unwrap_or_else(|| panic!("no message: {stderr}"));
    let (key, message) = match rest.strip_prefix("key `") {
        Some(k) => {
            let (key, msg) = k.split_once("`: ").unwrap_or_else(|| panic!("malformed key part: {stderr}"));
            (Some(key.to_string()), msg.to_string())
        }
        None => (None, rest.to_string()),
    };
    assert!(!message.trim().is_empty(), "empty message: {stderr}");
    Located { line, col, key, message }
}

/// Write `bytes` as `bad.toml`, check that `run` (into `<tmp>/out`) and `validate` both refuse it
/// with exit code 3 and the same single located line, and that nothing was created.
pub fn refused(name: &str, bytes: &[u8]) -> Located {
    refused_with(name, bytes, &[], None)
}

/// [`refused`] with extra arguments; the error must name `file` (default: the config's path).
pub fn refused_with(name: &str, bytes: &[u8], extra: &[&str], file: Option<&str>) -> Located {
    let tmp = TempDir::new(name);
    let path = tmp.write("bad.toml", bytes);
    let (path_s, out) = (path.to_str().unwrap(), tmp.join("out"));
    let mut args = vec!["run", path_s, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = bmu(tmp.path(), &args).code(3);
    assert!(!out.exists(), "{name}: a refused config created {}", out.display());
    assert_eq!(entries(tmp.path()), ["bad.toml"], "{name}: a refused run left files behind");
    assert!(run.stdout.is_empty(), "{name}: a refused run printed results:\n{}", run.stdout);
    let mut args = vec!["validate", path_s];
    args.extend_from_slice(extra);
    let validate = bmu(tmp.path(), &args).code(3);
    assert_eq!(validate.stderr, run.stderr, "{name}: validate and run disagree");
    located(&run.stderr, file.unwrap_or(path_s))
}

/// `text` with `§` marking where the error must be located: refuse it, check the line, the
/// column and that the key ends with `key` (when given).
fn refused_at(name: &str, marked: &str, key: Option<&str>) -> Located {
    let at = marked.find('§').unwrap_or_else(|| panic!("{name}: no § marker"));
    let text = marked.replace('§', "");
    let want = line_col(&text, at);
    let e = refused(name, text.as_bytes());
    assert_eq!((e.line, e.col), want, "{name}: wrong location for {text:?}: {e:?}");
    if let Some(k) = key {
        let got = e.key.as_deref().unwrap_or_else(|| panic!("{name}: no key named: {e:?}"));
        assert!(got.ends_with(k), "{name}: key `{got}` should name `{k}`");
    }
    e
}

#[test]
fn unknown_keys_are_located_at_the_key() {
    refused_at("top", "seed = 1\n§bogus = 2\n", Some("bogus"));
    refused_at("params", "[params]\nsites = 2\n§bogus_param = 1\n", Some("params.bogus_param"));
    refused_at("scenario", "[[scenario]]\nname = \"a\"\n§foo = 1\n", Some("foo"));
    refused_at("scenario_params", "[[scenario]]\nname = \"a\"\n[scenario.params]\n§bogus = 1\n", Some("params.bogus"));
    refused_at(
        "intervention_key",
        "[[scenario]]\nname = \"a\"\n[[scenario.intervention]]\nkind = \"denosumab\"\n§dosage = 2\n",
        Some("dosage"),
    );
}

#[test]
fn a_mistyped_name_gets_a_did_you_mean() {
    let hint =
        |e: Located| e.message.split("(did you mean `").nth(1).and_then(|r| r.split('`').next()).map(str::to_string);
    let cases: [(&str, &str, &str); 7] = [
        ("param", "[params]\n§damage_per_dya = 1\n", "damage_per_day"),
        ("run-key", "§replicate = 2\n", "replicates"),
        ("kind-synonym", "[[intervention]]\nkind = §\"alendronate\"\n", "bisphosphonate"),
        ("kind-typo", "[[intervention]]\nkind = §\"pink1_knokout\"\n", "pink1_knockout"),
        ("field", "[[intervention]]\nkind = \"denosumab\"\n§start = 3\n", "start_day"),
        (
            "metric",
            "[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n[[target]]\nscenario = \"b\"\nmetric = §\"spine_bmb\"\nday = 1\nlow = 0\nhigh = 1\n",
            "spine_bmd",
        ),
        (
            "reference",
            "reference = §\"placbo\"\n[[scenario]]\nname = \"placebo\"\n[[scenario]]\nname = \"b\"\n",
            "placebo",
        ),
    ];
    for (name, marked, want) in cases {
        assert_eq!(hint(refused_at(name, marked, None)).as_deref(), Some(want), "{name}");
    }
    let e = refused_with("set-key", b"days = 3\n", &["--set", "damage_per_dy=2"], Some("--set damage_per_dy=2"));
    assert_eq!(hint(e).as_deref(), Some("damage_per_day"));
    let e = refused("misplaced", b"damage_per_day = 2\n");
    assert!(e.message.contains("a parameter, not a run key: set it in [params]"), "{e:?}");
}

#[test]
fn unknown_intervention_kind_lists_the_known_ones() {
    let text = "[[scenario]]\nname = \"a\"\n[[scenario.intervention]]\nkind = §\"magic\"\nstart_day = 0\n";
    let e = refused_at("kind", text, Some("kind"));
    assert!(e.message.contains("magic") && e.message.contains("denosumab"), "{e:?}");
}

#[test]
fn wrong_types_are_located_at_the_value() {
    refused_at("string", "[params]\ndamage_per_day = §\"fast\"\n", Some("damage_per_day"));
    refused_at("float_for_int", "[params]\nsites = §2.5\n", Some("sites"));
    refused_at("int_for_bool", "[params]\npink1_tagging = §1\n", Some("pink1_tagging"));
    refused_at("bool_for_float", "[params]\nhypoxia = §true\n", Some("hypoxia"));
    refused_at("string_run_key", "days = §\"ten\"\n", Some("days"));
    refused_at("float_seed", "seed = §1.5\n", Some("seed"));
}

#[test]
fn nan_and_infinities_are_refused() {
    for (name, v) in [("nan", "nan"), ("inf", "inf"), ("neg_inf", "-inf"), ("pos_inf", "+inf")] {
        let e = refused_at(name, &format!("seed = 3\n[params]\ndamage_per_day = §{v}\n"), Some("damage_per_day"));
        assert!(e.message.contains("finite"), "{name}: {e:?}");
    }
    refused_at("days_nan", "days = §nan\n", Some("days"));
    refused_at("scenario_inf", "[[scenario]]\nname = \"a\"\n[scenario.params]\nrankl = §inf\n", Some("rankl"));
}

#[test]
fn out_of_range_values_are_refused() {
    refused_at("negative_rate", "[params]\ndamage_per_day = §-1\n", Some("damage_per_day"));
    refused_at("negative_count", "[params]\nsites = §-3\n", Some("sites"));
    refused_at("zero_count", "[params]\nsites = §0\n", Some("sites"));
    let e = refused_at("negative_integer", "[params]\ncortical_sites = §-1\n", Some("cortical_sites"));
    assert!(e.message.contains("an integer >= 0"), "{e:?}");
    refused_at("float_for_integer", "[params]\ncortical_sites = §1.5\n", Some("cortical_sites"));
    refused_at("share", "[params]\nspine_cancellous_share = §1.25\n", Some("spine_cancellous_share"));
    refused_at("zero_replicates", "seed = 1\nreplicates = §0\n", Some("replicates"));
    refused_at("probability", "[params]\ndiff_max = §1.5\n", Some("diff_max"));
    refused_at("negative_days", "days = §-5\n", Some("days"));
    refused_at("zero_positive", "[params]\ndt_days = §0\n", Some("dt_days"));
}

#[test]
fn truncated_files_are_refused() {
    for (name, text) in
        [("value", "[params]\nsites = "), ("header", "seed = 1\n[[scenar"), ("string", "[[scenario]]\nname = \"unt")]
    {
        let e = refused(name, text.as_bytes());
        assert_eq!(e.line, text.lines().count(), "{name}: error should be on the last line: {e:?}");
        assert!(e.message.contains("TOML"), "{name}: {e:?}");
    }
    // A real config cut in the middle of its last line.
    let smoke = read(std::path::Path::new(SMOKE));
    let cut = &smoke[..smoke.rfind("kind = ").expect("smoke.toml has an intervention") + "kind = ".len()];
    let e = refused("smoke_cut", cut.as_bytes());
    assert_eq!(e.line, cut.lines().count(), "{e:?}");
}

#[test]
fn binary_files_are_refused() {
    let e = refused("binary", b"seed = 1\n\x00\xff\xfe\x00\x01binary\n");
    assert_eq!(e.line, 2, "{e:?}");
    assert!(e.message.contains("binary"), "{e:?}");
    let e = refused_at("nul", "seed = 1\nreplicates = 2\n§\0\0\0", None);
    assert!(e.message.contains("binary"), "{e:?}");
    let e = refused("latin1", b"# caf\xe9\nseed = 1\n");
    assert_eq!(e.line, 1, "{e:?}");
}

#[test]
fn missing_file_names_the_path() {
    let tmp = TempDir::new("missing");
    let path = tmp.join("no-such-config.toml");
    let out = tmp.join("out");
    let r = bmu(tmp.path(), &["run", path.to_str().unwrap(), "--out", out.to_str().unwrap()]).code(3);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].starts_with("bmu-sim: error: "), "{}", r.stderr);
    assert!(lines[0].contains(path.to_str().unwrap()), "the path is not named: {}", r.stderr);
    assert!(!out.exists());
    bmu(tmp.path(), &["validate", path.to_str().unwrap()]).code(3);
}

#[test]
fn days_and_years_together_are_refused() {
    let e = refused_at("days_years", "seed = 1\ndays = 10\n§years = 1\n", Some("years"));
    assert!(e.message.contains("days"), "{e:?}");
}

#[test]
fn spinup_days_and_years_together_are_refused() {
    refused_at("spinup_twice", "spinup_days = 1\n§spinup_years = 1\n", Some("spinup_years"));
}

#[test]
fn duplicate_scenario_name_is_refused() {
    let text = "[[scenario]]\nname = \"a\"\n\n[[scenario]]\nname = \"a\"\n";
    let e = refused("dup", text.as_bytes());
    assert!([4, 5].contains(&e.line), "should point at the second scenario: {e:?}");
    assert!(e.key.as_deref().is_some_and(|k| k.ends_with("name")), "{e:?}");
    assert!(e.message.contains("`a`"), "{e:?}");
}

#[test]
fn cross_key_violation_is_located_at_the_key_set() {
    let e = refused_at("cross", "seed = 1\n[params]\ndepolarised_threshold = §12\n", Some("depolarised_threshold"));
    assert!(e.message.contains("health_levels"), "{e:?}");
    let scenario = "[[scenario]]\nname = \"s\"\n[scenario.params]\nfusion_threshold = §10\n";
    refused_at("cross_scenario", scenario, Some("fusion_threshold"));
    let e = refused_at(
        "instant_substeps",
        "[params]\nmito_exact = false\nfusion_instant = §true\n",
        Some("fusion_instant"),
    );
    assert!(e.message.contains("mito_exact"), "{e:?}");
}

#[test]
fn cross_key_violation_names_the_key_that_was_set() {
    refused_at("cross_other", "seed = 1\n[params]\nhealth_levels = §3\n", Some("health_levels"));
}

#[test]
fn bad_set_overrides_are_refused() {
    let valid = b"seed = 1\ndays = 10\n[params]\nsites = 2\n";
    for (name, pair, key) in [
        ("set_unknown", "bogus_key=1", "bogus_key"),
        ("set_negative", "damage_per_day=-2", "damage_per_day"),
        ("set_no_equals", "damage_per_day", "damage_per_day"),
        ("set_type", "sites=2.5", "sites"),
        ("set_nan", "hypoxia=nan", "hypoxia"),
        ("set_zero_replicates", "replicates=0", "replicates"),
        ("set_cross", "depolarised_threshold=12", "depolarised_threshold"),
        ("set_word", "damage_per_day=four", "damage_per_day"),
    ] {
        let e = refused_with(name, valid, &["--set", pair], Some(&format!("--set {pair}")));
        assert_eq!(e.line, 1, "{name}: {e:?}");
        assert_eq!(e.key.as_deref(), Some(key), "{name}: {e:?}");
    }
    // A negative count is the flag's value (not an unknown option), refused by the key's check.
    let e = refused_with("flag_negative", valid, &["--replicates", "-3"], Some("--replicates -3"));
    assert_eq!(e.key.as_deref(), Some("replicates"), "{e:?}");
    // A value the key accepts, but that an intervention then scales out of range (found by
    // tests/config_fuzz.rs): refused at the --set, not left for the run.
    let scaled = b"days = 10\n[params]\nsites = 2\n[[scenario]]\nname = \"a\"\n[[scenario.intervention]]\nkind = \"parameter\"\nkey = \"damage_per_day\"\nscale = 4\n";
    let pair = "damage_per_day=1e308";
    let e = refused_with("set_scaled", scaled, &["--set", pair], Some(&format!("--set {pair}")));
    assert_eq!(e.key.as_deref(), Some("damage_per_day"), "{e:?}");
}

#[test]
fn unknown_option_is_a_usage_error_with_a_short_usage() {
    let tmp = TempDir::new("usage");
    for args in [
        &["run", "--bogus"][..],
        &["run", SMOKE, "--threads", "many"],
        &["run", SMOKE, SMOKE],
        &["run", SMOKE, "--set"],
        &["frobnicate"],
        &["validate"],
        &[],
    ] {
        let r = bmu(tmp.path(), args).code(2);
        assert!(r.stderr.starts_with("bmu-sim: error: "), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("Usage: bmu-sim"), "{args:?} does not print the usage: {}", r.stderr);
        assert!(r.stderr.lines().count() <= 8, "{args:?} printed more than a short usage: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    let r = bmu(tmp.path(), &["run", "--bogus"]);
    assert!(r.stderr.contains("--bogus") && r.stderr.contains("Usage: bmu-sim run"), "{}", r.stderr);
    assert!(!r.stderr.contains("meanfield"), "a `run` error shows every command's usage: {}", r.stderr);
    assert!(entries(tmp.path()).is_empty(), "a usage error created files");
}

#[test]
fn empty_and_comment_only_configs_are_refused() {
    for (name, text) in [("empty", ""), ("blank", "\n  \n\t\n"), ("comments", "# seed = 1\n# days = 10\n")] {
        let tmp = TempDir::new(name);
        let path = tmp.write("nothing.toml", text);
        let path = path.to_str().unwrap();
        for command in ["run", "validate"] {
            let r = bmu(tmp.path(), &[command, path]).code(3);
            assert!(r.stderr.starts_with(&format!("bmu-sim: error: {path}: ")), "{name}: {}", r.stderr);
            assert!(r.stderr.contains("sets nothing"), "{name}: {}", r.stderr);
        }
        assert_eq!(entries(tmp.path()), ["nothing.toml"], "{name}: a refused config wrote files");
    }
}

#[test]
fn validate_accepts_smoke_and_names_its_scenarios() {
    let tmp = TempDir::new("validate");
    let r = bmu(tmp.path(), &["validate", SMOKE]).ok();
    assert!(r.stdout.contains("untreated") && r.stdout.contains("pink1_knockout"), "{}", r.stdout);
    assert!(entries(tmp.path()).is_empty(), "validate wrote files");
}

#[test]
fn a_key_written_twice_is_named() {
    refused_at("dup_key", "seed = 1\n§seed = 2\n", Some("seed"));
    refused_at("dup_param", "[params]\nsites = 5\n§sites = 6\n", Some("params.sites"));
    let scenarios =
        "[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n[[scenario.intervention]]\nkind = \"antioxidant\"\n";
    refused_at("dup_nested", &format!("{scenarios}§kind = \"x\"\n"), Some("scenario[1].intervention[0].kind"));
    refused_at("dup_table", "[params]\nsites = 5\n[§params]\n", Some("params"));
}
