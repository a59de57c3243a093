//! Interventions turn into knobs: each step the [`Knobs`] are set from the scenario's own
//! parameters ([`ScenarioRules`], never changed) with every active `kind = "parameter"` intervention
//! applied, then every other active intervention at its level ℓ ∈ [0, strength]
//! (`config/interventions.rs`).
//!
//! Each kind of intervention is one file here implementing [`Mechanism`]: which parameter keys
//! set its magnitudes and what it does to today's [`Knobs`] at level ℓ. A new drug is a new
//! [`Kind`] (its config name), one file and its parameter block. `kind = "parameter"` has no
//! file: it rewrites its key, base·(1 + ℓ·(scale − 1)) or base + ℓ·(set − base), before the
//! others act.
//!
//! Every magnitude is a key of the parameter table, so `--set`, sweeps and calibration reach it.

use crate::config::BoneLaw;
use crate::config::dosing::doses_at_step;
use crate::config::{Intervention, Kind, Params, Value};
use crate::model::streams::mix;
use crate::model::{Clock, Knobs, Process, Streams};
use crate::processes::bisphosphonate::{kinetics, slot};
use crate::processes::pharmacokinetics::{Exposure, FormationFactor};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};
use bevy_ecs::prelude::{Res, ResMut, Resource};
use rand::RngExt;

mod abaloparatide;
mod antioxidant;
mod bisphosphonate;
mod bnip3_knockdown;
mod denosumab;
mod estrogen_loss;
mod hypoxia;
mod mdivi1;
mod mitophagy_inducer;
mod parkin_overexpression;
mod pgc1b_loss;
mod pink1_knockout;
mod romosozumab;
mod teriparatide;

/// What one kind of intervention does.
pub trait Mechanism: Sync {
    /// The parameter keys that set its magnitudes.
    fn keys(&self) -> &'static [&'static str];
    /// Act at level `level` on today's knobs, with magnitudes from `p`.
    fn apply(&self, level: f64, p: &Params, knobs: &mut Knobs);
    /// Act at `level` with its formation effect at `formation` (romosozumab's wanes: its
    /// tolerance); the others have one level.
    fn apply_parts(&self, level: f64, _formation: f64, p: &Params, knobs: &mut Knobs) {
        self.apply(level, p, knobs);
    }
}

/// toward(f) = 1 + ℓ·(f − 1), not below 0: a factor f at full strength, scaled by the level.
pub fn toward(f: f64, level: f64) -> f64 {
    (1.0 + level * (f - 1.0)).max(0.0)
}

/// The mechanism of `kind` (none for `parameter`, which rewrites its key instead).
pub fn mechanism(kind: Kind) -> Option<&'static dyn Mechanism> {
    Some(match kind {
        Kind::EstrogenLoss => &estrogen_loss::EstrogenLoss,
        Kind::Denosumab => &denosumab::Denosumab,
        Kind::Bisphosphonate => &bisphosphonate::Bisphosphonate,
        Kind::Teriparatide => &teriparatide::Teriparatide,
        Kind::Abaloparatide => &abaloparatide::Abaloparatide,
        Kind::Romosozumab => &romosozumab::Romosozumab,
        Kind::Antioxidant => &antioxidant::Antioxidant,
        Kind::Pink1Knockout => &pink1_knockout::Pink1Knockout,
        Kind::ParkinOverexpression => &parkin_overexpression::ParkinOverexpression,
        Kind::MitophagyInducer => &mitophagy_inducer::MitophagyInducer,
        Kind::Mdivi1 => &mdivi1::Mdivi1,
        Kind::Bnip3Knockdown => &bnip3_knockdown::Bnip3Knockdown,
        Kind::Hypoxia => &hypoxia::Hypoxia,
        Kind::Pgc1bLoss => &pgc1b_loss::Pgc1bLoss,
        Kind::Parameter => return None,
    })
}

/// The running scenario's own parameters, which never change during the run, and its
/// interventions, with the level of each dosed one acting from the blood.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct ScenarioRules {
    pub params: Params,
    pub interventions: Vec<Intervention>,
    /// By intervention: the days of the doses taken (none for a window).
    taken: Vec<Vec<f64>>,
    /// By intervention: its pharmacokinetic level if it is a regimen acting from the blood.
    exposures: Vec<Option<Exposure>>,
    /// By intervention: the factor on its formation effect if it wanes (romosozumab).
    formation: Vec<Option<FormationFactor>>,
}

