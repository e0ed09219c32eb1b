//! `ScriptRuntime`: one engine with the API injected, its component registry, providers and
//! execution context. The factories pick the engine by name or by the script's file name.

use std::path::Path;
use std::sync::{Arc, RwLock};

use futures::StreamExt;
use futures::stream::BoxStream;

use crate::api_context::ApiContext;
use crate::context::ExecutionContext;
use crate::definition::ApiDefinition;
use crate::engine::{EngineRegistry, Script, ScriptEngineBridge};
use crate::error::Result;
use crate::events::{EventSink, RunEvent};
use crate::providers::ProviderManager;
use crate::registry::ComponentRegistry;
use crate::value::ScriptValue;

pub struct ScriptRuntime {
    engine: Arc<dyn ScriptEngineBridge>,
    pub registry: Arc<ComponentRegistry>,
    pub providers: Arc<ProviderManager>,
    pub context: Arc<RwLock<ExecutionContext>>,
    api: Arc<ApiContext>,
}

/// Everything a finished run reported, for callers that do not stream.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub events: Vec<RunEvent>,
    pub exit_code: i32,
}

impl RunOutcome {
    /// All `stdout` text, concatenated.
    pub fn stdout(&self) -> String {
        self.events
            .iter()
            .filter_map(|e| match e {
                RunEvent::Stdout { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The error message, when the run failed.
    pub fn error(&self) -> Option<&str> {
        self.events.iter().find_map(|e| match e {
            RunEvent::Error { message, .. } => Some(message.as_str()),
            _ => None,
        })
    }
}

impl ScriptRuntime {
    pub fn new_with_lua(context: ExecutionContext) -> Result<Self> {
        Self::new_with_engine("lua", context)
    }

    /// Fails with a clear error until the JavaScript engine is built.
    pub fn new_with_javascript(context: ExecutionContext) -> Result<Self> {
        Self::new_with_engine("javascript", context)
    }

    /// A runtime on a built-in engine, by name.
    pub fn new_with_engine(name: &str, context: ExecutionContext) -> Result<Self> {
        Self::new_from_registry(&EngineRegistry::with_builtin_engines(), name, context)
    }

    /// A runtime on the engine that runs `path` (`.lua`, `.js`, `.mjs`).
    pub fn new_for_path(path: &Path, context: ExecutionContext) -> Result<Self> {
        let registry = EngineRegistry::with_builtin_engines();
        let name = registry.engine_name_for_path(path)?;
        Self::new_from_registry(&registry, name, context)
    }

    /// A runtime on any registered engine, including third-party ones.
    pub fn new_from_registry(
        engines: &EngineRegistry,
        name: &str,
        context: ExecutionContext,
    ) -> Result<Self> {
        let engine = engines.create(name)?;
        Self::with_engine(engine, context)
    }

    /// A runtime on an engine created by the caller.
    pub fn with_engine(
        mut engine: Box<dyn ScriptEngineBridge>,
        context: ExecutionContext,
    ) -> Result<Self> {
        let registry = Arc::new(ComponentRegistry::new());
        let providers = Arc::new(ProviderManager::new(&context.config.config));
        let events = Arc::new(EventSink::new(context.config.config.run.max_output_bytes));
        let context = Arc::new(RwLock::new(context));
        let api = Arc::new(ApiContext {
            definition: ApiDefinition::get(),
            registry: Arc::clone(&registry),
            providers: Arc::clone(&providers),
            context: Arc::clone(&context),
            events,
        });
        engine.inject_apis(&api)?;
        Ok(ScriptRuntime {
            engine: Arc::from(engine),
            registry,
            providers,
            context,
            api,
        })
    }

    pub fn engine(&self) -> &dyn ScriptEngineBridge {
        self.engine.as_ref()
    }

    /// The Lua state, when the engine is the Lua engine.
    pub fn lua_state(&self) -> Option<&mlua::Lua> {
        self.engine
            .as_any()
            .downcast_ref::<crate::lua::LuaEngine>()
            .map(crate::lua::LuaEngine::lua)
    }

    pub fn api(&self) -> &Arc<ApiContext> {
        &self.api
    }

    /// Sets the arguments the next run sees as `ARGS`.
    pub fn set_args(&self, args: Vec<String>) {
        self.context.write().unwrap_or_else(|e| e.into_inner()).args = args;
    }

    /// The token that cancels the current run.
    pub fn cancel_token(&self) -> tokio_util::sync::CancellationToken {
        self.context
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .cancel
            .clone()
    }

    /// Runs a script and returns its value; output events go nowhere.
    pub async fn execute_script(&self, script: &Script) -> Result<ScriptValue> {
        let execution = self.api.execution();
        crate::engine::execute_with_limits(
            self.engine.as_ref(),
            script,
            execution.config.config.run.timeout_ms,
            &execution.cancel,
        )
        .await
    }

    /// Runs a script and streams its events, ending with `finished`.
    pub fn execute_script_streaming(&self, script: Script) -> BoxStream<'static, RunEvent> {
        Arc::clone(&self.engine).execute_script_streaming(script, Arc::clone(&self.api))
    }

    /// Runs a script and collects its events.
    pub async fn run(&self, script: Script) -> RunOutcome {
        let events: Vec<RunEvent> = self.execute_script_streaming(script).collect().await;
        let exit_code = events
            .iter()
            .rev()
            .find_map(|e| match e {
                RunEvent::Finished { exit_code, .. } => Some(*exit_code),
                _ => None,
            })
            .unwrap_or(1);
        RunOutcome { events, exit_code }
    }
}
