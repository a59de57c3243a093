//! Statistics on finished results (docs/model.md §4): nothing here runs the model or writes a file.
//!
//! - [`stats`]: mean, sd and the Student-t 95 % interval of a set of replicate values;
//! - [`series`]: runs grouped by scenario; per-day and per-year means with 95 % bands; the sweep
//!   response;
//! - [`effects`](mod@effects): each scenario's difference from the reference scenario (paired under common
//!   random numbers, Welch otherwise);
//! - [`contrasts`](mod@contrasts): `[[contrast]]`s, a − b or (a − b) − (c − d), paired the same way;
//! - [`targets`]: calibration targets beside the model's effects.

pub mod contrasts;
pub mod effects;
pub mod series;
pub mod stats;
pub mod targets;
pub mod trial;
pub mod uncertainty;

pub use contrasts::{ContrastEffect, contrasts};
pub use effects::{Difference, Effect, effects, paired, welch};
pub use series::{Band, Groups};
pub use targets::{TargetResult, evaluate};
