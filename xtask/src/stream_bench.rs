//! The streaming benchmark: what a script pays per chunk of a streamed answer, on top of what
//! the provider's own client pays to receive and parse it.
//!
//! A fake OpenAI-compatible server on 127.0.0.1 streams the same 10,000-chunk answer to two
//! consumers in alternation: the provider read directly from Rust (the floor: HTTP, SSE framing,
//! JSON parsing), and a Lua script iterating `agent:stream` through the whole runtime (the
//! agent's round state machine, token events, the coroutine iterator, Lua strings). The
//! difference, divided by the chunk count, is the added cost per chunk the budget is about.

use std::time::{Duration, Instant};

use futures::StreamExt;
use llmspell_runtime::config::{Config, LoadedConfig};
use llmspell_runtime::providers::{ChatMessage, CompletionRequest, ProviderManager, StreamEvent};
use llmspell_runtime::{ExecutionContext, RunEvent, Script, ScriptRuntime};
use llmspell_testkit::{FakeServer, Reply, openai};

pub const CHUNKS: usize = 10_000;

const SCRIPT: &str = r#"
local n = 0
for _ in Agent.create{ model = "bench/model" }:stream("go") do n = n + 1 end
return n
"#;

/// Paired timings of one round: the provider alone, and the script.
pub struct StreamSample {
    pub raw: Duration,
    pub script: Duration,
}

impl StreamSample {
    /// What the script added per chunk (zero when noise made the script the faster one).
    pub fn added_per_chunk(&self) -> Duration {
        self.script.saturating_sub(self.raw) / CHUNKS as u32
    }
}

/// Runs `warmups` untimed and `runs` timed rounds.
pub fn time_streaming(warmups: usize, runs: usize) -> Result<Vec<StreamSample>, String> {
    let server = FakeServer::start();
    let chunks: Vec<String> = (0..CHUNKS).map(|i| format!("w{i} ")).collect();
    let chunk_refs: Vec<&str> = chunks.iter().map(String::as_str).collect();
    let events = openai::stream(&chunk_refs, "stop", Some((1, CHUNKS as u64)));
    server.reply("POST", "/v1/chat/completions", Reply::sse(events).repeat());
    let config_text = format!(
        "[providers.bench]\nkind = \"openai\"\nbase_url = \"{}\"\n[run]\nmax_output_bytes = 100000000\n",
        server.url("/v1")
    );
    let config =
        Config::parse(&config_text, "llmspell.toml".as_ref()).map_err(|e| e.to_string())?;
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    tokio.block_on(async {
        let mut samples = Vec::with_capacity(runs);
        for round in 0..warmups + runs {
            let raw = time_raw(&config).await?;
            let script = time_script(&config).await?;
            if round >= warmups {
                samples.push(StreamSample { raw, script });
            }
        }
        Ok(samples)
    })
}

/// The provider's stream read to its end, counting text chunks.
async fn time_raw(config: &Config) -> Result<Duration, String> {
    let providers = ProviderManager::new(config);
    let (provider, model) = providers.resolve("bench/model")?;
    let request = CompletionRequest {
        model,
        messages: vec![ChatMessage::User("go".into())],
        ..Default::default()
    };
    let start = Instant::now();
    let mut stream = provider.stream(request).await?;
    let mut texts = 0;
    while let Some(event) = stream.next().await {
        if let StreamEvent::Text(_) = event? {
            texts += 1;
        }
    }
    let elapsed = start.elapsed();
    check_count("the provider", texts)?;
    Ok(elapsed)
}

/// The script run to its end through the runtime, draining its events as the CLI does. The
/// runtime is created outside the timed span: engine creation has its own benchmark.
async fn time_script(config: &Config) -> Result<Duration, String> {
    let loaded = LoadedConfig {
        config: config.clone(),
        file: None,
        root: std::env::temp_dir(),
    };
    let runtime =
        ScriptRuntime::new_with_lua(ExecutionContext::new(loaded)).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut events = runtime.execute_script_streaming(Script::new("stream_bench.lua", SCRIPT));
    let mut tokens = 0;
    let mut outcome = Err("the run ended without a result".to_owned());
    while let Some(event) = events.next().await {
        match event {
            RunEvent::Token { .. } => tokens += 1,
            RunEvent::Result { value } => outcome = Ok(value),
            RunEvent::Error { message, .. } => outcome = Err(message),
            _ => {}
        }
    }
    let elapsed = start.elapsed();
    let counted = outcome?;
    if counted != serde_json::json!(CHUNKS) {
        return Err(format!("the script counted {counted} chunks, not {CHUNKS}"));
    }
    check_count("the script's token events", tokens)?;
    Ok(elapsed)
}

fn check_count(what: &str, n: usize) -> Result<(), String> {
    if n == CHUNKS {
        Ok(())
    } else {
        Err(format!("{what} saw {n} chunks, not {CHUNKS}"))
    }
}
