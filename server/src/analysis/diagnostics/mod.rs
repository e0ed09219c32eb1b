//! Diagnostic rules. Each rule lives in its own file with a stable code (used in
//! configuration and suppression comments) and a default severity, and is registered in
//! [`RULES`], kept sorted by code.
//!
//! False positives are bugs: a rule reports only what it is sure of, and stays silent when a
//! value's type is unknown.
//!
//! What analysis cannot read itself (it does no IO) comes in an [`AnalysisConfig`]: the
//! providers and globals of `llmspell.toml`, tools known from other files, and per-rule
//! severities. A `-- llmspell-ignore: CODE[, CODE]` comment silences those codes on its own
//! line (trailing comment) or on the next line (comment alone on its line).

mod deprecated_api;
mod file_too_large;
mod literals;
mod missing_await;
mod missing_required_field;
mod nesting_too_deep;
mod syntax_error;
mod undefined_global;
mod unknown_config_field;
mod unknown_member;
mod unknown_provider;
mod unknown_tool;
mod unused_local;
mod wrong_argument_count;
mod wrong_call_style;
mod wrong_literal_type;

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::js::ParsedJs;
use crate::analysis::literal::ApiCall;
use crate::analysis::lua::ParsedLua;
use crate::analysis::{Diagnostic, Language, Severity, TextRange, stack};

/// What the diagnostics need to know from outside the document. The default is a workspace
/// without `llmspell.toml`: built-in providers and tools only, every rule at its default.
#[derive(Debug, Clone, Default)]
pub struct AnalysisConfig {
    /// Provider names configured in `llmspell.toml` (`[providers.NAME]`), besides the built-in
    /// ones.
    pub providers: Vec<String>,
    /// Globals the scripts may read without `undefined-global` (`[lint] globals`).
    pub extra_globals: Vec<String>,
    /// Tool names known from elsewhere (e.g. a workspace index), besides the built-in tools
    /// and the ones this document registers: sorted, each once. Shared, since one list serves
    /// every file of a workspace.
    pub extra_tools: std::sync::Arc<[String]>,
    /// `default_model` of `llmspell.toml`, offered first when completing a model string.
    pub default_model: Option<String>,
    /// Per-rule severity overriding the default; `None` turns the rule off (`[lint] rules`).
    pub severities: BTreeMap<String, Option<Severity>>,
}

impl AnalysisConfig {
    /// The analysis settings of a loaded `llmspell.toml`.
    pub fn from_config(config: &llmspell_runtime::Config) -> Self {
        use llmspell_runtime::config::Severity as S;
        AnalysisConfig {
            providers: config.providers.keys().cloned().collect(),
            extra_globals: config.lint.globals.clone(),
            extra_tools: std::sync::Arc::default(),
            default_model: config.default_model.clone(),
            severities: config
                .lint
                .rules
                .iter()
                .map(|(code, s)| {
                    let s = match s {
                        S::Error => Some(Severity::Error),
                        S::Warning => Some(Severity::Warning),
                        S::Info => Some(Severity::Info),
                        S::Hint => Some(Severity::Hint),
                        S::Off => None,
                    };
                    (code.clone(), s)
                })
                .collect(),
        }
    }

    /// The severity rule `r` reports with, or `None` when it is off.
    pub fn severity(&self, r: &Rule) -> Option<Severity> {
        match self.severities.get(r.code) {
            Some(s) => *s,
            None => Some(r.default_severity),
        }
    }
}

/// A rule's check of a Lua document: pushes findings with the default severity;
/// [`check_document`] applies the configured one and the suppression comments.
pub type LuaCheck = fn(&ParsedLua, &AnalysisConfig, &mut Vec<Diagnostic>);
/// A rule's check of a JavaScript document, as [`LuaCheck`].
pub type JsCheck = fn(&ParsedJs, &AnalysisConfig, &mut Vec<Diagnostic>);
/// A rule's check of the API calls' literal arguments, which both languages give in one form.
pub type CallsCheck = fn(Language, &[ApiCall], &AnalysisConfig, &mut Vec<Diagnostic>);

/// A diagnostic rule. It checks a language when it has a check for it: `check_calls` runs for
/// both, on the calls read once per document.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line on what it finds, for `llmspell lint --rules` and the docs.
    pub summary: &'static str,
    pub check_calls: Option<CallsCheck>,
    pub check_lua: Option<LuaCheck>,
    pub check_js: Option<JsCheck>,
}

