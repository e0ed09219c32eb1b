//! Pure analysis of llmspell scripts against the runtime's API definition: parsing, scopes,
//! inferred API types, completion and diagnostics. It never sees LSP types and never does IO;
//! `crate::lsp` converts its results and schedules it.
//!
//! Offsets are byte offsets into the document's text; the LSP layer converts them to positions
//! in the negotiated encoding.

pub mod definition;
pub mod diagnostics;
pub mod document;
pub mod js;
pub mod literal;
pub mod lua;
pub mod markdown;
pub mod model;
pub mod model_names;
pub mod name_index;
pub mod snippet;
pub mod stack;
pub mod symbols;
pub mod tool_completion;

pub use llmspell_runtime::definition::Language;
pub use model::{Completion, CompletionKind, Diagnostic, Severity, TextRange};

/// The language of a script file by its extension (`.lua`, `.js`, `.mjs`).
pub fn language_of_path(path: &std::path::Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "lua" => Some(Language::Lua),
        "js" | "mjs" => Some(Language::Js),
        _ => None,
    }
}
