//! The model's state: components (per-entity data) and resources (world-wide data). Data only;
//! the rules that change it live in `processes/`.

pub mod cells;
pub mod counts;
pub mod draws;
pub mod knobs;
pub mod streams;
pub mod tissue;

pub use cells::{CellId, Circulating, MitoReadout, Mitochondria, Osteoclast, Precursor, PrecursorPool};
pub use knobs::Knobs;
pub use streams::{Process, Stream, Streams, SubjectStreams};
pub use tissue::{
    AtSite, Bmu, BmuRecord, Bone, Clock, CompletedBmus, Cortical, Counters, FIRST_CORTICAL_CELL_ID, MitophagyCount,
    Modelling, Site, SiteCensus, Stage, SteadyState,
};
