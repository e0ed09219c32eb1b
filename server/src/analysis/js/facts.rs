//! The API calls of a JavaScript document with their literal arguments, read on tokens into the
//! language-neutral form of `analysis::literal`, so the config-table rules judge
//! `Agent.create({ ... })` exactly as they judge Lua's `Agent.create{ ... }`.
//!
//! Only what the tokens show for certain becomes a literal: a string without escapes or
//! interpolation, a plain number, `true`/`false`, an object or array literal, a function. Any
//! other expression is [`Lit::Other`], and the rules stay silent about it. `null` and
//! `undefined` are `Other` too: unlike a Lua `nil` field, a JS key set to `null` is still a key
//! the runtime sees, so neither "absent" nor any type can be claimed for it.

use std::borrow::Cow;

use llmspell_runtime::definition::MemberKind;

use super::lexer::TokenKind;
use super::types::{Val, member_of};
use super::{Access, ParsedJs};
use crate::analysis::TextRange;
use crate::analysis::literal::{ApiCall, Arg, CallFact, Entry, Key, Lit, TableLit, TableOrigin};

/// Every call of an API function or method whose receiver's type is known.
pub fn api_calls(p: &ParsedJs) -> Vec<ApiCall<'static>> {
    p.accesses().iter().filter_map(|a| api_call(p, a)).collect()
}

fn api_call(p: &ParsedJs, a: &Access) -> Option<ApiCall<'static>> {
    if !a.called {
        return None;
    }
    let Val::Member { owner, member } = member_of(a.receiver, p.token_text(a.name_token)) else {
        return None;
    };
    if !matches!(member.kind, MemberKind::Function | MemberKind::Method) {
        return None;
    }
    let open = if p.is_punct(a.name_token + 1, "(") {
        a.name_token + 1
    } else {
        a.name_token + 2
    };
    let close = p.matching(open)?;
    let start = p.tokens.tokens[open].range.start;
    let end = p.tokens.tokens[close].range.end;
    // Arguments swc stumbled over (an unclosed string while typing) are not what the user
    // means yet.
    if p.errors
        .iter()
        .any(|e| e.range.start >= start && e.range.start <= end)
    {
        return None;
    }
    let parts = split_top_level(p, open + 1, close);
    let open_ended = parts.iter().any(|&(s, _)| p.is_punct(s, "..."));
    let args = parts
        .iter()
        .map(|&(s, e)| Arg {
            lit: lit(p, s, e),
            range: span(p, s, e),
        })
        .collect();
    Some(ApiCall {
        fact: Cow::Owned(CallFact {
            args_start: start,
            args,
            open_ended,
        }),
        owner,
        member,
        name: p.tokens.tokens[a.name_token].range,
    })
}

/// The source range of tokens `[start, stop)`.
fn span(p: &ParsedJs, start: usize, stop: usize) -> TextRange {
    let t = &p.tokens.tokens;
    TextRange::new(t[start].range.start, t[stop - 1].range.end)
}

/// The comma-separated parts of tokens `[start, stop)`, brackets skipped whole; empty parts
/// (a trailing comma) are dropped.
fn split_top_level(p: &ParsedJs, start: usize, stop: usize) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut from = start;
    let mut j = start;
    while j < stop {
        if let Some(m) = p.matching(j)
            && m > j
            && m < stop
        {
            j = m + 1;
            continue;
        }
        if p.is_punct(j, ",") {
            if j > from {
                parts.push((from, j));
            }
            from = j + 1;
        }
        j += 1;
    }
    if stop > from {
        parts.push((from, stop));
    }
    parts
}

/// The literal that tokens `[start, stop)` spell, or `Other`.
fn lit(p: &ParsedJs, start: usize, stop: usize) -> Lit {
    let Some(first) = p.tok(start) else {
        return Lit::Other;
    };
    let text = p.token_text(start);
    if stop == start + 1 {
        return match first.kind {
            TokenKind::Number => number(text),
            TokenKind::String { terminated: true } => plain_string(&text[1..text.len() - 1]),
            TokenKind::Template { terminated: true } if !text.contains("${") => {
                plain_string(&text[1..text.len() - 1])
            }
            TokenKind::Name if text == "true" || text == "false" => Lit::Bool,
            _ => Lit::Other,
        };
    }
    if p.is_punct(start, "-")
        && stop == start + 2
        && p.tok(start + 1)
            .is_some_and(|t| t.kind == TokenKind::Number)
    {
        return match number(p.token_text(start + 1)) {
            Lit::Integer(i) => i.checked_neg().map_or(Lit::Other, Lit::Integer),
            Lit::Float(f) => Lit::Float(-f),
            _ => Lit::Other,
        };
    }
    let whole_group = |open: &str| p.is_punct(start, open) && p.matching(start) == Some(stop - 1);
    if whole_group("{") {
        return Lit::Table(object(p, start, stop - 1));
    }
    if whole_group("[") {
        return Lit::Table(array(p, start, stop - 1));
    }
    if is_function(p, start, stop) {
        return Lit::Function;
    }
    Lit::Other
}

/// A string literal's value when it has no escapes (an escaped one is not worth decoding for
/// names and enum values, and a wrong decode would be a false positive).
fn plain_string(body: &str) -> Lit {
    if body.contains('\\') {
        Lit::Other
    } else {
        Lit::String(body.to_owned())
    }
}

