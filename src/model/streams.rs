//! Named random streams (docs/model.md §3). Every draw in the model comes from a stream keyed by
//! (master seed, replicate, process, subject, step): the same key gives the same numbers on any
//! thread, in any iteration order and in any shard. The scenario is deliberately not part of the
//! key, so replicate r of every scenario shares its streams (common random numbers) and scenario
//! differences are paired.

use bevy_ecs::prelude::Resource;
use rand::Rng;
use rand_pcg::Pcg64Mcg;

/// The generator behind every stream: PCG-64 MCG, small, fast and portable.
pub type Stream = Pcg64Mcg;

/// The processes that draw random numbers; each has its own streams.
///
/// A process's number is part of every stream key, so it is its identity: **never renumber or
/// reuse a number** (that would silently change every result). A new process takes the next
/// unused number; a retired one keeps its number, unused. `stream_outputs_are_pinned` below fails
/// if a number moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Process {
    Activation = 1,
    Recruitment = 2,
    Differentiation = 3,
    Apoptosis = 4,
    OsteoblastTurnover = 5,
    Damage = 6,
    Fusion = 7,
    Parkin = 8,
    Receptor = 9,
    Biogenesis = 10,
    /// Drawing a new precursor's mitochondria from the steady-state reservoir.
    Inheritance = 11,
    /// The burn-in that finds the untreated mitochondrial steady state.
    SteadyState = 12,
    /// Recruitment of a BMU's osteoblast team by the matrix its osteoclasts erode.
    TeamRecruitment = 13,
    /// The working life of a BMU's osteoblast team.
    WorkingLife = 14,
    /// One cell's mitochondria as the exact continuous-time process, one stream per cell step.
    Mitochondria = 15,
    /// Proposals of an ABC-SMC fit (`inference/abc.rs`): replicate = generation, subject =
    /// candidate index. Not a model process: it never draws inside a run.
    Abc = 16,
    /// A sensitivity analysis's design and bootstrap (`sensitivity/`): subject = what is drawn.
    /// Not a model process: it never draws inside a run.
    Sensitivity = 17,
    /// The posterior draw of a run with `posterior = "path"` (`config/posterior.rs`): replicate =
    /// the draw's index (a pair of replicates), subject 0.
    Posterior = 18,
    /// The patient of a replicate in a virtual trial (`config/population.rs`): subject 0.
    Population = 19,
    /// Whether each dose of a regimen is taken (`adherence`): subject = the regimen's key (agent,
    /// first day, dose, interval, count), step 0.
    Adherence = 20,
    /// Modelling-based formation starting at a quiescent site (`processes/modelling.rs`).
    Modelling = 21,
}

/// SplitMix64's finaliser: a bijective 64-bit mixer.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream factory of one run.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Streams {
    key: u64,
}

impl Streams {
    /// Streams of replicate `replicate` under master seed `seed`.
    pub fn new(seed: u64, replicate: u32) -> Streams {
        Streams { key: mix(mix(seed) ^ u64::from(replicate)) }
    }

    /// The run's own seed, as recorded in `runs.csv`.
    pub fn seed(&self) -> u64 {
        self.key
    }

    /// The stream of `process` for `subject` (a cell id or site index) at `step`.
    pub fn stream(&self, process: Process, subject: u64, step: u64) -> Stream {
        self.of(process, subject).at(step)
    }

    /// The streams of `process` for `subject`, one per step: the same numbers as [`Self::stream`],
    /// with the per-subject part of the key derived once.
    pub fn of(&self, process: Process, subject: u64) -> SubjectStreams {
        let a = mix(self.key ^ (process as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        SubjectStreams { key: mix(a ^ subject) }
    }
}

/// The streams of one process for one subject (see [`Streams::of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubjectStreams {
    key: u64,
}

impl SubjectStreams {
    /// The stream at `step`.
    pub fn at(&self, step: u64) -> Stream {
        let c = mix(self.key ^ step.wrapping_mul(0x9FB2_1C65_1E98_DF25));
        Pcg64Mcg::new((u128::from(c) << 64) | u128::from(mix(c)) | 1)
    }
}

/// Probability of at least one event of a Poisson process with `rate` over `dt`.
pub fn hazard_to_probability(rate: f64, dt: f64) -> f64 {
    -(-rate * dt).exp_m1()
}

/// A probability as a threshold on a uniform `u64`: `rng.next_u64() < threshold(p)` is true with
/// probability p (to within 2⁻⁶⁴). One integer comparison per draw in the hot loops.
pub fn threshold(p: f64) -> u64 {
    if p >= 1.0 {
        u64::MAX
    } else if p > 0.0 {
        (p * 18_446_744_073_709_551_616.0) as u64
    } else {
        0
    }
}

/// True with probability given by `threshold`.
#[inline]
pub fn chance(rng: &mut Stream, threshold: u64) -> bool {
    rng.next_u64() < threshold
}

/// The successes among `n` Bernoulli(p) trials, as increasing indices, drawn by geometric gaps:
/// one draw per success instead of one per trial. Exactly the per-trial distribution (gaps by
/// inversion of a 53-bit uniform).
pub struct Hits<'a> {
    rng: &'a mut Stream,
    ln_q: f64,
    next: usize,
    n: usize,
}

