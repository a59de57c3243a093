//! The virtual biopsy: the histomorphometric indices of each recorded year, as a bone biopsy
//! would report them (ASBMR nomenclature, Dempster et al. 2013 JBMR 28:2), tracked every step
//! outside the rules.
//!
//! For recorded year y (days [365·(y − 1), 365·y), a shorter last year pro rata):
//!
//! | column | ASBMR | definition |
//! |---|---|---|
//! | `activation_per_site_per_year` | Ac.f | BMUs started / sites / years |
//! | `resorption_days` | Rs.P | mean over BMUs completed in the year: activation to the last osteoclast's departure |
//! | `reversal_days` | Rv.P | mean: end of resorption to the start of formation |
//! | `formation_days` | FP | mean: start of formation to completion |
//! | `eroded_pct` | E.De (as volume) | mean bone eroded per BMU, % of its site's initial bone |
//! | `formed_pct` | W.Th (as volume) | mean bone formed per BMU, % of its site's initial bone |
//! | `balance_pct` | W.Th − E.De | `formed_pct − eroded_pct` |
//! | `remodelling_space_pct` | — | time-mean of Σ open cavities / Σ bone, % |
//! | `turnover_pct_per_year` | BFR/BV | bone formed / time-mean bone / years, % per year |
//!
//! Columns averaged over completed BMUs are empty for a year in which none completed. The biopsy is
//! an iliac cancellous one: every sum is over the cancellous sites and their BMUs (cortical sites
//! carry `Cortical`; their BMUs leave no record and are not counted as started), in a fixed order
//! (`Sites::for_each_cancellous`).

use super::Sites;
use crate::config::DAYS_PER_YEAR;
use crate::model::{Bmu, Clock, CompletedBmus, Counters};
use crate::processes::interventions::ScenarioRules;
use crate::record::{BiopsyRow, meant};
use bevy_ecs::prelude::World;

/// Running sums of one recorded year.
#[derive(Clone, Copy, Debug, Default)]
struct Year {
    days: f64,
    activations: u64,
    completed: u64,
    resorption: f64,
    reversal: f64,
    formation: f64,
    eroded: f64,
    formed: f64,
    space_days: f64,
    bone_days: f64,
    bone_formed: f64,
}

/// Tracks the biopsy year by year.
#[derive(Clone, Debug, Default)]
pub struct Biopsy {
    years: Vec<Year>,
    /// Tissue totals at the previous step: BMUs started, bone formed.
    last_started: u64,
    last_formed: f64,
}

impl Biopsy {
    /// Start tracking at day 0: remember the tissue's totals now.
    pub fn starting_at(world: &mut World, sites: &Sites) -> Biopsy {
        let mut formed = 0.0;
        sites.for_each_cancellous(world, |b, _| formed += b.formed);
        Biopsy { years: Vec::new(), last_started: world.resource::<Counters>().bmus_started, last_formed: formed }
    }

    /// Add the step that just ended, and the BMUs it completed.
    pub fn track(&mut self, world: &mut World, sites: &Sites) {
        let dt = world.resource::<ScenarioRules>().params.dt_days;
        let day = world.resource::<Clock>().day;
        let year_of = |d: f64| ((d / DAYS_PER_YEAR).floor().max(0.0)) as usize;
        let this = year_of(day - 0.5 * dt);
        if self.years.len() <= this {
            self.years.resize(this + 1, Year::default());
        }
        for r in std::mem::take(&mut world.resource_mut::<CompletedBmus>().0) {
            let y = &mut self.years[year_of(r.day - 0.5 * dt).min(this)];
            y.completed += 1;
            y.resorption += r.resorption_days;
            y.reversal += r.reversal_days;
            y.formation += r.formation_days;
            y.eroded += r.eroded;
            y.formed += r.formed;
        }
        let (mut bone, mut space, mut formed) = (0.0, 0.0, 0.0);
        sites.for_each_cancellous(world, |b, bmu| {
            bone += b.matrix;
            formed += b.formed;
            space += bmu.map_or(0.0, Bmu::open_cavity);
        });
        let started = world.resource::<Counters>().bmus_started;
        let y = &mut self.years[this];
        y.days += dt;
        y.activations += started - self.last_started;
        y.bone_formed += formed - self.last_formed;
        y.space_days += space * dt;
        y.bone_days += bone * dt;
        (self.last_started, self.last_formed) = (started, formed);
    }

    /// One row per recorded year, for `sites` sites; each index to 12 significant digits
    /// ([`meant`]: the sums behind them carry float noise beyond that).
    pub fn rows(&self, sites: u32) -> Vec<BiopsyRow> {
        let per_bmu = |sum: f64, y: &Year| if y.completed > 0 { sum / y.completed as f64 } else { f64::NAN };
        self.years
            .iter()
            .enumerate()
            .map(|(i, y)| {
                let years = y.days / DAYS_PER_YEAR;
                let mean_bone = y.bone_days / y.days;
                BiopsyRow {
                    year: i as u32 + 1,
                    activation_per_site_per_year: y.activations as f64 / f64::from(sites) / years,
                    resorption_days: per_bmu(y.resorption, y),
                    reversal_days: per_bmu(y.reversal, y),
                    formation_days: per_bmu(y.formation, y),
                    eroded_pct: per_bmu(y.eroded, y),
                    formed_pct: per_bmu(y.formed, y),
                    balance_pct: per_bmu(y.formed - y.eroded, y),
                    remodelling_space_pct: 100.0 * y.space_days / y.bone_days,
                    turnover_pct_per_year: 100.0 * y.bone_formed / mean_bone / years,
                }
            })
            .map(|row| BiopsyRow::from_values(row.year, row.values().map(meant)))
            .collect()
    }
}
