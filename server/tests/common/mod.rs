//! Shared by the end-to-end suites: runs the real `llmspell` binary the way a user or an editor
//! does, with a deadline so that a hung run fails its test instead of hanging the whole suite.
//!
//! Each test binary compiles this module on its own and uses a different part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The binary Cargo built for this test run.
pub const LLMSPELL: &str = env!("CARGO_BIN_EXE_llmspell");

/// Far longer than any test script needs (the slowest, the time-limit case, stops itself after
/// 300 ms), and short enough that a hang is reported while someone is still watching.
const DEADLINE: Duration = Duration::from_secs(60);

/// What one `llmspell` invocation did.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// A one-paragraph account of the run, for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `llmspell ARGV...` in `dir`, feeding `stdin` (or nothing) to it, and collects what it
/// printed. Panics if the binary cannot be started or does not finish within the deadline.
pub fn run_llmspell(dir: &Path, argv: &[&str], stdin: Option<&str>) -> Outcome {
    run_llmspell_with_env(dir, argv, stdin, &[])
}

/// `run_llmspell` with extra environment variables (API keys for provider tests).
pub fn run_llmspell_with_env(
    dir: &Path,
    argv: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Outcome {
    let mut child = Command::new(LLMSPELL)
        .args(argv)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {LLMSPELL} {argv:?}: {e}"));

    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin was requested as a pipe");
        pipe.write_all(text.as_bytes())
            .expect("writing the script to llmspell's stdin");
        // Dropping the pipe closes it, which is the end of input the binary waits for.
    }
    // Both pipes are drained on their own threads: a child that fills one pipe while the test
    // waits on the other would otherwise deadlock.
    let stdout = drain(child.stdout.take().expect("stdout was requested as a pipe"));
    let stderr = drain(child.stderr.take().expect("stderr was requested as a pipe"));

    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("waiting for llmspell") {
            Some(status) => break status,
            None if started.elapsed() > DEADLINE => {
                // Best effort: the panic below is the report; a failed kill changes nothing.
                let _ = child.kill();
                let _ = child.wait();
                panic!("llmspell {argv:?} did not finish within {DEADLINE:?}");
            }
            None => thread::sleep(Duration::from_millis(5)),
        }
    };
    Outcome {
        code: status.code(),
        stdout: stdout.join().expect("the stdout reader thread panicked"),
        stderr: stderr.join().expect("the stderr reader thread panicked"),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes)
            .expect("reading llmspell's output");
        // Lossy, so that a binary that printed invalid UTF-8 fails an assertion with the output
        // shown, rather than panicking here without it.
        String::from_utf8_lossy(&bytes).into_owned()
    })
}
