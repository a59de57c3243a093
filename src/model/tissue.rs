//! Sites, BMUs and bone, plus the world-wide resources the processes share.

use super::cells::{MitoReadout, Mitochondria};
use bevy_ecs::prelude::{Component, Resource};
use std::sync::Arc;

/// A remodelling site of the bone region: a fixed patch of bone surface and the bone under it.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    pub index: u32,
}

/// Marks a cortical site (vertebral shell, posterior elements; indices `sites..sites +
/// cortical_sites`) and every cell at one; a site without it is cancellous. The rules treat both
/// alike but for the activation hazard (`processes/activation.rs`); the readouts and the
/// [`Counters`] are the cancellous sites' and cells' (`spine_bmd` adds the cortical bone). The
/// marker also keeps cortical sites and cells in archetypes of their own, so the cancellous ones
/// are stored, iterated and summed in the same order whether cortical sites exist or not.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cortical;

/// The site a cell belongs to.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtSite(pub u32);

/// A site's bone, in % of the site's initial bone matrix.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Bone {
    /// Matrix mass z (mineralised matrix plus osteoid).
    pub matrix: f64,
    /// Newly formed matrix not yet through primary mineralisation.
    pub osteoid: f64,
    /// Mineral mass, in units where fully mineralised matrix has mineral = matrix.
    pub mineral: f64,
    /// Bone resorbed here since day 0.
    pub resorbed: f64,
    /// Bone formed here since day 0.
    pub formed: f64,
}

/// Where a BMU stands in its remodelling cycle. Under the published law a BMU stays in
/// `Resorption` until it closes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stage {
    /// Osteoclasts erode; the osteoblast team is being recruited.
    Resorption,
    /// The eroded surface is prepared for formation, which starts in `left` days.
    Reversal { left: f64 },
    /// The team lays down bone for `left` more days of its `working_days`.
    Formation { left: f64, working_days: f64 },
}

/// An active basic multicellular unit at a site. Present only while the BMU runs.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Bmu {
    pub age_days: f64,
    /// The BMU's osteoblast lineage (agents; osteoblasts are counts, not individuals): the
    /// kernel's Ω·x2, which restrains osteoclast formation. Under the coupled law the resident
    /// cells plus the team.
    pub osteoblasts: u32,
    /// Coupled law: osteoblasts recruited by erosion, which refill the cavity.
    pub team: u32,
    pub stage: Stage,
    /// Bone this BMU has eroded and formed (% of site bone).
    pub eroded: f64,
    pub formed: f64,
    /// Coupled law: matrix eroded this step whose coupling factors have not yet recruited
    /// osteoblasts (% of site bone).
    pub released: f64,
    /// BMU age at which its last osteoclast and precursor were gone.
    pub resorption_ended: Option<f64>,
}

impl Bmu {
    /// A BMU just activated, with `osteoblasts` resident lineage cells.
    pub fn new(osteoblasts: u32) -> Bmu {
        Bmu {
            age_days: 0.0,
            osteoblasts,
            team: 0,
            stage: Stage::Resorption,
            eroded: 0.0,
            formed: 0.0,
            released: 0.0,
            resorption_ended: None,
        }
    }

    /// The cavity still open: eroded and not yet refilled (% of site bone).
    pub fn open_cavity(&self) -> f64 {
        (self.eroded - self.formed).max(0.0)
    }
}

/// Modelling-based formation at a cancellous site (`processes/modelling.rs`): present from the
/// site's first packet on.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Modelling {
    /// Days of formation left to the packet being laid down (0: none).
    pub left_days: f64,
    /// Bone formed here by modelling and not yet given back (% of site bone).
    pub new_bone: f64,
}

/// A completed BMU as a bone biopsy sees it (ASBMR nomenclature, Dempster et al. 2013).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BmuRecord {
    /// Day the BMU completed.
    pub day: f64,
    /// Rs.P: activation to the departure of the last osteoclast.
    pub resorption_days: f64,
    /// Rv.P: end of resorption to the start of formation.
    pub reversal_days: f64,
    /// FP: start of formation to completion.
    pub formation_days: f64,
    /// E.De and W.Th as bone volumes: eroded and formed (% of site bone).
    pub eroded: f64,
    pub formed: f64,
}

