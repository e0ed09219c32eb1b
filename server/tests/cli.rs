//! End-to-end tests of `llmspell run`: the real binary, run in a fresh temporary folder per case,
//! checked on its exit code and its output the way a user or CI would see them. Exit codes are a
//! promise of the CLI: 0 success, 1 the script failed or hit a limit, 2 usage or configuration
//! error.
//!
//! Most cases are rows of the `CASES` table; the `--events jsonl` tests parse the protocol and
//! are written out below it.

mod common;

use std::fs;
use std::path::Path;

use common::{Outcome, run_llmspell};
use serde_json::{Value, json};

/// What a case expects on stdout or stderr.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exactly this text.
    Is(&'static str),
    /// Text containing each of these.
    Has(&'static [&'static str]),
    /// Between this many bytes (inclusive): for output that is cut short at a cap.
    Bytes(usize, usize),
}

impl Expect {
    fn check(self, stream: &str, text: &str) -> Result<(), String> {
        match self {
            Expect::Is(expected) if text != expected => {
                Err(format!("{stream} should be exactly {expected:?}"))
            }
            Expect::Has(parts) => match parts.iter().find(|part| !text.contains(*part)) {
                Some(missing) => Err(format!("{stream} should contain {missing:?}")),
                None => Ok(()),
            },
            Expect::Bytes(min, max) if !(min..=max).contains(&text.len()) => Err(format!(
                "{stream} should be {min} to {max} bytes long, is {}",
                text.len()
            )),
            _ => Ok(()),
        }
    }
}

/// One run of the binary in a fresh folder.
#[derive(Debug, Clone, Copy)]
struct Case {
    name: &'static str,
    /// Written to `script.lua`.
    script: &'static str,
    /// Written to `llmspell.toml`. Always written, even empty, so that discovery stops in the
    /// case's folder instead of picking up a stray llmspell.toml above the temporary folder.
    config: &'static str,
    /// More files to create: (path relative to the folder, contents).
    files: &'static [(&'static str, &'static str)],
    /// The command line after `llmspell`.
    argv: &'static [&'static str],
    stdin: Option<&'static str>,
    exit: i32,
    stdout: Expect,
    stderr: Expect,
}

/// A successful run of `script.lua` that prints nothing: cases change what they are about.
const RUN: Case = Case {
    name: "",
    script: "",
    config: "",
    files: &[],
    argv: &["run", "script.lua"],
    stdin: None,
    exit: 0,
    stdout: Expect::Is(""),
    stderr: Expect::Is(""),
};

const READ_NOTES: &str = r#"io.write(Tool.execute("file-read", { path = "notes.txt" }).content)"#;
const NOTES: &[(&str, &str)] = &[("notes.txt", "hello from a file\n")];

