//! End-to-end tests of `llmspell lsp`: the real binary over stdio, JSON-RPC framed by hand
//! (`lsp_client`). They cover the server's foundation: initialization and position-encoding
//! negotiation, document sync under a flood of edits, clamping of bad positions, panic
//! isolation, and the shutdown/exit sequence.

mod lsp_client;

use lsp_client::{LspProcess, Start};
use serde_json::{Value, json};

const URI: &str = "file:///workspace/script.lua";

/// -32601, -32602, -32603: JSON-RPC's method-not-found, invalid-params and internal error.
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const INTERNAL_ERROR: i64 = -32603;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16,
}

fn started(encodings: Option<&[&str]>) -> (LspProcess, Value) {
    let mut server = LspProcess::start(Start::default());
    let result = server.initialize(encodings);
    (server, result)
}

fn open(server: &mut LspProcess, text: &str) {
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": {
            "uri": URI, "languageId": "lua", "version": 1, "text": text
        }}),
    );
}

/// The server's copy of the document, through the `llmspell/documentText` test request.
fn document_text(server: &mut LspProcess) -> (String, i64) {
    let response = server.call("llmspell/documentText", json!({ "uri": URI }));
    let result = response
        .get("result")
        .unwrap_or_else(|| panic!("llmspell/documentText failed: {response}"));
    (
        result["text"]
            .as_str()
            .expect("text is a string")
            .to_owned(),
        result["version"].as_i64().expect("version is a number"),
    )
}

fn error_code(response: &Value) -> Option<i64> {
    response.get("error")?.get("code")?.as_i64()
}

/// An LSP position of byte `offset` in `text`, computed here independently of the server:
/// lines end at `\n`, columns count bytes (UTF-8) or UTF-16 code units.
fn lsp_position(text: &str, offset: usize, encoding: Encoding) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = &before[line_start..];
    let character = match encoding {
        Encoding::Utf8 => column.len(),
        Encoding::Utf16 => column.encode_utf16().count(),
    };
    json!({ "line": line, "character": character })
}

/// A small deterministic generator (xorshift64*): the same edits on every run, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let value = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        usize::try_from(value >> 33).expect("31 bits fit a usize") % n
    }
}

/// The byte offset of a random character boundary of `text` (the end included).
fn random_boundary(rng: &mut Rng, text: &str) -> usize {
    let boundaries = text.char_indices().count() + 1;
    let nth = rng.below(boundaries);
    text.char_indices().nth(nth).map_or(text.len(), |(i, _)| i)
}

