//! Audio decoding tests.