impl Rule {
    /// Whether the rule checks documents in `language`.
    pub fn applies_to(&self, language: Language) -> bool {
        self.check_calls.is_some()
            || match language {
                Language::Lua => self.check_lua.is_some(),
                Language::Js => self.check_js.is_some(),
            }
    }
}

/// Every rule, sorted by code.
pub const RULES: &[Rule] = &[
    deprecated_api::RULE,
    file_too_large::RULE,
    missing_await::RULE,
    missing_required_field::RULE,
    nesting_too_deep::RULE,
    syntax_error::RULE,
    undefined_global::RULE,
    unknown_config_field::RULE,
    unknown_member::RULE,
    unknown_provider::RULE,
    unknown_tool::RULE,
    unused_local::RULE,
    wrong_argument_count::RULE,
    wrong_call_style::RULE,
    wrong_literal_type::RULE,
];

pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The findings of one document in `language`: the one entry point that the language server
/// and `llmspell lint` share, so the editor and CI always report the same.
pub fn check_document(language: Language, text: &str, config: &AnalysisConfig) -> Vec<Diagnostic> {
    crate::analysis::document::ParsedDocument::parse(language, text).diagnostics(config)
}

/// Runs every rule on a Lua document with the default configuration.
pub fn check_lua(parsed: &ParsedLua) -> Vec<Diagnostic> {
    check_lua_with(parsed, &AnalysisConfig::default())
}

/// Runs every enabled rule on a Lua document; findings are sorted by position.
pub fn check_lua_with(parsed: &ParsedLua, config: &AnalysisConfig) -> Vec<Diagnostic> {
    check_lua_awaiting_tools(parsed, config).finish(&parsed.text, &config.extra_tools)
}

/// Every enabled rule's findings on a Lua document but `unknown-tool`'s, which wait for the
/// tools registered elsewhere: see [`AwaitingTools`].
pub fn check_lua_awaiting_tools(parsed: &ParsedLua, config: &AnalysisConfig) -> AwaitingTools {
    let calls = if parsed.text.len() >= PARALLEL_RULES_MIN_BYTES {
        // Several rules read the member accesses: found beside the calls, not in the first
        // rule to ask while the other thread waits for them.
        std::thread::scope(|s| {
            let accesses = s.spawn(|| parsed.accesses().len());
            let calls = literals::lua_api_calls(parsed);
            let _ = accesses.join();
            calls
        })
    } else {
        literals::lua_api_calls(parsed)
    };
    let parsed_whole = parsed.not_parsed.is_none();
    let suppressed = suppressions(&parsed.text, &parsed.tokens.comments, "--");
    let found = run_rules(
        Language::Lua,
        &parsed.text,
        &calls,
        config,
        |r, out| {
            if let Some(check) = r.check_lua
                && (parsed_whole || says_why_not_parsed(r))
            {
                check(parsed, config, out);
            }
        },
        &suppressed,
    );
    let tool_names = parsed_whole
        .then(|| unknown_tool::tool_names_lua(parsed))
        .flatten();
    AwaitingTools::new(found, tool_names, config, &suppressed)
}

/// Runs every rule on a JavaScript document with the default configuration.
pub fn check_js(parsed: &ParsedJs) -> Vec<Diagnostic> {
    check_js_with(parsed, &AnalysisConfig::default())
}

/// Runs every enabled rule on a JavaScript document; findings are sorted by position.
pub fn check_js_with(parsed: &ParsedJs, config: &AnalysisConfig) -> Vec<Diagnostic> {
    check_js_awaiting_tools(parsed, config).finish(&parsed.text, &config.extra_tools)
}

/// [`check_lua_awaiting_tools`] for a JavaScript document.
pub fn check_js_awaiting_tools(parsed: &ParsedJs, config: &AnalysisConfig) -> AwaitingTools {
    let parsed_whole = parsed.not_parsed.is_none();
    let calls = if parsed_whole {
        crate::analysis::js::facts::api_calls(parsed)
    } else {
        Vec::new()
    };
    let suppressed = suppressions(&parsed.text, &parsed.tokens.comments, "//");
    let found = run_rules(
        Language::Js,
        &parsed.text,
        &calls,
        config,
        |r, out| {
            if let Some(check) = r.check_js
                && (parsed_whole || says_why_not_parsed(r))
            {
                check(parsed, config, out);
            }
        },
        &suppressed,
    );
    let tool_names = parsed_whole
        .then(|| unknown_tool::tool_names_js(parsed))
        .flatten();
    AwaitingTools::new(found, tool_names, config, &suppressed)
}

