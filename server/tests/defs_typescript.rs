//! `llmspell defs --ts` proven with the real peer: the TypeScript compiler (npm `typescript`,
//! pinned in tests/typescript/package.json and its lock file) type-checks every JavaScript
//! example against the generated declarations with no error, and reports a misspelled API
//! member. Skipped, saying so, only when `npm` is not on PATH.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate lives in the repository")
        .to_path_buf()
}

fn npm_project() -> PathBuf {
    repo_root().join("tests/typescript")
}

fn npm_available() -> bool {
    Command::new("npm").arg("--version").output().is_ok()
}

/// The version pinned in package.json, e.g. `5.9.3`.
fn pinned_version() -> String {
    let text = std::fs::read_to_string(npm_project().join("package.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["devDependencies"]["typescript"]
        .as_str()
        .expect("package.json pins typescript")
        .to_owned()
}

fn installed_version() -> Option<String> {
    let path = npm_project().join("node_modules/typescript/package.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["version"].as_str().map(str::to_owned)
}

/// Installs the pinned compiler once per test run (`npm ci`, from the lock file) when it is
/// missing or another version; both tests share it, so they must not install concurrently.
/// Returns the compiler's entry point, or None when npm is not on PATH.
fn tsc() -> Option<&'static Path> {
    static TSC: OnceLock<Option<PathBuf>> = OnceLock::new();
    TSC.get_or_init(|| {
        if !npm_available() {
            return None;
        }
        if installed_version().as_deref() != Some(pinned_version().as_str()) {
            let out = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(npm_project())
                .output()
                .expect("run npm ci");
            assert!(
                out.status.success(),
                "npm ci in tests/typescript failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Some(npm_project().join("node_modules/typescript/bin/tsc"))
    })
    .as_deref()
}

/// The compiler, or None (the test is skipped) when npm is not on PATH. A skip must not hide a
/// broken CI setup, so under CI (`CI` set, as CI systems do) a missing npm fails instead.
fn skip_without_npm() -> Option<&'static Path> {
    let tsc = tsc();
    if tsc.is_none() {
        let why = "`npm` is not on PATH, so the TypeScript compiler cannot be installed to check \
                   `llmspell defs --ts`; install Node.js and npm to run this test";
        assert!(std::env::var_os("CI").is_none(), "{why}");
        // Test output is captured, so this shows with `--nocapture` (and the test passes).
        #[allow(clippy::print_stderr)]
        {
            eprintln!("SKIPPED: {why}.");
        }
    }
    tsc
}

/// Writes `llmspell defs --ts` (the real binary's output) into `dir`.
fn generate_declarations(dir: &Path) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_llmspell"))
        .args(["defs", "--ts"])
        .output()
        .expect("run llmspell defs --ts");
    assert!(out.status.success(), "llmspell defs --ts failed: {out:?}");
    let path = dir.join("llmspell.d.ts");
    std::fs::write(&path, &out.stdout).unwrap();
    path
}

/// Type-checks `scripts` against the declarations, the way llmspell runs JavaScript: ES2023
/// with no DOM and no Node.js types (`lib` es2023, `types` empty), every file a module
/// (`moduleDetection` force: scripts use top-level await, which needs `module` es2022 or later,
/// and each script's top-level names are its own), JavaScript checked (`allowJs`, `checkJs`).
/// A tsconfig.json is written because `types: []` cannot be said on tsc's command line, and
/// tsc ignores tsconfig.json when files are named there.
fn type_check(tsc: &Path, dir: &Path, declarations: &Path, scripts: &[PathBuf]) -> Output {
    let mut files = vec![declarations.to_path_buf()];
    files.extend(scripts.iter().cloned());
    let config = serde_json::json!({
        "compilerOptions": {
            "noEmit": true,
            "allowJs": true,
            "checkJs": true,
            "target": "es2023",
            "module": "es2022",
            "lib": ["es2023"],
            "moduleDetection": "force",
            "types": [],
            "pretty": false,
        },
        "files": files,
    });
    let config_path = dir.join("tsconfig.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    // The compiler's own entry point run by node (which npm runs on): no npx argument parsing,
    // no chance of npx fetching some other package.
    Command::new("node")
        .arg(tsc)
        .arg("--project")
        .arg(&config_path)
        .output()
        .expect("run node with the TypeScript compiler")
}

#[test]
fn every_javascript_example_type_checks_against_the_declarations() {
    let Some(tsc) = skip_without_npm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let declarations = generate_declarations(dir.path());
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo_root().join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "js"))
        .collect();
    examples.sort();
    assert!(
        examples.len() >= 10,
        "expected the JS examples, found {examples:?}"
    );
    let out = type_check(tsc, dir.path(), &declarations, &examples);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !stdout.contains("error TS"),
        "tsc found errors in the examples against `llmspell defs --ts`:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_misspelled_api_member_is_a_type_error() {
    let Some(tsc) = skip_without_npm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let declarations = generate_declarations(dir.path());
    let script = dir.path().join("misspelled.js");
    std::fs::write(
        &script,
        "const agent = Agent.craete({ model: \"mock/echo\" });\n\
         console.log((await agent.execute(\"hi\")).text);\n",
    )
    .unwrap();
    let out = type_check(tsc, dir.path(), &declarations, &[script]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "tsc accepted a misspelled member:\n{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|line| line.contains("error TS") && line.contains("craete")),
        "tsc's errors do not mention `craete`:\n{stdout}"
    );
}
