//! Finding and reading the files to lint. Folders are walked with the `ignore` crate (the
//! walker of ripgrep), so `.gitignore`, `.ignore` and hidden files are treated as developers
//! expect, plus the `[lint] exclude` globs; files named on the command line are always linted.
//! A file's bytes become text only when they are UTF-8 and not binary; otherwise the problem,
//! with where it is, is what gets reported.

use std::path::PathBuf;

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

use super::LintError;
use super::report::{LineColumn, LineStarts, Problem};
use crate::analysis::language_of_path;

/// `[lint] exclude` globs and the folder they are relative to.
#[derive(Debug, Clone)]
pub struct Exclude {
    root: PathBuf,
    globs: Vec<String>,
}

impl Exclude {
    pub fn new(root: PathBuf, globs: Vec<String>) -> Self {
        Exclude { root, globs }
    }
}

/// The `.lua`, `.js` and `.mjs` files under `paths`, in a stable order. A path that does not
/// exist, or an invalid glob, is an error.
pub fn script_files(paths: &[PathBuf], exclude: &Exclude) -> Result<Vec<PathBuf>, LintError> {
    let root = std::path::absolute(&exclude.root).unwrap_or_else(|_| exclude.root.clone());
    let mut overrides = OverrideBuilder::new(&root);
    for glob in &exclude.globs {
        // In an override, a `!` glob is one to leave out.
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| LintError(format!("invalid [lint] exclude glob '{glob}': {e}")))?;
    }
    let overrides = overrides
        .build()
        .map_err(|e| LintError(format!("invalid [lint] exclude globs: {e}")))?;
    let mut out = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| LintError(format!("{}: {e}", path.display())))?;
        if meta.is_file() {
            out.push(path.clone());
            continue;
        }
        let walk = WalkBuilder::new(path)
            // `.gitignore` applies whether or not the folder is a git checkout.
            .require_git(false)
            .overrides(overrides.clone())
            .sort_by_file_name(std::ffi::OsStr::cmp)
            .build();
        for entry in walk {
            let entry = entry.map_err(|e| LintError(format!("walking {}: {e}", path.display())))?;
            // A symlink named like a script is linted through its target (folders behind
            // links are not entered, so a link cycle cannot loop); a dangling one then
            // reports that it cannot be read rather than vanishing from the run.
            let is_file = entry
                .file_type()
                .is_some_and(|t| t.is_file() || t.is_symlink());
            if is_file && language_of_path(entry.path()).is_some() {
                out.push(entry.into_path());
            }
        }
    }
    out.dedup();
    Ok(out)
}

/// The problem of a file that could not be read.
pub fn unreadable(e: &std::io::Error) -> Problem {
    Problem::new(
        "unreadable-file",
        format!("cannot read the file: {e}"),
        LineColumn { line: 1, column: 1 },
    )
}

/// The text of a file's bytes, or why they are not a script: a NUL byte (a binary file) or
/// bytes that are not UTF-8, each with where it is.
pub fn decode(bytes: Vec<u8>) -> Result<String, Problem> {
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let at = position_in(&bytes, nul);
        return Err(Problem::new(
            "binary-file",
            format!(
                "a binary file (a NUL byte at line {}, column {}); not analysed",
                at.line, at.column
            ),
            at,
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let at = position_in(&bytes, valid);
        Problem::new(
            "invalid-utf8",
            format!(
                "not UTF-8: byte 0x{:02x} at line {}, column {} is not valid; not analysed",
                bytes[valid], at.line, at.column
            ),
            at,
        )
    })
}

/// The line and column of byte `at` in `bytes`, counting the valid UTF-8 before it.
fn position_in(bytes: &[u8], at: usize) -> LineColumn {
    let before = String::from_utf8_lossy(&bytes[..at]);
    let lines = LineStarts::new(&before);
    lines.line_column(&before, before.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_invalid_bytes_are_located() {
        let nul = decode(b"local a = 1\nx\0y".to_vec()).unwrap_err();
        assert_eq!(nul.code, "binary-file");
        assert_eq!(nul.at, LineColumn { line: 2, column: 2 });
        let bad = decode(b"print(1)\n-- \xe9t\xe9\n".to_vec()).unwrap_err();
        assert_eq!(bad.code, "invalid-utf8");
        assert_eq!(bad.at, LineColumn { line: 2, column: 4 });
        assert!(bad.message.contains("byte 0xe9"), "{}", bad.message);
        assert_eq!(decode(b"ok".to_vec()).as_deref(), Ok("ok"));
    }
}