/// A document judged by every rule but `unknown-tool`, with what that rule read from it, so it
/// can be finished once the tools that other files register are known. The language server
/// finishes it at once with its workspace index; `llmspell lint` keeps only this (and the text)
/// between its two passes, not the whole parse. Both finish through [`AwaitingTools::finish`],
/// so they judge alike.
#[derive(Debug, Clone)]
pub struct AwaitingTools {
    /// The other rules' findings, settled (severity, suppressions) and sorted.
    found: Vec<Diagnostic>,
    /// `unknown-tool`'s severity and reading of the document; `None` when it is off or the
    /// document gives it nothing to judge.
    tool_names: Option<(Severity, unknown_tool::ToolNames)>,
    /// The lines where a comment silences `unknown-tool`.
    silenced_lines: BTreeSet<usize>,
}

impl AwaitingTools {
    fn new(
        found: Vec<Diagnostic>,
        tool_names: Option<unknown_tool::ToolNames>,
        config: &AnalysisConfig,
        suppressed: &BTreeSet<(usize, String)>,
    ) -> Self {
        let code = unknown_tool::RULE.code;
        AwaitingTools {
            found,
            tool_names: config
                .severity(&unknown_tool::RULE)
                .zip(tool_names)
                .filter(|(_, names)| !names.unknown.is_empty()),
            silenced_lines: suppressed
                .iter()
                .filter(|(_, c)| c == code)
                .map(|(line, _)| *line)
                .collect(),
        }
    }

    /// Every finding of the document, given the tools registered elsewhere (`extra_tools`:
    /// sorted, each once) and the text it was read from; sorted by position.
    pub fn finish(self, text: &str, extra_tools: &[String]) -> Vec<Diagnostic> {
        let Some((severity, names)) = self.tool_names else {
            return self.found;
        };
        let mut judged = Vec::new();
        names.judge(extra_tools, &mut judged);
        for d in &mut judged {
            settle(d, severity, text);
        }
        judged.retain(|d| !self.silenced_lines.contains(&line_of(text, d.range.start)));
        if judged.is_empty() {
            return self.found;
        }
        let mut out = self.found;
        out.extend(judged);
        sort_and_dedup(&mut out);
        out
    }
}

/// Whether `r` is one of the rules that report why a document was not parsed: on such a
/// document only they run, since without the parser's locals every other rule would judge
/// names it cannot resolve (a local `Agent` would pass for the API global).
fn says_why_not_parsed(r: &Rule) -> bool {
    r.code == nesting_too_deep::RULE.code || r.code == file_too_large::RULE.code
}

/// Texts from this size on have their rules run on two threads: on a 10,000-line script they
/// take several milliseconds of the time from an edit to its diagnostics. Smaller ones run
/// on the calling thread (`llmspell lint` already keeps every core busy with whole files).
const PARALLEL_RULES_MIN_BYTES: usize = 64 << 10;

/// Runs the enabled rules through `per_language`, and the call checks on `calls`; applies the
/// configured severities and the suppressions, and sorts the findings by position.
fn run_rules(
    language: Language,
    text: &str,
    calls: &[ApiCall],
    config: &AnalysisConfig,
    per_language: impl Fn(&Rule, &mut Vec<Diagnostic>) + Sync,
    suppressed: &BTreeSet<(usize, String)>,
) -> Vec<Diagnostic> {
    // `unknown-tool` is judged last, by `AwaitingTools`, once the tools of other files are
    // known.
    let enabled: Vec<(&Rule, Severity)> = RULES
        .iter()
        .filter(|r| r.code != unknown_tool::RULE.code)
        .filter_map(|r| Some((r, config.severity(r)?)))
        .collect();
    let run = |&(r, severity): &(&Rule, Severity)| {
        let mut out = Vec::new();
        if let Some(check) = r.check_calls {
            check(language, calls, config, &mut out);
        }
        per_language(r, &mut out);
        for d in &mut out {
            settle(d, severity, text);
        }
        out
    };
    let per_rule = if text.len() >= PARALLEL_RULES_MIN_BYTES {
        stack::parallel_map(&enabled, 2, run)
    } else {
        enabled.iter().map(run).collect()
    };
    let mut out: Vec<Diagnostic> = per_rule.into_iter().flatten().collect();
    if !suppressed.is_empty() {
        out.retain(|d| {
            let line = line_of(text, d.range.start);
            !suppressed.contains(&(line, d.code.to_owned()))
        });
    }
    sort_and_dedup(&mut out);
    out
}

