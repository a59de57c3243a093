//! What sensitivity and fit files share: reading the file, the TOML parse error located at its file, line, column
//! and key (with a did-you-mean for an unknown key), and the `[[parameter]]` rows that become
//! priors, each checked against every scenario it will be set in.
//!
//! ```toml
//! [[parameter]]          # a real-valued key of `bmu-sim params`, inside its accepted range
//! key = "damage_per_day"
//! low = 1.0
//! high = 4.0
//! scale = "log"          # log-uniform; or "uniform" (default)
//! ```

use crate::config::keys::did_you_mean;
use crate::config::{ConfigError, PARAMS, Range as ParamRange, Scenario, Value};
use crate::inference::{Prior, Priors, Scale};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// One `[[parameter]]` row as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParameter {
    key: Spanned<String>,
    low: Spanned<f64>,
    high: Spanned<f64>,
    scale: Option<Spanned<String>>,
}

/// The file at `path`: its name for errors, its text, and the directory its configs are
/// relative to.
pub fn read(path: &Path) -> Result<(String, String, &Path), ConfigError> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(&source, &e))?;
    Ok((source, text, path.parent().unwrap_or(Path::new(""))))
}

/// Parse `text` as `T`, or the TOML error at its file, line, column and key; an unknown key
/// gets the nearest known one (`fields`) suggested.
pub fn parse<T: DeserializeOwned>(source: &str, text: &str, fields: &[&str]) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let word = text.get(span.clone()).unwrap_or("").trim_matches('"');
        let key = if word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') { word } else { "" };
        let mut message = e.message().trim().to_string();
        if message.starts_with("unknown field") && !key.is_empty() {
            message.push_str(&did_you_mean(key, fields.iter().copied()));
        }
        ConfigError::at(source, text, &span, key, message)
    })
}

/// The priors of `rows`, in order: each key a real-valued parameter given once, each bound one
/// that every scenario of `scenarios` accepts, `low < high` (and `low > 0` on a log scale).
/// Refused with the row's file, line, column and key (`parameter[i].…`).
pub fn priors(source: &str, text: &str, rows: &[RawParameter], scenarios: &[&Scenario]) -> Result<Priors, ConfigError> {
    let err = |span: &Range<usize>, key: &str, message: String| ConfigError::at(source, text, span, key, message);
    let mut priors = Vec::new();
    for (n, p) in rows.iter().enumerate() {
        let at = |k: &str| format!("parameter[{n}].{k}");
        let key = p.key.get_ref();
        let spec = PARAMS.iter().find(|s| s.key == key).ok_or_else(|| {
            let hint = did_you_mean(key, PARAMS.iter().map(|s| s.key));
            err(&p.key.span(), &at("key"), format!("unknown parameter{hint} (`bmu-sim params` lists them)"))
        })?;
        if matches!(spec.range, ParamRange::Switch | ParamRange::Count | ParamRange::Integer) {
            let why = format!("`{key}` takes {}: only real-valued parameters have ranges", spec.range.describe());
            return Err(err(&p.key.span(), &at("key"), why));
        }
        if priors.iter().any(|q: &Prior| q.name == *key) {
            return Err(err(&p.key.span(), &at("key"), format!("`{key}` is given twice")));
        }
        for (which, bound) in [("low", &p.low), ("high", &p.high)] {
            let x = *bound.get_ref();
            if scenarios.iter().any(|s| s.params.clone().set(spec.key, Value::Float(x)).is_err()) {
                let why = format!("`{key}` accepts {}, not {x}", spec.range.describe());
                return Err(err(&bound.span(), &at(which), why));
            }
        }
        let scale = match p.scale.as_ref().map(|s| s.get_ref().as_str()) {
            None | Some("uniform") => Scale::Uniform,
            Some("log") => Scale::LogUniform,
            Some(other) => {
                let why = format!("unknown scale `{other}`; expected \"uniform\" or \"log\"");
                return Err(err(&p.scale.as_ref().map_or(0..0, Spanned::span), &at("scale"), why));
            }
        };
        let prior = Prior::new(spec.key, scale, *p.low.get_ref(), *p.high.get_ref())
            .map_err(|e| err(&p.low.span(), &at("low"), e.to_string()))?;
        priors.push(prior);
    }
    if priors.is_empty() {
        return Err(err(&(0..0), "parameter", "give at least one [[parameter]]".into()));
    }
    Priors::new(priors).map_err(|e| err(&(0..0), "parameter", e.to_string()))
}
