//! Parameter sweeps: every scenario at every point of a grid (or zip) of parameter values.
//!
//! ```toml
//! [sweep]
//! mode = "grid"        # every combination, the first key varying slowest (default), or "zip":
//!                      # the i-th values of every key together (all keys need as many values)
//! day = 1825           # the day the sweep plot reads (default: the last recorded day)
//! parkin_per_day = { start = 0.5, stop = 16, num = 6, scale = "log" }  # scale: "linear" (default)
//! hypoxia = { values = [0.5, 1, 2] }                                   # or: hypoxia = [0.5, 1, 2]
//! ```
//!
//! The sweep sets scenario parameters, never the untreated `[params]` reference, and is expanded
//! once here: [`Config::scenarios`](super::Config::scenarios) then holds every scenario at every
//! point, scenario-major (`scenarios[s · points + p]`), named `<scenario>@<key>=<value>`, with
//! further keys joined by `+` (`wild_type@parkin_per_day=4+hypoxia=2`). A run's unit of work is
//! (scenario, point, replicate), numbered `(s · points + p) · replicates + r`. Values in names have
//! the fewest significant digits (at least 3) that keep a key's values apart, in exponent form
//! below 1e-4 or from 1e9; `sweep.csv` has them exactly. A key may not list a value twice. The
//! size is checked before expanding: at most [`MAX_POINTS`] points and [`MAX_RUNS`] runs.

use super::located::{Doc, Locations};
use super::params::{PARAMS, Range as ParamRange, Value};
use super::{Config, ConfigError, Scenario};
use toml::Spanned;
use toml::de::DeValue;

/// Most sweep points a config may have.
pub const MAX_POINTS: usize = 10_000;
/// Most runs (scenarios × points × replicates) a swept config may have.
pub const MAX_RUNS: u64 = 1_000_000;

/// How the keys' values combine into points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Grid,
    Zip,
}

/// How a key's values are spaced (and so how the sweep plot draws its axis).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log,
}

/// One swept key and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub key: &'static str,
    pub values: Vec<f64>,
    pub scale: Scale,
    /// The key is an integer parameter (its values are whole numbers).
    pub integer: bool,
    /// Each value as scenario names show it: the fewest significant digits (at least 3) that keep
    /// the values apart.
    pub labels: Vec<String>,
}

impl Axis {
    /// The name label of value `x` (one of [`values`](Self::values)).
    pub fn label(&self, x: f64) -> &str {
        self.values.iter().position(|&v| v == x).map_or("?", |i| &self.labels[i])
    }
}

/// Short distinct labels of `values` (which are distinct).
fn labels(values: &[f64]) -> Vec<String> {
    for digits in 3..=17 {
        let short: Vec<String> =
            values.iter().map(|&x| number(format!("{:.*e}", digits - 1, x).parse::<f64>().unwrap_or(x))).collect();
        let mut sorted = short.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() == short.len() {
            return short;
        }
    }
    values.iter().map(|&x| number(x)).collect()
}

/// A validated sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    pub mode: Mode,
    /// The day the sweep plot reads; `None`: the last recorded day.
    pub day: Option<f64>,
    pub axes: Vec<Axis>,
    /// The scenarios as written (with `--set` applied), before the sweep sets its keys.
    pub scenarios: Vec<Scenario>,
    /// Every point's values, one per axis, in point order.
    pub points: Vec<Vec<f64>>,
}

impl Sweep {
    /// How many points the axes make (saturating: checked against [`MAX_POINTS`]).
    fn size(&self) -> usize {
        match self.mode {
            Mode::Zip => self.axes.first().map_or(0, |a| a.values.len()),
            Mode::Grid => self.axes.iter().fold(1usize, |n, a| n.saturating_mul(a.values.len())),
        }
    }

    /// Every point, in order (grid: the first key varies slowest).
    fn expand_points(&self) -> Vec<Vec<f64>> {
        (0..self.size())
            .map(|p| match self.mode {
                Mode::Zip => self.axes.iter().map(|a| a.values[p]).collect(),
                Mode::Grid => {
                    let mut rest = p;
                    let mut point: Vec<f64> = self
                        .axes
                        .iter()
                        .rev()
                        .map(|a| {
                            let v = a.values[rest % a.values.len()];
                            rest /= a.values.len();
                            v
                        })
                        .collect();
                    point.reverse();
                    point
                }
            })
            .collect()
    }

    /// The readable label of point `p`: `key=value+key=value`.
    pub fn label(&self, p: usize) -> String {
        let parts: Vec<String> =
            self.axes.iter().zip(&self.points[p]).map(|(a, &x)| format!("{}={}", a.key, a.label(x))).collect();
        parts.join("+")
    }
}

/// A value as written in names and tables: shortest round-trip decimal, exponent form when tiny
/// or huge.
pub fn number(x: f64) -> String {
    if x == 0.0 || (1e-4..1e9).contains(&x.abs()) { format!("{x}") } else { format!("{x:e}") }
}

fn value(axis: &Axis, x: f64) -> Value {
    if axis.integer { Value::Int(x as i64) } else { Value::Float(x) }
}

