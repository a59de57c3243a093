//! `bmu-sim stress`: what this machine can do with the model. N osteoclasts of M mitochondria
//! each are stepped through the model's own mitochondrial system (`sim::mitochondrial_schedule`,
//! every rule of `processes/mitochondria`, hourly sub-steps, untreated knobs) for D days, and the
//! run reports mitochondrion-updates (mitochondria × sub-steps) and osteoclast-steps per second of wall
//! time, and memory: the peak resident set (VmHWM) and the resident set before the cells, after
//! building them and at the end (flat memory means the end equals the start). Cells start with
//! M fresh mitochondria; fates (apoptosis, recruitment) are not run, so the population stays N.
//!
//! Options come from flags or from a small TOML file (`configs/stress.toml`) with the same keys:
//! `osteoclasts`, `mitochondria`, `days`, `threads`, `representation`.

use crate::Error;
use crate::config::{ConfigError, Params};
use crate::model::{CellId, Knobs, Mitochondria, MitophagyCount, Osteoclast, SteadyState, Streams};
use crate::processes::mitochondria::{fresh, readout};
use crate::sim::{mitochondrial_schedule, world_with_rules};
use bevy_ecs::world::World;
use serde::Deserialize;
use std::time::Instant;

/// How the cells hold their mitochondria (`count_mitochondria_from` forced either way).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Representation {
    /// One byte per mitochondrion, every mitochondrion stepped: the reference.
    Individual,
    /// Counts per health level and tag, transitions drawn as binomials.
    Counts,
}

impl Representation {
    pub fn name(self) -> &'static str {
        match self {
            Representation::Individual => "individual",
            Representation::Counts => "counts",
        }
    }

    pub fn parse(s: &str) -> Option<Representation> {
        [Representation::Individual, Representation::Counts].into_iter().find(|r| r.name() == s)
    }
}

/// What to run. The defaults take about ten seconds of one core here and give each of two
/// threads thousands of cells.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StressOptions {
    pub osteoclasts: u64,
    /// Mitochondria per osteoclast at the start (N0).
    pub mitochondria: u32,
    pub days: f64,
    pub threads: usize,
    pub representation: Representation,
}

impl Default for StressOptions {
    fn default() -> Self {
        StressOptions {
            osteoclasts: 10_000,
            mitochondria: 1000,
            days: 5.0,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            representation: Representation::Individual,
        }
    }
}

impl StressOptions {
    /// Options from a stress TOML file; keys it leaves out keep their defaults.
    pub fn from_toml(source: &str, text: &str) -> Result<StressOptions, Error> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let at = e.span().map_or(0, |s| s.start).min(text.len());
            let line = text[..at].matches('\n').count() + 1;
            let column = text[..at].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Error::Config(ConfigError {
                file: source.into(),
                line,
                column,
                key: String::new(),
                message: e.message().into(),
            })
        })
    }

    /// Options from a stress TOML file (see [`Self::from_toml`]).
    pub fn load(path: &std::path::Path) -> Result<StressOptions, Error> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::Config(ConfigError {
                file: name.clone(),
                line: 0,
                column: 0,
                key: String::new(),
                message: format!("cannot read the stress config: {e}"),
            })
        })?;
        StressOptions::from_toml(&name, &text)
    }

    /// The model parameters of the run: defaults, but the sub-step scheme at hourly sub-steps (its
    /// work is mitochondrion-updates; the exact process's is events), N0 = `mitochondria`.
    pub fn params(&self) -> Result<Params, Error> {
        let bad = |m: String| Err(Error::Usage(format!("stress: {m}")));
        if self.osteoclasts == 0 || self.osteoclasts > u64::from(u32::MAX) {
            return bad(format!("--osteoclasts must be between 1 and {}", u32::MAX));
        }
        if !(self.days.is_finite() && self.days > 0.0) {
            return bad("--days must be a finite number > 0".into());
        }
        let count_from = match self.representation {
            Representation::Individual => u32::MAX,
            Representation::Counts => 1,
        };
        let p = Params {
            dt_days: 0.125,
            mito_exact: false,
            mitochondria_per_cell: self.mitochondria,
            count_mitochondria_from: count_from,
            ..Params::default()
        };
        match p.check_consistency() {
            _ if self.mitochondria == 0 => bad("--mitochondria must be at least 1".into()),
            Err((_, m)) => bad(format!("--mitochondria {}: {m}", self.mitochondria)),
            Ok(()) => Ok(p),
        }
    }
}

