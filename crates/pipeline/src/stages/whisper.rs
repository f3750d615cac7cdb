//! The Whisper model shared by the ASR and alignment stages: loaded once per
//! run, on first use, and fingerprinted once.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rapporteur_asr::transcribe::engine::Engine;
use rapporteur_asr::transcribe::{TranscribeOptions, Transcriber};

/// A lazily loaded Whisper transcriber. Both [`AsrStage`](super::AsrStage)
/// and [`AlignStage`](super::AlignStage) hold the same one (an `Arc`), so a
/// run that transcribes some sessions and aligns others loads the model (and
/// hashes its weights for the cache keys) once, not once per stage. A meeting
/// whose sessions need neither never loads it.
pub struct Whisper {
    model: Option<PathBuf>,
    options: TranscribeOptions,
    transcriber: OnceLock<Result<Transcriber, String>>,
    model_hash: OnceLock<String>,
    loads: AtomicUsize,
}

impl std::fmt::Debug for Whisper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Whisper")
            .field("model", &self.model)
            .field("options", &self.options)
            .field("loaded", &self.transcriber.get().is_some())
            .finish()
    }
}

impl Whisper {
    /// The ggml model at `model` (`None`: none is installed; the stages that
    /// need it report how to install one) decoding with `options`.
    pub fn new(model: Option<PathBuf>, options: TranscribeOptions) -> Arc<Self> {
        Arc::new(Whisper {
            model,
            options,
            transcriber: OnceLock::new(),
            model_hash: OnceLock::new(),
            loads: AtomicUsize::new(0),
        })
    }

    /// The model file, if any.
    pub fn model(&self) -> Option<&Path> {
        self.model.as_deref()
    }

    /// The decoding options.
    pub fn options(&self) -> &TranscribeOptions {
        &self.options
    }

    /// The transcriber, loading the model on the first call (from whichever
    /// stage and thread comes first; the others wait for it). The error says
    /// what is missing or broken; `missing` is the advice when no model is
    /// installed at all.
    pub fn transcriber(&self, missing: &str) -> Result<&Transcriber, String> {
        let loaded = self.transcriber.get_or_init(|| {
            self.loads.fetch_add(1, Ordering::Relaxed);
            let model = self.model.as_ref().ok_or_else(|| "no Whisper model is installed".to_string())?;
            let engine = Engine::load(model, false).map_err(|e| format!("{}: {e}", model.display()))?;
            Transcriber::new(engine, self.options.clone()).map_err(|e| e.to_string())
        });
        match loaded {
            Ok(t) => Ok(t),
            Err(e) if self.model.is_none() => Err(format!("{e}: {missing}")),
            Err(e) => Err(e.clone()),
        }
    }

    /// How many times the model was loaded (or a load tried): at most once.
    pub fn loads(&self) -> usize {
        self.loads.load(Ordering::Relaxed)
    }

    /// The model's content hash and the options that change the words: part
    /// of the cache key of every session the model works on. The content,
    /// not the path: a re-converted model recomputes, a moved one does not.
    pub fn fingerprint(&self) -> String {
        let hash = self.model_hash.get_or_init(|| {
            let mut hasher = blake3::Hasher::new();
            if let Some(model) = &self.model {
                if let Ok(mut file) = fs::File::open(model) {
                    let mut buf = vec![0u8; 1 << 20];
                    while let Ok(n) = file.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        hasher.update(&buf[..n]);
                    }
                }
            }
            hasher.finalize().to_hex().to_string()
        });
        let o = &self.options;
        format!(
            "model={hash} decoding={} language={:?} prompt={:?} beam={} vad={:?} pack={:?} fit={} fallback={:?} context={}",
            rapporteur_asr::transcribe::DECODING_REVISION,
            o.language,
            o.prompt,
            o.beam_size,
            o.vad,
            o.pack,
            o.fit_audio_ctx,
            o.fallback,
            o.context_run
        )
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::stages::{AlignStage, AsrStage, TranscriptStage};
    use crate::{read_session_dir, SessionWork, Stage};

    #[test]
    fn asr_and_align_share_one_load() {
        let tmp = tempfile::tempdir().unwrap();
        let model = tmp.path().join("ggml-missing.bin");
        let whisper = Whisper::new(Some(model.clone()), TranscribeOptions::default());
        let asr = AsrStage::new(whisper.clone());
        let align = AlignStage::new(whisper.clone());
        // One session to transcribe (a recording only), one to align (captions and a recording).
        for (name, captions) in [("heard", false), ("aligned", true)] {
            let dir = tmp.path().join(name);
            fs::create_dir(&dir).unwrap();
            fs::write(dir.join("session.toml"), "title = \"T\"\n").unwrap();
            fs::write(dir.join("audio.wav"), b"RIFF").unwrap();
            if captions {
                fs::write(dir.join("captions.vtt"), "WEBVTT\n\n00:01.000 --> 00:02.000\nHello.\n").unwrap();
            }
        }
        let heard = read_session_dir(&tmp.path().join("heard")).unwrap();
        let aligned = read_session_dir(&tmp.path().join("aligned")).unwrap();
        assert!(asr.applies(&heard) && align.applies(&aligned));

        let mut work = SessionWork::new(&heard);
        let err = asr.run(&mut work).unwrap_err().to_string();
        assert!(err.contains("ggml-missing.bin"), "{err}");

        let mut work = SessionWork::new(&aligned);
        TranscriptStage::default().run(&mut work).unwrap();
        align.run(&mut work).unwrap();
        assert!(work.warnings.iter().any(|w| w.contains("ggml-missing.bin")), "{:?}", work.warnings);
        assert_eq!(whisper.loads(), 1, "the two stages loaded the model separately");
        // The fingerprint (the weights' hash) is shared too.
        assert!(asr.fingerprint().ends_with(&whisper.fingerprint()));
        assert!(align.fingerprint().contains(&whisper.fingerprint()));
        // Code revisions are keyed, so a build that reads or aligns captions
        // differently redoes cached transcripts.
        let revision = format!("revision={}", rapporteur_asr::align::ALIGNMENT_REVISION);
        assert!(align.fingerprint().contains(&revision));
        let revision = format!("revision={}", rapporteur_captions::CAPTIONS_REVISION);
        assert!(TranscriptStage::default().fingerprint().contains(&revision));
    }

    #[test]
    fn no_model_says_how_to_install_one() {
        let whisper = Whisper::new(None, TranscribeOptions::default());
        let err = whisper.transcriber("run scripts/install-models.sh").unwrap_err();
        assert_eq!(err, "no Whisper model is installed: run scripts/install-models.sh");
    }
}
