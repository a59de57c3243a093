//! `manifest.json`: what produced an output directory (program version, command line, config,
//! seed, replicates, scenarios, bone law, dependency versions) and the untreated reference every
//! scenario is measured against.

use std::io::{self, Write};

/// Provenance of one output directory, written as `manifest.json`.
///
/// Holds nothing machine- or time-dependent (no timestamps, host names or wall-clock times), so
/// the same command and config give a byte-identical manifest.
#[derive(serde::Serialize, Clone, Debug, PartialEq)]
pub struct Manifest {
    /// Version of bmu-sim that wrote the directory (`CARGO_PKG_VERSION`).
    pub bmu_sim_version: String,
    /// The command line after the program name.
    pub command: Vec<String>,
    /// The config file as given on the command line.
    pub config_file: String,
    /// [`fnv1a64_hex`] of the resolved config without its source line (`Config::hash`).
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
    /// Key dependencies as `(crate name, version)` pairs.
    pub crates: Vec<(String, String)>,
    /// The untreated reference's mitochondrial steady state (the config's `[params]`): D0, A0,
    /// p_diff0, shared by every scenario.
    pub reference: SteadyStateRecord,
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

/// FNV-1a 64-bit hash of `bytes`, as 16 lower-case hex digits.
///
/// Not cryptographic: it identifies which config produced an output, it does not authenticate it.
pub fn fnv1a64_hex(bytes: &[u8]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let h = bytes
        .iter()
        .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_known_vectors() {
        assert_eq!(fnv1a64_hex(b""), "cbf29ce484222325");
        assert_eq!(fnv1a64_hex(b"a"), "af63dc4c8601ec8c");
        assert_eq!(fnv1a64_hex(b"foobar"), "85944171f73967e8");
        assert_eq!(fnv1a64_hex(&[0]).len(), 16);
    }

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
            crates: vec![("rand".into(), "0.10".into())],
            reference: SteadyStateRecord {
                depolarised_fraction: 0.1,
                atp: 1.0,
                ros: f64::NAN,
                p_diff: 0.02,
                mitochondria_per_cell: 300.0,
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
        assert_eq!(parsed["reference"]["ros"], serde_json::Value::Null);
        assert_eq!(parsed["reference"]["mitochondria_per_cell"], 300.0);
    }
}
