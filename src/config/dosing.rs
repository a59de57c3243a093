//! Dosing regimens: an intervention given as doses of a named agent instead of a window.
//!
//! A regimen is `dose` (in the agent's unit) by `route`, every `every_days`, `doses` times or
//! until `until_day` (inclusive), from `start_day`. Dose k (k = 0, 1, …) falls on
//!
//! ```text
//! t_k = start_day + k · every_days,    k < doses
//! ```
//!
//! What a dose does over time is the agent's pharmacokinetics (`processes/pharmacokinetics.rs`,
//! `processes/bisphosphonate.rs`); here it is only data, and the doses each agent's kinetics were
//! sourced for: a regimen outside them is refused, since its kinetics would be extrapolated.
//!
//! | agent | kind | unit | route | doses sourced | source |
//! |---|---|---|---|---|---|
//! | denosumab | denosumab | mg | sc | 6–210 mg | phase 2 dose ranging, 6–30 mg every 3 months and 14–210 mg every 6 months (McClung 2006 NEJM 354:821 \[R\]) |
//! | alendronate | bisphosphonate | mg | oral | 5–70 mg | FIT 5 then 10 mg daily; 70 mg weekly (Schnitzer 2000 \[R\]) |
//! | risedronate | bisphosphonate | mg | oral | 5–150 mg | 5 mg daily (VERT), 35 mg weekly, 150 mg monthly \[R\] |
//! | zoledronate | bisphosphonate | mg | iv | 0.25–5 mg | 0.25–4 mg (Reid 2002 NEJM 346:653 \[R\]); 5 mg yearly (HORIZON, Black 2007 \[R\]) |
//! | teriparatide | teriparatide | µg | sc | 20–40 µg daily | Neer 2001 NEJM 344:1434 (20 and 40 µg) \[R\] |
//! | abaloparatide | abaloparatide | µg | sc | 20–80 µg daily | phase 2 dose ranging, 20, 40 and 80 µg daily (Leder 2015 JCEM 100:697 \[R\]); 80 µg daily (ACTIVE, Miller 2016 JAMA 316:722 \[R\]) |
//! | romosozumab | romosozumab | mg | sc | 70–210 mg | phase 2 dose ranging, 70, 140 and 210 mg monthly, 140 and 210 mg every 3 months (McClung 2014 NEJM 370:412 \[R\]); 210 mg monthly (FRAME, Cosman 2016 NEJM 375:1532 \[R\]); single-dose PK at 210 mg on the label \[V\] |

use super::Kind;

/// A drug the model has pharmacokinetics for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agent {
    Denosumab,
    Alendronate,
    Risedronate,
    Zoledronate,
    Teriparatide,
    Abaloparatide,
    Romosozumab,
}

/// How a dose is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Oral,
    Intravenous,
    Subcutaneous,
}

