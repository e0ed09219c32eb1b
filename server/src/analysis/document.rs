//! A parsed document of either language, so that one parse serves every question asked of it
//! after an edit (diagnostics, the symbols the workspace index keeps, completion, hover, ...):
//! a large file is parsed once per change, not once per request.

use crate::analysis::definition::{Definition, js_definition, lua_definition};
use crate::analysis::diagnostics::{
    AnalysisConfig, AwaitingTools, check_js_awaiting_tools, check_js_with,
    check_lua_awaiting_tools, check_lua_with,
};
use crate::analysis::js::{self, ParsedJs};
use crate::analysis::lua::{self, ParsedLua};
use crate::analysis::model::{Hover, SignatureHelp};
use crate::analysis::symbols::{Symbol, js_symbols, lua_symbols};
use crate::analysis::{Completion, Diagnostic, Language};

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

    pub fn language(&self) -> Language {
        match self {
            ParsedDocument::Lua(_) => Language::Lua,
            ParsedDocument::Js(_) => Language::Js,
        }
    }

    /// The text that was parsed, given back.
    pub fn into_text(self) -> String {
        match self {
            ParsedDocument::Lua(p) => p.text,
            ParsedDocument::Js(p) => p.text,
        }
    }

    /// Every enabled rule's findings, sorted by position.
    pub fn diagnostics(&self, config: &AnalysisConfig) -> Vec<Diagnostic> {
        match self {
            ParsedDocument::Lua(p) => check_lua_with(p, config),
            ParsedDocument::Js(p) => check_js_with(p, config),
        }
    }

    /// Every enabled rule's findings but those that wait for the tools other files register;
    /// see [`AwaitingTools`].
    pub fn diagnostics_awaiting_tools(&self, config: &AnalysisConfig) -> AwaitingTools {
        match self {
            ParsedDocument::Lua(p) => check_lua_awaiting_tools(p, config),
            ParsedDocument::Js(p) => check_js_awaiting_tools(p, config),
        }
    }

    /// Completions at byte `offset`; `config` names the workspace's providers and default
    /// model.
    pub fn complete(&self, offset: usize, config: &AnalysisConfig) -> Vec<Completion> {
        match self {
            ParsedDocument::Lua(p) => lua::completion::complete_with(p, offset, config),
            ParsedDocument::Js(p) => js::completion::complete_with(p, offset, config),
        }
    }

    /// What hovering at byte `offset` shows.
    pub fn hover(&self, offset: usize) -> Option<Hover> {
        match self {
            ParsedDocument::Lua(p) => lua::hover(p, offset),
            ParsedDocument::Js(p) => js::hover(p, offset),
        }
    }

    /// The signature of the call around byte `offset`.
    pub fn signature_help(&self, offset: usize) -> Option<SignatureHelp> {
        match self {
            ParsedDocument::Lua(p) => lua::signature_help(p, offset),
            ParsedDocument::Js(p) => js::signature_help(p, offset),
        }
    }

    /// What the name or string at byte `offset` refers to.
    pub fn definition(&self, offset: usize) -> Option<Definition> {
        match self {
            ParsedDocument::Lua(p) => lua_definition(p, offset),
            ParsedDocument::Js(p) => js_definition(p, offset),
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