/// Sends 1,000 incremental edits without waiting for anything, each computed by the test
/// against its own copy of the text, then checks that the server's copy is the same.
fn rapid_edits_end_with_the_same_text(offered: &[&str], encoding: Encoding) {
    const EDITS: i64 = 1_000;
    // ASCII, 2-byte (é, Ω), 3-byte (日本語) and 4-byte / surrogate-pair (😀) characters, and
    // line breaks, so that line and column arithmetic in both encodings is exercised.
    const SNIPPETS: &[&str] = &[
        "x",
        "é",
        "😀",
        "日本語",
        "\n",
        "local a = Agent.create{}\n",
        "ab😀cd",
        "Ω\n😀",
        "",
    ];

    let (mut server, result) = started(Some(offered));
    let expected_encoding = match encoding {
        Encoding::Utf8 => "utf-8",
        Encoding::Utf16 => "utf-16",
    };
    assert_eq!(
        result["capabilities"]["positionEncoding"],
        expected_encoding
    );

    let mut text = String::from("-- é 😀\nlocal agent = nil\n");
    open(&mut server, &text);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for version in 2..EDITS + 2 {
        let start = random_boundary(&mut rng, &text);
        // One edit in four also replaces up to three characters after the insertion point.
        let end = if rng.below(4) == 0 {
            let replaced: usize = text[start..]
                .chars()
                .take(rng.below(4))
                .map(char::len_utf8)
                .sum();
            start + replaced
        } else {
            start
        };
        let inserted = SNIPPETS[rng.below(SNIPPETS.len())];
        let range = json!({
            "start": lsp_position(&text, start, encoding),
            "end": lsp_position(&text, end, encoding),
        });
        text.replace_range(start..end, inserted);
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": URI, "version": version },
                "contentChanges": [{ "range": range, "text": inserted }],
            }),
        );
    }

    let (server_text, version) = document_text(&mut server);
    assert_eq!(version, EDITS + 1);
    assert!(
        server_text == text,
        "the server's text differs from the client's after {EDITS} edits\n\
         --- client ---\n{text}\n--- server ---\n{server_text}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn initialize_prefers_utf8_when_the_client_offers_it() {
    let (mut server, result) = started(Some(&["utf-16", "utf-8"]));
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-8", "{result}");
    // Incremental sync (2) with open/close notifications.
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "{result}");
    assert_eq!(
        capabilities["textDocumentSync"]["openClose"], true,
        "{result}"
    );
    // Every feature the server answers is advertised, and only those.
    assert!(capabilities.get("completionProvider").is_some(), "{result}");
    assert_eq!(
        capabilities["diagnosticProvider"]["identifier"], "llmspell",
        "{result}"
    );
    assert_eq!(capabilities["hoverProvider"], true, "{result}");
    assert_eq!(
        capabilities["signatureHelpProvider"]["triggerCharacters"],
        json!(["(", ",", "{"]),
        "{result}"
    );
    assert_eq!(capabilities["definitionProvider"], true, "{result}");
    assert_eq!(capabilities["documentSymbolProvider"], true, "{result}");
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"]),
        "{result}"
    );
    assert_eq!(
        capabilities["executeCommandProvider"]["commands"],
        json!(["llmspell.runScript", "llmspell.cancelRun"]),
        "{result}"
    );
    assert_eq!(
        capabilities["codeLensProvider"]["resolveProvider"], false,
        "{result}"
    );
    assert!(capabilities.get("referencesProvider").is_none(), "{result}");
    assert_eq!(result["serverInfo"]["name"], "llmspell", "{result}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn initialize_falls_back_to_utf16() {
    for offered in [
        None,
        Some(&["utf-16"][..]),
        Some(&["utf-32"][..]),
        Some(&[][..]),
    ] {
        let (mut server, result) = started(offered);
        assert_eq!(
            result["capabilities"]["positionEncoding"], "utf-16",
            "offered {offered:?}: {result}"
        );
        assert_eq!(server.shutdown_and_exit(), Some(0));
    }
}

#[test]
fn a_thousand_rapid_edits_in_utf16_end_with_the_clients_text() {
    rapid_edits_end_with_the_same_text(&["utf-16"], Encoding::Utf16);
}

#[test]
fn a_thousand_rapid_edits_in_utf8_end_with_the_clients_text() {
    rapid_edits_end_with_the_same_text(&["utf-8", "utf-16"], Encoding::Utf8);
}

