//! Hover at a byte offset of a Lua document: what the API definition says about the name or
//! string under the cursor. Globals, namespace functions, methods and fields (through inferred
//! local types), config-table keys (`temperature = ` inside `Agent.create{ }`), tool names
//! (`Tool.get("calculator")`, with the tool's parameter table) and typed locals.
//!
//! Like completion, the context is read from tokens, so hover works on text that does not
//! parse. Whatever the analysis cannot pin down gives no hover: a wrong hover is worse than none.

use llmspell_runtime::definition::{
    Global, GlobalKind, Language, Member, Param, TypeDef, TypeKind,
};

use super::completion::{enclosing_opener, key_field, params_tool, table_type};
use super::lexer::TokenKind;
use super::types::{self, Val, def, display_name, signature};
use super::{LocalVar, ParsedLua};
use crate::analysis::markdown::{field_markdown, render, tool_markdown, tool_param_markdown};
use crate::analysis::model::Hover;

/// The hover at `offset` (clamped into the text), or `None` when nothing certain is known.
pub fn hover(p: &ParsedLua, offset: usize) -> Option<Hover> {
    let mut offset = offset.min(p.text.len());
    while !p.text.is_char_boundary(offset) {
        offset -= 1;
    }
    let i = token_at(p, offset)?;
    let tok = p.tokens.tokens[i];
    let markdown = match tok.kind {
        TokenKind::Name => name_hover(p, i),
        TokenKind::String { .. } => string_hover(p, i),
        _ => None,
    }?;
    Some(Hover {
        range: tok.range,
        markdown,
    })
}

/// The name or string token under the cursor. A cursor just after a word (`Agent|.create`)
/// still hovers that word, as editors place the cursor between characters.
pub(crate) fn token_at(p: &ParsedLua, offset: usize) -> Option<usize> {
    let toks = &p.tokens.tokens;
    let last = toks
        .partition_point(|t| t.range.start <= offset)
        .checked_sub(1)?;
    let hoverable = |j: usize| {
        matches!(toks[j].kind, TokenKind::Name | TokenKind::String { .. })
            && toks[j].range.start <= offset
            && offset <= toks[j].range.end
    };
    [Some(last), last.checked_sub(1)]
        .into_iter()
        .flatten()
        .find(|&j| hoverable(j))
}

fn name_hover(p: &ParsedLua, i: usize) -> Option<String> {
    let name = p.token_text(i);
    if i > 0 && (p.is_sym(i - 1, ".") || p.is_sym(i - 1, ":")) {
        return member_hover(p.chain_value_before(i.checked_sub(2)?), name);
    }
    if i > 0 && (p.is_sym(i - 1, "::") || p.is_keyword(i - 1, "goto")) {
        return None;
    }
    if let Some(md) = key_hover(p, i) {
        return md;
    }
    let at = p.tokens.tokens[i].range;
    // The name where a local is declared is not "visible" yet, so it is found by its range.
    if let Some(l) = p.locals.iter().find(|l| l.decl == at) {
        return local_hover(l);
    }
    if !p.is_chain_root(i) {
        return None;
    }
    match p.local_at(name, at.start) {
        Some(l) => local_hover(l),
        None if p.assigned_globals.contains(name) => None,
        None => global_hover(name),
    }
}

/// For a key of a table constructor (`temperature` in `{ temperature = 0.2 }`):
/// `Some(hover)` when it is one; `None` when the name is not a key at all.
fn key_hover(p: &ParsedLua, key: usize) -> Option<Option<String>> {
    let before = key.checked_sub(1)?;
    let is_key = p.is_sym(key + 1, "=")
        && (p.is_sym(before, "{") || p.is_sym(before, ",") || p.is_sym(before, ";"));
    let open = enclosing_opener(p, key).filter(|&o| p.is_sym(o, "{"))?;
    if !is_key {
        return None;
    }
    // A key of a table whose type is unknown is still a key, not a variable: no hover.
    let name = p.token_text(key);
    let found = table_type(p, open, 0)
        .and_then(types::table_shape)
        .and_then(|shape| Some((shape, shape.field(name)?)));
    let tool_param = || {
        let tool = params_tool(p, open)?;
        let param = tool.params.iter().find(|param| param.name == name)?;
        Some(tool_param_markdown(Language::Lua, tool, param))
    };
    Some(
        found
            .map(|(shape, field)| field_markdown(Language::Lua, shape, field))
            .or_else(tool_param),
    )
}

fn local_hover(l: &LocalVar) -> Option<String> {
    // A reassigned local may hold anything by the time it is read.
    let ty = l.ty.filter(|_| !l.reassigned)?;
    Some(render(
        Language::Lua,
        &format!("local {}: {}", l.name, display_name(ty)),
        &ty.doc,
        None,
        &[],
        None,
    ))
}

