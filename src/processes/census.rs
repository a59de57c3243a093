//! The census: at the start of every cell step, count each site's osteoclasts, their summed
//! resorption activity and its precursors. Every rule of the step reads these counts, so births
//! and deaths within a step do not feed back until the next one (the synchronous update whose
//! Δt → 0 limit is the Komarova ODE).
//!
//! ```text
//! N1(s) = #osteoclasts at s,   A(s) = Σ_{i at s} a_i,   P(s) = #precursors at s
//! exposure += (Σ_s N1(s) + P(s)) · Δt        (cell-days, for the mitophagy rate)
//! ```

use crate::config::Params;
use crate::model::{AtSite, MitophagyCount, Osteoclast, Precursor, SiteCensus};
use bevy_ecs::prelude::{Query, Res, ResMut};

/// Count osteoclasts, activity and precursors per site.
pub fn take_census(
    params: Res<Params>,
    mut census: ResMut<SiteCensus>,
    mut mitophagy: ResMut<MitophagyCount>,
    osteoclasts: Query<(&AtSite, &Osteoclast)>,
    precursors: Query<&AtSite, bevy_ecs::query::With<Precursor>>,
) {
    let n = params.sites as usize;
    let census = &mut *census;
    for v in [&mut census.osteoclasts, &mut census.precursors] {
        v.clear();
        v.resize(n, 0);
    }
    census.activity.clear();
    census.activity.resize(n, 0.0);
    for (site, oc) in &osteoclasts {
        census.osteoclasts[site.0 as usize] += 1;
        census.activity[site.0 as usize] += oc.activity;
    }
    for site in &precursors {
        census.precursors[site.0 as usize] += 1;
    }
    let cells = osteoclasts.iter().count() + precursors.iter().count();
    mitophagy.cell_days += cells as f64 * params.dt_days;
}
