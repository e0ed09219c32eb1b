//! `nesting-too-deep`: the document nests brackets or blocks deeper than the analysis parses
//! (see `lua::MAX_NESTING` and `js::MAX_NESTING`), so it was not parsed and other rules say
//! nothing about it.

use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::lua::ParsedLua;
use crate::analysis::{Diagnostic, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "nesting-too-deep",
    default_severity: Severity::Error,
    summary: "nesting too deep to analyse",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: Some(check_js),
};

fn report(at: Option<TextRange>, max: usize, out: &mut Vec<Diagnostic>) {
    if let Some(range) = at {
        out.push(Diagnostic {
            range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!("nesting is deeper than {max} levels; the file is not analysed"),
            fix: None,
        });
    }
}

fn check_lua(p: &ParsedLua, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(p.too_deep, crate::analysis::lua::MAX_NESTING, out);
}

fn check_js(p: &ParsedJs, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(p.too_deep, crate::analysis::js::MAX_NESTING, out);
}
