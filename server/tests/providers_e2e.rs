//! Real providers end to end: the `llmspell` binary runs scripts against a fake OpenAI-compatible
//! or Anthropic server on 127.0.0.1, with the API key in an environment variable, exactly as a
//! user would. Covers the tool-calling example, exit codes of provider failures, and that the
//! key never appears in anything the binary prints.

mod common;

use std::path::Path;

use common::{Outcome, run_llmspell_with_env};
use llmspell_testkit::{FakeServer, Reply, anthropic, openai};
use serde_json::json;

/// A key that would be recognisable anywhere in the output, and whose tail a provider's "masked"
/// message might quote.
const KEY: &str = "sk-test-llmspell-0123456789abcdef";
const KEY_ENV: &str = "LLMSPELL_E2E_KEY";

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Writes an llmspell.toml with one provider pointing at `server`, and returns its folder.
fn workspace(server: &FakeServer, kind: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let base_url = match kind {
        "openai" => server.url("/v1"),
        _ => server.base_url(),
    };
    let config = format!(
        "default_model = \"fake/test-model\"\n\
         [providers.fake]\nkind = \"{kind}\"\nbase_url = \"{base_url}\"\napi_key_env = \"{KEY_ENV}\"\n\
         max_retries = 1\nread_timeout_ms = 2000\n\
         [run]\ntimeout_ms = 20000\n"
    );
    std::fs::write(dir.path().join("llmspell.toml"), config).expect("config");
    dir
}

fn run(dir: &Path, argv: &[&str]) -> Outcome {
    run_llmspell_with_env(dir, argv, None, &[(KEY_ENV, KEY)])
}

fn assert_no_key(outcome: &Outcome) {
    for (name, text) in [("stdout", &outcome.stdout), ("stderr", &outcome.stderr)] {
        assert!(
            !text.contains(KEY),
            "the API key leaked into {name}:\n{}",
            outcome.describe()
        );
    }
}

