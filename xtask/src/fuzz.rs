//! `cargo xtask fuzz [--cases N] [--seed S]`: random Lua documents and random edits fed to the
//! language server's analysis (parse, every diagnostic rule, completion, hover and signature
//! help at random offsets), checking that none of it panics.
//!
//! Why a home-made generator rather than cargo-fuzz: it runs on stable Rust with no extra tools,
//! it is deterministic (a seed reproduces a run exactly, on any machine), and it knows the API,
//! so most inputs are near-valid API code with damage in it, which is what an editor sends while
//! someone types, rather than noise the lexer rejects at its first byte.
//!
//! The cases form editing sessions: a session starts from a document (an example script, API
//! snippets from the definition, or nothing) and each case applies one random edit to the
//! previous case's text (insert, delete, replace, duplicate, a burst of nesting, random bytes
//! turned into characters) and analyses the result. Any panic, including one that the parser
//! thread swallows, is a failure: its input and backtrace go to `target/fuzz-failures/`, and
//! the run exits 1. Not part of `cargo xtask test` (it takes minutes in a debug build).

use std::any::Any;
use std::backtrace::Backtrace;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use llmspell_runtime::definition::ApiDefinition;
use llmspell_server::analysis::diagnostics::{self, AnalysisConfig};
use llmspell_server::analysis::lua;

use crate::EXIT_USAGE;
use crate::process::repo_root;

/// What the issue asks for: at least 100,000 cases.
pub const DEFAULT_CASES: u64 = 100_000;
const DEFAULT_SEED: u64 = 0x11_5eed;
/// A session ends after this many edits, so the corpus keeps being revisited from a fresh
/// start instead of drifting into one ever-longer mangled text.
const SESSION_EDITS: u64 = 24;
/// Documents grow by edits; past this size a session restarts, keeping a case fast.
const MAX_TEXT: usize = 48 * 1024;
/// Cursor queries per case (completion, hover and signature help at each).
const QUERIES: usize = 6;
/// Distinct failures written to disk (the count covers all of them).
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
        return replay(path);
    }
    let corpus = Corpus::load();
    let failures_dir = target_dir().join("fuzz-failures");
    install_panic_recorder();
    println!(
        "fuzzing the Lua analysis: {} cases, seed {} ({} snippets, {} example scripts){}",
        options.cases,
        options.seed,
        corpus.snippets.len(),
        corpus.scripts.len(),
        if cfg!(debug_assertions) {
            " [debug build: `cargo run --release -p xtask -- fuzz` is ~4x faster]"
        } else {
            ""
        }
    );

    let started = Instant::now();
    let mut report = Report::default();
    let mut text = String::new();
    let mut rng = Rng::new(options.seed);
    let mut last_progress = Instant::now();
    for case in 0..options.cases {
        // Each case gets its own generator, derived from the seed and its index, so the edit of
        // case N does not depend on how many random numbers earlier cases happened to draw.
        let mut case_rng = Rng::new(options.seed ^ splitmix(case));
        if case % SESSION_EDITS == 0 || text.len() > MAX_TEXT {
            text = corpus.start(&mut rng);
        }
        let edit = mutate(&mut text, &corpus, &mut case_rng);
        let offsets: Vec<usize> = (0..QUERIES).map(|_| offset(&text, &mut case_rng)).collect();
        let case_started = Instant::now();
        let panics = analyse_caught(&text, &offsets);
        let took = case_started.elapsed();
        report.note_time(took, case, text.len());
        // Every distinct panic of the case counts: a parser panic (contained) must not hide a
        // completion panic (which would reach the handler's guard) in the same input.
        let mut seen_here: Vec<String> = Vec::new();
        for recorded in panics {
            if seen_here.contains(&recorded.location) {
                continue;
            }
            seen_here.push(recorded.location.clone());
            report.failure(
                &failures_dir,
                &options,
                case,
                &text,
                &edit,
                &offsets,
                &recorded,
            );
        }
        if last_progress.elapsed() > Duration::from_secs(10) {
            last_progress = Instant::now();
            println!(
                "  {case} cases, {:.0} cases/s, {} failures",
                case as f64 / started.elapsed().as_secs_f64(),
                report.failures
            );
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{} cases in {:.1} s: {:.0} cases/s; slowest case {:.1} ms (case {}, {} bytes); \
         {} failures",
        options.cases,
        elapsed.as_secs_f64(),
        options.cases as f64 / elapsed.as_secs_f64().max(1e-9),
        report.slowest.as_secs_f64() * 1000.0,
        report.slowest_case,
        report.slowest_len,
        report.failures,
    );
    if report.failures == 0 {
        ExitCode::SUCCESS
    } else {
        report.summary();
        println!(
            "failing inputs and backtraces: {} (rerun one case with `--seed {} --cases N`)",
            failures_dir.display(),
            options.seed
        );
        ExitCode::FAILURE
    }
}