/// Gives a finding its configured severity and puts its ranges on character boundaries:
/// full_moon counts a stray non-ASCII character as one byte, so ranges after one can land
/// inside a character; each end is moved back to a boundary so every front end can slice the
/// text with them.
fn settle(d: &mut Diagnostic, severity: Severity, text: &str) {
    d.severity = severity;
    let floor = |r: TextRange| TextRange::new(char_floor(text, r.start), char_floor(text, r.end));
    d.range = floor(d.range);
    if let Some(fix) = &mut d.fix {
        for (r, _) in &mut fix.edits {
            *r = floor(*r);
        }
    }
}

/// Sorts findings by position (and code), dropping exact repeats. The sort is stable, so one
/// rule's findings at one place keep the order the rule gave them.
fn sort_and_dedup(out: &mut Vec<Diagnostic>) {
    out.sort_by(|a, b| (a.range, a.code).cmp(&(b.range, b.code)));
    out.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
}

/// `offset` within `text`, moved back to the start of the character it falls in.
fn char_floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

const SUPPRESS: &str = "llmspell-ignore:";

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// (0-based line, code) pairs silenced by `-- llmspell-ignore: a, b` comments (`//` in JS; a
/// `/* llmspell-ignore: a */` block works too). A comment that follows code on its line covers
/// that line; a comment alone on its line covers the next.
fn suppressions(
    text: &str,
    comments: &[TextRange],
    line_comment: &str,
) -> BTreeSet<(usize, String)> {
    let mut out = BTreeSet::new();
    for c in comments {
        let comment = &text[c.start..c.end];
        let body = comment
            .trim_start_matches(line_comment)
            .trim_start_matches(['-', '/', '*'])
            .trim_end_matches("*/")
            .trim();
        let Some(codes) = body.strip_prefix(SUPPRESS) else {
            continue;
        };
        let line = line_of(text, c.start);
        let line_start = text[..c.start].rfind('\n').map_or(0, |i| i + 1);
        let alone = text[line_start..c.start].trim().is_empty();
        let target = if alone { line + 1 } else { line };
        for code in codes.split(',') {
            let code = code.trim();
            if !code.is_empty() {
                out.insert((target, code.to_owned()));
            }
        }
    }
    out
}

/// The rule reference of docs/rules.md, made from [`RULES`] (a test keeps the file in step).
pub fn rules_markdown() -> String {
    let mut md = String::from(
        "# Diagnostic rules\n\n\
         Generated from the rule list of `server/src/analysis/diagnostics` (a test fails when this \
         file is stale). The editor (`llmspell lsp`) and `llmspell lint` run the same rules.\n\n\
         Set a rule's severity in `llmspell.toml`:\n\n\
         ```toml\n[lint.rules]\nunused-local = \"off\"          # error | warning | info | hint | off\n\
         wrong-argument-count = \"error\"\n```\n\n\
         Silence a finding with a comment naming its code: on the same line after the code, or \
         alone on the line before (`-- llmspell-ignore: unknown-tool` in Lua, \
         `// llmspell-ignore: unknown-tool` or `/* ... */` in JavaScript; several codes separated \
         by commas).\n\n\
         | code | default | languages | finds |\n|---|---|---|---|\n",
    );
    for r in RULES {
        let languages = match (r.applies_to(Language::Lua), r.applies_to(Language::Js)) {
            (true, true) => "Lua, JavaScript",
            (true, false) => "Lua",
            (false, true) => "JavaScript",
            (false, false) => "none",
        };
        let severity = match r.default_severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        };
        md.push_str(&format!(
            "| `{}` | {severity} | {languages} | {} |\n",
            r.code, r.summary
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn docs_rules_md_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
        let want = super::rules_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
            std::fs::write(path, &want).expect("write docs/rules.md");
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is stale: regenerate it with \
             UPDATE_DOCS=1 cargo test -p llmspell-server --lib docs_rules_md_is_current"
        );
    }

    #[test]
    fn rules_are_sorted_and_unique() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }
}
