//! The library's layers: which top-level module imports which, read from the source. The graph
//! must have no cycle, so each layer can be read, tested and changed knowing only those below
//! it (record, meanfield, provenance → config → model → processes → observe → sim →
//! steady_state → ensemble → analysis, store → output → study). Test-only code may reach up
//! (a process's unit test builds a world with `sim`), so it is left out.
//!
//! `cargo test --release --test cli architecture -- --nocapture` prints the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// Every `.rs` file under `dir`, sorted, skipping the modules declared `#[cfg(test)]`.
fn library_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).expect("read src").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    let test_only: BTreeSet<String> =
        entries.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")).flat_map(|p| test_modules(p)).collect();
    for path in entries {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let name = path.file_name().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if test_only.contains(&stem) || test_only.contains(&name) {
            continue;
        }
        if path.is_dir() {
            library_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The modules (by name, or by `#[path]` file name) that `file` declares under `#[cfg(test)]`.
fn test_modules(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).expect("read source");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[cfg(test)]" {
            continue;
        }
        for next in &lines[i + 1..(i + 3).min(lines.len())] {
            if let Some(p) = next.strip_prefix("#[path = \"").and_then(|r| r.strip_suffix("\"]")) {
                found.push(p.to_string());
            } else if let Some(m) = next.split("mod ").nth(1).and_then(|r| r.strip_suffix(';')) {
                found.push(m.to_string());
                break;
            }
        }
    }
    found
}

/// The library's source without comments and without its inline `#[cfg(test)] mod tests`.
fn code(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end].lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The top-level modules `code` names through `crate::` paths, including `use crate::{a, b}`.
fn imports(code: &str) -> BTreeSet<String> {
    let word = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(group.split(',').map(|g| word(g.trim())));
        } else {
            found.insert(word(rest));
        }
    }
    found.retain(|m| m.chars().next().is_some_and(|c| c.is_lowercase()) && m != "self");
    found
}

/// The library's graph: top-level module → the modules it imports → the files that do.
fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    library_files(&src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("under src").to_string_lossy().to_string();
        let top = rel.split('/').next().unwrap_or_default().trim_end_matches(".rs").to_string();
        if ["lib", "main", "cli"].contains(&top.as_str()) {
            continue;
        }
        let text = fs::read_to_string(&file).expect("read source");
        let node = graph.entry(top.clone()).or_default();
        for m in imports(&code(&text)).into_iter().filter(|m| *m != top) {
            node.entry(m).or_default().insert(rel.clone());
        }
    }
    graph
}

/// A cycle through `graph`, if there is one, as the modules along it.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(g: &Graph, n: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut c = path[at..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if !done.insert(n.to_string()) {
            return None;
        }
        path.push(n.to_string());
        for m in g.get(n).into_iter().flat_map(|e| e.keys()) {
            if let Some(c) = visit(g, m, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(graph, n, &mut Vec::new(), &mut done))
}

#[test]
fn the_library_has_no_import_cycle() {
    let graph = graph();
    for (module, edges) in &graph {
        println!("{module} -> {}", edges.keys().cloned().collect::<Vec<_>>().join(", "));
    }
    assert!(graph.len() > 10, "the graph was read: {graph:?}");
    if let Some(c) = cycle(&graph) {
        let via: Vec<String> =
            c.windows(2).map(|w| format!("{} -> {} ({:?})", w[0], w[1], graph[&w[0]][&w[1]])).collect();
        panic!("import cycle {}:\n{}", c.join(" -> "), via.join("\n"));
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let edge = |a: &str, b: &str| (a.to_string(), BTreeMap::from([(b.to_string(), BTreeSet::new())]));
    let with: Graph = [edge("a", "b"), edge("b", "c"), edge("c", "a")].into_iter().collect();
    assert_eq!(cycle(&with), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let without: Graph = [edge("a", "b"), edge("b", "c")].into_iter().collect();
    assert_eq!(cycle(&without), None);
    assert_eq!(
        imports("use crate::{config::X, model};\nlet x = crate::sim::f();"),
        ["config", "model", "sim"].map(String::from).into()
    );
}

/// sim/mod.rs orders the phases and adds no system of the cell step itself: every process adds its
/// own (`processes::PLUGINS`). Its one `s.add_systems` is the mitochondrial schedule's.
#[test]
fn sim_rs_only_orders_the_phases() {
    let sim =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim/mod.rs")).expect("read sim/mod.rs");
    let code = code(&sim);
    assert_eq!(code.matches("s.add_systems(").count(), 1, "sim/mod.rs adds systems itself");
    assert!(
        code.contains("PLUGINS") && code.contains("Phase::ORDER"),
        "sim/mod.rs does not run the plugins in phase order"
    );
}
