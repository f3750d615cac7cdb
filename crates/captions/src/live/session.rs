//! A live session: chunks of every language in, events out.

use std::collections::BTreeMap;

use rapporteur_core::Time;

use super::assembler::Assembler;
use super::chunk::{Chunk, Event};
use super::sequencer::{Sequencer, Step};
use super::{LiveConfig, SeqScope};

/// Everything a live session's caption feed needs: `seq` ordering (one
/// counter for the session, or one per language, see [`SeqScope`]) and one
/// [`Assembler`] per language.
///
/// Made for a server: [`push`](Self::push) a chunk per POST, answer Zoom's
/// `GET .../seq` with [`last_seq`](Self::last_seq), call
/// [`tick`](Self::tick) now and then (every few hundred milliseconds) so that
/// pauses and gaps are noticed when no chunk arrives, and
/// [`finish`](Self::finish) when the session ends. Each call returns the
/// events it caused, in order. Language tags are used as given (the caller
/// validates them); an empty one is read as `und`.
#[derive(Debug, Clone)]
pub struct LiveSession {
    config: LiveConfig,
    /// Keyed by language, or by `""` when the whole session shares a counter.
    sequencers: BTreeMap<String, Sequencer>,
    assemblers: BTreeMap<String, Assembler>,
    now: Time,
}

impl Default for LiveSession {
    fn default() -> Self {
        LiveSession::new(LiveConfig::default())
    }
}

impl LiveSession {
    /// A session with no chunk yet.
    pub fn new(config: LiveConfig) -> Self {
        LiveSession { config, sequencers: BTreeMap::new(), assemblers: BTreeMap::new(), now: Time::ZERO }
    }

    /// The settings in use.
    pub fn config(&self) -> &LiveConfig {
        &self.config
    }

    /// Takes one chunk: a retry is ignored, a numbered chunk ahead of a
    /// missing one is held, everything else is applied.
    pub fn push(&mut self, mut chunk: Chunk) -> Vec<Event> {
        chunk.lang = chunk.lang_or_und().to_string();
        self.now = self.now.max(chunk.arrival);
        let mut events = Vec::new();
        match chunk.seq {
            None => {
                let arrival = chunk.arrival;
                let events_of_chunk = self.assembler(&chunk.lang).apply(&chunk.text, arrival);
                events.extend(events_of_chunk);
            }
            Some(seq) => {
                let mut steps = Vec::new();
                self.sequencer(&chunk.lang).push(seq, chunk, &mut steps);
                self.run(steps, &mut events);
            }
        }
        self.advance(&mut events);
        events
    }

    /// Time has passed (`now` on the session's timeline): ends paused
    /// segments and gives up gaps waited for long enough.
    pub fn tick(&mut self, now: Time) -> Vec<Event> {
        self.now = self.now.max(now);
        let mut events = Vec::new();
        self.advance(&mut events);
        events
    }

    /// The feed is over: applies every held chunk and emits every pending segment.
    pub fn finish(&mut self) -> Vec<Event> {
        let mut steps = Vec::new();
        for sequencer in self.sequencers.values_mut() {
            sequencer.finish(&mut steps);
        }
        let mut events = Vec::new();
        self.run(steps, &mut events);
        for assembler in self.assemblers.values_mut() {
            events.extend(assembler.finish());
        }
        events
    }

    /// The highest `seq` received, in any language: what Zoom's
    /// `GET .../closedcaption/seq` answers so that a captioning tool can go on
    /// numbering after a reconnect.
    pub fn last_seq(&self) -> Option<u64> {
        self.sequencers.values().filter_map(Sequencer::last_seq).max()
    }

    /// The highest `seq` received for `lang` (with [`SeqScope::Session`], the
    /// same as [`last_seq`](Self::last_seq)).
    pub fn last_seq_in(&self, lang: &str) -> Option<u64> {
        self.sequencers.get(self.sequencer_key(lang))?.last_seq()
    }

    /// The languages seen so far.
    pub fn languages(&self) -> impl Iterator<Item = &str> + '_ {
        self.assemblers.keys().map(String::as_str)
    }

    /// The assembler of `lang`, once a chunk of it has been applied.
    pub fn assembler_for(&self, lang: &str) -> Option<&Assembler> {
        self.assemblers.get(lang)
    }

    fn sequencer_key<'a>(&self, lang: &'a str) -> &'a str {
        match self.config.seq_scope {
            SeqScope::Session => "",
            SeqScope::Language => lang,
        }
    }

    fn sequencer(&mut self, lang: &str) -> &mut Sequencer {
        let key = self.sequencer_key(lang).to_string();
        let config = &self.config;
        self.sequencers.entry(key).or_insert_with(|| Sequencer::new(config))
    }

    fn assembler(&mut self, lang: &str) -> &mut Assembler {
        let config = &self.config;
        self.assemblers.entry(lang.to_string()).or_insert_with(|| Assembler::new(lang, config))
    }

    /// Releases what waited long enough, then ends segments paused long enough.
    fn advance(&mut self, events: &mut Vec<Event>) {
        let mut steps = Vec::new();
        for sequencer in self.sequencers.values_mut() {
            sequencer.tick(self.now, &mut steps);
        }
        self.run(steps, events);
        for assembler in self.assemblers.values_mut() {
            events.extend(assembler.tick(self.now));
        }
    }

    fn run(&mut self, steps: Vec<Step>, events: &mut Vec<Event>) {
        for step in steps {
            match step {
                Step::Apply(chunk) => {
                    let applied = self.assembler(&chunk.lang).apply(&chunk.text, chunk.arrival);
                    events.extend(applied);
                }
                Step::Warn { lang, message } => events.push(Event::warning(lang.as_deref(), message)),
            }
        }
    }
}
