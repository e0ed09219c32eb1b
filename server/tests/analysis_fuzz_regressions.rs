//! Inputs on which `cargo xtask fuzz` found the analysis breaking an invariant, minimised and
//! kept here so the fixes stay fixed without running the fuzzer. Each test names the invariant
//! and asserts it directly on the input that broke it, in both languages where both had the bug.

use llmspell_server::analysis::{Completion, TextRange, js, lua};

/// The text a completion would replace. It must stay on one line: the LSP requires a completion
/// edit "to be a single line range", and VS Code drops the item otherwise.
fn replaced<'a>(text: &'a str, c: &Completion) -> &'a str {
    &text[c.replace.start..c.replace.end]
}

fn string_token_lua(text: &str) -> Vec<(TextRange, bool)> {
    lua::lexer::tokenize(text)
        .tokens
        .iter()
        .filter_map(|t| match t.kind {
            lua::lexer::TokenKind::String { terminated } => Some((t.range, terminated)),
            _ => None,
        })
        .collect()
}

fn string_token_js(text: &str) -> Vec<(TextRange, bool)> {
    js::lexer::tokenize(text)
        .tokens
        .iter()
        .filter_map(|t| match t.kind {
            js::lexer::TokenKind::String { terminated } => Some((t.range, terminated)),
            _ => None,
        })
        .collect()
}

/// An unclosed quote in a file with CR (or CRLF) line endings ran on over every later line,
/// because only `\n` ended it; completion of a tool name in it then replaced text across lines.
#[test]
fn a_carriage_return_ends_an_unclosed_string() {
    let lua_text = "local t = Tool.get(\"calcu\rlocal a = 1\r";
    let js_text = "const t = Tool.get(\"calcu\rconst a = 1;\r";
    for (text, strings) in [
        (lua_text, string_token_lua(lua_text)),
        (js_text, string_token_js(js_text)),
    ] {
        let quote = text.find('"').expect("a quote");
        let cr = text.find('\r').expect("a CR");
        assert_eq!(strings, [(TextRange::new(quote, cr), false)], "{text:?}");
    }
    let cursor = lua_text.find("calcu").expect("the name") + "calcu".len();
    let found = lua::complete(&lua::parse(lua_text), cursor);
    assert!(found.iter().any(|c| c.label == "calculator"), "{found:?}");
    for c in &found {
        assert_eq!(replaced(lua_text, c), "calcu", "{c:?}");
    }
    let cursor = js_text.find("calcu").expect("the name") + "calcu".len();
    let found = js::complete(&js::parse(js_text), cursor);
    assert!(found.iter().any(|c| c.label == "calculator"), "{found:?}");
    for c in &found {
        assert_eq!(replaced(js_text, c), "calcu", "{c:?}");
    }
}

/// The other side of the same fix: a backslash before a CRLF continues the string on the next
/// line (the pair is one line break), so the string must not end at the `\n` after the `\r`.
#[test]
fn an_escaped_crlf_continues_a_string() {
    let lua_text = "local s = \"a\\\r\nb\"\nprint(s)\n";
    let js_text = "const s = \"a\\\r\nb\";\nconsole.log(s);\n";
    for (text, strings) in [
        (lua_text, string_token_lua(lua_text)),
        (js_text, string_token_js(js_text)),
    ] {
        let quote = text.find('"').expect("a quote");
        let close = text.rfind('"').expect("a closing quote");
        assert_eq!(
            strings,
            [(TextRange::new(quote, close + 1), true)],
            "{text:?}"
        );
    }
    // Lua also reads `\n\r` as one line break.
    let lf_cr = "local s = \"a\\\n\rb\"\n";
    let close = lf_cr.rfind('"').expect("a closing quote");
    assert_eq!(
        string_token_lua(lf_cr),
        [(TextRange::new(10, close + 1), true)]
    );
}

/// A string continued over a line break (`"calc\` + newline + `ul"`) is one token spanning two
/// lines; completion of a tool name in it replaced the whole string, across the line break.
#[test]
fn completion_in_a_continued_string_replaces_text_on_the_cursor_line_only() {
    let in_lua: fn(&str, usize) -> Vec<Completion> = |t, o| lua::complete(&lua::parse(t), o);
    let in_js: fn(&str, usize) -> Vec<Completion> = |t, o| js::complete(&js::parse(t), o);
    for (text, complete) in [
        ("Tool.get(\"calc\\\nul\")", in_lua),
        ("Tool.get(\"calc\\\nul\");", in_js),
    ] {
        let cursor = text.find("ul").expect("the second line") + 1;
        let found = complete(text, cursor);
        assert!(!found.is_empty(), "{text:?}");
        for c in &found {
            assert!(!replaced(text, c).contains(['\n', '\r']), "{c:?}");
            assert!(c.replace.contains(cursor), "{c:?}");
        }
    }
}
