//! `bmu-sim convergence`: the convergence study of the mitochondrial integrators.

use crate::common::*;

#[test]
fn convergence_prints_the_ladder_and_the_exact_process_for_each_condition() {
    let tmp = TempDir::new("convergence");
    let r = bmu(tmp.path(), &["convergence", "--cells", "20", "--quiet"]).ok();
    let rows: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| condition")).collect();
    assert_eq!(rows.len(), 3 * 4, "three conditions × four quantities:\n{}", r.stdout);
    for row in &rows {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        // condition, quantity, 7 steps, exact, two orders, the limit, the 1-hour error.
        assert_eq!(cells.len(), 2 + 2 + 7 + 5, "{row}");
        let values: Vec<f64> = cells[3..11].iter().map(|c| c.split(' ').next().unwrap().parse().unwrap()).collect();
        assert!(values.iter().all(|v| v.is_finite() && *v > 0.0), "{row}");
    }
    let d0 = rows.iter().find(|r| r.contains("untreated | D0")).expect("untreated D0");
    assert!(d0.contains('±'), "the exact value carries its standard error: {d0}");
    assert!(entries(tmp.path()).is_empty(), "the study writes no files");
}

#[test]
fn convergence_refuses_too_few_cells() {
    let tmp = TempDir::new("convergence_cells");
    let r = bmu(tmp.path(), &["convergence", "--cells", "1"]).code(2);
    assert!(r.stderr.contains("--cells"), "{}", r.stderr);
}