/// Everything an editor can ask of a Lua document, as the server asks it. `Err` names a broken
/// invariant that is not a panic here but would mislead the editor.
fn analyse(text: &str, offsets: &[usize]) -> Result<(), String> {
    let parsed = lua::parse(text);
    let found = diagnostics::check_lua_with(&parsed, &AnalysisConfig::default());
    for &at in offsets {
        std::hint::black_box(lua::complete(&parsed, at));
        std::hint::black_box(lua::hover(&parsed, at));
        std::hint::black_box(lua::signature_help(&parsed, at));
    }
    // The server turns ranges into positions by clamping, so a bad range does not crash it, but
    // it underlines the wrong text; caught here, where the input that produced it is known.
    for d in &found {
        let valid = d.range.start <= d.range.end
            && d.range.end <= text.len()
            && text.is_char_boundary(d.range.start)
            && text.is_char_boundary(d.range.end);
        if !valid {
            return Err(format!(
                "diagnostic {} has the range {}..{}, outside the {}-byte text or inside a \
                 character",
                d.code,
                d.range.start,
                d.range.end,
                text.len()
            ));
        }
    }
    Ok(())
}

/// The outcome of [`analyse`] under `catch_unwind`, with every panic the recorder saw (from
/// any thread), and a broken invariant as one more entry.
fn analyse_caught(text: &str, offsets: &[usize]) -> Vec<RecordedPanic> {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| analyse(text, offsets)));
    let mut panics = take_recorded_panics();
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(broken)) => panics.push(RecordedPanic {
            thread: "main".to_owned(),
            // The rule's code is part of the key: one bad rule must not hide another.
            location: format!("invariant: {}", broken.split(" has").next().unwrap_or("")),
            message: broken,
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
    panics
}

/// `--replay PATH`: analyses one saved input (queries at every character boundary) and prints
/// its diagnostics and any panic, to check a fix against a file from `target/fuzz-failures/`.
fn replay(path: &Path) -> ExitCode {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("xtask fuzz: cannot read {}: {e}", path.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    install_panic_recorder();
    let parsed = lua::parse(&text);
    for d in diagnostics::check_lua_with(&parsed, &AnalysisConfig::default()) {
        let shown = text
            .get(d.range.start..d.range.end)
            .unwrap_or("<not a valid range>");
        println!("{} {:?} {shown:?}: {}", d.code, d.range, d.message);
    }
    let offsets: Vec<usize> = (0..=text.len())
        .chain([text.len() + 1, usize::MAX])
        .collect();
    let panics = analyse_caught(&text, &offsets);
    for p in &panics {
        println!(
            "panic in thread {} at {}: {}\n{}",
            p.thread, p.location, p.message, p.backtrace
        );
    }
    if panics.is_empty() {
        println!("no panic");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[derive(Debug)]
struct Options {
    cases: u64,
    seed: u64,
    replay: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            cases: DEFAULT_CASES,
            seed: DEFAULT_SEED,
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

#[derive(Default)]
struct Report {
    failures: u64,
    kinds: Vec<Kind>,
    slowest: Duration,
    slowest_case: u64,
    slowest_len: usize,
}

impl Report {
    fn note_time(&mut self, took: Duration, case: u64, len: usize) {
        if took > self.slowest {
            self.slowest = took;
            self.slowest_case = case;
            self.slowest_len = len;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn failure(
        &mut self,
        dir: &Path,
        options: &Options,
        case: u64,
        text: &str,
        edit: &str,
        offsets: &[usize],
        panic: &RecordedPanic,
    ) {
        self.failures += 1;
        if let Some(kind) = self.kinds.iter_mut().find(|k| k.location == panic.location) {
            kind.cases += 1;
            return;
        }
        // The first case of each distinct panic is reported, minimised and saved; later ones
        // are only counted, or one bug would bury every other in thousands of lines.
        self.kinds.push(Kind {
            location: panic.location.clone(),
            message: panic.message.clone(),
            first_case: case,
            cases: 1,
        });
        println!(
            "FAILURE case {case} (seed {}): panic in thread {} at {}: {}",
            options.seed, panic.thread, panic.location, panic.message
        );
        if self.kinds.len() > MAX_SAVED {
            return;
        }
        let minimal = minimise(text, offsets, &panic.location);
        println!("  minimised input ({} bytes): {minimal:?}", minimal.len());
        let stem = dir.join(format!("seed{}-case{case}", options.seed));
        let details = format!(
            "seed {}\ncase {case}\nlast edit: {edit}\nquery offsets: {offsets:?}\n\
             text length: {} bytes\nminimised input: {minimal:?}\nthread: {}\nat: {}\n\
             message: {}\n\nbacktrace:\n{}\n",
            options.seed,
            text.len(),
            panic.thread,
            panic.location,
            panic.message,
            panic.backtrace
        );
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(stem.with_extension("lua"), text))
            .and_then(|()| std::fs::write(stem.with_extension("min.lua"), &minimal))
            .and_then(|()| std::fs::write(stem.with_extension("txt"), details));
        match written {
            Ok(()) => println!(
                "  input, minimised input and backtrace: {}.{{lua,min.lua,txt}}",
                stem.display()
            ),
            Err(e) => println!("  could not write {}: {e}", stem.display()),
        }
    }

    fn summary(&self) {
        for kind in &self.kinds {
            println!(
                "  {} case(s), first case {}: {} ({})",
                kind.cases, kind.first_case, kind.location, kind.message
            );
        }
    }
}

/// One distinct panic: the same source location is taken to be the same bug.
struct Kind {
    location: String,
    message: String,
    first_case: u64,
    cases: u64,
}

/// Whether analysing `text` panics at `location` (or breaks that invariant).
fn panics_at(text: &str, offsets: &[usize], location: &str) -> bool {
    analyse_caught(text, offsets)
        .iter()
        .any(|p| p.location == location)
}

/// A smaller input with the same panic: removes ever smaller chunks (halves, quarters, ...,
/// single characters) while the panic stays. Greedy delta debugging, bounded so that a slow
/// input cannot stall the run; good enough to turn a 40 KiB text into the few characters a bug
/// report needs.
fn minimise(text: &str, offsets: &[usize], location: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut attempts = 0;
    let mut chunk = chars.len().div_ceil(2).max(1);
    loop {
        let mut start = 0;
        while start < chars.len() && attempts < 5_000 {
            attempts += 1;
            let end = (start + chunk).min(chars.len());
            let candidate: String = chars[..start].iter().chain(&chars[end..]).collect();
            if panics_at(&candidate, offsets, location) {
                chars.drain(start..end);
            } else {
                start = end;
            }
        }
        if chunk == 1 || attempts >= 5_000 {
            return chars.into_iter().collect();
        }
        chunk = chunk.div_ceil(2);
    }
}

// --- Panic recording -------------------------------------------------------------------------

struct RecordedPanic {
    thread: String,
    message: String,
    location: String,
    backtrace: String,
}

/// Panics seen since the last `take_recorded_panics`, from any thread.
static PANICS: Mutex<Vec<RecordedPanic>> = Mutex::new(Vec::new());

/// Replaces the default hook (which would print every expected-to-be-caught panic) with one that
/// records the panic with a backtrace. A hook rather than `catch_unwind` alone, because `parse`
/// runs full_moon on its own thread and turns a panic there into an empty analysis: only the hook
/// sees those.
fn install_panic_recorder() {
    panic::set_hook(Box::new(|info| {
        let recorded = RecordedPanic {
            thread: std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_owned(),
            message: payload_message(info.payload()),
            location: info
                .location()
                .map_or_else(|| "unknown".to_owned(), ToString::to_string),
            backtrace: Backtrace::force_capture().to_string(),
        };
        if let Ok(mut panics) = PANICS.lock() {
            panics.push(recorded);
        }
    }));
}

fn take_recorded_panics() -> Vec<RecordedPanic> {
    PANICS
        .lock()
        .map(|mut panics| std::mem::take(&mut *panics))
        .unwrap_or_default()
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a non-string panic payload".to_owned()
    }
}

// --- Input generation ------------------------------------------------------------------------

/// xorshift64* (Vigna): tiny, fast and good enough to pick edits; not for anything secret.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // xorshift is stuck at 0, and nearby seeds give nearby first outputs: mix first.
        Rng(splitmix(seed) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0). The modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// splitmix64's finaliser: spreads a counter or a small seed over all 64 bits.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Tokens that matter to the lexer, the parser and the cursor contexts: openers without
/// closers, half-typed chains, string and comment starts, keywords out of place, odd whitespace
/// and characters of every UTF-8 length (UTF-16 surrogate pairs included).
const TOKENS: &[&str] = &[
    "Agent.",
    "Tool.",
    "Workflow.",
    "a:",
    "a.",
    "r.",
    ".",
    ":",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "[[",
    "]]",
    "[==[",
    "]==]",
    "--",
    "--[[",
    "--[==[",
    "\\",
    "\\\"",
    "\\z",
    "\\u{",
    "local ",
    "function ",
    "end",
    " end ",
    "if ",
    " then ",
    "else",
    "elseif ",
    "for ",
    " in ",
    " do ",
    "while ",
    "repeat ",
    "until ",
    "return ",
    "break",
    "goto ",
    "::l::",
    "nil",
    "true",
    "false",
    "...",
    "..",
    "=",
    "==",
    "~=",
    "<=",
    ">=",
    "//",
    ">>",
    "<<",
    "~",
    "#",
    "%",
    "^",
    "<const>",
    "<close>",
    ",",
    ";",
    "0x",
    "0x1p4",
    "1e",
    "1e+",
    "3.",
    ".5",
    "9007199254740993",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{0}",
    "\u{7f}",
    "\u{a0}",
    "\u{feff}",
    "é",
    "€",
    "😀",
    "𝔸",
    "\u{2028}",
    "\u{fffd}",
    "#!",
    "@",
    "$",
    "`",
    "?",
    "!",
];

/// What the edits draw from: API snippets (from the definition, so every member and field is
/// covered as the API grows), the example scripts, names and tokens.
struct Corpus {
    snippets: Vec<String>,
    scripts: Vec<String>,
    names: Vec<String>,
}

impl Corpus {
    fn load() -> Self {
        let def = ApiDefinition::get();
        let mut snippets: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for global in &def.globals {
            names.push(global.name.clone());
            snippets.extend(global.example.lua.clone());
        }
        for (type_name, ty) in &def.types {
            names.push(type_name.clone());
            for member in &ty.members {
                names.push(member.name.clone());
                snippets.extend(member.example.lua.clone());
            }
            for field in &ty.fields {
                names.push(field.name.clone());
                snippets.push(format!("{} = nil,", field.name));
                snippets.extend(field.values.iter().flatten().map(|v| format!("\"{v}\"")));
            }
        }
        for tool in &def.tools {
            snippets.push(format!("Tool.get(\"{}\")", tool.name));
            let params: Vec<String> = tool
                .params
                .iter()
                .map(|p| format!("{} = 1", p.name))
                .collect();
            snippets.push(format!(
                "Tool.execute(\"{}\", {{ {} }})",
                tool.name,
                params.join(", ")
            ));
        }
        // Hand-written lines for the shapes the inference follows through locals.
        snippets.extend(
            [
                "local a = Agent.create{ name = \"w\", model = \"mock/echo\", temperature = 0.5 }\n",
                "local r = a:execute(\"hi\")\nprint(r.text, r.usage.input_tokens)\n",
                "local t = Tool.get(\"calculator\")\nlocal v = t:execute{ expression = \"1+2\" }\n",
                "Tool.register{ name = \"mine\", description = \"d\", handler = function(args) return args end }\n",
                "for chunk in a:stream(\"x\") do io.write(chunk) end\n",
                "local ok, err = pcall(function() return Agent.get(\"nobody\") end)\n",
                "a.execute(\"wrong style\")\nAgent:create{}\nAgent.craete{}\n",
                "local function f(x, ...) local y <const> = x return y end\n",
            ]
            .map(str::to_owned),
        );
        let mut scripts = Vec::new();
        if let Ok(entries) = std::fs::read_dir(repo_root().join("examples")) {
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "lua"))
                .collect();
            // Sorted: `read_dir` order varies between file systems, and a seed must reproduce.
            paths.sort();
            scripts.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        }
        Corpus {
            snippets,
            scripts,
            names,
        }
    }

    /// The first document of a session.
    fn start(&self, rng: &mut Rng) -> String {
        match rng.below(4) {
            0 if !self.scripts.is_empty() => rng.pick(self.scripts.as_slice()).clone(),
            0 | 1 => {
                let mut text = String::new();
                for _ in 0..1 + rng.below(12) {
                    text.push_str(rng.pick::<String>(&self.snippets));
                    text.push('\n');
                }
                text
            }
            2 => String::new(),
            _ => {
                let mut text = String::new();
                for _ in 0..rng.below(64) {
                    text.push_str(&self.piece(rng));
                }
                text
            }
        }
    }

    /// A short piece of text to insert.
    fn piece(&self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=2 => (*rng.pick(TOKENS)).to_owned(),
            3 | 4 => rng.pick(self.snippets.as_slice()).clone(),
            5 | 6 => {
                let name = rng.pick(self.names.as_slice()).clone();
                let sep = *rng.pick(&[".", ":", " ", "{", "(", "\"", " = "]);
                format!("{name}{sep}")
            }
            7 => random_chars(rng),
            8 => nesting(rng),
            _ => {
                // Characters of every class from a random byte string, decoded the way the
                // server would see a file with invalid UTF-8 (as replacement characters).
                let bytes: Vec<u8> = (0..1 + rng.below(24)).map(|_| rng.next() as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
        }
    }
}

fn random_chars(rng: &mut Rng) -> String {
    (0..1 + rng.below(16))
        .map(|_| {
            let code = match rng.below(4) {
                0 => rng.below(0x80) as u32,
                1 => rng.below(0x800) as u32,
                2 => rng.below(0x1_0000) as u32,
                _ => rng.below(0x11_0000) as u32,
            };
            char::from_u32(code).unwrap_or('\u{fffd}')
        })
        .collect()
}

/// A burst of nesting, sometimes past the analysis' nesting cap (200), where parsing is skipped
/// and the cursor features must still answer from tokens alone.
fn nesting(rng: &mut Rng) -> String {
    let depth = if rng.chance(20) {
        150 + rng.below(150)
    } else {
        1 + rng.below(20)
    };
    let (open, close) = *rng.pick(&[
        ("(", ")"),
        ("{", "}"),
        ("[", "]"),
        ("if x then ", " end"),
        ("function() ", " end"),
        ("do ", " end"),
        ("Agent.create{ tools = { ", " } }"),
        ("f(", ","),
    ]);
    let mut text = open.repeat(depth);
    if rng.chance(50) {
        text.push_str(&close.repeat(rng.below(depth + 1)));
    }
    text
}

/// A random byte offset of `text`, on a character boundary or not (the analysis clamps), and
/// sometimes past the end.
fn offset(text: &str, rng: &mut Rng) -> usize {
    match rng.below(20) {
        0 => text.len(),
        1 => text.len() + 1 + rng.below(1_000_000),
        2 => usize::MAX,
        3 => 0,
        _ => rng.below(text.len() + 1),
    }
}

/// A random character boundary of `text`.
fn boundary(text: &str, rng: &mut Rng) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Applies one random edit to `text`; returns a description of it for the failure report.
fn mutate(text: &mut String, corpus: &Corpus, rng: &mut Rng) -> String {
    let at = boundary(text, rng);
    // Most edits are small and local, as typing is; a few are large.
    let span = |rng: &mut Rng, text: &str| {
        let len = if rng.chance(90) {
            1 + rng.below(8)
        } else {
            rng.below(text.len() / 2 + 1)
        };
        let mut end = (at + len).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        end
    };
    match rng.below(8) {
        0..=2 => {
            let piece = corpus.piece(rng);
            text.insert_str(at, &piece);
            format!("insert {piece:?} at {at}")
        }
        3 | 4 => {
            let end = span(rng, text);
            text.replace_range(at..end, "");
            format!("delete {at}..{end}")
        }
        5 | 6 => {
            let end = span(rng, text);
            let piece = corpus.piece(rng);
            text.replace_range(at..end, &piece);
            format!("replace {at}..{end} with {piece:?}")
        }
        _ => {
            // Copy a stretch elsewhere: keeps the text plausible while moving constructs into
            // contexts they were not written for (a call into a table, a string into a name).
            let end = span(rng, text);
            let copy = text[at..end].to_owned();
            let to = boundary(text, rng);
            text.insert_str(to, &copy);
            format!("copy {at}..{end} to {to}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_reproduces_its_inputs() {
        let corpus = Corpus::load();
        let run = || {
            let mut rng = Rng::new(7);
            let mut text = corpus.start(&mut rng);
            for _ in 0..200 {
                mutate(&mut text, &corpus, &mut rng);
            }
            text
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn options_parse() {
        let args: Vec<String> = ["--cases", "5", "--seed", "9"].map(str::to_owned).to_vec();
        let options = Options::parse(&args).expect("valid options");
        assert_eq!((options.cases, options.seed), (5, 9));
        assert!(Options::parse(&["--cases".to_owned()]).is_err());
        assert!(Options::parse(&["--frob".to_owned()]).is_err());
    }
}
