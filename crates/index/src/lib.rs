//! Full-text search over sessions, timed transcript segments and findings.
//!
//! An embedded [tantivy](https://docs.rs/tantivy) index, nothing to install or
//! run beside rapporteur. Each session contributes a *session* document
//! (title, type, tracks, room, date, speakers), one *segment* document per
//! transcript segment (speaker, text, start and end) and one *finding*
//! document per takeaway, recommendation, ... (kind, text, quote, speaker,
//! times).
//!
//! * Queries: words (all must match by default), `"phrases"`, `AND`/`OR`/`NOT`,
//!   `field:value` on `title`, `text`, `quote`, `speaker`, `track`, `type`,
//!   `kind`, `room`, `date`, `source`, and ranges on `start`/`end` (ms).
//! * [`Filters`] restrict to a track, kind, speaker, session, type or document kind.
//! * Every search returns facet counts (track, type, kind, speaker) over all
//!   matches, and highlighted snippets with the segment's time.
//! * Updates are per session: [`SearchIndex::replace_transcript`] and
//!   [`SearchIndex::replace_findings`] delete the session's old documents and
//!   add the new ones in one commit, without a rebuild.
//! * Equal scores come back in an order fixed by the documents themselves
//!   (session, then position), not by the order they were indexed in.
//!
//! ```
//! use rapporteur_core::{Segment, Session, Source, Time, Timing, Transcript};
//! use rapporteur_index::{Filters, SearchIndex, SearchRequest};
//!
//! let index = SearchIndex::in_memory().unwrap();
//! let mut session = Session::new("ws-42");
//! session.title = Some("Data governance for development".into());
//! session.tracks = vec!["Data".into()];
//! let mut transcript = Transcript::new(session);
//! transcript.segments.push(Segment::new(
//!     Time::from_millis(61_000),
//!     Time::from_millis(65_500),
//!     Some("ANA SILVA".into()),
//!     "Meaningful connectivity needs local content and local languages.",
//!     Source::Caption,
//!     Timing::Exact,
//! ));
//! index.replace_transcript(&transcript).unwrap();
//! index.commit().unwrap();
//!
//! let filters = Filters { track: Some("data".into()), ..Filters::default() };
//! let results = index.search(&SearchRequest::new("\"local content\"").with_filters(filters)).unwrap();
//! assert_eq!(results.total, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.start, Some(Time::from_millis(61_000)));
//! // Every occurrence of a query word is marked.
//! assert_eq!(hit.snippet.marked("[", "]"), "Meaningful connectivity needs [local] [content] and [local] languages.");
//! assert_eq!(results.facets.track[0].value, "Data");
//! ```
#![deny(missing_docs)]

mod documents;
mod error;
mod facets;
mod index;
mod input;
mod merge;
mod request;
mod results;
mod schema;

pub use documents::DocKind;
pub use error::IndexError;
pub use index::SearchIndex;
pub use input::{read_json_file, read_json_str, FindingInput, FindingsInput, IndexInput};
pub use merge::merge_indexes;
pub use request::{Filters, SearchRequest, MAX_LIMIT};
pub use results::{escape_into, FacetCount, Facets, Hit, SearchResults, Snippet};

#[cfg(test)]
mod tests;
