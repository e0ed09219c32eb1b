//! Completion at a byte offset of a Lua document. The context is read from the tokens around
//! the cursor, so it works on text that does not parse: `Agent.` followed by nothing, an
//! unclosed `Agent.create{`, an unclosed `Tool.get("`.

use std::collections::BTreeSet;

use llmspell_runtime::definition::{GlobalKind, Language, MemberKind, TypeDef, TypeExpr, TypeKind};

use super::ParsedLua;
use super::lexer::{self, NO_MATCH, TokenKind};
use super::types::{self, Val, def, display_name, documentation, signature};
use crate::analysis::diagnostics::AnalysisConfig;
use crate::analysis::{Completion, CompletionKind, TextRange, model_names, tool_completion};
use llmspell_runtime::tools::ToolSchema;

/// Completions at `offset` (clamped into the text). Empty where nothing fits: inside a
/// comment, after a number, where a new name is being declared.
pub fn complete(p: &ParsedLua, offset: usize) -> Vec<Completion> {
    complete_with(p, offset, &AnalysisConfig::default())
}

/// As [`complete`], with the workspace's settings (its providers and default model, offered
/// inside `model = "`).
pub fn complete_with(p: &ParsedLua, offset: usize, config: &AnalysisConfig) -> Vec<Completion> {
    let mut offset = offset.min(p.text.len());
    while !p.text.is_char_boundary(offset) {
        offset -= 1;
    }
    if in_comment(p, offset) {
        return Vec::new();
    }
    let toks = &p.tokens.tokens;
    // The last token that starts before the cursor.
    let Some(before) = toks.iter().rposition(|t| t.range.start < offset) else {
        return general(p, offset, TextRange::at(offset));
    };
    let cur = toks[before];
    if let TokenKind::String { terminated } = cur.kind
        && (offset < cur.range.end || (!terminated && offset == cur.range.end))
    {
        return in_string(p, before, offset, config);
    }
    let touching = cur.range.end >= offset;
    let (replace, prev) = match cur.kind {
        TokenKind::Name | TokenKind::Keyword if touching => (cur.range, before.checked_sub(1)),
        TokenKind::Number if touching => return Vec::new(),
        _ => (TextRange::at(offset), Some(before)),
    };
    let Some(prev) = prev else {
        return general(p, offset, replace);
    };
    if p.is_sym(prev, ".") || p.is_sym(prev, ":") {
        let sep = if p.is_sym(prev, ".") { '.' } else { ':' };
        let receiver = match prev.checked_sub(1) {
            Some(last) => p.chain_value_before(last),
            None => Val::Unknown,
        };
        return members(receiver, sep, replace);
    }
    if ["local", "function", "for", "goto"]
        .iter()
        .any(|k| p.is_keyword(prev, k))
        || p.is_sym(prev, "::")
    {
        // A new name is being written: nothing existing fits.
        return Vec::new();
    }
    if let Some(open) = enclosing_opener(p, prev + 1)
        && p.is_sym(open, "{")
    {
        if p.is_sym(prev, "{") || p.is_sym(prev, ",") || p.is_sym(prev, ";") {
            let typing = (replace.start < replace.end).then_some(before);
            if let Some(shape) = table_type(p, open, 0).and_then(types::table_shape) {
                return config_fields(p, shape, open, typing, replace);
            }
            if let Some(tool) = params_tool(p, open) {
                let written = written_keys(p, open, typing);
                return tool_completion::param_completions(tool, &written, Language::Lua, replace);
            }
        } else if p.is_sym(prev, "=") {
            if let Some(field) = key_field(p, prev)
                && let Some(values) = &field.values
            {
                let mut out: Vec<Completion> = values
                    .iter()
                    .map(|v| value(format!("\"{v}\""), &field.doc, replace))
                    .collect();
                out.extend(general(p, offset, replace));
                return out;
            }
            if let Some((tool, param)) = tool_param_of_value(p, prev) {
                let mut out = tool_completion::value_completions(tool, param, "\"", replace);
                out.extend(general(p, offset, replace));
                return out;
            }
        }
    }
    general(p, offset, replace)
}

fn in_comment(p: &ParsedLua, offset: usize) -> bool {
    p.tokens.comments.iter().any(|c| {
        let long = p.text[c.start..c.end].starts_with("--[");
        c.start < offset && (offset < c.end || (offset == c.end && !long))
    })
}

