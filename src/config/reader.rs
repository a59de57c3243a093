//! The config walker: spanned TOML → [`Config`] (run keys, `[params]`, scenarios, targets, sweep),
//! then the cross-key checks, each refusal located by [`Doc`]; `--set` overrides are in
//! `overrides.rs`.

use super::comparison::Comparison;
use super::keys::{RUN_KEYS, did_you_mean, param_keys};
use super::located::{ConfigError, Doc, Locations};
use super::params::{Params, Value};
use super::{BoneLaw, Config, DAYS_PER_YEAR, Hypothesis, Intervention, Scenario, sweep};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The name under which [`Locations`] records where the reference (`[params]`) keys were set.
pub(super) const REFERENCE: &str = "[params]";

/// Run-level keys shared by config files and `--set`; records where each was set.
pub(super) fn run_key(
    doc: &Doc,
    config: &mut Config,
    key: &str,
    v: &Spanned<DeValue>,
    at: &mut Locations,
) -> Result<bool, ConfigError> {
    let integer = |max: u64| match v.get_ref() {
        DeValue::Integer(i) => u64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok().filter(|&n| n <= max),
        _ => None,
    };
    let refuse = |wanted: &str| {
        let got = doc.text.get(v.span()).unwrap_or_default();
        doc.err(&v.span(), key, format!("expected {wanted}, got {got}"))
    };
    match key {
        "seed" => config.seed = integer(u64::MAX).ok_or_else(|| refuse("an integer from 0 to 2^64 - 1"))?,
        "replicates" => {
            let n = integer(1_000_000).filter(|&n| n >= 1);
            config.replicates = n.ok_or_else(|| refuse("an integer from 1 to 1000000"))? as u32
        }
        "days" => config.days = doc.float(v, key, 0.0)?,
        "years" => config.days = doc.float(v, key, 0.0)? * DAYS_PER_YEAR,
        "spinup_days" => config.spinup_days = doc.float(v, key, 0.0)?,
        "spinup_years" => config.spinup_days = doc.float(v, key, 0.0)? * DAYS_PER_YEAR,
        "record_every_days" => config.record_every_days = doc.float(v, key, 0.0)?,
        "bone_law" => {
            let name = doc.string(v, key)?;
            let names: Vec<_> = BoneLaw::ALL.iter().map(|(_, n)| *n).collect();
            config.bone_law = BoneLaw::from_name(&name).ok_or_else(|| {
                let hint = did_you_mean(&name, names.iter().copied());
                doc.err(&v.span(), key, format!("unknown bone law `{name}`{hint}; known: {}", names.join(", ")))
            })?;
        }
        "reference" => config.comparison.reference_scenario = doc.string(v, key)?,
        "common_random_numbers" => config.comparison.common_random_numbers = doc.switch(v, key)?,
        "plots" => config.plots = doc.switch(v, key)?,
        "headline" => config.comparison.headline = super::headline::read(doc, v, key)?,
        "posterior" => config.posterior = Some(super::posterior::at(doc, v, key)?),
        "population" => config.population = Some(super::population::read(doc, v, key)?),
        _ => return Ok(false),
    }
    if !config.days.is_finite() || config.days > 1e7 || config.spinup_days > 1e7 || config.record_every_days <= 0.0 {
        return Err(doc.err(&v.span(), key, "out of range (days up to 1e7, record_every_days > 0)"));
    }
    at.insert(key.to_string(), doc.err(&v.span(), key, ""));
    Ok(true)
}

/// Every intervention as written, under its key (`intervention[0]`, `scenario[1].intervention[0]`).
pub(super) type Written = Vec<(String, Intervention)>;

