//! Parse and write throughput for a 90-minute session (~13,000 words) in every
//! caption format. Target: ≥ 100 MB/s per core for VTT, SRT and CART parsing.
//!
//! Run: `cargo bench --bench captions` (numbers in the README).

use std::io::Cursor;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rapporteur_captions::read::{self, Format, ReadOptions};
use rapporteur_captions::write::{self, OutputFormat, WriteOptions};

#[path = "corpus.rs"]
mod corpus;

fn inputs() -> Vec<(Format, String)> {
    let transcript = corpus::session(13_000);
    let options = WriteOptions::default();
    let written = |f| write::to_string(&transcript, f, &options).expect("writing to memory");
    vec![
        (Format::WebVtt, written(OutputFormat::Vtt)),
        (Format::Srt, written(OutputFormat::Srt)),
        (Format::Cart, corpus::cart(&transcript)),
        (Format::Text, written(OutputFormat::Txt)),
        (Format::Json, written(OutputFormat::Json)),
    ]
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_90min");
    for (format, text) in inputs() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        let options = ReadOptions { format: Some(format), ..ReadOptions::default() };
        // `read::open` takes an owned reader; leaking one copy per format
        // keeps the copy out of the measured loop.
        let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
        group.bench_with_input(BenchmarkId::from_parameter(format.name()), &bytes, |b, &bytes| {
            b.iter(|| {
                let source = read::open(Cursor::new(bytes), "bench", &options).expect("opens");
                let (t, _) = read::collect(source, "bench").expect("parses");
                black_box(t.segments.len())
            })
        });
    }
    group.finish();
}

fn write_formats(c: &mut Criterion) {
    let transcript = corpus::session(13_000);
    let options = WriteOptions::default();
    let mut group = c.benchmark_group("write_90min");
    for format in OutputFormat::ALL {
        let size = write::to_string(&transcript, format, &options).expect("writes").len();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(BenchmarkId::from_parameter(format.extension()), |b| {
            let mut out = Vec::with_capacity(size);
            b.iter(|| {
                out.clear();
                write::write_transcript(&transcript, format, &mut out, &options).expect("writes");
                black_box(out.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse, write_formats);
criterion_main!(benches);
