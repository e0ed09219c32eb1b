//! Go to definition at a byte offset: a local variable's declaration in the same document, or
//! the name of a tool or agent, which the language server resolves through its workspace index
//! of registrations (`symbols`), since those may be defined in any file.

use crate::analysis::TextRange;
use crate::analysis::js::{self, ParsedJs};
use crate::analysis::lua::{self, ParsedLua};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definition {
    /// A declaration in the same document.
    Local(TextRange),
    /// `Tool.get("x")`, a step's `tool = "x"`: where a tool named `x` is registered.
    Tool(String),
    /// `Agent.get("x")`: where an agent named `x` is created.
    Agent(String),
}

/// What the name or string at `offset` of a Lua document refers to.
pub fn lua_definition(p: &ParsedLua, offset: usize) -> Option<Definition> {
    let i = lua::hover::token_at(p, offset)?;
    let tok = p.tokens.tokens[i];
    if matches!(tok.kind, lua::lexer::TokenKind::String { terminated: true }) {
        let name = unquote(p.token_text(i))?;
        if lua::hover::takes_tool_name(p, i) {
            return Some(Definition::Tool(name));
        }
        let callee = if i > 0 && p.is_sym(i - 1, "(") {
            i.checked_sub(2)
        } else {
            i.checked_sub(1)
        };
        return callee
            .is_some_and(|c| p.chain_value_before(c).member_names() == Some(("AgentApi", "get")))
            .then_some(Definition::Agent(name));
    }
    if tok.kind != lua::lexer::TokenKind::Name
        || (i > 0 && (p.is_sym(i - 1, ".") || p.is_sym(i - 1, ":")))
    {
        return None;
    }
    if let Some(l) = p.locals.iter().find(|l| l.decl == tok.range) {
        return Some(Definition::Local(l.decl));
    }
    p.local_at(p.token_text(i), tok.range.start)
        .map(|l| Definition::Local(l.decl))
}

/// What the name or string at `offset` of a JavaScript document refers to.
pub fn js_definition(p: &ParsedJs, offset: usize) -> Option<Definition> {
    let i = js::hover::token_at(p, offset)?;
    let tok = p.tokens.tokens[i];
    if matches!(tok.kind, js::lexer::TokenKind::String { terminated: true }) {
        let name = unquote(p.token_text(i))?;
        if js::hover::takes_tool_name(p, i) {
            return Some(Definition::Tool(name));
        }
        let callee = if i > 0 && p.is_punct(i - 1, "(") {
            i.checked_sub(2)
        } else {
            None
        };
        return callee
            .is_some_and(|c| p.chain_value_before(c).member_names() == Some(("AgentApi", "get")))
            .then_some(Definition::Agent(name));
    }
    if !p.is_ident(i) || (i > 0 && (p.is_punct(i - 1, ".") || p.is_punct(i - 1, "?."))) {
        return None;
    }
    if let Some(b) = p.bindings.iter().find(|b| b.decl == tok.range) {
        return Some(Definition::Local(b.decl));
    }
    p.binding_at(p.token_text(i), tok.range.start)
        .map(|b| Definition::Local(b.decl))
}

/// A string literal's text without its quotes, when it has no escapes.
fn unquote(lit: &str) -> Option<String> {
    let body = lit.get(1..lit.len().checked_sub(1)?)?;
    (!body.contains('\\')).then(|| body.to_owned())
}