fn value(label: String, doc: &str, replace: TextRange) -> Completion {
    Completion {
        label,
        kind: CompletionKind::Value,
        detail: None,
        documentation: documentation(doc, None),
        snippet: None,
        replace,
    }
}

/// Globals, locals in scope and keywords.
fn general(p: &ParsedLua, offset: usize, replace: TextRange) -> Vec<Completion> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    // Innermost first, so a shadowing local wins over the one it hides.
    let mut locals: Vec<_> = p
        .locals
        .iter()
        .filter(|l| {
            l.visible.start <= offset && offset <= l.visible.end && !l.decl.contains(offset)
        })
        .collect();
    locals.sort_by_key(|l| std::cmp::Reverse(l.visible.start));
    for l in locals {
        if seen.insert(l.name.clone()) {
            out.push(Completion {
                label: l.name.clone(),
                kind: CompletionKind::Variable,
                detail: Some(match (l.ty, l.reassigned) {
                    (Some(t), false) => format!("local {}: {}", l.name, display_name(t)),
                    _ => format!("local {}", l.name),
                }),
                documentation: None,
                snippet: None,
                replace,
            });
        }
    }
    let d = def();
    for g in d.globals_for(Language::Lua) {
        if !seen.insert(g.name.clone()) {
            continue;
        }
        let (kind, detail) = match g.kind {
            GlobalKind::Function => {
                let params: Vec<String> = g
                    .params
                    .iter()
                    .map(|p| format!("{}: {}", p.name, p.ty))
                    .collect();
                (
                    CompletionKind::Function,
                    format!("{}({})", g.name, params.join(", ")),
                )
            }
            _ => (
                CompletionKind::Global,
                g.ty.as_ref()
                    .map_or_else(|| g.name.clone(), |t| format!("{}: {t}", g.name)),
            ),
        };
        out.push(Completion {
            label: g.name.clone(),
            kind,
            detail: Some(detail),
            documentation: documentation(&g.doc, g.example.lua.as_deref()),
            snippet: None,
            replace,
        });
    }
    let std = &d.lua_stdlib;
    for name in &std.globals {
        if seen.insert(name.clone()) {
            out.push(Completion {
                label: name.clone(),
                kind: if name.starts_with('_') {
                    CompletionKind::Global
                } else {
                    CompletionKind::Function
                },
                detail: Some("Lua standard library".into()),
                documentation: None,
                snippet: None,
                replace,
            });
        }
    }
    for name in std.tables.keys() {
        if seen.insert(name.clone()) {
            out.push(Completion {
                label: name.clone(),
                kind: CompletionKind::Global,
                detail: Some(format!("Lua standard library table `{name}`")),
                documentation: None,
                snippet: None,
                replace,
            });
        }
    }
    for kw in lexer::keywords() {
        out.push(Completion {
            label: (*kw).to_owned(),
            kind: CompletionKind::Keyword,
            detail: None,
            documentation: None,
            snippet: None,
            replace,
        });
    }
    out
}