impl ScenarioRules {
    /// The rules of `params` and `interventions`, each dose of a regimen taken with probability `adherence`
    /// from the stream (replicate, `Process::Adherence`, the regimen's own key, 0), in dose order:
    /// the same regimen misses the same doses in every scenario, wherever it is listed.
    pub fn new(params: Params, interventions: Vec<Intervention>, streams: &Streams) -> ScenarioRules {
        let taken: Vec<Vec<f64>> = interventions
            .iter()
            .map(|i| {
                let Some(d) = i.dosing else { return Vec::new() };
                let key = [i.start_day.to_bits(), d.dose.to_bits(), d.every_days.to_bits(), u64::from(d.doses)];
                let subject = key.iter().fold(d.agent as u64, |h, x| mix(h ^ x));
                let mut rng = streams.stream(Process::Adherence, subject, 0);
                let adherence = params.adherence;
                d.days(i.start_day).filter(|_| adherence >= 1.0 || rng.random::<f64>() < adherence).collect()
            })
            .collect();
        let exposures: Vec<_> =
            interventions.iter().zip(&taken).map(|(i, days)| Exposure::of(i, days, &params)).collect();
        let formation =
            interventions.iter().zip(&exposures).map(|(i, e)| FormationFactor::of(i, e.as_ref(), &params)).collect();
        ScenarioRules { params, interventions, taken, exposures, formation }
    }

    /// The level of intervention `index` on `day` (its exposure if dosed, else its window's),
    /// and the level of its formation effect.
    fn level(&self, index: usize, day: f64) -> (f64, f64) {
        let i = &self.interventions[index];
        let level = match (&self.exposures.get(index), i.dosing) {
            (Some(Some(e)), _) => e.at(day),
            (_, Some(_)) => 0.0,
            _ => i.level(day),
        };
        let factor = self.formation.get(index).and_then(Option::as_ref).map_or(1.0, |f| f.at(day));
        (level, level * factor)
    }
}

/// Apply one intervention at level `l` to the knobs; its magnitudes come from `p`.
pub fn apply(knobs: &mut Knobs, p: &Params, kind: Kind, l: f64) {
    if let Some(m) = mechanism(kind) {
        m.apply(l, p, knobs);
    }
}

/// The knobs of `rules` on `day`: its parameters with today's `kind = "parameter"`
/// interventions applied, then every other active intervention at its level.
pub fn knobs_on(rules: &ScenarioRules, day: f64) -> Knobs {
    let base = &rules.params;
    let levels = rules.interventions.iter().enumerate().map(|(k, i)| (i, rules.level(k, day)));
    let levels = levels.filter(|(_, (l, _))| *l > 0.0);
    let mut params = base.clone();
    for (i, (l, _)) in levels.clone() {
        if let (Some((key, change)), Some(Value::Float(x))) = (i.target, base.get(i.target.map_or("", |t| t.0))) {
            // The reader checked that the full change is in the key's range, so this cannot fail.
            let _ = params.set(key, Value::Float(change.at(x, l)));
        }
    }
    let mut knobs = Knobs::untreated(&params);
    for (i, (l, formation)) in levels {
        if let Some(m) = mechanism(i.kind) {
            m.apply_parts(l, formation, &params, &mut knobs);
        }
    }
    put_doses_into_bone(rules, &params, day, &mut knobs);
    let today = knobs.params.rankl;
    knobs.rankl_blocked = if params.rankl > 0.0 { (1.0 - today / params.rankl).clamp(0.0, 1.0) } else { 0.0 };
    knobs
}

/// Bisphosphonate regimens: each dose given in the step at `day` reaches bone over the step.
fn put_doses_into_bone(rules: &ScenarioRules, params: &Params, day: f64, knobs: &mut Knobs) {
    let dt = params.dt_days;
    for (i, days) in rules.interventions.iter().zip(&rules.taken) {
        let Some(d) = i.dosing else { continue };
        let (Some(slot), n) = (slot(d.agent), doses_at_step(days, day, dt)) else { continue };
        if n > 0 {
            let (reaching_bone, _, _) = kinetics(d.agent, params);
            knobs.bisphosphonate_uptake[slot] += f64::from(n) * d.dose * reaching_bone / dt;
        }
    }
}

/// Set today's knobs from the scenario's rules (the first system of every step).
pub fn set_knobs(rules: Res<ScenarioRules>, clock: Res<Clock>, mut knobs: ResMut<Knobs>) {
    let next = knobs_on(&rules, clock.day);
    if *knobs != next {
        *knobs = next;
    }
}

/// This process's systems, in their phases.
pub struct InterventionsPlugin;

