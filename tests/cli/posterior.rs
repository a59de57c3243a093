//! `posterior = "path"` in a run config: each pair of replicates draws its parameters from a
//! fit's posterior, the same draw in every scenario; a one-particle posterior is exactly the
//! run with that value set; the run says which part of the spread is the parameters'; a bad
//! posterior is refused at the key.

use crate::common::*;
use crate::errors::located;

/// Two scenarios, 30 sites, a month of spin-up and two recorded, 8 replicates (4 draws).
fn tiny(extra_top: &str, menopause_params: &str) -> String {
    format!(
        "{extra_top}seed = 3\nreplicates = 8\ndays = 60\nspinup_days = 30\nrecord_every_days = 30\n\
[params]\nsites = 30\ndt_days = 0.25\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"untreated\"\n\
[[scenario]]\nname = \"menopause\"\n{menopause_params}[[scenario.intervention]]\nkind = \"estrogen_loss\"\nstart_day = 0\n"
    )
}

/// A `posterior.csv` whose last generation holds `particles` (weight, estrogen_loss_rankl); an
/// earlier generation that must be ignored comes first.
fn posterior(particles: &[(f64, f64)]) -> String {
    let mut text = "generation,tolerance,particle,weight,distance,estrogen_loss_rankl\n0,,0,1,5,9.5\n".to_string();
    for (i, (w, x)) in particles.iter().enumerate() {
        text += &format!("1,2.5,{i},{w},1,{x}\n");
    }
    text
}

#[test]
fn a_one_particle_posterior_is_the_run_with_its_value_set() {
    let tmp = TempDir::new("posterior-one");
    tmp.write("p.csv", posterior(&[(1.0, 2.5)]));
    tmp.write("drawn.toml", tiny("posterior = \"p.csv\"\n", ""));
    tmp.write("set.toml", tiny("", "[scenario.params]\nestrogen_loss_rankl = 2.5\n"));
    let drawn = run_ok(&tmp, "drawn.toml", "drawn", &[]);
    let set = run_ok(&tmp, "set.toml", "set", &[]);
    for file in ["timeseries.csv", "effects.csv"] {
        assert_eq!(read_bytes(&drawn.join(file)), read_bytes(&set.join(file)), "{file}");
    }
    let (header, rows) = csv(&drawn.join("uncertainty.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][col(&header, "draws")], "4");
    assert!(!set.join("uncertainty.csv").exists());
    assert!(read(&drawn.join("config.toml")).contains("posterior = "), "the resolved config names it");
}

#[test]
fn a_two_particle_posterior_puts_most_of_the_spread_in_the_parameters() {
    let tmp = TempDir::new("posterior-two");
    tmp.write("p.csv", posterior(&[(1.0, 1.2), (1.0, 3.0)]));
    tmp.write("c.toml", tiny("posterior = \"p.csv\"\n", ""));
    let one = run_ok(&tmp, "c.toml", "one", &["--threads", "1"]);
    let two = run_ok(&tmp, "c.toml", "two", &["--threads", "2"]);
    assert_same_results(&one, &two);
    let (header, rows) = csv(&one.join("uncertainty.csv"));
    let share: f64 = rows[0][col(&header, "parameter_share")].parse().expect("a number");
    // RANKL ×1.2 against ×3 moves bone density at 60 days by about 15 %, the replicates by a few.
    assert!(share > 0.5, "parameter share {share}");
    assert!(read(&one.join("index.html")).contains("Parameter and stochastic uncertainty"));
    let printed = bmu(tmp.path(), &["run", "c.toml", "--out", "three", "--quiet"]).ok().stdout;
    assert!(printed.contains("from the posterior's parameters"), "{printed}");
}

#[test]
fn a_bad_posterior_is_refused_at_its_key() {
    for (name, csv_text, want) in [
        ("posterior-range", posterior(&[(1.0, -2.0)]), "accepts"),
        ("posterior-header", "a,b\n1,2\n".to_string(), "not a posterior.csv"),
        ("posterior-column", posterior(&[(1.0, 2.0)]).replace("estrogen_loss_rankl", "estrogen_los_rankl"), "unknown"),
    ] {
        let tmp = TempDir::new(name);
        tmp.write("p.csv", csv_text);
        let text = tiny("posterior = \"p.csv\"\n", "");
        tmp.write("c.toml", &text);
        let run = bmu(tmp.path(), &["run", "c.toml", "--out", "out"]).code(3);
        assert!(!tmp.join("out").exists(), "{name}: output written");
        let e = located(&run.stderr, "c.toml");
        assert_eq!((e.line, e.col), line_col(&text, text.find("\"p.csv\"").expect("value")), "{name}: {e:?}");
        assert_eq!(e.key.as_deref(), Some("posterior"), "{name}");
        assert!(e.message.contains(want), "{name}: {}", e.message);
    }
}
