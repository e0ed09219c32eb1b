//! `undefined-global`: a read of a global that is neither an API global, a standard-library
//! global of the sandbox (disabled names included: they exist, to refuse), assigned anywhere
//! in the file, nor listed in [`AnalysisConfig::extra_globals`] (`[lint] globals`).
//!
//! Silent on a file with syntax errors (the partial tree may have lost a declaration) and on a
//! file that can define globals invisibly (`_G`, `_ENV`, `rawset`, `load`).

use std::collections::BTreeSet;

use llmspell_runtime::definition::Language;
use llmspell_runtime::definition::validate::did_you_mean;

use super::{AnalysisConfig, Rule};
use crate::analysis::lua::ParsedLua;
use crate::analysis::lua::types::def;
use crate::analysis::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "undefined-global",
    default_severity: Severity::Warning,
    summary: "a global that is not defined by the API, the sandbox or the file",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: None,
};

const DYNAMIC: &[&str] = &["_G", "_ENV", "rawset", "load"];

fn check_lua(p: &ParsedLua, config: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    if !p.errors.is_empty() || p.global_reads.is_empty() {
        return;
    }
    if (0..p.tokens.tokens.len()).any(|i| p.is_name(i) && DYNAMIC.contains(&p.token_text(i))) {
        return;
    }
    let def = def();
    let std = def.stdlib(Language::Lua);
    let mut known: BTreeSet<&str> = BTreeSet::new();
    known.extend(def.globals_for(Language::Lua).map(|g| g.name.as_str()));
    known.extend(std.globals.iter().map(String::as_str));
    known.extend(std.tables.keys().map(String::as_str));
    known.extend(std.disabled.keys().filter_map(|k| k.split('.').next()));
    known.extend(p.assigned_globals.iter().map(String::as_str));
    known.extend(config.extra_globals.iter().map(String::as_str));
    for read in &p.global_reads {
        if known.contains(read.name.as_str()) {
            continue;
        }
        // Suggest a global, or a local visible there (a typo of one, or a use out of scope).
        let locals = p
            .locals
            .iter()
            .filter(|l| l.visible.contains(read.range.start))
            .map(|l| l.name.as_str());
        let hint = did_you_mean(&read.name, known.iter().copied().chain(locals))
            .map(|s| format!(" (did you mean '{s}'?)"))
            .unwrap_or_default();
        out.push(Diagnostic {
            range: read.range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!("undefined global '{}'{hint}", read.name),
            fix: None,
        });
    }
}
