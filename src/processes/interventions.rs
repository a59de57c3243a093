//! Interventions turn into knobs: each step the parameters are rebuilt from the scenario's own
//! ([`BaseParams`]) with every active `kind = "parameter"` intervention applied, and the
//! [`Environment`] from those parameters and the level ℓ ∈ [0, strength] of every other active
//! intervention (`config/interventions.rs`).
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
use crate::model::{Clock, Environment};
use bevy_ecs::prelude::{Res, ResMut, Resource};

/// The interventions of the running scenario.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct Interventions(pub Vec<Intervention>);

/// The scenario's parameters before any `kind = "parameter"` intervention.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct BaseParams(pub Params);

/// The knobs with no intervention active.
pub fn untreated(p: &Params) -> Environment {
    Environment {
        rankl: p.rankl,
        activation: 1.0,
        osteoclast_formation: 1.0,
        estrogen_apoptosis: 1.0,
        bisphosphonate_dose: 0.0,
        bisphosphonate: 0.0,
        osteoclast_activity: 1.0,
        osteoblast_formation: p.osteoblast_work,
        antioxidant: p.antioxidant,
        thiol_capacity: 1.0,
        pink1_tagging: p.pink1_tagging,
        parkin_per_day: p.parkin_per_day,
        receptor_per_day: p.receptor_per_day,
        hypoxia: p.hypoxia,
        biogenesis_per_day: p.biogenesis_per_day,
    }
}

/// Apply one intervention at level `l` to the knobs.
pub fn apply(env: &mut Environment, p: &Params, kind: Kind, l: f64) {
    let toward = |f: f64| (1.0 + l * (f - 1.0)).max(0.0);
    let toward_full = |f: f64| (1.0 + l.min(1.0) * (f - 1.0)).max(0.0);
    match kind {
        Kind::EstrogenLoss => {
            env.rankl *= toward(p.estrogen_loss_rankl);
            env.estrogen_apoptosis *= toward(p.estrogen_loss_apoptosis);
            env.osteoblast_formation *= toward(p.estrogen_loss_osteoblast_work);
            env.thiol_capacity *= toward(p.estrogen_loss_thiol_capacity).max(f64::MIN_POSITIVE);
        }
        Kind::Denosumab => env.rankl *= 1.0 - p.denosumab_rankl_block * l.min(1.0),
        Kind::Bisphosphonate => env.bisphosphonate_dose += l,
        Kind::Teriparatide => {
            env.osteoblast_formation *= toward(p.teriparatide_osteoblast_work);
            env.activation *= toward(p.teriparatide_activation);
        }
        Kind::Antioxidant => env.antioxidant += l * p.antioxidant_dose,
        Kind::Pink1Knockout => env.pink1_tagging &= l < 0.5,
        Kind::ParkinOverexpression => env.parkin_per_day *= toward(p.parkin_overexpression_fold),
        Kind::MitophagyInducer => {
            env.parkin_per_day *= toward(p.mitophagy_inducer_fold);
            env.receptor_per_day *= toward(p.mitophagy_inducer_fold);
        }
        Kind::Mdivi1 => {
            env.parkin_per_day *= toward_full(p.mdivi1_fold);
            env.receptor_per_day *= toward_full(p.mdivi1_fold);
        }
        Kind::Bnip3Knockdown => env.receptor_per_day *= toward_full(p.bnip3_knockdown_fold),
        Kind::Hypoxia => env.hypoxia += l * p.hypoxia_rise,
        Kind::Pgc1bLoss => env.biogenesis_per_day *= toward_full(p.pgc1b_loss_fold),
        Kind::Parameter => {}
    }
}