#[test]
fn the_tool_calling_example_runs_against_a_loopback_openai_server() {
    let server = FakeServer::start();
    server
        .reply(
            "POST",
            "/v1/chat/completions",
            Reply::json(
                200,
                openai::tool_calls_completion(
                    &[("call_1", "calculator", r#"{"expression":"17 * 23"}"#)],
                    40,
                    12,
                ),
            ),
        )
        .reply(
            "POST",
            "/v1/chat/completions",
            Reply::json(200, openai::completion("17 * 23 = 391.", 60, 8)),
        );
    let dir = workspace(&server, "openai");
    let config = dir.path().join("llmspell.toml");
    let example = repo_root().join("examples/agent_tools.lua");
    let outcome = run(
        repo_root(),
        &[
            "run",
            example.to_str().expect("path"),
            "--config",
            config.to_str().expect("path"),
            "--model",
            "fake/test-model",
        ],
    );
    assert_eq!(outcome.code, Some(0), "{}", outcome.describe());
    assert_eq!(
        outcome.stdout,
        "answer: 17 * 23 = 391.\ntool call 1: calculator -> 391\nfinish reason: stop\n"
    );
    assert_no_key(&outcome);

    let requests = server.requests_for("POST", "/v1/chat/completions");
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    let offered: Vec<String> = requests[0].json()["tools"]
        .as_array()
        .expect("tools offered")
        .iter()
        .map(|t| {
            t["function"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(offered, ["calculator", "word_count"]);
    let follow_up = requests[1].json();
    let tool_message = &follow_up["messages"][3];
    assert_eq!(
        (
            tool_message["role"].as_str(),
            tool_message["tool_call_id"].as_str()
        ),
        (Some("tool"), Some("call_1"))
    );
    assert_eq!(tool_message["content"], json!("{\"result\":391}"));
}

#[test]
fn events_report_the_tool_call_with_its_agent() {
    let server = FakeServer::start();
    server
        .reply(
            "POST",
            "/v1/messages",
            Reply::sse(anthropic::stream_tool_use(
                &[("toolu_1", "calculator", json!({"expression": "2^10"}))],
                None,
                30,
                9,
            )),
        )
        .reply(
            "POST",
            "/v1/messages",
            Reply::sse(anthropic::stream(&["It is ", "1024."], "end_turn", 50, 4)),
        );
    let dir = workspace(&server, "anthropic");
    std::fs::write(
        dir.path().join("calc.lua"),
        "local a = Agent.create{ name = \"calc\", tools = { \"calculator\" } }\nfor chunk in a:stream(\"2^10?\") do io.write(chunk) end\nprint()\n",
    )
    .expect("script");
    let outcome = run(dir.path(), &["run", "calc.lua", "--events", "jsonl"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.describe());
    assert_no_key(&outcome);
    let events: Vec<serde_json::Value> = outcome
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON event"))
        .collect();
    let tool_call = events
        .iter()
        .find(|e| e["type"] == "tool_call")
        .expect("a tool_call event");
    assert_eq!(tool_call["agent"], "calc");
    assert_eq!(tool_call["tool"], "calculator");
    assert_eq!(tool_call["result"], json!({"result": 1024}));
    let tokens: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "token")
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert_eq!(tokens, ["It is ", "1024."]);
    assert_eq!(server.requests()[0].header("x-api-key"), Some(KEY));
}

/// Each case: what the fake server answers, and what stderr must say. All must exit with 1.
#[test]
fn provider_failures_are_script_errors_that_name_the_provider_and_never_show_the_key() {
    let quoting_the_key = format!(
        "Incorrect API key provided: {}********{}",
        &KEY[..7],
        &KEY[KEY.len() - 6..]
    );
    let cases: Vec<(&str, Vec<Reply>, String)> = vec![
        (
            "openai",
            vec![Reply::json(401, openai::error(401, &quoting_the_key))],
            "fake: HTTP 401 Unauthorized".into(),
        ),
        (
            "openai",
            vec![Reply::json(401, openai::error(401, "bad key"))],
            format!("(check the API key in {KEY_ENV})"),
        ),
        (
            "openai",
            vec![Reply::json(
                404,
                openai::error(404, "The model `test-model` does not exist"),
            )],
            "does not exist".into(),
        ),
        (
            "openai",
            vec![
                Reply::json(500, openai::error(500, "boom")),
                Reply::json(500, openai::error(500, "boom")),
            ],
            "gave up after 1 retry".into(),
        ),
        (
            "openai",
            vec![Reply::text(200, "{not json")],
            "malformed JSON".into(),
        ),
        (
            "anthropic",
            vec![Reply::json(
                401,
                anthropic::error("authentication_error", &format!("invalid x-api-key {KEY}")),
            )],
            "fake: HTTP 401 Unauthorized".into(),
        ),
        (
            "anthropic",
            vec![
                Reply::sse(anthropic::stream(&["cut", " here"], "end_turn", 5, 5))
                    .truncate_after_events(4),
            ],
            "fake:".into(),
        ),
    ];
    for (kind, replies, expected) in cases {
        let server = FakeServer::start();
        let path = if kind == "openai" {
            "/v1/chat/completions"
        } else {
            "/v1/messages"
        };
        for reply in replies {
            server.reply("POST", path, reply);
        }
        let dir = workspace(&server, kind);
        std::fs::write(
            dir.path().join("fail.lua"),
            "print(Agent.create{}:execute(\"hi\").text)\n",
        )
        .expect("script");
        let outcome = run(dir.path(), &["run", "fail.lua"]);
        assert_eq!(outcome.code, Some(1), "{kind}: {}", outcome.describe());
        assert!(
            outcome.stderr.contains(&expected),
            "{kind}: expected {expected:?} in stderr:\n{}",
            outcome.describe()
        );
        assert!(
            outcome
                .stderr
                .starts_with("error: fail.lua:1: agent:execute: fake/test-model: fake:"),
            "{}",
            outcome.describe()
        );
        assert_no_key(&outcome);
        let jsonl = run(dir.path(), &["run", "fail.lua", "--events", "jsonl"]);
        assert_no_key(&jsonl);
    }
}

#[test]
fn a_missing_key_variable_is_a_clear_error() {
    let server = FakeServer::start();
    let dir = workspace(&server, "openai");
    std::fs::write(
        dir.path().join("nokey.lua"),
        "Agent.create{}:execute(\"hi\")\n",
    )
    .expect("script");
    let outcome = run_llmspell_with_env(dir.path(), &["run", "nokey.lua"], None, &[]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.describe());
    assert!(
        outcome
            .stderr
            .contains(&format!("fake: the API key variable {KEY_ENV} is not set")),
        "{}",
        outcome.describe()
    );
    assert!(
        server.requests().is_empty(),
        "no request may be sent without the key"
    );
}