/// Parse config text into a [`Config`] (overrides and cross-key checks come after), where each
/// key was set, and the interventions as written.
pub(super) fn read(file: &str, text: &str) -> Result<(Config, Locations, Written), ConfigError> {
    let doc = Doc { file, text };
    let root = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        // A key written twice: name it (the span covers the second one).
        let key = match text.get(span.clone()) {
            Some(k) if message.starts_with("duplicate key") => {
                table_path(text, span.start) + k.trim().trim_matches(|c| c == '"' || c == '\'')
            }
            _ => String::new(),
        };
        doc.err(&span, &key, format!("invalid TOML: {message}"))
    })?;
    if root.get_ref().is_empty() {
        let message = "the config sets nothing (it is empty or only comments): give at least one key, such as `days`";
        return Err(ConfigError { file: file.into(), line: 0, column: 0, key: String::new(), message: message.into() });
    }
    let mut config = Config {
        source: file.into(),
        seed: 0,
        replicates: 1,
        days: DAYS_PER_YEAR,
        spinup_days: 0.0,
        record_every_days: 1.0,
        bone_law: BoneLaw::default(),
        hypothesis: Hypothesis::default(),
        reference: Params::default(),
        scenarios: Vec::new(),
        comparison: Comparison::default(),
        plots: true,
        sweep: None,
        posterior: None,
        population: None,
    };
    let mut base = Params::default();
    let mut base_at = Locations::new();
    let (mut scenario_values, mut target_values, mut sweep_values, mut contrast_values) = (None, None, None, None);
    // Top-level [[intervention]]s: every scenario's background, before its own.
    let mut background = Vec::new();
    let mut locations = Locations::new();
    let (mut length, mut spinup) = (None, None);
    for (k, v) in Doc::entries(root.get_ref()) {
        let key = k.get_ref().as_ref();
        for (pair, seen) in [(["days", "years"], &mut length), (["spinup_days", "spinup_years"], &mut spinup)] {
            if pair.contains(&key)
                && let Some(prev) = seen.replace(key)
            {
                return Err(doc.err(
                    &k.span(),
                    key,
                    format!("give either `{}` or `{}`, not both (`{prev}` is set too)", pair[0], pair[1]),
                ));
            }
        }
        if run_key(&doc, &mut config, key, v, &mut locations)? {
            continue;
        }
        match key {
            "params" => doc.params(doc.table(v, key)?, "params.", &mut base, &mut base_at)?,
            "scenario" => scenario_values = Some(v),
            "hypothesis" => {
                config.hypothesis = doc.hypothesis(v, key)?;
                config.hypothesis.apply(&mut base);
            }
            "intervention" => {
                let list = v
                    .get_ref()
                    .as_array()
                    .ok_or_else(|| doc.err(&v.span(), key, "expected [[intervention]] tables"))?;
                for (j, i) in list.iter().enumerate() {
                    let at = format!("intervention[{j}]");
                    background.push((doc.intervention(i, &at, &mut locations)?, (i.span(), at)));
                }
            }
            "target" => target_values = Some(v),
            "sweep" => sweep_values = Some(v),
            "contrast" => contrast_values = Some(v),
            _ if param_keys().any(|p| p == key) => {
                return Err(doc.err(&k.span(), key, "a parameter, not a run key: set it in [params] (or --set)"));
            }
            _ => {
                let hint = did_you_mean(key, RUN_KEYS.iter().map(|k| k.key));
                let known: Vec<&str> = RUN_KEYS.iter().map(|k| k.key).collect();
                return Err(doc.err(&k.span(), key, format!("unknown key{hint}; expected {}", known.join(", "))));
            }
        }
    }
    config.reference = base.clone();
    let mut written: Written = background.iter().map(|(i, (_, at))| (at.clone(), *i)).collect();
    locations.extend(base_at.iter().map(|(k, e)| (format!("{REFERENCE}.{k}"), e.clone())));
    match scenario_values {
        None => {
            let interventions = background.iter().map(|(i, _)| *i).collect();
            let hypothesis = config.hypothesis;
            config.scenarios.push(Scenario {
                name: "baseline".into(),
                description: String::new(),
                hypothesis,
                params: base,
                interventions,
            });
            locations.extend(base_at.into_iter().map(|(k, e)| (format!("baseline.{k}"), e)));
        }
        Some(v) => {
            let array =
                v.get_ref().as_array().ok_or_else(|| doc.err(&v.span(), "scenario", "expected [[scenario]] tables"))?;
            for (n, s) in array.iter().enumerate() {
                let prefix = format!("scenario[{n}]");
                let interventions = background.iter().map(|(i, _)| *i).collect();
                let (hypothesis, params) = (config.hypothesis, base.clone());
                let mut scenario =
                    Scenario { name: String::new(), description: String::new(), hypothesis, params, interventions };
                let mut at = base_at.clone();
                let mut intervention_at: Vec<_> = background.iter().map(|(_, at)| at.clone()).collect();
                for (k, v) in Doc::entries(doc.table(s, &prefix)?) {
                    let key = format!("{prefix}.{}", k.get_ref());
                    match k.get_ref().as_ref() {
                        "name" => scenario.name = doc.string(v, &key)?,
                        "description" => scenario.description = doc.string(v, &key)?,
                        "hypothesis" => {
                            scenario.hypothesis = doc.hypothesis(v, &key)?;
                            scenario.hypothesis.apply(&mut scenario.params);
                        }
                        "params" => {
                            doc.params(doc.table(v, &key)?, &format!("{key}."), &mut scenario.params, &mut at)?
                        }
                        "intervention" => {
                            let list = v
                                .get_ref()
                                .as_array()
                                .ok_or_else(|| doc.err(&v.span(), &key, "expected [[scenario.intervention]] tables"))?;
                            for (j, i) in list.iter().enumerate() {
                                let at = format!("{key}[{j}]");
                                let intervention = doc.intervention(i, &at, &mut locations)?;
                                written.push((at.clone(), intervention));
                                scenario.interventions.push(intervention);
                                intervention_at.push((i.span(), at));
                            }
                        }
                        other => {
                            let fields = ["name", "description", "hypothesis", "params", "intervention"];
                            let hint = did_you_mean(other, fields);
                            return Err(doc.err(
                                &k.span(),
                                &key,
                                format!("unknown key{hint}; expected {}", fields.join(", ")),
                            ));
                        }
                    }
                }
                for (i, (span, key)) in scenario.interventions.iter().zip(&intervention_at) {
                    if let Some((name, change)) = i.target {
                        let base = match scenario.params.get(name) {
                            Some(Value::Float(x)) => x,
                            _ => continue,
                        };
                        let full = change.at(base, i.strength);
                        if scenario.params.clone().set(name, Value::Float(full)).is_err() {
                            return Err(doc.err(
                                span,
                                key,
                                format!("takes `{name}` from {base} to {full}, which it does not accept"),
                            ));
                        }
                    }
                }
                let valid = !scenario.name.is_empty()
                    && scenario.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if !valid {
                    return Err(doc.err(
                        &s.span(),
                        &format!("{prefix}.name"),
                        "every scenario needs a name of letters, digits, `_` or `-`",
                    ));
                }
                if config.scenarios.iter().any(|o| o.name == scenario.name) {
                    return Err(doc.err(
                        &s.span(),
                        &format!("{prefix}.name"),
                        format!("scenario name `{}` is used twice", scenario.name),
                    ));
                }
                locations.extend(at.into_iter().map(|(k, e)| (format!("{}.{k}", scenario.name), e)));
                config.scenarios.push(scenario);
            }
            if config.scenarios.is_empty() {
                return Err(doc.err(&v.span(), "scenario", "no scenarios"));
            }
        }
    }
    if let Some(v) = target_values {
        config.comparison.targets = super::targets::read(&doc, v, &config.scenarios, &mut locations)?;
    }
    if let Some(v) = contrast_values {
        config.comparison.contrasts = super::contrasts::read(&doc, v, &config.scenarios, &mut locations)?;
    }
    if let Some(v) = sweep_values {
        config.sweep = Some(sweep::read(&doc, v, &config.scenarios, &mut locations)?);
    }
    Ok((config, locations, written))
}