/// What a stress run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct StressReport {
    pub options: StressOptions,
    pub cpu: String,
    /// Mitochondria at the start and at the end of the run.
    pub mitochondria_start: u64,
    pub mitochondria_end: u64,
    pub cell_steps: u64,
    pub sub_steps: u64,
    /// Σ over sub-steps of the mitochondria present at the start of each cell step.
    pub mitochondrion_updates: u64,
    pub mitophagy_events: u64,
    pub setup_seconds: f64,
    pub wall_seconds: f64,
    pub peak_rss_bytes: u64,
    pub rss_before_cells_bytes: u64,
    pub rss_start_bytes: u64,
    pub rss_end_bytes: u64,
}

impl StressReport {
    pub fn mitochondrion_updates_per_second(&self) -> f64 {
        self.mitochondrion_updates as f64 / self.wall_seconds
    }

    pub fn osteoclast_steps_per_second(&self) -> f64 {
        (self.options.osteoclasts * self.cell_steps) as f64 / self.wall_seconds
    }

    /// Resident memory the cells added, per mitochondrion at the start.
    pub fn bytes_per_mitochondrion(&self) -> f64 {
        self.rss_start_bytes.saturating_sub(self.rss_before_cells_bytes) as f64 / self.mitochondria_start as f64
    }

    /// The report for people.
    pub fn text(&self) -> String {
        let o = &self.options;
        let mb = |b: u64| b as f64 / 1e6;
        format!(
            "stress: {} osteoclasts x {} mitochondria ({}), {} days = {} cell steps x {} hourly sub-steps, {} thread(s), {}\n\
             mitochondrion-updates/s  {:.3e}   ({} updates in {:.2} s; setup {:.2} s)\n\
             osteoclast-steps/s       {:.3e}\n\
             mitochondria             {} at the start, {} at the end; {} removed by mitophagy\n\
             memory                   peak {:.1} MB; {:.1} MB before the cells, {:.1} MB after building them, {:.1} MB at the end: {:.1} bytes per mitochondrion\n",
            o.osteoclasts,
            o.mitochondria,
            o.representation.name(),
            o.days,
            self.cell_steps,
            self.sub_steps / self.cell_steps.max(1),
            o.threads,
            self.cpu,
            self.mitochondrion_updates_per_second(),
            self.mitochondrion_updates,
            self.wall_seconds,
            self.setup_seconds,
            self.osteoclast_steps_per_second(),
            self.mitochondria_start,
            self.mitochondria_end,
            self.mitophagy_events,
            mb(self.peak_rss_bytes),
            mb(self.rss_before_cells_bytes),
            mb(self.rss_start_bytes),
            mb(self.rss_end_bytes),
            self.bytes_per_mitochondrion(),
        )
    }

    /// The report as one JSON object on one line.
    pub fn json(&self) -> String {
        let o = &self.options;
        serde_json::json!({
            "mitochondrion_updates_per_second": self.mitochondrion_updates_per_second(),
            "osteoclast_steps_per_second": self.osteoclast_steps_per_second(),
            "osteoclasts": o.osteoclasts,
            "mitochondria": self.mitochondria_start,
            "mitochondria_per_osteoclast": o.mitochondria,
            "mitochondria_end": self.mitochondria_end,
            "representation": o.representation.name(),
            "days": o.days,
            "cell_steps": self.cell_steps,
            "sub_steps": self.sub_steps,
            "threads": o.threads,
            "mitochondrion_updates": self.mitochondrion_updates,
            "mitophagy_events": self.mitophagy_events,
            "wall_seconds": self.wall_seconds,
            "setup_seconds": self.setup_seconds,
            "peak_rss_bytes": self.peak_rss_bytes,
            "rss_before_cells_bytes": self.rss_before_cells_bytes,
            "rss_start_bytes": self.rss_start_bytes,
            "rss_end_bytes": self.rss_end_bytes,
            "bytes_per_mitochondrion": self.bytes_per_mitochondrion(),
            "cpu": self.cpu,
        })
        .to_string()
    }
}

/// A field of /proc/self/status in bytes (0 where there is no /proc).
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with(field));
    line.and_then(|l| l.split_whitespace().nth(1)).and_then(|kb| kb.parse::<u64>().ok()).map_or(0, |kb| kb * 1024)
}

