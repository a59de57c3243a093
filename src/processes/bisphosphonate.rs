//! Bisphosphonate in bone: each agent's dose binds bone surfaces (by its oral bioavailability and
//! skeletal uptake), is buried under new bone, and leaves a surface or its burial only when
//! resorption reaches it; a resorbed surface's drug goes into the osteoclast that resorbs it (where
//! it acts), buried drug set free by resorption binds bone again in part (the agent's affinity)
//! and is otherwise excreted. Skeletal retention over years and a slow offset after the last dose
//! emerge; dosing once a year can be expressed.
//!
//! Rule, per agent a, with S_a the drug on surfaces and B_a the drug buried (mg in the skeleton):
//! ```text
//! dS_a/dt = U_a(t) − (k_b + ν)·S_a + r_a·ν·B_a
//! dB_a/dt = k_b·S_a − ν·B_a
//! U_a     = F_a·u_a·(dose_a per day)                            oral F; intravenous F = 1
//! ν       = k_res · Σ a_i / Ω / (100 · sites)                     fraction of bone resorbed per day
//! X       = Σ_a π_a·S_a     E = X/(X + X50)                       π_alendronate = 1
//! apoptosis B = 1 + (fold − 1)·E·a_i,  activity × (1 − c_a·E),  activation × (1 − c_act·E)
//! ```
//! Each step solves the linear system exactly at the step's ν and uptake (its matrix has two
//! distinct real eigenvalues whenever k_b > 0), so no result depends on the step. ν uses the
//! previous step's census, over the cancellous sites (Σ and `sites` leave the cortical ones out):
//! S is the drug on the cancellous surfaces, where the biopsy and `bone_density` look; cortical
//! osteoclasts meet the same E. The total falls, once dosing stops, at the slow eigenvalue
//! ≈ ν·(ν + k_b(1 − r))/(k_b + 2ν): for alendronate at 25 %/year turnover a half-life of ~10
//! years, as measured (Khan 1997 \[R\]).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | u (window) | `bisphosphonate_window_mg_per_day` | 10 | mg/day oral alendronate | a window at strength 1 is FIT's 10 mg daily (Black 1996 \[R\]) |
//! | F | `alendronate_bioavailability`, `risedronate_bioavailability` | 0.0064, 0.0063 | — | Gertz 1995 Clin Pharmacol Ther; Mitchell 2000 \[R\] |
//! | f | `alendronate_skeletal_uptake`, `risedronate_skeletal_uptake`, `zoledronate_skeletal_uptake` | 0.5, 0.5, 0.61 | — | about half the absorbed dose is excreted unchanged (labels \[R\]); zoledronate 39 % in urine in 24 h (Chen 2002 J Clin Pharmacol \[R\]) |
//! | r | `alendronate_rebinding`, `risedronate_rebinding`, `zoledronate_rebinding` | 0.7, 0.5, 0.8 | — | ordered by hydroxyapatite affinity, zoledronate > alendronate > risedronate (Nancollas 2006 Bone 38:617 \[R\]); sizes \[U\] |
//! | π | `risedronate_potency`, `zoledronate_potency` | 1.5, 3.8 | × alendronate | ordered by FPPS inhibition (Dunford 2001 JPET \[R\]); sized so the approved regimens' bone uptake (zoledronate 5 mg yearly: 3.1 mg; alendronate 70 mg weekly: 11.7 mg a year) acts alike \[U\] |
//! | k_b | `bisphosphonate_burial_per_day` | 0.02 | /day | surface drug buried in ~50 days: turnover markers reach their nadir within 3–6 months \[U\] |
//! | X50 | `bisphosphonate_half_effect_mg` | 0.26 | mg alendronate-equivalent | chosen so the window form acts as the former calibrated load (docs/calibration.md) \[U\] |
//! | fold | `bisphosphonate_apoptosis_fold` | 1.2 | × | 4–24× apoptotic osteoclasts in vitro (Hughes 1995 JBMR \[V\]); lower at the clinical dose, calibrated with the FIT target (docs/calibration.md) |
//! | c_a | `bisphosphonate_activity_loss` | 0.05 | — | calibrated with the FIT target (docs/calibration.md) |
//! | c_act | `bisphosphonate_activation_loss` | 0.45 | — | activation −36–38 % on alendronate (Heaney & Yates 1997 \[S\]); calibrated |

