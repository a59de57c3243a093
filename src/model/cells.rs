//! Cells of the osteoclast lineage and their mitochondria.
//!
//! Representation choices (docs/model.md §5): precursors and osteoclasts are entities; each carries
//! its mitochondria inside a [`Mitochondria`] component, one byte per mitochondrion or counted per health
//! level (never one entity per mitochondrion). Osteoblasts are a count per BMU (see
//! `tissue::Bmu`): nothing in the model distinguishes one osteoblast from another.

use bevy_ecs::prelude::{Component, Entity, Resource};

/// A stable cell id from a per-run counter: the key of the cell's random streams (bevy's
/// `Entity` is reused and depends on spawn order, so it never keys randomness).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellId(pub u64);

/// A mononuclear osteoclast precursor committed to a BMU, waiting to fuse.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Precursor {
    /// Days since recruitment.
    pub age_days: f64,
}

/// A circulating osteoclast precursor (monocyte lineage), not yet committed to a BMU. Its
/// mitochondria follow the same rules, in the environment in force, so recruits that copy them
/// arrive in the state the scenario has put them in (docs/model.md §1.4).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Circulating;

/// The circulating precursors, in cell-id order.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct PrecursorPool(pub Vec<Entity>);

/// A mature, multinucleated, resorbing osteoclast.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Osteoclast {
    /// Resorption activity a = (ATP/ATP0)^e_atp, set each step (1 in the neutral limit).
    pub activity: f64,
}

/// The cell's mitochondria, in one of two exact representations of the same population (a
/// multiset of mitochondria, each a health level h ∈ {0..H} and a PINK1 tag; docs/model.md §1.3). The rules
/// in `processes/mitochondria/` step either; `count_mitochondria_from` chooses per config.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub enum Mitochondria {
    /// One byte per mitochondrion: health in the low 7 bits, PINK1 tag in bit 7. Mitochondria are an unordered
    /// population: no rule depends on a mitochondrion's position.
    Individual(Vec<u8>),
    /// Mitochondria counted per level: bin `h` holds untagged mitochondria at health h, bin `H + 1 + h` tagged
    /// ones (2·(H + 1) bins).
    Counts(Vec<u32>),
}

impl Default for Mitochondria {
    fn default() -> Self {
        Mitochondria::Individual(Vec::new())
    }
}

impl Mitochondria {
    pub const TAG: u8 = 0x80;

    /// `n` untagged mitochondria at health `h`, one byte each.
    pub fn uniform(n: usize, h: u8) -> Mitochondria {
        Mitochondria::Individual(vec![h; n])
    }

    /// `n` untagged mitochondria at health `h`, counted per level with top level `top` (H).
    pub fn counted(n: u32, h: u8, top: u32) -> Mitochondria {
        let mut bins = vec![0; 2 * (top as usize + 1)];
        bins[h as usize] = n;
        Mitochondria::Counts(bins)
    }

    #[inline]
    pub fn health(byte: u8) -> u8 {
        byte & !Self::TAG
    }

    #[inline]
    pub fn tagged(byte: u8) -> bool {
        byte & Self::TAG != 0
    }

    /// Number of mitochondria.
    pub fn len(&self) -> usize {
        match self {
            Mitochondria::Individual(bytes) => bytes.len(),
            Mitochondria::Counts(bins) => bins.iter().map(|&c| c as usize).sum(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many mitochondria sit at each (health, tag): `[untagged by h, tagged by h]`, whatever the
    /// representation (for tests and comparisons).
    pub fn histogram(&self, top: u32) -> Vec<u32> {
        match self {
            Mitochondria::Counts(bins) => bins.clone(),
            Mitochondria::Individual(bytes) => {
                let mut bins = vec![0; 2 * (top as usize + 1)];
                for &u in bytes {
                    bins[Self::health(u) as usize + usize::from(Self::tagged(u)) * (top as usize + 1)] += 1;
                }
                bins
            }
        }
    }
}

/// What the cell's mitochondria add up to, recomputed after every mitochondrial sub-step.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct MitoReadout {
    /// Σ polarised health / (H·N0).
    pub atp: f64,
    /// Share of mitochondria at or below the depolarisation threshold (1 for a cell with none).
    pub depolarised: f64,
    /// Cell ROS (arbitrary units; see `processes/mitochondria/readout.rs`).
    pub ros: f64,
    /// φ, the cell's mitophagy flux: the expected share of its mitochondria removed per day by both
    /// pathways, given their state and the knobs.
    pub mitophagy: f64,
}