/// Cross-key checks, located at the key that breaks them: the last-set of the keys involved
/// (or the file's top when all are defaults).
pub(super) fn check(config: &Config, locations: &Locations) -> Result<(), ConfigError> {
    let reference = (REFERENCE, &config.reference);
    for (name, params) in
        std::iter::once(reference).chain(config.scenarios.iter().map(|s| (s.name.as_str(), &s.params)))
    {
        let problem = params.check_consistency().err().or_else(|| {
            (config.record_every_days < params.dt_days).then(|| {
                (
                    &["dt_days", "record_every_days"][..],
                    format!(
                        "dt_days ({}) must not exceed record_every_days ({})",
                        params.dt_days, config.record_every_days
                    ),
                )
            })
        });
        if let Some((keys, message)) = problem {
            let set = keys
                .iter()
                .filter_map(|k| locations.get(&format!("{name}.{k}")).or_else(|| locations.get(*k)))
                .max_by_key(|e| (e.file != config.source, e.line, e.column));
            let mut e = set.cloned().unwrap_or_else(|| ConfigError {
                file: config.source.clone(),
                line: 1,
                column: 1,
                key: keys[0].into(),
                message: String::new(),
            });
            e.message = match name {
                REFERENCE => format!("in [params]: {message}"),
                _ => format!("in scenario `{name}`: {message}"),
            };
            return Err(e);
        }
    }
    check_interventions(config, locations)
}

