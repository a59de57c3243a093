//! A cell's mitochondria as a histogram of health while the exact process runs, with the sums
//! its rates read kept as it changes, and the picks that choose which mitochondria an event moves.
//!
//! Eligible for fusion are the levels `lo..=H` (h > θfus and untagged; tagged levels are
//! `0..=θdep`, so the eligible ones are one upper range). With e_h = n_h on eligible levels and
//! 0 elsewhere, E = Σ e_h, the pairs whose meeting changes the histogram number
//! ```text
//! U = Σ_{a < b, b − a ≥ 2} e_a · e_b,   and adding d = ±1 at level h changes it by
//! ΔU = d · (E − e_(h−1) − e_h − e_(h+1))   (counts before the change)
//! ```
//! since the added or removed mitochondrion pairs with every eligible one two or more levels
//! away; from scratch, U = (E² − Σ e_h² − 2 Σ e_h e_(h+1)) / 2. Every sum is an integer, so nothing drifts however many events a cell sees.

use super::LEVELS;
use crate::model::Mitochondria;

/// The histogram and its running sums: N, the health deficit Σ (H − h) n_h, N − n_0, E, U and
/// the tagged count.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Levels {
    pub n: [u32; LEVELS],
    /// e_(h−1): the eligible count of each level, one place up, with empty levels on either side.
    e: [i64; LEVELS + 2],
    pub total: i64,
    pub deficit: i64,
    pub damageable: i64,
    pub eligible: i64,
    pub unequal_pairs: i64,
    pub tagged: i64,
}

/// Which levels are eligible for fusion and which carry the PINK1 tag.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bands {
    pub top: usize,
    /// The lowest eligible level (`top + 1` if none is).
    pub lo: usize,
    /// One past the highest tagged level (0 if none is).
    pub tagged_end: usize,
}

impl Bands {
    /// How many levels lie below the eligible ones: `0..lo`, within `0..=H`.
    pub fn below_pool(&self) -> usize {
        self.lo.min(self.top + 1)
    }
}

impl Levels {
    #[cfg(test)]
    pub fn of(mito: &Mitochondria, bands: Bands) -> Levels {
        Levels::from_histogram(histogram(mito, bands.top), bands)
    }

    pub fn from_histogram(n: [u32; LEVELS], bands: Bands) -> Levels {
        let top = bands.top;
        let e = |h: usize| if (bands.lo..=top).contains(&h) { i64::from(n[h]) } else { 0 };
        let mut cell = Levels {
            n,
            e: [0; LEVELS + 2],
            total: 0,
            deficit: 0,
            damageable: 0,
            eligible: 0,
            unequal_pairs: 0,
            tagged: 0,
        };
        let (mut squares, mut neighbours) = (0, 0);
        for (h, &c) in n.iter().enumerate().take(top + 1) {
            let c = i64::from(c);
            cell.total += c;
            cell.deficit += c * (top - h) as i64;
            cell.tagged += if h < bands.tagged_end { c } else { 0 };
            cell.eligible += e(h);
            cell.e[h + 1] = e(h);
            squares += e(h) * e(h);
            neighbours += e(h) * e(h + 1);
        }
        cell.damageable = cell.total - i64::from(n[0]);
        cell.unequal_pairs = (cell.eligible * cell.eligible - squares - 2 * neighbours) / 2;
        cell
    }

    /// Add `d` (±1) mitochondria at level `h`.
    #[inline(always)]
    pub fn change(&mut self, h: usize, d: i64, bands: Bands) {
        if h >= bands.lo {
            self.shift_eligible(h, d);
        } else if h < bands.tagged_end {
            self.tagged += d;
        }
        self.total += d;
        self.deficit += d * (bands.top - h) as i64;
        if h > 0 {
            self.damageable += d;
        }
        self.n[h] = (i64::from(self.n[h]) + d) as u32;
    }

    /// Move one eligible mitochondrion from `from` to `to` (both eligible): N, E and the tagged
    /// count unchanged.
    #[inline(always)]
    pub fn move_eligible(&mut self, from: usize, to: usize) {
        self.shift_eligible(from, -1);
        self.shift_eligible(to, 1);
        self.deficit += from as i64 - to as i64;
        self.n[from] -= 1;
        self.n[to] += 1;
    }

