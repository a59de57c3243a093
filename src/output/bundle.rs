//! The results of a finished ensemble: every file a run directory holds, written by one function
//! whether the ensemble ran in one piece or was merged from shards, so the two cannot differ.

use super::plots::{Labels, figures, render};
use super::{Manifest, SteadyStateRecord};
use crate::analysis;
use crate::config::Config;
use crate::ensemble::Ensemble;
use crate::provenance::Provenance;
use crate::store::{
    CONFIG_TOML, CONTRASTS_CSV, EFFECTS_CSV, HISTOMORPHOMETRY_CSV, INDEX_HTML, MANIFEST_JSON, OutputError, PLOTS_DIR,
    RUNS_CSV, SUMMARY_CSV, SWEEP_CSV, TARGETS_CSV, TIMESERIES_CSV, TRIAL_CSV, UNCERTAINTY_CSV,
};
use crate::{Error, output};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

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
        scenario_hypotheses: config
            .scenarios
            .iter()
            .map(|s| (s.name.clone(), s.hypothesis.name().to_string()))
            .collect(),
        crates,
        reference: SteadyStateRecord {
            depolarised_fraction: ensemble.untreated_state.depolarised,
            atp: ensemble.untreated_state.atp,
            ros: ensemble.untreated_state.ros,
            p_diff: ensemble.untreated_state.p_diff,
            mitochondria_per_cell: ensemble.untreated_state.mitochondria_per_cell,
        },
        provenance,
    }
}

/// What every plot and the page say about the run: the config's file name, and its conditions,
/// the mitophagy hypothesis in force (or each one, when scenarios name their own) first.
pub fn labels(config: &Config) -> Labels {
    // `<embedded configs/baseline.toml>` and `<stdin>` name no file: drop the brackets first.
    let source = config.source.trim_start_matches('<').trim_end_matches('>');
    let name = std::path::Path::new(source).file_name().map_or(source.into(), |n| n.to_string_lossy().into_owned());
    let mut hypotheses: Vec<&str> = Vec::new();
    for s in config.base_scenarios() {
        if !hypotheses.contains(&s.hypothesis.name()) {
            hypotheses.push(s.hypothesis.name());
        }
    }
    let hypothesis = match hypotheses.as_slice() {
        [one] => format!("mitophagy hypothesis: {one}"),
        many => format!("mitophagy hypotheses: {} (per scenario)", many.join(", ")),
    };
    Labels {
        config: name,
        hypothesis,
        replicates: config.replicates,
        seed: config.seed,
        independent: !config.comparison.common_random_numbers,
    }
}

