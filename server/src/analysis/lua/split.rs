//! Where a Lua text may be cut so that its parts parse alone exactly as they parse together,
//! which lets a large file be parsed on several cores (full_moon is single-threaded, and a
//! 10,000-line script takes it ~50 ms on one core here).
//!
//! A cut goes only between two statements of the main chunk: outside every block and bracket,
//! after a token that can end a statement (a name, a literal, a closing bracket, `end`, ...),
//! and before one that can only start a new one: a name or a statement keyword. Lua has no
//! juxtaposition of two such tokens inside an expression, so `a = b` + newline + `c = d` is
//! two statements however it is cut, while `f` + newline + `(g)()` or `x = a +` + newline + `b`
//! offer no cut at all. On text that does not parse, a cut may change which error full_moon
//! reports, never whether a valid text parses.

use super::lexer::{Token, TokenKind};

/// Keywords that only ever start a statement. `do` is not one: it also ends `while`/`for`
/// headers.
const STATEMENT_KEYWORDS: &[&str] = &[
    "local", "function", "if", "for", "while", "repeat", "return", "goto", "break",
];

/// Offsets where to cut `text` into parts, in order: for each of `targets` (ascending byte
/// offsets), the first token start at or after it where a cut is safe and which is past the
/// previous cut. Fewer cuts when the text offers fewer safe places.
pub fn cuts(text: &str, tokens: &[Token], targets: &[usize]) -> Vec<usize> {
    let mut cuts = Vec::new();
    let Some(&first_target) = targets.first() else {
        return cuts;
    };
    let mut next_target = first_target;
    let mut depth: usize = 0;
    let mut prev_ends_statement = false;
    for t in tokens {
        let s = &text[t.range.start..t.range.end];
        let symbol = t.kind == TokenKind::Symbol;
        let keyword = t.kind == TokenKind::Keyword;
        let starts_statement =
            t.kind == TokenKind::Name || keyword && STATEMENT_KEYWORDS.contains(&s);
        if depth == 0 && prev_ends_statement && starts_statement && t.range.start >= next_target {
            cuts.push(t.range.start);
            match targets.get(cuts.len()) {
                Some(&target) => next_target = target,
                None => break,
            }
        }
        // Blocks: `function`, `if`, `do` (standalone or of a loop) and `repeat` open one;
        // `end` and `until` close it. `while`/`for` open theirs through their `do`.
        if symbol && matches!(s, "(" | "{" | "[")
            || keyword && matches!(s, "function" | "if" | "do" | "repeat")
        {
            depth += 1;
        } else if symbol && matches!(s, ")" | "}" | "]") || keyword && matches!(s, "end" | "until")
        {
            depth = depth.saturating_sub(1);
        }
        prev_ends_statement = matches!(
            t.kind,
            TokenKind::Name | TokenKind::Number | TokenKind::String { .. }
        ) || symbol && matches!(s, ")" | "]" | "}" | "..." | ";")
            || keyword && matches!(s, "nil" | "true" | "false" | "end" | "break");
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lua::lexer::tokenize;

    /// Cuts aimed at `parts` parts of equal size.
    fn cut(text: &str, parts: usize) -> Vec<usize> {
        let targets: Vec<usize> = (1..parts).map(|k| text.len() * k / parts).collect();
        cuts(text, &tokenize(text).tokens, &targets)
    }

    #[test]
    fn cuts_only_between_top_level_statements() {
        let text = "local a = 1\nlocal b = 2\nprint(a, b)\n";
        // The first statement start past the middle.
        assert_eq!(cut(text, 2), [text.find("print").unwrap()]);
        // Inside a block, a bracket, or before what may continue an expression: no cut.
        for text in [
            "function f()\n  local a = 1\n  local b = 2\n  return a + b\nend\n",
            "local t = {\n  a = 1,\n  b = 2,\n  c = 3,\n}\n",
            "local x = f\n(g)()\nlocal y = 1\n",
            "local x = a +\nb + c + d + e + f + g + h\n",
            "for i = 1, n do print(i) end",
        ] {
            let found = cut(text, 2);
            for c in &found {
                let before = &text[..*c];
                assert!(
                    before.ends_with('\n') && !before.trim_end().ends_with('+'),
                    "{text:?} cut at {c}"
                );
            }
            assert!(!found.contains(&text.find("(g)").unwrap_or(usize::MAX)));
        }
        assert!(
            cut("for i = 1, n do print(i) end\nprint(2)", 2)
                .iter()
                .all(|&c| c == "for i = 1, n do print(i) end\n".len())
        );
    }

    #[test]
    fn parts_are_balanced() {
        let text = "local a = 1\n".repeat(1000);
        let found = cut(&text, 4);
        assert_eq!(found.len(), 3);
        for (k, c) in found.iter().enumerate() {
            let target = text.len() * (k + 1) / 4;
            assert!(c.abs_diff(target) <= 12, "{c} vs {target}");
        }
    }
}