impl<'a> Hits<'a> {
    pub fn new(rng: &'a mut Stream, n: usize, p: f64) -> Hits<'a> {
        Hits::with_log(rng, n, Hits::log_miss(p))
    }

    /// ln(1 − p), the constant of the gaps (−∞ for p = 1, 0 for p = 0): compute it once where
    /// the same p serves many calls.
    pub fn log_miss(p: f64) -> f64 {
        if p > 0.0 { (-p.min(1.0)).ln_1p() } else { 0.0 }
    }

    /// As [`Self::new`], with `ln_q` = [`Self::log_miss`]`(p)`.
    pub fn with_log(rng: &'a mut Stream, n: usize, ln_q: f64) -> Hits<'a> {
        let mut hits = Hits { rng, ln_q, next: 0, n: if ln_q < 0.0 { n } else { 0 } };
        if hits.n > 0 {
            hits.next = hits.gap();
        }
        hits
    }

    fn gap(&mut self) -> usize {
        if self.ln_q == f64::NEG_INFINITY {
            return 0;
        }
        let u = ((self.rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64);
        // The ratio is ≥ 0, so truncation is the floor (and avoids a libm call).
        let g = u.ln() / self.ln_q;
        if g < self.n as f64 { g as usize } else { self.n }
    }
}

impl Iterator for Hits<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.next >= self.n {
            return None;
        }
        let hit = self.next;
        self.next = hit.saturating_add(1).saturating_add(self.gap());
        Some(hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: [u64; 5] =
        [5453838682266148244, 1920056858126989799, 6517145651229615657, 16435615938779192623, 6791897765849424158];

    #[test]
    fn streams_are_keyed_and_reproducible() {
        let s = Streams::new(7, 0);
        let a: Vec<u64> = (0..4).map(|_| s.stream(Process::Damage, 3, 10).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]), "same key, same numbers");
        let draw = |st: Streams, p, id, step| st.stream(p, id, step).next_u64();
        let base = draw(s, Process::Damage, 3, 10);
        assert_ne!(base, draw(s, Process::Fusion, 3, 10));
        assert_ne!(base, draw(s, Process::Damage, 4, 10));
        assert_ne!(base, draw(s, Process::Damage, 3, 11));
        assert_ne!(base, draw(Streams::new(7, 1), Process::Damage, 3, 10));
        assert_ne!(base, draw(Streams::new(8, 0), Process::Damage, 3, 10));
    }

    /// Exact first draws for fixed keys: a change to the key derivation, to the generator or to a
    /// process's number changes every result, and must show here first.
    #[test]
    fn stream_outputs_are_pinned() {
        let first = |seed, replicate, process, subject, step| {
            Streams::new(seed, replicate).stream(process, subject, step).next_u64()
        };
        assert_eq!(first(1, 0, Process::Activation, 0, 0), PINNED[0]);
        assert_eq!(first(7, 2, Process::Damage, 3, 10), PINNED[1]);
        assert_eq!(first(42, 1, Process::Fusion, 1_000_000, 87_600), PINNED[2]);
        assert_eq!(first(u64::MAX, 19, Process::SteadyState, 199, 1), PINNED[3]);
        assert_eq!(Streams::new(1, 0).seed(), PINNED[4]);
    }

    #[test]
    fn hits_match_bernoulli_trials() {
        let mut rng = Streams::new(3, 0).stream(Process::Damage, 0, 0);
        for p in [0.01, 0.3, 0.9] {
            let n = 200_000;
            let hits: Vec<usize> = Hits::new(&mut rng, n, p).collect();
            assert!(hits.windows(2).all(|w| w[0] < w[1]) && hits.iter().all(|&i| i < n));
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            assert!((hits.len() as f64 - n as f64 * p).abs() < 5.0 * sd, "p {p}: {}", hits.len());
            let first_half = hits.iter().filter(|&&i| i < n / 2).count() as f64;
            assert!((first_half / hits.len() as f64 - 0.5).abs() < 0.02);
        }
        assert_eq!(Hits::new(&mut rng, 10, 1.0).count(), 10);
        assert_eq!(Hits::new(&mut rng, 10, 0.0).count(), 0);
        assert_eq!(Hits::new(&mut rng, 0, 0.5).count(), 0);
    }

    #[test]
    fn thresholds_give_the_right_frequency() {
        let mut rng = Streams::new(1, 0).stream(Process::Damage, 0, 0);
        let t = threshold(0.3);
        let hits = (0..100_000).filter(|_| chance(&mut rng, t)).count();
        assert!((hits as f64 / 1e5 - 0.3).abs() < 0.005, "{hits}");
        assert_eq!(threshold(0.0), 0);
        assert_eq!(threshold(1.0), u64::MAX);
        assert!((hazard_to_probability(0.2, 0.1) - (1.0 - (-0.02f64).exp())).abs() < 1e-15);
    }
}