use crate::config::{Agent, BoneLaw, Params};
use crate::model::{Knobs, SiteCensus};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};
use bevy_ecs::prelude::{Res, ResMut, Resource};

/// The bisphosphonates, in the order of [`Knobs::bisphosphonate_uptake`] and [`BoneBisphosphonate`].
pub const AGENTS: [Agent; 3] = [Agent::Alendronate, Agent::Risedronate, Agent::Zoledronate];

/// An agent's kinetics in bone: (fraction of a dose reaching bone, rebinding r, potency π).
pub fn kinetics(agent: Agent, p: &Params) -> (f64, f64, f64) {
    match agent {
        Agent::Risedronate => (
            p.risedronate_bioavailability * p.risedronate_skeletal_uptake,
            p.risedronate_rebinding,
            p.risedronate_potency,
        ),
        Agent::Zoledronate => (p.zoledronate_skeletal_uptake, p.zoledronate_rebinding, p.zoledronate_potency),
        _ => (p.alendronate_bioavailability * p.alendronate_skeletal_uptake, p.alendronate_rebinding, 1.0),
    }
}

/// The slot of a bisphosphonate in [`AGENTS`].
pub fn slot(agent: Agent) -> Option<usize> {
    AGENTS.iter().position(|a| *a == agent)
}

/// Each bisphosphonate in the skeleton (mg), by [`AGENTS`] slot.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct BoneBisphosphonate {
    /// S_a, on bone surfaces.
    pub surface: [f64; 3],
    /// B_a, buried under new bone.
    pub buried: [f64; 3],
}

/// Dosing binds drug to bone, formation buries it, resorption takes it up or sets it free; the
/// surface drug acts on osteoclasts.
pub fn bind_bisphosphonate(census: Res<SiteCensus>, mut bone: ResMut<BoneBisphosphonate>, mut knobs: ResMut<Knobs>) {
    let p = &knobs.params;
    let cancellous = census.activity.iter().take(p.sites as usize);
    let resorbed_per_day = p.resorption_pct_per_osteoclast_day * cancellous.sum::<f64>()
        / p.population_scale
        / (100.0 * f64::from(p.sites));
    let mut equivalent = 0.0;
    for (a, agent) in AGENTS.iter().enumerate() {
        let (_, rebinding, potency) = kinetics(*agent, p);
        let rates = Rates { burial: p.bisphosphonate_burial_per_day, resorbed: resorbed_per_day, rebinding };
        let (s, b) = rates.step(bone.surface[a], bone.buried[a], knobs.bisphosphonate_uptake[a], p.dt_days);
        (bone.surface[a], bone.buried[a]) = (s, b);
        equivalent += potency * s;
    }
    let effect = if equivalent > 0.0 { equivalent / (equivalent + p.bisphosphonate_half_effect_mg) } else { 0.0 };
    let (activity_loss, activation_loss) = (p.bisphosphonate_activity_loss, p.bisphosphonate_activation_loss);
    knobs.bisphosphonate = effect;
    knobs.osteoclast_activity *= 1.0 - activity_loss * effect;
    knobs.activation *= 1.0 - activation_loss * effect;
}

/// The rates of one agent's kinetics over a step (per day).
struct Rates {
    burial: f64,
    resorbed: f64,
    rebinding: f64,
}