/// Rebuild the parameters and the knobs for today's interventions.
pub fn apply_interventions(
    base: Res<BaseParams>,
    interventions: Res<Interventions>,
    clock: Res<Clock>,
    mut params: ResMut<Params>,
    mut env: ResMut<Environment>,
) {
    let levels = interventions.0.iter().map(|i| (i, i.level(clock.day))).filter(|(_, l)| *l > 0.0);
    if interventions.0.iter().any(|i| i.target.is_some()) {
        let mut next = base.0.clone();
        for (i, l) in levels.clone() {
            if let (Some((key, change)), Some(Value::Float(x))) = (i.target, base.0.get(i.target.map_or("", |t| t.0))) {
                // The reader checked that the full change is in the key's range, so this cannot fail.
                let _ = next.set(key, Value::Float(change.at(x, l)));
            }
        }
        if *params != next {
            *params = next;
        }
    }
    let mut next = untreated(&params);
    for (i, l) in levels {
        apply(&mut next, &params, i.kind, l);
    }
    if *env != next {
        *env = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::one_system_world;

    #[test]
    fn knobs_move_in_the_documented_direction() {
        let p = Params::default();
        let base = untreated(&p);
        let with = |k| {
            let mut e = base;
            apply(&mut e, &p, k, 1.0);
            e
        };
        let estrogen = with(Kind::EstrogenLoss);
        assert!((estrogen.rankl - p.estrogen_loss_rankl).abs() < 1e-12, "RANKL rises once: {}", estrogen.rankl);
        assert_eq!(estrogen.activation, 1.0, "activation follows RANKL, not a second factor");
        assert!(
            estrogen.estrogen_apoptosis < 1.0 && estrogen.thiol_capacity < 1.0 && estrogen.osteoblast_formation < 1.0
        );
        let block = p.denosumab_rankl_block;
        assert!((with(Kind::Denosumab).rankl - (1.0 - block) * base.rankl).abs() < 1e-12);
        assert!(!with(Kind::Pink1Knockout).pink1_tagging);
        assert!(with(Kind::MitophagyInducer).parkin_per_day > base.parkin_per_day);
        assert!((with(Kind::Pgc1bLoss).biogenesis_per_day - base.biogenesis_per_day * p.pgc1b_loss_fold).abs() < 1e-12);
        assert_eq!(with(Kind::Bisphosphonate).bisphosphonate_dose, 1.0);
        let teriparatide = with(Kind::Teriparatide);
        assert!(teriparatide.osteoblast_formation > 1.0 && teriparatide.activation > 1.0);
        // Half strength goes half-way: toward(f) = 1 + ℓ·(f − 1).
        let mut half = base;
        apply(&mut half, &p, Kind::EstrogenLoss, 0.5);
        assert!((half.rankl - (1.0 + 0.5 * (p.estrogen_loss_rankl - 1.0))).abs() < 1e-12);
    }

    #[test]
    fn the_system_applies_denosumab_only_inside_its_window() {
        let (mut world, mut schedule) = one_system_world(apply_interventions);
        world.resource_mut::<Params>().rankl = 1.5;
        world.resource_mut::<Params>().denosumab_rankl_block = 0.95;
        let window = Intervention {
            kind: Kind::Denosumab,
            start_day: 10.0,
            end_day: 20.0,
            ramp_days: 0.0,
            strength: 1.0,
            target: None,
        };
        world.insert_resource(Interventions(vec![window]));
        // Inside: RANKL = 1.5·(1 − 0.95) = 0.075; outside (end exclusive): back to the untreated 1.5.
        for (day, rankl) in [(5.0, 1.5), (10.0, 0.075), (19.9, 0.075), (20.0, 1.5), (100.0, 1.5)] {
            world.resource_mut::<Clock>().day = day;
            schedule.run(&mut world);
            let env = *world.resource::<Environment>();
            assert!((env.rankl - rankl).abs() < 1e-12, "day {day}: {}", env.rankl);
            assert_eq!(env, Environment { rankl: env.rankl, ..untreated(world.resource::<Params>()) });
        }
    }

    #[test]
    fn a_parameter_intervention_scales_its_key_inside_its_window_and_ramps() {
        use crate::config::Change;
        let (mut world, mut schedule) = one_system_world(apply_interventions);
        let halve = Intervention {
            kind: Kind::Parameter,
            start_day: 10.0,
            end_day: 30.0,
            ramp_days: 4.0,
            strength: 1.0,
            target: Some(("beta1_per_day", Change::Scale(0.5))),
        };
        let teriparatide = Intervention { kind: Kind::Teriparatide, target: None, strength: 0.25, ..halve };
        world.insert_resource(Interventions(vec![halve, teriparatide]));
        // β1 = 0.2: half-way up the ramp 0.2·(1 − 0.5·0.5) = 0.15, then 0.1; teriparatide at level
        // ℓ = 0.25·ramp raises M_ob to 1 + ℓ·(f − 1).
        let f = Params::default().teriparatide_osteoblast_work - 1.0;
        for (day, beta1, m_ob) in
            [(5.0, 0.2, 1.0), (12.0, 0.15, 1.0 + 0.125 * f), (20.0, 0.1, 1.0 + 0.25 * f), (30.0, 0.2, 1.0)]
        {
            world.resource_mut::<Clock>().day = day;
            schedule.run(&mut world);
            let p = world.resource::<Params>();
            assert!((p.beta1_per_day - beta1).abs() < 1e-12, "day {day}: {}", p.beta1_per_day);
            assert_eq!(*p, Params { beta1_per_day: p.beta1_per_day, ..Params::default() }, "nothing else changes");
            assert!((world.resource::<Environment>().osteoblast_formation - m_ob).abs() < 1e-12, "day {day}");
        }
    }
}
