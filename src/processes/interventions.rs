//! Interventions turn into knobs: each step the parameters are rebuilt from the scenario's own
//! ([`BaseParams`]) with every active `kind = "parameter"` intervention applied, and the
//! [`Environment`] from those parameters and the level ℓ ∈ [0, strength] of every other active
//! intervention (`config/interventions.rs`).
//!
//! | kind | knob, with level ℓ | basis |
//! |---|---|---|
//! | `estrogen_loss` | RANKL ×(1 + ℓ); activation ×(1 + ℓ); apoptosis E ×(1 − ℓ/2); antioxidant −ℓ·0.5 (floor 0) | Lean 2003 JCI, Nakamura 2007 Cell [V] direction; sizes [U] |
//! | `denosumab` | RANKL ×(1 − 0.95·min(ℓ, 1)) | anti-RANKL antibody (FREEDOM) |
//! | `bisphosphonate` | bisphosphonate level ℓ (apoptosis ×(1 + (fold − 1)·ℓ·a) for activity a) | Hughes 1995 JBMR [V] 4–24× |
//! | `teriparatide` | osteoblast formation ×(1 + ℓ) | Neer 2001 [U] |
//! | `antioxidant` | antioxidant +ℓ | NAC, MitoTEMPO (Lee 2005 [V]) |
//! | `pink1_knockout` | PINK1 tagging off when ℓ ≥ 0.5 | Jang 2023 [V] |
//! | `parkin_overexpression` | k_parkin ×(1 + 2ℓ) | Biomolecules 2022 [V] |
//! | `mitophagy_inducer` | k_parkin and k_receptor ×(1 + ℓ) | urolithin A (Tao 2022 [V abstract]) |
//! | `mdivi1` | k_parkin and k_receptor ×(1 − 0.5·min(ℓ, 1)) | Drp1 inhibition [U] |
//! | `bnip3_knockdown` | k_receptor ×(1 − min(ℓ, 1)) | [U] |
//! | `hypoxia` | hypoxia +ℓ | Knowles 2015 [V] |
//! | `pgc1b_loss` | k_bio ×(1 − min(ℓ, 1)) | Zhang 2018 JBMR, Ishii 2009 [V] |
//! | `parameter` | its key → base·(1 + ℓ·(scale − 1)) or base + ℓ·(set − base) | any rate, from a given day |
//!
//! These are first-pass magnitudes for wiring; the intervention scenarios calibrate them.

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
        estrogen_apoptosis: 1.0,
        bisphosphonate: 0.0,
        osteoblast_formation: p.osteoblast_work,
        antioxidant: p.antioxidant,
        pink1_tagging: p.pink1_tagging,
        parkin_per_day: p.parkin_per_day,
        receptor_per_day: p.receptor_per_day,
        hypoxia: p.hypoxia,
        biogenesis_per_day: p.biogenesis_per_day,
    }
}

/// Apply one intervention at level `l` to the knobs.
pub fn apply(env: &mut Environment, kind: Kind, l: f64) {
    let full = l.min(1.0);
    match kind {
        Kind::EstrogenLoss => {
            env.rankl *= 1.0 + l;
            env.activation *= 1.0 + l;
            env.estrogen_apoptosis *= (1.0 - 0.5 * l).max(0.0);
            env.antioxidant = (env.antioxidant - 0.5 * l).max(0.0);
        }
        Kind::Denosumab => env.rankl *= 1.0 - 0.95 * full,
        Kind::Bisphosphonate => env.bisphosphonate += l,
        Kind::Teriparatide => env.osteoblast_formation *= 1.0 + l,
        Kind::Antioxidant => env.antioxidant += l,
        Kind::Pink1Knockout => env.pink1_tagging &= l < 0.5,
        Kind::ParkinOverexpression => env.parkin_per_day *= 1.0 + 2.0 * l,
        Kind::MitophagyInducer => {
            env.parkin_per_day *= 1.0 + l;
            env.receptor_per_day *= 1.0 + l;
        }
        Kind::Mdivi1 => {
            env.parkin_per_day *= 1.0 - 0.5 * full;
            env.receptor_per_day *= 1.0 - 0.5 * full;
        }
        Kind::Bnip3Knockdown => env.receptor_per_day *= 1.0 - full,
        Kind::Hypoxia => env.hypoxia += l,
        Kind::Pgc1bLoss => env.biogenesis_per_day *= 1.0 - full,
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
        apply(&mut next, i.kind, l);
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
            apply(&mut e, k, 1.0);
            e
        };
        assert!(with(Kind::EstrogenLoss).rankl > base.rankl);
        assert!(with(Kind::EstrogenLoss).estrogen_apoptosis < 1.0);
        assert!(with(Kind::Denosumab).rankl < 0.1 * base.rankl);
        assert!(!with(Kind::Pink1Knockout).pink1_tagging);
        assert!(with(Kind::MitophagyInducer).parkin_per_day > base.parkin_per_day);
        assert_eq!(with(Kind::Pgc1bLoss).biogenesis_per_day, 0.0);
        assert_eq!(with(Kind::Bisphosphonate).bisphosphonate, 1.0);
    }

    #[test]
    fn the_system_applies_denosumab_only_inside_its_window() {
        let (mut world, mut schedule) = one_system_world(apply_interventions);
        world.resource_mut::<Params>().rankl = 1.5;
        let window =
            Intervention { kind: Kind::Denosumab, start_day: 10.0, end_day: 20.0, ramp_days: 0.0, strength: 1.0, target: None };
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
        // β1 = 0.2: half-way up the ramp 0.2·(1 − 0.5·0.5) = 0.15, then 0.1; M_ob 1 + 0.25·ramp.
        for (day, beta1, m_ob) in [(5.0, 0.2, 1.0), (12.0, 0.15, 1.125), (20.0, 0.1, 1.25), (30.0, 0.2, 1.0)] {
            world.resource_mut::<Clock>().day = day;
            schedule.run(&mut world);
            let p = world.resource::<Params>();
            assert!((p.beta1_per_day - beta1).abs() < 1e-12, "day {day}: {}", p.beta1_per_day);
            assert_eq!(*p, Params { beta1_per_day: p.beta1_per_day, ..Params::default() }, "nothing else changes");
            assert!((world.resource::<Environment>().osteoblast_formation - m_ob).abs() < 1e-12, "day {day}");
        }
    }
}
