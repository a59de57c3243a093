//! The model's state: components (per-entity data) and resources (world-wide data). Data only;
//! the rules that change it live in `processes/`.

pub mod cells;
pub mod counts;
pub mod draws;
pub mod streams;
pub mod tissue;

pub use cells::{CellId, Mitochondria, MitoReadout, Osteoclast, Precursor};
pub use streams::{Process, Stream, Streams, SubjectStreams};
pub use tissue::{AtSite, Bmu, Bone, Clock, Counters, Environment, MitophagyCount, Site, SiteCensus, SteadyState};
