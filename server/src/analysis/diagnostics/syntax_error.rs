//! `syntax-error`: what the parser could not read, with its message (full_moon's for Lua,
//! swc's for JavaScript).

use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::lua::ParsedLua;
use crate::analysis::{Diagnostic, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "syntax-error",
    default_severity: Severity::Error,
    summary: "the script does not parse",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: Some(check_js),
};

fn report(errors: impl Iterator<Item = (TextRange, String)>, out: &mut Vec<Diagnostic>) {
    out.extend(errors.map(|(range, message)| Diagnostic {
        range,
        severity: RULE.default_severity,
        code: RULE.code,
        message,
        fix: None,
    }));
}

fn check_lua(p: &ParsedLua, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(p.errors.iter().map(|e| (e.range, e.message.clone())), out);
}

fn check_js(p: &ParsedJs, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(p.errors.iter().map(|e| (e.range, e.message.clone())), out);
}
