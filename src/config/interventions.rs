//! Interventions: named knobs on time windows (docs/model.md §1.6).
//!
//! An intervention has a `kind`, a window `[start_day, end_day)`, an optional linear ramp at
//! both ends and a `strength` (1 = the kind's full effect). Its level at day t is
//!
//! ```text
//! level(t) = strength · min(1, (t − start)/ramp, (end − t)/ramp)   for start ≤ t < end, else 0
//! ```
//!
//! (`ramp_days = 0` is a step). What each kind does to the model is in
//! `processes/interventions.rs`; here it is only data, and what `strength` means per kind
//! ([`Strength`]): the range a config may give, refused outside it.
//!
//! `kind = "parameter"` scales or sets one parameter key on the window, so any rate of the
//! model can be perturbed from a given day (`key = "beta1_per_day"`, and `scale = 0.5` or
//! `set = 0.1`): at level ℓ the key is `base·(1 + ℓ·(scale − 1))` or `base + ℓ·(set − base)`.
//! Keys that fix the tissue's structure or numerics ([`FIXED_KEYS`], and every integer or switch)
//! cannot be changed mid-run.

use super::Dosing;
use std::fmt;

/// The interventions the model knows. Each acts only through named parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    EstrogenLoss,
    Denosumab,
    Bisphosphonate,
    Teriparatide,
    Abaloparatide,
    Romosozumab,
    Antioxidant,
    Pink1Knockout,
    ParkinOverexpression,
    MitophagyInducer,
    Mdivi1,
    Bnip3Knockdown,
    Hypoxia,
    Pgc1bLoss,
    /// Scale or set one parameter key (see the module doc).
    Parameter,
}

impl Kind {
    /// Every kind, with its config name.
    pub const ALL: [(Kind, &'static str); 15] = [
        (Kind::EstrogenLoss, "estrogen_loss"),
        (Kind::Denosumab, "denosumab"),
        (Kind::Bisphosphonate, "bisphosphonate"),
        (Kind::Teriparatide, "teriparatide"),
        (Kind::Abaloparatide, "abaloparatide"),
        (Kind::Romosozumab, "romosozumab"),
        (Kind::Antioxidant, "antioxidant"),
        (Kind::Pink1Knockout, "pink1_knockout"),
        (Kind::ParkinOverexpression, "parkin_overexpression"),
        (Kind::MitophagyInducer, "mitophagy_inducer"),
        (Kind::Mdivi1, "mdivi1"),
        (Kind::Bnip3Knockdown, "bnip3_knockdown"),
        (Kind::Hypoxia, "hypoxia"),
        (Kind::Pgc1bLoss, "pgc1b_loss"),
        (Kind::Parameter, "parameter"),
    ];

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    pub fn name(self) -> &'static str {
        Kind::ALL.iter().find(|(k, _)| *k == self).map(|(_, n)| *n).unwrap_or("?")
    }
}

/// The largest `strength` a proportional kind accepts: ten times its standard effect. Beyond
/// that it is no longer a dose of the same intervention, and factors below 1 have long reached 0.
pub const MAX_STRENGTH: f64 = 10.0;

/// The level from which an all-or-nothing kind ([`Strength::Switch`]) acts, fully.
pub const SWITCH_LEVEL: f64 = 0.5;

/// What `strength` (the level at full effect) means for a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    /// Proportional up to its standard effect at 1 and no further (a blockade or knock-down
    /// cannot exceed complete): 0.5 is half of it; strength 0 to 1.
    Saturating,
    /// All or nothing (a knock-out): no effect below level [`SWITCH_LEVEL`], the whole effect
    /// from it; strength 0 to 1, and anything but 1 (or 0) is worth a warning.
    Switch,
    /// Proportional, extrapolated beyond the standard effect: 2 is twice it; strength 0 to
    /// [`MAX_STRENGTH`].
    Proportional,
}

