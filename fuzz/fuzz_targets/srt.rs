//! Fuzzes the srt reader (format forced, so every input reaches it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapporteur_captions::read::Format;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read_as(Some(Format::Srt), data));