/// Read one key's values: a list, or `{ values | start, stop, num; scale }`.
fn axis(doc: &Doc, key: &str, spec: &'static str, integer: bool, v: &Spanned<DeValue>) -> Result<Axis, ConfigError> {
    let mut axis = Axis { key: spec, values: Vec::new(), scale: Scale::Linear, integer, labels: Vec::new() };
    let list = |v: &Spanned<DeValue>, at: &str| -> Result<Vec<f64>, ConfigError> {
        let items = v.get_ref().as_array().ok_or_else(|| doc.err(&v.span(), at, "expected a list of numbers"))?;
        if items.is_empty() || items.len() > MAX_POINTS {
            return Err(doc.err(&v.span(), at, format!("expected 1 to {MAX_POINTS} values")));
        }
        items.iter().map(|x| doc.float(x, at, f64::MIN)).collect()
    };
    if v.get_ref().as_array().is_some() {
        axis.values = list(v, key)?;
        return finish(doc, key, spec, v, axis);
    }
    let (mut start, mut stop, mut num) = (None, None, None);
    for (k, x) in Doc::entries(doc.table(v, key)?) {
        let at = format!("{key}.{}", k.get_ref());
        match k.get_ref().as_ref() {
            "values" => axis.values = list(x, &at)?,
            "start" => start = Some(doc.float(x, &at, f64::MIN)?),
            "stop" => stop = Some(doc.float(x, &at, f64::MIN)?),
            "num" => match x.get_ref() {
                DeValue::Integer(i) => {
                    num =
                        i.as_str().parse::<usize>().ok().filter(|n| (1..=MAX_POINTS).contains(n)).map(Some).ok_or_else(
                            || doc.err(&x.span(), &at, format!("expected an integer from 1 to {MAX_POINTS}")),
                        )?
                }
                _ => return Err(doc.err(&x.span(), &at, format!("expected an integer from 1 to {MAX_POINTS}"))),
            },
            "scale" => {
                axis.scale = match doc.string(x, &at)?.as_str() {
                    "linear" => Scale::Linear,
                    "log" => Scale::Log,
                    other => {
                        return Err(doc.err(
                            &x.span(),
                            &at,
                            format!("unknown scale `{other}`; expected \"linear\" or \"log\""),
                        ));
                    }
                }
            }
            _ => {
                return Err(doc.err(
                    &k.span(),
                    &at,
                    "unknown key (expected values, or start, stop and num; and scale)",
                ));
            }
        }
    }
    match (axis.values.is_empty(), start, stop, num) {
        (false, None, None, None) => {}
        (true, Some(a), Some(b), Some(n)) => {
            if axis.scale == Scale::Log && (a <= 0.0 || b <= 0.0) {
                return Err(doc.err(&v.span(), key, "scale = \"log\" needs start > 0 and stop > 0"));
            }
            let at = |i: usize| match (i, axis.scale) {
                (0, _) => a,
                (i, _) if i + 1 == n => b,
                (i, Scale::Linear) => a + (b - a) * i as f64 / (n - 1) as f64,
                (i, Scale::Log) => a * (b / a).powf(i as f64 / (n - 1) as f64),
            };
            // To 12 significant digits: 4, not 3.9999999999999996, in names and tables.
            let round = |x: f64| format!("{x:.11e}").parse().unwrap_or(x);
            axis.values = (0..n).map(|i| round(at(i))).collect();
        }
        _ => return Err(doc.err(&v.span(), key, "give either `values` or all of `start`, `stop` and `num`")),
    }
    finish(doc, key, spec, v, axis)
}

/// Checks common to every way of giving values, and the labels.
fn finish(doc: &Doc, key: &str, spec: &str, v: &Spanned<DeValue>, mut axis: Axis) -> Result<Axis, ConfigError> {
    let mut sorted = axis.values.clone();
    sorted.sort_by(f64::total_cmp);
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(doc.err(&v.span(), key, format!("value {} is given twice", number(w[0]))));
    }
    if axis.scale == Scale::Log && axis.values.iter().any(|&x| x <= 0.0) {
        return Err(doc.err(&v.span(), key, "scale = \"log\" needs values > 0"));
    }
    if axis.integer && axis.values.iter().any(|x| x.fract() != 0.0 || x.abs() > 1e15) {
        return Err(doc.err(
            &v.span(),
            key,
            format!("`{spec}` is an integer parameter: every value must be a whole number"),
        ));
    }
    axis.labels = labels(&axis.values);
    Ok(axis)
}

