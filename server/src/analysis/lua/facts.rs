//! Syntactic facts the diagnostics need beyond locals: every call with its literal arguments
//! and every read of a global. The scope walker collects them from full_moon's tree (which
//! knows where a literal ends; tokens alone do not, e.g. inside a function body in a table).
//!
//! Facts are deliberately untyped: the callee's API type is resolved afterwards on tokens, with
//! the final locals, because whether a local is reassigned is known only after the whole walk.

use full_moon::ast::{Expression, Field, TableConstructor, UnOp};
use full_moon::node::Node;
use full_moon::tokenizer::{StringLiteralQuoteType, TokenReference, TokenType};

use crate::analysis::TextRange;

use std::borrow::Cow;

use super::ParsedLua;
use super::types::Val;
pub use crate::analysis::literal::{
    ApiCall, Arg, CallFact, Entry, Key, Lit, TableLit, TableOrigin,
};

/// A read of a name that no local declares at that point.
#[derive(Debug, Clone)]
pub struct GlobalRead {
    pub name: String,
    pub range: TextRange,
}

/// The range of a node of a part of the text that starts at `base`.
pub fn range_of(n: &impl Node, base: usize) -> TextRange {
    match (n.start_position(), n.end_position()) {
        (Some(a), Some(b)) => TextRange::new(base + a.bytes(), base + b.bytes()),
        _ => TextRange::at(base),
    }
}

/// The text of a name token, borrowed from the tree: the walk reads every name of a script,
/// and formatting each into a new string took a noticeable share of it. Other tokens (a name
/// the parser invented while recovering, say) are formatted.
pub fn name_text(t: &TokenReference) -> Cow<'_, str> {
    match t.token().token_type() {
        TokenType::Identifier { identifier } => Cow::Borrowed(identifier.as_str()),
        _ => Cow::Owned(t.token().to_string()),
    }
}

/// Whether `e` may produce any number of values when last in a list.
pub fn is_multi(e: &Expression) -> bool {
    match e {
        Expression::FunctionCall(_) => true,
        Expression::Symbol(t) => t.token().to_string() == "...",
        _ => false,
    }
}

/// The literal value of `e`, in a part of the text that starts at `base`.
pub fn lit(e: &Expression, base: usize) -> Lit {
    match e {
        Expression::Parentheses { expression, .. } => match lit(expression, base) {
            // `(f())` is one value, but still not a literal.
            Lit::Table(_) | Lit::Other => Lit::Other,
            l => l,
        },
        Expression::Symbol(t) => match t.token().to_string().as_str() {
            "nil" => Lit::Nil,
            "true" | "false" => Lit::Bool,
            _ => Lit::Other,
        },
        Expression::Number(t) => number(&t.token().to_string()),
        Expression::UnaryOperator {
            unop: UnOp::Minus(_),
            expression,
        } => match lit(expression, base) {
            Lit::Integer(i) => i.checked_neg().map_or(Lit::Other, Lit::Integer),
            Lit::Float(f) => Lit::Float(-f),
            _ => Lit::Other,
        },
        Expression::String(t) => match t.token().token_type() {
            TokenType::StringLiteral {
                literal,
                quote_type,
                ..
            } if *quote_type == StringLiteralQuoteType::Brackets || !literal.contains('\\') => {
                Lit::String(literal.to_string())
            }
            _ => Lit::Other,
        },
        Expression::Function(_) => Lit::Function,
        Expression::TableConstructor(t) => Lit::Table(table(t, base)),
        _ => Lit::Other,
    }
}

/// Lua number syntax: decimal integers, floats, hex integers; anything unusual is `Other`.
fn number(text: &str) -> Lit {
    let lower = text.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).map_or(Lit::Other, Lit::Integer);
    }
    if lower.contains(['.', 'e']) {
        return lower.parse::<f64>().map_or(Lit::Other, Lit::Float);
    }
    // A decimal integer too large for i64 is a float in Lua.
    lower.parse::<i64>().map_or_else(
        |_| lower.parse::<f64>().map_or(Lit::Other, Lit::Float),
        Lit::Integer,
    )
}

pub fn table(t: &TableConstructor, base: usize) -> TableLit {
    let fields: Vec<&Field> = t.fields().iter().collect();
    let mut entries = Vec::with_capacity(fields.len());
    let mut dynamic = false;
    let last = fields.len().saturating_sub(1);
    for (i, field) in fields.iter().enumerate() {
        match field {
            Field::NameKey { key, value, .. } => entries.push(Entry {
                key: Key::Name {
                    name: name_text(key).into_owned(),
                    range: range_of(key, base),
                },
                value: lit(value, base),
                value_range: range_of(value, base),
            }),
            Field::ExpressionKey { value, .. } => {
                dynamic = true;
                entries.push(Entry {
                    key: Key::Computed,
                    value: lit(value, base),
                    value_range: range_of(value, base),
                });
            }
            Field::NoKey(value) => {
                let multi = is_multi(value);
                // `...` anywhere, or a call at the end, makes the length unknown.
                if multi && (i == last || !matches!(value, Expression::FunctionCall(_))) {
                    dynamic = true;
                }
                entries.push(Entry {
                    key: Key::Positional,
                    value: lit(value, base),
                    value_range: range_of(value, base),
                });
            }
            _ => dynamic = true,
        }
    }
    TableLit {
        range: range_of(t, base),
        entries,
        dynamic,
        origin: TableOrigin::LuaTable,
    }
}

/// The API calls of a Lua document, in their own call style only.
pub fn api_calls(p: &ParsedLua) -> Vec<ApiCall<'_>> {
    let mut out = Vec::new();
    for fact in &p.calls {
        let Some(args) = p.token_starting_at(fact.args_start) else {
            continue;
        };
        let Some(callee) = args.checked_sub(1).filter(|&i| p.is_name(i)) else {
            continue;
        };
        // Arguments the parser stumbled over (an unclosed string while typing) are not what
        // the user means yet.
        let end = fact.args.last().map_or(fact.args_start, |a| a.range.end);
        if p.errors
            .iter()
            .any(|e| e.range.start >= fact.args_start && e.range.start <= end + 1)
        {
            continue;
        }
        // A call in the wrong style passes one argument too many or too few: wrong-call-style
        // reports it, and nothing here can be trusted.
        if let Val::Member { owner, member, sep } = p.chain_value_before(callee)
            && member.kind.lua_separator() == sep
        {
            out.push(ApiCall {
                fact: Cow::Borrowed(fact),
                owner,
                member,
                name: p.tokens.tokens[callee].range,
            });
        }
    }
    out
}
