//! `llmspell lint --format sarif` validated against the official SARIF 2.1.0 JSON schema (the
//! one Microsoft's SARIF SDK ships, checked with Ajv; both pinned in tests/sarif and installed
//! by `npm ci` on first use), on the lint corpus and on files that could not be analysed, whose
//! results have a location without a range.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

const LLMSPELL: &str = env!("CARGO_BIN_EXE_llmspell");

fn npm_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/sarif")
}

/// Installs the validator once per test run, from the lock file.
fn validator() -> &'static Path {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY.get_or_init(|| {
        let project = npm_project();
        if !project.join("node_modules/ajv-draft-04").is_dir() {
            let out = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&project)
                .output()
                .expect("npm is needed to validate SARIF output (run npm ci in tests/sarif)");
            assert!(
                out.status.success(),
                "npm ci in tests/sarif failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        project.join("validate.mjs")
    })
}

/// Lints `dir` as SARIF, checks the log against the schema, and returns it.
fn valid_sarif(dir: &Path) -> Value {
    let out = Command::new(LLMSPELL)
        .args(["lint", "--format", "sarif"])
        .current_dir(dir)
        .output()
        .expect("run llmspell lint");
    let log_file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(log_file.path(), &out.stdout).expect("write the log");
    let check = Command::new("node")
        .arg(validator())
        .arg(log_file.path())
        .output()
        .expect("run node");
    assert!(
        check.status.success(),
        "invalid SARIF:\n{}\n{}",
        String::from_utf8_lossy(&check.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn the_corpus_report_is_valid_sarif_with_every_finding() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint_corpus");
    let log = valid_sarif(&corpus);
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "llmspell");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 16);
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "{r}");
    }
    let first = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(first["artifactLocation"]["uri"], "agents.lua");
    assert_eq!(first["region"]["startLine"], 2);
    assert_eq!(first["region"]["startColumn"], 52);
    assert_eq!(first["region"]["endColumn"], 62);
}

#[test]
fn files_that_were_not_analysed_are_valid_results_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("bin.lua"), b"\0\x01").expect("write");
    std::fs::write(dir.path().join("my file.js"), b"// \xff\n").expect("write");
    let log = valid_sarif(dir.path());
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(uris, ["bin.lua", "my%20file.js"]);
}
