//! The JavaScript diagnostic rules, for now in one file: `syntax-error`, `nesting-too-deep`,
//! `unknown-member` and `missing-await`. They use the same codes as the shared rules of
//! `analysis::diagnostics` and are meant to move there (one file per rule, a `check_js` beside
//! each `check_lua`) once that list takes JS; until then `check_js` runs them all with their
//! default severities.
//!
//! False positives are bugs: every rule reports only what the token-level inference knows for
//! sure (a receiver of a known, closed API type), and is silent otherwise.

use llmspell_runtime::definition::TypeKind;
use llmspell_runtime::definition::validate::did_you_mean;

use super::ParsedJs;
use super::types::{OBJECT_MEMBERS, PROMISE_MEMBERS, Val, display_name, is_closed};
use crate::analysis::{Diagnostic, Severity};

/// All JS diagnostics of the document, in document order.
pub fn check_js(p: &ParsedJs) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(range) = p.too_deep {
        // Nothing else is trustworthy on a document the parser was not run on.
        out.push(Diagnostic {
            range,
            severity: Severity::Error,
            code: "nesting-too-deep",
            message: format!(
                "nesting deeper than {} levels: the script is not analysed",
                super::MAX_NESTING
            ),
        });
        return out;
    }
    syntax_error(p, &mut out);
    let accesses = p.accesses();
    unknown_member(p, &accesses, &mut out);
    missing_await(p, &accesses, &mut out);
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out
}

/// `syntax-error`: swc's message at swc's range.
fn syntax_error(p: &ParsedJs, out: &mut Vec<Diagnostic>) {
    for e in &p.errors {
        out.push(Diagnostic {
            range: e.range,
            severity: Severity::Error,
            code: "syntax-error",
            message: e.message.clone(),
        });
    }
}

/// `unknown-member`: `Agent.craete`, `agent.exeucte()`, `r.txt` on a value whose type the
/// definition describes completely.
fn unknown_member(p: &ParsedJs, accesses: &[super::Access], out: &mut Vec<Diagnostic>) {
    for a in accesses {
        let Val::Type(ty) = a.receiver else { continue };
        // Assigning a new key is legal JS; only reads of a missing member are mistakes.
        if a.assigned || !is_closed(ty) {
            continue;
        }
        // `agent.` being typed above the next statement reads as `agent.const`: a name on the
        // line after the dot is most likely not meant as the member.
        let dot_end = p.tokens.tokens[a.name_token - 1].range.end;
        if p.text[dot_end..p.tokens.tokens[a.name_token].range.start].contains('\n') {
            continue;
        }
        let name = p.token_text(a.name_token);
        let (known, what): (Vec<&str>, &str) = match ty.kind {
            TypeKind::Table => (ty.fields.iter().map(|f| f.name.as_str()).collect(), "field"),
            _ => (
                ty.members.iter().map(|m| m.name.as_str()).collect(),
                "member",
            ),
        };
        if known.contains(&name) || OBJECT_MEMBERS.contains(&name) {
            continue;
        }
        let hint = did_you_mean(name, known.iter().copied())
            .map(|s| format!(" (did you mean '{s}'?)"))
            .unwrap_or_default();
        out.push(Diagnostic {
            range: p.tokens.tokens[a.name_token].range,
            severity: Severity::Error,
            code: "unknown-member",
            message: format!("{} has no {what} '{name}'{hint}", display_name(ty)),
        });
    }
}

/// `missing-await`: a member of an API call's Promise read as if it were the result
/// (`a.execute("x").text`, `const r = a.execute("x"); r.text`). Returning, passing, awaiting
/// later, `.then` and `Promise.all` never read a member of the Promise, so they stay silent.
fn missing_await(p: &ParsedJs, accesses: &[super::Access], out: &mut Vec<Diagnostic>) {
    for a in accesses {
        let Val::Promise(inner) = a.receiver else {
            continue;
        };
        let name = p.token_text(a.name_token);
        if PROMISE_MEMBERS.contains(&name) || OBJECT_MEMBERS.contains(&name) {
            continue;
        }
        let result = inner.map_or("its result", |t| t.name.as_str());
        out.push(Diagnostic {
            range: a.receiver_range,
            severity: Severity::Warning,
            code: "missing-await",
            message: format!("this is a Promise of {result}: add `await` before reading '.{name}'"),
        });
    }
}