const CASES: &[Case] = &[
    // Success and script errors.
    Case {
        name: "a script that succeeds exits 0 and prints its output",
        script: "print(\"hello\", 42)\nio.write(\"no newline\")\n",
        stdout: Expect::Is("hello\t42\nno newline"),
        ..RUN
    },
    Case {
        name: "the script's return value is not printed",
        script: "return 42\n",
        ..RUN
    },
    Case {
        name: "error() exits 1 with FILE:LINE after the output so far",
        script: "print(\"before\")\nlocal x = 1\n\nerror(\"boom\")\nprint(\"after\")\n",
        exit: 1,
        stdout: Expect::Is("before\n"),
        stderr: Expect::Is("error: script.lua:4: boom\n"),
        ..RUN
    },
    Case {
        name: "a runtime error names its line",
        script: "local t = nil\nlocal function f()\n  return t.field\nend\nf()\n",
        exit: 1,
        stderr: Expect::Has(&["error: script.lua:3: ", "attempt to index a nil value"]),
        ..RUN
    },
    Case {
        name: "a syntax error exits 1 and names its line",
        script: "print(\"unclosed\"\n",
        exit: 1,
        stderr: Expect::Has(&["error: script.lua:2: ", "')' expected"]),
        ..RUN
    },
    Case {
        name: "an API error names the call and suggests a fix",
        script: "\nTool.get(\"calculater\")\n",
        exit: 1,
        stderr: Expect::Is(
            "error: script.lua:2: Tool.get: unknown tool 'calculater' (did you mean 'calculator'?)\n",
        ),
        ..RUN
    },
    Case {
        name: "the sandbox refuses to run programs",
        script: "os.execute(\"true\")\n",
        exit: 1,
        stderr: Expect::Has(&[
            "script.lua:1: ",
            "os.execute is not available in the llmspell sandbox",
        ]),
        ..RUN
    },
    // Limits: each stops the run with exit 1 and names the limit and the key that sets it.
    Case {
        name: "an endless loop stops at the time limit",
        script: "while true do end\n",
        config: "[run]\ntimeout_ms = 300\n",
        exit: 1,
        stderr: Expect::Has(&["time limit", "timeout_ms"]),
        ..RUN
    },
    Case {
        name: "a growing string stops at the memory limit",
        script: "local s = \"x\" while true do s = s .. s end\n",
        config: "[run]\nmemory_mb = 16\n",
        exit: 1,
        stderr: Expect::Has(&["memory limit", "memory_mb"]),
        ..RUN
    },
    Case {
        name: "printing too much stops at the output limit",
        script: "for i = 1, 100000 do print(string.rep(\"x\", 40)) end\n",
        config: "[run]\nmax_output_bytes = 1000\n",
        exit: 1,
        // Output up to the cap is shown; 41-byte lines fill at least 959 of its 1000 bytes.
        stdout: Expect::Bytes(959, 1000),
        stderr: Expect::Has(&["output limit", "max_output_bytes"]),
        ..RUN
    },
    // Usage and configuration errors exit 2, before the script runs.
    Case {
        name: "a missing script file exits 2",
        argv: &["run", "missing.lua"],
        exit: 2,
        stderr: Expect::Has(&["error: missing.lua"]),
        ..RUN
    },
    Case {
        name: "an unknown extension exits 2",
        files: &[("script.py", "print('hi')\n")],
        argv: &["run", "script.py"],
        exit: 2,
        stderr: Expect::Has(&["'.py'", ".lua"]),
        ..RUN
    },
    Case {
        name: "an unknown key in llmspell.toml exits 2 naming its line",
        script: "print(\"ran\")\n",
        config: "default_model = \"mock/echo\"\n\n[run]\ntimeout_ms = 5000\nmemroy_mb = 3\n",
        exit: 2,
        stderr: Expect::Has(&[
            "llmspell.toml:5: ",
            "unknown field `memroy_mb`",
            "memory_mb",
        ]),
        ..RUN
    },
    Case {
        name: "a wrongly typed value in llmspell.toml exits 2 naming its line",
        script: "print(\"ran\")\n",
        config: "# limits\n[run]\ntimeout_ms = \"fast\"\n",
        exit: 2,
        stderr: Expect::Has(&["llmspell.toml:3: "]),
        ..RUN
    },
    Case {
        name: "an unknown subcommand exits 2",
        argv: &["frobnicate"],
        exit: 2,
        stderr: Expect::Has(&["unrecognized subcommand 'frobnicate'"]),
        ..RUN
    },
    Case {
        name: "an unknown flag exits 2",
        argv: &["run", "--bogus", "script.lua"],
        exit: 2,
        stderr: Expect::Has(&["unexpected argument '--bogus'"]),
        ..RUN
    },
    Case {
        name: "an unknown --events format exits 2",
        argv: &["run", "--events", "xml", "script.lua"],
        exit: 2,
        stderr: Expect::Has(&["'xml'", "human", "jsonl"]),
        ..RUN
    },
    Case {
        name: "no subcommand exits 2 with the usage",
        argv: &[],
        exit: 2,
        stderr: Expect::Has(&["Usage: llmspell <COMMAND>", "run"]),
        ..RUN
    },
    Case {
        name: "--help exits 0 and lists run",
        argv: &["--help"],
        stdout: Expect::Has(&["Usage: llmspell <COMMAND>", "run"]),
        ..RUN
    },
    // --stdin: the text comes from standard input, the name from the command line.
    Case {
        name: "--stdin runs the piped text under the given name",
        argv: &["run", "--stdin", "virtual.lua"],
        stdin: Some("print(\"from stdin\")\nerror(\"late\")\n"),
        exit: 1,
        stdout: Expect::Is("from stdin\n"),
        stderr: Expect::Is("error: virtual.lua:2: late\n"),
        ..RUN
    },
    Case {
        name: "--stdin wins over the file of the same name",
        script: "print(\"from the file\")\n",
        argv: &["run", "--stdin", "script.lua"],
        stdin: Some("print(\"from stdin\")\n"),
        stdout: Expect::Is("from stdin\n"),
        ..RUN
    },
    // ARGS.
    Case {
        name: "ARGS holds the arguments after --",
        script: "print(#ARGS)\nfor _, a in ipairs(ARGS) do print(a) end\n",
        argv: &["run", "script.lua", "--", "one", "two words", "--flag"],
        stdout: Expect::Is("3\none\ntwo words\n--flag\n"),
        ..RUN
    },
    Case {
        name: "ARGS is empty without arguments",
        script: "print(#ARGS, type(ARGS))\n",
        stdout: Expect::Is("0\ttable\n"),
        ..RUN
    },
    // Configuration: discovery, --config, providers.
    Case {
        name: "llmspell.toml is found in a folder above the script",
        script: "",
        config: "default_model = \"mock/echo\"\n",
        files: &[(
            "deep/er/nested.lua",
            "print(Agent.create{}:execute(\"found\").text)\n",
        )],
        argv: &["run", "deep/er/nested.lua"],
        stdout: Expect::Is("found\n"),
        ..RUN
    },
    Case {
        name: "without a default_model an agent needs a model",
        script: "Agent.create{}\n",
        exit: 1,
        stderr: Expect::Has(&["Agent.create: field 'model' is required"]),
        ..RUN
    },
    Case {
        name: "--config names the llmspell.toml to use",
        script: "print(Agent.create{}:execute(\"configured\").text)\n",
        files: &[("other.toml", "default_model = \"mock/echo\"\n")],
        argv: &["run", "--config", "other.toml", "script.lua"],
        stdout: Expect::Is("configured\n"),
        ..RUN
    },
    Case {
        name: "a scripted mock provider plays its replies in order and wraps",
        script: "local a = Agent.create{ model = \"canned/any\" }\n\
                 for _ = 1, 3 do print(a:execute(\"ignored\").text) end\n",
        config: "[providers.canned]\nkind = \"mock\"\nreplies = [\"first\", \"second\"]\n",
        stdout: Expect::Is("first\nsecond\nfirst\n"),
        ..RUN
    },
    // File and network permissions.
    Case {
        name: "file-read refuses when allow_files is off",
        script: READ_NOTES,
        files: NOTES,
        exit: 1,
        stderr: Expect::Has(&["file-read", "file access is off", "allow_files = true"]),
        ..RUN
    },
    Case {
        name: "file-read reads a workspace file when allow_files is on",
        script: READ_NOTES,
        config: "[run]\nallow_files = true\n",
        files: NOTES,
        stdout: Expect::Is("hello from a file\n"),
        ..RUN
    },
    Case {
        name: "file-read refuses ../ paths out of the workspace even when allowed",
        script: "print(Tool.execute(\"file-read\", { path = \"../../etc/passwd\" }).content)\n",
        config: "[run]\nallow_files = true\n",
        exit: 1,
        stderr: Expect::Has(&["'../../etc/passwd'", "outside the workspace"]),
        ..RUN
    },
    Case {
        name: "file-read refuses absolute paths out of the workspace even when allowed",
        script: "print(Tool.execute(\"file-read\", { path = \"/etc/passwd\" }).content)\n",
        config: "[run]\nallow_files = true\n",
        exit: 1,
        stderr: Expect::Has(&["outside the workspace"]),
        ..RUN
    },
    Case {
        name: "http-request refuses when allow_network is off",
        script: "Tool.execute(\"http-request\", { url = \"http://127.0.0.1:9/\" })\n",
        exit: 1,
        stderr: Expect::Has(&[
            "http-request",
            "network access is off",
            "allow_network = true",
        ]),
        ..RUN
    },
];

