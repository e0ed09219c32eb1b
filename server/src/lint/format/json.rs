//! `--format json`: one JSON document (schema in docs/lint.md): every linted file with its
//! findings, lines and columns counted from 1 (columns in characters), and the totals.

use serde_json::{Value, json};

use super::{display_path, severity_name};
use crate::lint::report::LintReport;

/// The version of the JSON layout, raised when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

pub fn render(report: &LintReport) -> String {
    let files: Vec<Value> = report
        .files
        .iter()
        .map(|file| {
            let findings: Vec<Value> = file
                .findings
                .iter()
                .map(|f| {
                    json!({
                        "code": f.code,
                        "severity": severity_name(f.severity),
                        "message": f.message,
                        "line": f.start.line,
                        "column": f.start.column,
                        "end_line": f.end.line,
                        "end_column": f.end.column,
                    })
                })
                .collect();
            json!({ "path": display_path(&file.path), "diagnostics": findings })
        })
        .collect();
    let c = report.counts();
    let doc = json!({
        "version": VERSION,
        "files": files,
        "summary": {
            "files": report.files.len(),
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "hints": c.hints,
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
