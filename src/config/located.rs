//! Located config errors and the document they come from: [`ConfigError`] (file, line, column,
//! key), binary-input refusal, and [`Doc`], which reads spanned TOML values and refuses unknown
//! keys, wrong types, NaN, infinities and values out of range at the culprit's position.

use super::Hypothesis;
use super::dosing_reader::DOSING_KEYS;
use super::interventions::{Change, FIXED_KEYS, Intervention, Kind, Strength};
use super::keys::{INTERVENTION_FIELDS, did_you_mean, kind_names, param_keys};
use super::params::{PARAMS, Params, Range as ParamRange, Value, ValueError};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A config problem, located.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the problem is the file itself (missing, unreadable).
    pub line: usize,
    pub column: usize,
    /// The key at fault, dotted (`scenario[0].params.damage_per_day`); empty if none.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.key.is_empty() {
            write!(f, ": key `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub(crate) fn io(file: &str, e: &std::io::Error) -> ConfigError {
        ConfigError {
            file: file.into(),
            line: 0,
            column: 0,
            key: String::new(),
            message: format!("cannot read the config: {e}"),
        }
    }

    /// The problem `message` with `key`, located at the start of `span` in `text`.
    pub(crate) fn at(
        file: &str,
        text: &str,
        span: &Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, column) = line_col(text, span.start);
        ConfigError { file: file.into(), line, column, key: key.into(), message: message.into() }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Config bytes → text, refusing binary input.
pub(super) fn decode(file: &str, bytes: Vec<u8>) -> Result<String, ConfigError> {
    match String::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            Some(i) => {
                Err(ConfigError::at(file, &text, &(i..i), "", "a NUL byte: this is a binary file, not a TOML config"))
            }
            None => Ok(text),
        },
        Err(e) => {
            let i = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.into_bytes()[..i]).into_owned();
            Err(ConfigError::at(file, &text, &(i..i), "", "invalid UTF-8: this is a binary file, not a TOML config"))
        }
    }
}

/// One walk over one document: remembers the file name and text for locating errors.
pub(super) struct Doc<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
}

pub(super) type Entry<'t, 'i> = (&'t Spanned<std::borrow::Cow<'i, str>>, &'t Spanned<DeValue<'i>>);

