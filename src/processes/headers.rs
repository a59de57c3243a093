//! Each process file opens with its rule and a table of its parameters (symbol, key, default,
//! unit, source). The defaults there are prose, so nothing but this test keeps them equal to the
//! parameter table (`config/params.rs`) that the model actually runs with.

use crate::config::{Params, Value};
use std::path::Path;

/// `(file, key, default written, default in the table)` of every numeric default that a header
/// row gives for a parameter key.
fn header_defaults() -> Vec<(String, String, f64, f64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/processes");
    let mut files: Vec<_> = ["", "mitochondria"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("read processes").map(|e| e.expect("entry").path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let defaults = Params::default();
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        for row in text.lines().take_while(|l| l.starts_with("//!")).filter_map(|l| l.strip_prefix("//! |")) {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            if cells.len() < 3 {
                continue;
            }
            let keys: Vec<&str> = cells[1].split(',').map(|k| k.trim().trim_matches('`')).collect();
            let values: Vec<Option<f64>> =
                cells[2].split(',').map(|v| v.trim().replace('−', "-").parse::<f64>().ok()).collect();
            if keys.len() != values.len() {
                continue;
            }
            for (key, value) in keys.iter().zip(values) {
                let (Some(written), Some(actual)) = (value, defaults.get(key)) else { continue };
                let actual = match actual {
                    Value::Float(x) => x,
                    Value::Int(i) => i as f64,
                    Value::Bool(_) => continue,
                };
                let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                found.push((name, key.to_string(), written, actual));
            }
        }
    }
    found
}

#[test]
fn every_process_header_gives_the_parameter_tables_defaults() {
    let found = header_defaults();
    assert!(found.len() > 40, "the headers were read: {} defaults", found.len());
    let wrong: Vec<String> = found
        .iter()
        .filter(|(_, _, written, actual)| (written - actual).abs() > 1e-9 * actual.abs().max(1.0))
        .map(|(file, key, written, actual)| format!("{file}: `{key}` says {written}, the table {actual}"))
        .collect();
    assert!(wrong.is_empty(), "headers out of date:\n{}", wrong.join("\n"));
}
