//! `ApiContext`: the language-neutral implementation of every API function.
//!
//! Engines convert their arguments to `ScriptValue`, call these methods and convert the result
//! back, so validation, error messages and behaviour are the same in every language. Each
//! method validates its input against the API definition first; errors name the call.

use std::sync::{Arc, RwLock};

use futures::stream::{BoxStream, StreamExt};
use indexmap::IndexMap;
use serde_json::Value;

use crate::agent::{Agent, AgentSettings, ToolRunner};
use crate::context::ExecutionContext;
use crate::definition::validate::{check_value, did_you_mean};
use crate::definition::{ApiDefinition, Language, TypeExpr};
use crate::error::{Result, RuntimeError};
use crate::events::{EventSink, RunEvent};
use crate::providers::ProviderManager;
use crate::registry::ComponentRegistry;
use crate::script_tool::ScriptTool;
use crate::tools::{ToolContext, ToolHandle, execute_tool};
use crate::value::ScriptValue;
use crate::workflow::{Workflow, WorkflowKind};

pub struct ApiContext {
    pub definition: &'static ApiDefinition,
    pub registry: Arc<ComponentRegistry>,
    pub providers: Arc<ProviderManager>,
    pub context: Arc<RwLock<ExecutionContext>>,
    pub events: Arc<EventSink>,
}

impl ApiContext {
    /// The name of a method call in `language`'s syntax, for error messages
    /// (`agent:execute` in Lua, `agent.execute` in JS).
    pub fn method_call(language: Language, receiver: &str, method: &str) -> String {
        match language {
            Language::Lua => format!("{receiver}:{method}"),
            Language::Js => format!("{receiver}.{method}"),
        }
    }

    pub fn execution(&self) -> ExecutionContext {
        self.context
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Checks argument `param` of `call` against a type of the definition.
    pub fn check(
        &self,
        call: &str,
        param: &str,
        value: &ScriptValue,
        type_name: &str,
    ) -> Result<()> {
        let ty = TypeExpr::parse(type_name).map_err(|e| RuntimeError::api(call, e))?;
        check_value(self.definition, value, &ty).map_err(|e| {
            // A whole-value mismatch is reported by the definition as "value must be ..."; the
            // parameter's name reads better.
            let e = match e.strip_prefix("value ") {
                Some(rest) => format!("{param} {rest}"),
                None => e,
            };
            RuntimeError::api(call, e)
        })
    }

    pub fn agent_create(&self, config: &ScriptValue) -> Result<Arc<Agent>> {
        const CALL: &str = "Agent.create";
        self.check(CALL, "config", config, "AgentConfig")?;
        // `llmspell run --model` replaces every agent's model, so a script can be tried on
        // another model without editing it.
        let model = match (
            self.execution().model_override,
            config.get("model").as_str(),
        ) {
            (Some(model), _) => model,
            (None, Some(model)) => model.to_owned(),
            (None, None) => self
                .providers
                .default_model()
                .map(str::to_owned)
                .ok_or_else(|| {
                    RuntimeError::api(
                        CALL,
                        "field 'model' is required (no default_model in llmspell.toml)",
                    )
                })?,
        };
        let (provider, model_id) = self
            .providers
            .resolve(&model)
            .map_err(|e| RuntimeError::api(CALL, e))?;
        let mut tools = Vec::new();
        if let ScriptValue::List(items) = config.get("tools") {
            for item in items {
                tools.push(self.resolve_tool(CALL, item)?);
            }
        }
        let name = config
            .get("name")
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| model.clone());
        let agent = Arc::new(Agent::new(AgentSettings {
            name,
            model,
            provider,
            model_id,
            system: config.get("system").as_str().map(str::to_owned),
            temperature: config.get("temperature").as_f64(),
            max_tokens: config.get("max_tokens").as_i64().map(|n| n as u32),
            tools,
            max_tool_rounds: config.get("max_tool_rounds").as_i64().unwrap_or(5) as u32,
            timeout_ms: config.get("timeout_ms").as_i64().map(|n| n as u64),
            base_url: config.get("base_url").as_str().map(str::to_owned),
        }));
        if config.get("name").as_str().is_some() {
            self.registry.add_agent(Arc::clone(&agent));
        }
        Ok(agent)
    }

