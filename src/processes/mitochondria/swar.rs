//! Eight mitochondria at a time: a cell's mitochondrion bytes read as little-endian `u64` words, each per-mitochondrion
//! test done for all eight bytes by plain integer arithmetic on the word (SWAR). A mitochondrion's health
//! is at most 0x7F, so the additions below never carry from one byte into the next; every
//! function gives the same answer as the byte-by-byte test it replaces (unit tests below).

/// The low seven bits (health) of every byte.
pub const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// Bit 7 (the PINK1 tag) of every byte.
pub const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;
const EVEN: u64 = 0x00FF_00FF_00FF_00FF;

/// A word from up to eight bytes; missing bytes read as `fill`.
#[inline]
pub fn load(bytes: &[u8], fill: u8) -> u64 {
    let mut b = [fill; 8];
    b[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(b)
}

/// Write the first `bytes.len()` bytes of `w` back.
#[inline]
pub fn store(bytes: &mut [u8], w: u64) {
    let n = bytes.len();
    bytes.copy_from_slice(&w.to_le_bytes()[..n]);
}

/// Bit 7 of the first `n` bytes (n ≤ 8): the bytes a short last word really holds.
#[inline]
pub fn first_bytes(n: usize) -> u64 {
    HIGH >> (64 - 8 * n)
}

/// Replace every word of `mitochondria` by `f(word, index of its first mitochondrion, its real bytes)`; the last
/// word is padded with zeros and only its real bytes are written back.
#[inline(always)]
pub fn update(bytes: &mut [u8], mut f: impl FnMut(u64, usize, u64) -> u64) {
    let mut chunks = bytes.chunks_exact_mut(8);
    let mut start = 0;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes((&*chunk).try_into().expect("eight bytes"));
        chunk.copy_from_slice(&f(w, start, HIGH).to_le_bytes());
        start += 8;
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let w = f(load(rest, 0), start, first_bytes(rest.len()));
        store(rest, w);
    }
}

/// Call `f(word)` on every word of `mitochondria` (the last one padded with zeros).
#[inline(always)]
pub fn read(bytes: &[u8], mut f: impl FnMut(u64)) {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        f(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        f(load(rest, 0));
    }
}

/// Move the mitochondria whose byte `choose(word)` marks (bit 7) to the front of `chosen`, in order,
/// and close the others up in place, in order; returns how many were chosen (`chosen` keeps
/// spare room beyond them). Eight mitochondria at a time with a parallel bit extract (BMI2's `pext`
/// where the CPU has it; the portable loop gives the same bytes).
pub fn split(bytes: &mut Vec<u8>, chosen: &mut Vec<u8>, choose: impl Fn(u64) -> u64) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") && std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has BMI2 and POPCNT, checked just above.
        return unsafe { split_bmi2(bytes, chosen, choose) };
    }
    split_with::<false>(bytes, chosen, choose)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2,popcnt")]
unsafe fn split_bmi2(bytes: &mut Vec<u8>, chosen: &mut Vec<u8>, choose: impl Fn(u64) -> u64) -> usize {
    split_with::<true>(bytes, chosen, choose)
}

#[inline(always)]
fn split_with<const PEXT: bool>(bytes: &mut Vec<u8>, chosen: &mut Vec<u8>, choose: impl Fn(u64) -> u64) -> usize {
    let n = bytes.len();
    if chosen.len() < n + 8 {
        chosen.resize(n + 8, 0);
    }
    let (mut kept, mut taken, mut start) = (0, 0, 0);
    while start < n {
        let (w, real) = if start + 8 <= n {
            (u64::from_le_bytes(bytes[start..start + 8].try_into().expect("eight bytes")), HIGH)
        } else {
            (load(&bytes[start..], 0), first_bytes(n - start))
        };
        let pick = choose(w) & real;
        let stay = !pick & real;
        let (picked, stayed) = (extract::<PEXT>(w, (pick >> 7) * 0xFF), extract::<PEXT>(w, (stay >> 7) * 0xFF));
        chosen[taken..taken + 8].copy_from_slice(&picked.to_le_bytes());
        // kept ≤ start, so these bytes end within the word just read.
        if kept + 8 <= n {
            bytes[kept..kept + 8].copy_from_slice(&stayed.to_le_bytes());
        } else {
            store(&mut bytes[kept..], stayed);
        }
        taken += pick.count_ones() as usize;
        kept += stay.count_ones() as usize;
        start += 8;
    }
    bytes.truncate(kept);
    taken
}

