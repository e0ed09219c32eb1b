//! The Lua sandbox and run limits of DESIGN §5: every escape is refused with an error that says
//! what was refused, and every limit stops the script with an error naming the limit.

use std::time::{Duration, Instant};

use futures::StreamExt;
use llmspell_runtime::config::{Config, LoadedConfig};
use llmspell_runtime::{ExecutionContext, RunEvent, Script, ScriptRuntime};

fn runtime_in(root: &std::path::Path, configure: impl FnOnce(&mut Config)) -> ScriptRuntime {
    let mut config = Config::default();
    configure(&mut config);
    let loaded = LoadedConfig {
        config,
        file: None,
        root: root.to_owned(),
    };
    ScriptRuntime::new_with_lua(ExecutionContext::new(loaded)).expect("Lua runtime")
}

/// Runs `source` and returns the error message it ended with (empty when it succeeded) and the
/// text it printed.
async fn run(runtime: &ScriptRuntime, source: &str) -> (String, String) {
    let outcome = runtime.run(Script::new("sandbox.lua", source)).await;
    (
        outcome.error().unwrap_or_default().to_owned(),
        outcome.stdout(),
    )
}

#[tokio::test]
async fn escapes_are_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |c| c.run.allow_files = true);
    let cases: &[(&str, &str)] = &[
        (
            "os.execute('ls')",
            "sandbox.lua:1: os.execute is not available in the llmspell sandbox: running programs",
        ),
        (
            "io.open('/etc/passwd')",
            "io.open is not available in the llmspell sandbox",
        ),
        (
            "io.popen('ls')",
            "io.popen is not available in the llmspell sandbox",
        ),
        (
            "os.exit(1)",
            "os.exit is not available in the llmspell sandbox",
        ),
        (
            "os.getenv('HOME')",
            "os.getenv is not available in the llmspell sandbox",
        ),
        (
            "require('socket.core')",
            "require is not available in the llmspell sandbox: loading modules (and native code)",
        ),
        (
            "package.loadlib('libc.so.6', 'puts')",
            "package.loadlib is not available in the llmspell sandbox",
        ),
        (
            "assert(load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n'))",
            "attempt to load a binary chunk (mode is 't')",
        ),
        (
            "load('return 1', 'x', 'b')",
            "load: binary chunks are not allowed in the llmspell sandbox",
        ),
        (
            "debug.getinfo(1)",
            "debug.getinfo is not available in the llmspell sandbox",
        ),
        (
            "debug.sethook(function() end, '', 1)",
            "debug.sethook is not available in the llmspell sandbox",
        ),
        (
            "string.dump(print)",
            "string.dump is not available in the llmspell sandbox",
        ),
        (
            "local s = 'x'; s.dump(function() end)",
            "string.dump is not available in the llmspell sandbox",
        ),
        (
            "dofile('/etc/passwd')",
            "dofile is not available in the llmspell sandbox",
        ),
        (
            "Tool.execute('file-read', { path = '../../etc/passwd' })",
            "Tool.execute: tool 'file-read': path '../../etc/passwd' is outside the workspace root",
        ),
        (
            "Tool.execute('file-read', { path = '/etc/passwd' })",
            "is outside the workspace root",
        ),
        (
            "Tool.execute('file-read', { path = 'escape/passwd' })",
            "is outside the workspace root",
        ),
        (
            "Tool.execute('http-request', { url = 'http://127.0.0.1:9/' })",
            "tool 'http-request': network access is off for this run; set `allow_network = true` under [run]",
        ),
    ];
    std::os::unix::fs::symlink("/etc", dir.path().join("escape")).expect("symlink");
    let mut failures = Vec::new();
    for (source, expected) in cases {
        let (error, _) = run(&runtime, source).await;
        if !error.contains(expected) {
            failures.push(format!(
                "{source}\n  expected: {expected}\n  got:      {error}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn file_tools_are_off_unless_allowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("note.txt"), "hello").expect("write");
    let off = runtime_in(dir.path(), |_| {});
    let (error, _) = run(&off, "Tool.execute('file-read', { path = 'note.txt' })").await;
    assert!(
        error.contains("file access is off for this run; set `allow_files = true`"),
        "{error}"
    );
    let on = runtime_in(dir.path(), |c| c.run.allow_files = true);
    let (error, out) = run(
        &on,
        "print(Tool.execute('file-read', { path = 'note.txt' }).content)",
    )
    .await;
    assert_eq!((error.as_str(), out.as_str()), ("", "hello\n"));
}

#[tokio::test]
async fn an_endless_loop_is_stopped_by_the_time_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |c| c.run.timeout_ms = 300);
    let started = Instant::now();
    let (error, _) = run(&runtime, "while true do end").await;
    assert_eq!(
        error,
        "time limit of 300 ms exceeded (limit set by [run] timeout_ms)"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn catching_the_time_limit_does_not_escape_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |c| c.run.timeout_ms = 200);
    let (error, _) = run(
        &runtime,
        "pcall(function() while true do end end)\nreturn 'escaped'",
    )
    .await;
    assert_eq!(
        error,
        "time limit of 200 ms exceeded (limit set by [run] timeout_ms)"
    );
}

#[tokio::test]
async fn a_loop_inside_a_coroutine_is_stopped_by_the_time_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |c| c.run.timeout_ms = 200);
    let (error, _) = run(
        &runtime,
        "coroutine.wrap(function() while true do end end)()",
    )
    .await;
    assert_eq!(
        error,
        "time limit of 200 ms exceeded (limit set by [run] timeout_ms)"
    );
}