impl Strength {
    /// The largest strength the kind accepts.
    pub fn max(self) -> f64 {
        match self {
            Strength::Saturating | Strength::Switch => 1.0,
            Strength::Proportional => MAX_STRENGTH,
        }
    }
}

impl Kind {
    /// What `strength` means for this kind (`processes/interventions/` acts accordingly; a
    /// test there checks each kind against it).
    pub fn strength(self) -> Strength {
        match self {
            Kind::Denosumab | Kind::Romosozumab | Kind::Bnip3Knockdown | Kind::Mdivi1 | Kind::Pgc1bLoss => {
                Strength::Saturating
            }
            Kind::Pink1Knockout => Strength::Switch,
            Kind::EstrogenLoss
            | Kind::Bisphosphonate
            | Kind::Teriparatide
            | Kind::Abaloparatide
            | Kind::Antioxidant
            | Kind::ParkinOverexpression
            | Kind::MitophagyInducer
            | Kind::Hypoxia
            | Kind::Parameter => Strength::Proportional,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parameters a `kind = "parameter"` intervention may not change: they fix the tissue's structure
/// (sites, Ω, cells' capacity), the numerics (steps) or how it is read out (the spine's
/// weighting), or only matter at the start.
pub const FIXED_KEYS: [&str; 15] = [
    "population_scale",
    "dt_days",
    "mito_dt_hours",
    "max_mitochondria_factor",
    "max_site_bone_pct",
    "initial_mineral_fraction",
    "max_bmu_days",
    "spine_cancellous_share",
    "initial_cortical_mineral_fraction",
    "spine_cancellous_share_low",
    "spine_cancellous_share_high",
    "hip_cancellous_share",
    "marker_window_days",
    "marker_baseline_days",
    "responder_change_pct",
];

/// What a `kind = "parameter"` intervention does to its key at full level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Change {
    Scale(f64),
    Set(f64),
}

impl Change {
    /// The key's value at level `l` (0 = `base`, 1 = the full change).
    pub fn at(self, base: f64, l: f64) -> f64 {
        match self {
            Change::Scale(f) => base * (1.0 + l * (f - 1.0)),
            Change::Set(v) => base + l * (v - base),
        }
    }
}

/// One intervention of a scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Intervention {
    pub kind: Kind,
    pub start_day: f64,
    /// Exclusive end; `f64::MAX` when the config gives none.
    pub end_day: f64,
    pub ramp_days: f64,
    pub strength: f64,
    /// `kind = "parameter"`: the key (from the parameter table) and its change.
    pub target: Option<(&'static str, Change)>,
    /// Given as doses from `start_day` (`config/dosing.rs`) instead of on the window: its
    /// kinetics set its level (`processes/pharmacokinetics.rs`).
    pub dosing: Option<Dosing>,
}

impl Intervention {
    /// The intervention's level at `day` (see the module rule).
    pub fn level(&self, day: f64) -> f64 {
        if day < self.start_day || day >= self.end_day {
            return 0.0;
        }
        if self.ramp_days <= 0.0 {
            return self.strength;
        }
        let up = (day - self.start_day) / self.ramp_days;
        let down = (self.end_day - day) / self.ramp_days;
        self.strength * up.min(down).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_follows_window_and_ramp() {
        let i = Intervention {
            kind: Kind::Denosumab,
            start_day: 10.0,
            end_day: 30.0,
            ramp_days: 5.0,
            strength: 0.8,
            target: None,
            dosing: None,
        };
        assert_eq!(i.level(9.9), 0.0);
        assert!((i.level(12.5) - 0.4).abs() < 1e-12);
        assert_eq!(i.level(20.0), 0.8);
        assert!((i.level(27.5) - 0.4).abs() < 1e-12);
        assert_eq!(i.level(30.0), 0.0);
        for (k, n) in Kind::ALL {
            assert_eq!(Kind::from_name(n), Some(k));
        }
        assert_eq!((Change::Scale(0.5).at(0.25, 0.5), Change::Set(0.1).at(0.2, 1.0)), (0.1875, 0.1));
    }
}
