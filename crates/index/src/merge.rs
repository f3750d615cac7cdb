//! Merging whole indexes: the shards of a meeting, indexed on several
//! machines, into one index (`rapporteur merge`).

use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::Index;

use crate::{IndexError, SearchIndex};

/// Merges the indexes in `sources` into a new index at `target` (an empty or
/// missing folder) and returns its document count. The documents are copied
/// segment by segment, nothing is re-analysed, so this costs about as much as
/// copying the files. Every source must have been built by this version
/// (same schema); sources without documents are left out.
pub fn merge_indexes(sources: &[&Path], target: &Path) -> Result<u64, IndexError> {
    let mut indexes = Vec::new();
    let mut docs = 0u64;
    for path in sources {
        // Opening through SearchIndex checks the schema against this version's.
        let source = SearchIndex::open(path)?;
        docs += source.num_docs();
        if source.num_docs() > 0 {
            indexes.push(Index::open_in_dir(path).map_err(IndexError::engine("opening an index to merge"))?);
        }
    }
    std::fs::create_dir_all(target).map_err(|source| IndexError::Io { path: target.into(), source })?;
    if indexes.is_empty() {
        // Nothing to copy: an empty index of the current schema.
        SearchIndex::open_or_create(target)?.finish()?;
        return Ok(0);
    }
    let directory = MmapDirectory::open(target)
        .map_err(|e| IndexError::Io { path: target.into(), source: std::io::Error::other(e.to_string()) })?;
    tantivy::indexer::merge_indices(&indexes, directory).map_err(IndexError::engine("merging indexes"))?;
    Ok(docs)
}