/// Members after `receiver.` or `receiver:`.
fn members(receiver: Val, sep: char, replace: TextRange) -> Vec<Completion> {
    match receiver {
        Val::Type(ty) => type_members(ty, sep, replace),
        Val::StdTable(table) if sep == '.' => def()
            .lua_stdlib
            .tables
            .get(table)
            .into_iter()
            .flatten()
            .map(|name| Completion {
                label: name.clone(),
                kind: CompletionKind::Function,
                detail: Some(format!("{table}.{name}")),
                documentation: None,
                snippet: None,
                replace,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn type_members(ty: &'static TypeDef, sep: char, replace: TextRange) -> Vec<Completion> {
    if ty.kind == TypeKind::Table {
        if sep != '.' {
            return Vec::new();
        }
        return ty
            .fields
            .iter()
            .map(|f| Completion {
                label: f.name.clone(),
                kind: CompletionKind::Field,
                detail: Some(format!("{}.{}: {}", ty.name, f.name, f.ty)),
                documentation: documentation(&f.doc, None),
                snippet: None,
                replace,
            })
            .collect();
    }
    let mut out = Vec::new();
    // With `.`, the members reached with `.` come first; methods are still offered (a `.`
    // typed by habit is common), after them, with a detail that says how to call them.
    let mut ordered: Vec<_> = ty.members.iter().collect();
    ordered.sort_by_key(|m| m.kind.lua_separator() != sep);
    for m in ordered {
        let own_style = m.kind.lua_separator() == sep;
        if sep == ':' && !own_style {
            continue;
        }
        let kind = match m.kind {
            MemberKind::Function => CompletionKind::Function,
            MemberKind::Method | MemberKind::Stream => CompletionKind::Method,
            MemberKind::Field => CompletionKind::Field,
        };
        let mut detail = signature(ty, m);
        if !own_style {
            detail.push_str(" (call with ':')");
        }
        out.push(Completion {
            label: m.name.clone(),
            kind,
            detail: Some(detail),
            documentation: documentation(&m.doc, m.example.lua.as_deref()),
            snippet: None,
            replace,
        });
    }
    out
}

/// The innermost bracket opened before token `end` (exclusive) and not closed before it.
pub(super) fn enclosing_opener(p: &ParsedLua, end: usize) -> Option<usize> {
    let mut j = end.checked_sub(1)?;
    loop {
        if p.is_sym(j, ")") || p.is_sym(j, "}") || p.is_sym(j, "]") {
            let m = p.tokens.matching[j];
            if m != NO_MATCH {
                j = m;
            }
        } else if p.is_sym(j, "(") || p.is_sym(j, "{") || p.is_sym(j, "[") {
            return Some(j);
        }
        j = j.checked_sub(1)?;
    }
}

/// The type expected of the table constructor opened at token `open`: the parameter of the
/// call it is an argument of, the field of the typed table it is the value of, or the item
/// type of the typed list it is an element of.
pub(super) fn table_type(p: &ParsedLua, open: usize, depth: usize) -> Option<&'static TypeExpr> {
    if depth > 32 {
        return None;
    }
    let prev = open.checked_sub(1)?;
    if p.is_sym(prev, "(") {
        return param_type(p, prev, 0);
    }
    if p.is_sym(prev, "{") {
        return list_item(table_type(p, prev, depth + 1)?);
    }
    if p.is_sym(prev, ",") || p.is_sym(prev, ";") {
        let outer = enclosing_opener(p, prev)?;
        if p.is_sym(outer, "(") {
            let index = top_level_commas(p, outer, open);
            return param_type(p, outer, index);
        }
        if p.is_sym(outer, "{") {
            return list_item(table_type(p, outer, depth + 1)?);
        }
        return None;
    }
    if p.is_sym(prev, "=") {
        let field = key_field(p, prev)?;
        return Some(&field.ty);
    }
    // `f{ ... }`: the table is the only argument.
    callee_param(p, prev, 0)
}

fn list_item(ty: &'static TypeExpr) -> Option<&'static TypeExpr> {
    match ty {
        TypeExpr::List(item) => Some(item),
        _ => None,
    }
}

fn top_level_commas(p: &ParsedLua, open: usize, until: usize) -> usize {
    let mut count = 0;
    let mut j = open + 1;
    while j < until {
        let m = p.tokens.matching[j];
        if m != NO_MATCH && m > j {
            j = m + 1;
            continue;
        }
        if p.is_sym(j, ",") {
            count += 1;
        }
        j += 1;
    }
    count
}

/// The type of parameter `index` of the call whose `(` is token `paren`.
fn param_type(p: &ParsedLua, paren: usize, index: usize) -> Option<&'static TypeExpr> {
    callee_param(p, paren.checked_sub(1)?, index)
}

fn callee_param(p: &ParsedLua, callee_last: usize, index: usize) -> Option<&'static TypeExpr> {
    match p.chain_value_before(callee_last) {
        Val::Member { member, sep, .. } if member.kind.lua_separator() == sep => {
            member.params.get(index).map(|param| &param.ty)
        }
        _ => None,
    }
}

/// For the `=` at token `eq` in `{ key = `, the field `key` of the table's type.
pub(super) fn key_field(
    p: &ParsedLua,
    eq: usize,
) -> Option<&'static llmspell_runtime::definition::Field> {
    let key = eq.checked_sub(1)?;
    let before_key = key.checked_sub(1)?;
    if !p.is_name(key)
        || !(p.is_sym(before_key, "{") || p.is_sym(before_key, ",") || p.is_sym(before_key, ";"))
    {
        return None;
    }
    let open = enclosing_opener(p, key)?;
    if !p.is_sym(open, "{") {
        return None;
    }
    let shape = types::table_shape(table_type(p, open, 0)?)?;
    shape.field(p.token_text(key))
}

/// The keys already written at the top level of the table opened at `open`, except the one
/// being typed.
fn written_keys(p: &ParsedLua, open: usize, typing: Option<usize>) -> BTreeSet<String> {
    top_level_keys(p, open)
        .filter(|&j| Some(j) != typing)
        .map(|j| p.token_text(j).to_owned())
        .collect()
}

/// The key tokens (`key` in `key = value`) at the top level of the table opened at token
/// `open`: nested brackets are skipped, and a stray closer of an unbalanced table ends it.
fn top_level_keys(p: &ParsedLua, open: usize) -> impl Iterator<Item = usize> + '_ {
    let end = match p.tokens.matching[open] {
        NO_MATCH => p.tokens.tokens.len(),
        m => m,
    };
    let mut j = open + 1;
    std::iter::from_fn(move || {
        while j < end {
            let at = j;
            let m = p.tokens.matching[at];
            if m != NO_MATCH && m > at {
                j = m + 1;
                continue;
            }
            if p.is_sym(at, ")") || p.is_sym(at, "}") || p.is_sym(at, "]") {
                return None;
            }
            j += 1;
            let after_sep = p.is_sym(at - 1, "{") || p.is_sym(at - 1, ",") || p.is_sym(at - 1, ";");
            if p.is_name(at) && after_sep && p.is_sym(at + 1, "=") {
                return Some(at);
            }
        }
        None
    })
}

