//! `cargo xtask fuzz [--lang lua|js|both] [--cases N] [--seed S]`: random documents and random
//! edits fed to both of the language server's analyzers, Lua and JavaScript (parse, every
//! diagnostic rule with its fixes, document symbols, and completion, hover, signature help and
//! go to definition at random offsets), checking that none of it panics and that every range
//! the answers carry is a valid range of the text (see [`mod@analyse`] for the invariants).
//!
//! Why a home-made generator rather than cargo-fuzz: it runs on stable Rust with no extra tools,
//! it is deterministic (a seed reproduces a run exactly, on any machine), and it knows the API,
//! so most inputs are near-valid API code with damage in it, which is what an editor sends while
//! someone types, rather than noise the lexer rejects at its first byte.
//!
//! Each language gets its own run of `--cases` cases (100,000 by default, so the default run
//! feeds 200,000), with its own corpus ([`corpus`]: that language's example scripts, snippets
//! from the API definition's examples in that language, and tokens its lexer cares about). A
//! language's cases depend only on the seed and the language, so `--lang js` reproduces the
//! JavaScript half of a `--lang both` run. The cases form editing sessions: a session starts
//! from a document (an example script, API snippets, or nothing) and each case applies one
//! random edit to the previous case's text (insert, delete, replace, duplicate, a burst of
//! nesting, random bytes turned into characters, changed line endings) and analyses the result.
//! Any panic, including one that a parser thread swallows, and any broken invariant is a
//! failure: its input and backtrace go to `target/fuzz-failures/` (the file's extension names
//! the language, which is how `--replay` knows it), and the run exits 1. Each language's run
//! ends with what its cases reached (documents with findings, queries answered), so a generator
//! that stopped reaching the features would show rather than pass quietly. Not part of
//! `cargo xtask test` (it takes minutes).

mod analyse;
mod corpus;
mod panics;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use llmspell_server::analysis::Language;
use llmspell_server::analysis::diagnostics::AnalysisConfig;
use llmspell_server::analysis::document::ParsedDocument;

use crate::EXIT_USAGE;
use crate::process::repo_root;
use crate::rng::{Rng, splitmix};
use analyse::{Reached, analyse};
use corpus::Corpus;
use panics::{RecordedPanic, install_panic_recorder, payload_message, take_recorded_panics};

/// What the issue asks for: at least 100,000 cases, here for each language.
pub const DEFAULT_CASES: u64 = 100_000;
const DEFAULT_SEED: u64 = 0x11_5eed;
/// A session ends after this many edits, so the corpus keeps being revisited from a fresh
/// start instead of drifting into one ever-longer mangled text.
const SESSION_EDITS: u64 = 24;
/// Documents grow by edits; past this size a session restarts, keeping a case fast.
const MAX_TEXT: usize = 48 * 1024;
/// Cursor queries per case (completion, hover, signature help and definition at each).
const QUERIES: usize = 6;
/// Distinct failures written to disk per language (the count covers all of them).
const MAX_SAVED: usize = 20;

pub fn run(args: &[String]) -> ExitCode {
    let options = match Options::parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("xtask fuzz: {message}\n\n{}", crate::help());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(path) = &options.replay {
        return replay(path, options.languages);
    }
    let failures_dir = target_dir().join("fuzz-failures");
    install_panic_recorder();
    if cfg!(debug_assertions) {
        println!("[debug build: `cargo run --release -p xtask -- fuzz` is ~5x faster]");
    }
    let mut reports = Vec::new();
    for language in options.languages.unwrap_or(Languages::Both).list() {
        reports.push(fuzz_language(*language, &options, &failures_dir));
    }
    println!("summary (seed {}):", options.seed);
    for report in &reports {
        println!("  {}", report.one_line());
    }
    if reports.iter().all(|r| r.failures == 0) {
        return ExitCode::SUCCESS;
    }
    for report in reports.iter().filter(|r| r.failures > 0) {
        report.summary();
    }
    println!(
        "failing inputs and backtraces: {} (rerun a language's first N cases with \
         `--seed {} --cases N --lang LANG`, or one input with `--replay FILE`)",
        failures_dir.display(),
        options.seed
    );
    ExitCode::FAILURE
}

