//! `wrong-call-style`: a method called with `.` (`agent.execute("x")`, which passes "x" as
//! the agent) or a namespace function called with `:` (`Agent:create{}`, which passes `Agent`
//! as the config).

use llmspell_runtime::definition::MemberKind;

use super::Rule;
use crate::analysis::lua::types::{Val, display_name};
use crate::analysis::lua::{Access, ParsedLua};
use crate::analysis::model::Fix;
use crate::analysis::{Diagnostic, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "wrong-call-style",
    default_severity: Severity::Error,
    summary: "a method called with '.' or a function called with ':'",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: None,
};

fn check_lua(p: &ParsedLua, _: &super::AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for a in p.accesses() {
        if !a.called {
            continue;
        }
        let Val::Type(ty) = a.receiver else { continue };
        let name = p.token_text(a.name_token);
        let Some(member) = ty.member(name) else {
            continue;
        };
        let message = match (member.kind, a.sep) {
            (MemberKind::Method | MemberKind::Stream, '.') => {
                if passes_receiver(p, a) {
                    continue;
                }
                format!("{}:{name} must be called with ':'", receiver_text(p, a, ty))
            }
            (MemberKind::Function, ':') => {
                format!("{}.{name} is called with '.'", receiver_text(p, a, ty))
            }
            _ => continue,
        };
        let sep = p.tokens.tokens[a.sep_token].range;
        let name_range = p.tokens.tokens[a.name_token].range;
        let right = if a.sep == '.' { ":" } else { "." };
        out.push(Diagnostic {
            range: TextRange::new(sep.start, name_range.end),
            severity: RULE.default_severity,
            code: RULE.code,
            message,
            fix: Some(Fix {
                title: format!("Call with '{right}'"),
                edits: vec![(sep, right.to_owned())],
            }),
        });
    }
}

/// `agent.execute(agent, "x")` is the explicit form of `agent:execute("x")`, and correct.
fn passes_receiver(p: &ParsedLua, a: &Access) -> bool {
    let open = a.name_token + 1;
    if !p.is_sym(open, "(") {
        return false;
    }
    let receiver = p.text[a.receiver_range.start..a.receiver_range.end].trim();
    // The first argument's tokens, up to the first top-level `,` or `)`.
    let mut j = open + 1;
    let start = match p.tokens.tokens.get(j) {
        Some(t) => t.range.start,
        None => return false,
    };
    let mut end = start;
    while let Some(t) = p.tokens.tokens.get(j) {
        if p.is_sym(j, ",") || p.is_sym(j, ")") {
            break;
        }
        let m = p.tokens.matching[j];
        if m != crate::analysis::lua::lexer::NO_MATCH && m > j {
            j = m;
            end = p.tokens.tokens[m].range.end;
        } else {
            end = t.range.end;
        }
        j += 1;
    }
    p.text[start..end].trim() == receiver
}

/// How the message names the receiver: its source when short (`agent`), else its type.
fn receiver_text(p: &ParsedLua, a: &Access, ty: &llmspell_runtime::definition::TypeDef) -> String {
    let src = p.text[a.receiver_range.start..a.receiver_range.end].trim();
    if src.is_empty() || src.len() > 40 || src.contains('\n') {
        display_name(ty).to_owned()
    } else {
        src.to_owned()
    }
}