/// Creates the case's folder, runs it, and returns the folder (kept alive) with the outcome.
fn run_case(case: &Case) -> (tempfile::TempDir, Outcome) {
    let dir = tempfile::tempdir().expect("creating a temporary folder for the case");
    write(dir.path(), "script.lua", case.script);
    write(dir.path(), "llmspell.toml", case.config);
    for (path, text) in case.files {
        write(dir.path(), path, text);
    }
    let outcome = run_llmspell(dir.path(), case.argv, case.stdin);
    (dir, outcome)
}

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
    }
    fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn check_case(case: &Case) -> Result<(), String> {
    let (_dir, outcome) = run_case(case);
    let mut problems = Vec::new();
    if outcome.code != Some(case.exit) {
        problems.push(format!("exit code should be {}", case.exit));
    }
    problems.extend(case.stdout.check("stdout", &outcome.stdout).err());
    problems.extend(case.stderr.check("stderr", &outcome.stderr).err());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n  llmspell {:?}\n  {}\n{}",
            case.name,
            case.argv,
            problems.join("\n  "),
            outcome.describe()
        ))
    }
}

#[test]
fn cli_cases() {
    // Cases run on threads: most take a few milliseconds, but the limit cases wait for their
    // limits, and there is no reason to wait for them one after another.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = CASES
            .iter()
            .map(|case| scope.spawn(move || check_case(case)))
            .collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().expect("a case thread panicked").err())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn case_names_are_unique() {
    let mut names: Vec<&str> = CASES.iter().map(|case| case.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(
        names.len(),
        before,
        "two cases share a name, so a failure would be ambiguous"
    );
}

#[test]
fn version_prints_the_crate_version() {
    let (_dir, outcome) = run_case(&Case {
        argv: &["--version"],
        ..RUN
    });
    assert_eq!(outcome.code, Some(0), "{}", outcome.describe());
    assert_eq!(
        outcome.stdout,
        format!("llmspell {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// --- `--events jsonl` -------------------------------------------------------------------------

/// Runs `script` with `--events jsonl` and returns the exit code and the parsed events, checking
/// on the way that every stdout line is a JSON object with a `type` and that stderr is empty
/// (in this mode everything, errors included, travels as events).
fn run_jsonl(script: &'static str, config: &'static str) -> (Option<i32>, Vec<Value>) {
    let case = Case {
        script,
        config,
        argv: &["run", "--events", "jsonl", "script.lua"],
        ..RUN
    };
    let (_dir, outcome) = run_case(&case);
    assert_eq!(
        outcome.stderr,
        "",
        "stderr must stay empty with --events jsonl\n{}",
        outcome.describe()
    );
    let events: Vec<Value> = outcome
        .stdout
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "stdout line is not JSON ({e}): {line:?}\n{}",
                    outcome.describe()
                )
            });
            assert!(event["type"].is_string(), "event without a type: {line}");
            event
        })
        .collect();
    assert!(!events.is_empty(), "no events\n{}", outcome.describe());
    (outcome.code, events)
}

fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events
        .iter()
        .filter(|event| event["type"] == kind)
        .collect()
}

fn assert_starts_and_finishes(events: &[Value], exit_code: i32) {
    let first = events.first().expect("at least one event");
    assert_eq!(
        first,
        &json!({ "type": "started", "engine": "lua", "file": "script.lua" })
    );
    let last = events.last().expect("at least one event");
    assert_eq!(last["type"], "finished", "the last event: {last}");
    assert_eq!(last["exit_code"], exit_code, "the last event: {last}");
    assert!(last["duration_ms"].is_u64(), "the last event: {last}");
    assert_eq!(
        of_type(events, "started").len(),
        1,
        "exactly one started event"
    );
    assert_eq!(
        of_type(events, "finished").len(),
        1,
        "exactly one finished event"
    );
}

#[test]
fn jsonl_reports_output_tokens_tool_calls_steps_and_the_result() {
    let script = r#"
print("hello")
warn("careful")
local teller = Agent.create{ model = "mock/echo", name = "teller" }
for chunk in teller:stream("once upon a time") do end
Tool.execute("calculator", { expression = "6 * 7" })
Workflow.sequential{ name = "pipe", steps = {
  { name = "first", run = function() return 1 end },
  { name = "second", run = function(ctx) return ctx.prev + 1 end },
}}:execute()
return { answer = 42 }
"#;
    let (code, events) = run_jsonl(script, "");
    assert_eq!(code, Some(0), "{events:#?}");
    assert_starts_and_finishes(&events, 0);

    assert_eq!(
        of_type(&events, "stdout"),
        [&json!({ "type": "stdout", "text": "hello\n" })]
    );
    assert_eq!(
        of_type(&events, "stderr"),
        [&json!({ "type": "stderr", "text": "Lua warning: careful\n" })]
    );

    // A stream is reported chunk by chunk, each chunk naming its agent.
    let tokens = of_type(&events, "token");
    assert!(
        tokens.len() >= 2,
        "a streamed answer arrives in several tokens: {tokens:?}"
    );
    assert!(tokens.iter().all(|t| t["agent"] == "teller"), "{tokens:?}");
    let streamed: String = tokens.iter().filter_map(|t| t["text"].as_str()).collect();
    assert_eq!(streamed, "once upon a time");

    assert_eq!(
        of_type(&events, "tool_call"),
        [&json!({
            "type": "tool_call",
            "tool": "calculator",
            "params": { "expression": "6 * 7" },
            "result": { "result": 42 },
        })]
    );

    // Each step is reported when it starts and when it ends, with its output.
    let steps: Vec<(String, String, Value)> = of_type(&events, "step")
        .iter()
        .map(|s| {
            assert_eq!(s["workflow"], "pipe", "{s}");
            (
                s["step"].to_string(),
                s["status"].to_string(),
                s["output"].clone(),
            )
        })
        .collect();
    let step = |name: &str, status: &str, output: Value| {
        (format!("{name:?}"), format!("{status:?}"), output)
    };
    assert_eq!(
        steps,
        [
            step("first", "running", Value::Null),
            step("first", "ok", json!(1)),
            step("second", "running", Value::Null),
            step("second", "ok", json!(2)),
        ]
    );

    assert_eq!(
        of_type(&events, "result"),
        [&json!({ "type": "result", "value": { "answer": 42 } })]
    );
    assert!(of_type(&events, "error").is_empty(), "{events:#?}");
}