impl Rates {
    /// (S, B) after `h` days from (s, b) with uptake `u` mg/day: x(h) = e^{Ah}·x + ∫₀ʰ e^{Aτ}dτ·(u, 0),
    /// each function of A as (f(λ1)(A − λ2) − f(λ2)(A − λ1))/(λ1 − λ2).
    fn step(&self, s: f64, b: f64, u: f64, h: f64) -> (f64, f64) {
        if s == 0.0 && b == 0.0 && u == 0.0 {
            return (0.0, 0.0);
        }
        let (kb, nu, r) = (self.burial, self.resorbed, self.rebinding);
        let a = [[-(kb + nu), r * nu], [kb, -nu]];
        let trace = a[0][0] + a[1][1];
        let root = (kb * kb + 4.0 * r * nu * kb).sqrt();
        let (l1, l2) = ((trace + root) / 2.0, (trace - root) / 2.0);
        let of = |f: &dyn Fn(f64) -> f64| {
            let (f1, f2) = (f(l1), f(l2));
            let m = |i: usize, j: usize| {
                let eye = if i == j { 1.0 } else { 0.0 };
                (f1 * (a[i][j] - l2 * eye) - f2 * (a[i][j] - l1 * eye)) / (l1 - l2)
            };
            [[m(0, 0), m(0, 1)], [m(1, 0), m(1, 1)]]
        };
        let e = of(&|l| (l * h).exp());
        let g = of(&|l| if (l * h).abs() < 1e-12 { h } else { (l * h).exp_m1() / l });
        let surface = e[0][0] * s + e[0][1] * b + g[0][0] * u;
        let buried = e[1][0] * s + e[1][1] * b + g[1][0] * u;
        (surface.max(0.0), buried.max(0.0))
    }
}

/// This process's systems, in their phases.
pub struct BisphosphonatePlugin;

