//! Hostile documents through the real `llmspell lsp` over stdio: 10,000 nested parentheses and
//! `if`s, a 10 MB script, random bytes, a file with invalid UTF-8 on disk, and positions past
//! the end of every one of them.
//!
//! What must hold (issue 5): every request gets a response (a result or an error; the client's
//! read timeout turns a hang into a failure), the server is still serving afterwards (a request
//! on a small document answers correctly) and `shutdown` + `exit` ends it with code 0. The
//! answers themselves are not checked here: the feature suites do that on sensible input.

mod lsp_client;

use lsp_client::{LspProcess, Start};
use serde_json::json;

/// Nesting depth of the deep documents: 50 times the analysis' nesting cap, far past what the
/// parser's stack would survive without it.
const DEPTH: usize = 10_000;

/// The LSP position type's largest value (`uinteger`, 2^31 - 1).
const MAX_UINTEGER: u64 = i32::MAX as u64;

fn started() -> LspProcess {
    let mut server = LspProcess::start(Start::default());
    server.initialize(Some(&["utf-16"]));
    server
}

fn open(server: &mut LspProcess, uri: &str, language: &str, text: &str) {
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
    );
}

/// Positions worth asking at in `text`: the start, somewhere on the first line, the middle and
/// last lines, the end, and positions past the end in each direction.
fn positions(text: &str) -> Vec<(u64, u64)> {
    let lines = text.lines().count() as u64;
    vec![
        (0, 0),
        (0, 7),
        (lines / 2, 3),
        (lines.saturating_sub(1), 0),
        (lines, 0),
        (0, 1_000_000),
        (1_000_000, 0),
        (1_000_000, 1_000_000),
        (MAX_UINTEGER, MAX_UINTEGER),
    ]
}

/// Sends completion, hover and signature help at every position and a diagnostics pull, all at
/// once (as an editor does while typing), then checks that each one was answered.
fn ask_everything(server: &mut LspProcess, uri: &str, at: &[(u64, u64)]) {
    let mut asked = Vec::new();
    for &(line, character) in at {
        let params = json!({ "textDocument": { "uri": uri },
                             "position": { "line": line, "character": character } });
        for method in [
            "textDocument/completion",
            "textDocument/hover",
            "textDocument/signatureHelp",
        ] {
            asked.push((
                method,
                line,
                character,
                server.request(method, Some(params.clone())),
            ));
        }
    }
    let pull = server.request(
        "textDocument/diagnostic",
        Some(json!({ "textDocument": { "uri": uri } })),
    );
    asked.push(("textDocument/diagnostic", 0, 0, pull));
    for (method, line, character, id) in asked {
        let response = server.response(id);
        assert!(
            response.get("result").is_some() || response.get("error").is_some(),
            "{method} at {line}:{character} of {uri}: neither result nor error: {response}"
        );
    }
}

/// The server still answers correctly: completion after `Agent.` on a small new document, and
/// the server's copy of that document.
fn assert_still_serving(server: &mut LspProcess) {
    let uri = "file:///work/after.lua";
    open(server, uri, "lua", "Agent.");
    let completion = server.call(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 6 } }),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    assert!(labels.contains(&"create"), "{completion}");
    let text = server.call("llmspell/documentText", json!({ "uri": uri }));
    assert_eq!(text["result"]["text"], "Agent.", "{text}");
}

