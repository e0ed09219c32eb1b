//! A small, total JavaScript tokenizer. swc stops at the first error and keeps no partial tree,
//! so everything asked at a cursor while the user types (an unclosed string, `Agent.` followed by
//! nothing, an unclosed `{`) is answered on these tokens instead. It never fails: anything it
//! does not understand becomes an `Unknown` token, unterminated literals are marked, and every
//! range lies on a UTF-8 boundary.
//!
//! It is deliberately rough where precision would cost a real lexer: a template literal is one
//! token (its `${...}` parts are skipped by brace counting), and `/` starts a regular expression
//! only where an operand is expected (after an operator, an opening bracket or a keyword).

use crate::analysis::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An identifier or a keyword (keywords are told apart by text: see [`is_keyword`]).
    Name,
    Number,
    /// `"..."` or `'...'`.
    String {
        terminated: bool,
    },
    /// `` `...` ``, interpolations included.
    Template {
        terminated: bool,
    },
    Regex,
    Punct,
    /// A byte sequence that is not JavaScript (`@`, `#` outside a private name...).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
    /// Whether it is a `Name` that is a keyword, decided once here: the analysis asks of
    /// nearly every name whether it is an identifier.
    pub keyword: bool,
}

/// The tokens of a document, comments kept apart so "what is before the cursor?" skips them.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    pub comments: Vec<TextRange>,
    /// For each token, the index of its matching bracket, or [`NO_MATCH`].
    pub matching: Vec<usize>,
}

pub const NO_MATCH: usize = usize::MAX;

const KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

pub fn is_keyword(word: &str) -> bool {
    // The same words as `KEYWORDS` (a test checks), as a `match`: the compiler turns it into
    // a length switch and a few integer comparisons, where a search of the list compared
    // bytes through `memcmp` for every name of every script.
    matches!(
        word,
        "async"
            | "await"
            | "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "export"
            | "extends"
            | "false"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "let"
            | "new"
            | "null"
            | "of"
            | "return"
            | "static"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "true"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "yield"
    )
}

pub fn keywords() -> &'static [&'static str] {
    KEYWORDS
}

/// Longest first, so `>>>=` wins over `>>`.
const PUNCTS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=",
    "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "**", "<<", ">>",
];

/// Whether `word` is a keyword after which an operand (so a regex, not a division) comes.
fn is_operand_keyword(word: &str) -> bool {
    matches!(
        word,
        "return"
            | "typeof"
            | "instanceof"
            | "in"
            | "of"
            | "new"
            | "delete"
            | "void"
            | "throw"
            | "case"
            | "do"
            | "else"
            | "yield"
            | "await"
    )
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphanumeric()
}

pub fn tokenize(text: &str) -> Tokens {
    let bytes = text.as_bytes();
    // About one token per five bytes of script: reserving that up front spares the repeated
    // regrowth (and its fresh pages) that showed up when linting thousands of files.
    let mut out = Tokens {
        tokens: Vec::with_capacity(text.len() / 5 + 16),
        ..Tokens::default()
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            out.comments.push(TextRange::new(start, i));
            continue;
        }
        if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = match text[i + 2..].find("*/") {
                Some(k) => i + 2 + k + 2,
                None => bytes.len(),
            };
            out.comments.push(TextRange::new(start, i));
            continue;
        }
        let kind;
        if b == b'"' || b == b'\'' {
            let (end, terminated) = quoted(bytes, i, b);
            i = end;
            kind = TokenKind::String { terminated };
        } else if b == b'`' {
            let (end, terminated) = template(bytes, i, 0);
            i = end;
            kind = TokenKind::Template { terminated };
        } else if b.is_ascii_digit()
            || (b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i += 1;
            while i < bytes.len() {
                let c = bytes[i];
                let exp_sign = (c == b'+' || c == b'-')
                    && matches!(bytes[i - 1], b'e' | b'E')
                    && !is_hex(text, start);
                if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exp_sign {
                    i += 1;
                } else {
                    break;
                }
            }
            kind = TokenKind::Number;
        } else if b == b'/' && operand_expected(text, &out.tokens) {
            i = regex(bytes, i);
            kind = TokenKind::Regex;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if is_ident_start(c) || (c == '#' && text[i + 1..].starts_with(is_ident_start)) {
                i += c.len_utf8();
                loop {
                    // ASCII, nearly every character of a name, is told without decoding.
                    match bytes.get(i) {
                        Some(b) if b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$' => i += 1,
                        Some(b) if b.is_ascii() => break,
                        Some(_) => match text[i..].chars().next().filter(|c| is_ident_char(*c)) {
                            Some(c) => i += c.len_utf8(),
                            None => break,
                        },
                        None => break,
                    }
                }
                kind = TokenKind::Name;
            } else if let Some(p) = longer_punct(&bytes[i..])
                // `a?.5:b` is a conditional, not optional chaining.
                && !(p == "?." && bytes.get(i + 2).is_some_and(u8::is_ascii_digit))
            {
                i += p.len();
                kind = TokenKind::Punct;
            } else if c.is_ascii_punctuation() && c != '#' && c != '@' && c != '\\' {
                i += 1;
                kind = TokenKind::Punct;
            } else {
                i += c.len_utf8();
                kind = TokenKind::Unknown;
            }
        }
        out.tokens.push(Token {
            kind,
            range: TextRange::new(start, i),
            keyword: kind == TokenKind::Name && is_keyword(&text[start..i]),
        });
    }
    out.matching = match_brackets(text, &out.tokens);
    out
}