fn cpu_model() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown CPU", str::trim);
    format!("{model}, {} logical CPUs", std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Run the stress test.
pub fn run(options: &StressOptions) -> Result<StressReport, Error> {
    let params = options.params()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()
        .map_err(|e| Error::Runtime(format!("cannot start {} threads: {e}", options.threads)))?;
    let setup = Instant::now();
    // Fates are not run, so no reference state is needed.
    let steady = SteadyState::unknown();
    let mut world = world_with_rules(&params, &steady, Streams::new(1, 0));
    let first = fresh(&params);
    let first_readout = readout::read(&first, &Knobs::untreated(&params));
    let rss_before_cells_bytes = status_bytes("VmRSS:");
    world.spawn_batch(
        (0..options.osteoclasts).map(|id| (CellId(id), Osteoclast { activity: 1.0 }, first.clone(), first_readout)),
    );
    let mut schedule = mitochondrial_schedule();
    let count = |world: &mut World| -> u64 { world.query::<&Mitochondria>().iter(world).map(|m| m.len() as u64).sum() };
    let mitochondria_start = count(&mut world);
    let rss_start_bytes = status_bytes("VmRSS:");
    let setup_seconds = setup.elapsed().as_secs_f64();
    let (substeps, _) = params.mito_substeps();
    let cell_steps = (options.days / params.dt_days).round().max(1.0) as u64;
    let (mut updates, mut wall) = (0, 0.0);
    let mut present = mitochondria_start;
    for _ in 0..cell_steps {
        let t = Instant::now();
        pool.install(|| schedule.run(&mut world));
        wall += t.elapsed().as_secs_f64();
        updates += present * u64::from(substeps);
        present = count(&mut world);
    }
    Ok(StressReport {
        options: StressOptions { threads: options.threads.max(1), ..options.clone() },
        cpu: cpu_model(),
        mitochondria_start,
        mitochondria_end: present,
        cell_steps,
        sub_steps: cell_steps * u64::from(substeps),
        mitochondrion_updates: updates,
        mitophagy_events: world.resource::<MitophagyCount>().removed,
        setup_seconds,
        wall_seconds: wall,
        peak_rss_bytes: status_bytes("VmHWM:"),
        rss_before_cells_bytes,
        rss_start_bytes,
        rss_end_bytes: status_bytes("VmRSS:"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_stress_run_counts_its_work() {
        let options = StressOptions {
            osteoclasts: 50,
            mitochondria: 40,
            days: 0.5,
            threads: 2,
            representation: Representation::Individual,
        };
        let r = run(&options).expect("runs");
        // 0.5 days = 4 cell steps of 3 hourly sub-steps; 50 × 40 mitochondria at the start.
        assert_eq!((r.cell_steps, r.sub_steps, r.mitochondria_start), (4, 12, 2000));
        assert!(
            r.mitochondrion_updates >= 3 * 2000 && r.mitochondrion_updates < 12 * 2000 * 2,
            "{}",
            r.mitochondrion_updates
        );
        assert!(r.mitophagy_events > 0 && r.wall_seconds > 0.0);
        let json: serde_json::Value = serde_json::from_str(&r.json()).expect("JSON");
        for key in ["mitochondrion_updates_per_second", "osteoclasts", "mitochondria", "wall_seconds", "peak_rss_bytes"]
        {
            assert!(json[key].is_number(), "{key} in {json}");
        }
        assert_eq!(json["osteoclasts"], 50);
        assert!(r.text().contains("mitochondrion-updates/s"));
        let counted = run(&StressOptions { representation: Representation::Counts, ..options }).expect("runs");
        assert_eq!(counted.mitochondria_start, 2000);
    }

    #[test]
    fn options_come_from_toml_and_bad_ones_are_refused() {
        let o = StressOptions::from_toml("s.toml", "osteoclasts = 7\nrepresentation = \"counts\"\n").expect("parses");
        assert_eq!((o.osteoclasts, o.representation, o.mitochondria), (7, Representation::Counts, 1000));
        let e = StressOptions::from_toml("s.toml", "osteoclasts = 7\nmitochondrion = 3\n").unwrap_err().to_string();
        assert!(e.starts_with("s.toml:2:1") && e.contains("mitochondrion"), "{e}");
        assert!(StressOptions { mitochondria: 0, ..o.clone() }.params().is_err());
        assert!(StressOptions { mitochondria: 1_000_000, ..o.clone() }.params().is_err(), "more than 1e6 per cell");
        assert!(StressOptions { days: -1.0, ..o.clone() }.params().is_err());
        assert!(StressOptions { osteoclasts: 0, ..o }.params().is_err());
    }
}