#[tokio::test]
async fn a_waiting_script_is_stopped_by_the_time_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |c| c.run.timeout_ms = 200);
    let (error, _) = run(&runtime, "Tool.execute('sleep', { ms = 60000 })").await;
    assert_eq!(
        error,
        "time limit of 200 ms exceeded (limit set by [run] timeout_ms)"
    );
}

#[tokio::test]
async fn a_gigabyte_string_is_stopped_by_the_memory_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |c| c.run.memory_mb = 64);
    let source = "local s = 'x'\nfor i = 1, 30 do s = s .. s end\nprint(#s)";
    let (error, out) = run(&runtime, source).await;
    assert_eq!(
        error,
        "memory limit exceeded (limit set by [run] memory_mb)"
    );
    assert_eq!(out, "");
}

#[tokio::test]
async fn a_hundred_megabytes_of_print_are_capped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |c| c.run.max_output_bytes = 1_000_000);
    let source = "local line = string.rep('x', 99)\nfor i = 1, 1000000 do print(line) end";
    let (error, out) = run(&runtime, source).await;
    assert_eq!(
        error,
        "output limit of 1000000 bytes exceeded (limit set by [run] max_output_bytes)"
    );
    assert_eq!(out.len(), 1_000_000);
}

/// Cancels a run `after` it started and returns how long the `finished` event took to arrive
/// after the cancel, and the error the run ended with.
async fn cancel_after(source: &str, after: Duration) -> (Duration, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = runtime_in(dir.path(), |_| {});
    let cancel = runtime.cancel_token();
    let mut events = runtime.execute_script_streaming(Script::new("cancel.lua", source));
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let mut error = String::new();
    while let Some(event) = events.next().await {
        match event {
            RunEvent::Error { message, .. } => error = message,
            RunEvent::Finished { .. } => return (started.elapsed().saturating_sub(after), error),
            _ => {}
        }
    }
    panic!("the run ended without a finished event");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_busy_loop_within_200_ms() {
    let (latency, error) = cancel_after("while true do end", Duration::from_millis(100)).await;
    assert_eq!(error, "run cancelled");
    assert!(
        latency < Duration::from_millis(200),
        "cancel took {latency:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_waiting_script_within_200_ms() {
    let (latency, error) = cancel_after(
        "Tool.execute('sleep', { ms = 60000 })",
        Duration::from_millis(100),
    )
    .await;
    assert_eq!(error, "run cancelled");
    assert!(
        latency < Duration::from_millis(200),
        "cancel took {latency:?}"
    );
}