fn config_fields(
    p: &ParsedLua,
    shape: &'static TypeDef,
    open: usize,
    typing: Option<usize>,
    replace: TextRange,
) -> Vec<Completion> {
    let written = written_keys(p, open, typing);
    shape
        .fields
        .iter()
        .filter(|f| !written.contains(&f.name))
        .map(|f| {
            let mut doc = f.doc.clone();
            if let Some(default) = &f.default {
                doc.push_str(&format!("\n\nDefault: `{default}`"));
            }
            if f.min.is_some() || f.max.is_some() {
                let show = |v: Option<f64>| v.map_or_else(|| "…".into(), |v| v.to_string());
                doc.push_str(&format!("\n\nRange: {} to {}", show(f.min), show(f.max)));
            }
            let required = if f.required { " (required)" } else { "" };
            Completion {
                label: f.name.clone(),
                kind: CompletionKind::ConfigField,
                detail: Some(format!("{}: {}{required}", f.name, f.ty)),
                documentation: documentation(&doc, None),
                snippet: Some(format!(
                    "{} = {}",
                    f.name,
                    value_snippet(&f.ty, f.values.as_deref())
                )),
                replace,
            }
        })
        .collect()
}

fn value_snippet(ty: &TypeExpr, values: Option<&[String]>) -> String {
    if let Some(values) = values.filter(|v| !v.is_empty()) {
        return crate::analysis::snippet::quoted_choice(values);
    }
    match ty {
        TypeExpr::String => "\"$1\"".into(),
        TypeExpr::Boolean => "${1|true,false|}".into(),
        TypeExpr::Function { .. } => "function(${1}) $0 end".into(),
        TypeExpr::List(_) | TypeExpr::Map(_) | TypeExpr::Table => "{ $1 }".into(),
        TypeExpr::Named(_) if types::table_shape(ty).is_some() => "{ $1 }".into(),
        TypeExpr::Union(items) => items
            .iter()
            .find(|t| !matches!(t, TypeExpr::Nil))
            .map_or_else(|| "$1".into(), |t| value_snippet(t, None)),
        _ => "$1".into(),
    }
}

