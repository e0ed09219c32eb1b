//! Signature help at a byte offset of a JavaScript document, the counterpart of
//! `lua::signature`: the API function whose argument list holds the cursor (`Agent.create(|`,
//! `agent.execute("hi", |`, inside the config object `Agent.create({ | })`), with the active
//! parameter. Found on tokens walking out through the enclosing brackets, so unclosed calls
//! work; the walk stops at the first real call or function body it meets.

use llmspell_runtime::definition::MemberKind;

use super::ParsedJs;
use super::completion::top_level_commas;
use super::types::{Val, signature};
use crate::analysis::lua::hover::param_label;
use crate::analysis::lua::types::documentation;
use crate::analysis::model::SignatureHelp;

/// Bracket levels walked out through at most: enough for any hand-written call.
const MAX_LEVELS: usize = 64;

/// The signature help at `offset` (clamped into the text), or `None` outside an API call.
pub fn signature_help(p: &ParsedJs, offset: usize) -> Option<SignatureHelp> {
    let mut offset = offset.min(p.text.len());
    while !p.text.is_char_boundary(offset) {
        offset -= 1;
    }
    if p.tokens
        .comments
        .iter()
        .any(|c| c.start < offset && offset < c.end)
    {
        return None;
    }
    // The tokens that start before the cursor; a `)` right at the cursor is not among them,
    // the call is still open there.
    let end = p.tokens.tokens.partition_point(|t| t.range.start < offset);
    let last = end.checked_sub(1)?;
    // The innermost bracket open at the cursor: the last token itself when it opens one.
    let mut open = if p.is_punct(last, "(") || p.is_punct(last, "{") || p.is_punct(last, "[") {
        Some(last)
    } else {
        p.enclosing(last)
    };
    let mut inner = end;
    for _ in 0..MAX_LEVELS {
        let o = open?;
        if p.is_punct(o, "(") {
            if is_function_head(p, o) {
                return None;
            }
            let callee = o.checked_sub(1)?;
            if let Val::Member { owner, member } = p.chain_value_before(callee)
                && member.kind != MemberKind::Field
            {
                let commas = top_level_commas(p, o, inner);
                let params = &member.params;
                let active = match params.last() {
                    Some(l) if l.variadic => commas.min(params.len() - 1),
                    _ => commas,
                };
                return Some(SignatureHelp {
                    label: signature(owner, member),
                    documentation: documentation(&member.doc, None),
                    parameters: params
                        .iter()
                        .map(|param| (param_label(param), param.doc.trim().to_owned()))
                        .collect(),
                    active_parameter: active,
                });
            }
            // A parenthesised expression or a call of something else: the API call, if any,
            // is further out only for the former.
            if p.is_ident(callee) || p.is_punct(callee, ")") || p.is_punct(callee, "]") {
                return None;
            }
        } else if p.is_punct(o, "{") && is_block(p, o) {
            // A function body or statement block: not an argument position.
            return None;
        }
        inner = o;
        open = p.enclosing(o);
    }
    None
}

/// Whether the `(` at `open` starts a parameter list (`function f(`, `(a) =>`, a method head).
fn is_function_head(p: &ParsedJs, open: usize) -> bool {
    let Some(close) = p.matching(open) else {
        return false;
    };
    let prev = open.checked_sub(1);
    p.is_punct(close + 1, "=>")
        || prev.is_some_and(|k| p.is_keyword(k, "function"))
        || prev.is_some_and(|k| k > 0 && p.is_ident(k) && p.is_keyword(k - 1, "function"))
}

/// Whether the `{` at `open` opens a block (a function body, `if (...) {`, `=> {`) rather than
/// an object literal.
fn is_block(p: &ParsedJs, open: usize) -> bool {
    let Some(prev) = open.checked_sub(1) else {
        return true;
    };
    p.is_punct(prev, ")")
        || p.is_punct(prev, "=>")
        || p.is_keyword(prev, "else")
        || p.is_keyword(prev, "try")
        || p.is_keyword(prev, "finally")
        || p.is_keyword(prev, "do")
}