/// The punctuator of two or more characters that `rest` starts with, the longest one.
fn longer_punct(rest: &[u8]) -> Option<&'static str> {
    // Most punctuation (brackets, `,`, `;`, `:`) starts none of them: one byte rules it out.
    if !matches!(
        rest.first(),
        Some(b'>' | b'<' | b'=' | b'!' | b'.' | b'*' | b'&' | b'|' | b'?' | b'+' | b'-' | b'/')
            | Some(b'%' | b'^')
    ) {
        return None;
    }
    // Byte by byte: these are at most four bytes, too few for a call to `memcmp` to pay.
    PUNCTS
        .iter()
        .copied()
        .find(|p| rest.len() >= p.len() && p.bytes().zip(rest).all(|(want, &have)| want == have))
}

fn is_hex(text: &str, start: usize) -> bool {
    let t = &text.as_bytes()[start..];
    t.len() > 1 && t[0] == b'0' && matches!(t[1], b'x' | b'X')
}

/// The end of a `'` / `"` string starting at `i`, and whether it is closed. A line break ends an
/// unterminated string, as it does in JavaScript, so one open quote does not swallow the file.
pub(super) fn quoted(bytes: &[u8], i: usize, quote: u8) -> (usize, bool) {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            // A backslash before `\r\n` continues the string on the next line: the pair is one
            // line break, so stepping over only the `\r` would end the string at the `\n`.
            b'\\' if bytes[j + 1..].starts_with(b"\r\n") => j += 3,
            b'\\' => j += 2,
            // `\r` is a line break too (a file with CR line endings, or CRLF): without it an
            // open quote ran on over every line of such a file, and completion in the string
            // replaced text across lines (found by `cargo xtask fuzz`).
            b'\n' | b'\r' => return (j, false),
            c if c == quote => return (j + 1, true),
            _ => j += 1,
        }
    }
    (bytes.len(), false)
}

/// The end of a template literal starting at `i`. Interpolations are skipped by counting braces
/// and stepping over nested strings and templates.
pub(super) fn template(bytes: &[u8], i: usize, nested: usize) -> (usize, bool) {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'`' => return (j + 1, true),
            b'$' if bytes.get(j + 1) == Some(&b'{') => {
                j += 2;
                let mut depth = 1usize;
                while j < bytes.len() && depth > 0 {
                    match bytes[j] {
                        b'{' => depth += 1,
                        b'}' => depth -= 1,
                        b'"' | b'\'' => {
                            j = quoted(bytes, j, bytes[j]).0;
                            continue;
                        }
                        // Nested templates recurse; past a sane depth the rest is read as
                        // plain text so hostile input cannot overflow this stack.
                        b'`' if nested < 32 => {
                            j = template(bytes, j, nested + 1).0;
                            continue;
                        }
                        _ => {}
                    }
                    j += 1;
                }
            }
            _ => j += 1,
        }
    }
    (bytes.len().min(j), false)
}

