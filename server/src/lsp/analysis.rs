//! Runs the pure analysis on document snapshots and converts its results to LSP types.
//!
//! Parsing runs off the message loop (`spawn_blocking`) on a snapshot of the document, so a
//! large file never delays the `didChange` notifications behind it.

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Diagnostic, DiagnosticSeverity,
    Documentation, Hover, HoverContents, InsertTextFormat, MarkupContent, MarkupKind,
    NumberOrString, ParameterInformation, ParameterLabel, Position, Range, SignatureHelp,
    SignatureInformation, TextEdit,
};

use super::documents::Document;
use super::position::{self, PositionEncoding};
use crate::analysis::{self, Completion, CompletionKind, Language, Severity, TextRange};

/// The settings of the `llmspell.toml` that governs the document (found from its folder
/// upwards), read on every analysis so an edited config applies at once. A document that is
/// not a file gets the defaults.
fn analysis_config(uri: &str) -> analysis::diagnostics::AnalysisConfig {
    file_path(uri)
        .and_then(|path| path.parent().map(std::path::Path::to_owned))
        .map(|folder| crate::project::analysis_config_for_folder(&folder))
        .unwrap_or_default()
}

/// The path of a `file:` URI, percent-decoded.
pub(super) fn file_path(uri: &str) -> Option<std::path::PathBuf> {
    let encoded = uri.strip_prefix("file://")?;
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| encoded.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded)
        .ok()
        .map(std::path::PathBuf::from)
}

/// The language of a document: from the client's language id, else the file extension.
pub fn language_of(document: &Document, uri: &str) -> Option<Language> {
    match document.language_id() {
        "lua" => return Some(Language::Lua),
        "javascript" | "javascriptreact" => return Some(Language::Js),
        _ => {}
    }
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    language_of_path(std::path::Path::new(path))
}

pub use crate::analysis::language_of_path;

/// A byte range of the document as an LSP range in `encoding`.
pub fn text_range(document: &Document, range: TextRange, encoding: PositionEncoding) -> Range {
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

/// The diagnostics of a document, and its symbols (for the workspace index) from the same
/// parse. `extra_tools` are the tools other files of the workspace register.
pub fn diagnostics_and_symbols(
    document: &Document,
    uri: &str,
    language: Language,
    encoding: PositionEncoding,
    extra_tools: std::sync::Arc<[String]>,
) -> (Vec<Diagnostic>, Vec<analysis::symbols::Symbol>) {
    let parsed = document.parsed(language);
    let mut config = analysis_config(uri);
    config.extra_tools = extra_tools;
    let diagnostics = to_lsp_diagnostics(document, parsed.diagnostics(&config), encoding);
    (diagnostics, parsed.symbols())
}

/// The analysis findings of a document, unconverted (for quick fixes, which need their fixes).
pub fn findings(
    document: &Document,
    uri: &str,
    language: Language,
    extra_tools: std::sync::Arc<[String]>,
) -> Vec<analysis::Diagnostic> {
    let mut config = analysis_config(uri);
    config.extra_tools = extra_tools;
    document.parsed(language).diagnostics(&config)
}

/// Findings as LSP diagnostics.
pub fn to_lsp_diagnostics(
    document: &Document,
    findings: Vec<analysis::Diagnostic>,
    encoding: PositionEncoding,
) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .map(|finding| Diagnostic {
            range: text_range(document, finding.range, encoding),
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

/// The completions at `position`; `extra_tools` are the tools other files register.
pub fn completions(
    document: &Document,
    uri: &str,
    language: Language,
    at: Position,
    encoding: PositionEncoding,
    extra_tools: std::sync::Arc<[String]>,
) -> Vec<CompletionItem> {
    let mut config = analysis_config(uri);
    config.extra_tools = extra_tools;
    let offset = position::offset(document.text(), document.line_index(), at, encoding);
    document
        .parsed(language)
        .complete(offset, &config)
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
            range: text_range(document, completion.replace, encoding),
            new_text,
        })),
        ..CompletionItem::default()
    }
}

/// The hover at `position`.
pub fn hover(
    document: &Document,
    language: Language,
    at: Position,
    encoding: PositionEncoding,
) -> Option<Hover> {
    let offset = position::offset(document.text(), document.line_index(), at, encoding);
    let found = document.parsed(language).hover(offset)?;
    Some(Hover {
        contents: HoverContents::Markup(markdown(found.markdown)),
        range: Some(text_range(document, found.range, encoding)),
    })
}

/// The signature help at `position`, one signature with its active parameter.
pub fn signature_help(
    document: &Document,
    language: Language,
    at: Position,
    encoding: PositionEncoding,
) -> Option<SignatureHelp> {
    let offset = position::offset(document.text(), document.line_index(), at, encoding);
    let found = document.parsed(language).signature_help(offset)?;
    let active = u32::try_from(found.active_parameter).ok();
    // Offsets into the label rather than the parameter's text: two parameters may read alike,
    // and a plain string would then highlight the first. They are searched left to right from
    // the `(`, so each lands on its own parameter.
    let mut from = found.label.find('(').map_or(0, |p| p + 1);
    let parameters = found
        .parameters
        .into_iter()
        .map(|(label, doc)| {
            let label = match found.label[from..].find(&label) {
                Some(at) => {
                    let start = from + at;
                    from = start + label.len();
                    ParameterLabel::LabelOffsets([
                        utf16_len(&found.label[..start]),
                        utf16_len(&found.label[..from]),
                    ])
                }
                None => ParameterLabel::Simple(label),
            };
            ParameterInformation {
                label,
                documentation: (!doc.is_empty())
                    .then(|| Documentation::MarkupContent(markdown(doc))),
            }
        })
        .collect();
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label: found.label,
            documentation: found
                .documentation
                .map(|doc| Documentation::MarkupContent(markdown(doc))),
            parameters: Some(parameters),
            active_parameter: active,
        }],
        active_signature: Some(0),
        active_parameter: active,
    })
}

/// Label offsets are in UTF-16 code units whatever the position encoding: the protocol ties
/// only positions in documents to the negotiated encoding.
fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            file_path("file:///work/my%20scripts/a.lua"),
            Some(std::path::PathBuf::from("/work/my scripts/a.lua"))
        );
        assert_eq!(file_path("untitled:Untitled-1"), None);
        // A stray percent sign is kept as it is rather than dropping the path.
        assert_eq!(
            file_path("file:///a%zz.lua"),
            Some(std::path::PathBuf::from("/a%zz.lua"))
        );
    }
}
