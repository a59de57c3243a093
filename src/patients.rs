//! The patients of a virtual trial: replicate r's parameters drawn from the config's
//! `[population]` (the distributions and their rule: `config/population.rs`), from the stream
//! (seed, r, `Process::Population`), in table order, the same whatever the scenario.

use crate::config::population::{Between, Population};
use crate::config::{Params, Value};
use crate::model::{Process, Streams};
use rand::RngExt;
use rand_distr::StandardNormal;

/// How often a truncated normal is redrawn before it takes its mean.
const REDRAWS: usize = 1000;

/// Patient `replicate`'s parameters: `params` with every key of `population` drawn.
pub fn patient(population: &Population, params: &Params, seed: u64, replicate: u32) -> Params {
    let mut rng = Streams::new(seed, replicate).stream(Process::Population, 0, 0);
    let mut p = params.clone();
    for (key, between) in &population.keys {
        let accepts = |x: f64| params.clone().set(key, Value::Float(x)).is_ok();
        let x = match *between {
            Between::LogNormal { median, cv } => {
                let z: f64 = rng.sample(StandardNormal);
                median * ((1.0 + cv * cv).ln().sqrt() * z).exp()
            }
            Between::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Between::Normal { mean, sd } => {
                let mut draw = || mean + sd * rng.sample::<f64, _>(StandardNormal);
                (0..REDRAWS).map(|_| draw()).find(|&x| accepts(x)).unwrap_or(mean)
            }
        };
        // Every distribution was checked to stay in the key's range, or is redrawn into it.
        let _ = p.set(key, Value::Float(x));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};

    fn population(table: &str) -> Config {
        let text = format!("[population]\n{table}\n[[scenario]]\nname = \"a\"\n");
        Config::parse("p.toml", &text, &Overrides::default()).expect("valid")
    }

    #[test]
    fn patients_follow_their_distributions_and_do_not_depend_on_the_scenario() {
        let config = population(
            "estrogen_loss_rankl = { median = 1.5, cv = 0.3 }\nosteoblast_work = { mean = 1.0, sd = 0.5 }\nadherence = { low = 0.6, high = 1.0 }",
        );
        let pop = config.population.as_ref().unwrap();
        let patients: Vec<Params> = (0..4000).map(|r| patient(pop, &Params::default(), 9, r)).collect();
        let mut rankl: Vec<f64> = patients.iter().map(|p| p.estrogen_loss_rankl).collect();
        rankl.sort_by(f64::total_cmp);
        let log_sd = {
            let logs: Vec<f64> = rankl.iter().map(|x| x.ln()).collect();
            let m = logs.iter().sum::<f64>() / 4000.0;
            (logs.iter().map(|l| (l - m).powi(2)).sum::<f64>() / 3999.0).sqrt()
        };
        assert!((rankl[2000] / 1.5 - 1.0).abs() < 0.03, "median {}", rankl[2000]);
        assert!((log_sd / (1.09f64).ln().sqrt() - 1.0).abs() < 0.05, "log sd {log_sd}");
        // The normal is truncated to the key's range (osteoblast work ≥ 0); the uniform stays in it.
        assert!(patients.iter().all(|p| p.osteoblast_work >= 0.0 && (0.6..1.0).contains(&p.adherence)));
        let adherence = patients.iter().map(|p| p.adherence).sum::<f64>() / 4000.0;
        assert!((adherence - 0.8).abs() < 0.01, "{adherence}");
        // The same patient whatever else the parameters say (another scenario's).
        let other = Params { sites: 7, ..Params::default() };
        assert_eq!(patient(pop, &other, 9, 3).estrogen_loss_rankl, patients[3].estrogen_loss_rankl);
        assert_ne!(patients[3].estrogen_loss_rankl, patients[4].estrogen_loss_rankl);
    }
}