/// Runs `options.cases` cases of one language and reports them.
fn fuzz_language(language: Language, options: &Options, failures_dir: &Path) -> Report {
    let corpus = Corpus::load(language);
    println!(
        "fuzzing the {} analysis: {} cases, seed {} ({} snippets, {} example scripts)",
        language_name(language),
        options.cases,
        options.seed,
        corpus.snippets.len(),
        corpus.scripts.len(),
    );
    // Each language draws from its own stream, so one language's cases do not change when the
    // other's generator does, and `--lang js` reproduces the JavaScript half of a full run.
    let stream = options.seed ^ language_salt(language);
    let started = Instant::now();
    let mut report = Report::new(language);
    let mut text = String::new();
    let mut rng = Rng::new(stream);
    let mut last_progress = Instant::now();
    for case in 0..options.cases {
        // Each case gets its own generator, derived from the seed and its index, so the edit of
        // case N does not depend on how many random numbers earlier cases happened to draw.
        let mut case_rng = Rng::new(stream ^ splitmix(case));
        if case % SESSION_EDITS == 0 || text.len() > MAX_TEXT {
            text = corpus.start(&mut rng);
        }
        let edit = corpus.mutate(&mut text, &mut case_rng);
        let offsets: Vec<usize> = (0..QUERIES)
            .map(|_| corpus::offset(&text, &mut case_rng))
            .collect();
        let case_started = Instant::now();
        let (reached, panics) = analyse_caught(language, &text, &offsets);
        report.reached.add(&reached);
        report.note_time(case_started.elapsed(), case, text.len());
        // Every distinct panic of the case counts: a parser panic (contained) must not hide a
        // completion panic (which would reach the handler's guard) in the same input.
        let mut seen_here: Vec<String> = Vec::new();
        for recorded in panics {
            if seen_here.contains(&recorded.location) {
                continue;
            }
            seen_here.push(recorded.location.clone());
            let failed = Case {
                seed: options.seed,
                case,
                text: &text,
                edit: &edit,
                offsets: &offsets,
            };
            report.failure(failures_dir, &failed, &recorded);
        }
        if last_progress.elapsed() > Duration::from_secs(10) {
            last_progress = Instant::now();
            println!(
                "  {case} {} cases, {:.0} cases/s, {} failures",
                language.as_str(),
                case as f64 / started.elapsed().as_secs_f64(),
                report.failures
            );
        }
    }
    report.cases = options.cases;
    report.elapsed = started.elapsed();
    println!("  {}", report.one_line());
    println!("  reached: {}", report.reached.describe());
    report
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Lua => "Lua",
        Language::Js => "JavaScript",
    }
}

/// Mixed into the seed per language, so the two languages draw different streams from one seed
/// (only the difference matters: Lua's is 0).
fn language_salt(language: Language) -> u64 {
    match language {
        Language::Lua => 0,
        Language::Js => 0x6a73_6a73_6a73_6a73,
    }
}

/// The outcome of [`fn@analyse`] under `catch_unwind`: what it reached, and every panic the
/// recorder saw (from any thread) with a broken invariant as one more entry.
fn analyse_caught(
    language: Language,
    text: &str,
    offsets: &[usize],
) -> (Reached, Vec<RecordedPanic>) {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| analyse(language, text, offsets)));
    let mut panics = take_recorded_panics();
    let mut reached = Reached::default();
    match outcome {
        Ok(Ok(answered)) => reached = answered,
        Ok(Err(broken)) => panics.push(RecordedPanic {
            thread: "main".to_owned(),
            location: format!("invariant: {}", broken.kind),
            message: broken.message,
            backtrace: String::new(),
        }),
        // The hook always records first; this is only a fallback should it be replaced.
        Err(payload) if panics.is_empty() => panics.push(RecordedPanic {
            thread: "main".to_owned(),
            message: payload_message(payload.as_ref()),
            location: "unknown".to_owned(),
            backtrace: String::new(),
        }),
        Err(_) => {}
    }
    (reached, panics)
}