#[test]
fn jsonl_reports_a_script_error_with_its_line() {
    let (code, events) = run_jsonl("print(\"before\")\nerror(\"boom\")\n", "");
    assert_eq!(code, Some(1));
    assert_starts_and_finishes(&events, 1);
    let errors = of_type(&events, "error");
    assert_eq!(errors.len(), 1, "{events:#?}");
    assert_eq!(errors[0]["file"], "script.lua");
    assert_eq!(errors[0]["line"], 2);
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("boom")),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].get("limit").is_none(),
        "a script error is no limit: {}",
        errors[0]
    );
    // The output before the error is still reported, and before it.
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(types, ["started", "stdout", "error", "finished"]);
}

#[test]
fn jsonl_names_the_limit_a_script_hit() {
    let (code, events) = run_jsonl("while true do end\n", "[run]\ntimeout_ms = 300\n");
    assert_eq!(code, Some(1));
    assert_starts_and_finishes(&events, 1);
    let errors = of_type(&events, "error");
    assert_eq!(errors.len(), 1, "{events:#?}");
    assert_eq!(errors[0]["limit"], "time", "{}", errors[0]);
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("timeout_ms")),
        "{}",
        errors[0]
    );
}

#[test]
fn jsonl_reports_setup_errors_as_events_with_exit_code_2() {
    // The run never starts, so there is no `started` event; the error and `finished` still come
    // as JSON, so an editor reading the stream learns why.
    let (code, events) = run_jsonl("", "[run]\nbogus = 1\n");
    assert_eq!(code, Some(2));
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(types, ["error", "finished"], "{events:#?}");
    assert!(
        events[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("llmspell.toml:2: ")),
        "{}",
        events[0]
    );
    assert_eq!(events[1]["exit_code"], 2);
}
