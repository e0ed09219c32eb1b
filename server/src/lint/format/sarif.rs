//! `--format sarif`: a SARIF 2.1.0 log (the OASIS standard that GitHub code scanning and other
//! dashboards read), with every rule described once and each finding located by line and
//! column (`columnKind` says columns count code points). A test validates the output against
//! the official schema.

use serde_json::{Value, json};

use super::display_path;
use crate::analysis::Severity;
use crate::analysis::diagnostics::RULES;
use crate::lint::report::LintReport;

/// The codes of the problems that keep a file from being analysed, with what they mean.
const FILE_PROBLEMS: &[(&str, &str)] = &[
    ("binary-file", "the file is binary (holds a NUL byte)"),
    ("invalid-utf8", "the file is not valid UTF-8"),
    ("unreadable-file", "the file cannot be read"),
];

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

pub fn render(report: &LintReport) -> String {
    let mut ids: Vec<&str> = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    for r in RULES {
        ids.push(r.code);
        rules.push(json!({
            "id": r.code,
            "shortDescription": { "text": r.summary },
            "defaultConfiguration": { "level": level(r.default_severity) },
        }));
    }
    for (code, text) in FILE_PROBLEMS {
        ids.push(code);
        rules.push(json!({
            "id": code,
            "shortDescription": { "text": text },
            "defaultConfiguration": { "level": "error" },
        }));
    }
    let mut results = Vec::new();
    for file in &report.files {
        let uri = crate::uri::encode_path(&display_path(&file.path));
        for f in &file.findings {
            let mut region = json!({
                "startLine": f.start.line,
                "startColumn": f.start.column,
            });
            if f.end > f.start {
                region["endLine"] = json!(f.end.line);
                region["endColumn"] = json!(f.end.column);
            }
            let mut result = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": region,
                    }
                }],
            });
            if let Some(index) = ids.iter().position(|id| *id == f.code) {
                result["ruleIndex"] = json!(index);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "llmspell",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
