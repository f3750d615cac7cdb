//! The set of `seq` numbers already applied, stored as ranges.
//!
//! A feed is numbered 1, 2, 3, ... so the set is nearly always one range:
//! memory stays constant over a whole day of captions, where a hash set of
//! every number would grow with it.

use std::collections::BTreeMap;

/// Disjoint, non-adjacent inclusive ranges `start ..= end`, keyed by start.
#[derive(Debug, Clone, Default)]
pub(crate) struct SeqSet {
    ranges: BTreeMap<u64, u64>,
}

impl SeqSet {
    pub(crate) fn contains(&self, seq: u64) -> bool {
        self.ranges.range(..=seq).next_back().is_some_and(|(_, &end)| seq <= end)
    }

    pub(crate) fn insert(&mut self, seq: u64) {
        if self.contains(seq) {
            return;
        }
        let mut start = seq;
        let mut end = seq;
        // Join the range ending just before `seq`.
        if let Some((&s, &e)) = self.ranges.range(..seq).next_back() {
            if e.checked_add(1) == Some(seq) {
                start = s;
                self.ranges.remove(&s);
            }
        }
        // Join the range starting just after `seq`.
        if let Some(next) = seq.checked_add(1) {
            if let Some(e) = self.ranges.remove(&next) {
                end = e;
            }
        }
        self.ranges.insert(start, end);
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
}
