//! `posterior = "path"`: a run whose replicates draw their parameters from a fit's posterior
//! (`posterior.csv` of `bmu-sim fit`, its last population), so a scenario's band carries
//! parameter and stochastic uncertainty together (issue 16, point 4).
//!
//! Rule, for the last population's particles θ_j with weights w_j:
//! ```text
//! draw g = ⌊r / PER_DRAW⌋ of replicate r:  j ~ w  from the stream (seed, g, Process::Posterior)
//!                                           (drawn in `ensemble::posterior_draw`)
//! replicate r runs every scenario with θ_j set (as a sweep sets a key: never in [params])
//! ```
//! Replicates come in pairs that share a draw: the spread within a pair is the model's own
//! (stochastic), and the spread between pairs adds the parameters' ([`crate::analysis`]'s
//! one-way decomposition). Replicate r draws the same θ in every scenario, so effects stay paired.
//! The file is read once; the resolved config names it by its absolute path with its hash, and a
//! posterior that changed since is refused, so resumed units never mix two posteriors.

use super::Scenario;
use super::params::{PARAMS, Range as ParamRange, Value, ValueError};
use crate::provenance::fnv1a64_hex;
use std::path::Path;

/// Replicates that share one posterior draw.
pub const PER_DRAW: u32 = 2;

/// The posterior a run draws from.
#[derive(Clone, Debug, PartialEq)]
pub struct Posterior {
    /// The file, absolute.
    pub file: String,
    /// fnv1a64 of its bytes.
    pub hash: String,
    /// The fitted keys, in the file's column order.
    pub parameters: Vec<&'static str>,
    /// The last population: (normalised weight, θ).
    pub particles: Vec<(f64, Vec<f64>)>,
}

impl Posterior {
    /// Read `path` (a `posterior.csv`): its last generation's particles. `Err` says why not.
    pub fn read(path: &Path) -> Result<Posterior, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string();
        let text = String::from_utf8(bytes.clone()).map_err(|_| "not UTF-8 text".to_string())?;
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        const FIXED: [&str; 5] = ["generation", "tolerance", "particle", "weight", "distance"];
        if header.len() <= FIXED.len() || header[..FIXED.len()] != FIXED {
            return Err(format!("not a posterior.csv of `bmu-sim fit` (header {})", FIXED.join(",")));
        }
        let mut parameters = Vec::new();
        for name in &header[FIXED.len()..] {
            let spec = PARAMS.iter().find(|s| s.key == *name).ok_or_else(|| format!("unknown parameter `{name}`"))?;
            if matches!(spec.range, ParamRange::Switch | ParamRange::Count | ParamRange::Integer) {
                return Err(format!("`{name}` is not a real-valued parameter"));
            }
            parameters.push(spec.key);
        }
        let mut rows: Vec<(u64, f64, Vec<f64>)> = Vec::new();
        for (n, line) in lines.enumerate() {
            let cells: Vec<&str> = line.split(',').collect();
            let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
            let parsed = (cells.len() == header.len())
                .then(|| {
                    let generation = cells[0].parse::<u64>().ok()?;
                    let weight = number(cells[3]).filter(|w| *w >= 0.0)?;
                    let theta: Option<Vec<f64>> = cells[FIXED.len()..].iter().map(|c| number(c)).collect();
                    Some((generation, weight, theta?))
                })
                .flatten();
            rows.push(parsed.ok_or_else(|| format!("line {} is not a particle", n + 2))?);
        }
        let last = rows.iter().map(|r| r.0).max().ok_or("no particles")?;
        let particles: Vec<(f64, Vec<f64>)> = rows.into_iter().filter(|r| r.0 == last).map(|r| (r.1, r.2)).collect();
        let total: f64 = particles.iter().map(|p| p.0).sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err("the last generation's weights do not sum to a positive number".into());
        }
        let particles = particles.into_iter().map(|(w, t)| (w / total, t)).collect();
        Ok(Posterior { file, hash: fnv1a64_hex(&bytes), parameters, particles })
    }

    /// The first particle whose θ `scenario` does not accept, and why.
    pub fn refused_by(&self, scenario: &Scenario) -> Option<String> {
        self.particles.iter().find_map(|(_, theta)| {
            let mut params = scenario.params.clone();
            self.parameters.iter().zip(theta).find_map(|(k, &x)| {
                params.set(k, Value::Float(x)).err().map(|e| {
                    let expected = match e {
                        ValueError::Expected(what) => what,
                        ValueError::UnknownKey => "a known key",
                    };
                    format!("scenario `{}`: `{k}` accepts {expected}, not {x}", scenario.name)
                })
            })
        })
    }
}

/// `posterior = "path"` at `v`: the file read relative to the config's directory.
pub(super) fn at(
    doc: &super::located::Doc,
    v: &toml::Spanned<toml::de::DeValue>,
    key: &str,
) -> Result<Posterior, super::ConfigError> {
    let name = doc.string(v, key)?;
    let base = Path::new(doc.file).parent().unwrap_or(Path::new(""));
    Posterior::read(&base.join(&name)).map_err(|why| doc.err(&v.span(), key, format!("{name}: {why}")))
}

/// Every scenario accepts every particle, and there is no sweep to set the same keys.
pub(super) fn check(config: &super::Config, locations: &super::located::Locations) -> Result<(), super::ConfigError> {
    let Some(p) = &config.posterior else { return Ok(()) };
    let refuse = |message: String| {
        let mut e = locations
            .get("posterior")
            .cloned()
            .unwrap_or_else(|| super::ConfigError::at(&config.source, "", &(0..0), "posterior", ""));
        e.message = message;
        Err(e)
    };
    if config.sweep.is_some() {
        return refuse("a config with a [sweep] cannot also draw from a posterior".into());
    }
    match config.scenarios.iter().find_map(|s| p.refused_by(s)) {
        Some(why) => refuse(format!("a particle of the posterior is refused: {why}")),
        None => Ok(()),
    }
}
