//! `--format human`: `file:line:column: severity[code] message`, then the line with a caret
//! under the finding, and a summary.

use std::fmt::Write;

use super::{display_path, severity_name};
use crate::lint::report::{Finding, LintReport};

pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    let mut with_findings = 0;
    for file in &report.files {
        if !file.findings.is_empty() {
            with_findings += 1;
        }
        let path = display_path(&file.path);
        for f in &file.findings {
            let _ = writeln!(
                out,
                "{path}:{}:{}: {}[{}] {}",
                f.start.line,
                f.start.column,
                severity_name(f.severity),
                f.code,
                f.message
            );
            if let Some(text) = &file.text {
                quote(&mut out, text, f);
            }
        }
    }
    let c = report.counts();
    let total = c.errors + c.warnings + c.infos + c.hints;
    let files = report.files.len();
    let files_word = if files == 1 { "file" } else { "files" };
    if total == 0 {
        let _ = writeln!(out, "{files} {files_word} linted, no problems");
    } else {
        let _ = writeln!(
            out,
            "{} ({}) in {with_findings} of {files} {files_word}",
            counted(total, "problem"),
            breakdown(&c)
        );
    }
    out
}

/// `1 error`, `2 errors`.
pub(super) fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `2 errors, 1 warning, 0 info, 0 hints`.
pub(super) fn breakdown(c: &crate::lint::report::Counts) -> String {
    format!(
        "{}, {}, {} info, {}",
        counted(c.errors, "error"),
        counted(c.warnings, "warning"),
        c.infos,
        counted(c.hints, "hint")
    )
}

/// The finding's first line, numbered, with carets under its range on that line (one caret
/// for an empty range; to the end of the line for a range that goes on).
fn quote(out: &mut String, text: &str, f: &Finding) {
    let Some(line) = text.split('\n').nth(f.start.line - 1) else {
        return;
    };
    let line = line.strip_suffix('\r').unwrap_or(line);
    let chars: Vec<char> = line.chars().collect();
    let from = (f.start.column - 1).min(chars.len());
    let to = if f.end.line == f.start.line {
        (f.end.column - 1).min(chars.len())
    } else {
        chars.len()
    };
    // The text before the range, blanked with its tabs kept, so the carets line up in a
    // terminal whatever its tab width.
    let pad: String = chars[..from]
        .iter()
        .map(|&c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let number = f.start.line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, " {number} | {line}");
    let _ = writeln!(
        out,
        " {gutter} | {pad}{}",
        "^".repeat(to.saturating_sub(from).max(1))
    );
}
