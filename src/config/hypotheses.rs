//! The two readings of what mitophagy does to osteoclasts (docs/model.md §1.6), as named parameter
//! sets. The literature disagrees on the direction: the review that started the project says
//! excessive mitophagy promotes osteoclasts and bone loss; the knock-out studies (PINK1, Parkin)
//! and urolithin A say mitophagy restrains them. A config names the one in force
//! (`hypothesis = "..."`, top level or per scenario); it sets the keys below before the config's
//! own `[params]`, so a config can still set any of them. Both leave the untreated reference
//! unchanged (every fate multiplier is 1 there), so one reference serves both.
//!
//! | hypothesis | what mitophagy does | keys |
//! |---|---|---|
//! | `knockout_evidence` | clears damaged, ROS-leaking mitochondria; ROS drive RANKL signalling (and, under either hypothesis, precursor differentiation: `diff_ros_half_up`), so less mitophagy (PINK1 or Parkin loss) means more osteoclasts and bone loss, more (urolithin A, Parkin) less | `rankl_ros_gain` 1, the `mitophagy_*_gain`s 0 (Jang 2023 Redox Biol; Biomolecules 2022; Tao 2022 \[V\]) |
//! | `review` | the mitophagy flux itself promotes osteoclast differentiation, suppresses their apoptosis and raises resorption | `mitophagy_differentiation_gain` 1, `mitophagy_survival_gain` 1, `mitophagy_resorption_gain` 0.5, `rankl_ros_gain` 0 (Gao et al. 2026, the seed review \[V abstract\]; sizes \[U\]) |

use std::fmt;

/// A named reading of mitophagy's role in osteoclasts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hypothesis {
    #[default]
    KnockoutEvidence,
    Review,
}

impl Hypothesis {
    /// Every hypothesis, with its config name.
    pub const ALL: [(Hypothesis, &'static str); 2] =
        [(Hypothesis::KnockoutEvidence, "knockout_evidence"), (Hypothesis::Review, "review")];

    pub fn from_name(name: &str) -> Option<Hypothesis> {
        Hypothesis::ALL.iter().find(|(h, _)| h.name() == name).map(|(h, _)| *h)
    }

    pub fn name(self) -> &'static str {
        Hypothesis::ALL.iter().find(|(h, _)| *h == self).map_or("?", |(_, n)| n)
    }

    /// The parameters this hypothesis sets, with their values.
    pub fn settings(self) -> &'static [(&'static str, f64)] {
        match self {
            Hypothesis::KnockoutEvidence => &[
                ("rankl_ros_gain", 1.0),
                ("mitophagy_differentiation_gain", 0.0),
                ("mitophagy_survival_gain", 0.0),
                ("mitophagy_resorption_gain", 0.0),
            ],
            Hypothesis::Review => &[
                ("rankl_ros_gain", 0.0),
                ("mitophagy_differentiation_gain", 1.0),
                ("mitophagy_survival_gain", 1.0),
                ("mitophagy_resorption_gain", 0.5),
            ],
        }
    }

    /// Set this hypothesis's keys in `params`.
    pub fn apply(self, params: &mut super::Params) {
        for &(key, value) in self.settings() {
            // Every key of the table above is a number parameter that accepts these values
            // (a unit test checks it), so this cannot fail.
            let _ = params.set(key, super::Value::Float(value));
        }
    }
}

impl fmt::Display for Hypothesis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Params, Value};

    #[test]
    fn every_setting_is_a_parameter_that_accepts_it_and_the_default_is_knockout_evidence() {
        for (h, name) in Hypothesis::ALL {
            assert_eq!(Hypothesis::from_name(name), Some(h));
            for &(key, value) in h.settings() {
                assert_eq!(Params::default().set(key, Value::Float(value)), Ok(()), "{name}: {key}");
            }
        }
        let mut p = Params::default();
        Hypothesis::KnockoutEvidence.apply(&mut p);
        assert_eq!(p, Params::default(), "the defaults are the knock-out evidence");
        Hypothesis::Review.apply(&mut p);
        assert_eq!((p.rankl_ros_gain, p.mitophagy_survival_gain), (0.0, 1.0));
    }
}
