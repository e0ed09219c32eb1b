//! Conformance of the script engines: every API scenario is written once as data, in Lua and
//! in JavaScript, and both must produce the same run events.
//!
//! Each folder `conformance/NAME/` holds:
//! - `scenario.lua` and `scenario.js`: the same scenario in each language;
//! - `expected.jsonl`: the normalised events both runs must produce, one per line;
//! - optionally `config.toml`: settings merged over [`BASE_CONFIG`] (small limits, say).
//!
//! `CONFORMANCE_ONLY=WORD` runs only the scenarios whose name contains WORD.
//!
//! Each run gets a fresh temporary workspace and the arguments [`ARGS`]. A run that differs
//! from `expected.jsonl` fails with a diff naming the scenario and the language.
//! `UPDATE_GOLDEN=1` rewrites `expected.jsonl` from the Lua run (the JavaScript run must then
//! match it), except for scenarios where Lua is listed in [`KNOWN_DIFFERENCES`]: their
//! expectations were corrected by hand. Review the diff before committing it.
//!
//! [`KNOWN_DIFFERENCES`] lists the engine bugs this suite found and that are not fixed yet.
//! Their failures are shown but do not fail the suite; an entry whose run passes does, so that
//! the entry is removed once the engine is fixed.
//!
//! What legitimately differs between the languages, or between runs, is normalised away (see
//! [`Normaliser`]): timings, the `started` event (engine name and file), source locations (Lua
//! reports `FILE:LINE:`, JavaScript `FILE:LINE:COL:`, and the lines differ anyway), the
//! separator of method calls in messages (`agent:execute` in Lua, `agent.execute` in
//! JavaScript), the order of keys inside values (Lua tables have none), keys whose value is null
//! (a Lua table cannot hold nil), the temporary workspace's path, and the results of the tools
//! that are random or read the clock (`uuid`, `datetime` without a `value`). Output separators
//! are not normalised: the scenarios print one value per line, or build the joined string
//! themselves, so `print` and `console.log` write the same text.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use llmspell_runtime::config::{Config, LoadedConfig};
use llmspell_runtime::{ExecutionContext, RunEvent, Script, ScriptRuntime};
use serde_json::{Map, Value};

/// The settings of every scenario, before its own `config.toml`.
const BASE_CONFIG: &str = r#"
default_model = "mock/echo"
[providers.scripted]
kind = "mock"
replies = ["first reply", "second reply", "third reply"]
[run]
timeout_ms = 10000
allow_files = true
"#;

/// The command-line arguments every scenario sees as `ARGS`; one has a space, to show that
/// arguments are passed through unsplit.
const ARGS: [&str; 2] = ["first-arg", "second arg"];

/// Scenarios the suite must find, so a misplaced folder cannot make it pass vacuously.
const MIN_SCENARIOS: usize = 16;

/// The files a scenario folder may hold; anything else is most likely a misspelt name.
const SCENARIO_FILES: [&str; 4] = [
    "scenario.lua",
    "scenario.js",
    "expected.jsonl",
    "config.toml",
];

/// Engine bugs found by this suite and not fixed yet: the scenario, the language whose run
/// differs from `expected.jsonl` (which says what the API documents), and what is wrong.
const KNOWN_DIFFERENCES: &[(&str, Language, &str)] = &[];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    Lua,
    JavaScript,
}

impl Language {
    const ALL: [Language; 2] = [Language::Lua, Language::JavaScript];

