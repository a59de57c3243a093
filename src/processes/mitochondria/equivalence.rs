//! The two promises of the mitochondrial system: results do not depend on the number of threads,
//! and the count representation is the same stochastic process as one byte per mitochondrion.

use super::{Rules, Scratch, fresh, step_cell};
use crate::config::Params;
use crate::model::{AtSite, CellId, Knobs, MitoReadout, Mitochondria, MitophagyCount, Osteoclast, Streams};
use crate::processes::mitochondria::readout;
use crate::sim::{mitochondrial_schedule, world_with_rules};
use crate::steady_state;

/// Every cell after `steps` cell steps on `threads` threads, in cell-id order, and the tally.
fn run_on(threads: usize, steps: usize) -> (Vec<(u64, Mitochondria, MitoReadout)>, MitophagyCount) {
    let p = Params { mitochondria_per_cell: 60, ..Params::default() };
    let steady = steady_state::untreated(&Params { mitochondria_per_cell: 10, ..p.clone() });
    let mut world = world_with_rules(&p, &steady, Streams::new(3, 1));
    let knobs = Knobs::untreated(&p);
    // Osteoclasts at sites, bare cells (a circulating pool), both representations, ids out of
    // spawn order.
    for i in 0..300u64 {
        let m = if i % 3 == 0 { fresh(&p) } else { Mitochondria::uniform(60, p.health_levels as u8) };
        let cell = (CellId(1000 - i), readout::read(&m, &knobs), m);
        if i % 2 == 0 {
            world.spawn((cell, AtSite(0), Osteoclast::default()));
        } else {
            world.spawn(cell);
        }
    }
    let mut schedule = mitochondrial_schedule();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    for _ in 0..steps {
        pool.install(|| schedule.run(&mut world));
    }
    let mut cells: Vec<_> = world
        .query::<(&CellId, &Mitochondria, &MitoReadout)>()
        .iter(&world)
        .map(|(id, m, r)| (id.0, m.clone(), *r))
        .collect();
    cells.sort_by_key(|c| c.0);
    (cells, *world.resource::<MitophagyCount>())
}

#[test]
fn cells_step_identically_on_any_number_of_threads() {
    let one = run_on(1, 20);
    assert!(one.1.removed > 1000, "mitophagy ran: {:?}", one.1);
    assert!(one.0.iter().all(|(_, m, _)| m.histogram(10)[10] < 60), "every cell stepped, whatever else it is");
    assert_eq!(one, run_on(2, 20), "1 vs 2 threads");
    assert_eq!(one, run_on(3, 20), "1 vs 3 threads");
}

/// Per cell after `days` from a fresh start: ROS, ATP, mitochondria, and mitochondria removed in the last day.
fn cells_after(knobs: &Knobs, cells: u64, days: f64) -> Vec<[f64; 4]> {
    let params = &knobs.params;
    let rules = Rules::new(knobs);
    let streams = Streams::new(11, 0);
    let steps = (days / params.dt_days).round() as u64;
    let last_day = (1.0 / params.dt_days).round() as u64;
    let mut scratch = Scratch::default();
    (0..cells)
        .map(|id| {
            let mut m = fresh(params);
            let mut r = readout::read(&m, knobs);
            let mut removed = 0;
            for step in 0..steps {
                let n =
                    step_cell(&rules, &streams, id, step * u64::from(rules.substeps), (&mut m, &mut r), &mut scratch);
                removed += if step + last_day >= steps { n } else { 0 };
            }
            [r.ros, r.atp, m.len() as f64, removed as f64]
        })
        .collect()
}

/// The two-sample Kolmogorov–Smirnov statistic.
fn ks(a: &mut [f64], b: &mut [f64]) -> f64 {
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (mut i, mut j, mut d) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
    }
    d
}

#[test]
fn counted_and_individual_cells_have_the_same_distributions() {
    // Cells are independent (own streams, no interaction), so each set is an iid sample. Each
    // readout is checked twice: the two-sample KS statistic against its 0.999 critical value
    // 1.949·√(2/n) (discrete readouts make the test conservative), and the difference of means
    // against 4 standard errors; 16 checks, each failing a correct pair about once in a thousand
    // or less.
    // The sub-step scheme, whose rules draw differently in each representation (the exact
    // process reads only the histogram and always counts).
    let p = Params { mitochondria_per_cell: 100, mito_exact: false, ..Params::default() };
    let counted = Params { count_mitochondria_from: 1, ..p.clone() };
    assert!(matches!(fresh(&counted), Mitochondria::Counts(_)) && matches!(fresh(&p), Mitochondria::Individual(_)));
    let n = 600;
    for tagging in [true, false] {
        let individual = cells_after(&Knobs::untreated(&Params { pink1_tagging: tagging, ..p.clone() }), n, 6.0);
        let counts = cells_after(&Knobs::untreated(&Params { pink1_tagging: tagging, ..counted.clone() }), n, 6.0);
        for (k, name) in ["ROS", "ATP", "mitochondria per cell", "mitophagy per cell-day"].into_iter().enumerate() {
            let (mut a, mut b): (Vec<f64>, Vec<f64>) =
                (individual.iter().map(|c| c[k]).collect(), counts.iter().map(|c| c[k]).collect());
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let var = |v: &[f64]| {
                let m = mean(v);
                v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
            };
            let se = ((var(&a) + var(&b)) / n as f64).sqrt();
            let (ma, mb) = (mean(&a), mean(&b));
            assert!((ma - mb).abs() < 4.0 * se, "{name} (PINK1 {}): means {ma} vs {mb}, se {se}", tagging);
            let d = ks(&mut a, &mut b);
            assert!(d < 1.949 * (2.0 / n as f64).sqrt(), "{name} (PINK1 {}): KS {d}", tagging);
        }
    }
}
