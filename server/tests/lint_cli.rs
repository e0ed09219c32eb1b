//! `llmspell lint` end to end, through the real binary: exit codes, each output format, what
//! the walk lints and skips (.gitignore, `[lint] exclude`, explicit paths), stdin, rule
//! overrides, configuration errors, and hostile files that must each give one clear finding
//! while the run goes on through the others.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const LLMSPELL: &str = env!("CARGO_BIN_EXE_llmspell");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint_corpus")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(LLMSPELL)
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run llmspell lint")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(out)))
}

/// `(path, code)` of every finding of a JSON report.
fn codes(report: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in report["files"].as_array().expect("files") {
        for d in file["diagnostics"].as_array().expect("diagnostics") {
            out.push((
                file["path"].as_str().expect("path").to_owned(),
                d["code"].as_str().expect("code").to_owned(),
            ));
        }
    }
    out
}

#[test]
fn the_examples_are_clean() {
    let out = lint(&examples(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("files linted, no problems\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn human_output_locates_each_finding_with_a_caret() {
    let out = lint(&corpus(), &["agents.lua"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let expected = "\
agents.lua:3:22: error[unknown-member] Agent has no member 'craete' (did you mean 'create'?)
 3 | local critic = Agent.craete{ model = \"nowhere/x\" }
   |                      ^^^^^^
";
    assert!(text.contains(expected), "{text}");
    assert!(
        text.ends_with("9 problems (7 errors, 1 warning, 1 info, 0 hints) in 1 of 1 file\n"),
        "{text}"
    );
}

#[test]
fn json_output_has_every_file_and_the_totals() {
    let out = lint(&corpus(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["version"], 1);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "agents.lua",
            "broken.lua",
            "nested/clean.mjs",
            "nested/suppressed.lua",
            "nested/tools.lua",
            "pipeline.js"
        ]
    );
    let first = &report["files"][0]["diagnostics"][0];
    assert_eq!(first["code"], "unknown-config-field");
    assert_eq!(
        (
            &first["line"],
            &first["column"],
            &first["end_line"],
            &first["end_column"]
        ),
        (
            &Value::from(2),
            &Value::from(52),
            &Value::from(2),
            &Value::from(62)
        )
    );
    assert_eq!(report["summary"]["errors"], 13, "{report}");
    assert_eq!(report["summary"]["files"], 6);
    // The tool nested/tools.lua registers is known in pipeline.js, as in the editor; linted
    // alone, pipeline.js cannot know it.
    assert!(
        !report.to_string().contains("unknown tool 'shout'"),
        "{report}"
    );
    let alone = json(&lint(&corpus(), &["--format", "json", "pipeline.js"]));
    assert!(
        alone.to_string().contains("unknown tool 'shout'"),
        "{alone}"
    );
    // The config's severity applies (`unused-local = "info"`); suppressions hold.
    assert!(codes(&report).contains(&("agents.lua".into(), "unused-local".into())));
    assert!(!codes(&report).contains(&("nested/suppressed.lua".into(), "unused-local".into())));
}

#[test]
fn github_output_is_workflow_commands() {
    let out = lint(&corpus(), &["--format", "github", "pipeline.js"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("::warning file=pipeline.js,line=4,col=13,endLine=4,endColumn=14,title=llmspell missing-await::this is a Promise of AgentResult: add `await` before reading '.text'\n"),
        "{text}"
    );
    assert!(
        text.starts_with("::error file=pipeline.js,line=2,col=46,"),
        "{text}"
    );
    assert!(
        text.ends_with("llmspell lint: 4 errors, 1 warning, 0 info, 0 hints in 1 file\n"),
        "{text}"
    );
}

#[test]
fn exit_codes_follow_errors_warnings_and_rule_overrides() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("w.lua"), "print(not_defined)\n").expect("write");
    // A warning alone passes, unless more warnings than --max-warnings are allowed.
    assert_eq!(lint(dir.path(), &[]).status.code(), Some(0));
    assert_eq!(
        lint(dir.path(), &["--max-warnings", "1"]).status.code(),
        Some(0)
    );
    assert_eq!(
        lint(dir.path(), &["--max-warnings", "0"]).status.code(),
        Some(1)
    );
    let raised = lint(dir.path(), &["--rule", "undefined-global=error"]);
    assert_eq!(raised.status.code(), Some(1));
    assert!(stdout(&raised).contains("error[undefined-global]"));
    let off = lint(
        dir.path(),
        &["--rule", "undefined-global=off", "--max-warnings", "0"],
    );
    assert_eq!(off.status.code(), Some(0), "{}", stdout(&off));
    // Usage errors: an unknown rule, level or format, a missing path.
    for args in [
        &["--rule", "no-such-rule=off"][..],
        &["--rule", "unused-local=loud"],
        &["--rule", "unused-local"],
        &["--format", "xml"],
        &["missing.lua"],
    ] {
        let out = lint(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} explains itself");
    }
}

#[test]
fn walks_respect_gitignore_and_lint_exclude_but_not_for_named_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = "local x = Agent.nope\n";
    for name in [
        "keep.lua",
        "ignored/a.lua",
        "gen/b.js",
        ".hidden/c.lua",
        "notes.txt",
    ] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bad).expect("write");
    }
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").expect("write");
    std::fs::write(
        dir.path().join("llmspell.toml"),
        "[lint]\nexclude = [\"gen/**\"]\n",
    )
    .expect("write");
    let walked = json(&lint(dir.path(), &["--format", "json"]));
    let files: Vec<&str> = walked["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(files, ["keep.lua"], "{walked}");
    let named = json(&lint(
        dir.path(),
        &["--format", "json", "ignored/a.lua", "gen/b.js"],
    ));
    assert_eq!(named["summary"]["files"], 2, "{named}");
}

#[test]
fn stdin_is_linted_under_the_name_given() {
    let mut child = Command::new(LLMSPELL)
        .args([
            "lint",
            "-",
            "--stdin-filename",
            "nested/x.js",
            "--format",
            "json",
        ])
        .current_dir(corpus())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"Agent.lst();\n")
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        codes(&json(&out)),
        [("nested/x.js".to_owned(), "unknown-member".to_owned())]
    );
    // `-` without a name cannot know its language.
    let out = lint(&corpus(), &["-"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_invalid_config_stops_the_run_naming_the_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.lua"), "print(1)\n").expect("write");
    std::fs::write(dir.path().join("llmspell.toml"), "[lint]\nglobal = []\n").expect("write");
    let out = lint(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("llmspell.toml:2"), "{stderr}");
}

#[test]
fn hostile_files_each_get_one_clear_finding_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes);
    write("good.lua", b"print(Agent.nope)\n").expect("write");
    write("binary.lua", b"\x7fELF\0\0\x01").expect("write");
    write("latin1.js", b"// caf\xe9\n").expect("write");
    write(
        "huge.lua",
        "print(\"padding padding padding\")\n"
            .repeat(330_000)
            .as_bytes(),
    )
    .expect("write");
    write(
        "deep.lua",
        format!("x = {}1{}\n", "(".repeat(20_000), ")".repeat(20_000)).as_bytes(),
    )
    .expect("write");
    write(
        "deep.js",
        format!("{}{}\n", "[".repeat(20_000), "]".repeat(20_000)).as_bytes(),
    )
    .expect("write");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling.lua"))
        .expect("symlink");
    let out = lint(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let mut found = codes(&json(&out));
    found.sort();
    let expected: Vec<(String, String)> = [
        ("binary.lua", "binary-file"),
        ("dangling.lua", "unreadable-file"),
        ("deep.js", "nesting-too-deep"),
        ("deep.lua", "nesting-too-deep"),
        ("good.lua", "unknown-member"),
        ("huge.lua", "file-too-large"),
        ("latin1.js", "invalid-utf8"),
    ]
    .iter()
    .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(found, expected);
}
