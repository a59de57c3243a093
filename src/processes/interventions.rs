//! Interventions turn into knobs: each step the [`Knobs`] are set from the scenario's own
//! parameters ([`Regimen`], never changed) with every active `kind = "parameter"` intervention
//! applied, then every other active intervention at its level ℓ ∈ [0, strength]
//! (`config/interventions.rs`).
//!
//! | kind | knob, with level ℓ (toward(f) = 1 + ℓ·(f − 1)) | basis |
//! |---|---|---|
//! | `estrogen_loss` | RANKL × toward(`estrogen_loss_rankl`) (activation, osteoclast formation and Nox ROS follow RANKL: once); osteoclast apoptosis E × toward(`estrogen_loss_apoptosis`); osteoblast work × toward(`estrogen_loss_osteoblast_work`); thiol antioxidant capacity × toward(`estrogen_loss_thiol_capacity`) | Recker 2004 (Ac.f doubles), Nakamura 2007 Cell (FasL) \[V\], Lean 2003 JCI (thiols) \[V\]; sizes calibrated (docs/calibration.md) |
//! | `denosumab` | RANKL × (1 − `denosumab_rankl_block`·min(ℓ, 1)); osteomorphs accrue while RANKL is blocked (`osteomorphs.rs`) | Cummings 2009 (FREEDOM); McDonald 2021 Cell \[V\] |
//! | `bisphosphonate` | dose ℓ binds to bone surfaces, which resorption releases (`bisphosphonate.rs`) | Hughes 1995 JBMR \[V\]; Heaney & Yates 1997 |
//! | `teriparatide` | osteoblast work × toward(`teriparatide_osteoblast_work`); activation × toward(`teriparatide_activation`) | Neer 2001 \[U\]; Jilka 1999 (osteoblast lifespan) |
//! | `antioxidant` | antioxidant + ℓ·`antioxidant_dose` | NAC, MitoTEMPO (Lee 2005, Lean 2003 \[V\]) |
//! | `pink1_knockout` | PINK1 tagging off when ℓ ≥ 0.5 | Jang 2023 \[V\] |
//! | `parkin_overexpression` | k_parkin × toward(`parkin_overexpression_fold`) | Biomolecules 2022 \[V\] |
//! | `mitophagy_inducer` | k_parkin and k_receptor × toward(`mitophagy_inducer_fold`) | urolithin A (Tao 2022 [V abstract]) |
//! | `mdivi1` | k_parkin and k_receptor × toward(`mdivi1_fold`), ℓ ≤ 1 | Drp1 inhibition \[U\] |
//! | `bnip3_knockdown` | k_receptor × toward(`bnip3_knockdown_fold`), ℓ ≤ 1 | \[U\] |
//! | `hypoxia` | hypoxia + ℓ·`hypoxia_rise` | Knowles 2015 \[V\] |
//! | `pgc1b_loss` | k_bio × toward(`pgc1b_loss_fold`), ℓ ≤ 1 | Zhang 2018 JBMR, Ishii 2009 \[V\] |
//! | `parameter` | its key → base·(1 + ℓ·(scale − 1)) or base + ℓ·(set − base) | any rate, from a given day |
//!
//! Every magnitude is a key of the parameter table, so `--set`, sweeps and calibration reach it.

use crate::config::{Intervention, Kind, Params, Value};
use crate::model::{Clock, Knobs};
use bevy_ecs::prelude::{Res, ResMut, Resource};

/// The running scenario's own parameters, which never change during the run, and its
/// interventions.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Regimen {
    pub params: Params,
    pub interventions: Vec<Intervention>,
}