/// Read `[sweep]`, checking that every key is a parameter that accepts every value in every
/// scenario.
pub(super) fn read(
    doc: &Doc,
    v: &Spanned<DeValue>,
    scenarios: &[Scenario],
    at: &mut Locations,
) -> Result<Sweep, ConfigError> {
    let mut sweep = Sweep { mode: Mode::Grid, day: None, axes: Vec::new(), scenarios: Vec::new(), points: Vec::new() };
    at.insert("sweep".into(), doc.err(&v.span(), "sweep", ""));
    for (k, x) in Doc::entries(doc.table(v, "sweep")?) {
        let key = format!("sweep.{}", k.get_ref());
        match k.get_ref().as_ref() {
            "mode" => {
                sweep.mode = match doc.string(x, &key)?.as_str() {
                    "grid" => Mode::Grid,
                    "zip" => Mode::Zip,
                    other => {
                        return Err(doc.err(
                            &x.span(),
                            &key,
                            format!("unknown mode `{other}`; expected \"grid\" or \"zip\""),
                        ));
                    }
                }
            }
            "day" => {
                sweep.day = Some(doc.float(x, &key, 0.0)?);
                at.insert(key.clone(), doc.err(&x.span(), &key, ""));
            }
            name => {
                let spec = PARAMS.iter().find(|p| p.key == name).ok_or_else(|| {
                    let hint =
                        super::keys::did_you_mean(name, ["mode", "day"].into_iter().chain(super::keys::param_keys()));
                    doc.err(
                        &k.span(),
                        &key,
                        format!(
                            "unknown key{hint}; expected mode, day, or a parameter, as `bmu-sim params` lists them"
                        ),
                    )
                })?;
                if spec.range == ParamRange::Switch {
                    return Err(doc.err(
                        &k.span(),
                        &key,
                        format!("`{name}` is a switch: write one scenario per setting instead of sweeping it"),
                    ));
                }
                let integer = matches!(spec.range, ParamRange::Count | ParamRange::Integer);
                let axis = axis(doc, &key, spec.key, integer, x)?;
                for s in scenarios {
                    for &x_i in &axis.values {
                        if let Err(e) = s.params.clone().set(spec.key, value(&axis, x_i)) {
                            let what = match e {
                                super::params::ValueError::Expected(what) => what,
                                super::params::ValueError::UnknownKey => "a known key",
                            };
                            return Err(doc.err(
                                &x.span(),
                                &key,
                                format!("value {} is refused in scenario `{}`: expected {what}", number(x_i), s.name),
                            ));
                        }
                    }
                }
                at.insert(key, doc.err(&x.span(), &format!("sweep.{name}"), ""));
                sweep.axes.push(axis);
            }
        }
    }
    let Some(first) = sweep.axes.first() else {
        return Err(doc.err(&v.span(), "sweep", "a [sweep] needs at least one parameter key with its values"));
    };
    if sweep.mode == Mode::Zip
        && let Some(odd) = sweep.axes.iter().find(|a| a.values.len() != first.values.len())
    {
        let message = format!(
            "mode = \"zip\" needs as many values for every key: `{}` has {}, `{}` has {}",
            first.key,
            first.values.len(),
            odd.key,
            odd.values.len()
        );
        let mut e = at.get(&format!("sweep.{}", odd.key)).cloned().unwrap_or_else(|| doc.err(&v.span(), "", ""));
        e.message = message;
        return Err(e);
    }
    Ok(sweep)
}

/// Expand the sweep (after `--set`): every scenario at every point, checked for size first.
pub(super) fn expand(config: &mut Config, at: &mut Locations) -> Result<(), ConfigError> {
    let Some(sweep) = config.sweep.as_mut() else { return Ok(()) };
    let points = sweep.size();
    let runs =
        (points as u64).saturating_mul(config.scenarios.len() as u64).saturating_mul(u64::from(config.replicates));
    if points > MAX_POINTS || runs > MAX_RUNS {
        let mut e = at.get("sweep").cloned().unwrap_or_else(|| ConfigError {
            file: config.source.clone(),
            line: 1,
            column: 1,
            key: String::new(),
            message: String::new(),
        });
        e.key = "sweep".into();
        e.message = format!(
            "the sweep makes {points} point(s) × {} scenario(s) × {} replicate(s) = {runs} runs; at most {MAX_POINTS} points and {MAX_RUNS} runs",
            config.scenarios.len(),
            config.replicates
        );
        return Err(e);
    }
    sweep.points = sweep.expand_points();
    sweep.scenarios = std::mem::take(&mut config.scenarios);
    for base in &sweep.scenarios {
        for p in 0..points {
            let mut variant = base.clone();
            variant.name = format!("{}@{}", base.name, sweep.label(p));
            for (axis, &x) in sweep.axes.iter().zip(&sweep.points[p]) {
                // Checked for every value and scenario when the sweep was read.
                let _ = variant.params.set(axis.key, value(axis, x));
            }
            let inherited: Vec<(String, ConfigError)> = at
                .range(format!("{}.", base.name)..)
                .take_while(|(k, _)| k.starts_with(&format!("{}.", base.name)))
                .map(|(k, e)| (format!("{}{}", variant.name, &k[base.name.len()..]), e.clone()))
                .collect();
            at.extend(inherited);
            for axis in &sweep.axes {
                if let Some(e) = at.get(&format!("sweep.{}", axis.key)).cloned() {
                    at.insert(format!("{}.{}", variant.name, axis.key), e);
                }
            }
            config.scenarios.push(variant);
        }
    }
    Ok(())
}
