//! `bmu-sim params [PATTERN] [--json]`: every key a config can set (the parameters, the run-level
//! keys, an intervention's fields) and every intervention kind with what its strength means, as
//! Markdown tables or JSON; with a pattern, only the names that contain it.

use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::config::interventions::Strength;
use bmu_sim::config::keys::{INTERVENTION_FIELDS, Key, RUN_KEYS, did_you_mean};
use bmu_sim::config::{Kind, PARAMS, Params};
use bmu_sim::processes::interventions::mechanism;
use clap::Args;
use serde_json::{Value as Json, json};
use std::io::Write;

#[derive(Args, Debug)]
pub struct ParamsArgs {
    /// Only the keys and kinds whose name contains PATTERN (case-insensitive)
    pattern: Option<String>,
    /// JSON instead of Markdown tables
    #[arg(long)]
    json: bool,
}

/// One table: its heading, column names and rows (each cell as text and as JSON).
struct Table {
    heading: &'static str,
    name: &'static str,
    columns: [&'static str; 4],
    rows: Vec<(String, [String; 3], Json)>,
}

fn key_rows(keys: &[Key]) -> Vec<(String, [String; 3], Json)> {
    keys.iter()
        .map(|k| {
            let json = json!({"key": k.key, "default": k.default, "meaning": k.meaning});
            (k.key.to_string(), [k.default.to_string(), String::new(), k.meaning.to_string()], json)
        })
        .collect()
}

/// What `strength` means for a kind, in words.
fn strength(s: Strength) -> &'static str {
    match s {
        Strength::Saturating => "proportional up to its full effect at 1",
        Strength::Switch => "all or nothing: acts from level 0.5",
        Strength::Proportional => "proportional, extrapolated beyond 1",
    }
}

/// Every table, whole.
fn tables() -> Vec<Table> {
    let defaults = Params::default();
    let params = PARAMS
        .iter()
        .map(|p| {
            let d = defaults.get(p.key).map(|v| v.to_string()).unwrap_or_default();
            let default: Json = serde_json::from_str(&d).unwrap_or(Json::Null);
            let json =
                json!({"key": p.key, "default": default, "accepts": p.range.describe(), "meaning": p.doc.trim()});
            (p.key.to_string(), [d, p.range.describe().to_string(), p.doc.trim().to_string()], json)
        })
        .collect();
    let kinds = Kind::ALL
        .iter()
        .map(|&(kind, name)| {
            let s = kind.strength();
            let magnitudes: Vec<&str> = mechanism(kind).map_or(&[][..], |m| m.keys()).to_vec();
            let json = json!({
                "kind": name, "strength": strength(s), "max_strength": s.max(),
                "magnitudes": magnitudes, "meaning": kind.about(),
            });
            let cells = [format!("{}, 0 to {}", strength(s), s.max()), magnitudes.join(", "), kind.about().to_string()];
            (name.to_string(), cells, json)
        })
        .collect();
    vec![
        Table { heading: "", name: "parameters", columns: ["key", "default", "accepts", "meaning"], rows: params },
        Table {
            heading: "Run-level keys and tables (top of a config; keys also `--set KEY=VALUE`)",
            name: "run_keys",
            columns: ["key", "default", "", "meaning"],
            rows: key_rows(&RUN_KEYS),
        },
        Table {
            heading: "Intervention fields (`[[intervention]]`, `[[scenario.intervention]]`)",
            name: "intervention_fields",
            columns: ["field", "default", "", "meaning"],
            rows: key_rows(&INTERVENTION_FIELDS),
        },
        Table {
            heading: "Intervention kinds (`kind = \"...\"`)",
            name: "intervention_kinds",
            columns: ["kind", "strength", "magnitudes (parameters)", "what"],
            rows: kinds,
        },
    ]
}

fn markdown(tables: &[Table]) -> String {
    let mut s = String::new();
    for t in tables {
        if !t.heading.is_empty() {
            s += &format!("\n## {}\n\n", t.heading);
        }
        let columns: Vec<&str> = t.columns.iter().copied().filter(|c| !c.is_empty()).collect();
        s += &format!("| {} |\n|{}\n", columns.join(" | "), "---|".repeat(columns.len()));
        for (name, cells, _) in &t.rows {
            let cells = cells.iter().zip(&t.columns[1..]).filter(|(_, c)| !c.is_empty()).map(|(x, _)| x.as_str());
            s += &format!("| `{name}` | {} |\n", cells.collect::<Vec<_>>().join(" | "));
        }
    }
    s
}

pub fn params(args: ParamsArgs, out: &mut dyn Write) -> Result<(), Error> {
    let mut tables = tables();
    if let Some(pattern) = &args.pattern {
        let names: Vec<String> = tables.iter().flat_map(|t| t.rows.iter().map(|r| r.0.clone())).collect();
        let lower = pattern.to_lowercase();
        for t in &mut tables {
            t.rows.retain(|r| r.0.contains(&lower));
        }
        tables.retain(|t| !t.rows.is_empty());
        if tables.is_empty() {
            let hint = did_you_mean(pattern, names.iter().map(String::as_str));
            return Err(Error::Usage(format!(
                "no parameter, run key, intervention field or kind contains `{pattern}`{hint}; `bmu-sim params` lists them all"
            )));
        }
    }
    let text = if args.json {
        let object: serde_json::Map<String, Json> = tables
            .into_iter()
            .map(|t| (t.name.to_string(), Json::Array(t.rows.into_iter().map(|r| r.2).collect())))
            .collect();
        format!("{:#}\n", Json::Object(object))
    } else {
        markdown(&tables)
    };
    out.write_all(text.as_bytes()).map_err(stdout_error)
}
