//! `[[contrast]]` tables: comparisons beyond "each scenario against the reference".
//!
//! ```toml
//! [[contrast]]                 # a difference of two scenarios: a − b
//! name = "denosumab_vs_alendronate"
//! a = "denosumab"
//! b = "alendronate"
//!
//! [[contrast]]                 # a difference of differences (an interaction): (a − b) − (c − d)
//! name = "pink1_x_stress"
//! a = "pink1_knockout_stress"
//! b = "oxidative_stress"
//! c = "pink1_knockout"
//! d = "wild_type"
//! ```
//!
//! Each is computed per recorded day and metric, replicate by replicate under common random
//! numbers (replicate r of every scenario shares its streams, so the shared noise cancels), with a
//! Student-t 95 % interval ([`mod@crate::analysis::contrasts`]), and written to `contrasts.csv`. `name`
//! is optional (default: the expression, `a - b` or `(a - b) - (c - d)`); `c` and `d` come
//! together. A contrast that is zero by construction (`a = b`, `c = d`, or `c − d` the same
//! difference as `a − b`) is refused, as is an unknown scenario (with "did you mean") or a
//! name used twice. Under a `[sweep]` every contrast is taken at every sweep point.

use super::Scenario;
use super::keys::did_you_mean;
use super::located::{ConfigError, Doc, Locations};
use toml::Spanned;
use toml::de::DeValue;

/// The fields of a `[[contrast]]` table.
pub const FIELDS: [&str; 5] = ["name", "a", "b", "c", "d"];

/// `a − b`, or the interaction `(a − b) − (c − d)`: scenarios as written in the config.
#[derive(Clone, Debug, PartialEq)]
pub struct Contrast {
    /// The name given, if any ([`label`](Self::label) is what outputs show).
    pub name: Option<String>,
    pub a: String,
    pub b: String,
    /// `(c, d)` of an interaction.
    pub interaction: Option<(String, String)>,
}

impl Contrast {
    /// The contrast as a formula: `a - b` or `(a - b) - (c - d)`.
    pub fn expression(&self) -> String {
        match &self.interaction {
            None => format!("{} - {}", self.a, self.b),
            Some((c, d)) => format!("({} - {}) - ({c} - {d})", self.a, self.b),
        }
    }

    /// What outputs call it: its name, else its [`expression`](Self::expression).
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.expression())
    }

    /// Each scenario with its sign: +a, −b, and for an interaction −c, +d.
    pub fn terms(&self) -> Vec<(&str, f64)> {
        let mut terms = vec![(self.a.as_str(), 1.0), (self.b.as_str(), -1.0)];
        if let Some((c, d)) = &self.interaction {
            terms.extend([(c.as_str(), -1.0), (d.as_str(), 1.0)]);
        }
        terms
    }
}

