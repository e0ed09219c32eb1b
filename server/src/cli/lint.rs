//! `llmspell lint [PATHS...]`: the editor's diagnostics for CI. Exit codes: 0 clean (warnings
//! within `--max-warnings`), 1 findings that fail the run, 2 a usage, configuration or IO error
//! that kept the lint from running.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Args;

use crate::analysis::Severity;
use crate::lint::format::{self, Format};
use crate::lint::{LintOptions, lint};

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files and folders to lint (default: the current folder). `-` reads one file from
    /// standard input; name it with --stdin-filename.
    paths: Vec<PathBuf>,
    /// Output format: human, json, github (workflow annotations) or sarif (2.1.0).
    #[arg(long, default_value = "human", value_parser = parse_format)]
    format: Format,
    /// Fail (exit 1) when there are more warnings than this; errors always fail.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Use this llmspell.toml for every file instead of the one found above each file.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Set a rule's severity for this run: `--rule unused-local=off` (off, hint, info, warn,
    /// error). Repeatable.
    #[arg(long = "rule", value_name = "CODE=LEVEL", value_parser = parse_rule)]
    rules: Vec<(String, Option<Severity>)>,
    /// The path the text read from stdin (`-`) stands for: its extension picks the language and
    /// its folder the llmspell.toml.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::parse(name).ok_or_else(|| {
        format!(
            "unknown format '{name}' (formats: {})",
            Format::NAMES.join(", ")
        )
    })
}

fn parse_rule(text: &str) -> Result<(String, Option<Severity>), String> {
    let (code, level) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not CODE=LEVEL (e.g. unused-local=off)"))?;
    let severity = match level {
        "off" => None,
        "hint" => Some(Severity::Hint),
        "info" => Some(Severity::Info),
        "warn" | "warning" => Some(Severity::Warning),
        "error" => Some(Severity::Error),
        _ => {
            return Err(format!(
                "unknown level '{level}' for rule '{code}' (levels: off, hint, info, warn, error)"
            ));
        }
    };
    Ok((code.to_owned(), severity))
}

pub fn run(args: LintArgs) -> i32 {
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let stdin = if reads_stdin {
        if args.paths.len() != 1 {
            return usage("`-` (stdin) cannot be combined with other paths");
        }
        let Some(name) = args.stdin_filename.clone() else {
            return usage("`-` needs --stdin-filename PATH, to know the language and the config");
        };
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
            return usage(&format!("cannot read standard input: {e}"));
        }
        Some((name, bytes))
    } else {
        if args.stdin_filename.is_some() {
            return usage("--stdin-filename is only for `-` (stdin)");
        }
        None
    };
    let options = LintOptions {
        paths: if reads_stdin { Vec::new() } else { args.paths },
        config_file: args.config,
        rule_overrides: args.rules.into_iter().collect(),
        stdin,
    };
    let report = match lint(&options) {
        Ok(report) => report,
        Err(e) => return usage(&e.0),
    };
    let text = format::render(&report, args.format);
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return usage(&format!("cannot write the report: {e}")),
    }
    i32::from(report.fails(args.max_warnings))
}

fn usage(message: &str) -> i32 {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    2
}
