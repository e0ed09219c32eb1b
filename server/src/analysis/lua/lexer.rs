//! A small, total Lua 5.4 tokenizer. The analysis needs tokens for text that does not parse
//! (an unclosed string or brace while the user types), so it cannot rely on the parser's own
//! tokens: this lexer never fails, marks unterminated strings instead of rejecting them, and
//! keeps every range on a UTF-8 boundary.

use crate::analysis::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Name,
    Keyword,
    Number,
    /// A short (`"..."`, `'...'`) or long (`[[...]]`) string literal.
    String {
        terminated: bool,
    },
    Symbol,
    /// A byte sequence that is not Lua (`@`, `$`, a non-ASCII character outside a string).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// The tokens of a document, comments kept apart so neighbouring-token questions ("what comes
/// before the cursor?") skip them for free.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    pub comments: Vec<TextRange>,
    /// For each token, the index of its matching bracket (`(` ↔ `)`, `{` ↔ `}`, `[` ↔ `]`), or
    /// `usize::MAX` when it has none (not a bracket, or unbalanced while typing).
    pub matching: Vec<usize>,
}

pub const NO_MATCH: usize = usize::MAX;

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

pub fn keywords() -> &'static [&'static str] {
    KEYWORDS
}

const SYMBOLS3: &[&str] = &["..."];
const SYMBOLS2: &[&str] = &["..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::"];

pub fn tokenize(text: &str) -> Tokens {
    let bytes = text.as_bytes();
    let mut out = Tokens::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if text[i..].starts_with("--") {
            i += 2;
            if let Some(level) = long_bracket_level(&bytes[i..]) {
                i = long_bracket_end(text, i, level).0;
            } else {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            out.comments.push(TextRange::new(start, i));
            continue;
        }
        let kind = if b.is_ascii_alphabetic() || b == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if is_keyword(&text[start..i]) {
                TokenKind::Keyword
            } else {
                TokenKind::Name
            }
        } else if b.is_ascii_digit()
            || (b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i = number_end(bytes, i);
            TokenKind::Number
        } else if b == b'"' || b == b'\'' {
            let (end, terminated) = short_string_end(bytes, i);
            i = end;
            TokenKind::String { terminated }
        } else if let Some(level) = (b == b'[')
            .then(|| long_bracket_level(&bytes[i..]))
            .flatten()
        {
            let (end, terminated) = long_bracket_end(text, i, level);
            i = end;
            TokenKind::String { terminated }
        } else if let Some(sym) = SYMBOLS3
            .iter()
            .chain(SYMBOLS2)
            .find(|s| text[i..].starts_with(**s))
        {
            i += sym.len();
            TokenKind::Symbol
        } else if b.is_ascii() {
            i += 1;
            if b"+-*/%^#&~|<>=(){}[];:,.".contains(&b) {
                TokenKind::Symbol
            } else {
                TokenKind::Unknown
            }
        } else {
            // A non-ASCII character outside a string: step over the whole character.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            TokenKind::Unknown
        };
        out.tokens.push(Token {
            kind,
            range: TextRange::new(start, i),
        });
    }
    out.matching = match_brackets(text, &out.tokens);
    out
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    let hex = bytes[i] == b'0' && matches!(bytes.get(i + 1), Some(b'x' | b'X'));
    while i < bytes.len() {
        let c = bytes[i];
        let exponent = if hex { b"pP" } else { b"eE" };
        if exponent.contains(&c) && matches!(bytes.get(i + 1), Some(b'+' | b'-')) {
            i += 2;
        } else if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The end of a short string starting at `start`, and whether it was closed. A line break ends
/// an unterminated string, as it does for Lua, so one open quote does not swallow the file.
fn short_string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            // An escaped line break continues the string; Lua reads `\r\n` (and `\n\r`) as one,
            // so stepping over only its first byte would end the string at the second.
            b'\\' if bytes[i + 1..].starts_with(b"\r\n") || bytes[i + 1..].starts_with(b"\n\r") => {
                i += 3;
            }
            b'\\' => {
                i += 2;
            }
            // `\r` ends a line for Lua too (a file with CR or CRLF line endings): without it an
            // open quote ran on over every line of such a file, and completion in the string
            // replaced text across lines (found by `cargo xtask fuzz`).
            b'\n' | b'\r' => return (i, false),
            c if c == quote => return (i + 1, true),
            _ => i += 1,
        }
    }
    // An escape at the very end may step past the text; ranges stay inside it.
    (bytes.len(), false)
}

