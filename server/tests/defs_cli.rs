//! `llmspell defs` on the command line: exactly one of `--lua` and `--ts` (anything else is a
//! usage error, exit 2), and what it prints is the checked-in docs/defs/ file.

use std::path::Path;
use std::process::{Command, Output};

fn defs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_llmspell"))
        .arg("defs")
        .args(args)
        .output()
        .expect("run llmspell defs")
}

#[test]
fn defs_needs_exactly_one_language() {
    for args in [&[][..], &["--lua", "--ts"][..]] {
        let out = defs(args);
        assert_eq!(out.status.code(), Some(2), "llmspell defs {args:?}");
        assert!(
            out.stdout.is_empty(),
            "a usage error prints nothing to stdout"
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: llmspell defs"));
    }
}

#[test]
fn defs_prints_the_generated_files() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/defs");
    for (flag, file) in [("--lua", "llmspell.d.lua"), ("--ts", "llmspell.d.ts")] {
        let out = defs(&[flag]);
        assert_eq!(out.status.code(), Some(0), "llmspell defs {flag}");
        let golden = std::fs::read_to_string(docs.join(file)).unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout) == golden,
            "`llmspell defs {flag}` differs from docs/defs/{file}; regenerate with \
             `UPDATE_GOLDEN=1 cargo test -p llmspell-runtime --test defs`"
        );
    }
    assert!(defs(&["--lua"]).stdout.starts_with(b"---@meta\n"));
}
