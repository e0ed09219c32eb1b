//! `llmspell defs --lua` proven with a real peer: `emmylua_check` (crates.io, pinned below,
//! installed once with `cargo install` into ~/.cache/llmspell/) checks the Lua examples set up
//! exactly as the README says (`types/llmspell.d.lua` and a `.luarc.json` naming `types` as a
//! library). With the definitions, no API global and no API member is unknown to it; without
//! them it reports the globals; and it reports a misspelled API member.
//!
//! emmylua is stricter than Lua about the scripts' own code (a variable reused for values of
//! two types, a value that may be nil): those warnings concern the examples, not the API, and
//! are not what this test judges.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use llmspell_runtime::ApiDefinition;
use serde_json::Value;

const LLMSPELL: &str = env!("CARGO_BIN_EXE_llmspell");
const EMMYLUA_CHECK_VERSION: &str = "0.25.1";

/// The installed checker, installing it on first use (a few minutes of compiling, once per
/// machine: later runs find it in the cache).
fn emmylua_check() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let home = std::env::var_os("HOME").expect("HOME is set");
        let root = Path::new(&home)
            .join(".cache/llmspell")
            .join(format!("emmylua_check-{EMMYLUA_CHECK_VERSION}"));
        let binary = root.join("bin/emmylua_check");
        if !binary.is_file() {
            let out = Command::new(env!("CARGO"))
                .args(["install", "emmylua_check", "--locked", "--version"])
                .arg(EMMYLUA_CHECK_VERSION)
                .arg("--root")
                .arg(&root)
                .output()
                .expect("run cargo install");
            assert!(
                out.status.success(),
                "cargo install emmylua_check failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        binary
    })
}

/// A workspace with the Lua examples (and `extra` scripts), set up as the README says when
/// `with_definitions`, and emmylua_check's findings on it as `(file name, code, message)`.
fn check(with_definitions: bool, extra: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for entry in std::fs::read_dir(&examples).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "lua") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    if with_definitions {
        let defs = Command::new(LLMSPELL)
            .args(["defs", "--lua"])
            .output()
            .expect("llmspell defs");
        std::fs::create_dir(dir.path().join("types")).expect("mkdir");
        std::fs::write(dir.path().join("types/llmspell.d.lua"), &defs.stdout).expect("write");
        std::fs::write(
            dir.path().join(".luarc.json"),
            "{\n  \"runtime.version\": \"Lua 5.4\",\n  \"workspace.library\": [\"types\"]\n}\n",
        )
        .expect("write");
    }
    let out = Command::new(emmylua_check())
        .arg(dir.path())
        .args(["--output-format", "json"])
        .output()
        .expect("run emmylua_check");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "emmylua_check printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut found = Vec::new();
    for file in report.as_array().expect("a list of files") {
        let name = Path::new(file["file"].as_str().expect("file"))
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for d in file["diagnostics"].as_array().expect("diagnostics") {
            found.push((
                name.clone(),
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    found
}

/// Every name the API gives: globals, and the members and fields of its types.
fn api_names() -> BTreeSet<String> {
    let def = ApiDefinition::get();
    let mut names: BTreeSet<String> = def.globals.iter().map(|g| g.name.clone()).collect();
    for ty in def.types.values() {
        names.extend(ty.members.iter().map(|m| m.name.clone()));
        names.extend(ty.fields.iter().map(|f| f.name.clone()));
    }
    names
}

/// The name in emmylua's "Undefined field `x`." / "undefined global variable: x" messages.
fn named_in(message: &str) -> Option<&str> {
    message
        .split('`')
        .nth(1)
        .or_else(|| message.rsplit(": ").next())
}

#[test]
fn the_examples_know_the_whole_api_through_the_definitions() {
    let api = api_names();
    let found = check(true, &[]);
    let about_the_api: Vec<&(String, String, String)> = found
        .iter()
        .filter(|(_, code, message)| {
            code == "undefined-global"
                || (code.starts_with("undefined")
                    && named_in(message).is_some_and(|n| api.contains(n)))
        })
        .collect();
    assert!(about_the_api.is_empty(), "{about_the_api:#?}");
}

#[test]
fn without_the_definitions_the_api_is_unknown_to_the_peer() {
    let found = check(false, &[]);
    assert!(
        found
            .iter()
            .any(|(_, code, message)| code == "undefined-global" && message.contains("Agent")),
        "{found:#?}"
    );
}

#[test]
fn a_misspelled_member_is_reported() {
    let typo = "local a = Agent.craete{ model = \"mock/echo\" }\nprint(a)\n";
    let found = check(true, &[("typo.lua", typo)]);
    assert!(
        found.iter().any(|(file, code, message)| file == "typo.lua"
            && code == "undefined-field"
            && message.contains("craete")),
        "{found:#?}"
    );
}
