//! The converter's header against whisper.cpp's own: for tiny.en and base,
//! hyperparameters and vocabulary equal, mel filter bank within 1e-6.
//!
//! Needs the CTranslate2 packages (`scripts/install-models.sh` puts them in
//! `models/cache/`) and the reference headers in `../shared/models/`; each
//! case says SKIPPED when one is missing.

use std::path::{Path, PathBuf};

use rapporteur_asr::convert::{self, ImportOptions};
use rapporteur_asr::model::ModelHeader;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(ct2_name: &str, reference_name: &str, expected_type: &str) {
    let dir = root().join("models/cache").join(ct2_name);
    let reference = root().join("../shared/models").join(reference_name);
    if !reference.is_file() {
        eprintln!("SKIPPED: {} is absent (../shared is not on this machine)", reference.display());
        return;
    }
    if convert::model_files(&dir).is_err() {
        eprintln!("SKIPPED: {} is not downloaded, run scripts/install-models.sh --base", dir.display());
        return;
    }
    let expected = ModelHeader::read_file(&reference).unwrap();
    let (path, mut model) = convert::open_ct2(&dir).unwrap();
    let ours = convert::header_from_ct2(&path, &mut model, &dir, ImportOptions::default()).unwrap();

    assert_eq!(ours.hparams, expected.hparams);
    assert_eq!(ours.hparams.model_type(), expected_type);
    assert_eq!(ours.vocab.len(), expected.vocab.len());
    for (id, (a, b)) in ours.vocab.iter().zip(&expected.vocab).enumerate() {
        assert_eq!(a, b, "token {id}: {:?} vs {:?}", String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    }
    assert_eq!((ours.mel.n_mels, ours.mel.n_freq), (expected.mel.n_mels, expected.mel.n_freq));
    let worst = ours.mel.weights.iter().zip(&expected.mel.weights).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
    assert!(worst <= 1e-6, "mel filter bank differs by {worst}");
    eprintln!("{expected_type}: header matches whisper.cpp's (mel bank within {worst:e})");
}

#[test]
fn tiny_en_header_matches_whisper_cpp() {
    check("ct2-tiny.en", "for-tests-ggml-tiny.en.bin", "tiny.en");
}

#[test]
fn base_header_matches_whisper_cpp() {
    check("ct2-base", "for-tests-ggml-base.bin", "base");
}
