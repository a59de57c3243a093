//! Command-line overrides (`--set KEY=VALUE`, and flags such as `--seed`), applied after the
//! file and located in what the user typed.

use super::Config;
use super::keys::{did_you_mean, top_level_keys};
use super::located::{ConfigError, Doc, Locations};
use super::params::ValueError;
use super::reader::{REFERENCE, run_key};
use toml::de::DeTable;

/// Command-line overrides, applied after the file: a run key (`seed`, `days`, …) or a parameter,
/// which is then set in every scenario.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// (how the user wrote it, `KEY=VALUE`)
    pairs: Vec<(String, String)>,
}

impl Overrides {
    /// Record a `--set KEY=VALUE` (checked when applied).
    pub fn push(&mut self, pair: &str) {
        self.pairs.push((format!("--set {pair}"), pair.to_string()));
    }

    /// Record a flag that sets a run key, such as `--seed 7` (checked when applied).
    pub fn push_flag(&mut self, flag: &str, key: &str, value: &str) {
        self.pairs.push((format!("{flag} {value}"), format!("{key}={value}")));
    }

    pub(super) fn apply(&self, config: &mut Config, locations: &mut Locations) -> Result<(), ConfigError> {
        for (origin, pair) in &self.pairs {
            // Columns count within `pair` as the user typed it (TOML accepts `key=value`).
            let doc = Doc { file: origin, text: pair };
            let Some((key, _)) = pair.split_once('=') else {
                return Err(doc.err(&(0..0), pair, "expected KEY=VALUE"));
            };
            let key = key.trim();
            // A bare word (`hypothesis=review`, `damage_per_day=four`) is read as the string the
            // shell stripped the quotes from, so that the key's own check says what it expects.
            let quoted = bare_word(pair);
            let doc = quoted.as_deref().map_or(doc, |text| Doc { file: origin, text });
            let root = DeTable::parse(doc.text).map_err(|e| {
                doc.err(&e.span().unwrap_or(0..0), key, format!("invalid value: {}", e.message().trim()))
            })?;
            let Some((k, v)) = root.get_ref().iter().next() else { continue };
            if k.get_ref() != key || root.get_ref().len() != 1 || v.get_ref().is_table() {
                return Err(doc.err(&k.span(), key, "expected KEY=VALUE with a plain key"));
            }
            if key == "hypothesis" {
                let h = doc.hypothesis(v, key)?;
                if let Some((k, _)) = h.settings().iter().find(|(k, _)| swept(config, k)) {
                    let message = format!("this hypothesis sets `{k}`, which the config's [sweep] sweeps");
                    return Err(doc.err(&v.span(), key, message));
                }
                config.hypothesis = h;
                h.apply(&mut config.reference);
                for s in &mut config.scenarios {
                    s.hypothesis = h;
                    h.apply(&mut s.params);
                    locations.insert(format!("{}.{key}", s.name), doc.err(&v.span(), key, ""));
                }
                continue;
            }
            if run_key(&doc, config, key, v, locations)? {
                continue;
            }
            if swept(config, key) {
                return Err(doc.err(
                    &k.span(),
                    key,
                    "this key is swept by the config's [sweep]; change its values there",
                ));
            }
            let value = doc.value(v, key)?;
            let refused = |e| match e {
                ValueError::UnknownKey => {
                    let hint = did_you_mean(key, top_level_keys());
                    doc.err(
                        &k.span(),
                        key,
                        format!("unknown key{hint}; a run key or a parameter, as `bmu-sim params` lists them"),
                    )
                }
                ValueError::Expected(what) => doc.err(&v.span(), key, format!("expected {what}, got {value}")),
            };
            config.reference.set(key, value).map_err(refused)?;
            locations.insert(format!("{REFERENCE}.{key}"), doc.err(&v.span(), key, ""));
            for s in &mut config.scenarios {
                s.params.set(key, value).map_err(refused)?;
                locations.insert(format!("{}.{key}", s.name), doc.err(&v.span(), key, ""));
            }
        }
        Ok(())
    }
}

/// Whether the config's `[sweep]` gives `key` its values (an override may not change them).
fn swept(config: &Config, key: &str) -> bool {
    config.sweep.as_ref().is_some_and(|s| s.axes.iter().any(|a| a.key == key))
}

/// `KEY=VALUE` with VALUE quoted as a TOML string, when VALUE is not a TOML value but a plain word
/// (no quote, bracket, brace or backslash) and the quoted pair is one: what a user means by
/// `--set hypothesis=review`.
fn bare_word(pair: &str) -> Option<String> {
    let (key, value) = pair.split_once('=')?;
    let word = value.trim();
    let plain = !word.is_empty() && !word.contains(['"', '\'', '[', ']', '{', '}', '\\', '#']);
    if !plain || DeTable::parse(pair).is_ok() {
        return None;
    }
    // Quoted where the word began, so columns still point into what was typed; only if that is
    // valid TOML, else the error is the one the typed text gives.
    let quoted = format!("{key}={}\"{word}\"", &value[..value.len() - value.trim_start().len()]);
    DeTable::parse(&quoted).is_ok().then_some(quoted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Hypothesis;

    fn with(pair: &str) -> Result<Config, ConfigError> {
        let mut overrides = Overrides::default();
        overrides.push(pair);
        let text =
            "days = 1\n[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\nhypothesis = \"knockout_evidence\"\n";
        Config::parse("t.toml", text, &overrides)
    }

    #[test]
    fn a_hypothesis_set_from_the_command_line_applies_to_every_scenario_quoted_or_bare() {
        for pair in ["hypothesis=review", "hypothesis=\"review\""] {
            let config = with(pair).unwrap();
            let review = |s: &crate::config::Scenario| {
                s.hypothesis == Hypothesis::Review && s.params.mitophagy_survival_gain == 1.0
            };
            assert!(config.scenarios.iter().all(review), "{pair}");
        }
        let e = with("hypothesis=reveiw").unwrap_err();
        assert!(e.message.contains("did you mean `review`"), "{}", e.message);
        let swept = "days = 1\n[sweep]\nrankl_ros_gain = [0.0, 1.0]\n";
        let mut overrides = Overrides::default();
        overrides.push("hypothesis=review");
        let e = Config::parse("t.toml", swept, &overrides).unwrap_err();
        assert!(e.message.contains("sweeps"), "{}", e.message);
    }

    #[test]
    fn a_word_where_a_number_belongs_is_refused_with_what_the_key_accepts() {
        let e = with("damage_per_day=four").unwrap_err();
        assert_eq!((e.key.as_str(), e.line, e.column), ("damage_per_day", 1, 16));
        assert!(e.message.contains("expected a finite number >= 0, found the string \"four\""), "{}", e.message);
        let e = with("sites=4x").unwrap_err();
        assert!(e.message.contains("expected an integer >= 1, found the string \"4x\""), "{}", e.message);
        // A word that quoting does not make valid keeps the typed text's error, located in it.
        let e = with("'=$").unwrap_err();
        assert!(e.column <= 4, "column {} of a 3-character override (4: its end)", e.column);
        let e = with("days=\"120\"").unwrap_err();
        assert!(e.message.contains("expected a finite number >= 0, found the string \"120\""), "{}", e.message);
    }
}
