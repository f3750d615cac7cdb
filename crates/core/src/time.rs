//! Media time in whole milliseconds.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point on a session's timeline, in whole milliseconds from its start.
///
/// Stored as an integer so that times compare, hash and round-trip exactly.
/// In JSON a `Time` is a number of seconds with at most three decimals
/// (`12.34`), the form outside tools expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(u64);

/// Why a time in seconds could not become a [`Time`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("time {0} s is not a finite, non-negative number of seconds")]
pub struct TimeParseError(pub f64);

impl Time {
    /// The start of the timeline.
    pub const ZERO: Time = Time(0);

    /// A time from whole milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        Time(ms)
    }

    /// A time from seconds, rounded to the nearest millisecond.
    pub fn from_secs_f64(secs: f64) -> Result<Self, TimeParseError> {
        if !secs.is_finite() || secs < 0.0 || secs > (u64::MAX / 1000) as f64 {
            return Err(TimeParseError(secs));
        }
        Ok(Time((secs * 1000.0).round() as u64))
    }

    /// Whole milliseconds since the start.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Seconds since the start.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// This time plus `ms` milliseconds, saturating.
    pub const fn add_millis(self, ms: u64) -> Self {
        Time(self.0.saturating_add(ms))
    }

    /// Milliseconds from `earlier` to `self`, or 0 when `earlier` is later.
    pub const fn millis_since(self, earlier: Time) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    fn parts(self) -> (u64, u64, u64, u64) {
        let ms = self.0 % 1000;
        let s = self.0 / 1000;
        (s / 3600, (s / 60) % 60, s % 60, ms)
    }

    /// `hh:mm:ss.mmm`, as WebVTT writes it.
    pub fn to_vtt(self) -> String {
        let (h, m, s, ms) = self.parts();
        format!("{h:02}:{m:02}:{s:02}.{ms:03}")
    }

    /// `hh:mm:ss,mmm`, as SRT writes it.
    pub fn to_srt(self) -> String {
        let (h, m, s, ms) = self.parts();
        format!("{h:02}:{m:02}:{s:02},{ms:03}")
    }

    /// `hh:mm:ss`, truncated to the second, as people read a clock.
    pub fn to_clock(self) -> String {
        let (h, m, s, _) = self.parts();
        format!("{h:02}:{m:02}:{s:02}")
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_vtt())
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Whole seconds serialise as integers-valued floats (`12.0`); serde_json
        // prints the shortest form that reads back to the same f64, and
        // `ms / 1000.0` reads back to the same millisecond.
        serializer.serialize_f64(self.as_secs_f64())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let secs = f64::deserialize(deserializer)?;
        Time::from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = Time::from_millis(3_723_004);
        assert_eq!(t.to_vtt(), "01:02:03.004");
        assert_eq!(t.to_srt(), "01:02:03,004");
        assert_eq!(t.to_clock(), "01:02:03");
        assert_eq!(Time::from_millis(360_000_000).to_vtt(), "100:00:00.000");
    }

    #[test]
    fn seconds_round_to_millis() {
        assert_eq!(Time::from_secs_f64(12.3456).unwrap().as_millis(), 12_346);
        assert!(Time::from_secs_f64(-1.0).is_err());
        assert!(Time::from_secs_f64(f64::NAN).is_err());
    }

    proptest::proptest! {
        #[test]
        fn json_round_trip(ms in 0u64..10_000_000_000) {
            let t = Time::from_millis(ms);
            let json = serde_json::to_string(&t).unwrap();
            let back: Time = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(back, t);
        }
    }
}
