//! Live caption streams: chunks in, segments out (placeholder until the assembler lands).
