//! The output formats of `llmspell lint`: `human` for terminals, `json` for tools (documented
//! in docs/lint.md), `github` workflow commands that annotate a pull request, and `sarif` 2.1.0
//! for code-scanning dashboards. Each renders a whole report to a string.

mod github;
mod human;
mod json;
mod sarif;

use super::report::LintReport;
use crate::analysis::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

impl Format {
    pub const NAMES: &[&str] = &["human", "json", "github", "sarif"];

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "human" => Some(Format::Human),
            "json" => Some(Format::Json),
            "github" => Some(Format::Github),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }
}

/// The report in `format`.
pub fn render(report: &LintReport, format: Format) -> String {
    match format {
        Format::Human => human::render(report),
        Format::Json => json::render(report),
        Format::Github => github::render(report),
        Format::Sarif => sarif::render(report),
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
        Severity::Hint => "hint",
    }
}

/// A path as output shows it: `/`-separated, without a leading `./`.
fn display_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}
