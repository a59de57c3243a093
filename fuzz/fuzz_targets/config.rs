//! Any bytes as a config file: the loader and validator never panic; a rejection names the file,
//! and a line and column unless the text sets nothing; an accepted config reads back from its
//! resolved form to the same config and can be estimated. The property test
//! `tests/config_fuzz.rs` checks the same on every `cargo test`.

#![no_main]

use bmu_sim::config::{Config, Overrides};
use bmu_sim::estimate::Estimate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match Config::from_bytes("fuzz.toml", data.to_vec(), &Overrides::default()) {
        Err(e) => {
            assert_eq!(e.file, "fuzz.toml");
            assert!(!e.message.trim().is_empty());
            assert!(e.line >= 1 || e.message.contains("sets nothing"), "no location: {e}");
        }
        Ok(config) => {
            let resolved = config.resolved_toml();
            let again = Config::parse("fuzz.toml", &resolved, &Overrides::default()).expect("the resolved config reads back");
            assert_eq!(again.resolved_toml(), resolved);
            assert!(Estimate::of(&config, 2).peak_bytes > 0.0);
        }
    }
});
