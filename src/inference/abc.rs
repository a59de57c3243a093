//! ABC-SMC: approximate Bayesian computation by a sequence of populations under shrinking
//! tolerances, as an ask/tell sampler: [`Sampler::propose`] hands out parameter points with
//! stable ids, the caller runs the model at each (anywhere, in any order) and reports distances
//! to [`Sampler::accept`].
//!
//! Rule, in the unit cube u = T⁻¹(θ) where every prior is uniform (`prior.rs`):
//! ```text
//! generation 0:   u ~ U[0,1]^d, every finite distance accepted, w_i = 1/N
//! generation t≥1: ε_t = max(q_α({ρ_i^(t−1)}), ε_min)
//!                 candidate k: j ~ w^(t−1), u* = u_j + L z, z ~ N(0, I), L Lᵀ = Σ_K
//!                              (redraw j and z while u* ∉ [0,1]^d: never evaluated)
//!                 accepted when ρ(u*) ≤ ε_t; the first N accepted in candidate order form
//!                 the population
//!                 w_i ∝ π(u_i) / Σ_j w_j^(t−1) K(u_i | u_j),   π = 1 on the cube
//! Σ_K = 2 · Σ_j w_j (u_j − ū)(u_j − ū)ᵀ + δ I       (Beaumont 2009: twice the weighted covariance)
//! ESS = (Σ w_i)² / Σ w_i²
//! stop: t + 1 = G_max, or ε_t = ε_min, or (ε_t − ε_{t+1}) / ε_t < c_min, or N / candidates_t < a_min,
//!       or the budget is spent
//! ```
//! The kernel is the full multivariate normal, not a product of independent normals: fitted
//! parameters trade off against each other (two doses that compensate, a rate and its
//! saturation), their posterior lies along ridges, and only a kernel with the population's
//! correlations proposes along them (Filippi et al. 2013 compare both; the full kernel accepts
//! more). Redrawing the ancestor together with z when a proposal leaves the cube (Toni 2009)
//! makes the proposal density Σ_j w_j K(u|u_j) restricted to the cube, up to one constant that
//! the normalised weights do not see, so the weights above are exact.
//!
//! Determinism: candidate k of generation t draws from its own keyed stream (seed, t, k), and the
//! population is the first N acceptances in candidate order, so the particles depend on the seed
//! and the reported distances only: not on the batch size, on the order results come back in or
//! on how many threads, shards or nodes ran them. The whole state is serde data: a fit killed at
//! any point resumes from its last saved state by re-running [`Sampler::pending`].
//!
//! | symbol | meaning | setting |
//! |---|---|---|
//! | N | particles per population | `particles` |
//! | α | quantile of the previous distances that sets the next tolerance | `quantile` |
//! | ε_t, ε_min | tolerance of generation t, the tolerance to stop at | `min_tolerance` |
//! | ρ | distance of a model run to the data (`distance.rs`) | — |
//! | G_max | generations at most | `max_generations` |
//! | c_min | smallest relative fall of ε worth another generation | `min_tolerance_change` |
//! | budget | model evaluations at most | `max_evaluations` |
//! | a_min | acceptance rate N / candidates below which no further population is drawn | `min_acceptance` |
//! | δ | variance floor of the kernel | `VARIANCE_FLOOR` (`kernel.rs`) |
//!
//! Sources: Toni et al. 2009 J R Soc Interface 6:187 (ABC-SMC); Beaumont et al. 2009 Biometrika
//! 96:983 (importance weights, kernel 2Σ); Del Moral, Doucet & Jasra 2012 Stat Comput 22:1009
//! (tolerance as a quantile of the previous distances); Filippi et al. 2013 Stat Appl Genet Mol
//! Biol 12:87 (multivariate kernels).

use super::InferenceError;
use super::kernel::Kernel;
use super::population::{Outcome, Particle, Population, Proposal, ProposalId};
use super::prior::{Prior, Priors};
use crate::model::streams::{Process, Streams};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Draws for one candidate before the kernel is declared unable to propose inside the prior.
const MAX_DRAWS: u32 = 100_000;

