//! `nesting-too-deep`: the document nests brackets or blocks deeper than the analysis parses
//! (see [`MAX_NESTING`]), so it was not parsed and other rules say nothing about it.

use super::Rule;
use crate::analysis::lua::{MAX_NESTING, ParsedLua};
use crate::analysis::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "nesting-too-deep",
    default_severity: Severity::Error,
    summary: "nesting too deep to analyse",
    check_lua,
};

fn check_lua(p: &ParsedLua, _: &super::AnalysisConfig, out: &mut Vec<Diagnostic>) {
    if let Some(range) = p.too_deep {
        out.push(Diagnostic {
            range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!(
                "nesting is deeper than {MAX_NESTING} levels; the file is not analysed"
            ),
        });
    }
}
