//! The live caption feeds a session takes (Zoom, StreamText, YouTube-style)
//! and the `seq` numbers each has received: every tool numbers its own posts,
//! so each feed keeps its own set (a Zoom retry is recognised by Zoom's
//! numbers only, and `GET .../zoom/seq` answers Zoom's last).

use serde::{Deserialize, Serialize};

/// A live caption feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Feed {
    /// Zoom's third-party captioning API.
    Zoom,
    /// StreamText push.
    #[serde(rename = "streamtext")]
    StreamText,
    /// YouTube-style `time\ntext` bodies.
    #[serde(rename = "youtube")]
    YouTube,
}

impl Feed {
    /// The name in URLs (`/ingest/ID/NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Feed::Zoom => "zoom",
            Feed::StreamText => "streamtext",
            Feed::YouTube => "youtube",
        }
    }

    /// The feed named `name` in a URL.
    pub fn from_name(name: &str) -> Option<Feed> {
        match name {
            "zoom" => Some(Feed::Zoom),
            "streamtext" => Some(Feed::StreamText),
            "youtube" => Some(Feed::YouTube),
            _ => None,
        }
    }

    /// What a chunk record names when it names nothing: journals written
    /// before feeds had their own numbers kept Zoom's and StreamText's together.
    pub fn zoom() -> Feed {
        Feed::Zoom
    }

    /// Whether the value is Zoom (the default, left out of journal lines).
    pub fn is_zoom(feed: &Feed) -> bool {
        *feed == Feed::Zoom
    }
}

/// The set of `seq` numbers a feed has received (shared with the live
/// caption sequencer).
pub use rapporteur_captions::live::SeqSet;
