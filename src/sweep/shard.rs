//! `--shard i/k`: a deterministic 1/k of a sweep's grid for one machine of many.
//!
//! Shard `i` takes the contiguous block of runs `[i·N/k, (i+1)·N/k)`, not every k-th run:
//! then the shards' CSV files, concatenated in shard order (the header once), are byte
//! for byte the single-machine file, because that file lists runs in grid order. The
//! price is balance: with parameters whose runs differ in cost (batch size, network
//! size), blocks differ in cost too; seeds vary fastest, so each block mixes seeds.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// Most shards a sweep may be split into.
pub const MAX_SHARDS: usize = 100_000;

/// Shard `index` of `count` (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, `0..count`.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl Shard {
    /// The whole grid.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// The runs of this shard in a grid of `runs` runs.
    pub fn range(self, runs: usize) -> Range<usize> {
        let at = |i: usize| (i as u128 * runs as u128 / self.count.max(1) as u128) as usize;
        at(self.index)..at(self.index + 1)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A `--shard` argument that is not `i/k` with `0 ≤ i < k ≤ MAX_SHARDS`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard `{0}` must be i/k with 0 ≤ i < k ≤ {MAX_SHARDS} (e.g. 0/4 … 3/4)")]
pub struct ShardError(String);

impl FromStr for Shard {
    type Err = ShardError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ShardError(s.to_string());
        let (i, k) = s.split_once('/').ok_or_else(err)?;
        let index: usize = i.trim().parse().map_err(|_| err())?;
        let count: usize = k.trim().parse().map_err(|_| err())?;
        if count == 0 || count > MAX_SHARDS || index >= count {
            return Err(err());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_grid_in_order() {
        for runs in [0, 1, 2, 7, 24, 1000] {
            for count in 1..=9 {
                let mut next = 0;
                for index in 0..count {
                    let r = Shard { index, count }.range(runs);
                    assert_eq!(r.start, next, "{runs} runs, {index}/{count}");
                    assert!(r.len() <= runs.div_ceil(count));
                    next = r.end;
                }
                assert_eq!(next, runs);
            }
        }
    }

    #[test]
    fn parses_i_of_k() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["3/3", "1", "a/2", "0/0", "-1/2", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