/// Apply one intervention at level `l` to the knobs; its magnitudes come from `p`.
pub fn apply(knobs: &mut Knobs, p: &Params, kind: Kind, l: f64) {
    let toward = |f: f64| (1.0 + l * (f - 1.0)).max(0.0);
    let toward_full = |f: f64| (1.0 + l.min(1.0) * (f - 1.0)).max(0.0);
    let rates = &mut knobs.params;
    match kind {
        Kind::EstrogenLoss => {
            rates.rankl *= toward(p.estrogen_loss_rankl);
            knobs.estrogen_apoptosis *= toward(p.estrogen_loss_apoptosis);
            rates.osteoblast_work *= toward(p.estrogen_loss_osteoblast_work);
            knobs.thiol_capacity *= toward(p.estrogen_loss_thiol_capacity).max(f64::MIN_POSITIVE);
        }
        Kind::Denosumab => rates.rankl *= 1.0 - p.denosumab_rankl_block * l.min(1.0),
        Kind::Bisphosphonate => knobs.bisphosphonate_dose += l,
        Kind::Teriparatide => {
            rates.osteoblast_work *= toward(p.teriparatide_osteoblast_work);
            knobs.activation *= toward(p.teriparatide_activation);
        }
        Kind::Antioxidant => rates.antioxidant += l * p.antioxidant_dose,
        Kind::Pink1Knockout => rates.pink1_tagging &= l < 0.5,
        Kind::ParkinOverexpression => rates.parkin_per_day *= toward(p.parkin_overexpression_fold),
        Kind::MitophagyInducer => {
            rates.parkin_per_day *= toward(p.mitophagy_inducer_fold);
            rates.receptor_per_day *= toward(p.mitophagy_inducer_fold);
        }
        Kind::Mdivi1 => {
            rates.parkin_per_day *= toward_full(p.mdivi1_fold);
            rates.receptor_per_day *= toward_full(p.mdivi1_fold);
        }
        Kind::Bnip3Knockdown => rates.receptor_per_day *= toward_full(p.bnip3_knockdown_fold),
        Kind::Hypoxia => rates.hypoxia += l * p.hypoxia_rise,
        Kind::Pgc1bLoss => rates.biogenesis_per_day *= toward_full(p.pgc1b_loss_fold),
        Kind::Parameter => {}
    }
}

/// The knobs of `regimen` on `day`: its parameters with today's `kind = "parameter"`
/// interventions applied, then every other active intervention at its level.
pub fn knobs_on(regimen: &Regimen, day: f64) -> Knobs {
    let base = &regimen.params;
    let levels = regimen.interventions.iter().map(|i| (i, i.level(day))).filter(|(_, l)| *l > 0.0);
    let mut params = base.clone();
    for (i, l) in levels.clone() {
        if let (Some((key, change)), Some(Value::Float(x))) = (i.target, base.get(i.target.map_or("", |t| t.0))) {
            // The reader checked that the full change is in the key's range, so this cannot fail.
            let _ = params.set(key, Value::Float(change.at(x, l)));
        }
    }
    let mut knobs = Knobs::untreated(&params);
    for (i, l) in levels {
        apply(&mut knobs, &params, i.kind, l);
    }
    let today = knobs.params.rankl;
    knobs.rankl_blocked = if params.rankl > 0.0 { (1.0 - today / params.rankl).clamp(0.0, 1.0) } else { 0.0 };
    knobs
}

/// Set today's knobs from the regimen (the first system of every step).
pub fn set_knobs(regimen: Res<Regimen>, clock: Res<Clock>, mut knobs: ResMut<Knobs>) {
    let next = knobs_on(&regimen, clock.day);
    if *knobs != next {
        *knobs = next;
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
        assert_eq!(with(Kind::Bisphosphonate).bisphosphonate_dose, 1.0);
        let teriparatide = with(Kind::Teriparatide);
        assert!(teriparatide.params.osteoblast_work > 1.0 && teriparatide.activation > 1.0);
        // Half strength goes half-way: toward(f) = 1 + ℓ·(f − 1).
        let mut half = base.clone();
        apply(&mut half, &p, Kind::EstrogenLoss, 0.5);
        assert!((half.params.rankl - (1.0 + 0.5 * (p.estrogen_loss_rankl - 1.0))).abs() < 1e-12);
    }

    fn regimen(params: Params, interventions: Vec<Intervention>) -> Regimen {
        Regimen { params, interventions }
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
        };
        world.insert_resource(regimen(params.clone(), vec![window]));
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
            assert_eq!(world.resource::<Regimen>().params, params, "the run's parameters never change");
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
        };
        let teriparatide = Intervention { kind: Kind::Teriparatide, target: None, strength: 0.25, ..halve };
        world.insert_resource(regimen(Params::default(), vec![halve, teriparatide]));
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
}