/// `--replay PATH`: analyses one saved input (queries at every character boundary) and prints
/// its diagnostics, symbols and any failure, to check a fix against a file from
/// `target/fuzz-failures/`. The language is `--lang`'s, else the file's extension.
fn replay(path: &Path, lang: Option<Languages>) -> ExitCode {
    let language = match lang {
        Some(Languages::Lua) => Language::Lua,
        Some(Languages::Js) => Language::Js,
        Some(Languages::Both) => {
            eprintln!("xtask fuzz: --replay analyses one language: give --lang lua or --lang js");
            return ExitCode::from(EXIT_USAGE);
        }
        None => match path.extension().and_then(|e| e.to_str()) {
            Some("lua") => Language::Lua,
            Some("js" | "mjs") => Language::Js,
            _ => {
                eprintln!(
                    "xtask fuzz: cannot tell the language of {} from its extension: give \
                     --lang lua or --lang js",
                    path.display()
                );
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("xtask fuzz: cannot read {}: {e}", path.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    install_panic_recorder();
    println!(
        "replaying {} as {}",
        path.display(),
        language_name(language)
    );
    let document = ParsedDocument::parse(language, &text);
    let shown = |start: usize, end: usize| text.get(start..end).unwrap_or("<not a valid range>");
    for d in document.diagnostics(&AnalysisConfig::default()) {
        let source = shown(d.range.start, d.range.end);
        println!("{} {:?} {source:?}: {}", d.code, d.range, d.message);
    }
    for s in document.symbols() {
        let source = shown(s.selection.start, s.selection.end);
        println!("symbol {:?} {:?} {:?} {source:?}", s.kind, s.name, s.range);
    }
    let offsets: Vec<usize> = (0..=text.len())
        .chain([text.len() + 1, usize::MAX])
        .collect();
    let (_, panics) = analyse_caught(language, &text, &offsets);
    for p in &panics {
        println!(
            "failure in thread {} at {}: {}\n{}",
            p.thread, p.location, p.message, p.backtrace
        );
    }
    if panics.is_empty() {
        println!("no panic, every invariant holds");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Which analyzers `--lang` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Languages {
    Lua,
    Js,
    Both,
}

impl Languages {
    fn list(self) -> &'static [Language] {
        match self {
            Languages::Lua => &[Language::Lua],
            Languages::Js => &[Language::Js],
            Languages::Both => &[Language::Lua, Language::Js],
        }
    }
}

#[derive(Debug)]
struct Options {
    /// Cases per language.
    cases: u64,
    seed: u64,
    /// `None` when `--lang` is not given: both when fuzzing, the file's extension when
    /// replaying.
    languages: Option<Languages>,
    replay: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            cases: DEFAULT_CASES,
            seed: DEFAULT_SEED,
            languages: None,
            replay: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = |args: &mut std::slice::Iter<String>| {
                args.next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| format!("{flag} needs a non-negative integer"))
            };
            match flag.as_str() {
                "--cases" => options.cases = value(&mut args)?,
                "--seed" => options.seed = value(&mut args)?,
                "--lang" => {
                    options.languages = Some(match args.next().map(String::as_str) {
                        Some("lua") => Languages::Lua,
                        Some("js") => Languages::Js,
                        Some("both") => Languages::Both,
                        _ => return Err("--lang needs lua, js or both".to_owned()),
                    });
                }
                "--replay" => {
                    let path = args.next().ok_or("--replay needs a file")?;
                    options.replay = Some(PathBuf::from(path));
                }
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(options)
    }
}

/// Where Cargo builds: `CARGO_TARGET_DIR` when set, else `<root>/target`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// One failing case, as much as is needed to reproduce and report it.
struct Case<'a> {
    seed: u64,
    case: u64,
    text: &'a str,
    edit: &'a str,
    offsets: &'a [usize],
}

/// One language's run.
struct Report {
    language: Language,
    cases: u64,
    elapsed: Duration,
    failures: u64,
    kinds: Vec<Kind>,
    slowest: Duration,
    slowest_case: u64,
    slowest_len: usize,
    reached: Reached,
}

impl Report {
    fn new(language: Language) -> Self {
        Report {
            language,
            cases: 0,
            elapsed: Duration::ZERO,
            failures: 0,
            kinds: Vec::new(),
            slowest: Duration::ZERO,
            slowest_case: 0,
            slowest_len: 0,
            reached: Reached::default(),
        }
    }

    fn note_time(&mut self, took: Duration, case: u64, len: usize) {
        if took > self.slowest {
            self.slowest = took;
            self.slowest_case = case;
            self.slowest_len = len;
        }
    }

    fn one_line(&self) -> String {
        format!(
            "{}: {} cases in {:.1} s: {:.0} cases/s; slowest case {:.1} ms (case {}, {} bytes); \
             {} failures",
            self.language.as_str(),
            self.cases,
            self.elapsed.as_secs_f64(),
            self.cases as f64 / self.elapsed.as_secs_f64().max(1e-9),
            self.slowest.as_secs_f64() * 1000.0,
            self.slowest_case,
            self.slowest_len,
            self.failures,
        )
    }

    fn failure(&mut self, dir: &Path, failed: &Case, panic: &RecordedPanic) {
        self.failures += 1;
        if let Some(kind) = self.kinds.iter_mut().find(|k| k.location == panic.location) {
            kind.cases += 1;
            return;
        }
        // The first case of each distinct panic is reported, minimised and saved; later ones
        // are only counted, or one bug would bury every other in thousands of lines.
        let (seed, case, lang) = (failed.seed, failed.case, self.language.as_str());
        self.kinds.push(Kind {
            location: panic.location.clone(),
            message: panic.message.clone(),
            first_case: case,
            cases: 1,
        });
        println!(
            "FAILURE {lang} case {case} (seed {seed}): in thread {} at {}: {}",
            panic.thread, panic.location, panic.message
        );
        if self.kinds.len() > MAX_SAVED {
            return;
        }
        let (minimal, minimal_offsets) =
            minimise(self.language, failed.text, failed.offsets, &panic.location);
        println!(
            "  minimised input ({} bytes, queried at {minimal_offsets:?}): {minimal:?}",
            minimal.len()
        );
        // The extension is the language's, so `--replay` knows how to read the file.
        let stem = dir.join(format!("seed{seed}-{lang}-case{case}"));
        let details = format!(
            "language {lang}\nseed {seed}\ncase {case}\nlast edit: {}\nquery offsets: {:?}\n\
             text length: {} bytes\nminimised input: {minimal:?}\n\
             minimised input's query offsets: {minimal_offsets:?}\nthread: {}\nat: {}\n\
             message: {}\n\nbacktrace:\n{}\n",
            failed.edit,
            failed.offsets,
            failed.text.len(),
            panic.thread,
            panic.location,
            panic.message,
            panic.backtrace
        );
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(stem.with_extension(lang), failed.text))
            .and_then(|()| std::fs::write(stem.with_extension(format!("min.{lang}")), &minimal))
            .and_then(|()| std::fs::write(stem.with_extension("txt"), details));
        match written {
            Ok(()) => println!(
                "  input, minimised input and backtrace: {}.{{{lang},min.{lang},txt}}",
                stem.display()
            ),
            Err(e) => println!("  could not write {}: {e}", stem.display()),
        }
    }

    fn summary(&self) {
        println!("{} failures by kind:", self.language.as_str());
        for kind in &self.kinds {
            println!(
                "  {} case(s), first case {}: {} ({})",
                kind.cases, kind.first_case, kind.location, kind.message
            );
        }
    }
}

/// One distinct failure: the same source location (or invariant) is taken to be the same bug.
struct Kind {
    location: String,
    message: String,
    first_case: u64,
    cases: u64,
}

/// Whether analysing `text` fails at `location` (a panic there, or that invariant broken).
fn fails_at(language: Language, text: &str, offsets: &[usize], location: &str) -> bool {
    analyse_caught(language, text, offsets)
        .1
        .iter()
        .any(|p| p.location == location)
}

/// A smaller input with the same failure, and the query offsets moved with it: removes ever
/// smaller chunks (halves, quarters, ..., single characters) while the failure stays. Greedy
/// delta debugging, bounded so that a slow input cannot stall the run; good enough to turn a
/// 40 KiB text into the few characters a bug report needs. An offset after a removed chunk moves
/// back by its length, as an editor's cursor would, so a failure at the cursor survives removals
/// before it.
fn minimise(
    language: Language,
    text: &str,
    offsets: &[usize],
    location: &str,
) -> (String, Vec<usize>) {
    let mut chars: Vec<char> = text.chars().collect();
    let mut offsets = offsets.to_vec();
    let mut attempts = 0;
    let mut chunk = chars.len().div_ceil(2).max(1);
    let bytes = |chars: &[char]| chars.iter().map(|c| c.len_utf8()).sum::<usize>();
    loop {
        let mut start = 0;
        while start < chars.len() && attempts < 5_000 {
            attempts += 1;
            let end = (start + chunk).min(chars.len());
            let candidate: String = chars[..start].iter().chain(&chars[end..]).collect();
            let (from, removed) = (bytes(&chars[..start]), bytes(&chars[start..end]));
            let moved: Vec<usize> = offsets
                .iter()
                .map(|&o| match o {
                    o if o >= from + removed => o - removed,
                    o if o > from => from,
                    o => o,
                })
                .collect();
            if fails_at(language, &candidate, &moved, location) {
                chars.drain(start..end);
                offsets = moved;
            } else {
                start = end;
            }
        }
        if chunk == 1 || attempts >= 5_000 {
            return (chars.into_iter().collect(), offsets);
        }
        chunk = chunk.div_ceil(2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_reproduces_its_inputs() {
        for language in [Language::Lua, Language::Js] {
            let corpus = Corpus::load(language);
            let run = |seed: u64| {
                let mut rng = Rng::new(seed);
                let mut text = corpus.start(&mut rng);
                for _ in 0..200 {
                    corpus.mutate(&mut text, &mut rng);
                }
                text
            };
            assert_eq!(run(7), run(7));
            assert_ne!(run(7), run(8), "{language:?}: the seed must matter");
        }
    }

    #[test]
    fn each_language_has_its_own_corpus() {
        let lua = Corpus::load(Language::Lua);
        let js = Corpus::load(Language::Js);
        // The examples directory has scripts in both languages, and API examples in both.
        assert!(!lua.scripts.is_empty() && !js.scripts.is_empty());
        assert!(js.snippets.iter().any(|s| s.contains("await ")));
        assert!(!js.snippets.iter().any(|s| s.contains("local ")));
        assert!(lua.snippets.iter().any(|s| s.contains("local ")));
    }

    #[test]
    fn options_parse() {
        let args: Vec<String> = ["--cases", "5", "--seed", "9", "--lang", "js"]
            .map(str::to_owned)
            .to_vec();
        let options = Options::parse(&args).expect("valid options");
        assert_eq!((options.cases, options.seed), (5, 9));
        assert_eq!(options.languages, Some(Languages::Js));
        let default = Options::parse(&[]).expect("no options");
        assert_eq!((default.cases, default.languages), (DEFAULT_CASES, None));
        assert!(Options::parse(&["--cases".to_owned()]).is_err());
        assert!(Options::parse(&["--lang".to_owned(), "py".to_owned()]).is_err());
        assert!(Options::parse(&["--frob".to_owned()]).is_err());
    }

    #[test]
    fn valid_documents_pass_in_both_languages() {
        // Valid code at every kind of offset (start, middle, end, past the end): no failure.
        let offsets = [0, 5, 13, 999, usize::MAX];
        let lua = "local a = 1\nprint(a)";
        assert!(analyse_caught(Language::Lua, lua, &offsets).1.is_empty());
        let js = "const a = 1;\nconsole.log(a);";
        assert!(analyse_caught(Language::Js, js, &offsets).1.is_empty());
    }
}
