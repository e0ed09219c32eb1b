//! `wrong-argument-count`: an API function or method called with more arguments than it
//! declares, or fewer than it requires. A last argument that is a call or `...` may pass any
//! number of values, so it only bounds the count from below. In JavaScript surplus arguments
//! are ignored by the API as by any JS function, so only missing ones are reported there.

use super::literals::ApiCall;
use super::{AnalysisConfig, Rule};
use crate::analysis::lua::types::display_name;
use crate::analysis::{Diagnostic, Language, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "wrong-argument-count",
    default_severity: Severity::Warning,
    summary: "an API function called with too many or too few arguments",
    check_calls: Some(check_calls),
    check_lua: None,
    check_js: None,
};

fn plural(n: usize) -> &'static str {
    if n == 1 { "argument" } else { "arguments" }
}

fn check_calls(
    language: Language,
    calls: &[ApiCall],
    _: &AnalysisConfig,
    out: &mut Vec<Diagnostic>,
) {
    for call in calls {
        let params = &call.member.params;
        let variadic = params.last().is_some_and(|p| p.variadic);
        let max = (!variadic).then_some(params.len());
        let min = params.iter().filter(|p| !p.optional && !p.variadic).count();
        let given = call.fact.args.len();
        // With an open-ended last argument the count is at least `given - 1`, maybe more.
        let (at_least, exact) = if call.fact.open_ended {
            (given - 1, false)
        } else {
            (given, true)
        };
        // A JS function ignores surplus arguments, and so does the API: only Lua gets them
        // refused.
        let too_many = language == Language::Lua && max.is_some_and(|m| at_least > m);
        let too_few = exact && given < min;
        if !(too_many || too_few) {
            continue;
        }
        let expected = match max {
            Some(m) if m == min => format!("{m} {}", plural(m)),
            Some(m) => format!("{min} to {m} arguments"),
            None => format!("at least {min} {}", plural(min)),
        };
        let name = format!(
            "{}{}{}",
            display_name(call.owner),
            match language {
                Language::Lua => call.member.kind.lua_separator(),
                Language::Js => '.',
            },
            call.member.name
        );
        let args = &call.fact.args;
        // The surplus arguments, or the callee's name when some are missing.
        let range = match (too_many, max, args.last()) {
            (true, Some(m), Some(last)) => TextRange::new(args[m].range.start, last.range.end),
            _ => call.name,
        };
        let got = if exact {
            given.to_string()
        } else {
            format!("at least {at_least}")
        };
        out.push(Diagnostic {
            range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!("{name} takes {expected}, got {got}"),
            fix: None,
        });
    }
}
