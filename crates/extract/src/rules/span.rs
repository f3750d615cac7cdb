//! Byte offsets in a configuration file → 1-based line and column.

use rapporteur_core::Diagnostic;

/// A position in a text, as people count: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Located {
    /// The line and column of byte `offset` of `text` (clamped to the text).
    pub fn new(text: &str, offset: usize) -> Located {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Located { line, column }
    }

    /// An error here, in `file`.
    pub fn error(self, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Some(self.line), message).in_file(file).at_column(self.column)
    }

    /// A warning here, in `file`.
    pub fn warning(self, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(Some(self.line), message).in_file(file).at_column(self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncdé\nf";
        assert_eq!(Located::new(text, 0), Located { line: 1, column: 1 });
        assert_eq!(Located::new(text, 3), Located { line: 2, column: 1 });
        assert_eq!(Located::new(text, 7), Located { line: 2, column: 4 });
        assert_eq!(Located::new(text, 99), Located { line: 3, column: 2 });
    }
}
