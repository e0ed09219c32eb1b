//! One analysis for CI and the editor: the lint corpus and the examples are linted by
//! `llmspell lint --format json` and, file by file, pulled from `llmspell lsp` over stdio (with
//! the corpus as its workspace, so both know the tools other files register); the findings
//! must be identical: same codes, severities, messages, lines and columns.

mod lsp_client;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use lsp_client::{LspProcess, Start};
use serde_json::{Value, json};

/// `(line, column, end line, end column, severity, code, message)`, lines and columns from 1,
/// columns in characters.
type Finding = (u64, u64, u64, u64, String, String, String);

fn lint_json(dir: &Path) -> Value {
    let out = Command::new(lsp_client::LLMSPELL)
        .args(["lint", "--format", "json"])
        .current_dir(dir)
        .output()
        .expect("run llmspell lint");
    serde_json::from_slice(&out.stdout).expect("lint prints JSON")
}

/// Findings by relative path, as the linter reports them.
fn from_lint(report: &Value) -> BTreeMap<String, Vec<Finding>> {
    let mut out = BTreeMap::new();
    for file in report["files"].as_array().expect("files") {
        let findings = file["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["line"].as_u64().expect("line"),
                    d["column"].as_u64().expect("column"),
                    d["end_line"].as_u64().expect("end_line"),
                    d["end_column"].as_u64().expect("end_column"),
                    d["severity"].as_str().expect("severity").to_owned(),
                    d["code"].as_str().expect("code").to_owned(),
                    d["message"].as_str().expect("message").to_owned(),
                )
            })
            .collect();
        out.insert(file["path"].as_str().expect("path").to_owned(), findings);
    }
    out
}

/// An LSP position (0-based line, UTF-16 character) as a 1-based line and character column.
fn line_column(text: &str, position: &Value) -> (u64, u64) {
    let line = position["line"].as_u64().expect("line");
    let units = position["character"].as_u64().expect("character");
    let content = text.split('\n').nth(line as usize).unwrap_or("");
    let mut seen = 0;
    let mut column = 0;
    for c in content.chars() {
        if seen >= units {
            break;
        }
        seen += c.len_utf16() as u64;
        column += 1;
    }
    (line + 1, column + 1)
}

fn from_lsp(server: &mut LspProcess, root: &Path, relative: &str) -> Vec<Finding> {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).expect("read");
    let uri = format!("file://{}", path.display());
    let language = if relative.ends_with(".lua") {
        "lua"
    } else {
        "javascript"
    };
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
    );
    let pulled = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    pulled["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| {
            let (line, column) = line_column(&text, &d["range"]["start"]);
            let (end_line, end_column) = line_column(&text, &d["range"]["end"]);
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                Some(3) => "info",
                _ => "hint",
            };
            (
                line,
                column,
                end_line,
                end_column,
                severity.to_owned(),
                d["code"].as_str().expect("code").to_owned(),
                d["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

fn compare(root: PathBuf) {
    let root = root.canonicalize().expect("canonical root");
    let linted = from_lint(&lint_json(&root));
    assert!(!linted.is_empty(), "nothing linted in {}", root.display());
    let mut server = LspProcess::start(Start::default());
    let uri = format!("file://{}", root.display());
    let response = server.call(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri,
            "workspaceFolders": [{ "uri": uri, "name": "corpus" }],
            "capabilities": { "general": { "positionEncodings": ["utf-16"] } },
        }),
    );
    assert!(response.get("result").is_some(), "{response}");
    server.notify("initialized", json!({}));
    server.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("llmspell: workspace indexed"))
    });
    let mut differences = Vec::new();
    for (path, findings) in &linted {
        let served = from_lsp(&mut server, &root, path);
        if &served != findings {
            differences.push(format!("{path}:\n  lint: {findings:?}\n  lsp:  {served:?}"));
        }
    }
    assert_eq!(server.shutdown_and_exit(), Some(0));
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn the_lint_corpus_gets_the_same_findings_from_both() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint_corpus");
    compare(corpus);
}

#[test]
fn the_examples_get_the_same_findings_from_both() {
    compare(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"));
}