/// Inside a string: tool names as the first argument of `Tool.get` / `Tool.execute` /
/// `Tool.exists` and as the value of a step's `tool = `; a field's allowed values.
fn in_string(p: &ParsedLua, s: usize, offset: usize, config: &AnalysisConfig) -> Vec<Completion> {
    let tok = p.tokens.tokens[s];
    let text = &p.text[tok.range.start..tok.range.end];
    // Short strings only: the content starts after the quote.
    if !(text.starts_with('"') || text.starts_with('\'')) {
        return Vec::new();
    }
    let content_start = tok.range.start + 1;
    let terminated = matches!(tok.kind, TokenKind::String { terminated: true });
    let content_end = if terminated {
        tok.range.end - 1
    } else {
        tok.range.end
    };
    let replace = crate::analysis::snippet::line_of_string(
        &p.text,
        offset,
        TextRange::new(content_start, content_end.max(offset.min(content_end))),
    );
    let Some(prev) = s.checked_sub(1) else {
        return Vec::new();
    };
    // `Tool.get("` or `Tool.get "`.
    let callee = if p.is_sym(prev, "(") {
        prev.checked_sub(1)
    } else {
        Some(prev)
    };
    if let Some(callee) = callee
        && let Val::Member {
            owner,
            member,
            sep: '.',
        } = p.chain_value_before(callee)
        && owner.name == "ToolApi"
        && member
            .params
            .first()
            .is_some_and(|param| param.name == "name")
    {
        return tool_completion::tool_name_completions(&registered_tools(p), config, replace);
    }
    if p.is_sym(prev, "=")
        && let Some(field) = key_field(p, prev)
    {
        if field.name == "tool" {
            return tool_completion::tool_name_completions(&registered_tools(p), config, replace);
        }
        if model_names::is_agent_model(field) {
            return model_names::model_completions(config, replace);
        }
        if let Some(values) = &field.values {
            return values
                .iter()
                .map(|v| value(v.clone(), &field.doc, replace))
                .collect();
        }
    }
    if p.is_sym(prev, "=")
        && let Some((tool, param)) = tool_param_of_value(p, prev)
    {
        return tool_completion::value_completions(tool, param, "", replace);
    }
    Vec::new()
}

/// For the `=` at token `eq` in a tool's parameter table (`{ operation = `), the tool and the
/// parameter's name.
fn tool_param_of_value(p: &ParsedLua, eq: usize) -> Option<(&'static ToolSchema, &str)> {
    let key = eq.checked_sub(1)?;
    let before_key = key.checked_sub(1)?;
    if !p.is_name(key)
        || !(p.is_sym(before_key, "{") || p.is_sym(before_key, ",") || p.is_sym(before_key, ";"))
    {
        return None;
    }
    let open = enclosing_opener(p, key)?;
    let tool = params_tool(p, open)?;
    Some((tool, p.token_text(key)))
}

/// The built-in tool whose parameters the table opened at token `open` holds:
/// `t:execute{` or `t:execute({` where `t` is `Tool.get("name")` (that call itself, or a local
/// set once from it), `Tool.execute("name", {`, and `params = {` in a step with
/// `tool = "name"`.
pub(super) fn params_tool(p: &ParsedLua, open: usize) -> Option<&'static ToolSchema> {
    let prev = open.checked_sub(1)?;
    if p.is_sym(prev, "=") {
        let key = prev.checked_sub(1)?;
        if !p.is_name(key) || p.token_text(key) != "params" {
            return None;
        }
        let outer = enclosing_opener(p, key)?;
        let name = p
            .is_sym(outer, "{")
            .then(|| field_string(p, outer, "tool"))??;
        return tool_completion::builtin_tool(name);
    }
    if p.is_sym(prev, ",") {
        let paren = enclosing_opener(p, prev)?;
        let is_second_argument = p.is_sym(paren, "(") && top_level_commas(p, paren, open) == 1;
        let callee = paren.checked_sub(1)?;
        if !is_second_argument
            || p.chain_value_before(callee).member_names() != Some(("ToolApi", "execute"))
        {
            return None;
        }
        return tool_completion::builtin_tool(plain_string(p, paren + 1)?);
    }
    let callee = if p.is_sym(prev, "(") {
        prev.checked_sub(1)?
    } else {
        prev
    };
    if p.chain_value_before(callee).member_names() != Some(("Tool", "execute"))
        || !p.is_sym(callee.checked_sub(1)?, ":")
    {
        return None;
    }
    tool_of_receiver(p, callee.checked_sub(2)?)
}