/// BMUs completed since the observer last collected them.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct CompletedBmus(pub Vec<BmuRecord>);

/// Simulated time. Days are negative during the spin-up; day 0 is the first recorded day.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Clock {
    pub step: u64,
    pub day: f64,
    /// Mitochondrial sub-steps taken so far (keys the mitochondrial streams).
    pub mito_step: u64,
}

/// Per-site tallies taken at the start of each step, so every rule of the step sees the same
/// populations (the synchronous update the kernel's Euler limit needs).
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct SiteCensus {
    pub osteoclasts: Vec<u32>,
    /// Σ resorption activity of the site's osteoclasts.
    pub activity: Vec<f64>,
    pub precursors: Vec<u32>,
}

/// First id of the cells at cortical sites: they count up from here, apart from the cancellous
/// cells' ids (which start at 0), so adding cortical sites leaves every cancellous cell its id and
/// so its random streams.
pub const FIRST_CORTICAL_CELL_ID: u64 = 1 << 62;

/// Running totals, reset at day 0 (after the spin-up). All but the id counters tally the
/// cancellous sites and their cells only.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Counters {
    /// The next cancellous cell's id.
    pub next_cell_id: u64,
    /// Cells given ids at cortical sites so far: the next one's id is
    /// [`FIRST_CORTICAL_CELL_ID`] plus this.
    pub cortical_cells: u64,
    pub bmus_started: u64,
    pub bmus_completed: u64,
    pub osteoclasts_formed: u64,
    pub osteoclasts_died: u64,
    /// Osteoclast-days of exposure (the denominator of the apoptosis rate).
    pub osteoclast_days: f64,
}

impl Counters {
    /// A new cell's id: the next cancellous one, or the next cortical one.
    pub fn new_cell_id(&mut self, cortical: bool) -> u64 {
        if cortical {
            self.cortical_cells += 1;
            FIRST_CORTICAL_CELL_ID + self.cortical_cells - 1
        } else {
            self.next_cell_id += 1;
            self.next_cell_id - 1
        }
    }
}

/// Mitochondria removed by mitophagy (both pathways), and cell-days of exposure, since the last
/// observation: of the circulating precursors and the cancellous sites' cells.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct MitophagyCount {
    pub removed: u64,
    pub cell_days: f64,
}

/// The untreated mitochondrial steady state of one parameter set (`steady_state.rs`): the
/// reference values the fate multipliers are measured against, and a reservoir of steady-state
/// cells that new precursors draw their mitochondria from.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct SteadyState {
    /// D0, mean depolarised fraction.
    pub depolarised: f64,
    /// A0, mean ATP.
    pub atp: f64,
    pub ros: f64,
    /// φ0, mean mitophagy flux (share of mitochondria removed per day).
    pub mitophagy: f64,
    /// Baseline differentiation probability; recruitment is divided by it.
    pub p_diff: f64,
    pub mitochondria_per_cell: f64,
    pub reservoir: Arc<Vec<Mitochondria>>,
}

impl SteadyState {
    /// A stand-in where no reference exists yet (the burn-in that finds it, and runs without
    /// fates): zeros, and p_diff0 = 1.
    pub fn unknown() -> SteadyState {
        SteadyState {
            depolarised: 0.0,
            atp: 0.0,
            ros: 0.0,
            mitophagy: 0.0,
            p_diff: 1.0,
            mitochondria_per_cell: 0.0,
            reservoir: Arc::new(vec![]),
        }
    }

    /// `x / x0` for a readout against its reference value, kept within [10⁻³, 10³] so a power
    /// of it stays finite (1 when the reference is 0).
    pub fn relative(x: f64, x0: f64) -> f64 {
        if x0 > 0.0 { (x / x0).clamp(1e-3, 1e3) } else { 1.0 }
    }

    /// (φ/φ0)^gain: how a cell's mitophagy flux φ, against the reference's φ0, scales a rate
    /// (differentiation, apoptosis, resorption) under a hypothesis with that gain.
    pub fn mitophagy_factor(&self, cell: &MitoReadout, gain: f64) -> f64 {
        SteadyState::relative(cell.mitophagy, self.mitophagy).powf(gain)
    }
}
