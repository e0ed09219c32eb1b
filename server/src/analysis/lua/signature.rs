//! Signature help at a byte offset of a Lua document: the API function whose argument list the
//! cursor is in (`Agent.create(|`, `a:execute("hi", |`, the table call `Agent.create{ | }`),
//! with the parameter the cursor is on.
//!
//! The call is found on tokens, walking out through the brackets that enclose the cursor, so an
//! unclosed call while typing works. The walk stops at the first real call it meets: the
//! arguments of an unknown function (`pcall(|`) belong to it, not to an API call further out,
//! and so does a function body written inside the arguments.

use llmspell_runtime::definition::{GlobalKind, Language, MemberKind};

use super::ParsedLua;
use super::completion::enclosing_opener;
use super::hover::{global_signature, param_label};
use super::lexer::NO_MATCH;
use super::types::{Val, def, documentation, signature};
use crate::analysis::model::SignatureHelp;

/// Bracket levels walked out through at most: enough for any hand-written call.
const MAX_LEVELS: usize = 64;

/// The signature help at `offset` (clamped into the text), or `None` outside an API call.
pub fn signature_help(p: &ParsedLua, offset: usize) -> Option<SignatureHelp> {
    let mut offset = offset.min(p.text.len());
    while !p.text.is_char_boundary(offset) {
        offset -= 1;
    }
    // In a comment: a line comment still holds the cursor at its end, a closed long one not.
    if p.tokens.comments.iter().any(|c| {
        let long = p.text[c.start..c.end].starts_with("--[");
        c.start < offset && (offset < c.end || (offset == c.end && !long))
    }) {
        return None;
    }
    // The tokens that start before the cursor: a string the cursor is inside counts, its quote
    // is before the cursor; a `)` right at the cursor does not, the call is still open there.
    let end = p.tokens.tokens.partition_point(|t| t.range.start < offset);
    let mut inner = end;
    for _ in 0..MAX_LEVELS {
        let open = enclosing_opener(p, inner)?;
        let commas = top_level_commas(p, open, inner)?;
        let prev = open.checked_sub(1);
        if p.is_sym(open, "(") {
            let prev = prev?;
            if declares_function(p, open) {
                return None;
            }
            if is_callee_end(p, prev) {
                return call_signature(p, prev, commas);
            }
            // A parenthesised expression: the call, if any, is further out.
        } else if p.is_sym(open, "{") {
            if let Some(prev) = prev
                && is_callee_end(p, prev)
            {
                // `f{ ... }`: the table is the only argument; its commas separate fields.
                return call_signature(p, prev, 0);
            }
            // A table written as an argument (`f({ | })`) or nested in one.
        } else {
            // Inside an index (`t[|]`): not an argument position.
            return None;
        }
        inner = open;
    }
    None
}

/// Whether token `i` can end the expression a call is made on: a name (`create`), a call
/// (`f(x)(`) or an index (`t[1](`).
fn is_callee_end(p: &ParsedLua, i: usize) -> bool {
    p.is_name(i) || p.is_sym(i, ")") || p.is_sym(i, "]")
}

/// Whether the `(` at `open` starts the parameter list of a function being declared
/// (`function(`, `function name(`, `function M.f(`, `function M:m(`), not a call.
fn declares_function(p: &ParsedLua, open: usize) -> bool {
    let Some(mut j) = open.checked_sub(1) else {
        return false;
    };
    if p.is_keyword(j, "function") {
        return true;
    }
    // Back over `M.f` / `M:m` to what precedes the name.
    while p.is_name(j) {
        let Some(before) = j.checked_sub(1) else {
            return false;
        };
        if p.is_sym(before, ".") || p.is_sym(before, ":") {
            match before.checked_sub(1) {
                Some(k) => j = k,
                None => return false,
            }
        } else {
            return p.is_keyword(before, "function");
        }
    }
    false
}

/// The commas at the top level of the brackets opened at `open`, before token `until`; `None`
/// when a block (`function() ... `, `if ... then`) is still open there, since the cursor is
/// then in a statement, not in an argument.
fn top_level_commas(p: &ParsedLua, open: usize, until: usize) -> Option<usize> {
    let mut commas = 0;
    let mut blocks: usize = 0;
    let mut j = open + 1;
    while j < until {
        let m = p.tokens.matching.get(j).copied().unwrap_or(NO_MATCH);
        if m != NO_MATCH && m > j {
            j = m + 1;
            continue;
        }
        if ["function", "do", "then", "repeat"]
            .iter()
            .any(|k| p.is_keyword(j, k))
        {
            blocks += 1;
        } else if ["end", "until", "elseif"]
            .iter()
            .any(|k| p.is_keyword(j, k))
        {
            blocks = blocks.saturating_sub(1);
        } else if blocks == 0 && p.is_sym(j, ",") {
            commas += 1;
        }
        j += 1;
    }
    (blocks == 0).then_some(commas)
}

/// The signature of the function called on the expression ending with token `callee`.
fn call_signature(p: &ParsedLua, callee: usize, commas: usize) -> Option<SignatureHelp> {
    let (label, doc, params) = match p.chain_value_before(callee) {
        // Whatever the separator: a wrong call style is the diagnostic's business, and the
        // signature still tells what the call takes.
        Val::Member { owner, member, .. } if member.kind != MemberKind::Field => (
            signature(owner, member),
            documentation(&member.doc, None),
            &member.params,
        ),
        _ => {
            // A global function (`print(`), unless a local or an assignment shadows it.
            let name = p.token_text(callee);
            let at = p.tokens.tokens[callee].range.start;
            if !p.is_name(callee)
                || !p.is_chain_root(callee)
                || p.local_at(name, at).is_some()
                || p.assigned_globals.contains(name)
            {
                return None;
            }
            let g = def()
                .globals_for(Language::Lua)
                .find(|g| g.name == name && g.kind == GlobalKind::Function)?;
            (global_signature(g), documentation(&g.doc, None), &g.params)
        }
    };
    // A variadic last parameter takes every argument from its position on.
    let active = match params.last() {
        Some(last) if last.variadic => commas.min(params.len() - 1),
        _ => commas,
    };
    Some(SignatureHelp {
        label,
        documentation: doc,
        parameters: params
            .iter()
            .map(|param| (param_label(param), param.doc.trim().to_owned()))
            .collect(),
        active_parameter: active,
    })
}
