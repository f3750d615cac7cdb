//! `--shard K/N`: a deterministic share of the sessions for one machine.

use std::fmt;
use std::str::FromStr;

use crate::PipelineError;

/// Shard `k` of `n` (1-based). A session belongs to the shard given by a hash
/// of its id, so adding a session never moves the others between shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 1..=n.
    pub k: u32,
    /// The number of shards.
    pub n: u32,
}

impl Shard {
    /// The whole meeting.
    pub const ALL: Shard = Shard { k: 1, n: 1 };

    /// Whether the session `id` is in this shard.
    pub fn contains(&self, id: &str) -> bool {
        let hash = blake3::hash(id.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash.as_bytes()[..8]);
        (u64::from_le_bytes(first) % u64::from(self.n)) as u32 == self.k - 1
    }
}

impl FromStr for Shard {
    type Err = PipelineError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || PipelineError::Shard(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_session_is_in_exactly_one_shard() {
        for n in 1..6 {
            for i in 0..200 {
                let id = format!("ws-{i}");
                let count = (1..=n).filter(|&k| Shard { k, n }.contains(&id)).count();
                assert_eq!(count, 1, "{id} in {count} of {n} shards");
            }
        }
    }

    #[test]
    fn parses() {
        assert_eq!("2/4".parse::<Shard>().unwrap(), Shard { k: 2, n: 4 });
        for bad in ["0/4", "5/4", "1/0", "x", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