impl Doc<'_> {
    pub(super) fn err(&self, span: &Range<usize>, key: &str, msg: impl Into<String>) -> ConfigError {
        ConfigError::at(self.file, self.text, span, key, msg)
    }

    /// Entries of a table in file order, so the first error reported is the first in the file.
    pub(super) fn entries<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
        let mut v: Vec<_> = table.iter().collect();
        v.sort_by_key(|(k, _)| k.span().start);
        v
    }

    pub(super) fn value(&self, v: &Spanned<DeValue>, key: &str) -> Result<Value, ConfigError> {
        let span = v.span();
        match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map(Value::Int)
                .map_err(|_| self.err(&span, key, "integer out of range")),
            DeValue::Float(x) => {
                let x: f64 = x.as_str().replace('_', "").parse().map_err(|_| self.err(&span, key, "not a number"))?;
                if x.is_finite() {
                    Ok(Value::Float(x))
                } else {
                    Err(self.err(&span, key, format!("{x} is not a finite number")))
                }
            }
            DeValue::Boolean(b) => Ok(Value::Bool(*b)),
            other => {
                // The key's own accepted values where it is a parameter (`sites = "forty"`).
                let name = key.rsplit('.').next().unwrap_or(key);
                let wanted =
                    PARAMS.iter().find(|p| p.key == name).map_or("a number or boolean", |p| p.range.describe());
                Err(self.err(&span, key, format!("expected {wanted}, found {}", found(other))))
            }
        }
    }

    pub(super) fn float(&self, v: &Spanned<DeValue>, key: &str, min: f64) -> Result<f64, ConfigError> {
        let wanted = if min > f64::MIN { format!("a finite number >= {min}") } else { "a finite number".into() };
        if let DeValue::String(_) | DeValue::Array(_) | DeValue::Table(_) | DeValue::Datetime(_) = v.get_ref() {
            return Err(self.err(&v.span(), key, format!("expected {wanted}, found {}", found(v.get_ref()))));
        }
        match self.value(v, key)? {
            Value::Float(x) if x >= min => Ok(x),
            Value::Int(i) if i as f64 >= min => Ok(i as f64),
            _ => Err(self.err(&v.span(), key, format!("expected {wanted}"))),
        }
    }

    pub(super) fn string(&self, v: &Spanned<DeValue>, key: &str) -> Result<String, ConfigError> {
        match v.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            other => Err(self.err(&v.span(), key, format!("expected a string, found a {}", other.type_str()))),
        }
    }

    pub(super) fn switch(&self, v: &Spanned<DeValue>, key: &str) -> Result<bool, ConfigError> {
        match v.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            other => Err(self.err(&v.span(), key, format!("expected true or false, found a {}", other.type_str()))),
        }
    }

    pub(super) fn table<'t, 'i>(&self, v: &'t Spanned<DeValue<'i>>, key: &str) -> Result<&'t DeTable<'i>, ConfigError> {
        v.get_ref()
            .as_table()
            .ok_or_else(|| self.err(&v.span(), key, format!("expected a table, found a {}", v.get_ref().type_str())))
    }

    /// Apply a `[params]` table to `params`, recording where each key was set.
    pub(super) fn params(
        &self,
        table: &DeTable,
        prefix: &str,
        params: &mut Params,
        at: &mut Locations,
    ) -> Result<(), ConfigError> {
        for (k, v) in Self::entries(table) {
            let key = format!("{prefix}{}", k.get_ref());
            let value = self.value(v, &key)?;
            params.set(k.get_ref(), value).map_err(|e| match e {
                ValueError::UnknownKey => self.err(
                    &k.span(),
                    &key,
                    format!(
                        "unknown parameter{}; `bmu-sim params` lists them",
                        did_you_mean(k.get_ref(), param_keys())
                    ),
                ),
                ValueError::Expected(what) => self.err(&v.span(), &key, format!("expected {what}, got {value}")),
            })?;
            at.insert(k.get_ref().to_string(), self.err(&v.span(), &key, ""));
        }
        Ok(())
    }

    /// One intervention table; records where it and each of its keys were written in `at`.
    pub(super) fn intervention(
        &self,
        v: &Spanned<DeValue>,
        prefix: &str,
        at: &mut Locations,
    ) -> Result<Intervention, ConfigError> {
        let t = self.table(v, prefix)?;
        at.insert(prefix.to_string(), self.err(&v.span(), prefix, ""));
        let mut i = Intervention {
            kind: Kind::Denosumab,
            start_day: 0.0,
            end_day: f64::MAX,
            ramp_days: 0.0,
            strength: 1.0,
            target: None,
            dosing: None,
        };
        let (mut kind, mut key_at, mut change, mut strength_at) = (None, None, None, None);
        let (mut dosing, mut window) = (Vec::new(), None);
        for (k, v) in Self::entries(t) {
            let key = format!("{prefix}.{}", k.get_ref());
            at.insert(key.clone(), self.err(&v.span(), &key, ""));
            match k.get_ref().as_ref() {
                "kind" => {
                    let name = self.string(v, &key)?;
                    let names: Vec<_> = Kind::ALL.iter().map(|(_, n)| *n).collect();
                    kind = Some(Kind::from_name(&name).ok_or_else(|| {
                        let hint = did_you_mean(&name, kind_names());
                        self.err(
                            &v.span(),
                            &key,
                            format!("unknown intervention `{name}`{hint}; known: {}", names.join(", ")),
                        )
                    })?);
                }
                // Negative days fall in the spin-up: a background that began before the record.
                "start_day" => i.start_day = self.float(v, &key, -1e7)?,
                "end_day" => {
                    i.end_day = self.float(v, &key, -1e7)?;
                    window = Some((v.span(), key));
                }
                "ramp_days" => {
                    i.ramp_days = self.float(v, &key, 0.0)?;
                    window = Some((v.span(), key));
                }
                "strength" => {
                    i.strength = self.float(v, &key, 0.0)?;
                    strength_at = Some((v.span(), key.clone()));
                    window = Some((v.span(), key));
                }
                name if DOSING_KEYS.contains(&name) => dosing.push((k, v)),
                "key" => key_at = Some((self.parameter_key(v, &key)?, v.span())),
                "scale" | "set" if change.is_some() => {
                    return Err(self.err(&k.span(), &key, "give either `scale` or `set`, not both"));
                }
                "scale" => change = Some((Change::Scale(self.float(v, &key, 0.0)?), v.span(), key)),
                "set" => change = Some((Change::Set(self.float(v, &key, f64::MIN)?), v.span(), key)),
                other => {
                    let hint = did_you_mean(other, INTERVENTION_FIELDS.iter().map(|f| f.key));
                    let known: Vec<&str> = INTERVENTION_FIELDS.iter().map(|f| f.key).collect();
                    let message = format!("unknown key{hint}; expected {}", known.join(", "));
                    return Err(self.err(&k.span(), &key, message));
                }
            }
        }
        i.kind = kind.ok_or_else(|| self.err(&v.span(), prefix, "missing `kind`"))?;
        if !dosing.is_empty() {
            if let Some((span, key)) = window {
                let msg =
                    "a regimen's doses set its course: give `end_day`, `ramp_days` and `strength` only to a window";
                return Err(self.err(&span, &key, msg));
            }
            i.dosing = Some(self.dosing(i.kind, i.start_day, &dosing, prefix, &v.span())?);
        }
        if i.end_day <= i.start_day {
            return Err(self.err(&v.span(), &format!("{prefix}.end_day"), "must be after start_day"));
        }
        let max = i.kind.strength().max();
        if let Some((span, key)) = strength_at.filter(|_| i.strength > max) {
            let why = match i.kind.strength() {
                Strength::Proportional => "ten times its standard effect",
                Strength::Saturating => "its full effect: more does no more",
                Strength::Switch => "a knock-out is all or nothing",
            };
            return Err(self.err(
                &span,
                &key,
                format!("{} takes a strength from 0 to {max} ({why}), got {}", i.kind, i.strength),
            ));
        }
        match (i.kind, key_at, change) {
            (Kind::Parameter, Some((key, _)), Some((change, span, at))) => {
                // The full change must be a value the key accepts (checked again per scenario).
                let value = change
                    .at(Params::default().get(key).map_or(1.0, |v| if let Value::Float(x) = v { x } else { 1.0 }), 1.0);
                if let Change::Set(_) = change {
                    Params::default()
                        .set(key, Value::Float(value))
                        .map_err(|_| self.err(&span, &at, format!("`{key}` does not accept {value}")))?;
                }
                i.target = Some((key, change));
            }
            (Kind::Parameter, None, _) => {
                return Err(self.err(&v.span(), &format!("{prefix}.key"), "kind = \"parameter\" needs a `key`"));
            }
            (Kind::Parameter, _, None) => {
                return Err(self.err(
                    &v.span(),
                    &format!("{prefix}.scale"),
                    "kind = \"parameter\" needs `scale` or `set`",
                ));
            }
            (_, Some((_, span)), _) | (_, _, Some((_, span, _))) => {
                return Err(self.err(&span, prefix, "`key`, `scale` and `set` belong to kind = \"parameter\""));
            }
            _ => {}
        }
        Ok(i)
    }

    /// A mitophagy hypothesis by name.
    pub(super) fn hypothesis(&self, v: &Spanned<DeValue>, key: &str) -> Result<Hypothesis, ConfigError> {
        let name = self.string(v, key)?;
        let names: Vec<_> = Hypothesis::ALL.iter().map(|(_, n)| *n).collect();
        Hypothesis::from_name(&name).ok_or_else(|| {
            let hint = did_you_mean(&name, names.iter().copied());
            self.err(&v.span(), key, format!("unknown hypothesis `{name}`{hint}; known: {}", names.join(", ")))
        })
    }

    /// A parameter key an intervention may change: a number of the table, not in [`FIXED_KEYS`].
    fn parameter_key(&self, v: &Spanned<DeValue>, key: &str) -> Result<&'static str, ConfigError> {
        let name = self.string(v, key)?;
        let spec = PARAMS.iter().find(|p| p.key == name).ok_or_else(|| {
            let hint = did_you_mean(&name, param_keys());
            self.err(&v.span(), key, format!("unknown parameter `{name}`{hint}; `bmu-sim params` lists them"))
        })?;
        let number = !matches!(spec.range, ParamRange::Count | ParamRange::Integer | ParamRange::Switch);
        if !number || FIXED_KEYS.contains(&spec.key) {
            return Err(self.err(
                &v.span(),
                key,
                format!(
                    "`{name}` cannot change during a run (integers, switches and {} are fixed)",
                    FIXED_KEYS.join(", ")
                ),
            ));
        }
        Ok(spec.key)
    }
}

/// Where each parameter was last set (an error template carrying file, line and column).
pub(super) type Locations = BTreeMap<String, ConfigError>;

/// A value that is not a number, for an error message: a string with its text, else its type.
fn found(v: &DeValue) -> String {
    match v {
        DeValue::String(s) => format!("the string \"{s}\""),
        other => format!("a {}", other.type_str()),
    }
}