/// Writes every result of `ensemble` into the empty directory `dir`: timeseries, summary, runs,
/// biopsy, manifest, resolved config, effects, contrasts, targets and sweep tables, plots and `index.html`.
/// [`Study::publish`](crate::study::Study::publish) puts them in place.
pub fn write_results(
    dir: &Path,
    config: &Config,
    ensemble: &Ensemble,
    command: &[String],
    provenance: Provenance,
) -> Result<(), Error> {
    let create = |name: &str| {
        let path = dir.join(name);
        File::create(&path).map(BufWriter::new).map_err(|e| OutputError::Io { path, source: e })
    };
    let io = |name: &str| {
        let path = dir.join(name);
        move |e: std::io::Error| Error::Output(OutputError::Io { path, source: e })
    };
    output::write_timeseries(&ensemble.runs, create(TIMESERIES_CSV)?).map_err(io(TIMESERIES_CSV))?;
    output::write_summary(&ensemble.runs, create(SUMMARY_CSV)?).map_err(io(SUMMARY_CSV))?;
    output::write_runs(&ensemble.runs, create(RUNS_CSV)?).map_err(io(RUNS_CSV))?;
    output::write_histomorphometry(&ensemble.runs, create(HISTOMORPHOMETRY_CSV)?).map_err(io(HISTOMORPHOMETRY_CSV))?;
    let manifest = manifest(config, ensemble, command, provenance);
    output::write_manifest(&manifest, create(MANIFEST_JSON)?).map_err(io(MANIFEST_JSON))?;
    let mut resolved = create(CONFIG_TOML)?;
    resolved.write_all(config.resolved_toml().as_bytes()).and_then(|_| resolved.flush()).map_err(io(CONFIG_TOML))?;
    let effects = analysis::effects(config, &ensemble.runs);
    output::write_effects(&effects, create(EFFECTS_CSV)?).map_err(io(EFFECTS_CSV))?;
    let mut files = vec![TIMESERIES_CSV, SUMMARY_CSV, EFFECTS_CSV, HISTOMORPHOMETRY_CSV, RUNS_CSV];
    if !config.comparison.contrasts.is_empty() {
        let contrasts = analysis::contrasts(config, &ensemble.runs);
        output::write_contrasts(&contrasts, create(CONTRASTS_CSV)?).map_err(io(CONTRASTS_CSV))?;
        files.push(CONTRASTS_CSV);
    }
    let targets = analysis::evaluate(config, &ensemble.runs);
    if !targets.is_empty() {
        output::write_targets(&targets, create(TARGETS_CSV)?).map_err(io(TARGETS_CSV))?;
        files.push(TARGETS_CSV);
    }
    if let Some(sweep) = &config.sweep {
        output::write_sweep(sweep, create(SWEEP_CSV)?).map_err(io(SWEEP_CSV))?;
        files.push(SWEEP_CSV);
    }
    let splits = analysis::uncertainty::splits(config, &ensemble.runs);
    if config.posterior.is_some() {
        analysis::uncertainty::write(&splits, create(UNCERTAINTY_CSV)?).map_err(io(UNCERTAINTY_CSV))?;
        files.push(UNCERTAINTY_CSV);
    }
    if config.population.is_some() {
        let endpoints = analysis::trial::endpoints(config, &ensemble.runs);
        output::write_trial(&endpoints, create(TRIAL_CSV)?).map_err(io(TRIAL_CSV))?;
        files.push(TRIAL_CSV);
    }
    files.extend([MANIFEST_JSON, CONFIG_TOML]);
    if config.plots {
        let labels = labels(config);
        let figures = figures(config, &ensemble.runs, &labels);
        std::fs::create_dir(dir.join(PLOTS_DIR)).map_err(io(PLOTS_DIR))?;
        let mut svgs = Vec::with_capacity(figures.len());
        for f in &figures {
            let failed = |e: String| Error::Runtime(format!("cannot draw plots/{}: {e}", f.stem));
            let svg = render::svg(f).map_err(failed)?;
            let png = render::png(f).map_err(failed)?;
            let (svg_name, png_name) = (format!("{PLOTS_DIR}/{}.svg", f.stem), format!("{PLOTS_DIR}/{}.png", f.stem));
            std::fs::write(dir.join(&svg_name), render::with_data(f, svg.clone())).map_err(io(&svg_name))?;
            std::fs::write(dir.join(&png_name), png).map_err(io(&png_name))?;
            svgs.push(svg);
        }
        let page = output::html::index_html(config, &ensemble.runs, &figures, &svgs, &targets, &labels, &files);
        let mut index = create(INDEX_HTML)?;
        index.write_all(page.as_bytes()).and_then(|_| index.flush()).map_err(io(INDEX_HTML))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    #[test]
    fn the_embedded_baseline_and_stdin_are_labelled_by_their_file_name_without_brackets() {
        let baseline = Config::baseline(&Overrides::default()).unwrap();
        assert_eq!(labels(&baseline).config, "baseline.toml");
        let piped = Config::parse("<stdin>", "days = 1", &Overrides::default()).unwrap();
        assert_eq!(labels(&piped).config, "stdin");
        let file = Config::parse("/a/b/smoke.toml", "days = 1", &Overrides::default()).unwrap();
        assert_eq!(labels(&file).config, "smoke.toml");
    }
}