/// The built-in tool the receiver ending at token `last` is: `Tool.get("name")` itself, or a
/// local declared as `local t = Tool.get("name")` and never assigned again.
fn tool_of_receiver(p: &ParsedLua, last: usize) -> Option<&'static ToolSchema> {
    if p.is_name(last) && p.chain_root_before(last) == Some(last) {
        let local = p.local_at(p.token_text(last), p.tokens.tokens[last].range.start)?;
        let decl = p.token_starting_at(local.decl.start)?;
        let declared_alone = decl > 0 && p.is_keyword(decl - 1, "local") && p.is_sym(decl + 1, "=");
        if local.reassigned || !declared_alone {
            return None;
        }
        // `Tool . get` then the arguments: the call must be the whole initializer.
        let get = decl + 4;
        let (name, after) = tool_get_argument(p, get)?;
        // The initializer ends there: at the end of the text, a `;`, or the next statement
        // (a name or keyword other than `and` / `or`, which would continue the expression).
        let ends_there = p.tok(after).is_none()
            || p.is_sym(after, ";")
            || ((p.is_name(after) || p.tok(after).is_some_and(|t| t.kind == TokenKind::Keyword))
                && !p.is_keyword(after, "and")
                && !p.is_keyword(after, "or"));
        return ends_there
            .then(|| tool_completion::builtin_tool(name))
            .flatten();
    }
    // `Tool.get("name"):execute{`: the receiver ends with the call's closing token.
    let open = if p.is_sym(last, ")") {
        p.tokens
            .matching
            .get(last)
            .copied()
            .filter(|&m| m != NO_MATCH)?
    } else {
        last
    };
    let (name, after) = tool_get_argument(p, open.checked_sub(1)?)?;
    (after == last + 1)
        .then(|| tool_completion::builtin_tool(name))
        .flatten()
}

/// For the `get` token of `Tool.get("name")` or `Tool.get "name"`, the name and the token after
/// the call.
fn tool_get_argument(p: &ParsedLua, get: usize) -> Option<(&str, usize)> {
    if !p.is_name(get) || p.chain_value_before(get).member_names() != Some(("ToolApi", "get")) {
        return None;
    }
    if p.is_sym(get + 1, "(") {
        let name = plain_string(p, get + 2)?;
        p.is_sym(get + 3, ")").then_some((name, get + 4))
    } else {
        Some((plain_string(p, get + 1)?, get + 2))
    }
}

/// The text of the closed short string at token `i`, when it has no escapes.
fn plain_string(p: &ParsedLua, i: usize) -> Option<&str> {
    let tok = p.tok(i)?;
    if !matches!(tok.kind, TokenKind::String { terminated: true }) {
        return None;
    }
    let text = p.token_text(i);
    let body = text.get(1..text.len().checked_sub(1)?)?;
    let quoted = text.starts_with('"') || text.starts_with('\'');
    (quoted && !body.contains('\\')).then_some(body)
}

/// The string value of `key = "..."` at the top level of the table opened at token `open`.
fn field_string<'a>(p: &'a ParsedLua, open: usize, key: &str) -> Option<&'a str> {
    let j = top_level_keys(p, open).find(|&j| p.token_text(j) == key)?;
    plain_string(p, j + 2)
}

/// Names given to `Tool.register{ name = "..." }` in this document.
fn registered_tools(p: &ParsedLua) -> Vec<String> {
    let mut names = Vec::new();
    for a in p.accesses() {
        let is_register = matches!(a.receiver, Val::Type(t) if t.name == "ToolApi")
            && p.token_text(a.name_token) == "register";
        if !is_register {
            continue;
        }
        let mut open = a.name_token + 1;
        if p.is_sym(open, "(") {
            open += 1;
        }
        if !p.is_sym(open, "{") {
            continue;
        }
        let end = match p.tokens.matching[open] {
            NO_MATCH => p.tokens.tokens.len(),
            m => m,
        };
        let mut j = open + 1;
        while j + 2 < end {
            let m = p.tokens.matching[j];
            if m != NO_MATCH && m > j {
                j = m + 1;
                continue;
            }
            if p.is_name(j) && p.token_text(j) == "name" && p.is_sym(j + 1, "=") {
                let lit = p.token_text(j + 2);
                if lit.len() >= 2
                    && (lit.starts_with('"') || lit.starts_with('\''))
                    && matches!(
                        p.tokens.tokens[j + 2].kind,
                        TokenKind::String { terminated: true }
                    )
                {
                    names.push(lit[1..lit.len() - 1].to_owned());
                }
                break;
            }
            j += 1;
        }
    }
    names
}
