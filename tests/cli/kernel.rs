//! The Komarova 2003 kernel: the agent-based model in its neutral limit against the crate's ODE
//! solver (`bmu-sim meanfield`), and the convergence of the one to the other as Ω grows.

use crate::common::*;
use std::collections::BTreeMap;

const KOMAROVA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/komarova2003.toml");

/// `day → (x1, x2, z)` from `bmu-sim meanfield`, one row a day.
fn ode(tmp: &TempDir) -> BTreeMap<i64, [f64; 3]> {
    let out = bmu(tmp.path(), &["meanfield", "--days", "200", "--every", "1"]).ok().stdout;
    out.lines()
        .skip(1)
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|x| x.parse().expect("number")).collect();
            (v[0].round() as i64, [v[1], v[2], v[3]])
        })
        .collect()
}

/// `day → (osteoclasts, osteoblasts, bone_density)` ensemble means from a run's summary.csv.
fn abm(dir: &std::path::Path) -> BTreeMap<i64, [f64; 3]> {
    let (h, rows) = csv(&dir.join("summary.csv"));
    let (day, metric, mean) = (col(&h, "day"), col(&h, "metric"), col(&h, "mean"));
    let mut m: BTreeMap<i64, [f64; 3]> = BTreeMap::new();
    for r in rows {
        let slot = match r[metric].as_str() {
            "osteoclasts" => 0,
            "osteoblasts" => 1,
            "bone_density" => 2,
            _ => continue,
        };
        m.entry(r[day].parse::<f64>().expect("day").round() as i64).or_default()[slot] = r[mean].parse().expect("mean");
    }
    m
}

/// Largest absolute error of each of x1, x2, z over days 0–200.
fn max_errors(ode: &BTreeMap<i64, [f64; 3]>, abm: &BTreeMap<i64, [f64; 3]>) -> [f64; 3] {
    assert_eq!(abm.len(), 201, "one row a day for days 0-200");
    let mut e = [0.0f64; 3];
    for (d, a) in abm {
        let o = ode[d];
        for k in 0..3 {
            e[k] = e[k].max((a[k] - o[k]).abs());
        }
    }
    e
}

/// The shipped `komarova2003.toml` (Ω = 400, 50 replicates) follows the ODE within 5 % of each
/// population's peak and half a point of bone; Ω = 25 and 100 show the error falling as the
/// population scale grows, as an O(1/Ω) bias must.
#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn the_neutral_abm_reproduces_the_komarova_cycle_and_converges_as_omega_grows() {
    let tmp = TempDir::new("komarova");
    let ode = ode(&tmp);
    let mut errors: Vec<[f64; 3]> = [25, 100]
        .iter()
        .map(|omega| {
            let set = format!("population_scale={omega}");
            let dir = run_ok(&tmp, KOMAROVA, &format!("out{omega}"), &["--set", &set, "--replicates", "40"]);
            let e = max_errors(&ode, &abm(&dir));
            eprintln!("Ω = {omega}: max error x1 {:.4}, x2 {:.3}, z {:.3} points", e[0], e[1], e[2]);
            e
        })
        .collect();
    let shipped = max_errors(&ode, &abm(&run_ok(&tmp, KOMAROVA, "out", &[])));
    let [e1, e2, ez] = shipped;
    eprintln!("komarova2003.toml (Ω = 400): max error x1 {e1:.4}, x2 {e2:.3}, z {ez:.3} points");
    errors.push(shipped);
    let peak1 = ode.values().map(|v| v[0]).fold(0.0, f64::max);
    let peak2 = ode.values().map(|v| v[1]).fold(0.0, f64::max);
    assert!(e1 < 0.05 * peak1, "osteoclasts: max error {e1} vs 5 % of peak {peak1}");
    assert!(e2 < 0.05 * peak2, "osteoblasts: max error {e2} vs 5 % of peak {peak2}");
    assert!(ez < 0.5, "bone: max error {ez} points");
    // Bone integrates the positive parts y1, y2, whose bias is O(1/Ω): the error must fall by
    // well over half at each fourfold step.
    assert!(errors[1][2] < 0.6 * errors[0][2], "z error Ω=25 {:?} → Ω=100 {:?}", errors[0], errors[1]);
    assert!(errors[2][2] < 0.6 * errors[1][2], "z error Ω=100 {:?} → Ω=400 {:?}", errors[1], errors[2]);
    assert!(errors[2][0] < errors[0][0], "x1 error Ω=25 {:?} → Ω=400 {:?}", errors[0], errors[2]);
}
