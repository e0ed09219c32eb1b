//! `unknown-member`: `Agent.craete`, `agent:exeucte()`, `r.txt` on a value whose type the
//! definition describes completely. Unknown receivers are never reported.

use llmspell_runtime::definition::TypeKind;
use llmspell_runtime::definition::validate::did_you_mean;

use super::Rule;
use crate::analysis::lua::ParsedLua;
use crate::analysis::lua::types::{Val, display_name, is_closed};
use crate::analysis::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unknown-member",
    default_severity: Severity::Error,
    summary: "an API value has no member of this name",
    check_lua,
};

fn check_lua(p: &ParsedLua, _: &super::AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for a in p.accesses() {
        let Val::Type(ty) = a.receiver else { continue };
        // Writing a new key is legal Lua; only reads of a missing member are mistakes.
        if a.assigned || !is_closed(ty) {
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
        if known.contains(&name) {
            continue;
        }
        let hint = did_you_mean(name, known.iter().copied())
            .map(|s| format!(" (did you mean '{s}'?)"))
            .unwrap_or_default();
        out.push(Diagnostic {
            range: p.tokens.tokens[a.name_token].range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!("{} has no {what} '{name}'{hint}", display_name(ty)),
        });
    }
}
