//! One unit's result as a file (`units/<id>.unit`): a [`RunRecord`] exactly, every float bit for
//! bit (NaN payloads and signed zeros included), with what it belongs to and a checksum, so a
//! truncated, damaged or foreign file is told from a complete one.
//!
//! Little-endian throughout:
//!
//! ```text
//! magic       8 bytes  "BMUUNIT" 0x01 (format version 1)
//! layout      u32 metrics per sample, u32 indices per biopsy row (METRICS, BIOPSY)
//! config      u32 length + UTF-8: the config hash the unit was run for
//! index       u64      the unit's index
//! scenario    u32 length + UTF-8
//! counters    u32 replicate, u64 seed, bmus_started, bmus_completed, osteoclasts_formed,
//!             osteoclasts_died, f64 wall_seconds
//! samples     u64 count, then per sample: f64 day and one f64 per metric
//! biopsy      u64 count, then per row: u32 year and one f64 per index
//! checksum    u64 FNV-1a 64 of every byte before it
//! ```

use crate::provenance::fnv1a64;
use crate::record::{BIOPSY, BiopsyRow, METRICS, RunRecord, Sample};

const MAGIC: &[u8; 8] = b"BMUUNIT\x01";

/// The file of unit `index` of the config hashed `config_hash`, holding `run`.
pub fn encode(config_hash: &str, index: u64, run: &RunRecord) -> Vec<u8> {
    let per_sample = 8 * (1 + METRICS.len());
    let per_row = 4 + 8 * BIOPSY.len();
    let mut b = Vec::with_capacity(128 + run.samples.len() * per_sample + run.biopsy.len() * per_row);
    b.extend_from_slice(MAGIC);
    for n in [METRICS.len(), BIOPSY.len()] {
        b.extend_from_slice(&(n as u32).to_le_bytes());
    }
    put_str(&mut b, config_hash);
    b.extend_from_slice(&index.to_le_bytes());
    put_str(&mut b, &run.scenario);
    b.extend_from_slice(&run.replicate.to_le_bytes());
    for n in [run.seed, run.bmus_started, run.bmus_completed, run.osteoclasts_formed, run.osteoclasts_died] {
        b.extend_from_slice(&n.to_le_bytes());
    }
    b.extend_from_slice(&run.wall_seconds.to_bits().to_le_bytes());
    b.extend_from_slice(&(run.samples.len() as u64).to_le_bytes());
    for s in &run.samples {
        for x in std::iter::once(s.day).chain(s.values()) {
            b.extend_from_slice(&x.to_bits().to_le_bytes());
        }
    }
    b.extend_from_slice(&(run.biopsy.len() as u64).to_le_bytes());
    for row in &run.biopsy {
        b.extend_from_slice(&row.year.to_le_bytes());
        for x in row.values() {
            b.extend_from_slice(&x.to_bits().to_le_bytes());
        }
    }
    let sum = fnv1a64(&b);
    b.extend_from_slice(&sum.to_le_bytes());
    b
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u32).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

/// The run in `bytes`, which must be the complete file of unit `index` of the config hashed
/// `config_hash`; otherwise why not, as the end of a sentence about the file.
pub fn decode(bytes: &[u8], config_hash: &str, index: u64) -> Result<RunRecord, String> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err("is not a bmu-sim unit file of this version".into());
    }
    let Some((body, sum)) = bytes.split_last_chunk::<8>() else { return Err("is truncated".into()) };
    if fnv1a64(body) != u64::from_le_bytes(*sum) {
        return Err("is damaged or truncated (its checksum does not match)".into());
    }
    let mut r = Reader { rest: &body[MAGIC.len()..] };
    if (r.u32()? as usize, r.u32()? as usize) != (METRICS.len(), BIOPSY.len()) {
        return Err("was written by a bmu-sim with other metrics".into());
    }
    let hash = r.string()?;
    if hash != config_hash {
        return Err(format!("belongs to another config (hash {hash}, not {config_hash})"));
    }
    let found = r.u64()?;
    if found != index {
        return Err(format!("holds unit {found}, not unit {index}"));
    }
    let mut run = RunRecord { scenario: r.string()?, replicate: r.u32()?, seed: r.u64()?, ..RunRecord::default() };
    run.bmus_started = r.u64()?;
    run.bmus_completed = r.u64()?;
    run.osteoclasts_formed = r.u64()?;
    run.osteoclasts_died = r.u64()?;
    run.wall_seconds = r.f64()?;
    let samples = r.count(8 * (1 + METRICS.len()))?;
    run.samples =
        (0..samples).map(|_| Ok(Sample::from_values(r.f64()?, r.floats()?))).collect::<Result<_, String>>()?;
    let rows = r.count(4 + 8 * BIOPSY.len())?;
    run.biopsy = (0..rows).map(|_| Ok(BiopsyRow::from_values(r.u32()?, r.floats()?))).collect::<Result<_, String>>()?;
    if !r.rest.is_empty() {
        return Err("has bytes after its end".into());
    }
    Ok(run)
}