/// How a fit runs and when it stops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// N: particles per population.
    pub particles: usize,
    /// Candidates handed out by one [`Sampler::propose`].
    pub batch: usize,
    /// α in (0, 1): the next tolerance is this quantile of the last population's distances.
    pub quantile: f64,
    /// G_max ≥ 1: populations at most.
    pub max_generations: u32,
    /// ε_min ≥ 0: the tolerance to stop at.
    pub min_tolerance: f64,
    /// c_min in [0, 1): stop when the tolerance falls by less than this fraction.
    pub min_tolerance_change: f64,
    /// Model evaluations (candidates handed out) at most.
    pub max_evaluations: u64,
    /// a_min in [0, 1): stop when a population's acceptance rate N / candidates falls below this
    /// (0: never).
    #[serde(default)]
    pub min_acceptance: f64,
    /// Master seed of every proposal's stream.
    pub seed: u64,
}

impl Settings {
    fn check(&self) -> Result<(), InferenceError> {
        let problems = [
            (self.particles < 2, "particles must be at least 2"),
            (self.batch == 0, "batch must be at least 1"),
            (!(self.quantile > 0.0 && self.quantile < 1.0), "quantile must lie in (0, 1)"),
            (self.max_generations == 0, "max_generations must be at least 1"),
            (!(self.min_tolerance >= 0.0 && self.min_tolerance.is_finite()), "min_tolerance must be finite and >= 0"),
            (!(0.0..1.0).contains(&self.min_tolerance_change), "min_tolerance_change must lie in [0, 1)"),
            (!(0.0..1.0).contains(&self.min_acceptance), "min_acceptance must lie in [0, 1)"),
        ];
        match problems.iter().find(|(bad, _)| *bad) {
            Some((_, message)) => Err(InferenceError::Settings((*message).into())),
            None => Ok(()),
        }
    }
}

/// Why a fit stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stop {
    /// G_max populations are done.
    MaxGenerations,
    /// The last population met ε_min.
    MinTolerance,
    /// The tolerance fell by less than c_min.
    ToleranceStalled,
    /// The evaluation budget is spent (the last finished population stands).
    Budget,
    /// The last population's acceptance rate fell below a_min.
    AcceptanceFloor,
}

/// The generation being filled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Current {
    generation: u32,
    tolerance: Option<f64>,
    /// Candidates handed out.
    issued: u64,
    /// Every candidate below this index has been told and judged.
    scanned: u64,
    /// Handed out and not yet judged: index → u.
    pending: BTreeMap<u64, Vec<f64>>,
    /// Told and not yet judged: index → the distance when within tolerance.
    told: BTreeMap<u64, Option<f64>>,
    accepted: Vec<(u64, Vec<f64>, f64)>,
}

impl Current {
    fn new(generation: u32, tolerance: Option<f64>) -> Current {
        Current {
            generation,
            tolerance,
            issued: 0,
            scanned: 0,
            pending: BTreeMap::new(),
            told: BTreeMap::new(),
            accepted: Vec::new(),
        }
    }
}

/// The ABC-SMC sampler: all of its state is serde data (save it as JSON between calls to resume
/// a killed fit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sampler {
    settings: Settings,
    priors: Priors,
    /// Finished populations, in order.
    populations: Vec<Population>,
    kernel: Option<Kernel>,
    current: Current,
    /// Candidates handed out, all generations.
    evaluations: u64,
    /// Kernel draws refused outside the prior, all generations.
    outside: u64,
    stop: Option<Stop>,
}

impl Sampler {
    /// A fresh fit.
    pub fn new(priors: Priors, settings: Settings) -> Result<Sampler, InferenceError> {
        settings.check()?;
        Ok(Sampler {
            settings,
            priors,
            populations: Vec::new(),
            kernel: None,
            current: Current::new(0, None),
            evaluations: 0,
            outside: 0,
            stop: None,
        })
    }

