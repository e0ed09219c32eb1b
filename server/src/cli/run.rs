//! `llmspell run`: runs one script, printing its output as it arrives (or its events as JSON
//! lines with `--events jsonl`).

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use futures::StreamExt;
use llmspell_runtime::{Config, ExecutionContext, RunEvent, RuntimeError, Script, ScriptRuntime};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The script to run (.lua). Its folder is where llmspell.toml is looked for.
    file: PathBuf,
    /// How to report the run: `human` prints the script's output; `jsonl` prints one JSON event
    /// per line (started, stdout, stderr, token, tool_call, step, result, error, finished).
    #[arg(long, value_enum, default_value_t = EventFormat::Human)]
    events: EventFormat,
    /// Read the script's text from standard input instead of FILE; FILE still names it (for
    /// errors, the engine and llmspell.toml discovery). Editors use this to run unsaved buffers.
    #[arg(long)]
    stdin: bool,
    /// Use this llmspell.toml instead of discovering one.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Run every agent of the script on this model (`provider/model-id`), whatever the script
    /// and llmspell.toml say: try a script on another model without editing it.
    #[arg(long, value_name = "PROVIDER/MODEL")]
    model: Option<String>,
    /// Arguments for the script, after `--`; the script sees them as ARGS.
    #[arg(last = true)]
    args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EventFormat {
    Human,
    Jsonl,
}

/// Runs the command and returns the exit code.
pub fn run(args: RunArgs) -> i32 {
    // The script runs on the worker thread and its events are printed from this one, so output
    // streams out even while the script computes without pausing (`print(...)` then a long
    // loop): on one thread the printing would wait for the script to yield.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return report_setup_error(
                &RuntimeError::Unsupported(format!("cannot start: {e}")),
                args.events,
            );
        }
    };
    runtime.block_on(run_script(args))
}

async fn run_script(args: RunArgs) -> i32 {
    let format = args.events;
    let (script, runtime) = match prepare(&args) {
        Ok(ready) => ready,
        Err(e) => return report_setup_error(&e, format),
    };
    let mut events = runtime.execute_script_streaming(script);
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut exit_code = 1;
    while let Some(event) = events.next().await {
        if let RunEvent::Finished {
            exit_code: code, ..
        } = &event
        {
            exit_code = *code;
        }
        // A closed stdout (`llmspell run x.lua | head`) stops the printing, not the run's
        // bookkeeping: the exit code still comes from the script.
        let _ = match format {
            EventFormat::Jsonl => write_json_line(&mut stdout.lock(), &event),
            EventFormat::Human => write_human(&mut stdout.lock(), &mut stderr.lock(), &event),
        };
    }
    exit_code
}

fn prepare(args: &RunArgs) -> Result<(Script, ScriptRuntime), RuntimeError> {
    let source = if args.stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| RuntimeError::Io {
                path: PathBuf::from("<stdin>"),
                message: format!("cannot read the script from standard input: {e}"),
            })?;
        text
    } else {
        std::fs::read_to_string(&args.file).map_err(|e| RuntimeError::Io {
            path: args.file.clone(),
            message: format!("cannot read the script: {e}"),
        })?
    };
    let config = match &args.config {
        Some(path) => Config::load_file(path)?,
        None => {
            let folder = args
                .file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            Config::discover(folder)?
        }
    };
    let mut context = ExecutionContext::new(config);
    context.args = args.args.clone();
    if let Some(model) = &args.model {
        check_model_override(model, &context.config)?;
        context.model_override = Some(model.clone());
    }
    let runtime = ScriptRuntime::new_for_path(&args.file, context)?;
    Ok((
        Script::new(args.file.display().to_string(), source),
        runtime,
    ))
}

fn write_json_line(out: &mut impl Write, event: &RunEvent) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, event)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn write_human(
    out: &mut impl Write,
    err: &mut impl Write,
    event: &RunEvent,
) -> std::io::Result<()> {
    match event {
        RunEvent::Stdout { text } => {
            out.write_all(text.as_bytes())?;
            out.flush()
        }
        RunEvent::Stderr { text } => err.write_all(text.as_bytes()),
        RunEvent::Error { message, .. } => {
            out.flush()?;
            writeln!(err, "error: {message}")
        }
        _ => Ok(()),
    }
}

/// Reports an error that happened before the script could start, in the requested format.
fn report_setup_error(error: &RuntimeError, format: EventFormat) -> i32 {
    let code = error.exit_code();
    match format {
        EventFormat::Jsonl => {
            let mut out = std::io::stdout().lock();
            let _ = write_json_line(&mut out, &RunEvent::from_error(error));
            let _ = write_json_line(
                &mut out,
                &RunEvent::Finished {
                    exit_code: code,
                    duration_ms: 0,
                },
            );
        }
        EventFormat::Human => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
        }
    }
    code
}

/// `--model` must name a provider the run knows; checking it before the script starts turns a
/// typo into a usage error (exit 2) that lists the providers, instead of a script error.
fn check_model_override(
    model: &str,
    config: &llmspell_runtime::LoadedConfig,
) -> Result<(), RuntimeError> {
    let providers = llmspell_runtime::providers::ProviderManager::new(&config.config);
    providers
        .resolve(model)
        .map(|_| ())
        .map_err(|message| RuntimeError::Config {
            file: config
                .file
                .clone()
                .unwrap_or_else(|| PathBuf::from("--model")),
            line: None,
            message: format!("--model: {message}"),
        })
}
