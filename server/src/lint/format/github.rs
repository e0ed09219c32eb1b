//! `--format github`: GitHub Actions workflow commands (`::error file=...,line=...::message`),
//! which the runner turns into annotations on the pull request's lines, then a summary line
//! for the log.

use std::fmt::Write;

use super::display_path;
use crate::analysis::Severity;
use crate::lint::report::LintReport;

pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        let path = property(&display_path(&file.path));
        for f in &file.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let _ = writeln!(
                out,
                "::{command} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                f.start.line,
                f.start.column,
                f.end.line,
                f.end.column,
                property(&format!("llmspell {}", f.code)),
                data(&f.message)
            );
        }
    }
    let c = report.counts();
    let _ = writeln!(
        out,
        "llmspell lint: {} in {}",
        super::human::breakdown(&c),
        super::human::counted(report.files.len(), "file")
    );
    out
}

/// A command's message: `%`, CR and LF escaped as the runner expects.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_the_runner_parses() {
        assert_eq!(super::data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
