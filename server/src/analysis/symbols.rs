//! The outline of a script and what it defines for other files: agents created, tools
//! registered and workflows built through the API, and the functions it declares. The
//! language server shows them as document symbols, and its workspace index uses the named
//! registrations to resolve tool and agent names used in other files (go to definition, and
//! `unknown-tool` knowing tools registered elsewhere).

use llmspell_runtime::definition::TypeExpr;

use crate::analysis::TextRange;
use crate::analysis::js::ParsedJs;
use crate::analysis::js::lexer::TokenKind as JsTokenKind;
use crate::analysis::literal::{ApiCall, Key, Lit};
use crate::analysis::lua::ParsedLua;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Agent,
    Tool,
    Workflow,
    Function,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// The `name` the config gives (`Tool.register{ name = "weather" }`), else the variable
    /// the value is assigned to, else the function's name.
    pub name: String,
    pub kind: SymbolKind,
    /// The whole definition: the call, or the function's header.
    pub range: TextRange,
    /// What to select when jumping to it: the name's string or token.
    pub selection: TextRange,
    /// Whether `name` is the config's `name` field, which is how other files refer to it
    /// (`Tool.get("weather")`, `Agent.get("helper")`).
    pub registered: bool,
}

/// What an API call defines, when it defines something.
fn defined_kind(call: &ApiCall) -> Option<SymbolKind> {
    let returns_named =
        |n: &str| matches!(&call.member.returns, Some(TypeExpr::Named(t)) if t == n);
    match (call.owner.name.as_str(), call.member.name.as_str()) {
        ("AgentApi", "create") => Some(SymbolKind::Agent),
        ("ToolApi", "register") => Some(SymbolKind::Tool),
        ("WorkflowApi", _) if returns_named("Workflow") => Some(SymbolKind::Workflow),
        _ => None,
    }
}

/// The literal `name = "..."` of a call's config table, with the string's range.
fn config_name(call: &ApiCall) -> Option<(String, TextRange)> {
    let Some(Lit::Table(t)) = call.fact.args.first().map(|a| &a.lit) else {
        return None;
    };
    t.entries.iter().find_map(|e| match (&e.key, &e.value) {
        (Key::Name { name, .. }, Lit::String(s)) if name == "name" => {
            Some((s.clone(), e.value_range))
        }
        _ => None,
    })
}

/// The symbol of an API call, named by its config or by `assigned_to` (the variable the call's
/// value is stored in, with its range).
fn call_symbol(
    call: &ApiCall,
    start: usize,
    assigned_to: Option<(String, TextRange)>,
) -> Option<Symbol> {
    let kind = defined_kind(call)?;
    let end = call
        .fact
        .args
        .last()
        .map_or(call.fact.args_start, |a| a.range.end)
        .max(call.name.end);
    let range = TextRange::new(start.min(call.name.start), end);
    let (name, selection, registered) = match (config_name(call), assigned_to) {
        (Some((n, r)), _) => (n, r, true),
        (None, Some((n, r))) => (n, r, false),
        (None, None) => return None,
    };
    Some(Symbol {
        name,
        kind,
        range: TextRange::new(
            range.start.min(selection.start),
            range.end.max(selection.end),
        ),
        selection,
        registered,
    })
}

