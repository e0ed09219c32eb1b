//! Runs every `examples/*.lua` through the built `llmspell` binary and compares its output with
//! the golden file `examples/expected/NAME.out`, so the examples a new user copies from always
//! run, and a change in what they print is seen in review.
//!
//! `UPDATE_GOLDEN=1 cargo test -p llmspell-server --test examples` rewrites the golden files
//! instead of comparing. A script that needs arguments declares them in its opening comment
//! block with a line `-- args: one two`; see examples/README.md.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::run_llmspell;

/// The longest an example may be: they are teaching material, one idea each.
const MAX_EXAMPLE_LINES: usize = 60;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate lives inside the workspace")
        .to_owned()
}

fn examples_dir() -> PathBuf {
    workspace_root().join("examples")
}

fn golden_path(name: &str) -> PathBuf {
    examples_dir().join("expected").join(format!("{name}.out"))
}

/// The names (without extension) of the files in `dir` ending in `.EXT`, sorted.
fn stems_with_extension(dir: &Path, ext: &str) -> Vec<String> {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.extension().is_some_and(|x| x == ext))
        .filter_map(|path| path.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn example_names() -> Vec<String> {
    let names = stems_with_extension(&examples_dir(), "lua");
    assert!(
        !names.is_empty(),
        "no examples found in {}",
        examples_dir().display()
    );
    names
}

fn read_example(name: &str) -> String {
    let path = examples_dir().join(format!("{name}.lua"));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The lines of the script's opening comment block: the `--` lines before the first other line.
fn opening_comment(script: &str) -> Vec<&str> {
    script
        .lines()
        .take_while(|line| line.starts_with("--"))
        .collect()
}

/// The arguments a script declares with `-- args: ...` in its opening comment block.
fn declared_args(script: &str) -> Vec<String> {
    opening_comment(script)
        .iter()
        .filter_map(|line| {
            line.trim_start_matches('-')
                .trim_start()
                .strip_prefix("args:")
        })
        .flat_map(str::split_whitespace)
        .map(str::to_owned)
        .collect()
}

fn updating_golden_files() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// Compares `actual` with the golden file at `path`, or rewrites the file when UPDATE_GOLDEN=1.
/// The error says what differs and how to accept the new output.
fn check_golden(path: &Path, actual: &str) -> Result<(), String> {
    if updating_golden_files() {
        let dir = path.parent().expect("a golden file lives in a folder");
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        return fs::write(path, actual)
            .map_err(|e| format!("cannot write {}: {e}", path.display()));
    }
    let expected = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            return Err(format!(
                "cannot read the golden file {} ({e}); create it with \
                 UPDATE_GOLDEN=1 cargo test -p llmspell-server --test examples",
                path.display()
            ));
        }
    };
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "output differs from {}\n{}\n(if the new output is right, accept it with \
         UPDATE_GOLDEN=1 cargo test -p llmspell-server --test examples)",
        path.display(),
        first_difference(&expected, actual)
    ))
}

/// Describes the first line where the two texts differ, with both versions quoted so that
/// tabs and trailing spaces are visible.
fn first_difference(expected: &str, actual: &str) -> String {
    let show = |line: Option<&str>| {
        line.map_or_else(|| "<end of output>".to_owned(), |l| format!("{l:?}"))
    };
    let (mut expected_lines, mut actual_lines) = (expected.lines(), actual.lines());
    let mut number = 1;
    loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => number += 1,
            (None, None) => return "the lines agree; only the final newline differs".to_owned(),
            (e, a) => {
                return format!(
                    "first difference at line {number}:\n  expected: {}\n  actual:   {}",
                    show(e),
                    show(a)
                );
            }
        }
    }
}

/// Runs one example the way examples/README.md tells a user to, from the workspace root, and
/// checks it. Returns every problem found, so one run reports them all.
fn check_example(name: &str) -> Result<(), String> {
    let script = format!("examples/{name}.lua");
    let args = declared_args(&read_example(name));
    let mut argv = vec!["run", script.as_str()];
    if !args.is_empty() {
        argv.push("--");
        argv.extend(args.iter().map(String::as_str));
    }
    let outcome = run_llmspell(&workspace_root(), &argv, None);
    if outcome.code != Some(0) {
        return Err(format!(
            "`llmspell {}` failed\n{}",
            argv.join(" "),
            outcome.describe()
        ));
    }
    // Examples run clean: anything on stderr is a warning a new user would trip over.
    if !outcome.stderr.is_empty() {
        return Err(format!(
            "`llmspell {}` wrote to stderr\n{}",
            argv.join(" "),
            outcome.describe()
        ));
    }
    check_golden(&golden_path(name), &outcome.stdout)
}

#[test]
fn every_example_runs_and_prints_its_golden_output() {
    let failures: Vec<String> = example_names()
        .iter()
        .filter_map(|name| {
            check_example(name)
                .err()
                .map(|e| format!("== {name}.lua: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_golden_file_belongs_to_an_example() {
    // A golden file left behind by a renamed or deleted example would never be checked again.
    let examples = example_names();
    let stale: Vec<String> = stems_with_extension(&examples_dir().join("expected"), "out")
        .into_iter()
        .filter(|name| !examples.contains(name))
        .collect();
    assert!(
        stale.is_empty(),
        "golden files without an example (delete them): {stale:?}"
    );
}

#[test]
fn every_example_is_introduced_listed_and_short() {
    let readme_path = examples_dir().join("README.md");
    let readme = fs::read_to_string(&readme_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", readme_path.display()));
    let mut problems = Vec::new();
    for name in example_names() {
        let script = read_example(&name);
        let comment = opening_comment(&script).join("\n");
        if !comment.starts_with(&format!("-- {name}.lua: ")) {
            problems.push(format!(
                "{name}.lua: must open with `-- {name}.lua: what it shows`"
            ));
        }
        if !comment.contains(&format!("llmspell run examples/{name}.lua")) {
            problems.push(format!(
                "{name}.lua: its opening comment must say how to run it (`llmspell run examples/{name}.lua`)"
            ));
        }
        if !readme.contains(&format!("[{name}.lua]({name}.lua)")) {
            problems.push(format!("{name}.lua: not listed in examples/README.md"));
        }
        let lines = script.lines().count();
        if lines > MAX_EXAMPLE_LINES {
            problems.push(format!(
                "{name}.lua: {lines} lines; examples stay under {MAX_EXAMPLE_LINES}, split it"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn args_are_read_from_the_opening_comment_only() {
    let script = "-- demo.lua: shows things\n--\n-- args: Ada  3 x\n\n-- args: ignored\nprint(1)\n";
    assert_eq!(declared_args(script), ["Ada", "3", "x"]);
    assert!(declared_args("print(1)\n-- args: late\n").is_empty());
}

#[test]
fn first_difference_points_at_the_line_that_changed() {
    assert_eq!(
        first_difference("a\nb\nc\n", "a\nB\nc\n"),
        "first difference at line 2:\n  expected: \"b\"\n  actual:   \"B\""
    );
    assert_eq!(
        first_difference("a\n", "a\nextra\n"),
        "first difference at line 2:\n  expected: <end of output>\n  actual:   \"extra\""
    );
    assert_eq!(
        first_difference("a\n", "a"),
        "the lines agree; only the final newline differs"
    );
}
