//! Errors and warnings about an input, with the position a person needs to fix it.

use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input was used, but something in it was skipped or guessed.
    Warning,
    /// The input (or this part of it) could not be used.
    Error,
}

/// A message about a position in an input: `file:line:column: severity: message`.
///
/// Readers attach diagnostics to what they return instead of printing, so the
/// command line, the server and the nightly run can each report them their way.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The input's path or name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line, when the problem has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters), when the problem has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// What is wrong and, where it helps, what to do about it.
    pub message: String,
}

impl Diagnostic {
    /// A warning at `line` (1-based).
    pub fn warning(line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, file: None, line, column: None, message: message.into() }
    }

    /// An error at `line` (1-based).
    pub fn error(line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, file: None, line, column: None, message: message.into() }
    }

    /// The same diagnostic, naming `file`.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The same diagnostic, at `column` (1-based).
    pub fn at_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}:")?;
        }
        if let Some(line) = self.line {
            write!(f, "{line}:")?;
            if let Some(column) = self.column {
                write!(f, "{column}:")?;
            }
        }
        if self.file.is_some() || self.line.is_some() {
            f.write_str(" ")?;
        }
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{severity}: {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column() {
        let d = Diagnostic::error(Some(12), "end before start").in_file("a.vtt").at_column(14);
        assert_eq!(d.to_string(), "a.vtt:12:14: error: end before start");
        assert_eq!(Diagnostic::warning(None, "empty").to_string(), "warning: empty");
    }
}