/// JS number syntax as far as it is plain: decimal, float, hex. Separators (`1_000`), BigInts
/// and octal forms are `Other`. Whole numbers stay integers, as the runtime converts them.
fn number(text: &str) -> Lit {
    let lower = text.to_ascii_lowercase();
    if lower.contains('_') || lower.ends_with('n') {
        return Lit::Other;
    }
    if let Some(hex) = lower.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).map_or(Lit::Other, Lit::Integer);
    }
    if lower.starts_with("0b") || lower.starts_with("0o") {
        return Lit::Other;
    }
    if lower.contains(['.', 'e']) {
        return lower.parse::<f64>().map_or(Lit::Other, Lit::Float);
    }
    lower.parse::<i64>().map_or(Lit::Other, Lit::Integer)
}

/// Whether tokens `[start, stop)` are exactly one function expression: `function ...`,
/// `async function ...`, `(a, b) => ...`, `a => ...`, `async (a) => ...`.
fn is_function(p: &ParsedJs, start: usize, stop: usize) -> bool {
    let mut s = start;
    if p.is_keyword(s, "async") && s + 1 < stop {
        s += 1;
    }
    if p.is_keyword(s, "function") {
        // The body's closing brace must end the expression.
        return p.is_punct(stop - 1, "}") && p.matching(stop - 1).is_some_and(|open| open > s);
    }
    let after_params = if p.is_punct(s, "(") {
        match p.matching(s) {
            Some(close) => close + 1,
            None => return false,
        }
    } else if p.is_ident(s) {
        s + 1
    } else {
        return false;
    };
    if !p.is_punct(after_params, "=>") || after_params + 1 >= stop {
        return false;
    }
    // A block body must end the expression; an expression body runs to the end of the range,
    // which split_top_level already cut at the next top-level comma.
    let body = after_params + 1;
    !p.is_punct(body, "{") || p.matching(body) == Some(stop - 1)
}

/// An object literal between `{` at `open` and `}` at `close`.
fn object(p: &ParsedJs, open: usize, close: usize) -> TableLit {
    let mut entries = Vec::new();
    let mut dynamic = false;
    for (s, e) in split_top_level(p, open + 1, close) {
        // `...spread`, `[computed]: v`, getters and setters: keys the tokens do not show.
        if p.is_punct(s, "...")
            || p.is_punct(s, "[")
            || ((p.is_keyword(s, "get") || p.is_keyword(s, "set")) && p.is_ident(s + 1))
        {
            dynamic = true;
            continue;
        }
        let key_text = p.token_text(s);
        let key_name = match p.tok(s).map(|t| t.kind) {
            Some(TokenKind::Name) => Some(key_text.to_owned()),
            Some(TokenKind::String { terminated: true })
                if !key_text[1..key_text.len() - 1].contains('\\') =>
            {
                Some(key_text[1..key_text.len() - 1].to_owned())
            }
            _ => None,
        };
        let Some(name) = key_name else {
            // A numeric key or something unreadable.
            dynamic = true;
            continue;
        };
        let key = Key::Name {
            name,
            range: p.tokens.tokens[s].range,
        };
        if p.is_punct(s + 1, ":") && s + 2 < e {
            entries.push(Entry {
                key,
                value: lit(p, s + 2, e),
                value_range: span(p, s + 2, e),
            });
        } else if e == s + 1 && p.is_ident(s) {
            // Shorthand `{ name }`: the value of a variable.
            entries.push(Entry {
                key,
                value: Lit::Other,
                value_range: p.tokens.tokens[s].range,
            });
        } else if p.is_punct(s + 1, "(") || p.is_keyword(s, "async") {
            // A method: `run(input) { ... }`, `async run(input) { ... }`.
            let key = if p.is_keyword(s, "async") && p.is_ident(s + 1) {
                Key::Name {
                    name: p.token_text(s + 1).to_owned(),
                    range: p.tokens.tokens[s + 1].range,
                }
            } else {
                key
            };
            entries.push(Entry {
                key,
                value: Lit::Function,
                value_range: span(p, s, e),
            });
        } else {
            dynamic = true;
        }
    }
    TableLit {
        range: span(p, open, close + 1),
        entries,
        dynamic,
        origin: TableOrigin::JsObject,
    }
}

/// An array literal between `[` at `open` and `]` at `close`.
fn array(p: &ParsedJs, open: usize, close: usize) -> TableLit {
    let mut entries = Vec::new();
    let mut dynamic = false;
    let mut j = open + 1;
    // Holes (`[a, , b]`) make positions unknown.
    while j < close {
        if p.is_punct(j, ",") && (j == open + 1 || p.is_punct(j - 1, ",")) {
            dynamic = true;
        }
        j = p.matching(j).filter(|&m| m > j && m < close).unwrap_or(j) + 1;
    }
    for (s, e) in split_top_level(p, open + 1, close) {
        if p.is_punct(s, "...") {
            dynamic = true;
            continue;
        }
        entries.push(Entry {
            key: Key::Positional,
            value: lit(p, s, e),
            value_range: span(p, s, e),
        });
    }
    TableLit {
        range: span(p, open, close + 1),
        entries,
        dynamic,
        origin: TableOrigin::JsArray,
    }
}
