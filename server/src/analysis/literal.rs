//! Call arguments as far as they are literals, in the same form for both languages, so the
//! config-table rules (`diagnostics::literals`) judge a Lua table constructor and a JS object
//! literal by one walk against the API definition. Each language's analysis fills them in from
//! its own syntax (`lua::facts`, `js::facts`).

use std::borrow::Cow;

use llmspell_runtime::definition::{Member, TypeDef};

use crate::analysis::TextRange;

/// A call of an API function or method, written so that its arguments reach the API as
/// written (in Lua, in its own call style).
#[derive(Debug, Clone)]
pub struct ApiCall<'a> {
    /// Borrowed from a Lua parse, which keeps its calls; built on the spot for JS.
    pub fact: Cow<'a, CallFact>,
    pub owner: &'static TypeDef,
    pub member: &'static Member,
    /// The member's name token.
    pub name: TextRange,
}

/// One call: `f(a, b)`, `f{...}`, `f"..."`, `o:m(...)` in Lua, `f(a, b)` in JS.
#[derive(Debug, Clone)]
pub struct CallFact {
    /// Byte offset of the arguments' first token (`(`, `{` or the string): the token before
    /// it ends the callee, which is how the callee's type is found on tokens.
    pub args_start: usize,
    pub args: Vec<Arg>,
    /// Whether the last argument is a call or `...`, which may pass any number of values.
    pub open_ended: bool,
}

#[derive(Debug, Clone)]
pub struct Arg {
    pub lit: Lit,
    pub range: TextRange,
}

/// A value as far as it is a literal. Anything computed is `Other`, and rules stay silent
/// about it.
#[derive(Debug, Clone)]
pub enum Lit {
    Nil,
    Bool,
    Integer(i64),
    Float(f64),
    /// A string without escapes (an escaped one is `Other`: its value is not worth decoding
    /// for names and enum values, and a wrong decode would be a false positive).
    String(String),
    Table(TableLit),
    Function,
    Other,
}

/// A table constructor.
#[derive(Debug, Clone)]
pub struct TableLit {
    /// From `{` to `}`.
    pub range: TextRange,
    pub entries: Vec<Entry>,
    /// Whether its keys are not all known: a computed key (`[k] = v`), `...`, or a call as the
    /// last positional value (which expands to any number of values).
    pub dynamic: bool,
    pub origin: TableOrigin,
}

/// What wrote the table, which decides what the runtime receives: a Lua table becomes a list or
/// a map by its keys (an empty one fits both), while a JS array is always a list and a JS object
/// always a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableOrigin {
    LuaTable,
    JsArray,
    JsObject,
}

impl TableLit {
    /// Whether every entry is `name = value`, so the table's keys are exactly those written.
    pub fn is_plain_record(&self) -> bool {
        !self.dynamic
            && self
                .entries
                .iter()
                .all(|e| matches!(e.key, Key::Name { .. }))
    }

    /// Whether it holds only positional values (a Lua sequence, a list to the runtime).
    pub fn is_list(&self) -> bool {
        !self.dynamic
            && self
                .entries
                .iter()
                .all(|e| matches!(e.key, Key::Positional))
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Key,
    pub value: Lit,
    pub value_range: TextRange,
}

#[derive(Debug, Clone)]
pub enum Key {
    Name { name: String, range: TextRange },
    Positional,
    Computed,
}
