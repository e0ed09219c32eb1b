//! Diagnostic rules. Each rule lives in its own file with a stable code (used in
//! configuration and suppression comments) and a default severity, and is registered in
//! [`RULES`], kept sorted by code.
//!
//! False positives are bugs: a rule reports only what it is sure of, and stays silent when a
//! value's type is unknown.

mod nesting_too_deep;
mod syntax_error;
mod unknown_member;
mod wrong_call_style;

use crate::analysis::lua::ParsedLua;
use crate::analysis::{Diagnostic, Severity};

/// A diagnostic rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line on what it finds, for `llmspell lint --rules` and the docs.
    pub summary: &'static str,
    pub check_lua: fn(&ParsedLua, &mut Vec<Diagnostic>),
}

/// Every rule, sorted by code.
pub const RULES: &[Rule] = &[
    nesting_too_deep::RULE,
    syntax_error::RULE,
    unknown_member::RULE,
    wrong_call_style::RULE,
];

pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Runs every rule on a Lua document; findings are sorted by position.
pub fn check_lua(parsed: &ParsedLua) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in RULES {
        (r.check_lua)(parsed, &mut out);
    }
    out.sort_by(|a, b| (a.range, a.code).cmp(&(b.range, b.code)));
    out
}

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn rules_are_sorted_and_unique() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }
}