/// The end of a regular expression literal starting at `i` (a `/`), flags included.
fn regex(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let mut in_class = false;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 1,
            b'\n' => return j,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                    j += 1;
                }
                return j.min(bytes.len());
            }
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

/// Whether a `/` here starts an operand (a regex) rather than dividing.
fn operand_expected(text: &str, tokens: &[Token]) -> bool {
    let Some(prev) = tokens.last() else {
        return true;
    };
    let t = &text[prev.range.start..prev.range.end];
    match prev.kind {
        TokenKind::Name => is_operand_keyword(t),
        TokenKind::Punct => !matches!(t, ")" | "]" | "}" | "++" | "--"),
        TokenKind::Unknown => true,
        _ => false,
    }
}

fn match_brackets(text: &str, tokens: &[Token]) -> Vec<usize> {
    let mut matching = vec![NO_MATCH; tokens.len()];
    let mut stack: Vec<(u8, usize)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Punct || t.range.end - t.range.start != 1 {
            continue;
        }
        let c = text.as_bytes()[t.range.start];
        match c {
            b'(' | b'[' | b'{' => stack.push((c, i)),
            b')' | b']' | b'}' => {
                let open = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                // An unbalanced closer (mid-edit) pairs with the nearest opener of its kind;
                // openers skipped over stay unmatched rather than mismatched.
                if let Some(k) = stack.iter().rposition(|(o, _)| *o == open) {
                    let (_, j) = stack[k];
                    stack.truncate(k);
                    matching[i] = j;
                    matching[j] = i;
                }
            }
            _ => {}
        }
    }
    matching
}

/// How many binary operators, member accesses or call brackets in one expression count as one
/// level of nesting: swc recurses on these too (building and dropping left-nested trees), but
/// with small frames, and long concatenations are normal code.
const BINARY_PER_LEVEL: usize = 100;

/// The deepest nesting swc would recurse through, and where it is first reached, counted on
/// the tokens so strings and comments do not count. Besides brackets, it counts the operators
/// swc parses by recursion (prefix operators, `await`, `new`, `=>`, `?`, assignments, `**`) in
/// the current expression of each bracket level, plus binary operators and chain steps at
/// [`BINARY_PER_LEVEL`] to a level: `a => a => ... 1` nests as deep as parentheses do. An
/// expression ends at `;`, `,` or a line break that cannot continue it. Brackets inside a
/// template literal count too (roughly: its text as well as its `${...}` parts), since swc
/// recurses into interpolations.
pub fn max_depth(text: &str, tokens: &[Token]) -> (usize, Option<TextRange>) {
    /// Per open bracket level: recursive operators and binary operators of its expression.
    #[derive(Default)]
    struct Level {
        ops: usize,
        binary: usize,
    }
    impl Level {
        fn weight(&self) -> usize {
            self.ops + self.binary / BINARY_PER_LEVEL
        }
    }
    let mut levels: Vec<Level> = vec![Level::default()];
    // The bracket depth plus every level's weight.
    let mut total = 0usize;
    let mut max = 0usize;
    let mut at = None;
    let mut note = |total: usize, range: TextRange, max: &mut usize| {
        if total > *max {
            *max = total;
            at = Some(range);
        }
    };
    // Adds to the innermost level's counters, keeping `total` in step.
    let bump = |levels: &mut Vec<Level>, total: &mut usize, op: bool| {
        if let Some(l) = levels.last_mut() {
            let before = l.weight();
            if op {
                l.ops += 1;
            } else {
                l.binary += 1;
            }
            *total += l.weight() - before;
        }
    };
    let end_expression = |levels: &mut Vec<Level>, total: &mut usize| {
        if let Some(l) = levels.last_mut() {
            *total = total.saturating_sub(l.weight());
            *l = Level::default();
        }
    };
    for (i, t) in tokens.iter().enumerate() {
        let s = &text[t.range.start..t.range.end];
        if i > 0 && ends_line(text, &tokens[i - 1], t, s) {
            end_expression(&mut levels, &mut total);
        }
        match t.kind {
            TokenKind::Template { .. } => {
                let mut extra = 0usize;
                for b in s.bytes() {
                    match b {
                        b'(' | b'[' | b'{' => extra += 1,
                        b')' | b']' | b'}' => extra = extra.saturating_sub(1),
                        _ => {}
                    }
                    note(total + extra, t.range, &mut max);
                }
            }
            TokenKind::Punct => match s {
                "(" | "[" | "{" => {
                    bump(&mut levels, &mut total, false);
                    levels.push(Level::default());
                    total += 1;
                    note(total, t.range, &mut max);
                }
                ")" | "]" | "}" => {
                    if levels.len() > 1 {
                        let w = levels.pop().map_or(0, |l| l.weight());
                        total = total.saturating_sub(w + 1);
                    }
                }
                ";" | "," => end_expression(&mut levels, &mut total),
                _ => {
                    let prefix = matches!(s, "-" | "+" | "!" | "~" | "++" | "--")
                        && operand_expected(text, &tokens[..i]);
                    let op = prefix || s == "=>" || s == "?" || s == "**" || is_assign_op(s);
                    bump(&mut levels, &mut total, op);
                    note(total, t.range, &mut max);
                }
            },
            TokenKind::Name
                if matches!(s, "await" | "new" | "typeof" | "void" | "delete" | "yield") =>
            {
                bump(&mut levels, &mut total, true);
                note(total, t.range, &mut max);
            }
            _ => {}
        }
    }
    (max, at)
}

