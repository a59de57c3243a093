//! `bmu-sim stress`: options from configs/stress.toml and flags, a JSON report as the last line.

use crate::common::*;

#[test]
fn stress_reads_its_config_takes_flags_and_ends_with_a_json_report() {
    let tmp = TempDir::new("stress");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/stress.toml");
    let r =
        bmu(tmp.path(), &["stress", config, "--osteoclasts", "300", "--days", "0.25", "--threads", "2", "--json"]).ok();
    let last = r.stdout.lines().last().expect("output");
    let json: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("last line is not JSON ({e}): {last}"));
    // 300 osteoclasts from the flag, 100 mitochondria each from the config.
    assert_eq!((json["osteoclasts"].as_u64(), json["mitochondria"].as_u64()), (Some(300), Some(30_000)), "{json}");
    assert_eq!(
        (json["representation"].as_str(), json["threads"].as_u64(), json["cell_steps"].as_u64()),
        (Some("individual"), Some(2), Some(2))
    );
    for key in ["mitochondrion_updates_per_second", "wall_seconds", "peak_rss_bytes", "osteoclast_steps_per_second"] {
        assert!(json[key].as_f64().is_some_and(|x| x > 0.0), "{key}: {json}");
    }
    assert!(r.stdout.contains("mitochondrion-updates/s"), "{}", r.stdout);
    assert!(entries(tmp.path()).is_empty(), "stress wrote files");
}

#[test]
fn stress_refuses_bad_options() {
    let tmp = TempDir::new("stress_bad");
    bmu(tmp.path(), &["stress", "--representation", "bytes"]).code(2);
    bmu(tmp.path(), &["stress", "--mitochondria", "0", "--osteoclasts", "5"]).code(2);
    let bad = tmp.write("bad.toml", "osteoclasts = 5\nspeed = 3\n");
    let r = bmu(tmp.path(), &["stress", bad.to_str().unwrap()]).code(3);
    assert!(r.stderr.contains("bad.toml:2:1"), "{}", r.stderr);
}
