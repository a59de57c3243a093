//! The `headline` key: the readouts a run's printed table, `index.html` and first figure lead
//! with, instead of the automatic choice ([`Comparison::headline`](super::Comparison::headline)).
//!
//! ```toml
//! headline = ["spine_bmd", "osteoclasts"]   # time-series metrics (`timeseries.csv` columns)
//! ```
//!
//! The first leads the printed table and the page's first table; all of them, in order, lead the
//! first figure (a panel each), the effect-over-time figure and the page's effects table. Each must
//! be a column of `timeseries.csv` (a biopsy index has no value per recorded day), named once.

use super::keys::did_you_mean;
use super::located::{ConfigError, Doc};
use crate::record::METRICS;
use toml::Spanned;
use toml::de::DeValue;

/// Reads `headline = [...]`: a non-empty list of distinct time-series metrics, each refused at
/// its own position (key `headline[i]`) when unknown or repeated.
pub(super) fn read(doc: &Doc, v: &Spanned<DeValue>, key: &str) -> Result<Vec<&'static str>, ConfigError> {
    let list = v
        .get_ref()
        .as_array()
        .ok_or_else(|| doc.err(&v.span(), key, "expected a list of metrics, such as [\"spine_bmd\"]".to_string()))?;
    if list.is_empty() {
        return Err(doc.err(&v.span(), key, "expected at least one metric, such as [\"spine_bmd\"]"));
    }
    let mut metrics: Vec<&'static str> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = format!("{key}[{i}]");
        let name = doc.string(item, &at)?;
        let Some(metric) = METRICS.iter().copied().find(|m| *m == name) else {
            let hint = did_you_mean(&name, METRICS);
            let message = format!("unknown metric `{name}`{hint}; a column of timeseries.csv: {}", METRICS.join(", "));
            return Err(doc.err(&item.span(), &at, message));
        };
        if metrics.contains(&metric) {
            return Err(doc.err(&item.span(), &at, format!("`{metric}` is named twice")));
        }
        metrics.push(metric);
    }
    Ok(metrics)
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Overrides};

    fn parse(headline: &str) -> Result<Config, crate::config::ConfigError> {
        let text = format!("days = 10\nheadline = {headline}\n[[scenario]]\nname = \"a\"\n");
        Config::parse("h.toml", &text, &Overrides::default())
    }

    #[test]
    fn the_key_overrides_the_automatic_choice_and_round_trips() {
        let c = parse("[\"osteoclasts\", \"spine_bmd\"]").expect("valid");
        assert_eq!(c.comparison.headline_metrics(), ["osteoclasts", "spine_bmd"]);
        assert_eq!(c.comparison.headline(), "osteoclasts");
        let again = Config::parse("h.toml", &c.resolved_toml(), &Overrides::default()).expect("resolved parses");
        assert_eq!(again.comparison.headline_metrics(), ["osteoclasts", "spine_bmd"]);
        let none = Config::parse("h.toml", "days = 10\n", &Overrides::default()).expect("valid");
        assert_eq!(none.comparison.headline_metrics(), ["bone_density"]);
        assert!(!none.resolved_toml().contains("headline"), "no key, nothing written: hashes stay");
    }

    #[test]
    fn a_bad_headline_is_located_with_a_guess() {
        let e = parse("[\"spine_bmd\", \"mean_atpp\"]").unwrap_err();
        assert_eq!((e.line, e.column, e.key.as_str()), (2, 26, "headline[1]"), "{e}");
        assert!(e.message.contains("did you mean `mean_atp`?"), "{e}");
        let e = parse("[\"eroded_pct\"]").unwrap_err();
        assert!(e.message.contains("unknown metric `eroded_pct`"), "a biopsy index is no time series: {e}");
        let e = parse("[\"osteoclasts\", \"osteoclasts\"]").unwrap_err();
        assert_eq!((e.key.as_str(), e.column), ("headline[1]", 28), "{e}");
        for bad in ["[]", "\"spine_bmd\"", "[1]"] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.line, 2, "{bad}: {e}");
            assert!(e.key.starts_with("headline"), "{bad}: {e}");
        }
    }
}
