//! `manifest.json`: what produced an output directory (program version and git commit, command
//! line, config, seed, replicates, scenarios, bone law, dependency versions), the untreated
//! reference every scenario is measured against, and when and how fast it ran.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

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

/// When a run started, how long it took and which source the binary was built from.
#[derive(serde::Serialize, Clone, Debug, PartialEq)]
pub struct Provenance {
    /// When the run started: UTC, RFC 3339 (`2026-04-01T12:00:00Z`). Not deterministic.
    pub timestamp: String,
    /// Wall-clock seconds from the start to writing the output. Not deterministic.
    pub wall_seconds: f64,
    /// `git rev-parse HEAD` of the checkout the binary was built from (`build.rs`); absent when
    /// it was not built from a git checkout (a source tarball).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// Whether that checkout had uncommitted changes to tracked files when it was built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_dirty: Option<bool>,
}

impl Provenance {
    /// A run that started at `started` and has taken `wall_seconds` so far, by this binary.
    pub fn new(started: SystemTime, wall_seconds: f64) -> Provenance {
        Provenance {
            timestamp: rfc3339_utc(started),
            wall_seconds,
            git_commit: option_env!("BMU_SIM_GIT_COMMIT").map(str::to_string),
            git_dirty: option_env!("BMU_SIM_GIT_DIRTY").map(|d| d == "true"),
        }
    }
}

/// `t` as an RFC 3339 UTC timestamp to the second (`1970-01-01T00:00:00Z` for times before the
/// epoch).
pub fn rfc3339_utc(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's civil_from_days).
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
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
    format!("{:016x}", fnv1a64(bytes))
}

/// FNV-1a 64-bit hash of `bytes`: a checksum against damage, not against tampering.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
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
    fn timestamps_are_rfc3339_utc() {
        let at = |s: u64| rfc3339_utc(UNIX_EPOCH + std::time::Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(at(4_102_444_799), "2099-12-31T23:59:59Z");
        assert_eq!(rfc3339_utc(UNIX_EPOCH - std::time::Duration::from_secs(1)), "1970-01-01T00:00:00Z");
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
