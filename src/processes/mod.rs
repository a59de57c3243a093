//! The rules of the model, one file per biological process. Each file opens with its rule as
//! maths, a table of its symbols, parameters, units and sources, and holds a few short systems.
//! `sim.rs` wires them into schedules; nothing here knows the order it runs in.

pub mod activation;
pub mod apoptosis;
pub mod bisphosphonate;
pub mod census;
pub mod coupling;
pub mod cycle;
pub mod formation;
pub mod interventions;
pub mod mineralization;
pub mod mitochondria;
pub mod osteoblasts;
pub mod osteomorphs;
pub mod oxidative_stress;
pub mod recruitment;
pub mod resorption;

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod headers;

/// Safety bound on the expected births (precursors, osteoblasts) of one BMU in one step: far
/// above any sane config (the Komarova pulse at Ω = 400 recruits ~20 precursors a step), it keeps
/// an absurd one from exhausting memory.
pub const MAX_BIRTHS_PER_STEP: f64 = 1e5;