/// Opens `text`, asks everything everywhere, checks the server survived, and shuts it down.
fn survives(language: &str, uri: &str, text: &str) {
    let mut server = started();
    open(&mut server, uri, language, text);
    ask_everything(&mut server, uri, &positions(text));
    assert_still_serving(&mut server);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Bytes from a fixed-seed xorshift64: the same "random" input on every run, so a failure
/// reproduces.
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn ten_thousand_nested_parentheses() {
    let closed = format!("local x = {}1{}\n", "(".repeat(DEPTH), ")".repeat(DEPTH));
    survives("lua", "file:///work/parens.lua", &closed);
    // Unclosed, and inside a call: the cursor features walk out through the open brackets.
    let open = format!("print(Agent.create{}", "(".repeat(DEPTH));
    survives("lua", "file:///work/parens-open.lua", &open);
    // The JavaScript analysis gets the same input (whatever it does with it, it must answer).
    let js = format!("const x = {}1{};\n", "(".repeat(DEPTH), ")".repeat(DEPTH));
    survives("javascript", "file:///work/parens.js", &js);
}

#[test]
fn ten_thousand_nested_ifs() {
    let text = format!(
        "{}Agent.create{{}}\n{}",
        "if x then\n".repeat(DEPTH),
        "end\n".repeat(DEPTH)
    );
    survives("lua", "file:///work/ifs.lua", &text);
    let js = format!(
        "{}x();\n{}",
        "if (x) {\n".repeat(DEPTH),
        "}\n".repeat(DEPTH)
    );
    survives("javascript", "file:///work/ifs.js", &js);
}

#[test]
fn random_bytes_as_a_document() {
    // LSP carries text as JSON strings, which are UTF-8: random bytes reach a server as their
    // lossy decoding, replacement characters included.
    for seed in [1, 2, 3] {
        let text = String::from_utf8_lossy(&random_bytes(seed, 64 * 1024)).into_owned();
        survives("lua", &format!("file:///work/random{seed}.lua"), &text);
        survives(
            "javascript",
            &format!("file:///work/random{seed}.js"),
            &text,
        );
    }
}

#[test]
fn invalid_utf8_on_disk() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("broken.lua");
    let mut bytes =
        b"local a = Agent.create{ model = \"mock/echo\" }\n-- \xff\xfe\xc0 here\n".to_vec();
    bytes.extend_from_slice(b"a:execute(\"\xe2\x82\"):\x80\xbf\nprint(\xf0\x9f\x98)\n");
    std::fs::write(&path, &bytes).expect("writing the file");
    // What an editor opens: the file's bytes decoded with replacement characters.
    let text =
        String::from_utf8_lossy(&std::fs::read(&path).expect("reading the file")).into_owned();
    assert!(text.contains('\u{fffd}'));
    survives("lua", &format!("file://{}", path.display()), &text);
}

/// Lines of valid API code: an agent, a call, a tool, their results. Every block declares its
/// own locals, as a long generated script would.
fn api_script(bytes: usize) -> String {
    let block = "local a = Agent.create{ name = \"writer\", model = \"mock/echo\", temperature = 0.5 }\n\
                 local r = a:execute(\"What is 17 * 23?\")\n\
                 print(r.text, r.usage.input_tokens)\n\
                 local t = Tool.get(\"calculator\")\n\
                 print(t:execute{ expression = \"2^10\" }.result)\n";
    block.repeat(bytes / block.len() + 1)
}

/// A large script, every request at every position: 900 KB, just under the size past which
/// Lua is not parsed (`lua::MAX_PARSED_BYTES`), so the whole analysis runs on it. The document
/// is parsed once and every request shares that parse.
#[test]
fn large_script() {
    let text = api_script(900 * 1024);
    assert!(text.len() < llmspell_server::analysis::lua::MAX_PARSED_BYTES);
    survives("lua", "file:///work/large.lua", &text);
}

/// The 10 MB script, in both languages: every request at every position is answered,
/// and the diagnostics say why nothing else is reported (the file is larger than the parser is
/// given) instead of staying silent or taking gigabytes to parse it.
#[test]
fn ten_megabyte_script() {
    const TEN_MB: usize = 10 * 1024 * 1024;
    let lua = api_script(TEN_MB);
    let js = lua
        .replace("local ", "const ")
        .replace('{', "({")
        .replace('}', "})")
        .replace(':', ".")
        .replace("\n", ";\n");
    for (language, uri, text) in [
        ("lua", "file:///work/big.lua", lua),
        ("javascript", "file:///work/big.js", js),
    ] {
        assert!(text.len() >= TEN_MB);
        let mut server = started();
        open(&mut server, uri, language, &text);
        ask_everything(&mut server, uri, &positions(&text));
        let pulled = server.call(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        );
        let codes: Vec<&str> = pulled["result"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert_eq!(codes, ["file-too-large"], "{language}");
        assert_still_serving(&mut server);
        assert_eq!(server.shutdown_and_exit(), Some(0));
    }
}
