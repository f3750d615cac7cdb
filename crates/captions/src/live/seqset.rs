//! The set of `seq` numbers already applied, stored as ranges.
//!
//! A feed is numbered 1, 2, 3, ... so the set is nearly always one range:
//! memory stays constant over a whole day of captions, where a hash set of
//! every number would grow with it.

use std::collections::BTreeMap;

/// A set of `seq` numbers as inclusive ranges: feeds count 1, 2, 3, ... so
/// the set is nearly always one range, and memory stays flat over a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeqSet {
    ranges: BTreeMap<u64, u64>,
}

impl SeqSet {
    /// Whether `seq` is in the set.
    pub fn contains(&self, seq: u64) -> bool {
        self.ranges.range(..=seq).next_back().is_some_and(|(_, &end)| seq <= end)
    }

    /// Adds `seq`.
    pub fn insert(&mut self, seq: u64) {
        if self.contains(seq) {
            return;
        }
        let (mut start, mut end) = (seq, seq);
        if let Some((&s, &e)) = self.ranges.range(..seq).next_back() {
            if e.checked_add(1) == Some(seq) {
                start = s;
                self.ranges.remove(&s);
            }
        }
        if let Some(next) = seq.checked_add(1) {
            if let Some(e) = self.ranges.remove(&next) {
                end = e;
            }
        }
        self.ranges.insert(start, end);
    }

    /// The highest number, if any.
    pub fn max(&self) -> Option<u64> {
        self.ranges.values().next_back().copied()
    }

    /// The ranges, in order (for snapshots).
    pub fn ranges(&self) -> Vec<[u64; 2]> {
        self.ranges.iter().map(|(&s, &e)| [s, e]).collect()
    }

    /// The set of these ranges (bad ranges, end before start, are skipped).
    pub fn from_ranges(ranges: &[[u64; 2]]) -> SeqSet {
        let mut set = SeqSet::default();
        for &[start, end] in ranges {
            if start <= end {
                // Joined through `insert`'s neighbours: insert both ends, then fill.
                set.ranges.insert(start, end);
            }
        }
        set.normalise();
        set
    }

    /// Merges overlapping or adjacent ranges.
    fn normalise(&mut self) {
        let mut merged: BTreeMap<u64, u64> = BTreeMap::new();
        for (&s, &e) in &self.ranges {
            if let Some((_, last_end)) = merged.iter_mut().next_back() {
                if s <= last_end.saturating_add(1) {
                    *last_end = (*last_end).max(e);
                    continue;
                }
            }
            merged.insert(s, e);
        }
        self.ranges = merged;
    }

    #[cfg(test)]
    pub(crate) fn range_count(&self) -> usize {
        self.ranges.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_neighbours() {
        let mut set = SeqSet::default();
        for seq in [5, 7, 6, 1, 3, 2, u64::MAX, 0] {
            set.insert(seq);
        }
        assert_eq!(set.range_count(), 3);
        for seq in [0, 1, 2, 3, 5, 6, 7, u64::MAX] {
            assert!(set.contains(seq), "{seq}");
        }
        for seq in [4, 8, u64::MAX - 1] {
            assert!(!set.contains(seq), "{seq}");
        }
        set.insert(4);
        assert_eq!(set.range_count(), 2);
    }

    proptest::proptest! {
        #[test]
        fn matches_a_plain_set(seqs in proptest::collection::vec(0u64..64, 0..80)) {
            let mut set = SeqSet::default();
            let mut plain = std::collections::BTreeSet::new();
            for s in seqs {
                set.insert(s);
                plain.insert(s);
            }
            for s in 0..70 {
                proptest::prop_assert_eq!(set.contains(s), plain.contains(&s));
            }
        }
    }

    #[test]
    fn ranges_join_and_round_trip() {
        let mut set = SeqSet::default();
        for seq in [1, 2, 3, 7, 5, 6, 10] {
            set.insert(seq);
        }
        assert_eq!(set.ranges(), vec![[1, 3], [5, 7], [10, 10]]);
        assert!(set.contains(6) && !set.contains(4) && !set.contains(11));
        assert_eq!(set.max(), Some(10));
        assert_eq!(SeqSet::from_ranges(&set.ranges()), set);
        assert_eq!(SeqSet::from_ranges(&[[4, 6], [1, 3], [9, 2]]).ranges(), vec![[1, 6]]);
    }

    proptest::proptest! {
        #[test]
        fn max_and_ranges_agree_with_a_plain_set(seqs in proptest::collection::vec(0u64..60, 0..80)) {
            let mut set = SeqSet::default();
            let mut plain = std::collections::BTreeSet::new();
            for seq in seqs {
                set.insert(seq);
                plain.insert(seq);
            }
            for seq in 0..62 {
                proptest::prop_assert_eq!(set.contains(seq), plain.contains(&seq));
            }
            proptest::prop_assert_eq!(set.max(), plain.iter().next_back().copied());
            proptest::prop_assert_eq!(SeqSet::from_ranges(&set.ranges()), set);
        }
    }
}
