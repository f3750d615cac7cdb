//! The chunker on synthetic recordings: "speech" is noise modulated at a
//! syllable rate, pauses are faint noise, so the expected cuts are known.

use super::*;

const SR: usize = 16_000;

/// A deterministic pseudo-random generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

/// Builds a recording from (is_speech, seconds) parts over a noise floor.
fn recording(parts: &[(bool, f32)], floor: f32) -> Vec<f32> {
    let mut rng = Lcg(7);
    let mut out = Vec::new();
    for &(speech, secs) in parts {
        let n = (secs * SR as f32) as usize;
        for i in 0..n {
            let t = i as f32 / SR as f32;
            let syllables = 0.55 + 0.45 * (2.0 * std::f32::consts::PI * 4.0 * t).sin();
            let amp = if speech { 0.3 * syllables } else { 0.0 };
            out.push(rng.next() * (amp + floor));
        }
    }
    out
}

fn spans(chunks: &[Chunk]) -> Vec<(f32, f32)> {
    chunks
        .iter()
        .map(|c| {
            let start = c.start_sample as f32 / SR as f32;
            (start, start + c.samples.len() as f32 / SR as f32)
        })
        .collect()
}

#[test]
fn silence_and_steady_noise_give_no_chunks() {
    let options = VadOptions::default();
    assert!(chunk_all(&vec![0.0; SR * 40], &options).is_empty());
    assert!(chunk_all(&recording(&[(false, 75.0)], 0.05), &options).is_empty());
    assert!(chunk_all(&[], &options).is_empty());
}

#[test]
fn long_pauses_separate_chunks_with_absolute_times() {
    let audio = recording(&[(false, 3.0), (true, 4.0), (false, 5.0), (true, 6.0), (false, 2.5)], 0.002);
    let chunks = chunk_all(&audio, &VadOptions::default());
    let got = spans(&chunks);
    assert_eq!(got.len(), 2, "{got:?}");
    let near = |a: f32, b: f32| (a - b).abs() < 0.35;
    assert!(near(got[0].0, 2.8) && near(got[0].1, 7.2), "{got:?}");
    assert!(near(got[1].0, 11.8) && near(got[1].1, 18.2), "{got:?}");
    assert_eq!(chunks.iter().map(|c| c.index).collect::<Vec<_>>(), vec![0, 1]);
}

#[test]
fn continuous_talk_is_cut_at_short_pauses_into_windows_of_at_most_30_s() {
    // 80 s of speech in 7-second sentences with 0.5-second pauses.
    let mut parts = Vec::new();
    for _ in 0..11 {
        parts.push((true, 7.0));
        parts.push((false, 0.5));
    }
    let audio = recording(&parts, 0.002);
    let chunks = chunk_all(&audio, &VadOptions::default());
    let got = spans(&chunks);
    assert!(got.len() >= 3, "{got:?}");
    for (start, end) in &got {
        assert!(end - start <= 30.0 + 1e-3, "{got:?}");
    }
    // Every cut falls inside a pause: at 7.5 k - 0.5 .. 7.5 k seconds.
    for (_, end) in got.iter().take(got.len() - 1) {
        let into_period = end % 7.5;
        assert!(!(0.1..=6.9).contains(&into_period), "cut at {end} s is inside a sentence: {got:?}");
    }
    // Nothing is lost: the chunks cover all the speech.
    let covered: f32 = got.iter().map(|(s, e)| e - s).sum();
    assert!(covered >= 11.0 * 7.0, "{covered} of 77 s covered: {got:?}");
}

#[test]
fn speech_without_any_pause_is_still_cut_at_30_s() {
    let audio = recording(&[(true, 65.0)], 0.0);
    let got = spans(&chunk_all(&audio, &VadOptions::default()));
    assert!(got.len() >= 3, "{got:?}");
    assert!(got.iter().all(|(s, e)| e - s <= 30.0 + 1e-3), "{got:?}");
    // The signal ends in a syllable trough, which may be left out (up to the 0.3 s pause length).
    assert!((got.last().unwrap().1 - 65.0).abs() < 0.3, "{got:?}");
}

#[test]
fn clicks_are_not_speech_and_chunking_is_independent_of_block_size() {
    let mut audio = vec![0.0f32; SR * 10];
    for i in 0..160 {
        audio[SR * 5 + i] = 0.9; // 10 ms click
    }
    assert!(chunk_all(&audio, &VadOptions::default()).is_empty());

    let audio = recording(&[(false, 1.0), (true, 3.0), (false, 3.0), (true, 2.0)], 0.001);
    let whole = chunk_all(&audio, &VadOptions::default());
    let mut chunker = Chunker::new(VadOptions::default());
    let mut pieces = Vec::new();
    for block in audio.chunks(1234) {
        pieces.extend(chunker.push(block));
    }
    pieces.extend(chunker.finish());
    assert_eq!(spans(&pieces), spans(&whole));
}

#[test]
fn fill_runs_only_inside() {
    let mut f = vec![false, true, false, false, true, true, false];
    fill_runs(&mut f, false, 3);
    assert_eq!(f, vec![false, true, true, true, true, true, false]);
    let mut f = vec![true, false, true, true, true, false, true];
    fill_runs(&mut f, true, 2);
    assert_eq!(f, vec![false, false, true, true, true, false, false]);
}

/// The speech fixtures (scripts/make-speech-fixtures.sh) say where each
/// paragraph starts and ends: the detector must find those edges and hear
/// nothing in the pauses between paragraphs.
#[test]
fn speech_regions_match_the_fixtures_paragraphs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/audio");
    for name in ["monologue", "panel"] {
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap()).unwrap();
        let samples = crate::audio::read_file(&dir.join(format!("{name}.flac"))).unwrap();
        let regions: Vec<(f64, f64)> = chunk_all(&samples, &VadOptions::default())
            .iter()
            .flat_map(|c| {
                c.speech
                    .iter()
                    .map(move |&(a, b)| ((c.start_ms() + a) as f64 / 1000.0, (c.start_ms() + b) as f64 / 1000.0))
            })
            .collect();
        let paragraphs: Vec<(f64, f64)> = truth["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["start"].as_f64().unwrap(), p["end"].as_f64().unwrap()))
            .collect();
        for &(start, end) in &paragraphs {
            assert!(
                regions.iter().any(|r| (r.0 - start).abs() <= 0.15),
                "{name}: no region starts at {start}: {regions:?}"
            );
            assert!(regions.iter().any(|r| (r.1 - end).abs() <= 0.15), "{name}: no region ends at {end}: {regions:?}");
        }
        for pair in paragraphs.windows(2) {
            let (pause_start, pause_end) = (pair[0].1 + 0.15, pair[1].0 - 0.15);
            assert!(
                regions.iter().all(|r| r.1 <= pause_start || r.0 >= pause_end),
                "{name}: speech heard in the pause {pause_start}-{pause_end}: {regions:?}"
            );
        }
    }
}
