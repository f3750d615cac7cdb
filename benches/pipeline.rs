//! The pipeline's stages, one by one and together, on a generated meeting
//! (benches/gen-meeting.py: IGF-like workshops with timed captions, ~6,700
//! words each).
//!
//! * per session: `transcript` (read captions, write five formats) and
//!   `extract` (rules and tracks over the transcript), one session;
//! * per meeting: `drafts` (TF-IDF vectors, so the figure does not depend on
//!   the model being installed; plus all-MiniLM-L6-v2 without a vector cache
//!   when installed) and `index` (tantivy, rebuilt), over 40 sessions;
//! * the whole run over 40 sessions at 1 and 2 threads, cold (`--force`) and
//!   with nothing changed.
//!
//! `cargo bench --bench pipeline`. The scaling series (10 to 1,000 sessions,
//! the 300-session target) is `benches/scaling.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rapporteur_draft::embed::{is_model_dir, EmbedOptions};
use rapporteur_draft::DraftOptions;
use rapporteur_extract::{Extractor, RuleSet, Tracks};
use rapporteur_pipeline::stages::{DraftStage, ExtractStage, IndexStage, TranscriptStage};
use rapporteur_pipeline::{discover, Pipeline, Quiet, RunOptions, SessionWork, Shard, Stage};

const SESSIONS: usize = 40;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The generated meeting (made once, kept under benches/out/).
fn meeting_dir(sessions: usize) -> PathBuf {
    let dir = root().join(format!("benches/out/criterion-meeting-{sessions}"));
    if !dir.join(".complete").is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        let status = Command::new("python3")
            .arg(root().join("benches/gen-meeting.py"))
            .arg(&dir)
            .arg(sessions.to_string())
            .status()
            .expect("python3 runs benches/gen-meeting.py");
        assert!(status.success(), "gen-meeting.py failed");
        std::fs::write(dir.join(".complete"), "").expect("mark complete");
    }
    dir
}

fn tracks(dir: &Path) -> Tracks {
    let text = std::fs::read_to_string(dir.join("tracks.toml")).expect("tracks.toml");
    Tracks::from_toml(&text, "tracks.toml").expect("tracks")
}

fn extract_stage(dir: &Path) -> ExtractStage {
    ExtractStage::new(Extractor::new(RuleSet::builtin().expect("built-in rules")).with_tracks(tracks(dir)), "bench")
}

fn pipeline(dir: &Path, tfidf: bool) -> Pipeline {
    Pipeline::new()
        .stage(TranscriptStage::default())
        .stage(extract_stage(dir))
        .meeting_stage(DraftStage::new(
            Some(tracks(dir)),
            "bench",
            DraftOptions::default(),
            EmbedOptions { force_tfidf: tfidf, ..EmbedOptions::default() },
        ))
        .meeting_stage(IndexStage)
}

fn per_session(c: &mut Criterion) {
    let dir = meeting_dir(SESSIONS);
    let meeting = discover(&dir).expect("meeting");
    let inputs = &meeting.sessions[0];
    let transcript = TranscriptStage::default();
    let extract = extract_stage(&dir);
    let mut group = c.benchmark_group("stage_one_session_6700_words");
    group.sample_size(20);
    group.bench_function("transcript", |b| {
        b.iter(|| {
            let mut work = SessionWork::new(inputs);
            transcript.run(&mut work).expect("transcript");
            work.artifacts.len()
        })
    });
    let mut first = SessionWork::new(inputs);
    transcript.run(&mut first).expect("transcript");
    let made = first.transcript.expect("a transcript");
    group.bench_function("extract", |b| {
        b.iter_batched(
            || made.clone(),
            |t| {
                let mut work = SessionWork::new(inputs);
                work.transcript = Some(t);
                extract.run(&mut work).expect("extract");
                work.artifacts.len()
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn meeting_stages(c: &mut Criterion) {
    let dir = meeting_dir(SESSIONS);
    let meeting = discover(&dir).expect("meeting");
    let out = tempfile::tempdir().expect("temp dir");
    let options = RunOptions { out: out.path().into(), threads: 2, force: true, shard: Shard::ALL };
    let report = pipeline(&dir, true).run(&meeting, &options, &Quiet).expect("run");
    let mut group = c.benchmark_group(format!("meeting_stage_{SESSIONS}_sessions"));
    group.sample_size(10);
    let (report, out_path, options) = (&report, out.path(), &options);
    let only = |stage: Pipeline| {
        move |b: &mut criterion::Bencher<'_>| {
            b.iter(|| {
                let mut r = report.clone();
                r.meeting_stages.clear();
                stage.run_meeting_stages(out_path, &mut r, options, &Quiet);
                assert!(r.meeting_stages.iter().all(|m| m.status == rapporteur_pipeline::MeetingStatus::Done), "{r:?}");
            })
        }
    };
    let tfidf = EmbedOptions { force_tfidf: true, ..EmbedOptions::default() };
    group.bench_function(
        "drafts_tfidf",
        only(Pipeline::new().meeting_stage(DraftStage::new(Some(tracks(&dir)), "b", DraftOptions::default(), tfidf))),
    );
    let model = root().join("models/all-MiniLM-L6-v2");
    if is_model_dir(&model) {
        // No vector cache: every finding is embedded on every iteration.
        let minilm = EmbedOptions { model_dir: Some(model), ..EmbedOptions::default() };
        group.bench_function(
            "drafts_minilm_uncached",
            only(Pipeline::new().meeting_stage(DraftStage::new(
                Some(tracks(&dir)),
                "b",
                DraftOptions::default(),
                minilm,
            ))),
        );
    } else {
        eprintln!("all-MiniLM-L6-v2 not installed (scripts/install-embeddings.sh): drafts_minilm_uncached left out");
    }
    group.bench_function("index_rebuild", only(Pipeline::new().meeting_stage(IndexStage)));
    group.finish();
}

fn whole_run(c: &mut Criterion) {
    let dir = meeting_dir(SESSIONS);
    let meeting = discover(&dir).expect("meeting");
    let pipeline = pipeline(&dir, true);
    let mut group = c.benchmark_group(format!("run_{SESSIONS}_sessions_tfidf"));
    group.sample_size(10);
    for threads in [1, 2] {
        let out = tempfile::tempdir().expect("temp dir");
        let cold = RunOptions { out: out.path().into(), threads, force: true, shard: Shard::ALL };
        group.bench_function(format!("cold_{threads}_thread"), |b| {
            b.iter(|| pipeline.run(&meeting, &cold, &Quiet).expect("run"))
        });
        let warm = RunOptions { force: false, ..cold.clone() };
        group.bench_function(format!("unchanged_{threads}_thread"), |b| {
            b.iter(|| pipeline.run(&meeting, &warm, &Quiet).expect("run"))
        });
    }
    group.finish();
}

criterion_group!(benches, per_session, meeting_stages, whole_run);
criterion_main!(benches);
