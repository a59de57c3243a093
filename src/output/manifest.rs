//! `manifest.json`: what produced an output directory (program version and git commit, command
//! line, config, seed, replicates, scenarios, bone law, dependency versions), the untreated
//! reference every scenario is measured against, and when and how fast it ran.

use crate::provenance::Provenance;
use std::io::{self, Write};

/// Provenance of one output directory, written as `manifest.json`.
///
/// Two runs of the same binary, config and seed differ only in `command` (it names the output
/// directory and thread count) and in [`Provenance::timestamp`] and [`Provenance::wall_seconds`].
#[derive(serde::Serialize, Clone, Debug, PartialEq)]
pub struct Manifest {
    /// Version of bmu-sim that wrote the directory (`CARGO_PKG_VERSION`).
    pub bmu_sim_version: String,
    /// The command line after the program name.
    pub command: Vec<String>,
    /// The config file as given on the command line.
    pub config_file: String,
    /// [`fnv1a64_hex`](crate::provenance::fnv1a64_hex) of the resolved config without its source line (`Config::hash`).
    pub config_hash: String,
    /// The master seed.
    pub seed: u64,
    /// Replicates per scenario.
    pub replicates: u32,
    /// Scenario names, in config order.
    pub scenarios: Vec<String>,
    /// Simulated days recorded per run.
    pub days: f64,
    /// The bone law of every scenario (`coupled` or `komarova2003`).
    pub bone_law: String,
    /// The mitophagy hypothesis of the reference (`knockout_evidence` or `review`), and of each
    /// scenario as `(scenario, hypothesis)` pairs.
    pub hypothesis: String,
    pub scenario_hypotheses: Vec<(String, String)>,
    /// Key dependencies as `(crate name, version)` pairs.
    pub crates: Vec<(String, String)>,
    /// The untreated reference's mitochondrial steady state (the config's `[params]`): D0, A0,
    /// p_diff0, shared by every scenario.
    pub reference: SteadyStateRecord,
    /// When, how fast and from which source.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// The single-cell mitochondrial steady state of the untreated reference.
#[derive(serde::Serialize, Clone, Debug, PartialEq)]
pub struct SteadyStateRecord {
    /// Fraction of mitochondria depolarised at steady state.
    pub depolarised_fraction: f64,
    /// Cell ATP at steady state.
    pub atp: f64,
    /// Cell ROS at steady state.
    pub ros: f64,
    /// Probability per step that a precursor differentiates, at steady state.
    pub p_diff: f64,
    /// Mitochondria per cell at steady state.
    pub mitochondria_per_cell: f64,
}

/// Writes `m` as pretty-printed JSON followed by a newline, then flushes `w`.
///
/// Non-finite floats are written as `null` (JSON has no NaN).
pub fn write_manifest<W: Write>(m: &Manifest, mut w: W) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut w, m).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provenance::{fnv1a64_hex, rfc3339_utc};
    use std::time::UNIX_EPOCH;

    fn manifest() -> Manifest {
        Manifest {
            bmu_sim_version: "0.1.0".into(),
            command: vec!["bmu-sim".into(), "run".into(), "c.toml".into()],
            config_file: "c.toml".into(),
            config_hash: fnv1a64_hex(b"x = 1\n"),
            seed: 42,
            replicates: 8,
            scenarios: vec!["baseline".into(), "ovx".into()],
            days: 365.0,
            bone_law: "coupled".into(),
            hypothesis: "review".into(),
            scenario_hypotheses: vec![("baseline".into(), "review".into()), ("ovx".into(), "knockout_evidence".into())],
            crates: vec![("rand".into(), "0.10".into())],
            reference: SteadyStateRecord {
                depolarised_fraction: 0.1,
                atp: 1.0,
                ros: f64::NAN,
                p_diff: 0.02,
                mitochondria_per_cell: 300.0,
            },
            provenance: Provenance {
                timestamp: rfc3339_utc(UNIX_EPOCH),
                wall_seconds: 1.5,
                git_commit: None,
                git_dirty: None,
            },
        }
    }

    #[test]
    fn manifest_is_pretty_json_with_newline() {
        let mut v = Vec::new();
        write_manifest(&manifest(), &mut v).expect("write");
        let s = String::from_utf8(v).expect("utf8");
        assert!(s.ends_with("}\n"));
        assert!(s.contains("\n  \"config_hash\": \""));
        assert!(!s.contains("sha256"));
        let parsed: serde_json::Value = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(parsed["seed"], 42);
        assert_eq!(parsed["crates"][0][1], "0.10");
        assert_eq!(
            (&parsed["hypothesis"], &parsed["scenario_hypotheses"][1][1]),
            (&"review".into(), &"knockout_evidence".into())
        );
        assert_eq!(parsed["reference"]["ros"], serde_json::Value::Null);
        assert_eq!(parsed["reference"]["mitochondria_per_cell"], 300.0);
        assert_eq!(parsed["timestamp"], "1970-01-01T00:00:00Z");
        assert_eq!(parsed["wall_seconds"], 1.5);
        assert!(parsed.get("git_commit").is_none(), "absent, not null, when unknown");
    }
}
