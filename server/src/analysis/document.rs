//! A parsed document of either language, so that one parse serves every question asked of it
//! after an edit (diagnostics, and the symbols the workspace index keeps): a large file is
//! parsed once per change, not once per consumer.

use crate::analysis::diagnostics::{AnalysisConfig, check_js_with, check_lua_with};
use crate::analysis::js::{self, ParsedJs};
use crate::analysis::lua::{self, ParsedLua};
use crate::analysis::symbols::{Symbol, js_symbols, lua_symbols};
use crate::analysis::{Diagnostic, Language};

#[derive(Debug, Clone)]
pub enum ParsedDocument {
    Lua(ParsedLua),
    Js(ParsedJs),
}

impl ParsedDocument {
    pub fn parse(language: Language, text: &str) -> ParsedDocument {
        match language {
            Language::Lua => ParsedDocument::Lua(lua::parse(text)),
            Language::Js => ParsedDocument::Js(js::parse(text)),
        }
    }

    /// Every enabled rule's findings, sorted by position.
    pub fn diagnostics(&self, config: &AnalysisConfig) -> Vec<Diagnostic> {
        match self {
            ParsedDocument::Lua(p) => check_lua_with(p, config),
            ParsedDocument::Js(p) => check_js_with(p, config),
        }
    }

    /// The outline: agents, tools and workflows defined through the API, and functions.
    pub fn symbols(&self) -> Vec<Symbol> {
        match self {
            ParsedDocument::Lua(p) => lua_symbols(p),
            ParsedDocument::Js(p) => js_symbols(p),
        }
    }
}
