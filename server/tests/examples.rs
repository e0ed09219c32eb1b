//! Runs every `examples/*.lua` and `examples/*.js` through the built `llmspell` binary and
//! compares its output with its golden file (`examples/expected/NAME.out` for Lua,
//! `examples/expected/NAME.js.out` for JavaScript), so the examples a new user copies from always
//! run, and a change in what they print is seen in review. Every example exists in both
//! languages.
//!
//! `UPDATE_GOLDEN=1 cargo test -p llmspell-server --test examples` rewrites the golden files
//! instead of comparing. A script that needs arguments declares them in its opening comment
//! block with a line `-- args: one two` (`// args: one two` in JavaScript); see
//! examples/README.md.

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

/// The languages the examples are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    Lua,
    JavaScript,
}

impl Language {
    const ALL: [Language; 2] = [Language::Lua, Language::JavaScript];

    fn extension(self) -> &'static str {
        match self {
            Language::Lua => "lua",
            Language::JavaScript => "js",
        }
    }

    /// What starts a line comment.
    fn comment(self) -> &'static str {
        match self {
            Language::Lua => "--",
            Language::JavaScript => "//",
        }
    }

    /// The end of the golden file's name after the example's name. Lua's golden files were
    /// there first and keep their plain `.out`.
    fn golden_suffix(self) -> &'static str {
        match self {
            Language::Lua => ".out",
            Language::JavaScript => ".js.out",
        }
    }
}

fn golden_path(name: &str, language: Language) -> PathBuf {
    examples_dir()
        .join("expected")
        .join(format!("{name}{}", language.golden_suffix()))
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

fn example_names(language: Language) -> Vec<String> {
    let names = stems_with_extension(&examples_dir(), language.extension());
    assert!(
        !names.is_empty(),
        "no .{} examples found in {}",
        language.extension(),
        examples_dir().display()
    );
    names
}

fn read_example(name: &str, language: Language) -> String {
    let path = examples_dir().join(format!("{name}.{}", language.extension()));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The lines of the script's opening comment block: the comment lines before the first other
/// line.
fn opening_comment(script: &str, language: Language) -> Vec<&str> {
    script
        .lines()
        .take_while(|line| line.starts_with(language.comment()))
        .collect()
}

/// The arguments a script declares with `-- args: ...` (`// args: ...`) in its opening comment
/// block.
fn declared_args(script: &str, language: Language) -> Vec<String> {
    opening_comment(script, language)
        .iter()
        .filter_map(|line| {
            line.strip_prefix(language.comment())?
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
fn check_example(name: &str, language: Language) -> Result<(), String> {
    let script = format!("examples/{name}.{}", language.extension());
    let args = declared_args(&read_example(name, language), language);
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
    check_golden(&golden_path(name, language), &outcome.stdout)
}

#[test]
fn every_example_runs_and_prints_its_golden_output() {
    let failures: Vec<String> = Language::ALL
        .into_iter()
        .flat_map(|language| {
            example_names(language).into_iter().filter_map(move |name| {
                check_example(&name, language)
                    .err()
                    .map(|e| format!("== {name}.{}: {e}", language.extension()))
            })
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
    let stale: Vec<String> = stems_with_extension(&examples_dir().join("expected"), "out")
        .into_iter()
        .filter(|stem| {
            // `NAME.js` for `NAME.js.out`, `NAME` for Lua's `NAME.out`.
            let (name, language) = match stem.strip_suffix(".js") {
                Some(name) => (name, Language::JavaScript),
                None => (stem.as_str(), Language::Lua),
            };
            !example_names(language).iter().any(|n| n == name)
        })
        .map(|stem| format!("{stem}.out"))
        .collect();
    assert!(
        stale.is_empty(),
        "golden files without an example (delete them): {stale:?}"
    );
}

#[test]
fn every_example_has_a_twin_in_the_other_language() {
    // The examples teach the same API in both languages; one without its twin is unfinished.
    let (lua, js) = (
        example_names(Language::Lua),
        example_names(Language::JavaScript),
    );
    let lua_only: Vec<&String> = lua.iter().filter(|n| !js.contains(n)).collect();
    let js_only: Vec<&String> = js.iter().filter(|n| !lua.contains(n)).collect();
    assert!(
        lua_only.is_empty() && js_only.is_empty(),
        "examples without a JavaScript twin: {lua_only:?}; without a Lua twin: {js_only:?}"
    );
}

#[test]
fn every_example_is_introduced_listed_and_short() {
    let readme_path = examples_dir().join("README.md");
    let readme = fs::read_to_string(&readme_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", readme_path.display()));
    let mut problems = Vec::new();
    for language in Language::ALL {
        let (ext, comment_start) = (language.extension(), language.comment());
        for name in example_names(language) {
            let file = format!("{name}.{ext}");
            let script = read_example(&name, language);
            let comment = opening_comment(&script, language).join("\n");
            if !comment.starts_with(&format!("{comment_start} {file}: ")) {
                problems.push(format!(
                    "{file}: must open with `{comment_start} {file}: what it shows`"
                ));
            }
            if !comment.contains(&format!("llmspell run examples/{file}")) {
                problems.push(format!(
                    "{file}: its opening comment must say how to run it (`llmspell run examples/{file}`)"
                ));
            }
            if !readme.contains(&format!("[{file}]({file})")) {
                problems.push(format!("{file}: not listed in examples/README.md"));
            }
            let lines = script.lines().count();
            if lines > MAX_EXAMPLE_LINES {
                problems.push(format!(
                    "{file}: {lines} lines; examples stay under {MAX_EXAMPLE_LINES}, split it"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn args_are_read_from_the_opening_comment_only() {
    let script = "-- demo.lua: shows things\n--\n-- args: Ada  3 x\n\n-- args: ignored\nprint(1)\n";
    assert_eq!(declared_args(script, Language::Lua), ["Ada", "3", "x"]);
    assert!(declared_args("print(1)\n-- args: late\n", Language::Lua).is_empty());
    let script = "// demo.js: shows things\n//\n// args: Ada 3\n\nconsole.log(1);\n";
    assert_eq!(declared_args(script, Language::JavaScript), ["Ada", "3"]);
    // Each language reads only its own comments.
    assert!(declared_args(script, Language::Lua).is_empty());
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