impl Plugin for InterventionsPlugin {
    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(set_knobs.in_set(Phase::SetKnobs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::one_system_world;

    #[test]
    fn knobs_move_in_the_documented_direction() {
        let p = Params::default();
        let base = Knobs::untreated(&p);
        let with = |k| {
            let mut e = base.clone();
            apply(&mut e, &p, k, 1.0);
            e
        };
        let estrogen = with(Kind::EstrogenLoss);
        let rankl = estrogen.params.rankl;
        assert!((rankl - p.estrogen_loss_rankl).abs() < 1e-12, "RANKL rises once: {rankl}");
        assert_eq!(estrogen.activation, 1.0, "activation follows RANKL, not a second factor");
        assert!(
            estrogen.estrogen_apoptosis < 1.0 && estrogen.thiol_capacity < 1.0 && estrogen.params.osteoblast_work < 1.0
        );
        let block = p.denosumab_rankl_block;
        assert!((with(Kind::Denosumab).params.rankl - (1.0 - block) * p.rankl).abs() < 1e-12);
        assert!(!with(Kind::Pink1Knockout).params.pink1_tagging);
        assert!(with(Kind::MitophagyInducer).params.parkin_per_day > p.parkin_per_day);
        let starved = with(Kind::Pgc1bLoss).params.biogenesis_per_day;
        assert!((starved - p.biogenesis_per_day * p.pgc1b_loss_fold).abs() < 1e-12);
        let alendronate =
            p.bisphosphonate_window_mg_per_day * p.alendronate_bioavailability * p.alendronate_skeletal_uptake;
        assert_eq!(with(Kind::Bisphosphonate).bisphosphonate_uptake, [alendronate, 0.0, 0.0]);
        let teriparatide = with(Kind::Teriparatide);
        assert!(teriparatide.params.osteoblast_work > 1.0 && teriparatide.activation > 1.0);
        // Half strength goes half-way: toward(f) = 1 + ℓ·(f − 1).
        let mut half = base.clone();
        apply(&mut half, &p, Kind::EstrogenLoss, 0.5);
        assert!((half.params.rankl - (1.0 + 0.5 * (p.estrogen_loss_rankl - 1.0))).abs() < 1e-12);
    }

    #[test]
    fn every_kind_but_parameter_is_a_mechanism_of_parameter_keys_that_acts_at_full_level() {
        let p = Params::default();
        for (kind, name) in Kind::ALL {
            let Some(m) = mechanism(kind) else {
                assert_eq!(kind, Kind::Parameter);
                continue;
            };
            for key in m.keys() {
                assert!(p.get(key).is_some(), "{name}: `{key}` is not a parameter");
            }
            let (mut none, mut full) = (Knobs::untreated(&p), Knobs::untreated(&p));
            m.apply(0.0, &p, &mut none);
            m.apply(1.0, &p, &mut full);
            assert_eq!(none, Knobs::untreated(&p), "{name} acts at level 0");
            assert_ne!(full, Knobs::untreated(&p), "{name} does nothing at level 1");
        }
    }

    #[test]
    fn each_kind_acts_on_strength_as_its_config_says() {
        use crate::config::interventions::{SWITCH_LEVEL, Strength};
        let p = Params::default();
        let at = |m: &dyn Mechanism, level: f64| {
            let mut k = Knobs::untreated(&p);
            m.apply(level, &p, &mut k);
            k
        };
        for (kind, name) in Kind::ALL {
            let Some(m) = mechanism(kind) else { continue };
            let (half, full, more) = (at(m, 0.5), at(m, 1.0), at(m, 1.5));
            match kind.strength() {
                Strength::Saturating => {
                    assert!(half != full && half != Knobs::untreated(&p), "{name}: graded below 1");
                    assert_eq!(more, full, "{name} saturates at 1");
                }
                Strength::Switch => {
                    assert_eq!(at(m, SWITCH_LEVEL - 1e-9), Knobs::untreated(&p), "{name}: nothing below the switch");
                    assert_eq!(at(m, SWITCH_LEVEL), full, "{name}: all from the switch");
                }
                Strength::Proportional => assert!(half != full && more != full, "{name}: proportional beyond 1"),
            }
        }
    }

    fn rules(params: Params, interventions: Vec<Intervention>) -> ScenarioRules {
        ScenarioRules::new(params, interventions, &Streams::new(0, 0))
    }

    #[test]
    fn the_system_applies_denosumab_only_inside_its_window() {
        let (mut world, mut schedule) = one_system_world(set_knobs);
        let params = Params { rankl: 1.5, denosumab_rankl_block: 0.95, ..Params::default() };
        let window = Intervention {
            kind: Kind::Denosumab,
            start_day: 10.0,
            end_day: 20.0,
            ramp_days: 0.0,
            strength: 1.0,
            target: None,
            dosing: None,
        };
        world.insert_resource(rules(params.clone(), vec![window]));
        // Inside: RANKL = 1.5·(1 − 0.95) = 0.075, 95 % of it blocked; outside (end exclusive): back
        // to the untreated 1.5.
        for (day, rankl) in [(5.0, 1.5), (10.0, 0.075), (19.9, 0.075), (20.0, 1.5), (100.0, 1.5)] {
            world.resource_mut::<Clock>().day = day;
            schedule.run(&mut world);
            let knobs = world.resource::<Knobs>();
            assert!((knobs.params.rankl - rankl).abs() < 1e-12, "day {day}: {}", knobs.params.rankl);
            let blocked = if rankl < 1.0 { 0.95 } else { 0.0 };
            assert!((knobs.rankl_blocked - blocked).abs() < 1e-12, "day {day}: {}", knobs.rankl_blocked);
            let untreated = Knobs::untreated(&Params { rankl: knobs.params.rankl, ..params.clone() });
            assert_eq!(*knobs, Knobs { rankl_blocked: knobs.rankl_blocked, ..untreated }, "nothing else changes");
            assert_eq!(world.resource::<ScenarioRules>().params, params, "the run's parameters never change");
        }
    }

    #[test]
    fn a_parameter_intervention_scales_its_key_inside_its_window_and_ramps() {
        use crate::config::Change;
        let (mut world, mut schedule) = one_system_world(set_knobs);
        let halve = Intervention {
            kind: Kind::Parameter,
            start_day: 10.0,
            end_day: 30.0,
            ramp_days: 4.0,
            strength: 1.0,
            target: Some(("beta1_per_day", Change::Scale(0.5))),
            dosing: None,
        };
        let teriparatide = Intervention { kind: Kind::Teriparatide, target: None, strength: 0.25, ..halve };
        world.insert_resource(rules(Params::default(), vec![halve, teriparatide]));
        // β1 = 0.2: half-way up the ramp 0.2·(1 − 0.5·0.5) = 0.15, then 0.1; teriparatide at level
        // ℓ = 0.25·ramp raises M_ob to 1 + ℓ·(f − 1).
        let f = Params::default().teriparatide_osteoblast_work - 1.0;
        for (day, beta1, m_ob) in
            [(5.0, 0.2, 1.0), (12.0, 0.15, 1.0 + 0.125 * f), (20.0, 0.1, 1.0 + 0.25 * f), (30.0, 0.2, 1.0)]
        {
            world.resource_mut::<Clock>().day = day;
            schedule.run(&mut world);
            let p = &world.resource::<Knobs>().params;
            assert!((p.beta1_per_day - beta1).abs() < 1e-12, "day {day}: {}", p.beta1_per_day);
            assert!((p.osteoblast_work - m_ob).abs() < 1e-12, "day {day}");
            let others =
                Params { beta1_per_day: p.beta1_per_day, osteoblast_work: p.osteoblast_work, ..Params::default() };
            assert_eq!(*p, others, "nothing else changes");
        }
    }

    #[test]
    fn each_dose_is_taken_with_probability_adherence_from_its_own_stream() {
        use crate::config::{Agent, Dosing};
        let daily = Intervention {
            kind: Kind::Teriparatide,
            start_day: 0.0,
            end_day: f64::MAX,
            ramp_days: 0.0,
            strength: 1.0,
            target: None,
            dosing: Some(Dosing { agent: Agent::Teriparatide, dose: 20.0, every_days: 1.0, doses: 2000 }),
        };
        let taken = |adherence: f64, replicate: u32| {
            let params = Params { adherence, ..Params::default() };
            ScenarioRules::new(params, vec![daily], &Streams::new(4, replicate)).taken[0].clone()
        };
        assert_eq!(taken(1.0, 0).len(), 2000);
        assert!(taken(0.0, 0).is_empty());
        let (half, again, other) = (taken(0.5, 0), taken(0.5, 0), taken(0.5, 1));
        assert!((half.len() as f64 - 1000.0).abs() < 4.0 * 500f64.sqrt(), "{} of 2000", half.len());
        assert!(half == again && half != other, "a patient's doses are hers: the same for the same replicate");
        // The same regimen misses the same doses wherever a scenario lists it.
        let params = Params { adherence: 0.5, ..Params::default() };
        let window = Intervention { kind: Kind::Antioxidant, dosing: None, ..daily };
        let second = ScenarioRules::new(params, vec![window, daily], &Streams::new(4, 0)).taken[1].clone();
        assert_eq!(second, half);
        // Fewer doses taken, less exposure on the days missed.
        let knobs = |adherence| {
            let rules = ScenarioRules::new(Params { adherence, ..Params::default() }, vec![daily], &Streams::new(4, 0));
            (0..2000).map(|d| knobs_on(&rules, f64::from(d) + 0.5).params.osteoblast_work).sum::<f64>()
        };
        assert!(knobs(0.5) < knobs(1.0) && knobs(0.5) > knobs(0.0));
    }
}