/// `[[`, `[=[`, `[==[`...: the number of `=`, when `bytes` starts a long bracket.
fn long_bracket_level(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'[') {
        return None;
    }
    let level = bytes[1..].iter().take_while(|&&b| b == b'=').count();
    (bytes.get(1 + level) == Some(&b'[')).then_some(level)
}

fn long_bracket_end(text: &str, start: usize, level: usize) -> (usize, bool) {
    let close = format!("]{}]", "=".repeat(level));
    let body = start + level + 2;
    match text.get(body..).and_then(|rest| rest.find(&close)) {
        Some(pos) => (body + pos + close.len(), true),
        None => (text.len(), false),
    }
}

fn match_brackets(text: &str, tokens: &[Token]) -> Vec<usize> {
    let mut matching = vec![NO_MATCH; tokens.len()];
    let mut stack: Vec<(usize, u8)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Symbol || t.range.end - t.range.start != 1 {
            continue;
        }
        let b = text.as_bytes()[t.range.start];
        match b {
            b'(' | b'{' | b'[' => stack.push((i, b)),
            b')' | b'}' | b']' => {
                let open = match b {
                    b')' => b'(',
                    b'}' => b'{',
                    _ => b'[',
                };
                // A mismatched closer is dropped rather than unwinding the stack, so one stray
                // `)` while typing does not unpair every bracket before it.
                if stack.last().is_some_and(|&(_, o)| o == open) {
                    let (j, _) = stack.pop().unwrap_or_default();
                    matching[i] = j;
                    matching[j] = i;
                }
            }
            _ => {}
        }
    }
    matching
}

/// The deepest nesting of brackets, blocks and unary operators, counted on tokens so it is
/// known before the (recursive) parser runs. `elseif` closes the block its `then` reopens. A run
/// of unary operators (`- - - x`, `not not x`) recurses in the parser too, so it counts while
/// it lasts; binary operators are parsed iteratively and do not.
pub fn max_depth(text: &str, tokens: &[Token]) -> (usize, Option<TextRange>) {
    let mut depth: usize = 0;
    let mut unary_run: usize = 0;
    let mut max = 0;
    let mut at = None;
    let mut prev_ends_value = false;
    for t in tokens {
        let s = &text[t.range.start..t.range.end];
        let symbol = t.kind == TokenKind::Symbol;
        let keyword = t.kind == TokenKind::Keyword;
        let opens = symbol && matches!(s, "(" | "{" | "[")
            || keyword && matches!(s, "function" | "do" | "then" | "repeat");
        let closes = symbol && matches!(s, ")" | "}" | "]")
            || keyword && matches!(s, "end" | "until" | "elseif");
        let unary =
            keyword && s == "not" || symbol && matches!(s, "-" | "#" | "~") && !prev_ends_value;
        if unary {
            unary_run += 1;
        } else {
            unary_run = 0;
        }
        if opens {
            depth += 1;
        } else if closes {
            depth = depth.saturating_sub(1);
        }
        if depth + unary_run > max {
            max = depth + unary_run;
            at = Some(t.range);
        }
        prev_ends_value = matches!(
            t.kind,
            TokenKind::Name | TokenKind::Number | TokenKind::String { .. }
        ) || symbol && matches!(s, ")" | "]" | "}" | "...")
            || keyword && matches!(s, "nil" | "true" | "false" | "end");
    }
    (max, at)
}
