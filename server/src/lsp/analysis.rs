//! Runs the pure analysis on document snapshots and converts its results to LSP types.
//!
//! Parsing runs off the message loop (`spawn_blocking`) on a snapshot of the document, so a
//! large file never delays the `didChange` notifications behind it.

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Diagnostic, DiagnosticSeverity,
    Documentation, InsertTextFormat, MarkupContent, MarkupKind, NumberOrString, Position, Range,
    TextEdit,
};

use super::documents::Document;
use super::position::{self, PositionEncoding};
use crate::analysis::{self, Completion, CompletionKind, Language, Severity, TextRange};

/// The language of a document: from the client's language id, else the file extension.
pub fn language_of(document: &Document, uri: &str) -> Option<Language> {
    match document.language_id() {
        "lua" => return Some(Language::Lua),
        "javascript" | "javascriptreact" => return Some(Language::Js),
        _ => {}
    }
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    if path.ends_with(".lua") {
        Some(Language::Lua)
    } else if path.ends_with(".js") || path.ends_with(".mjs") {
        Some(Language::Js)
    } else {
        None
    }
}

fn range(document: &Document, range: TextRange, encoding: PositionEncoding) -> Range {
    Range {
        start: position::position(
            document.text(),
            document.line_index(),
            range.start,
            encoding,
        ),
        end: position::position(document.text(), document.line_index(), range.end, encoding),
    }
}

/// The diagnostics of a document. JavaScript analysis is not built yet, so JavaScript documents
/// get none (rather than guesses).
pub fn diagnostics(
    document: &Document,
    language: Language,
    encoding: PositionEncoding,
) -> Vec<Diagnostic> {
    let findings = match language {
        Language::Lua => analysis::diagnostics::check_lua(&analysis::lua::parse(document.text())),
        Language::Js => Vec::new(),
    };
    findings
        .into_iter()
        .map(|finding| Diagnostic {
            range: range(document, finding.range, encoding),
            severity: Some(match finding.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
                Severity::Hint => DiagnosticSeverity::HINT,
            }),
            code: Some(NumberOrString::String(finding.code.to_owned())),
            source: Some("llmspell".to_owned()),
            message: finding.message,
            ..Diagnostic::default()
        })
        .collect()
}

/// The completions at `position`.
pub fn completions(
    document: &Document,
    language: Language,
    at: Position,
    encoding: PositionEncoding,
) -> Vec<CompletionItem> {
    let offset = position::offset(document.text(), document.line_index(), at, encoding);
    let found = match language {
        Language::Lua => {
            analysis::lua::completion::complete(&analysis::lua::parse(document.text()), offset)
        }
        Language::Js => Vec::new(),
    };
    found
        .into_iter()
        .map(|c| completion_item(document, c, encoding))
        .collect()
}

fn completion_item(
    document: &Document,
    completion: Completion,
    encoding: PositionEncoding,
) -> CompletionItem {
    let kind = match completion.kind {
        CompletionKind::Global => CompletionItemKind::MODULE,
        CompletionKind::Function => CompletionItemKind::FUNCTION,
        CompletionKind::Method => CompletionItemKind::METHOD,
        CompletionKind::Field => CompletionItemKind::FIELD,
        CompletionKind::ConfigField => CompletionItemKind::PROPERTY,
        CompletionKind::Variable => CompletionItemKind::VARIABLE,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
    };
    let (new_text, format) = match &completion.snippet {
        Some(snippet) => (snippet.clone(), Some(InsertTextFormat::SNIPPET)),
        None => (completion.label.clone(), None),
    };
    CompletionItem {
        label: completion.label,
        kind: Some(kind),
        detail: completion.detail,
        documentation: completion.documentation.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        insert_text_format: format,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: range(document, completion.replace, encoding),
            new_text,
        })),
        ..CompletionItem::default()
    }
}

/// Runs `work` on a blocking thread: parsing is CPU-bound and must not hold up the message loop.
pub async fn off_loop<T: Send + 'static>(
    document: Arc<Document>,
    work: impl FnOnce(&Document) -> T + Send + 'static,
) -> Option<T> {
    tokio::task::spawn_blocking(move || work(&document))
        .await
        .ok()
}