/// A cursor over a file's body; every read fails cleanly past the end.
struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let (head, rest) = self.rest.split_first_chunk::<N>().ok_or("ends early")?;
        self.rest = rest;
        Ok(*head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        self.take().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, String> {
        self.take().map(u64::from_le_bytes)
    }

    fn f64(&mut self) -> Result<f64, String> {
        self.u64().map(f64::from_bits)
    }

    fn floats<const N: usize>(&mut self) -> Result<[f64; N], String> {
        let mut v = [0.0; N];
        for x in &mut v {
            *x = self.f64()?;
        }
        Ok(v)
    }

    /// A count of items of `width` bytes each, refused if the rest of the file cannot hold them.
    fn count(&mut self, width: usize) -> Result<usize, String> {
        let n = self.u64()?;
        match usize::try_from(n).ok().and_then(|n| n.checked_mul(width)) {
            Some(bytes) if bytes <= self.rest.len() => Ok(n as usize),
            _ => Err("ends early".into()),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        if n > self.rest.len() {
            return Err("ends early".into());
        }
        let (s, rest) = self.rest.split_at(n);
        self.rest = rest;
        String::from_utf8(s.to_vec()).map_err(|_| "holds a name that is not UTF-8".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run whose floats include every awkward bit pattern.
    fn awkward() -> RunRecord {
        let odd = [f64::NAN, -0.0, f64::MIN_POSITIVE / 3.0, f64::INFINITY, -1.5e300, 0.1 + 0.2];
        let samples = (0..4)
            .map(|i| Sample::from_values(i as f64 * 0.5, std::array::from_fn(|m| odd[(i + m) % odd.len()] * 1.0)))
            .collect();
        RunRecord {
            scenario: "wt@parkin_per_day=4+hypoxia=2".into(),
            replicate: 7,
            seed: u64::MAX,
            samples,
            biopsy: vec![BiopsyRow::from_values(3, std::array::from_fn(|m| odd[m % odd.len()]))],
            bmus_started: 1,
            bmus_completed: 2,
            osteoclasts_formed: 3,
            osteoclasts_died: 4,
            wall_seconds: 0.25,
        }
    }

    #[test]
    fn a_run_round_trips_bit_for_bit() {
        let run = awkward();
        let bytes = encode("0123456789abcdef", 42, &run);
        let back = decode(&bytes, "0123456789abcdef", 42).expect("decodes");
        assert_eq!(encode("0123456789abcdef", 42, &back), bytes);
        let bits = |r: &RunRecord| -> Vec<u64> {
            r.samples.iter().flat_map(|s| std::iter::once(s.day).chain(s.values())).map(f64::to_bits).collect()
        };
        assert_eq!(bits(&back), bits(&run));
        assert_eq!((back.scenario.as_str(), back.replicate, back.seed), ("wt@parkin_per_day=4+hypoxia=2", 7, u64::MAX));
        assert_eq!(back.biopsy[0].values().map(f64::to_bits), run.biopsy[0].values().map(f64::to_bits));
        assert_eq!(back.wall_seconds, 0.25);
    }

    #[test]
    fn damaged_truncated_and_foreign_files_are_refused() {
        let bytes = encode("aaaa", 3, &awkward());
        assert!(decode(&bytes, "bbbb", 3).expect_err("other config").contains("another config"));
        assert!(decode(&bytes, "aaaa", 4).expect_err("other unit").contains("unit 3"));
        for cut in [0, 5, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut], "aaaa", 3).is_err(), "truncated at {cut}");
        }
        for at in [9, 30, bytes.len() / 2, bytes.len() - 3] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x10;
            assert!(decode(&flipped, "aaaa", 3).is_err(), "a flipped bit at {at}");
        }
        assert!(decode(b"timeseries", "aaaa", 3).expect_err("text").contains("not a bmu-sim unit"));
    }

    #[test]
    fn counts_beyond_the_file_are_refused_without_allocating() {
        let mut b = MAGIC.to_vec();
        for n in [METRICS.len() as u32, BIOPSY.len() as u32] {
            b.extend_from_slice(&n.to_le_bytes());
        }
        put_str(&mut b, "h");
        b.extend_from_slice(&0u64.to_le_bytes());
        put_str(&mut b, "s");
        b.extend_from_slice(&[0; 4 + 5 * 8 + 8]);
        b.extend_from_slice(&u64::MAX.to_le_bytes());
        let sum = fnv1a64(&b);
        b.extend_from_slice(&sum.to_le_bytes());
        assert_eq!(decode(&b, "h", 0).expect_err("huge count"), "ends early");
    }
}
