//! One run directory: everything a finished ensemble writes, staged and committed atomically so a
//! failed run leaves nothing behind.

use super::{
    CONFIG_TOML, HISTOMORPHOMETRY_CSV, MANIFEST_JSON, Manifest, Provenance, RUNS_CSV, SUMMARY_CSV, Staging, SteadyStateRecord,
    TIMESERIES_CSV,
};
use crate::config::Config;
use crate::ensemble::Ensemble;
use crate::{Error, output};
use std::io::Write;
use std::path::PathBuf;

/// The manifest of an ensemble run.
pub fn manifest(config: &Config, ensemble: &Ensemble, command: &[String], provenance: Provenance) -> Manifest {
    let crates = env!("BMU_SIM_CRATES")
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Manifest {
        bmu_sim_version: env!("CARGO_PKG_VERSION").to_string(),
        command: command.to_vec(),
        config_file: config.source.clone(),
        config_hash: config.hash(),
        seed: config.seed,
        replicates: config.replicates,
        scenarios: config.scenarios.iter().map(|s| s.name.clone()).collect(),
        days: config.days,
        bone_law: config.bone_law.name().to_string(),
        hypothesis: config.hypothesis.name().to_string(),
        scenario_hypotheses: config.scenarios.iter().map(|s| (s.name.clone(), s.hypothesis.name().to_string())).collect(),
        crates,
        reference: SteadyStateRecord {
            depolarised_fraction: ensemble.reference.depolarised,
            atp: ensemble.reference.atp,
            ros: ensemble.reference.ros,
            p_diff: ensemble.reference.p_diff,
            mitochondria_per_cell: ensemble.reference.mitochondria_per_cell,
        },
        provenance,
    }
}

/// Fill the staged run directory (timeseries, summary, runs, manifest and resolved config) and
/// commit it; returns the directory as the user named it. Stage with [`Staging::begin`] before
/// simulating, so a refused output directory is found before the work, not after.
pub fn write_run_directory(
    staging: Staging,
    config: &Config,
    ensemble: &Ensemble,
    command: &[String],
    provenance: Provenance,
) -> Result<PathBuf, Error> {
    let io = |name: &str| {
        let path = staging.path().join(name);
        move |e: std::io::Error| Error::Output(output::OutputError::Io { path, source: e })
    };
    output::write_timeseries(&ensemble.runs, staging.file(TIMESERIES_CSV)?).map_err(io(TIMESERIES_CSV))?;
    output::write_summary(&ensemble.runs, staging.file(SUMMARY_CSV)?).map_err(io(SUMMARY_CSV))?;
    output::write_runs(&ensemble.runs, staging.file(RUNS_CSV)?).map_err(io(RUNS_CSV))?;
    output::write_histomorphometry(&ensemble.runs, staging.file(HISTOMORPHOMETRY_CSV)?).map_err(io(HISTOMORPHOMETRY_CSV))?;
    let manifest = manifest(config, ensemble, command, provenance);
    output::write_manifest(&manifest, staging.file(MANIFEST_JSON)?).map_err(io(MANIFEST_JSON))?;
    let mut resolved = staging.file(CONFIG_TOML)?;
    resolved.write_all(config.resolved_toml().as_bytes()).and_then(|_| resolved.flush()).map_err(io(CONFIG_TOML))?;
    Ok(staging.commit()?)
}
