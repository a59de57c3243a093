//! BMU activation: a quiescent site starts a BMU as a Poisson event; the BMU opens with a pulse
//! of osteoclasts above the kernel's steady state and the steady-state osteoblasts.
//!
//! Rule, per quiescent site per step Δt (days):
//! ```text
//! P(activate) = 1 − exp(−λ_act · RANKL · f_act · Δt / 365)
//! at activation:  N1 = round(Ω · (x̄1 + pulse)),  N2 = round(Ω · x̄2)
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | λ_act | `activation_per_site_per_year` | 2 | /site/year | sets turnover with the cycle length; see the README's baseline figures [C] |
//! | pulse | `pulse_osteoclasts` | 10 | model cells | Komarova 2003 initial condition x1 = x̄1 + 10 |
//! | RANKL, f_act | knobs | 1 | — | estrogen loss ↑, denosumab ↓ |

use crate::config::Params;
use crate::model::streams::{chance, hazard_to_probability, threshold};
use crate::model::{Bmu, Bone, Clock, Counters, Environment, Osteoclast, Process, Site, SteadyState, Streams};
use crate::processes::recruitment::new_cell;
use bevy_ecs::prelude::{Commands, Entity, Query, Res, ResMut, Without};

/// Start a BMU at `site`: insert its [`Bmu`] and spawn its osteoclast pulse.
pub fn open_bmu(
    commands: &mut Commands,
    counters: &mut Counters,
    (entity, site, bone): (Entity, &Site, &Bone),
    (params, steady, streams, env): (&Params, &SteadyState, &Streams, &Environment),
) {
    let (x1_bar, x2_bar) = params.kernel().steady_state();
    let omega = params.population_scale;
    let osteoblasts = (omega * x2_bar).round() as u32;
    commands.entity(entity).insert(Bmu { age_days: 0.0, osteoblasts, matrix_at_start: bone.matrix });
    for _ in 0..(omega * (x1_bar + params.pulse_osteoclasts)).round() as u64 {
        let cell = new_cell(counters, site.index, steady, streams, params, env);
        commands.spawn((cell, Osteoclast { activity: 1.0 }));
    }
    counters.bmus_started += 1;
}

/// Quiescent sites activate at the RANKL-scaled rate.
#[allow(clippy::too_many_arguments)]
pub fn activate_bmus(
    params: Res<Params>,
    env: Res<Environment>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    steady: Res<SteadyState>,
    mut counters: ResMut<Counters>,
    quiescent: Query<(Entity, &Site, &Bone), Without<Bmu>>,
    mut commands: Commands,
) {
    let rate = params.activation_per_site_per_year * env.rankl * env.activation;
    let t = threshold(hazard_to_probability(rate, params.dt_days / 365.0));
    if t == 0 {
        return;
    }
    for (entity, site, bone) in &quiescent {
        let mut rng = streams.stream(Process::Activation, site.index as u64, clock.step);
        if chance(&mut rng, t) {
            open_bmu(&mut commands, &mut counters, (entity, site, bone), (&params, &steady, &streams, &env));
        }
    }
}