/// Whether a line break between `prev` and `cur` (text `s`) ends an expression: `prev` ends an
/// operand and `cur` can only start a new statement (a name or literal, not an operator).
fn ends_line(text: &str, prev: &Token, cur: &Token, s: &str) -> bool {
    if !text[prev.range.end..cur.range.start].contains('\n') {
        return false;
    }
    let p = &text[prev.range.start..prev.range.end];
    let prev_ends_operand = match prev.kind {
        TokenKind::Punct => matches!(p, ")" | "]" | "}"),
        TokenKind::Name => !is_operand_keyword(p),
        TokenKind::Template { .. } | TokenKind::Unknown => false,
        _ => true,
    };
    let cur_starts = match cur.kind {
        TokenKind::Name => !matches!(s, "in" | "instanceof" | "of"),
        TokenKind::Number | TokenKind::String { .. } | TokenKind::Regex => true,
        _ => false,
    };
    prev_ends_operand && cur_starts
}

fn is_assign_op(s: &str) -> bool {
    s.len() >= 2 && s.ends_with('=') && !matches!(s, "==" | "!=" | "<=" | ">=" | "===" | "!==")
        || s == "="
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_keyword_knows_exactly_the_listed_keywords() {
        for k in KEYWORDS {
            assert!(is_keyword(k), "{k}");
        }
        for name in ["a", "x", "Agent", "agent", "awaits", "instanceofx", "ñ", ""] {
            assert!(!is_keyword(name), "{name}");
        }
    }

    #[test]
    fn every_punctuator_is_found_by_its_first_byte() {
        for p in PUNCTS {
            assert_eq!(longer_punct(format!("{p} x").as_bytes()), Some(*p));
            // After an operand, so that `/=` is not the start of a regular expression.
            let text = format!("a {p} x");
            let tokens = tokenize(&text).tokens;
            assert_eq!(&text[tokens[1].range.start..tokens[1].range.end], *p);
        }
        assert_eq!(longer_punct(b"(a)"), None);
        assert_eq!(longer_punct(b">>>= 1"), Some(">>>="));
    }

    #[test]
    fn names_with_non_ascii_letters_are_one_token() {
        let text = "const größe$_1 = café.ñ;";
        let names: Vec<&str> = tokenize(text)
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Name)
            .map(|t| &text[t.range.start..t.range.end])
            .collect();
        assert_eq!(names, ["const", "größe$_1", "café", "ñ"]);
    }
}