impl Plugin for BisphosphonatePlugin {
    fn add_resources(&self, world: &mut World, _: &Params) {
        world.insert_resource(BoneBisphosphonate::default());
    }

    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(bind_bisphosphonate.in_set(Phase::BindDrug));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Dosing, Intervention, Kind, Params};
    use crate::model::{Clock, Streams};
    use crate::processes::interventions::{ScenarioRules, set_knobs};
    use crate::processes::testing::{one_system_world, run_steps, set_census};
    use bevy_ecs::prelude::IntoScheduleConfigs;

    fn given(agent: Option<Agent>, every_days: f64, doses: u32) -> Intervention {
        let dose = match agent {
            Some(Agent::Zoledronate) => 5.0,
            _ => 70.0,
        };
        Intervention {
            kind: Kind::Bisphosphonate,
            start_day: 0.0,
            end_day: f64::MAX,
            ramp_days: 0.0,
            strength: 1.0,
            target: None,
            dosing: agent.map(|agent| Dosing { agent, dose, every_days, doses }),
        }
    }

    /// Run `n` steps of Δt = 0.1 days, the clock's day advancing with them.
    fn run_days(world: &mut World, schedule: &mut Schedule, n: u64) {
        for _ in 0..n {
            run_steps(world, schedule, 1);
            world.resource_mut::<Clock>().day += Params::default().dt_days;
        }
    }

    fn world(interventions: Vec<Intervention>, activity: f64) -> (World, Schedule) {
        let (mut world, schedule) = one_system_world((set_knobs, bind_bisphosphonate).chain());
        world.insert_resource(BoneBisphosphonate::default());
        set_census(&mut world, vec![2; 10], vec![activity; 10], vec![0; 10]);
        let params = world.resource::<ScenarioRules>().params.clone();
        world.insert_resource(ScenarioRules::new(params, interventions, &Streams::new(0, 0)));
        (world, schedule)
    }

    #[test]
    fn the_exact_step_matches_the_steady_state_and_does_not_depend_on_the_step() {
        let p = Params::default();
        let rates = Rates { burial: 0.02, resorbed: 0.001, rebinding: 0.7 };
        // Steady state: S = u/(k_b(1 − r) + ν), B = k_b·S/ν.
        let (s, b) = rates.step(0.0, 0.0, 0.03, 1e6);
        let want = 0.03 / (0.02 * 0.3 + 0.001);
        assert!((s / want - 1.0).abs() < 1e-9 && (b / (0.02 * want / 0.001) - 1.0).abs() < 1e-9, "{s} {b}");
        // One step of 10 days equals a hundred of 0.1 days.
        let (mut s1, mut b1) = (1.0, 2.0);
        for _ in 0..100 {
            (s1, b1) = rates.step(s1, b1, 0.03, 0.1);
        }
        let (s10, b10) = rates.step(1.0, 2.0, 0.03, 10.0);
        assert!((s1 - s10).abs() < 1e-12 && (b1 - b10).abs() < 1e-12);
        // Without resorption nothing leaves the skeleton: surface drug is buried, total kept.
        let (s, b) = Rates { resorbed: 0.0, ..rates }.step(1.0, 2.0, 0.0, 100.0);
        assert!((s + b - 3.0).abs() < 1e-12 && (s - (-2.0f64).exp()).abs() < 1e-12);
        assert_eq!(p.bisphosphonate_burial_per_day, 0.02);
    }

    #[test]
    fn the_window_binds_alendronate_and_resorption_alone_frees_it() {
        // 10 sites each with activity 2: ν = 0.45·20/1/1000 = 0.009 /day.
        let (mut world, mut schedule) = world(vec![given(None, 1.0, 1)], 2.0);
        run_days(&mut world, &mut schedule, 60_000);
        let p = Params::default();
        let u = p.bisphosphonate_window_mg_per_day * p.alendronate_bioavailability * p.alendronate_skeletal_uptake;
        let s = u / (p.bisphosphonate_burial_per_day * (1.0 - p.alendronate_rebinding) + 0.009);
        let bone = *world.resource::<BoneBisphosphonate>();
        assert!((bone.surface[0] / s - 1.0).abs() < 1e-6, "{bone:?} against {s}");
        let effect = s / (s + p.bisphosphonate_half_effect_mg);
        let knobs = world.resource::<Knobs>();
        assert!((knobs.bisphosphonate - effect).abs() < 1e-6);
        assert!((knobs.activation - (1.0 - p.bisphosphonate_activation_loss * knobs.bisphosphonate)).abs() < 1e-12);
        // Stopped, without resorption: the drug stays in bone; cortical resorption does not free it.
        world.resource_mut::<ScenarioRules>().interventions.clear();
        set_census(&mut world, vec![0; 10], vec![0.0; 10], vec![0; 10]);
        world.resource_mut::<SiteCensus>().activity.extend([5.0; 3]);
        world.resource_mut::<ScenarioRules>().params.cortical_sites = 3;
        let total = |w: &World| {
            let b = w.resource::<BoneBisphosphonate>();
            b.surface[0] + b.buried[0]
        };
        let before = total(&world);
        run_days(&mut world, &mut schedule, 1000);
        assert!((total(&world) / before - 1.0).abs() < 1e-12);
    }

    #[test]
    fn zoledronate_once_a_year_acts_for_years_and_more_than_alendronate_stopped() {
        // Resorption at ν = 0.45·10·0.14/1000 ≈ 25 %/year.
        let activity = 0.25 / 365.0 * 1000.0 / 0.45 / 10.0;
        let effect_after = |i: Intervention, days: u64| {
            let (mut world, mut schedule) = world(vec![i], activity);
            run_days(&mut world, &mut schedule, days * 10);
            world.resource::<Knobs>().bisphosphonate
        };
        let zoledronate = given(Some(Agent::Zoledronate), 365.0, 1);
        let (month, year, three) =
            (effect_after(zoledronate, 30), effect_after(zoledronate, 365), effect_after(zoledronate, 1095));
        assert!(month > 0.8 && year > 0.4 && three > 0.35 && three < year && year < month, "{month} {year} {three}");
        // Weekly alendronate for two years builds up more than its first months held.
        let weekly = given(Some(Agent::Alendronate), 7.0, 104);
        assert!(effect_after(weekly, 728) > effect_after(weekly, 90));
        assert!(effect_after(weekly, 728 + 365) < effect_after(weekly, 728));
    }
}
