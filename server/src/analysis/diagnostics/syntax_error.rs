//! `syntax-error`: what the parser could not read, with full_moon's message.

use super::Rule;
use crate::analysis::lua::ParsedLua;
use crate::analysis::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "syntax-error",
    default_severity: Severity::Error,
    summary: "the script does not parse",
    check_lua,
};

fn check_lua(p: &ParsedLua, _: &super::AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for e in &p.errors {
        out.push(Diagnostic {
            range: e.range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: e.message.clone(),
        });
    }
}
