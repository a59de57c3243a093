//! `units/plan.json`: what the units in a run directory belong to. The first run or shard to
//! reach an empty directory writes it (atomically, with the `units/` directory itself, see
//! [`super::dir`]); every later one compares its own with it, so a different config, a different
//! split into shards or another build of bmu-sim is refused instead of mixed in. It holds the
//! resolved config, so `bmu-sim merge` needs nothing but the directory.

use crate::config::{Config, Overrides};
use crate::provenance::{Provenance, rfc3339_utc};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The plan of a run directory.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct Plan {
    /// Version of bmu-sim that wrote it, and the git commit it was built from (when known).
    pub bmu_sim_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// The config file as given on the command line (`Config::source`).
    pub config_file: String,
    /// `Config::hash` of the config.
    pub config_hash: String,
    /// Units in the ensemble: scenarios (every sweep point) × replicates.
    pub units: u64,
    /// Shards the units are split into (1: one run does them all).
    pub shards: u32,
    /// When the first run or shard started: UTC, RFC 3339, and as milliseconds since 1970.
    pub started: String,
    pub started_unix_ms: u64,
    /// The resolved config (`Config::resolved_toml`).
    pub config: String,
    /// The design file whose points the config runs (`bmu-sim sensitivity`), as an absolute path:
    /// `bmu-sim merge` reads it again to finish what the design is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design_file: Option<String>,
}

impl Plan {
    /// The plan of running `config` in `shards` shards, starting at `now`, by this binary.
    pub fn new(config: &Config, shards: u32, now: SystemTime) -> Plan {
        let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        let started_unix_ms = u64::try_from(since.as_millis()).unwrap_or(u64::MAX);
        let (bmu_sim_version, git_commit) = Plan::new_build();
        Plan {
            bmu_sim_version,
            git_commit,
            config_file: config.source.clone(),
            config_hash: config.hash(),
            units: crate::ensemble::unit_count(config),
            shards,
            started: rfc3339_utc(now),
            started_unix_ms,
            config: config.resolved_toml(),
            design_file: None,
        }
    }

    /// The plan as `plan.json` holds it: pretty JSON and a newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut text = serde_json::to_vec_pretty(self).unwrap_or_default();
        text.push(b'\n');
        text
    }

    /// The plan in `bytes`, if they are one.
    pub fn from_json(bytes: &[u8]) -> Option<Plan> {
        serde_json::from_slice(bytes).ok()
    }

    /// Why units written under `self` cannot be mixed with this binary's, if they cannot: they
    /// were written by another version or build of bmu-sim, whose results may differ.
    pub fn other_binary(&self) -> Option<String> {
        let mine = Plan::new_build();
        let name = |v: &str, c: &Option<String>| match c {
            Some(c) => format!("bmu-sim {v} (commit {c})"),
            None => format!("bmu-sim {v}"),
        };
        (self.bmu_sim_version != mine.0 || self.git_commit != mine.1).then(|| {
            format!(
                "holds units written by {}; this is {}: finish it with that build",
                name(&self.bmu_sim_version, &self.git_commit),
                name(&mine.0, &mine.1)
            )
        })
    }

    /// This build's version and git commit.
    fn new_build() -> (String, Option<String>) {
        (env!("CARGO_PKG_VERSION").to_string(), option_env!("BMU_SIM_GIT_COMMIT").map(str::to_string))
    }

    /// The config the plan holds, read back exactly as it was run (the same resolved text), or
    /// why it cannot be.
    pub fn read_config(&self) -> Result<Config, String> {
        let config =
            Config::parse(&self.config_file, &self.config, &Overrides::default()).map_err(|e| e.to_string())?;
        if config.resolved_toml() != self.config || config.hash() != self.config_hash {
            return Err("its config does not read back to the same config".into());
        }
        Ok(config)
    }

    /// The provenance of results finished now: started when the plan was made.
    pub fn provenance(&self, now: SystemTime) -> Provenance {
        let started = UNIX_EPOCH + Duration::from_millis(self.started_unix_ms);
        Provenance::new(started, now.duration_since(started).map_or(0.0, |d| d.as_secs_f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_round_trips_and_gives_back_its_config() {
        let config = Config::parse("study.toml", "replicates = 3\ndays = 5\n", &Overrides::default()).expect("valid");
        let plan = Plan::new(&config, 4, UNIX_EPOCH + Duration::from_secs(86_400));
        assert_eq!((plan.units, plan.shards, plan.started.as_str()), (3, 4, "1970-01-02T00:00:00Z"));
        let back = Plan::from_json(&plan.to_json()).expect("parses");
        assert_eq!(back, plan);
        assert_eq!(back.read_config().expect("config"), config);
        assert_eq!(back.other_binary(), None);
        let older = Plan { bmu_sim_version: "0.0.1".into(), ..plan.clone() };
        assert!(older.other_binary().expect("refused").contains("bmu-sim 0.0.1"));
        let edited = Plan { config: plan.config.replace("replicates = 3", "replicates = 4"), ..plan };
        assert!(edited.read_config().is_err(), "a plan whose config was edited is not trusted");
        assert_eq!(Plan::from_json(b"{\"bmu_sim_version\": \"0.1.0\"}"), None);
    }
}
