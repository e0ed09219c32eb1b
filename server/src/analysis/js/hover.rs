//! Hover at a byte offset of a JavaScript document, the counterpart of `lua::hover`: API
//! globals, members and fields through inferred `const`/`let` types, keys of config objects
//! (`temperature:` inside `Agent.create({ })`), tool names (`Tool.get("calculator")`) and typed
//! bindings. Whatever the token-level inference cannot pin down gives no hover.

use llmspell_runtime::definition::{Language, TypeKind};

use super::completion::{TOOL_NAME_CALLS, object_shape, params_tool};
use super::lexer::TokenKind;
use super::types::{Val, def, display_name, signature};
use super::{Binding, ParsedJs};
use crate::analysis::lua::hover::global_markdown;
use crate::analysis::markdown::{field_markdown, render, tool_markdown, tool_param_markdown};
use crate::analysis::model::Hover;

/// The hover at `offset` (clamped into the text), or `None` when nothing certain is known.
pub fn hover(p: &ParsedJs, offset: usize) -> Option<Hover> {
    let mut offset = offset.min(p.text.len());
    while !p.text.is_char_boundary(offset) {
        offset -= 1;
    }
    let i = token_at(p, offset)?;
    let tok = p.tokens.tokens[i];
    let markdown = match tok.kind {
        TokenKind::Name => name_hover(p, i),
        TokenKind::String { terminated: true } => string_hover(p, i),
        _ => None,
    }?;
    Some(Hover {
        range: tok.range,
        markdown,
    })
}

/// The name or string token under the cursor; a cursor just after a word still hovers it.
pub(crate) fn token_at(p: &ParsedJs, offset: usize) -> Option<usize> {
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

fn name_hover(p: &ParsedJs, i: usize) -> Option<String> {
    let name = p.token_text(i);
    if i > 0 && (p.is_punct(i - 1, ".") || p.is_punct(i - 1, "?.")) {
        return member_hover(p.chain_value_before(i.checked_sub(2)?), name);
    }
    if let Some(md) = key_hover(p, i) {
        return md;
    }
    let at = p.tokens.tokens[i].range;
    // The declared name is not "visible" yet, so it is found by its range.
    if let Some(b) = p.bindings.iter().find(|b| b.decl == at) {
        return binding_hover(b);
    }
    if !p.is_chain_root(i) {
        return None;
    }
    match p.binding_at(name, at.start) {
        Some(b) => binding_hover(b),
        None => def()
            .globals_for(Language::Js)
            .find(|g| g.name == name)
            .map(|g| global_markdown(Language::Js, g)),
    }
}

/// For a key of an object literal (`temperature` in `{ temperature: 0.2 }`): `Some(hover)`
/// when it is one, `None` when the name is not a key at all.
fn key_hover(p: &ParsedJs, key: usize) -> Option<Option<String>> {
    let before = key.checked_sub(1)?;
    let is_key = (p.is_punct(key + 1, ":")
        || p.is_punct(key + 1, ",")
        || p.is_punct(key + 1, "}")
        || p.is_punct(key + 1, "("))
        && (p.is_punct(before, "{") || p.is_punct(before, ","));
    let open = p.enclosing(key).filter(|&o| p.is_punct(o, "{"))?;
    if !is_key {
        return None;
    }
    let name = p.token_text(key).trim_matches(['"', '\'']);
    let found = object_shape(p, open).and_then(|shape| Some((shape, shape.field(name)?)));
    let tool_param = || {
        let tool = params_tool(p, open)?;
        let param = tool.params.iter().find(|param| param.name == name)?;
        Some(tool_param_markdown(Language::Js, tool, param))
    };
    Some(
        found
            .map(|(shape, field)| field_markdown(Language::Js, shape, field))
            .or_else(tool_param),
    )
}

fn binding_hover(b: &Binding) -> Option<String> {
    let ty = match b.ty {
        Val::Type(ty) => display_name(ty).to_owned(),
        Val::Promise(Some(ty)) => format!("Promise<{}>", ty.name),
        _ => return None,
    };
    let doc = match b.ty {
        Val::Type(t) => t.doc.as_str(),
        _ => "",
    };
    Some(render(
        Language::Js,
        &format!("const {}: {ty}", b.name),
        doc,
        None,
        &[],
        None,
    ))
}

fn member_hover(receiver: Val, name: &str) -> Option<String> {
    let Val::Type(ty) = receiver else { return None };
    if ty.kind == TypeKind::Table {
        return ty.field(name).map(|f| field_markdown(Language::Js, ty, f));
    }
    let m = ty.member(name)?;
    Some(render(
        Language::Js,
        &signature(ty, m),
        &m.doc,
        m.deprecated.as_ref(),
        &[],
        m.example.js.as_deref(),
    ))
}

/// Hover on a string: a tool name given to `Tool.get` / `Tool.execute` / `Tool.exists`, or as
/// a step's `tool: "..."`.
fn string_hover(p: &ParsedJs, s: usize) -> Option<String> {
    let lit = p.token_text(s);
    if lit.len() < 2 {
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

/// Whether the string token `s` is where a tool name goes: the first argument of
/// `Tool.get` / `Tool.execute` / `Tool.exists`, or a step's `tool: "..."`.
pub(crate) fn takes_tool_name(p: &ParsedJs, s: usize) -> bool {
    let Some(prev) = s.checked_sub(1) else {
        return false;
    };
    if p.is_punct(prev, "(") {
        prev.checked_sub(1).is_some_and(|callee| {
            matches!(p.chain_value_before(callee), Val::Member { owner, member }
                if TOOL_NAME_CALLS.contains(&(owner.name.as_str(), member.name.as_str())))
        })
    } else {
        // `tool: "x"` as a key of a config object whose type has a `tool` field (a step).
        p.is_punct(prev, ":")
            && prev
                .checked_sub(1)
                .is_some_and(|k| p.token_text(k) == "tool")
            && p.enclosing(s)
                .filter(|&o| p.is_punct(o, "{"))
                .and_then(|o| object_shape(p, o))
                .is_some_and(|shape| shape.field("tool").is_some())
    }
}
