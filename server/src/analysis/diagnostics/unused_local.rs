//! `unused-local`: a `local` (variable or function) that nothing reads. Names starting with
//! `_` are exempt, by convention. Parameters and loop variables are not reported: callbacks
//! and `for k, v in pairs(t)` often must declare names they do not use.
//!
//! Silent on a file with syntax errors: the partial tree may have lost the reads.

use super::{AnalysisConfig, Rule};
use crate::analysis::lua::{LocalKind, ParsedLua};
use crate::analysis::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "unused-local",
    default_severity: Severity::Warning,
    summary: "a local variable or function that is never read",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: None,
};

fn check_lua(p: &ParsedLua, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    if !p.errors.is_empty() {
        return;
    }
    for l in &p.locals {
        if l.read || l.name.starts_with('_') {
            continue;
        }
        let what = match l.kind {
            LocalKind::Local => "local",
            LocalKind::LocalFunction => "local function",
            _ => continue,
        };
        out.push(Diagnostic {
            range: l.decl,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!("unused {what} '{}'", l.name),
            fix: None,
        });
    }
}
