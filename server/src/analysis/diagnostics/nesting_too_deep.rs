//! `nesting-too-deep`: the document nests brackets or blocks deeper than the analysis parses
//! (see `lua::MAX_NESTING` and `js::MAX_NESTING`), so it was not parsed and other rules say
//! nothing about it.

use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::lua::ParsedLua;
use crate::analysis::model::NotParsed;
use crate::analysis::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "nesting-too-deep",
    default_severity: Severity::Error,
    summary: "nesting too deep to analyse",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: Some(check_js),
};

fn report(not_parsed: Option<NotParsed>, out: &mut Vec<Diagnostic>) {
    if let Some(NotParsed::TooDeep { at, max }) = not_parsed {
        out.push(Diagnostic {
            range: at,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!("nesting is deeper than {max} levels; the file is not analysed"),
            fix: None,
        });
    }
}

fn check_lua(p: &ParsedLua, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(p.not_parsed, out);
}

fn check_js(p: &ParsedJs, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(p.not_parsed, out);
}