/// A name outputs can carry unquoted, as scenario names are.
fn plain(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Read the `[[contrast]]` tables, checking their scenarios against `scenarios`.
pub(super) fn read(
    doc: &Doc,
    v: &Spanned<DeValue>,
    scenarios: &[Scenario],
    at: &mut Locations,
) -> Result<Vec<Contrast>, ConfigError> {
    let list = v.get_ref().as_array().ok_or_else(|| doc.err(&v.span(), "contrast", "expected [[contrast]] tables"))?;
    let known: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let mut contrasts: Vec<Contrast> = Vec::new();
    for (n, t) in list.iter().enumerate() {
        let prefix = format!("contrast[{n}]");
        let mut given: [Option<(String, std::ops::Range<usize>)>; 5] = Default::default();
        for (k, v) in Doc::entries(doc.table(t, &prefix)?) {
            let key = format!("{prefix}.{}", k.get_ref());
            let Some(field) = FIELDS.iter().position(|f| *f == k.get_ref().as_ref()) else {
                let hint = did_you_mean(k.get_ref(), FIELDS);
                return Err(doc.err(&k.span(), &key, format!("unknown key{hint}; expected {}", FIELDS.join(", "))));
            };
            let value = doc.string(v, &key)?;
            if field == 0 && !plain(&value) {
                return Err(doc.err(&v.span(), &key, "a contrast's name is letters, digits, `_` or `-`"));
            }
            if field > 0 && !known.contains(&value.as_str()) {
                let message = format!(
                    "unknown scenario `{value}`{}; the config has {}",
                    did_you_mean(&value, known.iter().copied()),
                    known.join(", ")
                );
                return Err(doc.err(&v.span(), &key, message));
            }
            at.insert(key, doc.err(&v.span(), "", ""));
            given[field] = Some((value, v.span()));
        }
        let [name, a, b, c, d] = given;
        let table = t.span();
        let missing = |what: &str, why: &str| doc.err(&table, &format!("{prefix}.{what}"), why.to_string());
        let need = "every [[contrast]] needs `a` and `b` (it is a − b)";
        let a = a.ok_or_else(|| missing("a", need))?;
        let b = b.ok_or_else(|| missing("b", need))?;
        let interaction = match (c, d) {
            (None, None) => None,
            (Some(c), Some(d)) => Some((c, d)),
            (c, _) => {
                let what = if c.is_none() { "c" } else { "d" };
                return Err(missing(what, "an interaction (a − b) − (c − d) needs both `c` and `d`"));
            }
        };
        let zero = |span: &std::ops::Range<usize>, key: &str, why: &str| {
            doc.err(span, &format!("{prefix}.{key}"), format!("{why}: the contrast is 0 by construction"))
        };
        if a.0 == b.0 {
            return Err(zero(&b.1, "b", &format!("`b` is `a` ({})", a.0)));
        }
        if let Some((c, d)) = &interaction {
            if c.0 == d.0 {
                return Err(zero(&d.1, "d", &format!("`d` is `c` ({})", c.0)));
            }
            if c.0 == a.0 && d.0 == b.0 {
                return Err(zero(&c.1, "c", "c − d is a − b"));
            }
        }
        let contrast = Contrast {
            name: name.as_ref().map(|n| n.0.clone()),
            a: a.0,
            b: b.0,
            interaction: interaction.map(|(c, d)| (c.0, d.0)),
        };
        if contrasts.iter().any(|o| o.label() == contrast.label()) {
            let (span, key) = name.map_or((table.clone(), "a"), |n| (n.1, "name"));
            let message = format!("contrast `{}` is given twice", contrast.label());
            return Err(doc.err(&span, &format!("{prefix}.{key}"), message));
        }
        contrasts.push(contrast);
    }
    Ok(contrasts)
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError, Overrides};

    const SCENARIOS: &str = "days = 10\n[[scenario]]\nname = \"wild_type\"\n[[scenario]]\nname = \"ko\"\n\
[[scenario]]\nname = \"stress\"\n[[scenario]]\nname = \"ko_stress\"\n";
    /// The line a contrast's first key is on (after `SCENARIOS` and the table's header).
    const FIRST: usize = 11;

    fn parse(contrast: &str) -> Result<Config, ConfigError> {
        Config::parse("c.toml", &format!("{SCENARIOS}[[contrast]]\n{contrast}"), &Overrides::default())
    }

    #[test]
    fn differences_and_interactions_read_and_round_trip() {
        let c = parse("name = \"ko_x_stress\"\na = \"ko_stress\"\nb = \"stress\"\nc = \"ko\"\nd = \"wild_type\"\n")
            .expect("valid");
        let k = &c.comparison.contrasts[0];
        assert_eq!(k.label(), "ko_x_stress");
        assert_eq!(k.expression(), "(ko_stress - stress) - (ko - wild_type)");
        assert_eq!(k.terms(), [("ko_stress", 1.0), ("stress", -1.0), ("ko", -1.0), ("wild_type", 1.0)]);
        let again = Config::parse("c.toml", &c.resolved_toml(), &Overrides::default()).expect("resolved parses");
        assert_eq!(again.comparison.contrasts, c.comparison.contrasts);
        let c = parse("a = \"ko\"\nb = \"stress\"\n").expect("valid");
        assert_eq!(c.comparison.contrasts[0].label(), "ko - stress", "unnamed: the expression");
        assert_eq!(c.comparison.contrasts[0].terms(), [("ko", 1.0), ("stress", -1.0)]);
    }

    /// Each refusal names the file, line, column and key.
    #[test]
    fn bad_contrasts_are_located() {
        let cases = [
            ("a = \"ko\"\nb = \"strss\"\n", 1, 5, "b", "did you mean `stress`?"),
            ("a = \"ko\"\nb = \"stress\"\nc = \"ko\"\n", 0, 1, "d", "needs both `c` and `d`"),
            ("a = \"ko\"\nb = \"ko\"\n", 1, 5, "b", "0 by construction"),
            ("a = \"ko\"\nb = \"stress\"\nc = \"ko\"\nd = \"stress\"\n", 2, 5, "c", "c − d is a − b"),
            ("a = \"ko\"\nb = \"stress\"\nc = \"wild_type\"\nd = \"wild_type\"\n", 3, 5, "d", "0 by construction"),
            ("b = \"ko\"\n", 0, 1, "a", "needs `a` and `b`"),
            ("a = \"ko\"\nbb = \"stress\"\n", 1, 1, "bb", "did you mean `b`?"),
            ("name = \"a b\"\na = \"ko\"\nb = \"stress\"\n", 0, 8, "name", "letters, digits"),
            ("a = 3\nb = \"stress\"\n", 0, 5, "a", "expected a string"),
        ];
        for (text, line, column, key, message) in cases {
            let e = parse(text).expect_err(text);
            let want_line = if line == 0 && column == 1 { FIRST - 1 } else { FIRST + line };
            assert_eq!(
                (e.file.as_str(), e.line, e.column, e.key.as_str()),
                ("c.toml", want_line, column, format!("contrast[0].{key}").as_str()),
                "{text:?}: {e}"
            );
            assert!(e.message.contains(message), "{text:?}: {e}");
        }
        let twice = "a = \"ko\"\nb = \"stress\"\n[[contrast]]\na = \"ko\"\nb = \"stress\"\n";
        let e = parse(twice).expect_err("twice");
        assert_eq!((e.key.as_str(), e.line), ("contrast[1].a", FIRST + 2), "{e}");
    }
}