    fn name(self) -> &'static str {
        match self {
            Language::Lua => "Lua",
            Language::JavaScript => "JavaScript",
        }
    }

    fn script_file(self) -> &'static str {
        match self {
            Language::Lua => "scenario.lua",
            Language::JavaScript => "scenario.js",
        }
    }

    fn runtime(self, context: ExecutionContext) -> ScriptRuntime {
        match self {
            Language::Lua => ScriptRuntime::new_with_lua(context),
            Language::JavaScript => ScriptRuntime::new_with_javascript(context),
        }
        .unwrap_or_else(|e| panic!("cannot start the {} engine: {e}", self.name()))
    }
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// The scenario folders, sorted by name.
fn scenario_dirs() -> Vec<PathBuf> {
    let dir = suite_dir();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn scenario_name(dir: &Path) -> &str {
    dir.file_name()
        .and_then(|n| n.to_str())
        .expect("scenario folders have UTF-8 names")
}

/// Merges `overlay` into `base`: tables key by key, anything else replaced.
fn merge_toml(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(over)) => merge_toml(inner, over),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// [`BASE_CONFIG`] with the scenario's `config.toml`, if it has one, merged over it.
fn scenario_config(dir: &Path) -> Config {
    let mut table: toml::Table = BASE_CONFIG.parse().expect("the base config is TOML");
    let overlay_path = dir.join("config.toml");
    if let Ok(text) = std::fs::read_to_string(&overlay_path) {
        let overlay: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", overlay_path.display()));
        merge_toml(&mut table, overlay);
    }
    let text = toml::to_string(&table).expect("a TOML table serialises");
    Config::parse(&text, Path::new("llmspell.toml"))
        .unwrap_or_else(|e| panic!("{}: {e}", overlay_path.display()))
}

/// One run of a scenario in one language.
struct Run {
    /// The normalised events, one JSON object per line.
    lines: Vec<String>,
    /// Locations in messages that do not point into the script: a wrong file name (a frame of
    /// the engine's own prelude, say) or a line the script does not have.
    bad_locations: Vec<String>,
}

async fn run_scenario(dir: &Path, language: Language) -> Result<Run, String> {
    let path = dir.join(language.script_file());
    let source = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let workspace = tempfile::tempdir().expect("a temporary workspace");
    let mut context = ExecutionContext::new(LoadedConfig {
        config: scenario_config(dir),
        file: None,
        root: workspace.path().to_owned(),
    });
    context.args = ARGS.iter().map(|a| (*a).to_owned()).collect();
    let script_name = format!(
        "conformance/{}/{}",
        scenario_name(dir),
        language.script_file()
    );
    let runtime = language.runtime(context);
    let outcome = runtime
        .run(Script::new(script_name.clone(), source.clone()))
        .await;
    let mut workspace_paths = vec![workspace.path().display().to_string()];
    if let Ok(real) = workspace.path().canonicalize() {
        workspace_paths.push(real.display().to_string());
    }
    let mut normaliser = Normaliser {
        script_name: &script_name,
        script_lines: source.lines().count(),
        workspace_paths,
        bad_locations: Vec::new(),
    };
    let lines = normaliser.normalise(&outcome.events);
    Ok(Run {
        lines,
        bad_locations: normaliser.bad_locations,
    })
}

/// Removes from events what legitimately differs between languages and runs.
struct Normaliser<'a> {
    script_name: &'a str,
    script_lines: usize,
    /// The run's temporary workspace, as given and with symlinks resolved; messages that name
    /// it get `<workspace>` instead.
    workspace_paths: Vec<String>,
    bad_locations: Vec<String>,
}

/// Whether a `tool_call` event's result differs from run to run: a fresh uuid, or a datetime
/// computed from the clock (`now`, and `add` without a `value`).
fn result_varies(fields: &Map<String, Value>) -> bool {
    let param = |name: &str| fields.get("params").and_then(|p| p.get(name));
    match fields.get("tool").and_then(Value::as_str) {
        Some("uuid") => true,
        Some("datetime") => param("value").is_none_or(Value::is_null),
        _ => false,
    }
}