    #[inline(always)]
    fn shift_eligible(&mut self, h: usize, d: i64) {
        let (below, at, above) = (self.e[h], self.e[h + 1], self.e[h + 2]);
        self.unequal_pairs += d * (self.eligible - below - at - above);
        self.eligible += d;
        self.e[h + 1] = at + d;
    }

    /// Fusion run to its end: the eligible mitochondria share their health evenly. With E of them
    /// holding S levels in all, E − r sit at q = ⌊S/E⌋ and r = S mod E at q + 1, the one state
    /// with no unequal pair that keeps E and S (and so N, the deficit and the tagged count).
    #[inline(always)]
    pub fn equalize(&mut self, bands: Bands) {
        if self.unequal_pairs == 0 {
            return;
        }
        let (mut health, mut count) = (0, 0);
        for h in bands.lo..=bands.top {
            health += i64::from(self.n[h]) * h as i64;
            count += i64::from(self.n[h]);
            self.n[h] = 0;
            self.e[h + 1] = 0;
        }
        let (q, r) = ((health / count) as usize, health % count);
        self.n[q] = (count - r) as u32;
        self.e[q + 1] = count - r;
        if r > 0 {
            self.n[q + 1] = r as u32;
            self.e[q + 2] = r;
        }
        self.unequal_pairs = 0;
    }

    /// The level of the `k`-th damageable mitochondrion (h ≥ 1), counting from the top.
    #[inline]
    pub fn damageable_at(&self, mut k: u64, top: usize) -> usize {
        for h in (2..=top).rev() {
            let c = u64::from(self.n[h]);
            if k < c {
                return h;
            }
            k -= c;
        }
        1
    }

    /// The `k`-th of the U unequal pairs (a, b), in the order of a, then of the upper partner
    /// b ≥ a + 2 among the eligible.
    pub fn unequal_pair_at(&self, mut k: u64, bands: Bands) -> (usize, usize) {
        let e = |h: usize| self.e[h + 1] as u64;
        let mut below_two = e(bands.lo) + e(bands.lo + 1);
        let mut a = bands.lo;
        while a + 2 <= bands.top {
            let above = self.eligible as u64 - below_two;
            let weight = e(a) * above;
            if k < weight {
                // Within a's block the upper partner is uniform among the `above` others.
                let mut j = k / e(a);
                for b in a + 2..=bands.top {
                    if j < e(b) {
                        return (a, b);
                    }
                    j -= e(b);
                }
                break;
            }
            k -= weight;
            below_two += e(a + 2);
            a += 1;
        }
        unreachable_pair(bands)
    }
}

/// The level of the `k`-th tagged mitochondrion of the counts `n` (the last tagged level if
/// rounding runs past them).
#[inline(always)]
pub(super) fn tagged_at(n: &[u32], mut k: u64, bands: Bands) -> usize {
    let last = bands.tagged_end.saturating_sub(1);
    for (h, &c) in n.iter().enumerate().take(last) {
        if k < u64::from(c) {
            return h;
        }
        k -= u64::from(c);
    }
    last
}

/// The level at position `x` of the cumulative weights `weight[h] · n_h` over the (level, count)
/// pairs `counts`, in rising levels (the last weighted level if rounding runs past the end).
#[inline(always)]
pub(super) fn weighted_at(weight: &[f64; LEVELS], counts: impl Iterator<Item = (usize, u32)>, mut x: f64) -> usize {
    let mut last = 0;
    for (h, c) in counts {
        let m = weight[h] * f64::from(c);
        if m <= 0.0 {
            continue;
        }
        if x < m {
            return h;
        }
        x -= m;
        last = h;
    }
    last
}

/// A cell's count of mitochondria at each health level `0..=top`, tags aside.
pub(super) fn histogram(mito: &Mitochondria, top: usize) -> [u32; LEVELS] {
    let mut n = [0u32; LEVELS];
    match mito {
        Mitochondria::Individual(bytes) => bytes.iter().for_each(|&b| n[Mitochondria::health(b) as usize] += 1),
        Mitochondria::Counts(bins) => (0..=top).for_each(|h| n[h] = bins[h] + bins[top + 1 + h]),
    }
    n
}

