//! Facet counts by number rather than by name.
//!
//! tantivy's `FacetCollector`, at every search and for every segment and
//! facet field, walks the facet dictionary to map ordinals, reads each
//! matching document's ordinals from a multi-valued column, then looks every
//! counted value up in the dictionary again and merges the segments in a map
//! keyed by facet strings: about an eighth of a broad search's time. Segments
//! never change once written, so here each one is read once, when the index
//! first meets it: every document's facet values become small integers (ids
//! of labels interned across segments and fields). A search then counts into
//! a `Vec` by id, adds the segments' vectors, and names only the values it
//! counted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyError};

use crate::results::{FacetCount, Facets};

/// The facet fields, in the order of their slots in [`Facets`].
const FIELDS: [&str; 4] = ["track_facet", "type_facet", "kind_facet", "speaker_facet"];

/// One segment's facet values: document `d` has the label ids
/// `ids[starts[d]..starts[d + 1]]` (each once, whatever the field).
#[derive(Debug)]
struct SegmentFacets {
    segment: SegmentId,
    starts: Vec<u32>,
    ids: Vec<u32>,
}

/// Labels seen in any segment (field slot and value), and the segments read.
#[derive(Debug, Default)]
struct Tables {
    labels: Vec<(usize, String)>,
    ids: HashMap<(usize, String), u32>,
    segments: HashMap<SegmentId, Arc<SegmentFacets>>,
}

impl Tables {
    fn intern(&mut self, slot: usize, name: String) -> tantivy::Result<u32> {
        let key = (slot, name);
        if let Some(&id) = self.ids.get(&key) {
            return Ok(id);
        }
        let id = u32::try_from(self.labels.len())
            .map_err(|_| TantivyError::InternalError("more than 2^32 facet values".into()))?;
        self.labels.push(key.clone());
        self.ids.insert(key, id);
        Ok(id)
    }

    /// Reads `reader`'s facet columns into a table of label ids per document.
    fn read_segment(&mut self, reader: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let max_doc = reader.max_doc() as usize;
        let mut columns = Vec::with_capacity(FIELDS.len());
        for (slot, name) in FIELDS.iter().enumerate() {
            // A segment written before any document had the field has no column.
            let Some(column) = reader.fast_fields().str(name)? else { continue };
            // Ordinal to label id, the dictionary read once.
            let mut by_ord = Vec::with_capacity(column.num_terms());
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                let facet = Facet::from_encoded(terms.key().to_vec())
                    .map_err(|e| TantivyError::InternalError(format!("facet `{name}` is not UTF-8: {e}")))?;
                by_ord.push(self.intern(slot, facet.to_path().concat())?);
            }
            columns.push((column, by_ord));
        }
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut ids: Vec<u32> = Vec::with_capacity(max_doc * FIELDS.len());
        starts.push(0);
        for doc in 0..max_doc as DocId {
            let first = ids.len();
            for (column, by_ord) in &columns {
                ids.extend(column.ords().values_for_doc(doc).filter_map(|ord| by_ord.get(ord as usize).copied()));
            }
            // A document counts once per value, even if it holds the value twice.
            ids[first..].sort_unstable();
            let mut kept = first;
            for n in first..ids.len() {
                if kept == first || ids[kept - 1] != ids[n] {
                    ids[kept] = ids[n];
                    kept += 1;
                }
            }
            ids.truncate(kept);
            starts.push(
                u32::try_from(ids.len())
                    .map_err(|_| TantivyError::InternalError("a segment with more than 2^32 facet values".into()))?,
            );
        }
        ids.shrink_to_fit();
        Ok(SegmentFacets { segment: reader.segment_id(), starts, ids })
    }
}

/// The facet tables of the index's segments, kept while the segments live.
#[derive(Debug, Default)]
pub(crate) struct FacetTables {
    tables: Mutex<Tables>,
}

impl FacetTables {
    fn lock(&self) -> MutexGuard<'_, Tables> {
        // The tables are only ever extended whole, so a panic elsewhere
        // cannot have left them half-written.
        self.tables.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A collector counting facets over `searcher`'s segments, reading the
    /// segments not seen before.
    pub(crate) fn collector(&self, searcher: &Searcher) -> tantivy::Result<FacetCounter> {
        let mut tables = self.lock();
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for reader in searcher.segment_readers() {
            let table = match tables.segments.get(&reader.segment_id()) {
                Some(table) => table.clone(),
                None => {
                    let table = Arc::new(tables.read_segment(reader)?);
                    tables.segments.insert(reader.segment_id(), table.clone());
                    table
                }
            };
            segments.push(table);
        }
        Ok(FacetCounter { segments, labels: tables.labels.len() })
    }

    /// Reads `searcher`'s new segments and forgets the ones it no longer
    /// has (merged or deleted), after a reload.
    pub(crate) fn refresh(&self, searcher: &Searcher) -> tantivy::Result<()> {
        self.collector(searcher)?;
        let live: Vec<SegmentId> = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
        self.lock().segments.retain(|id, _| live.contains(id));
        Ok(())
    }

    /// Counts by label id as facet values and counts, most frequent first
    /// (ties by value).
    pub(crate) fn facets(&self, counts: &[u32]) -> Facets {
        let tables = self.lock();
        let mut slots: [Vec<FacetCount>; 4] = Default::default();
        for (id, &count) in counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            if let Some((slot, name)) = tables.labels.get(id) {
                slots[*slot].push(FacetCount { value: name.clone(), count: u64::from(count) });
            }
        }
        drop(tables);
        for slot in &mut slots {
            slot.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        }
        let [track, session_type, kind, speaker] = slots;
        Facets { track, session_type, kind, speaker }
    }
}

/// Counts the matching documents per facet value, by label id.
pub(crate) struct FacetCounter {
    segments: Vec<Arc<SegmentFacets>>,
    labels: usize,
}

impl Collector for FacetCounter {
    type Fruit = Vec<u32>;
    type Child = SegmentCounter;

    fn for_segment(&self, ordinal: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentCounter> {
        match self.segments.get(ordinal as usize) {
            Some(table) if table.segment == reader.segment_id() => {
                Ok(SegmentCounter { table: table.clone(), counts: vec![0; self.labels] })
            }
            _ => Err(TantivyError::InternalError(format!("no facet table for segment {ordinal}"))),
        }
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u32>>) -> tantivy::Result<Vec<u32>> {
        let mut total = vec![0u32; self.labels];
        for counts in fruits {
            for (sum, count) in total.iter_mut().zip(counts) {
                *sum += count;
            }
        }
        Ok(total)
    }
}

/// [`FacetCounter`] on one segment.
pub(crate) struct SegmentCounter {
    table: Arc<SegmentFacets>,
    counts: Vec<u32>,
}

impl SegmentCounter {
    #[inline]
    fn count(&mut self, doc: DocId) {
        let doc = doc as usize;
        let (Some(&start), Some(&end)) = (self.table.starts.get(doc), self.table.starts.get(doc + 1)) else {
            return;
        };
        for &id in self.table.ids.get(start as usize..end as usize).unwrap_or_default() {
            if let Some(count) = self.counts.get_mut(id as usize) {
                *count += 1;
            }
        }
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.count(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.count(doc);
        }
    }

    fn harvest(self) -> Vec<u32> {
        self.counts
    }
}