fn global_hover(name: &str) -> Option<String> {
    let d = def();
    if let Some(g) = d.globals_for(Language::Lua).find(|g| g.name == name) {
        return Some(global_markdown(Language::Lua, g));
    }
    let std = &d.lua_stdlib;
    if let Some(reason) = std.disabled_reason(name) {
        return Some(render(
            Language::Lua,
            name,
            &format!("Not available in llmspell scripts: {reason}."),
            None,
            &[],
            None,
        ));
    }
    if std.globals.iter().any(|g| g == name) {
        return Some(render(
            Language::Lua,
            name,
            "Lua standard library.",
            None,
            &[],
            None,
        ));
    }
    std.tables.contains_key(name).then(|| {
        render(
            Language::Lua,
            name,
            &format!("Lua standard library table `{name}`."),
            None,
            &[],
            None,
        )
    })
}

/// A global of `lang`: its signature or type, doc, members and example.
pub(crate) fn global_markdown(lang: Language, g: &Global) -> String {
    let mut notes = Vec::new();
    let code = match g.kind {
        GlobalKind::Function => global_signature(g),
        _ => {
            // A namespace's hover lists what it offers: that is what one reaches it for.
            if let Some(ty) = g.ty.as_ref().and_then(types::named)
                && ty.kind == TypeKind::Namespace
                && !ty.members.is_empty()
            {
                let names: Vec<String> =
                    ty.members.iter().map(|m| format!("`{}`", m.name)).collect();
                notes.push(format!("Members: {}.", names.join(", ")));
            }
            match &g.ty {
                Some(ty) => format!("{}: {ty}", g.name),
                None => g.name.clone(),
            }
        }
    };
    let example = match lang {
        Language::Lua => g.example.lua.as_deref(),
        Language::Js => g.example.js.as_deref(),
    };
    render(lang, &code, &g.doc, None, &notes, example)
}

/// `print(...values: any) -> nil`, in the style of [`types::signature`].
pub(crate) fn global_signature(g: &Global) -> String {
    let params: Vec<String> = g.params.iter().map(param_label).collect();
    let ret = g
        .returns
        .as_ref()
        .map(|r| format!(" -> {r}"))
        .unwrap_or_default();
    format!("{}({}){ret}", g.name, params.join(", "))
}

/// A parameter as [`types::signature`] writes it, so it can be found in a signature's label.
pub(crate) fn param_label(p: &Param) -> String {
    let opt = if p.optional { "?" } else { "" };
    let dots = if p.variadic { "..." } else { "" };
    format!("{dots}{}{opt}: {}", p.name, p.ty)
}

fn member_hover(receiver: Val, name: &str) -> Option<String> {
    match receiver {
        Val::Type(ty) if ty.kind == TypeKind::Table => {
            ty.field(name).map(|f| field_markdown(Language::Lua, ty, f))
        }
        // Whatever the separator: hover documents the member even when it is called in the
        // wrong style (the diagnostic says that).
        Val::Type(ty) => ty.member(name).map(|m| member_markdown(ty, m)),
        Val::StdTable(table) => {
            let full = format!("{table}.{name}");
            let std = &def().lua_stdlib;
            if let Some(reason) = std.disabled_reason(&full) {
                return Some(render(
                    Language::Lua,
                    &full,
                    &format!("Not available in llmspell scripts: {reason}."),
                    None,
                    &[],
                    None,
                ));
            }
            std.tables
                .get(table)
                .is_some_and(|names| names.iter().any(|n| n == name))
                .then(|| {
                    render(
                        Language::Lua,
                        &full,
                        "Lua standard library.",
                        None,
                        &[],
                        None,
                    )
                })
        }
        _ => None,
    }
}

fn member_markdown(owner: &TypeDef, m: &Member) -> String {
    render(
        Language::Lua,
        &signature(owner, m),
        &m.doc,
        m.deprecated.as_ref(),
        &[],
        m.example.lua.as_deref(),
    )
}

/// Hover on a string: a tool name given to `Tool.get` / `Tool.execute` / `Tool.exists` or as a
/// step's `tool = "..."`. Only built-in tools have a schema to show.
fn string_hover(p: &ParsedLua, s: usize) -> Option<String> {
    let lit = p.token_text(s);
    let terminated = matches!(
        p.tokens.tokens[s].kind,
        TokenKind::String { terminated: true }
    );
    if !terminated || lit.len() < 2 || !(lit.starts_with('"') || lit.starts_with('\'')) {
        return None;
    }
    if !takes_tool_name(p, s) {
        return None;
    }
    let name = &lit[1..lit.len() - 1];
    def()
        .tools
        .iter()
        .find(|t| t.name == name)
        .map(tool_markdown)
}

/// Whether the string token `s` is where a tool name goes.
pub(crate) fn takes_tool_name(p: &ParsedLua, s: usize) -> bool {
    let Some(prev) = s.checked_sub(1) else {
        return false;
    };
    if p.is_sym(prev, "=") {
        return key_field(p, prev).is_some_and(|f| f.name == "tool");
    }
    // `Tool.get("x")` or `Tool.get "x"`: the string is the first argument.
    let callee = if p.is_sym(prev, "(") {
        prev.checked_sub(1)
    } else {
        Some(prev)
    };
    callee.is_some_and(|c| {
        matches!(
            p.chain_value_before(c),
            Val::Member { owner, member, sep: '.' }
                if owner.name == "ToolApi"
                    && member.params.first().is_some_and(|param| param.name == "name")
        )
    })
}