impl Route {
    pub const ALL: [(Route, &'static str); 3] =
        [(Route::Oral, "oral"), (Route::Intravenous, "iv"), (Route::Subcutaneous, "sc")];

    pub fn name(self) -> &'static str {
        Route::ALL.iter().find(|(r, _)| *r == self).map_or("?", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<Route> {
        Route::ALL.iter().find(|(_, n)| *n == name).map(|(r, _)| *r)
    }
}

/// What the model knows of an agent: its config name, kind, unit, route and sourced doses.
pub struct AgentSpec {
    pub agent: Agent,
    pub name: &'static str,
    pub kind: Kind,
    pub unit: &'static str,
    pub route: Route,
    /// The smallest and largest single dose its kinetics were sourced for.
    pub doses: (f64, f64),
}

const fn spec(
    agent: Agent,
    name: &'static str,
    kind: Kind,
    unit: &'static str,
    route: Route,
    doses: (f64, f64),
) -> AgentSpec {
    AgentSpec { agent, name, kind, unit, route, doses }
}

/// Every agent (see the module table for the sources).
pub const AGENTS: [AgentSpec; 7] = [
    spec(Agent::Denosumab, "denosumab", Kind::Denosumab, "mg", Route::Subcutaneous, (6.0, 210.0)),
    spec(Agent::Alendronate, "alendronate", Kind::Bisphosphonate, "mg", Route::Oral, (5.0, 70.0)),
    spec(Agent::Risedronate, "risedronate", Kind::Bisphosphonate, "mg", Route::Oral, (5.0, 150.0)),
    spec(Agent::Zoledronate, "zoledronate", Kind::Bisphosphonate, "mg", Route::Intravenous, (0.25, 5.0)),
    spec(Agent::Teriparatide, "teriparatide", Kind::Teriparatide, "µg", Route::Subcutaneous, (20.0, 40.0)),
    spec(Agent::Abaloparatide, "abaloparatide", Kind::Abaloparatide, "µg", Route::Subcutaneous, (20.0, 80.0)),
    spec(Agent::Romosozumab, "romosozumab", Kind::Romosozumab, "mg", Route::Subcutaneous, (70.0, 210.0)),
];

impl Agent {
    pub fn spec(self) -> &'static AgentSpec {
        // Every agent has its row.
        AGENTS.iter().find(|s| s.agent == self).unwrap_or(&AGENTS[0])
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn from_name(name: &str) -> Option<Agent> {
        AGENTS.iter().find(|s| s.name == name).map(|s| s.agent)
    }

    /// The agent a kind's regimen gives when the config names none (the first of its kind).
    pub fn default_of(kind: Kind) -> Option<Agent> {
        AGENTS.iter().find(|s| s.kind == kind).map(|s| s.agent)
    }
}

/// A validated dosing regimen (the intervention's `start_day` is the first dose).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dosing {
    pub agent: Agent,
    /// One dose, in the agent's unit.
    pub dose: f64,
    pub every_days: f64,
    /// How many doses, at least 1.
    pub doses: u32,
}

impl Dosing {
    /// The days of the doses from `start_day`.
    pub fn days(&self, start_day: f64) -> impl Iterator<Item = f64> + '_ {
        (0..self.doses).map(move |k| start_day + f64::from(k) * self.every_days)
    }

    /// The day of the last dose.
    pub fn last_day(&self, start_day: f64) -> f64 {
        start_day + f64::from(self.doses - 1) * self.every_days
    }
}

/// How many of the dose days `days` fall in the step of length `dt` at `day`: those nearest to it,
/// by whole step numbers, so that on a grid of steps each dose falls in exactly one.
pub fn doses_at_step(days: &[f64], day: f64, dt: f64) -> u32 {
    let step = (day / dt).round();
    days.iter().filter(|&&t| (t / dt + 0.5).floor() == step).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doses_fall_on_their_days() {
        let d = Dosing { agent: Agent::Denosumab, dose: 60.0, every_days: 182.0, doses: 3 };
        assert_eq!(d.days(10.0).collect::<Vec<_>>(), vec![10.0, 192.0, 374.0]);
        assert_eq!(d.last_day(10.0), 374.0);
        // Each dose falls in exactly one step of a grid, whatever rounding the grid's days carry.
        for dt in [0.1, 0.25, 1.0 / 3.0, 1.0] {
            let steps = (0..(400.0 / dt) as u32).map(|k| f64::from(k) * dt);
            let days: Vec<f64> = d.days(10.0).collect();
            let given: u32 = steps.map(|day| doses_at_step(&days, day, dt)).sum();
            assert_eq!(given, 3, "dt = {dt}");
        }
        for s in &AGENTS {
            assert_eq!(Agent::from_name(s.name), Some(s.agent));
            assert!(s.doses.0 > 0.0 && s.doses.0 <= s.doses.1, "{}", s.name);
        }
        assert_eq!(Agent::default_of(Kind::Bisphosphonate), Some(Agent::Alendronate));
        assert_eq!(Agent::default_of(Kind::Antioxidant), None);
        assert_eq!(Route::from_name("iv"), Some(Route::Intravenous));
    }
}
