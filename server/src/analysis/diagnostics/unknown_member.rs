//! `unknown-member`: `Agent.craete`, `agent:exeucte()` (`agent.exeucte()` in JS), `r.txt` on a
//! value whose type the definition describes completely. Unknown receivers are never reported.

use llmspell_runtime::definition::validate::did_you_mean;
use llmspell_runtime::definition::{TypeDef, TypeKind};

use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::js::types::{OBJECT_MEMBERS, Val as JsVal};
use crate::analysis::lua::ParsedLua;
use crate::analysis::lua::types::{Val, display_name, is_closed};
use crate::analysis::model::Fix;
use crate::analysis::{Diagnostic, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "unknown-member",
    default_severity: Severity::Error,
    summary: "an API value has no member of this name",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: Some(check_js),
};

/// The finding for reading `name` of `ty`, unless `ty` has it. `inherited` are names every
/// value of the language has (JS's `toString`...).
fn unknown(
    ty: &'static TypeDef,
    name: &str,
    inherited: &[&str],
    range: TextRange,
) -> Option<Diagnostic> {
    let (known, what): (Vec<&str>, &str) = match ty.kind {
        TypeKind::Table => (ty.fields.iter().map(|f| f.name.as_str()).collect(), "field"),
        _ => (
            ty.members.iter().map(|m| m.name.as_str()).collect(),
            "member",
        ),
    };
    if known.contains(&name) || inherited.contains(&name) {
        return None;
    }
    let suggestion = did_you_mean(name, known.iter().copied());
    let hint = suggestion
        .map(|s| format!(" (did you mean '{s}'?)"))
        .unwrap_or_default();
    Some(Diagnostic {
        range,
        severity: RULE.default_severity,
        code: RULE.code,
        message: format!("{} has no {what} '{name}'{hint}", display_name(ty)),
        fix: suggestion.map(|s| Fix::replace(range, s)),
    })
}

fn check_lua(p: &ParsedLua, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for a in p.accesses() {
        let Val::Type(ty) = a.receiver else { continue };
        // Writing a new key is legal Lua; only reads of a missing member are mistakes.
        if a.assigned || !is_closed(ty) {
            continue;
        }
        let range = p.tokens.tokens[a.name_token].range;
        out.extend(unknown(ty, p.token_text(a.name_token), &[], range));
    }
}

fn check_js(p: &ParsedJs, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for a in p.accesses() {
        let JsVal::Type(ty) = a.receiver else {
            continue;
        };
        // Assigning a new key is legal JS; only reads of a missing member are mistakes.
        if a.assigned || !is_closed(ty) {
            continue;
        }
        // `agent.` being typed above the next statement reads as `agent.const`: a name on the
        // line after the dot is most likely not meant as the member.
        let dot_end = p.tokens.tokens[a.name_token - 1].range.end;
        let range = p.tokens.tokens[a.name_token].range;
        if p.text[dot_end..range.start].contains('\n') {
            continue;
        }
        out.extend(unknown(
            ty,
            p.token_text(a.name_token),
            OBJECT_MEMBERS,
            range,
        ));
    }
}