/// The symbols of a Lua document, in document order.
pub fn lua_symbols(p: &ParsedLua) -> Vec<Symbol> {
    let mut out = Vec::new();
    for call in crate::analysis::lua::facts::api_calls(p) {
        let Some(name_tok) = p.token_starting_at(call.name.start) else {
            continue;
        };
        let root = p.chain_root_before(name_tok).unwrap_or(name_tok);
        let start = p.tokens.tokens[root].range.start;
        // `local a = Agent.create{...}` or `a = ...`: the variable names the agent.
        let assigned_to = root
            .checked_sub(2)
            .filter(|&n| p.is_sym(n + 1, "=") && p.is_name(n))
            .map(|n| (p.token_text(n).to_owned(), p.tokens.tokens[n].range));
        out.extend(call_symbol(&call, start, assigned_to));
    }
    let toks = &p.tokens.tokens;
    for i in 0..toks.len() {
        if !p.is_keyword(i, "function") || !p.is_name(i + 1) {
            continue;
        }
        // `function M.a.b:c(` : the whole dotted name.
        let mut j = i + 1;
        while (p.is_sym(j + 1, ".") || p.is_sym(j + 1, ":")) && p.is_name(j + 2) {
            j += 2;
        }
        let selection = TextRange::new(toks[i + 1].range.start, toks[j].range.end);
        let header_end = if p.is_sym(j + 1, "(") {
            match p.tokens.matching.get(j + 1) {
                Some(&m) if m < toks.len() => toks[m].range.end,
                _ => selection.end,
            }
        } else {
            selection.end
        };
        let start = if i > 0 && p.is_keyword(i - 1, "local") {
            toks[i - 1].range.start
        } else {
            toks[i].range.start
        };
        out.push(Symbol {
            name: p.text[selection.start..selection.end].to_owned(),
            kind: SymbolKind::Function,
            range: TextRange::new(start, header_end),
            selection,
            registered: false,
        });
    }
    out.sort_by_key(|s| (s.range.start, s.range.end));
    out
}

/// The symbols of a JavaScript document, in document order.
pub fn js_symbols(p: &ParsedJs) -> Vec<Symbol> {
    let mut out = Vec::new();
    if p.not_parsed.is_some() {
        return out;
    }
    for call in crate::analysis::js::facts::api_calls(p) {
        let Ok(name_tok) = p
            .tokens
            .tokens
            .binary_search_by_key(&call.name.start, |t| t.range.start)
        else {
            continue;
        };
        let mut root = name_tok;
        while root >= 2 && (p.is_punct(root - 1, ".") || p.is_punct(root - 1, "?.")) {
            root -= 2;
        }
        if root > 0 && p.is_keyword(root - 1, "await") {
            root -= 1;
        }
        let start = p.tokens.tokens[root].range.start;
        let assigned_to = root
            .checked_sub(2)
            .filter(|&n| p.is_punct(n + 1, "=") && p.is_ident(n))
            .map(|n| (p.token_text(n).to_owned(), p.tokens.tokens[n].range));
        out.extend(call_symbol(&call, start, assigned_to));
    }
    let toks = &p.tokens.tokens;
    for i in 0..toks.len() {
        // `function f(`, `async function f(`, `const f = (...) =>`, `const f = function`.
        let declares_function = p.is_ident(i + 1)
            && (p.is_keyword(i, "function")
                || (["const", "let", "var"].iter().any(|k| p.is_keyword(i, k))
                    && p.is_punct(i + 2, "=")
                    && is_function_start(p, i + 3)));
        if !declares_function {
            continue;
        }
        let (name_tok, start_tok) = (i + 1, i);
        let start_tok = if start_tok > 0 && p.is_keyword(start_tok - 1, "async") {
            start_tok - 1
        } else {
            start_tok
        };
        let selection = toks[name_tok].range;
        out.push(Symbol {
            name: p.token_text(name_tok).to_owned(),
            kind: SymbolKind::Function,
            range: TextRange::new(toks[start_tok].range.start, selection.end),
            selection,
            registered: false,
        });
    }
    out.sort_by_key(|s| (s.range.start, s.range.end));
    out
}

/// Whether a function expression starts at token `i`: `function`, `async`, `(...) =>`, `x =>`.
fn is_function_start(p: &ParsedJs, i: usize) -> bool {
    if p.is_keyword(i, "function") || p.is_keyword(i, "async") {
        return true;
    }
    if p.is_punct(i, "(") {
        return p.matching(i).is_some_and(|c| p.is_punct(c + 1, "=>"));
    }
    p.tok(i).is_some_and(|t| t.kind == JsTokenKind::Name) && p.is_punct(i + 1, "=>")
}