impl Normaliser<'_> {
    /// The events as JSON lines, without `started`, without `duration_ms`, with locations
    /// stripped from every string, `x:method` written `x.method`, and the keys of nested
    /// objects sorted, null-valued keys left out. An error event's `file` and `line` become
    /// placeholders: whether the error has a location is compared, not where it is. The values
    /// of a result that varies from run to run become `<varies>`.
    fn normalise(&mut self, events: &[RunEvent]) -> Vec<String> {
        events
            .iter()
            .filter(|event| !matches!(event, RunEvent::Started { .. }))
            .map(|event| {
                let json = serde_json::to_value(event).expect("events serialise");
                let Value::Object(fields) = json else {
                    panic!("an event serialises to an object: {json}")
                };
                let is_error = fields.get("type").is_some_and(|t| t == "error");
                let varies =
                    fields.get("type").is_some_and(|t| t == "tool_call") && result_varies(&fields);
                let mut out = Map::new();
                for (key, value) in fields {
                    let value = match key.as_str() {
                        "duration_ms" => continue,
                        "file" if is_error => {
                            if value != self.script_name {
                                self.bad_locations.push(format!("error event file {value}"));
                            }
                            Value::from("<script>")
                        }
                        "line" if is_error => {
                            self.check_line(value.as_u64().unwrap_or(0), "error event line");
                            Value::from("<line>")
                        }
                        "result" if varies => match value {
                            Value::Object(result) => result
                                .into_iter()
                                .map(|(k, _)| (k, Value::from("<varies>")))
                                .collect(),
                            _ => Value::from("<varies>"),
                        },
                        // The event's own fields keep their order, fixed by the Rust type;
                        // only the values inside are sorted.
                        _ => self.value(value),
                    };
                    out.insert(key, value);
                }
                Value::Object(out).to_string()
            })
            .collect()
    }

    fn value(&mut self, value: Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.text(&text)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.value(v)).collect()),
            Value::Object(fields) => {
                let mut sorted: Vec<(String, Value)> =
                    fields.into_iter().filter(|(_, v)| !v.is_null()).collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(
                    sorted
                        .into_iter()
                        .map(|(k, v)| (k, self.value(v)))
                        .collect(),
                )
            }
            other => other,
        }
    }

    fn check_line(&mut self, line: u64, what: &str) {
        if line == 0 || line > self.script_lines as u64 {
            self.bad_locations.push(format!(
                "{what} {line}, but the script has {} lines",
                self.script_lines
            ));
        }
    }

    /// `text` without the script's `FILE:LINE: ` / `FILE:LINE:COL: ` locations and with the
    /// API's method calls written with a dot.
    fn text(&mut self, text: &str) -> String {
        let mut out = method_calls_with_dots(&self.strip_locations(text));
        for path in &self.workspace_paths {
            out = out.replace(path.as_str(), "<workspace>");
        }
        out
    }

    fn strip_locations(&mut self, text: &str) -> String {
        let prefix = format!("{}:", self.script_name);
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(&prefix) {
            out.push_str(&rest[..at]);
            let after = &rest[at + prefix.len()..];
            match parse_location(after) {
                Some((line, consumed)) => {
                    self.check_line(line, "location line");
                    rest = &after[consumed..];
                }
                None => {
                    out.push_str(&prefix);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Parses `LINE: ` or `LINE:COL: ` at the start of `text`: the line and the bytes it takes.
fn parse_location(text: &str) -> Option<(u64, usize)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let line_len = digits(text);
    let line: u64 = text[..line_len].parse().ok()?;
    let mut consumed = line_len;
    let after_line = &text[consumed..];
    if let Some(col) = after_line.strip_prefix(':') {
        let col_len = digits(col);
        if col_len > 0 && col[col_len..].starts_with(':') {
            consumed += 1 + col_len;
        }
    }
    text[consumed..]
        .starts_with(": ")
        .then_some((line, consumed + 2))
}

/// Writes Lua's `agent:execute`, `tool:execute`, `workflow:execute` and `agent:stream` the
/// JavaScript way, with a dot: the call is the same, only the language's syntax differs.
fn method_calls_with_dots(text: &str) -> String {
    let mut out = text.to_owned();
    for receiver in ["agent", "tool", "workflow"] {
        for method in ["execute", "stream"] {
            out = out.replace(
                &format!("{receiver}:{method}"),
                &format!("{receiver}.{method}"),
            );
        }
    }
    out
}

/// A line diff of `expected` and `actual` (`-` expected only, `+` actual only), showing each
/// changed region with one line of context and its line number in `expected`.
fn line_diff(expected: &[String], actual: &[String]) -> String {
    // Longest common subsequence by dynamic programming: the files are a few dozen lines.
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // (marker, line number in expected, text)
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            ops.push((' ', i + 1, &expected[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i + 1, &expected[i]));
            i += 1;
        } else {
            ops.push(('+', i + 1, &actual[j]));
            j += 1;
        }
    }
    let changed = |k: usize| ops.get(k).is_some_and(|op| op.0 != ' ');
    let mut out = String::new();
    let mut last_shown = None;
    for (k, (marker, line, text)) in ops.iter().enumerate() {
        let near_change = changed(k) || (k > 0 && changed(k - 1)) || changed(k + 1);
        if !near_change {
            continue;
        }
        if last_shown.is_none_or(|last| last + 1 != k) {
            let _ = writeln!(out, "  @ expected.jsonl line {line}");
        }
        let _ = writeln!(out, "  {marker} {text}");
        last_shown = Some(k);
    }
    out
}

fn read_expected(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().map(str::to_owned).collect())
}

fn known_difference(scenario: &str, language: Language) -> Option<&'static str> {
    KNOWN_DIFFERENCES
        .iter()
        .find(|(name, lang, _)| *name == scenario && *lang == language)
        .map(|(_, _, what)| *what)
}

