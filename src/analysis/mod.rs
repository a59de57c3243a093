//! Statistics on finished results (DESIGN.md §4): nothing here runs the model or writes a file.
//!
//! - [`series`]: runs grouped by scenario; per-day and per-year means with 95 % bands; the sweep
//!   response;
//! - [`effects`]: each scenario's difference from the reference scenario (paired under common
//!   random numbers, Welch otherwise);
//! - [`targets`]: calibration targets beside the model's effects.

pub mod effects;
pub mod series;
pub mod targets;

pub use effects::{Difference, Effect, effects, paired, welch};
pub use series::{Band, Groups};
pub use targets::{TargetResult, evaluate};
