//! `unknown-tool`: a literal tool name that no tool has: `Tool.get("calculater")`,
//! `Tool.execute("x")`, a step's `tool = "x"`, an item of `tools = {"x"}` in `Agent.create`.
//! Known tools are the built-in ones, those this file registers with
//! `Tool.register{ name = "..." }`, and [`AnalysisConfig::extra_tools`].
//!
//! If the file may register a tool under a name it cannot read (a computed name, or
//! `register` reached some other way), the rule says nothing: any name could exist.

use llmspell_runtime::definition::validate::did_you_mean;

use super::literals::{ApiCall, Event, lua_api_calls, visit};
use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::js::lexer::TokenKind as JsTokenKind;
use crate::analysis::literal::{Key, Lit};
use crate::analysis::lua::ParsedLua;
use crate::analysis::lua::lexer::TokenKind;
use crate::analysis::lua::types::def;
use crate::analysis::model::Fix;
use crate::analysis::{Diagnostic, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "unknown-tool",
    default_severity: Severity::Error,
    summary: "a tool name that is neither built in nor registered in the file",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: Some(check_js),
};

/// The names the calls register, or `None` when the file may register names it does not show.
/// `mentions` counts every mention of `register` in the file (as a name or inside a string,
/// e.g. `Tool["register"]` or `local reg = Tool.register`): each must be one of the calls read
/// here.
fn registered(calls: &[ApiCall], mentions: usize) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for call in calls {
        if call.owner.name != "ToolApi" || call.member.name != "register" {
            continue;
        }
        let Some(Lit::Table(spec)) = call.fact.args.first().map(|a| &a.lit) else {
            return None;
        };
        let name = spec.entries.iter().find_map(|e| match (&e.key, &e.value) {
            (Key::Name { name, .. }, v) if name == "name" => Some(v),
            _ => None,
        });
        match name {
            Some(Lit::String(s)) => names.push(s.clone()),
            _ => return None,
        }
    }
    (mentions == names.len()).then_some(names)
}

fn check_lua(p: &ParsedLua, config: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    if let Some(names) = tool_names_lua(p) {
        names.judge(&config.extra_tools, out);
    }
}

fn check_js(p: &ParsedJs, config: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    if let Some(names) = tool_names_js(p) {
        names.judge(&config.extra_tools, out);
    }
}

/// What the rule reads from a document, all it needs to judge it once the tools registered
/// elsewhere are known: `llmspell lint` keeps this between its two passes instead of the
/// document's whole parse.
#[derive(Debug, Clone, Default)]
pub struct ToolNames {
    /// The names the document registers itself.
    registered: Vec<String>,
    /// Every literal tool name that is neither built in nor registered by the document.
    pub(super) unknown: Vec<ToolNameUse>,
}

/// A literal tool name, with the range of its string literal.
#[derive(Debug, Clone)]
pub(super) struct ToolNameUse {
    pub(super) name: String,
    pub(super) range: TextRange,
}

/// The rule's reading of a Lua document, or `None` when the document may register names it
/// does not show (then any name could exist, and the rule says nothing).
pub fn tool_names_lua(p: &ParsedLua) -> Option<ToolNames> {
    let mentions = (0..p.tokens.tokens.len())
        .filter(|&i| {
            let text = p.token_text(i);
            match p.tokens.tokens[i].kind {
                TokenKind::Name => text == "register",
                TokenKind::String { .. } => text.contains("register"),
                _ => false,
            }
        })
        .count();
    tool_names(&lua_api_calls(p), mentions)
}

/// The rule's reading of a JavaScript document, as [`tool_names_lua`].
pub fn tool_names_js(p: &ParsedJs) -> Option<ToolNames> {
    let mentions = (0..p.tokens.tokens.len())
        .filter(|&i| {
            let text = p.token_text(i);
            match p.tokens.tokens[i].kind {
                JsTokenKind::Name => text == "register",
                JsTokenKind::String { .. } | JsTokenKind::Template { .. } => {
                    text.contains("register")
                }
                _ => false,
            }
        })
        .count();
    tool_names(&crate::analysis::js::facts::api_calls(p), mentions)
}

fn tool_names(calls: &[ApiCall], mentions: usize) -> Option<ToolNames> {
    let registered = registered(calls, mentions)?;
    let builtin = &def().tools;
    let mut unknown = Vec::new();
    visit(calls, |call, e| {
        let Event::Value {
            lit: Lit::String(name),
            range,
            field,
            item_of,
            param,
            ..
        } = e
        else {
            return;
        };
        let is_tool_name = match (param, field, item_of) {
            // `Tool.exists("x")` asks; only lookups that must succeed are checked.
            (Some(param), _, _) => {
                call.owner.name == "ToolApi"
                    && matches!(call.member.name.as_str(), "get" | "execute")
                    && param.name == "name"
            }
            (None, Some(f), _) => f.name == "tool",
            (None, None, Some(f)) => f.name == "tools",
            _ => false,
        };
        if !is_tool_name
            || registered.iter().any(|k| k == name)
            || builtin.iter().any(|t| &t.name == name)
        {
            return;
        }
        unknown.push(ToolNameUse {
            name: name.clone(),
            range,
        });
    });
    Some(ToolNames {
        registered,
        unknown,
    })
}

impl ToolNames {
    /// The findings: every unknown name that `elsewhere` (sorted) does not have either, with
    /// the closest known name as a suggestion.
    pub fn judge(&self, elsewhere: &[String], out: &mut Vec<Diagnostic>) {
        for ToolNameUse { name, range } in &self.unknown {
            if elsewhere.binary_search(name).is_ok() {
                continue;
            }
            let known = self
                .registered
                .iter()
                .chain(def().tools.iter().map(|t| &t.name))
                .chain(elsewhere.iter());
            let suggestion = did_you_mean(name, known.map(String::as_str));
            let hint = suggestion
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            // The name between one-character quotes; a Lua long string (`[[x]]`) gets no fix.
            let inside = TextRange::new(range.start + 1, range.end.saturating_sub(1));
            let quoted = inside.end.checked_sub(inside.start) == Some(name.len());
            out.push(Diagnostic {
                range: *range,
                severity: RULE.default_severity,
                code: RULE.code,
                message: format!("unknown tool '{name}'{hint}"),
                fix: suggestion
                    .filter(|_| quoted)
                    .map(|s| Fix::replace(inside, s)),
            });
        }
    }
}