/// What checking one scenario found.
#[derive(Default)]
struct Findings {
    /// Differences that fail the suite.
    failures: Vec<String>,
    /// Differences listed in [`KNOWN_DIFFERENCES`].
    known: Vec<String>,
}

/// Runs one scenario in both languages and compares each run with `expected.jsonl`.
async fn check_scenario(dir: &Path, update: bool) -> Findings {
    let name = scenario_name(dir);
    let mut findings = Findings::default();
    let failures = &mut findings.failures;
    let stray: Vec<String> = std::fs::read_dir(dir)
        .expect("a scenario folder is listable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|file| !SCENARIO_FILES.contains(&file.as_str()))
        .collect();
    if !stray.is_empty() {
        failures.push(format!(
            "scenario '{name}': unexpected files {stray:?} (a scenario holds {SCENARIO_FILES:?})"
        ));
    }
    let expected_path = dir.join("expected.jsonl");
    let mut runs = Vec::new();
    for language in Language::ALL {
        match run_scenario(dir, language).await {
            Ok(run) => runs.push((language, run)),
            Err(e) => failures.push(format!("scenario '{name}', {}: {e}", language.name())),
        }
    }
    if runs.len() < Language::ALL.len() {
        return findings;
    }
    if update && known_difference(name, Language::Lua).is_none() {
        let lua = &runs[0].1.lines;
        std::fs::write(&expected_path, lua.join("\n") + "\n")
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", expected_path.display()));
    }
    let Some(expected) = read_expected(&expected_path) else {
        failures.push(format!(
            "scenario '{name}': no expected.jsonl; create it with UPDATE_GOLDEN=1 and review it"
        ));
        return findings;
    };
    for (language, run) in &runs {
        let known = known_difference(name, *language);
        match (run.lines == expected, known) {
            (true, None) => {}
            (false, None) => failures.push(format!(
                "scenario '{name}', {}: the events differ from expected.jsonl\n{}",
                language.name(),
                line_diff(&expected, &run.lines)
            )),
            (false, Some(what)) => findings.known.push(format!(
                "scenario '{name}', {} (known: {what})\n{}",
                language.name(),
                line_diff(&expected, &run.lines)
            )),
            (true, Some(_)) => failures.push(format!(
                "scenario '{name}', {}: passes now; remove it from KNOWN_DIFFERENCES",
                language.name()
            )),
        }
        if !run.bad_locations.is_empty() {
            failures.push(format!(
                "scenario '{name}', {}: locations outside the script: {}",
                language.name(),
                run.bad_locations.join("; ")
            ));
        }
    }
    let (lua, js) = (&runs[0].1.lines, &runs[1].1.lines);
    if lua != &expected && js != &expected && lua != js {
        failures.push(format!(
            "scenario '{name}': Lua and JavaScript also differ from each other (- Lua, + JavaScript)\n{}",
            line_diff(lua, js)
        ));
    }
    findings
}

#[tokio::test]
async fn lua_and_javascript_produce_the_expected_events() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let only = std::env::var("CONFORMANCE_ONLY").ok();
    let mut dirs = scenario_dirs();
    if let Some(word) = &only {
        dirs.retain(|dir| scenario_name(dir).contains(word.as_str()));
    }
    assert!(
        only.is_some() || dirs.len() >= MIN_SCENARIOS,
        "found {} scenarios in {}, expected at least {MIN_SCENARIOS}",
        dirs.len(),
        suite_dir().display()
    );
    let mut failures = Vec::new();
    let mut known = Vec::new();
    for dir in &dirs {
        let findings = check_scenario(dir, update).await;
        failures.extend(findings.failures);
        known.extend(findings.known);
    }
    for (scenario, language, _) in KNOWN_DIFFERENCES {
        if !scenario_dirs()
            .iter()
            .any(|d| scenario_name(d) == *scenario)
        {
            failures.push(format!(
                "KNOWN_DIFFERENCES names '{scenario}' ({}), which is not a scenario",
                language.name()
            ));
        }
    }
    // Shown with `--nocapture`, and with the failures when there are any.
    #[allow(clippy::print_stdout)]
    if !known.is_empty() {
        println!(
            "{} known difference(s), not counted as failures:\n\n{}",
            known.len(),
            known.join("\n\n")
        );
    }
    assert!(
        failures.is_empty(),
        "{} failure(s) in {} scenarios:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}

#[cfg(test)]
mod normalising {
    use super::*;

    fn normaliser(lines: usize) -> Normaliser<'static> {
        Normaliser {
            script_name: "conformance/x/scenario.js",
            script_lines: lines,
            workspace_paths: vec!["/tmp/.tmpAbc".into()],
            bad_locations: Vec::new(),
        }
    }

    #[test]
    fn locations_are_stripped_with_or_without_a_column() {
        let mut n = normaliser(20);
        assert_eq!(
            n.text("step 'b' failed: conformance/x/scenario.js:12:5: boom"),
            "step 'b' failed: boom"
        );
        assert_eq!(
            n.text("conformance/x/scenario.js:3: tool:execute: bad"),
            "tool.execute: bad"
        );
        // Not a location: no line number, or no ": " after it.
        assert_eq!(
            n.text("conformance/x/scenario.js:abc"),
            "conformance/x/scenario.js:abc"
        );
        assert_eq!(
            n.text("conformance/x/scenario.js:3"),
            "conformance/x/scenario.js:3"
        );
        assert!(n.bad_locations.is_empty());
    }

    #[test]
    fn a_location_past_the_end_of_the_script_is_reported() {
        let mut n = normaliser(2);
        assert_eq!(n.text("conformance/x/scenario.js:9:1: late"), "late");
        assert_eq!(n.bad_locations.len(), 1);
    }

    #[test]
    fn the_workspace_path_and_varying_results_are_replaced() {
        let mut n = normaliser(1);
        assert_eq!(n.text("outside /tmp/.tmpAbc/x"), "outside <workspace>/x");
        let events = [RunEvent::ToolCall {
            tool: "uuid".into(),
            agent: None,
            params: Value::Null,
            result: Some(serde_json::json!({ "uuid": "0b5f8c9e" })),
            error: None,
        }];
        assert_eq!(
            n.normalise(&events),
            [r#"{"type":"tool_call","tool":"uuid","params":null,"result":{"uuid":"<varies>"}}"#]
        );
    }

    #[test]
    fn nested_keys_are_sorted_and_timings_dropped() {
        let mut n = normaliser(1);
        let events = [
            RunEvent::Result {
                value: serde_json::json!({ "b": 1, "a": { "d": 2, "c": 3, "e": null } }),
            },
            RunEvent::Finished {
                exit_code: 0,
                duration_ms: 7,
            },
        ];
        assert_eq!(
            n.normalise(&events),
            [
                r#"{"type":"result","value":{"a":{"c":3,"d":2},"b":1}}"#,
                r#"{"type":"finished","exit_code":0}"#
            ]
        );
    }

    #[test]
    fn the_diff_shows_changed_lines_with_context() {
        let lines = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            line_diff(&lines("a b c d e"), &lines("a b X d e")),
            "  @ expected.jsonl line 2\n    b\n  - c\n  + X\n    d\n"
        );
    }
}