#[test]
fn out_of_range_and_malformed_edits_do_not_crash_the_server() {
    let (mut server, _) = started(None);
    open(&mut server, "ab\né😀z");
    let edit = |version: i64, range: Value, text: &str| {
        json!({
            "textDocument": { "uri": URI, "version": version },
            "contentChanges": [{ "range": range, "text": text }],
        })
    };
    let at = |line: u64, character: u64| json!({ "line": line, "character": character });
    let max = u64::from(u32::MAX);
    let edits = [
        // A column past the end of line 0: the end of that line.
        edit(2, json!({ "start": at(0, 99), "end": at(0, 99) }), "1"),
        // A line past the end: the end of the text.
        edit(3, json!({ "start": at(50, 0), "end": at(max, max) }), "2"),
        // Between the halves of 😀's surrogate pair (line 1 is "é😀z2"): the start of 😀.
        edit(4, json!({ "start": at(1, 2), "end": at(1, 2) }), "3"),
        // An inverted range, (1, 0) to (0, 1): the text between its ends ("b1\n") is replaced.
        edit(5, json!({ "start": at(1, 0), "end": at(0, 1) }), "4"),
    ];
    for params in edits {
        server.notify("textDocument/didChange", params);
    }
    // Malformed notifications: positions that are not u32, a missing range end, no params,
    // an unknown document. Each must be dropped without harm.
    server.notify(
        "textDocument/didChange",
        edit(
            6,
            json!({ "start": at(0, 0), "end": { "line": -1, "character": 1e20 } }),
            "X",
        ),
    );
    server.notify(
        "textDocument/didChange",
        edit(6, json!({ "start": at(0, 0) }), "X"),
    );
    server.notify("textDocument/didChange", Value::Null);
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": "file:///never/opened.lua", "version": 2 },
            "contentChanges": [{ "text": "X" }],
        }),
    );

    // "ab\né😀z" -> "ab1\né😀z" -> "ab1\né😀z2" -> "ab1\né3😀z2" -> "a4é3😀z2"
    assert_eq!(document_text(&mut server), ("a4é3😀z2".to_owned(), 5));

    // A full-text change still works after all that.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 9 },
            "contentChanges": [{ "text": "fresh" }],
        }),
    );
    assert_eq!(document_text(&mut server), ("fresh".to_owned(), 9));

    // Asking for a document that is not open is an error response, not a crash.
    let response = server.call(
        "llmspell/documentText",
        json!({ "uri": "file:///never/opened.lua" }),
    );
    assert_eq!(error_code(&response), Some(INVALID_PARAMS), "{response}");
    let response = server.call("llmspell/documentText", json!({}));
    assert_eq!(error_code(&response), Some(INVALID_PARAMS), "{response}");

    // Closing forgets the document.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    let response = server.call("llmspell/documentText", json!({ "uri": URI }));
    assert_eq!(error_code(&response), Some(INVALID_PARAMS), "{response}");

    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_panicking_handler_answers_with_an_error_and_the_server_keeps_serving() {
    let mut server = LspProcess::start(Start {
        test_hooks: true,
        stdio_flag: false,
    });
    server.initialize(Some(&["utf-16"]));
    open(&mut server, "local x = 1\n");

    let response = server.call("llmspell/debugPanic", Value::Null);
    assert_eq!(error_code(&response), Some(INTERNAL_ERROR), "{response}");
    let message = response["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("llmspell/debugPanic"), "{response}");

    // Still serving, with its documents intact and still editable.
    assert_eq!(document_text(&mut server), ("local x = 1\n".to_owned(), 1));
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": URI, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 10 },
                           "end": { "line": 0, "character": 11 } },
                "text": "2",
            }],
        }),
    );
    assert_eq!(document_text(&mut server), ("local x = 2\n".to_owned(), 2));

    // A second panic is handled the same way.
    let response = server.call("llmspell/debugPanic", Value::Null);
    assert_eq!(error_code(&response), Some(INTERNAL_ERROR), "{response}");

    assert_eq!(server.shutdown_and_exit(), Some(0));
    let stderr = server.finish_stderr();
    assert!(
        stderr.contains("debugPanic"),
        "the panic is logged on stderr: {stderr}"
    );
}

#[test]
fn the_panic_hook_is_an_unknown_method_without_the_environment_variable() {
    let (mut server, _) = started(None);
    let response = server.call("llmspell/debugPanic", Value::Null);
    assert_eq!(error_code(&response), Some(METHOD_NOT_FOUND), "{response}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn shutdown_then_exit_ends_with_code_0_even_with_stdin_open() {
    // `--stdio` is what vscode-languageclient passes; it must be accepted.
    let mut server = LspProcess::start(Start {
        test_hooks: false,
        stdio_flag: true,
    });
    server.initialize(None);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn exit_without_shutdown_ends_with_code_1() {
    let (mut server, _) = started(None);
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_for_exit(), Some(1));
}
