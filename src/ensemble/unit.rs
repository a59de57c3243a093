//! The units of an ensemble and their shards: unit `index = scenario · replicates + replicate`
//! in canonical order (docs/model.md §6), and shard `i/n` the units with `index % n == i`.

use crate::config::Config;
use std::fmt;
use std::str::FromStr;

/// One unit of work: scenario `scenario` of `config.scenarios` (a base scenario at one sweep
/// point) at replicate `replicate`. Its index and id are stable for a given config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Position in canonical order: `scenario · replicates + replicate`.
    pub index: u64,
    pub scenario: usize,
    pub replicate: u32,
}

impl Unit {
    /// Unit `index` of `config` (which must be below [`unit_count`]).
    pub fn of(config: &Config, index: u64) -> Unit {
        let replicates = u64::from(config.replicates);
        Unit { index, scenario: (index / replicates) as usize, replicate: (index % replicates) as u32 }
    }

    /// The unit's id, as its file is named: the index, zero-padded to six digits.
    pub fn id(&self) -> String {
        format!("{:06}", self.index)
    }
}

/// How many units `config` has: scenarios (every sweep point) × replicates.
pub fn unit_count(config: &Config) -> u64 {
    config.scenarios.len() as u64 * u64::from(config.replicates)
}

/// Every unit of `config`, in canonical order.
pub fn units(config: &Config) -> impl Iterator<Item = Unit> + '_ {
    (0..unit_count(config)).map(|i| Unit::of(config, i))
}

/// Shard `index` of `count`: the units whose index is `index` modulo `count`. `0/1` is the whole
/// ensemble.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// The whole ensemble as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// `index/count`, checked: `count` at least 1, `index` below it.
    pub fn new(index: u32, count: u32) -> Result<Shard, String> {
        match (index, count) {
            (_, 0) => Err("the shard count must be at least 1".into()),
            (i, n) if i >= n => Err(format!("shard {i} of {n} does not exist: shards are numbered 0 to {}", n - 1)),
            (index, count) => Ok(Shard { index, count }),
        }
    }

    /// Whether `unit` is this shard's.
    pub fn owns(&self, unit: &Unit) -> bool {
        unit.index % u64::from(self.count) == u64::from(self.index)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `I/N`, as `--shard` takes it.
    fn from_str(s: &str) -> Result<Shard, String> {
        let parse = |x: &str| x.trim().parse::<u32>().ok();
        match s.split_once('/').map(|(i, n)| (parse(i), parse(n))) {
            Some((Some(i), Some(n))) => Shard::new(i, n),
            _ => Err(format!("`{s}` is not a shard: expected I/N, such as 0/4")),
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
