//! Cells of the osteoclast lineage and their mitochondria.
//!
//! Representation choices (DESIGN.md §5): precursors and osteoclasts are entities; each carries
//! its mitochondria as one byte each inside a [`Mitochondria`] component (never one entity per
//! mitochondrion). Osteoblasts are a count per BMU (see `tissue::Bmu`): nothing in the model
//! distinguishes one osteoblast from another.

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
/// arrive in the state the scenario has put them in (DESIGN.md §1.4).
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

/// The cell's mitochondria: one byte per unit, health in the low 7 bits, PINK1 tag in bit 7.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Mitochondria {
    pub units: Vec<u8>,
}

impl Mitochondria {
    pub const TAG: u8 = 0x80;

    /// `n` healthy untagged units at health `h`.
    pub fn uniform(n: usize, h: u8) -> Mitochondria {
        Mitochondria { units: vec![h; n] }
    }

    #[inline]
    pub fn health(unit: u8) -> u8 {
        unit & !Self::TAG
    }

    #[inline]
    pub fn tagged(unit: u8) -> bool {
        unit & Self::TAG != 0
    }
}

/// What the cell's mitochondria add up to, recomputed after every mitochondrial sub-step.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct MitoReadout {
    /// Σ polarised health / (H·N0).
    pub atp: f64,
    /// Share of units at or below the depolarisation threshold (1 for a cell with none).
    pub depolarised: f64,
    /// Cell ROS (arbitrary units; see `processes/mitochondria/readout.rs`).
    pub ros: f64,
}

