//! Agents: a model plus settings, built from a validated `AgentConfig` table, that turn a prompt
//! (or a conversation) into an `AgentResult`, running the tool calls the model asks for.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use indexmap::IndexMap;
use serde_json::Value;
use tokio::time::Instant;

use crate::providers::{
    ChatMessage, CompletionRequest, Provider, StreamEvent, ToolCallRequest, ToolDefinition, Usage,
};
use crate::tools::ToolHandle;
use crate::value::ScriptValue;

/// Runs the tools an agent's model asks for, and reports each call (the runtime emits a
/// `tool_call` event). The error is a message that goes back to the model.
#[async_trait::async_trait]
pub trait ToolRunner: Send + Sync {
    async fn run(&self, agent: &str, tool: &ToolHandle, params: Value) -> Result<Value, String>;
}

pub struct Agent {
    pub name: String,
    /// `provider/model-id`.
    pub model: String,
    provider: Arc<dyn Provider>,
    model_id: String,
    system: Option<String>,
    temperature: Option<f64>,
    max_tokens: Option<u32>,
    pub tools: Vec<ToolHandle>,
    pub max_tool_rounds: u32,
    timeout: Option<Duration>,
    pub base_url: Option<String>,
}

/// The settings of an agent, already checked against the definition's `AgentConfig`.
pub struct AgentSettings {
    pub name: String,
    pub model: String,
    pub provider: Arc<dyn Provider>,
    pub model_id: String,
    pub system: Option<String>,
    pub temperature: Option<f64>,
    pub max_tokens: Option<u32>,
    pub tools: Vec<ToolHandle>,
    pub max_tool_rounds: u32,
    pub timeout_ms: Option<u64>,
    pub base_url: Option<String>,
}

/// What one tool call of the model came to, for `result.tool_calls`.
struct CallRecord {
    name: String,
    params: Value,
    outcome: Result<Value, String>,
}

impl CallRecord {
    fn to_script(&self) -> ScriptValue {
        let mut entry = IndexMap::new();
        entry.insert("name".to_owned(), ScriptValue::String(self.name.clone()));
        entry.insert("params".to_owned(), ScriptValue::from_json(&self.params));
        match &self.outcome {
            Ok(result) => entry.insert("result".to_owned(), ScriptValue::from_json(result)),
            Err(error) => entry.insert("error".to_owned(), ScriptValue::String(error.clone())),
        };
        ScriptValue::Map(entry)
    }

    /// What the model is told about the call.
    fn content(&self) -> String {
        match &self.outcome {
            Ok(result) => result.to_string(),
            Err(error) => format!("error: {error}"),
        }
    }
}

impl Agent {
    pub fn new(settings: AgentSettings) -> Agent {
        Agent {
            name: settings.name,
            model: settings.model,
            provider: settings.provider,
            model_id: settings.model_id,
            system: settings.system,
            temperature: settings.temperature,
            max_tokens: settings.max_tokens,
            tools: settings.tools,
            max_tool_rounds: settings.max_tool_rounds,
            timeout: settings.timeout_ms.map(Duration::from_millis),
            base_url: settings.base_url,
        }
    }

    /// The system prompt and messages for an input that passed the `string | AgentRequest`
    /// check. System messages of the conversation join the agent's system prompt.
    fn conversation(&self, input: &ScriptValue) -> (Option<String>, Vec<ChatMessage>) {
        let mut system: Vec<String> = self.system.iter().cloned().collect();
        let mut messages = Vec::new();
        if let ScriptValue::List(items) = input.get("messages") {
            for item in items {
                let content = item.get("content").to_text();
                match item.get("role").as_str().unwrap_or("user") {
                    "system" => system.push(content),
                    "assistant" => messages.push(ChatMessage::Assistant {
                        text: content,
                        tool_calls: Vec::new(),
                    }),
                    _ => messages.push(ChatMessage::User(content)),
                }
            }
        }
        let prompt = match input {
            ScriptValue::String(s) => Some(s.clone()),
            other => other.get("prompt").as_str().map(str::to_owned),
        };
        if let Some(prompt) = prompt {
            messages.push(ChatMessage::User(prompt));
        }
        let system = (!system.is_empty()).then(|| system.join("\n\n"));
        (system, messages)
    }

