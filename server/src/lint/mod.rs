//! `llmspell lint`: the language server's analysis run over files on disk, for CI. It finds the
//! scripts (walking folders, respecting `.gitignore` and `[lint] exclude`), reads each one,
//! judges it with exactly the rules and configuration the editor uses
//! (`analysis::document::ParsedDocument` with the `llmspell.toml` that governs the file), in
//! parallel, and returns a report that `format` renders for people or machines.
//!
//! Nothing here prints: the CLI does, so the library stays usable from tests and tools.

pub mod files;
pub mod format;
pub mod report;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::analysis::Severity;
use crate::analysis::diagnostics::{self, AnalysisConfig, AwaitingTools};
use crate::analysis::document::ParsedDocument;
use crate::analysis::language_of_path;
use crate::analysis::stack::parallel_map;
use crate::analysis::symbols::SymbolKind;

pub use report::{FileReport, Finding, LintReport};

/// What to lint and how.
#[derive(Debug, Default)]
pub struct LintOptions {
    /// Files and folders; the current folder when empty.
    pub paths: Vec<PathBuf>,
    /// `--config FILE`: this configuration for every file, instead of each file's own.
    pub config_file: Option<PathBuf>,
    /// `--rule CODE=LEVEL`: severities over the configuration's (`None` turns a rule off).
    pub rule_overrides: BTreeMap<String, Option<Severity>>,
    /// `-`: the text of one file read from stdin, with the name it stands for.
    pub stdin: Option<(PathBuf, Vec<u8>)>,
}

/// Why a lint could not run at all (exit code 2), as opposed to findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintError(pub String);

impl std::fmt::Display for LintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lints what `options` names. Findings and unreadable files are in the report; only a bad
/// configuration, an unknown rule code or a path that does not exist stop the run.
pub fn lint(options: &LintOptions) -> Result<LintReport, LintError> {
    for code in options.rule_overrides.keys() {
        if diagnostics::rule(code).is_none() {
            let known: Vec<&str> = diagnostics::RULES.iter().map(|r| r.code).collect();
            return Err(LintError(format!(
                "unknown rule '{code}' in --rule (rules: {})",
                known.join(", ")
            )));
        }
    }
    let mut configs = Configs::new(options)?;
    let mut inputs: Vec<Input> = Vec::new();
    if let Some((name, bytes)) = &options.stdin {
        inputs.push(Input::Stdin(name.clone(), bytes.clone()));
    } else {
        let cwd = std::env::current_dir().map_err(|e| LintError(format!("current folder: {e}")))?;
        let paths = if options.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            options.paths.clone()
        };
        let exclude = configs.exclude_for(&cwd)?;
        for path in files::script_files(&paths, &exclude)? {
            inputs.push(Input::File(path));
        }
    }
    // Every folder's configuration is read before linting starts, so an invalid one stops the
    // run (exit 2) instead of turning up as findings in some files.
    for input in &inputs {
        configs.load_for(&input.folder())?;
    }
    let reports = lint_in_parallel(&inputs, &configs);
    Ok(LintReport { files: reports })
}

enum Input {
    File(PathBuf),
    Stdin(PathBuf, Vec<u8>),
}

impl Input {
    fn path(&self) -> &Path {
        match self {
            Input::File(path) | Input::Stdin(path, _) => path,
        }
    }

    /// The folder whose `llmspell.toml` governs the file.
    fn folder(&self) -> PathBuf {
        std::path::absolute(self.path())
            .ok()
            .and_then(|p| p.parent().map(Path::to_owned))
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// Each file's analysis settings: from `--config`, or from the `llmspell.toml` above it (found
/// once per folder), with the `--rule` overrides on top.
struct Configs<'a> {
    options: &'a LintOptions,
    fixed: Option<(AnalysisConfig, Vec<String>, PathBuf)>,
    /// Filled by [`Configs::load_for`] before linting starts; read-only afterwards.
    by_folder: HashMap<PathBuf, AnalysisConfig>,
}

impl<'a> Configs<'a> {
    fn new(options: &'a LintOptions) -> Result<Self, LintError> {
        let fixed = match &options.config_file {
            Some(file) => {
                let loaded = llmspell_runtime::Config::load_file(file)
                    .map_err(|e| LintError(format!("invalid configuration: {e}")))?;
                Some((
                    AnalysisConfig::from_config(&loaded.config),
                    loaded.config.lint.exclude.clone(),
                    loaded.root,
                ))
            }
            None => None,
        };
        Ok(Configs {
            options,
            fixed,
            by_folder: HashMap::new(),
        })
    }