    pub fn agent_get(&self, name: &str) -> Option<Arc<Agent>> {
        self.registry.agent(name)
    }

    pub fn agent_list(&self) -> ScriptValue {
        ScriptValue::List(
            self.registry
                .agent_names()
                .into_iter()
                .map(ScriptValue::String)
                .collect(),
        )
    }

    pub async fn agent_execute(
        &self,
        call: &str,
        agent: &Agent,
        input: &ScriptValue,
    ) -> Result<ScriptValue> {
        self.check(call, "input", input, "string | AgentRequest")?;
        agent
            .execute(input, &self.tool_runner())
            .await
            .map_err(|e| RuntimeError::api(call, e))
    }

    /// Runs tools for agents, reporting each call as a `tool_call` event.
    pub fn tool_runner(&self) -> ReportingToolRunner {
        ReportingToolRunner {
            events: Arc::clone(&self.events),
            context: self.execution().tool_context(),
        }
    }

    /// Starts a streamed answer. Each chunk is also emitted as a `token` event.
    pub async fn agent_stream(
        &self,
        call: &str,
        agent: &Arc<Agent>,
        input: &ScriptValue,
    ) -> Result<BoxStream<'static, Result<String>>> {
        self.check(call, "input", input, "string | AgentRequest")?;
        let runner: Arc<dyn ToolRunner> = Arc::new(self.tool_runner());
        let stream = Arc::clone(agent)
            .stream(input, runner)
            .await
            .map_err(|e| RuntimeError::api(call, e))?;
        let events = Arc::clone(&self.events);
        let agent_name = agent.name.clone();
        let call = call.to_owned();
        Ok(stream
            .map(move |chunk| {
                let chunk = chunk.map_err(|e| RuntimeError::api(&call, e))?;
                events.emit(RunEvent::Token {
                    agent: agent_name.clone(),
                    text: chunk.clone(),
                });
                Ok(chunk)
            })
            .boxed())
    }

    /// A tool by name, with a did-you-mean hint when there is none.
    pub fn tool_get(&self, call: &str, name: &str) -> Result<ToolHandle> {
        self.registry.tool(name).ok_or_else(|| {
            let tools = self.registry.tools();
            let names: Vec<&str> = tools.iter().map(|(t, _)| t.name()).collect();
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(s) => format!(" (did you mean '{s}'?)"),
                None => format!(" (known tools: {})", names.join(", ")),
            };
            RuntimeError::api(call, format!("unknown tool '{name}'{hint}"))
        })
    }

    /// A tool given by name or as a Tool object.
    pub fn resolve_tool(&self, call: &str, value: &ScriptValue) -> Result<ToolHandle> {
        match value {
            ScriptValue::Tool(tool) => Ok(Arc::clone(tool)),
            ScriptValue::String(name) => self.tool_get(call, name),
            other => Err(RuntimeError::api(
                call,
                format!("expected a tool name or Tool, got {}", other.type_name()),
            )),
        }
    }

    pub fn tool_exists(&self, name: &str) -> bool {
        self.registry.tool(name).is_some()
    }

    pub fn tool_list(&self) -> ScriptValue {
        ScriptValue::List(
            self.registry
                .tools()
                .into_iter()
                .map(|(tool, source)| {
                    let mut info = IndexMap::new();
                    info.insert("name".to_owned(), ScriptValue::from(tool.name()));
                    info.insert(
                        "description".to_owned(),
                        ScriptValue::from(tool.schema().description.as_str()),
                    );
                    info.insert("source".to_owned(), ScriptValue::from(source.as_str()));
                    ScriptValue::Map(info)
                })
                .collect(),
        )
    }

    /// The `schema` field of a Tool object: parameters and result fields by name.
    pub fn tool_schema_info(tool: &ToolHandle) -> ScriptValue {
        let by_name = |params: &[crate::tools::ParamSchema]| {
            let map: serde_json::Map<String, Value> = params
                .iter()
                .map(|p| {
                    let mut spec = serde_json::to_value(p).unwrap_or(Value::Null);
                    if let Some(obj) = spec.as_object_mut() {
                        obj.remove("name");
                        // Bounds are stored as floats; whole ones read as integers, as a
                        // script author wrote them.
                        for bound in ["minimum", "maximum"] {
                            if let Some(n) = obj.get(bound).and_then(Value::as_f64)
                                && n.fract() == 0.0
                            {
                                obj.insert(bound.to_owned(), Value::from(n as i64));
                            }
                        }
                    }
                    (p.name.clone(), spec)
                })
                .collect();
            ScriptValue::from_json(&Value::Object(map))
        };
        let mut info = IndexMap::new();
        info.insert("params".to_owned(), by_name(&tool.schema().params));
        info.insert("returns".to_owned(), by_name(&tool.schema().returns));
        ScriptValue::Map(info)
    }

    /// Runs a tool and reports it as a `tool_call` event.
    pub async fn tool_execute(
        &self,
        call: &str,
        tool: &ToolHandle,
        params: &ScriptValue,
    ) -> Result<ScriptValue> {
        let outcome = self
            .tool_runner()
            .run_reported(None, tool, params.to_json())
            .await;
        outcome
            .map(|v| ScriptValue::from_json(&v))
            .map_err(|e| RuntimeError::api(call, e))
    }

    pub fn tool_register(&self, spec: &ScriptValue) -> Result<ToolHandle> {
        const CALL: &str = "Tool.register";
        self.check(CALL, "spec", spec, "ToolSpec")?;
        let tool: ToolHandle =
            Arc::new(ScriptTool::from_spec(spec).map_err(|e| RuntimeError::api(CALL, e))?);
        self.registry
            .add_tool(Arc::clone(&tool))
            .map_err(|e| RuntimeError::api(CALL, e))?;
        Ok(tool)
    }

    pub fn workflow_create(
        &self,
        kind: WorkflowKind,
        config: &ScriptValue,
    ) -> Result<Arc<Workflow>> {
        let call = format!("Workflow.{}", kind.as_str());
        self.check(&call, "config", config, kind.config_type())?;
        let workflow = Arc::new(Workflow::build(self, &call, kind, config)?);
        if config.get("name").as_str().is_some() {
            self.registry.add_workflow(Arc::clone(&workflow));
        }
        Ok(workflow)
    }

    pub async fn workflow_execute(
        &self,
        call: &str,
        workflow: &Workflow,
        input: ScriptValue,
    ) -> Result<ScriptValue> {
        workflow.execute(self, input).await.map_err(|e| match e {
            RuntimeError::Script { message, location } => RuntimeError::Script {
                message: format!("{call}: {message}"),
                location,
            },
            other => other,
        })
    }
}

/// Runs tools with the run's permissions and reports every call as a `tool_call` event.
pub struct ReportingToolRunner {
    events: Arc<EventSink>,
    context: ToolContext,
}

impl ReportingToolRunner {
    async fn run_reported(
        &self,
        agent: Option<&str>,
        tool: &ToolHandle,
        params: Value,
    ) -> std::result::Result<Value, String> {
        let outcome = execute_tool(tool.as_ref(), &params, &self.context).await;
        self.events.emit(RunEvent::ToolCall {
            tool: tool.name().to_owned(),
            agent: agent.map(str::to_owned),
            params,
            result: outcome.as_ref().ok().cloned(),
            error: outcome.as_ref().err().cloned(),
        });
        outcome
    }
}

#[async_trait::async_trait]
impl ToolRunner for ReportingToolRunner {
    async fn run(
        &self,
        agent: &str,
        tool: &ToolHandle,
        params: Value,
    ) -> std::result::Result<Value, String> {
        self.run_reported(Some(agent), tool, params).await
    }
}