    fn request(
        &self,
        system: &Option<String>,
        messages: &[ChatMessage],
        with_tools: bool,
    ) -> CompletionRequest {
        let tools = if with_tools && self.max_tool_rounds > 0 {
            self.tools
                .iter()
                .map(|tool| ToolDefinition {
                    name: tool.name().to_owned(),
                    description: tool.schema().description.clone(),
                    parameters: tool.schema().to_json_schema(),
                })
                .collect()
        } else {
            Vec::new()
        };
        CompletionRequest {
            model: self.model_id.clone(),
            system: system.clone(),
            messages: messages.to_vec(),
            temperature: self.temperature,
            max_tokens: self.max_tokens,
            tools,
            base_url: self.base_url.clone(),
        }
    }

    /// Prefixes a message with the agent: its name and model, or just the model when the agent
    /// was not named.
    fn error(&self, message: impl std::fmt::Display) -> String {
        if self.name == self.model {
            format!("{}: {message}", self.model)
        } else {
            format!("agent '{}' ({}): {message}", self.name, self.model)
        }
    }

    fn timed_out(&self) -> String {
        let ms = self.timeout.map(|t| t.as_millis()).unwrap_or_default();
        self.error(format_args!(
            "no complete answer within {ms} ms (timeout_ms)"
        ))
    }

    /// Runs the tool calls of one model turn, in order.
    async fn run_calls(
        &self,
        calls: &[ToolCallRequest],
        runner: &dyn ToolRunner,
    ) -> Vec<CallRecord> {
        let mut records = Vec::with_capacity(calls.len());
        for call in calls {
            let outcome = match self.tools.iter().find(|t| t.name() == call.name) {
                Some(tool) => runner.run(&self.name, tool, call.arguments.clone()).await,
                None => {
                    let names: Vec<&str> = self.tools.iter().map(|t| t.name()).collect();
                    Err(format!(
                        "unknown tool '{}'; this agent's tools are: {}",
                        call.name,
                        names.join(", ")
                    ))
                }
            };
            records.push(CallRecord {
                name: call.name.clone(),
                params: call.arguments.clone(),
                outcome,
            });
        }
        records
    }

    /// Sends the input and returns the `AgentResult` table, after running the tool calls the
    /// model asks for (at most `max_tool_rounds` rounds of them).
    pub async fn execute(
        &self,
        input: &ScriptValue,
        runner: &dyn ToolRunner,
    ) -> Result<ScriptValue, String> {
        let work = async {
            let (system, mut messages) = self.conversation(input);
            let mut usage = Usage::default();
            let mut log = Vec::new();
            let mut rounds = 0;
            loop {
                // As when streaming: the last round offers no tools, so the model answers in text.
                let request = self.request(&system, &messages, rounds < self.max_tool_rounds);
                let completion = self
                    .provider
                    .complete(request)
                    .await
                    .map_err(|e| self.error(e))?;
                usage += completion.usage;
                if completion.tool_calls.is_empty() {
                    return Ok(self.result(
                        completion.text,
                        usage,
                        &log,
                        &completion.finish_reason,
                    ));
                }
                if rounds >= self.max_tool_rounds {
                    return Ok(self.result(completion.text, usage, &log, "max_tool_rounds"));
                }
                rounds += 1;
                let records = self.run_calls(&completion.tool_calls, runner).await;
                messages.push(ChatMessage::Assistant {
                    text: completion.text,
                    tool_calls: completion.tool_calls.clone(),
                });
                for (call, record) in completion.tool_calls.iter().zip(&records) {
                    messages.push(ChatMessage::ToolResult {
                        call_id: call.id.clone(),
                        name: call.name.clone(),
                        content: record.content(),
                        is_error: record.outcome.is_err(),
                    });
                }
                log.extend(records);
            }
        };
        match self.timeout {
            Some(limit) => tokio::time::timeout(limit, work)
                .await
                .map_err(|_| self.timed_out())?,
            None => work.await,
        }
    }

    fn result(
        &self,
        text: String,
        usage: Usage,
        log: &[CallRecord],
        finish_reason: &str,
    ) -> ScriptValue {
        let mut usage_table = IndexMap::new();
        usage_table.insert(
            "input_tokens".to_owned(),
            ScriptValue::Integer(usage.input_tokens as i64),
        );
        usage_table.insert(
            "output_tokens".to_owned(),
            ScriptValue::Integer(usage.output_tokens as i64),
        );
        let mut result = IndexMap::new();
        result.insert("text".to_owned(), ScriptValue::String(text));
        result.insert("model".to_owned(), ScriptValue::String(self.model.clone()));
        result.insert("usage".to_owned(), ScriptValue::Map(usage_table));
        result.insert(
            "tool_calls".to_owned(),
            ScriptValue::List(log.iter().map(CallRecord::to_script).collect()),
        );
        result.insert(
            "finish_reason".to_owned(),
            ScriptValue::String(finish_reason.to_owned()),
        );
        ScriptValue::Map(result)
    }