    /// The next batch of candidates (fewer when the budget runs out; none once stopped).
    pub fn propose(&mut self) -> Result<Vec<Proposal>, InferenceError> {
        let room = self.settings.max_evaluations.saturating_sub(self.evaluations);
        let count = if self.stop.is_some() { 0 } else { room.min(self.settings.batch as u64) };
        let mut batch = Vec::new();
        for _ in 0..count {
            let index = self.current.issued;
            let unit = self.draw(index)?;
            let id = ProposalId { generation: self.current.generation, index };
            batch.push(Proposal { id, theta: self.priors.from_unit(&unit) });
            self.current.pending.insert(index, unit);
            self.current.issued += 1;
            self.evaluations += 1;
        }
        self.check_budget();
        Ok(batch)
    }

    /// Candidates handed out and not yet told, in index order: after a resume, run these again.
    pub fn pending(&self) -> Vec<Proposal> {
        let generation = self.current.generation;
        let waiting = self.current.pending.iter().filter(|(k, _)| !self.current.told.contains_key(k));
        waiting
            .map(|(&index, u)| Proposal { id: ProposalId { generation, index }, theta: self.priors.from_unit(u) })
            .collect()
    }

    /// Take results, in any order and in any grouping. Results of a finished generation, or told
    /// twice, are ignored; a result for a proposal never handed out, or a negative distance,
    /// refuses the whole call and changes nothing.
    pub fn accept(&mut self, outcomes: &[Outcome]) -> Result<(), InferenceError> {
        for o in outcomes {
            let future = o.id.generation > self.current.generation
                || (o.id.generation == self.current.generation && o.id.index >= self.current.issued);
            if future {
                return Err(InferenceError::UnknownProposal(o.id));
            }
            if o.distance < 0.0 {
                return Err(InferenceError::Distance { id: o.id, value: o.distance });
            }
        }
        for o in outcomes {
            let current = o.id.generation == self.current.generation;
            if !current || o.id.index < self.current.scanned || self.current.told.contains_key(&o.id.index) {
                continue;
            }
            let within = o.distance.is_finite() && self.current.tolerance.is_none_or(|eps| o.distance <= eps);
            self.current.told.insert(o.id.index, within.then_some(o.distance));
            self.scan()?;
        }
        self.check_budget();
        Ok(())
    }

    /// The whole state as JSON: save it after every [`Self::accept`], and a killed fit resumes
    /// from it ([`Self::from_json`], then [`Self::pending`]).
    pub fn to_json(&self) -> Result<String, InferenceError> {
        serde_json::to_string(self).map_err(|e| InferenceError::State(e.to_string()))
    }

    /// A sampler saved by [`Self::to_json`]. A state that does not parse, or whose parts do not
    /// fit together (damaged, edited, or from another fit), is refused and never run.
    pub fn from_json(text: &str) -> Result<Sampler, InferenceError> {
        let sampler: Sampler = serde_json::from_str(text).map_err(|e| InferenceError::State(e.to_string()))?;
        sampler.settings.check()?;
        for p in sampler.priors.list() {
            Prior::new(&p.name, p.scale, p.lo, p.hi)?;
        }
        Priors::new(sampler.priors.list().to_vec())?;
        let d = sampler.priors.dim();
        let point = |u: &[f64]| u.len() == d && u.iter().all(|x| (0.0..=1.0).contains(x));
        let particle = |p: &Particle| point(&p.unit) && p.theta.len() == d && p.weight.is_finite() && p.weight >= 0.0;
        let current = &sampler.current;
        let consistent = sampler
            .populations
            .iter()
            .all(|g| g.particles.len() == sampler.settings.particles && g.particles.iter().all(particle))
            && current.generation as usize == sampler.populations.len()
            && match (&sampler.kernel, sampler.populations.last()) {
                (Some(kernel), Some(last)) => kernel.fits(d, last.particles.len()),
                (None, None) => true,
                _ => false,
            }
            && current.pending.values().all(|u| point(u))
            && current.accepted.iter().all(|(_, u, _)| point(u))
            && current.accepted.len() < sampler.settings.particles;
        if !consistent {
            return Err(InferenceError::State("the saved sampler's parts do not fit together".into()));
        }
        Ok(sampler)
    }

