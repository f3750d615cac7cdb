//! The index's fields: their names are also the query syntax (`speaker:silva`).

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::Index;

/// Tokenizer for exact-match labels (tracks, kinds, rooms): the whole value,
/// lower-cased, so `track:data` and `--track Data` find `Data`.
pub(crate) const LABEL_TOKENIZER: &str = "label";
/// Tokenizer for running text: words, lower-cased, English stems, so that
/// `governments` finds `government`.
const TEXT_TOKENIZER: &str = "en_stem";
/// Tokenizer for names: words, lower-cased, no stemming.
const NAME_TOKENIZER: &str = "default";

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `session`, `segment` or `finding`.
    pub doc: Field,
    /// The session id, exactly.
    pub session: Field,
    /// What a replacement deletes: `t/ID` for a transcript's docs, `f/ID` for findings.
    pub key: Field,
    pub title: Field,
    /// The session's title, stored on segments and findings to show with hits.
    pub session_title: Field,
    pub session_type: Field,
    pub track: Field,
    pub room: Field,
    pub date: Field,
    pub time: Field,
    pub speaker: Field,
    pub speaker_key: Field,
    pub text: Field,
    pub quote: Field,
    pub start: Field,
    pub end: Field,
    pub kind: Field,
    pub source: Field,
    pub rule: Field,
    pub score: Field,
    /// Tie-break for equal scores, the same whatever the indexing order.
    pub order: Field,
    pub track_facet: Field,
    pub type_facet: Field,
    pub kind_facet: Field,
    pub speaker_facet: Field,
}

/// Name of the u64 fast field used to break score ties.
pub(crate) const ORDER_FIELD: &str = "order";

fn text_options(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

fn label_options(stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(LABEL_TOKENIZER).set_index_option(IndexRecordOption::Basic),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema and returns it with the field handles.
pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let time_options = NumericOptions::default().set_indexed().set_stored().set_fast();
    let fields = Fields {
        doc: b.add_text_field("doc", label_options(true)),
        session: b.add_text_field("session", STRING | STORED),
        key: b.add_text_field("key", STRING),
        title: b.add_text_field("title", text_options(TEXT_TOKENIZER)),
        session_title: b.add_text_field("session_title", STORED),
        session_type: b.add_text_field("type", label_options(true)),
        track: b.add_text_field("track", label_options(true)),
        room: b.add_text_field("room", label_options(true)),
        date: b.add_text_field("date", label_options(true)),
        time: b.add_text_field("time", STORED),
        speaker: b.add_text_field("speaker", text_options(NAME_TOKENIZER)),
        speaker_key: b.add_text_field("speaker_key", label_options(false)),
        text: b.add_text_field("text", text_options(TEXT_TOKENIZER)),
        quote: b.add_text_field("quote", text_options(TEXT_TOKENIZER)),
        start: b.add_u64_field("start", time_options.clone()),
        end: b.add_u64_field("end", time_options),
        kind: b.add_text_field("kind", label_options(true)),
        source: b.add_text_field("source", label_options(true)),
        rule: b.add_text_field("rule", STORED),
        score: b.add_f64_field("score", STORED),
        order: b.add_u64_field(ORDER_FIELD, NumericOptions::default().set_fast()),
        track_facet: b.add_facet_field("track_facet", FacetOptions::default()),
        type_facet: b.add_facet_field("type_facet", FacetOptions::default()),
        kind_facet: b.add_facet_field("kind_facet", FacetOptions::default()),
        speaker_facet: b.add_facet_field("speaker_facet", FacetOptions::default()),
    };
    (b.build(), fields)
}

/// Registers the tokenizers the schema names (tantivy does not store them).
pub(crate) fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(LABEL_TOKENIZER, TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build());
}

/// A label as the `label` tokenizer indexes it, for term queries.
pub(crate) fn label_term_text(value: &str) -> String {
    value.trim().to_lowercase()
}