    /// Sends the input and streams the answer's text. Tool calls the model asks for run between
    /// rounds, as in `execute`; only text reaches the stream.
    pub async fn stream(
        self: Arc<Self>,
        input: &ScriptValue,
        runner: Arc<dyn ToolRunner>,
    ) -> Result<BoxStream<'static, Result<String, String>>, String> {
        let (system, messages) = self.conversation(input);
        let deadline = self.timeout.map(|t| Instant::now() + t);
        let mut state = StreamingTurns {
            agent: self,
            runner,
            system,
            messages,
            deadline,
            rounds: 0,
            current: None,
            text: String::new(),
            calls: Vec::new(),
            pending: VecDeque::new(),
            finished: false,
        };
        state.start_round().await?;
        Ok(futures::stream::unfold(state, |mut state| async move {
            let item = state.next().await?;
            Some((item, state))
        })
        .boxed())
    }
}

/// The state of a streamed answer across tool rounds.
struct StreamingTurns {
    agent: Arc<Agent>,
    runner: Arc<dyn ToolRunner>,
    system: Option<String>,
    messages: Vec<ChatMessage>,
    deadline: Option<Instant>,
    rounds: u32,
    current: Option<BoxStream<'static, Result<StreamEvent, String>>>,
    /// The text and tool calls of the current round, for the conversation's next turn.
    text: String,
    calls: Vec<ToolCallRequest>,
    pending: VecDeque<Result<String, String>>,
    finished: bool,
}

impl StreamingTurns {
    async fn start_round(&mut self) -> Result<(), String> {
        let with_tools = self.rounds < self.agent.max_tool_rounds;
        let request = self.agent.request(&self.system, &self.messages, with_tools);
        let agent = Arc::clone(&self.agent);
        let opening = async move {
            agent
                .provider
                .stream(request)
                .await
                .map_err(|e| agent.error(e))
        };
        let stream = match self.deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, opening)
                .await
                .map_err(|_| self.agent.timed_out())??,
            None => opening.await?,
        };
        self.current = Some(stream);
        Ok(())
    }

    async fn next(&mut self) -> Option<Result<String, String>> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }
            let stream = self.current.as_mut()?;
            let event = match self.deadline {
                Some(deadline) => match tokio::time::timeout_at(deadline, stream.next()).await {
                    Ok(event) => event,
                    Err(_) => Some(Err(self.agent.timed_out())),
                },
                None => stream.next().await,
            };
            match event {
                Some(Ok(StreamEvent::Text(text))) => {
                    self.text.push_str(&text);
                    return Some(Ok(text));
                }
                Some(Ok(StreamEvent::ToolCall(call))) => self.calls.push(call),
                Some(Ok(StreamEvent::Finished { .. })) => {
                    if let Err(e) = self.end_round().await {
                        self.finished = true;
                        return Some(Err(e));
                    }
                }
                Some(Err(e)) => {
                    self.finished = true;
                    // Errors made by this agent already carry its prefix.
                    let e = if e.starts_with(&self.agent.error("")) {
                        e
                    } else {
                        self.agent.error(e)
                    };
                    return Some(Err(e));
                }
                None => {
                    self.finished = true;
                    return Some(Err(self
                        .agent
                        .error("the stream ended before the answer was complete")));
                }
            }
        }
    }

    /// Runs the round's tool calls and starts the next round, or ends the answer.
    async fn end_round(&mut self) -> Result<(), String> {
        let calls = std::mem::take(&mut self.calls);
        let text = std::mem::take(&mut self.text);
        if calls.is_empty() || self.rounds >= self.agent.max_tool_rounds {
            self.finished = true;
            return Ok(());
        }
        self.rounds += 1;
        let records = self.agent.run_calls(&calls, self.runner.as_ref()).await;
        self.messages.push(ChatMessage::Assistant {
            text,
            tool_calls: calls.clone(),
        });
        for (call, record) in calls.iter().zip(&records) {
            self.messages.push(ChatMessage::ToolResult {
                call_id: call.id.clone(),
                name: call.name.clone(),
                content: record.content(),
                is_error: record.outcome.is_err(),
            });
        }
        self.start_round().await
    }
}