    /// Why the fit stopped, once it has.
    pub fn stopped(&self) -> Option<Stop> {
        self.stop
    }

    /// The finished populations; the last is the current posterior sample.
    pub fn populations(&self) -> &[Population] {
        &self.populations
    }

    /// The priors, in θ's order.
    pub fn priors(&self) -> &Priors {
        &self.priors
    }

    /// Candidates handed out so far (each one model evaluation).
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// Kernel draws refused outside the prior without evaluation.
    pub fn outside_prior(&self) -> u64 {
        self.outside
    }

    /// Judge told candidates in index order; finish the generation at the N-th acceptance.
    fn scan(&mut self) -> Result<(), InferenceError> {
        while let Some(verdict) = self.current.told.remove(&self.current.scanned) {
            let index = self.current.scanned;
            let unit = self.current.pending.remove(&index).unwrap_or_default();
            self.current.scanned += 1;
            if let Some(d) = verdict {
                self.current.accepted.push((index, unit, d));
                if self.current.accepted.len() == self.settings.particles {
                    return self.finish();
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), InferenceError> {
        let Current { generation, tolerance, scanned, ref accepted, .. } = self.current;
        let weights = match (&self.kernel, self.populations.last()) {
            (Some(kernel), Some(previous)) => {
                kernel.weights(&previous.particles, accepted.iter().map(|a| a.1.as_slice()))
            }
            _ => vec![1.0 / accepted.len() as f64; accepted.len()],
        };
        let particles = accepted
            .iter()
            .zip(weights)
            .map(|((index, unit, distance), weight)| Particle {
                id: ProposalId { generation, index: *index },
                theta: self.priors.from_unit(unit),
                unit: unit.clone(),
                weight,
                distance: *distance,
            })
            .collect();
        let population = Population { generation, tolerance, candidates: scanned, particles };
        let distances: Vec<f64> = population.particles.iter().map(|p| p.distance).collect();
        let next = super::quantile(&distances, self.settings.quantile).max(self.settings.min_tolerance);
        let kernel = Kernel::new(&population.particles).ok_or_else(|| {
            InferenceError::Kernel(format!("generation {generation}: covariance not positive definite"))
        })?;
        self.kernel = Some(kernel);
        self.populations.push(population);
        let stalled = tolerance.is_some_and(|eps| (eps - next) < self.settings.min_tolerance_change * eps);
        self.stop = if generation + 1 >= self.settings.max_generations {
            Some(Stop::MaxGenerations)
        } else if tolerance.is_some_and(|eps| eps <= self.settings.min_tolerance) {
            Some(Stop::MinTolerance)
        } else if stalled {
            Some(Stop::ToleranceStalled)
        } else if (self.settings.particles as f64) < self.settings.min_acceptance * scanned as f64 {
            Some(Stop::AcceptanceFloor)
        } else {
            None
        };
        self.current = Current::new(generation + 1, Some(next));
        Ok(())
    }

    fn check_budget(&mut self) {
        if self.stop.is_none() && self.evaluations >= self.settings.max_evaluations && self.current.pending.is_empty() {
            self.stop = Some(Stop::Budget);
        }
    }

    /// Candidate `index` of the current generation, in the unit cube.
    fn draw(&mut self, index: u64) -> Result<Vec<f64>, InferenceError> {
        let d = self.priors.dim();
        let mut rng = Streams::new(self.settings.seed, self.current.generation).stream(Process::Abc, index, 0);
        let (Some(kernel), Some(previous)) = (&self.kernel, self.populations.last()) else {
            return Ok((0..d).map(|_| rng.random::<f64>()).collect());
        };
        for _ in 0..MAX_DRAWS {
            let candidate = kernel.perturb(&previous.particles, &mut rng);
            if candidate.iter().all(|x| (0.0..=1.0).contains(x)) {
                return Ok(candidate);
            }
            self.outside += 1;
        }
        Err(InferenceError::Kernel(format!("no draw of {MAX_DRAWS} fell inside the prior")))
    }
}

#[cfg(test)]
#[path = "abc_tests.rs"]
mod tests;
