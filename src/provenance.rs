//! Where a result came from: the config's hash and the run's provenance (when it ran, how long
//! it took, which source built the binary). Shared by the run-directory store
//! ([`crate::store`]), which checks that units and shards belong to one config, and by the
//! writers ([`crate::output`]), which record it in `manifest.json`.

use std::time::{SystemTime, UNIX_EPOCH};

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

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let at = |s: u64| rfc3339_utc(UNIX_EPOCH + std::time::Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(at(4_102_444_799), "2099-12-31T23:59:59Z");
        assert_eq!(rfc3339_utc(UNIX_EPOCH - std::time::Duration::from_secs(1)), "1970-01-01T00:00:00Z");
    }
}
