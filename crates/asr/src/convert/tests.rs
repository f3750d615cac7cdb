//! Conversion of a small synthetic CTranslate2 Whisper model, tensor by tensor.

use half::f16;

use super::ct2::tests::ct2_file;
use super::*;
use crate::model::ModelHeader;

const STATE: usize = 64;
const VOCAB: usize = vocab::TEXT_TOKENS + 3;

/// f16 bytes of `n` values that encode their own index, so a split can be checked.
fn ramp(n: usize, offset: f32) -> Vec<u8> {
    (0..n).flat_map(|i| f16::from_f32(offset + i as f32 / 8.0).to_le_bytes()).collect()
}

fn synthetic_model(dir: &Path) {
    let s = STATE as u32;
    let mut vars: Vec<(String, Vec<u32>, u8, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, shape: &[u32], data: Vec<u8>| vars.push((name.into(), shape.to_vec(), 4, data));
    let n = |shape: &[u32]| shape.iter().product::<u32>() as usize;
    for (name, shape) in [
        ("encoder/conv1/weight", vec![s, 80, 3]),
        ("encoder/conv1/bias", vec![s]),
        ("encoder/conv2/weight", vec![s, s, 3]),
        ("encoder/conv2/bias", vec![s]),
        ("encoder/position_encodings/encodings", vec![1500, s]),
        ("encoder/layer_norm/gamma", vec![s]),
        ("encoder/layer_norm/beta", vec![s]),
        ("decoder/embeddings/weight", vec![VOCAB as u32, s]),
        ("decoder/position_encodings/encodings", vec![448, s]),
        ("decoder/layer_norm/gamma", vec![s]),
        ("decoder/layer_norm/beta", vec![s]),
    ] {
        add(name, &shape, ramp(n(&shape), 0.0));
    }
    for side in ["encoder", "decoder"] {
        let l = format!("{side}/layer_0");
        let mut attention = vec![("self_attention/linear_0", 3), ("self_attention/linear_1", 1)];
        if side == "decoder" {
            attention.extend([("attention/linear_0", 1), ("attention/linear_1", 2), ("attention/linear_2", 1)]);
        }
        for (linear, fused) in attention {
            add(&format!("{l}/{linear}/weight"), &[fused * s, s], ramp((fused * s * s) as usize, 0.0));
            add(&format!("{l}/{linear}/bias"), &[fused * s], ramp((fused * s) as usize, 0.0));
        }
        add(&format!("{l}/ffn/linear_0/weight"), &[4 * s, s], ramp((4 * s * s) as usize, 0.0));
        add(&format!("{l}/ffn/linear_0/bias"), &[4 * s], ramp((4 * s) as usize, 0.0));
        add(&format!("{l}/ffn/linear_1/weight"), &[s, 4 * s], ramp((4 * s * s) as usize, 0.0));
        add(&format!("{l}/ffn/linear_1/bias"), &[s], ramp(STATE, 0.0));
        let mut norms = vec!["self_attention", "ffn"];
        if side == "decoder" {
            norms.push("attention");
        }
        for norm in norms {
            add(&format!("{l}/{norm}/layer_norm/gamma"), &[s], ramp(STATE, 1.0));
            add(&format!("{l}/{norm}/layer_norm/beta"), &[s], ramp(STATE, 0.0));
        }
    }
    vars.push(("encoder/num_heads".into(), vec![], 2, 1i16.to_le_bytes().to_vec()));
    let refs: Vec<(&str, &[u32], u8, Vec<u8>)> =
        vars.iter().map(|(n, s, d, b)| (n.as_str(), s.as_slice(), *d, b.clone())).collect();
    let file = ct2_file(&refs, &[("decoder/projection/weight", "decoder/embeddings/weight")]);
    // Split in two parts, as the multilingual base package ships.
    let (a, b) = file.split_at(file.len() / 3);
    std::fs::write(dir.join("model.bin.part1"), a).unwrap();
    std::fs::write(dir.join("model.bin.part2"), b).unwrap();
    let mut vocabulary = String::new();
    for i in 0..VOCAB {
        vocabulary.push_str(&format!("Ġt{i}\n"));
    }
    std::fs::write(dir.join("vocabulary.txt"), vocabulary).unwrap();
}

/// A tensor as stored: name, dims innermost first, type, data.
type StoredTensor = (String, Vec<i32>, i32, Vec<u8>);

/// Reads a whole ggml file: header, then its tensors.
fn read_ggml(bytes: &[u8]) -> (ModelHeader, Vec<StoredTensor>) {
    let mut r = bytes;
    let header = ModelHeader::read(&mut r).unwrap();
    let mut tensors = Vec::new();
    let int = |r: &mut &[u8]| {
        let v = i32::from_le_bytes([r[0], r[1], r[2], r[3]]);
        *r = &r[4..];
        v
    };
    while !r.is_empty() {
        let (n_dims, name_len, ty) = (int(&mut r), int(&mut r), int(&mut r));
        let dims: Vec<i32> = (0..n_dims).map(|_| int(&mut r)).collect();
        let name = String::from_utf8(r[..name_len as usize].to_vec()).unwrap();
        r = &r[name_len as usize..];
        let elements: usize = dims.iter().map(|&d| d as usize).product();
        let size = match ty {
            0 => elements * 4,
            1 => elements * 2,
            8 => elements / 32 * 34,
            _ => panic!("type {ty}"),
        };
        tensors.push((name, dims, ty, r[..size].to_vec()));
        r = &r[size..];
    }
    (header, tensors)
}

fn f16_at(data: &[u8], i: usize) -> f32 {
    f16::from_le_bytes([data[2 * i], data[2 * i + 1]]).to_f32()
}

#[test]
fn converts_every_tensor_with_whisper_cpp_names_types_and_shapes() {
    let dir = tempfile::tempdir().unwrap();
    synthetic_model(dir.path());
    let mut out = Vec::new();
    let summary = import_ct2(dir.path(), &mut out, ImportOptions::default()).unwrap();
    assert_eq!(summary.tensors, 5 + 15 + 2 + 2 + 24 + 2);
    let (header, tensors) = read_ggml(&out);
    let h = header.hparams;
    assert_eq!(
        h.to_array(),
        [VOCAB as i32, 1500, 64, 1, 1, 448, 64, 1, 1, 80, 1],
        "heads from the scalar (encoder) or from the width (decoder)"
    );
    assert_eq!(header.vocab.len(), vocab::TEXT_TOKENS);
    assert_eq!(header.vocab[7], b" t7");
    assert_eq!(tensors.len(), summary.tensors);

    let find = |name: &str| tensors.iter().find(|t| t.0 == name).unwrap_or_else(|| panic!("{name}"));
    let conv_bias = find("encoder.conv1.bias");
    assert_eq!((conv_bias.1.clone(), conv_bias.2), (vec![1, 64], 0));
    let conv = find("encoder.conv1.weight");
    assert_eq!((conv.1.clone(), conv.2), (vec![3, 80, 64], 1));
    assert_eq!(find("encoder.positional_embedding").2, 0);
    assert_eq!(find("decoder.token_embedding.weight").1, vec![64, VOCAB as i32]);

    // The value projection is the third block of 64 rows of the fused matrix.
    let value = find("encoder.blocks.0.attn.value.weight");
    assert_eq!(value.1, vec![64, 64]);
    assert_eq!(f16_at(&value.3, 0), f16::from_f32((2 * 64 * 64) as f32 / 8.0).to_f32());
    let value_bias = find("decoder.blocks.0.cross_attn.value.bias");
    assert_eq!(value_bias.2, 0);
    let first = f32::from_le_bytes([value_bias.3[0], value_bias.3[1], value_bias.3[2], value_bias.3[3]]);
    assert_eq!(first, 64.0 / 8.0);
    assert!(tensors.iter().all(|t| !t.0.ends_with("key.bias")));
}

#[test]
fn q8_0_quantises_matrices_only() {
    let dir = tempfile::tempdir().unwrap();
    synthetic_model(dir.path());
    let mut out = Vec::new();
    let summary =
        import_ct2(dir.path(), &mut out, ImportOptions { weight_type: WeightType::Q8_0, ..ImportOptions::default() })
            .unwrap();
    assert_eq!(summary.hparams.ftype, 2007);
    let (_, tensors) = read_ggml(&out);
    let ty = |name: &str| tensors.iter().find(|t| t.0 == name).unwrap().2;
    assert_eq!(ty("encoder.blocks.0.mlp.0.weight"), 8);
    assert_eq!(ty("decoder.token_embedding.weight"), 8);
    assert_eq!(ty("encoder.conv2.weight"), 1);
    assert_eq!(ty("encoder.blocks.0.mlp.0.bias"), 0);
}

#[test]
fn bad_directories_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = import_ct2(dir.path(), Vec::new(), ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ConvertError::NoModelFile(_)), "{err}");

    std::fs::write(dir.path().join("model.bin"), b"not a model").unwrap();
    let err = import_ct2(dir.path(), Vec::new(), ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("model.bin"), "{err}");

    let other = ct2_file(&[("x", &[1], 0, vec![0; 4])], &[]);
    let other = [&other[..6], b"Transformer", &other[17..]].concat();
    std::fs::write(dir.path().join("model.bin"), other).unwrap();
    let err = import_ct2(dir.path(), Vec::new(), ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ConvertError::NotWhisper { .. }), "{err}");
}
