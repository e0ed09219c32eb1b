//! `file-too-large`: the document is larger than the parser is given (see
//! `lua::MAX_PARSED_BYTES` and `js::MAX_PARSED_BYTES`), so it was not analysed and other rules
//! say nothing about it. Reported once, on the first line, so the user learns why a huge file
//! gets no checks instead of mistaking silence for a clean bill.

use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::lua::ParsedLua;
use crate::analysis::model::NotParsed;
use crate::analysis::{Diagnostic, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "file-too-large",
    // An error, like `nesting-too-deep`: a file nothing was checked in must not pass CI
    // unnoticed.
    default_severity: Severity::Error,
    summary: "file too large to analyse",
    check_calls: None,
    check_lua: Some(check_lua),
    check_js: Some(check_js),
};

fn report(text: &str, not_parsed: Option<NotParsed>, out: &mut Vec<Diagnostic>) {
    if let Some(NotParsed::TooLarge { bytes, max }) = not_parsed {
        let first_line = text.find(['\n', '\r']).unwrap_or(text.len());
        out.push(Diagnostic {
            range: TextRange::new(0, first_line),
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!(
                "the file has {} of text, more than the {} the analysis reads; it is not analysed",
                mebibytes(bytes),
                mebibytes(max)
            ),
            fix: None,
        });
    }
}

/// `10.0 MiB`, `1 MiB`: one decimal unless the size is whole.
fn mebibytes(bytes: usize) -> String {
    let mib = bytes as f64 / f64::from(1 << 20);
    if mib.fract() == 0.0 {
        format!("{mib} MiB")
    } else {
        format!("{mib:.1} MiB")
    }
}

fn check_lua(p: &ParsedLua, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(&p.text, p.not_parsed, out);
}

fn check_js(p: &ParsedJs, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    report(&p.text, p.not_parsed, out);
}