/// Every `kind = "parameter"` intervention's full change must stay a value its key accepts on
/// the parameters it meets once `--set` and the sweep have acted (the reader checked it on the
/// file's own values); a refusal is located where the key's base value was set.
fn check_interventions(config: &Config, locations: &Locations) -> Result<(), ConfigError> {
    for s in &config.scenarios {
        for i in &s.interventions {
            let Some((name, change)) = i.target else { continue };
            let Some(Value::Float(base)) = s.params.get(name) else { continue };
            let full = change.at(base, i.strength);
            if s.params.clone().set(name, Value::Float(full)).is_ok() {
                continue;
            }
            let mut e =
                locations.get(&format!("{}.{name}", s.name)).or_else(|| locations.get(name)).cloned().unwrap_or_else(
                    || ConfigError {
                        file: config.source.clone(),
                        line: 1,
                        column: 1,
                        key: name.into(),
                        message: String::new(),
                    },
                );
            e.message = format!(
                "in scenario `{}`: an intervention takes `{name}` from {base} to {full}, which it does not accept",
                s.name
            );
            return Err(e);
        }
    }
    Ok(())
}

/// The table that holds byte `at` of `text`, as errors name keys: `params.`, `scenario[1].`,
/// `scenario[1].intervention[0].`; empty at the top level or on a header. Read from the headers
/// before `at`'s line.
fn table_path(text: &str, at: usize) -> String {
    // Each array of tables seen so far, with the index of its current element.
    let mut arrays: Vec<(String, usize)> = Vec::new();
    let before = text.get(..at).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..].trim_start().starts_with('[') {
        return String::new(); // a table header written twice names itself
    }
    let mut path = String::new();
    for line in before[..line_start].lines() {
        let line = line.trim_start();
        let (name, array) = match (line.strip_prefix("[["), line.strip_prefix('[')) {
            (Some(rest), _) => (rest.split("]]").next(), true),
            (None, Some(rest)) => (rest.split(']').next(), false),
            _ => continue,
        };
        let Some(name) = name.map(|n| n.replace([' ', '\t'], "")) else { continue };
        if array {
            // A new element: the arrays inside the previous one start again.
            arrays.retain(|(n, _)| !n.starts_with(&format!("{name}.")));
            match arrays.iter_mut().find(|(n, _)| *n == name) {
                Some((_, i)) => *i += 1,
                None => arrays.push((name.clone(), 0)),
            }
        }
        path.clear();
        let mut prefix = String::new();
        for part in name.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix += part;
            path += part;
            if let Some((_, i)) = arrays.iter().find(|(n, _)| *n == prefix) {
                path += &format!("[{i}]");
            }
            path.push('.');
        }
    }
    path
}
