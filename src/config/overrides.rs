//! Command-line overrides (`--set KEY=VALUE`, and flags such as `--seed`), applied after the
//! file and located in what the user typed.

use super::Config;
use super::keys::{did_you_mean, top_level_keys};
use super::located::{ConfigError, Doc, Locations};
use super::params::ValueError;
use super::reader::{REFERENCE, run_key};
use toml::de::DeTable;

/// Command-line overrides, applied after the file: a run key (`seed`, `days`, …) or a parameter,
/// which is then set in every scenario.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// (how the user wrote it, `KEY=VALUE`)
    pairs: Vec<(String, String)>,
}

impl Overrides {
    /// Record a `--set KEY=VALUE` (checked when applied).
    pub fn push(&mut self, pair: &str) {
        self.pairs.push((format!("--set {pair}"), pair.to_string()));
    }

    /// Record a flag that sets a run key, such as `--seed 7` (checked when applied).
    pub fn push_flag(&mut self, flag: &str, key: &str, value: &str) {
        self.pairs.push((format!("{flag} {value}"), format!("{key}={value}")));
    }

    pub(super) fn apply(&self, config: &mut Config, locations: &mut Locations) -> Result<(), ConfigError> {
        for (origin, pair) in &self.pairs {
            // Columns count within `pair` as the user typed it (TOML accepts `key=value`).
            let doc = Doc { file: origin, text: pair };
            let Some((key, _)) = pair.split_once('=') else {
                return Err(doc.err(&(0..0), pair, "expected KEY=VALUE"));
            };
            let key = key.trim();
            let root = DeTable::parse(pair).map_err(|e| {
                doc.err(&e.span().unwrap_or(0..0), key, format!("invalid value: {}", e.message().trim()))
            })?;
            let Some((k, v)) = root.get_ref().iter().next() else { continue };
            if k.get_ref() != key || root.get_ref().len() != 1 || v.get_ref().is_table() {
                return Err(doc.err(&k.span(), key, "expected KEY=VALUE with a plain key"));
            }
            if run_key(&doc, config, key, v, locations)? {
                continue;
            }
            if config.sweep.as_ref().is_some_and(|s| s.axes.iter().any(|a| a.key == key)) {
                return Err(doc.err(
                    &k.span(),
                    key,
                    "this key is swept by the config's [sweep]; change its values there",
                ));
            }
            let value = doc.value(v, key)?;
            let refused = |e| match e {
                ValueError::UnknownKey => {
                    let hint = did_you_mean(key, top_level_keys());
                    doc.err(
                        &k.span(),
                        key,
                        format!("unknown key{hint}; a run key or a parameter, as `bmu-sim params` lists them"),
                    )
                }
                ValueError::Expected(what) => doc.err(&v.span(), key, format!("expected {what}, got {value}")),
            };
            config.reference.set(key, value).map_err(refused)?;
            locations.insert(format!("{REFERENCE}.{key}"), doc.err(&v.span(), key, ""));
            for s in &mut config.scenarios {
                s.params.set(key, value).map_err(refused)?;
                locations.insert(format!("{}.{key}", s.name), doc.err(&v.span(), key, ""));
            }
        }
        Ok(())
    }
}
