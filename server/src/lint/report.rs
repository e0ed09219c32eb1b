//! What a lint found: per file, its findings with 1-based lines and columns (columns count
//! characters, as editors show them), and the problems that kept a file from being analysed
//! (unreadable, not UTF-8, binary), which are findings too so that a run goes on through the
//! other files and still fails.

use std::path::PathBuf;

use crate::analysis::{Diagnostic, Severity, TextRange};

/// A line and column, both counted from 1; the column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the file's text (empty for a problem with the file as a whole).
    pub range: TextRange,
    pub start: LineColumn,
    pub end: LineColumn,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    /// As given or as found by the walk (relative when the walk started from a relative path).
    pub path: PathBuf,
    /// The text, when it could be read: output formats quote the offending line.
    pub text: Option<String>,
    pub findings: Vec<Finding>,
}

/// Why a file was not analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub at: LineColumn,
}

impl Problem {
    pub fn new(code: &'static str, message: String, at: LineColumn) -> Self {
        Problem { code, message, at }
    }

    pub fn unknown_language() -> Self {
        Problem::new(
            "unreadable-file",
            "not a Lua or JavaScript file (.lua, .js, .mjs)".to_owned(),
            LineColumn { line: 1, column: 1 },
        )
    }
}

impl FileReport {
    /// The findings of an analysed file, with their positions.
    pub fn new(path: PathBuf, text: String, diagnostics: Vec<Diagnostic>) -> Self {
        let lines = LineStarts::new(&text);
        let findings = diagnostics
            .into_iter()
            .map(|d| Finding {
                code: d.code.to_owned(),
                severity: d.severity,
                message: d.message,
                range: d.range,
                start: lines.line_column(&text, d.range.start),
                end: lines.line_column(&text, d.range.end),
            })
            .collect();
        FileReport {
            path,
            text: Some(text),
            findings,
        }
    }

    /// A file that could not be analysed: one error finding says why.
    pub fn problem(path: PathBuf, problem: Problem) -> Self {
        FileReport {
            path,
            text: None,
            findings: vec![Finding {
                code: problem.code.to_owned(),
                severity: Severity::Error,
                message: problem.message,
                range: TextRange::at(0),
                start: problem.at,
                end: problem.at,
            }],
        }
    }
}

/// Byte offsets of line starts, for turning offsets into lines and columns.
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineStarts(starts)
    }

    /// The 1-based line and character column of byte `offset` (clamped into the text).
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = offset.min(text.len());
        let line = self.0.partition_point(|&s| s <= offset) - 1;
        let start = self.0[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        LineColumn {
            line: line + 1,
            column: column + 1,
        }
    }
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

#[derive(Debug, Clone, Default)]
pub struct LintReport {
    pub files: Vec<FileReport>,
}

impl LintReport {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in self.files.iter().flat_map(|f| &f.findings) {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
                Severity::Hint => c.hints += 1,
            }
        }
        c
    }

    /// Whether the run fails: any error, or more warnings than `max_warnings` allows (any
    /// number when `None`). Information and hints never fail a run.
    pub fn fails(&self, max_warnings: Option<usize>) -> bool {
        let c = self.counts();
        c.errors > 0 || max_warnings.is_some_and(|max| c.warnings > max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_from_one() {
        let text = "ab\né€x\n";
        let lines = LineStarts::new(text);
        assert_eq!(
            lines.line_column(text, 0),
            LineColumn { line: 1, column: 1 }
        );
        assert_eq!(
            lines.line_column(text, 3),
            LineColumn { line: 2, column: 1 }
        );
        // After `é€`: two characters, five bytes.
        assert_eq!(
            lines.line_column(text, 8),
            LineColumn { line: 2, column: 3 }
        );
        assert_eq!(
            lines.line_column(text, 100),
            LineColumn { line: 3, column: 1 }
        );
    }
}
