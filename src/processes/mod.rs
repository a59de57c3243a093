//! The rules of the model, one file per biological process. Each file opens with its rule as
//! maths, a table of its symbols, parameters, units and sources, and holds a few short systems.
//! `sim.rs` wires them into schedules; nothing here knows the order it runs in.

pub mod activation;
pub mod apoptosis;
pub mod census;
pub mod completion;
pub mod formation;
pub mod interventions;
pub mod mineralization;
pub mod mitochondria;
pub mod osteoblasts;
pub mod recruitment;
pub mod resorption;

#[cfg(test)]
pub(crate) mod testing;