/// The bytes of `w` under the 0xFF bytes of `mask`, packed to the low end in order.
#[inline(always)]
fn extract<const PEXT: bool>(w: u64, mask: u64) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if PEXT {
        // SAFETY: only instantiated with PEXT inside `split_bmi2`, which requires BMI2.
        return unsafe { std::arch::x86_64::_pext_u64(w, mask) };
    }
    let (mut out, mut shift, mut m) = (0, 0, mask);
    while m != 0 {
        let byte = m.trailing_zeros();
        out |= ((w >> byte) & 0xFF) << shift;
        shift += 8;
        m &= !(0xFF << byte);
    }
    out
}

/// Bit 7 of each byte whose health (low seven bits) is above `level`.
#[inline]
pub fn health_above(w: u64, level: u8) -> u64 {
    ((w & LOW7) + ONES * u64::from(0x7F - level.min(0x7F))) & HIGH
}

/// Pairwise byte sums in four 16-bit lanes.
#[inline]
pub fn lane_sums(w: u64) -> u64 {
    (w & EVEN) + ((w >> 8) & EVEN)
}

/// The total of four 16-bit lanes.
#[inline]
pub fn total_of_lanes(w: u64) -> u64 {
    (w & 0xFFFF) + ((w >> 16) & 0xFFFF) + ((w >> 32) & 0xFFFF) + (w >> 48)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(w: u64) -> [u8; 8] {
        w.to_le_bytes()
    }

    #[test]
    fn word_tests_match_byte_tests() {
        // Every byte value against a spread of levels and thresholds, eight at a time.
        for base in (0..=255u16).step_by(8) {
            let w = u64::from_le_bytes(std::array::from_fn(|j| (base + j as u16) as u8));
            for level in [0u8, 3, 10, 62, 63] {
                let above = bytes(health_above(w, level));
                for (j, &u) in bytes(w).iter().enumerate() {
                    assert_eq!(above[j] == 0x80, (u & 0x7F) > level, "{u} > {level}");
                    assert!(above[j] == 0 || above[j] == 0x80);
                }
            }
        }
    }

    #[test]
    fn splitting_keeps_both_parts_in_order() {
        for n in [0, 5, 8, 13, 64] {
            let bytes: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
            let choose = |w: u64| health_above(w, 40) & !w;
            let (mut kept, mut chosen) = (bytes.clone(), Vec::new());
            let taken = split(&mut kept, &mut chosen, choose);
            chosen.truncate(taken);
            let want: (Vec<u8>, Vec<u8>) = bytes.iter().partition(|&&u| u < 0x80 && u > 40);
            assert_eq!((chosen.clone(), kept.clone()), want, "n {n}");
            let (mut kept2, mut chosen2) = (bytes.clone(), Vec::new());
            let taken = split_with::<false>(&mut kept2, &mut chosen2, choose);
            chosen2.truncate(taken);
            assert_eq!((chosen2, kept2), (chosen, kept), "portable and BMI2 paths agree");
        }
        let w = u64::from_le_bytes([1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(total_of_lanes(lane_sums(w)), 36);
        assert_eq!(load(&[9, 9], 1), u64::from_le_bytes([9, 9, 1, 1, 1, 1, 1, 1]));
        assert_eq!(first_bytes(2), 0x8080);
    }
}
