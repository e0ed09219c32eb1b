//! `missing-await` (JavaScript): a member of an API call's Promise read as if it were the
//! result (`a.execute("x").text`, `const r = a.execute("x"); r.text`). Returning, passing,
//! awaiting later, `.then` and `Promise.all` never read a member of the Promise, so they stay
//! silent.

use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::js::types::{OBJECT_MEMBERS, PROMISE_MEMBERS, Val};
use crate::analysis::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "missing-await",
    default_severity: Severity::Warning,
    summary: "a Promise-returning API call's result is read without `await`",
    check_calls: None,
    check_lua: None,
    check_js: Some(check_js),
};

fn check_js(p: &ParsedJs, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for a in p.accesses() {
        let Val::Promise(inner) = a.receiver else {
            continue;
        };
        let name = p.token_text(a.name_token);
        if PROMISE_MEMBERS.contains(&name) || OBJECT_MEMBERS.contains(&name) {
            continue;
        }
        let result = inner.map_or("its result", |t| t.name.as_str());
        out.push(Diagnostic {
            range: a.receiver_range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!("this is a Promise of {result}: add `await` before reading '.{name}'"),
            fix: None,
        });
    }
}