    /// The `[lint] exclude` globs that apply to a walk started in `cwd`, with the folder they
    /// are relative to.
    fn exclude_for(&self, cwd: &Path) -> Result<files::Exclude, LintError> {
        if let Some((_, exclude, root)) = &self.fixed {
            return Ok(files::Exclude::new(root.clone(), exclude.clone()));
        }
        let loaded = llmspell_runtime::Config::discover(cwd)
            .map_err(|e| LintError(format!("invalid configuration: {e}")))?;
        Ok(files::Exclude::new(loaded.root, loaded.config.lint.exclude))
    }

    /// Reads the configuration that governs `folder`, once per folder.
    fn load_for(&mut self, folder: &Path) -> Result<(), LintError> {
        if self.fixed.is_some() || self.by_folder.contains_key(folder) {
            return Ok(());
        }
        let loaded = llmspell_runtime::Config::discover(folder)
            .map_err(|e| LintError(format!("invalid configuration: {e}")))?;
        self.by_folder.insert(
            folder.to_owned(),
            AnalysisConfig::from_config(&loaded.config),
        );
        Ok(())
    }

    /// The settings for a file in `folder` (loaded by [`Configs::load_for`]).
    fn for_folder(&self, folder: &Path) -> AnalysisConfig {
        let mut config = match &self.fixed {
            Some((config, _, _)) => config.clone(),
            None => self.by_folder.get(folder).cloned().unwrap_or_default(),
        };
        for (code, severity) in &self.options.rule_overrides {
            config.severities.insert(code.clone(), *severity);
        }
        config
    }
}

/// Lints every input on all cores, in two passes like the language server: the first parses
/// every file, judges it by every rule but `unknown-tool` and collects the tools it registers
/// by name (the workspace index); the second finishes each file knowing the tools the others
/// register. Between the two only each file's text and findings are kept, not its parse: the
/// parses of thousands of files took hundreds of megabytes, and faulting those pages in was a
/// fifth of the run. Reports come back in input order.
fn lint_in_parallel(inputs: &[Input], configs: &Configs) -> Vec<FileReport> {
    let parsed = parallel_map(inputs, cores(), |input| parse_one(input, configs));
    // Every tool any linted file registers, once: a file's own names among them change
    // nothing, since `unknown-tool` knows what the file itself registers.
    let mut registered: Vec<String> = parsed
        .iter()
        .flat_map(|p| match p {
            Parsed::Document { registered, .. } => registered.as_slice(),
            Parsed::Problem(_) => &[],
        })
        .cloned()
        .collect();
    registered.sort_unstable();
    registered.dedup();
    let registered: std::sync::Arc<[String]> = registered.into();
    // Each file is taken by the worker that finishes it, which moves its text into the report.
    let parsed: Vec<(usize, Mutex<Option<Parsed>>)> = parsed
        .into_iter()
        .map(|p| Mutex::new(Some(p)))
        .enumerate()
        .collect();
    parallel_map(&parsed, cores(), |(i, slot)| {
        let taken = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        match taken {
            None => unreachable!("each file is judged once"),
            Some(Parsed::Problem(report)) => *report,
            Some(Parsed::Document { text, findings, .. }) => {
                let diagnostics = findings.finish(&text, &registered);
                FileReport::new(inputs[*i].path().to_owned(), text, diagnostics)
            }
        }
    })
}

/// How many workers lint on: one per core.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A file read and judged but for the tools of other files, or the problem that kept it from
/// being parsed.
enum Parsed {
    Document {
        text: String,
        findings: Box<AwaitingTools>,
        /// The tools it registers by name (`Tool.register{ name = "..." }`).
        registered: Vec<String>,
    },
    Problem(Box<FileReport>),
}

fn parse_one(input: &Input, configs: &Configs) -> Parsed {
    let path = input.path().to_owned();
    let bytes = match input {
        Input::File(path) => match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                return Parsed::Problem(Box::new(FileReport::problem(
                    path.clone(),
                    files::unreadable(&e),
                )));
            }
        },
        Input::Stdin(_, bytes) => bytes.clone(),
    };
    let text = match files::decode(bytes) {
        Ok(text) => text,
        Err(problem) => return Parsed::Problem(Box::new(FileReport::problem(path, problem))),
    };
    let Some(language) = language_of_path(&path) else {
        return Parsed::Problem(Box::new(FileReport::problem(
            path,
            report::Problem::unknown_language(),
        )));
    };
    let document = ParsedDocument::parse(language, &text);
    let registered = document
        .symbols()
        .into_iter()
        .filter(|s| s.registered && s.kind == SymbolKind::Tool)
        .map(|s| s.name)
        .collect();
    let findings = document.diagnostics_awaiting_tools(&configs.for_folder(&input.folder()));
    Parsed::Document {
        text: document.into_text(),
        findings: Box::new(findings),
        registered,
    }
}
