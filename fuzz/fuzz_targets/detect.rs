//! Fuzzes format detection and whichever reader it picks.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read_as(None, data));