/// Write the histogram `n` back in `mito`'s representation, tags as the rule sets them.
pub(super) fn store(n: &[u32; LEVELS], mito: &mut Mitochondria, bands: Bands) {
    let top = bands.top;
    match mito {
        Mitochondria::Individual(bytes) => {
            bytes.clear();
            for (h, &c) in n.iter().enumerate().take(top + 1) {
                let tag = if h < bands.tagged_end { Mitochondria::TAG } else { 0 };
                bytes.extend(std::iter::repeat_n(h as u8 | tag, c as usize));
            }
        }
        Mitochondria::Counts(bins) => {
            for (h, &c) in n.iter().enumerate().take(top + 1) {
                (bins[h], bins[top + 1 + h]) = if h < bands.tagged_end { (0, c) } else { (c, 0) };
            }
        }
    }
}

/// Only reached if `k ≥ U`, which the caller's draw rules out; the widest pair keeps the state
/// valid rather than panicking.
#[cold]
fn unreachable_pair(bands: Bands) -> (usize, usize) {
    debug_assert!(false, "unequal pair index out of range");
    (bands.lo, bands.top)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANDS: Bands = Bands { top: 10, lo: 4, tagged_end: 4 };

    fn levels(healths: &[u8]) -> Levels {
        Levels::of(&Mitochondria::Individual(healths.to_vec()), BANDS)
    }

    #[test]
    fn running_sums_match_a_recount_after_any_changes() {
        let mut cell = levels(&[10, 10, 9, 7, 5, 4, 4, 3, 1, 0]);
        for (h, d) in [(4, -1), (8, 1), (10, -1), (2, 1), (6, 1), (0, -1), (9, -1)] {
            cell.change(h, d, BANDS);
        }
        cell.move_eligible(8, 5);
        let healths: Vec<u8> = (0..=10u8).flat_map(|h| std::iter::repeat_n(h, cell.n[h as usize] as usize)).collect();
        assert_eq!(cell, levels(&healths));
        let e: Vec<i64> = (0..=10).map(|h| if h >= 4 { i64::from(cell.n[h]) } else { 0 }).collect();
        let pairs: i64 = (0..=10).flat_map(|a| (a + 2..=10).map(move |b| (a, b))).map(|(a, b)| e[a] * e[b]).sum();
        assert_eq!(cell.unequal_pairs, pairs);
        assert_eq!(cell.tagged, (0..4).map(|h| i64::from(cell.n[h])).sum::<i64>());
    }

    #[test]
    fn equalizing_shares_the_eligible_health_and_touches_nothing_else() {
        let mut cell = levels(&[10, 10, 9, 7, 5, 4, 3, 1, 0]);
        cell.equalize(BANDS);
        // Eligible (h ≥ 4): 10 + 10 + 9 + 7 + 5 + 4 = 45 over 6, so three at 7 and three at 8.
        assert_eq!(cell, levels(&[8, 8, 8, 7, 7, 7, 3, 1, 0]));
        assert_eq!(cell.unequal_pairs, 0);
        let mut even = levels(&[6, 6, 5, 2]);
        even.equalize(BANDS);
        assert_eq!(even, levels(&[6, 6, 5, 2]), "already even: unchanged");
    }

    #[test]
    fn every_unequal_pair_is_reached_once() {
        let cell = levels(&[10, 10, 9, 7, 6, 4, 4]);
        let u = cell.unequal_pairs as u64;
        let mut seen = std::collections::BTreeMap::new();
        for k in 0..u {
            let (a, b) = cell.unequal_pair_at(k, BANDS);
            assert!(b >= a + 2, "{a}, {b}");
            *seen.entry((a, b)).or_insert(0) += 1;
        }
        let weight = |a: usize, b: usize| cell.n[a] * cell.n[b];
        assert!(seen.iter().all(|(&(a, b), &c)| c == weight(a, b)), "{seen:?}");
        assert_eq!(seen.values().sum::<u32>() as u64, u);
    }

    #[test]
    fn picks_walk_their_levels() {
        let cell = levels(&[10, 10, 7, 3, 2, 2, 0, 0]);
        let damageable: Vec<usize> = (0..6).map(|k| cell.damageable_at(k, 10)).collect();
        assert_eq!(damageable, [10, 10, 7, 3, 2, 2]);
        let tagged: Vec<usize> = (0..5).map(|k| tagged_at(&cell.n, k, BANDS)).collect();
        assert_eq!(tagged, [0, 0, 2, 2, 3]);
    }
}
