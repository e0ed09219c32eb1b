//! The engine bridge: the language-agnostic interface every script engine implements, the
//! plugin interface that adds engines by name, and the registry the built-in engines also go
//! through.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::{self, BoxStream, StreamExt};

use crate::api_context::ApiContext;
use crate::error::{Result, RuntimeError};
use crate::events::{EventSink, RunEvent};
use crate::value::ScriptValue;

/// A script to run: its text and the name used in error locations (usually its path).
#[derive(Debug, Clone)]
pub struct Script {
    pub source: String,
    pub name: String,
}

impl Script {
    pub fn new(name: impl Into<String>, source: impl Into<String>) -> Self {
        Script {
            name: name.into(),
            source: source.into(),
        }
    }
}

/// What an engine can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineFeatures {
    /// API calls may suspend the script (agents, tools and workflows are async).
    pub async_execution: bool,
    /// Output arrives while the script runs.
    pub streaming: bool,
    pub memory_limit: bool,
    pub wall_clock_limit: bool,
    /// File extensions (without the dot) this engine runs.
    pub file_extensions: Vec<String>,
}

#[async_trait::async_trait]
pub trait ScriptEngineBridge: Send + Sync + 'static {
    fn engine_name(&self) -> &'static str;

    fn supports_streaming(&self) -> bool;

    fn features(&self) -> EngineFeatures;

    /// The engine as `Any`, so callers that know the concrete engine (tests, tools that
    /// inspect a Lua state) can reach it.
    fn as_any(&self) -> &dyn std::any::Any;

    /// Makes the API of the definition available to scripts. Called once, before any run.
    fn inject_apis(&mut self, api: &Arc<ApiContext>) -> Result<()>;

    /// Runs a script to its end and returns what it returned. Output goes to the API
    /// context's event sink while it runs. Limits are enforced inside the engine (an
    /// instruction hook or interrupt handler) and by `execute_with_limits` around it.
    async fn execute_script(&self, script: &Script) -> Result<ScriptValue>;

    /// Tells the engine that a limit was enforced from outside, so a later run of the same
    /// engine does not mistake the abandoned state for success.
    fn record_limit(&self, _error: RuntimeError) {}

    /// Runs a script and streams its events: `started`, the script's output, then `result` or
    /// `error`, and `finished` last.
    fn execute_script_streaming(
        self: Arc<Self>,
        script: Script,
        api: Arc<ApiContext>,
    ) -> BoxStream<'static, RunEvent> {
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
        let events = Arc::clone(&api.events);
        events.connect(sender);
        let engine = self;
        tokio::spawn(async move {
            run_to_events(engine.as_ref(), &script, &api).await;
            api.events.disconnect();
        });
        stream::poll_fn(move |cx| receiver.poll_recv(cx)).boxed()
    }
}

/// Runs a script and emits its `started`, terminal and `finished` events to the API context's
/// sink. Returns the exit code.
pub async fn run_to_events<E: ScriptEngineBridge + ?Sized>(
    engine: &E,
    script: &Script,
    api: &ApiContext,
) -> i32 {
    let events: &EventSink = &api.events;
    events.emit(RunEvent::Started {
        engine: engine.engine_name().to_owned(),
        file: script.name.clone(),
    });
    let started = Instant::now();
    let execution = api.execution();
    let result = execute_with_limits(
        engine,
        script,
        execution.config.config.run.timeout_ms,
        &execution.cancel,
    )
    .await;
    let exit_code = match &result {
        Ok(value) => {
            events.emit(RunEvent::Result {
                value: value.to_json(),
            });
            0
        }
        Err(error) => {
            events.emit(RunEvent::from_error(error));
            error.exit_code()
        }
    };
    events.emit(RunEvent::Finished {
        exit_code,
        duration_ms: started.elapsed().as_millis() as u64,
    });
    exit_code
}

/// Races a run against its wall-clock limit and its cancellation. The engine stops tight loops
/// itself; this stops a script that is waiting (on a model, a tool, a sleep).
pub async fn execute_with_limits<E: ScriptEngineBridge + ?Sized>(
    engine: &E,
    script: &Script,
    timeout_ms: u64,
    cancel: &tokio_util::sync::CancellationToken,
) -> Result<ScriptValue> {
    tokio::select! {
        // A tool that noticed the cancellation first fails with its own message; the run
        // still ends as cancelled, because that is what happened.
        result = engine.execute_script(script) => match result {
            Err(_) if cancel.is_cancelled() => Err(RuntimeError::Cancelled),
            other => other,
        },
        () = tokio::time::sleep(Duration::from_millis(timeout_ms)) => {
            let error = crate::limits::time_limit_error(timeout_ms);
            engine.record_limit(error.clone());
            Err(error)
        }
        () = cancel.cancelled() => {
            engine.record_limit(RuntimeError::Cancelled);
            Err(RuntimeError::Cancelled)
        }
    }
}

/// Creates engines of one kind. Third parties implement this to add an engine; the built-in
/// Lua and JavaScript engines are registered the same way.
pub trait ScriptEnginePlugin: Send + Sync {
    fn engine_name(&self) -> &'static str;

    /// File extensions (without the dot) whose scripts this engine runs.
    fn file_extensions(&self) -> &[&'static str];

    fn create(&self) -> Result<Box<dyn ScriptEngineBridge>>;
}

/// Engines by name and by file extension.
pub struct EngineRegistry {
    plugins: Vec<Arc<dyn ScriptEnginePlugin>>,
}

impl Default for EngineRegistry {
    fn default() -> Self {
        Self::with_builtin_engines()
    }
}

impl EngineRegistry {
    pub fn empty() -> Self {
        EngineRegistry {
            plugins: Vec::new(),
        }
    }

    /// A registry with the Lua and JavaScript engines.
    pub fn with_builtin_engines() -> Self {
        let mut registry = EngineRegistry::empty();
        let builtin: [Arc<dyn ScriptEnginePlugin>; 2] = [
            Arc::new(crate::lua::LuaPlugin),
            Arc::new(crate::js::JsPlugin),
        ];
        for plugin in builtin {
            registry.plugins.push(plugin);
        }
        registry
    }

    /// Adds an engine. Names and extensions must not clash with registered engines.
    pub fn register(&mut self, plugin: Arc<dyn ScriptEnginePlugin>) -> Result<()> {
        if self
            .plugins
            .iter()
            .any(|p| p.engine_name() == plugin.engine_name())
        {
            return Err(RuntimeError::Unsupported(format!(
                "an engine named '{}' is already registered",
                plugin.engine_name()
            )));
        }
        for ext in plugin.file_extensions() {
            if let Some(owner) = self
                .plugins
                .iter()
                .find(|p| p.file_extensions().contains(ext))
            {
                return Err(RuntimeError::Unsupported(format!(
                    "extension .{ext} already belongs to the '{}' engine",
                    owner.engine_name()
                )));
            }
        }
        self.plugins.push(plugin);
        Ok(())
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.plugins.iter().map(|p| p.engine_name()).collect()
    }

    pub fn create(&self, name: &str) -> Result<Box<dyn ScriptEngineBridge>> {
        match self.plugins.iter().find(|p| p.engine_name() == name) {
            Some(plugin) => plugin.create(),
            None => Err(RuntimeError::Unsupported(format!(
                "unknown script engine '{name}' (known engines: {})",
                self.names().join(", ")
            ))),
        }
    }

    /// The engine for a script file, chosen by its extension.
    pub fn engine_name_for_path(&self, path: &Path) -> Result<&'static str> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        self.plugins
            .iter()
            .find(|p| p.file_extensions().contains(&ext))
            .map(|p| p.engine_name())
            .ok_or_else(|| {
                let known: Vec<String> = self
                    .plugins
                    .iter()
                    .flat_map(|p| p.file_extensions().iter().map(|e| format!(".{e}")))
                    .collect();
                RuntimeError::Unsupported(format!(
                    "{}: no script engine runs '.{ext}' files (known extensions: {})",
                    path.display(),
                    known.join(", ")
                ))
            })
    }
}

/// Checks an engine's list of implemented API members against the definition, both ways: every
/// member declared for `language` (of its namespaces and of the object types) must be
/// implemented, and every implementation declared. `implemented` holds (type, member) pairs;
/// `implemented_globals` the globals that are not namespaces (`print`, `ARGS`).
pub fn check_coverage(
    def: &crate::definition::ApiDefinition,
    language: crate::definition::Language,
    engine: &str,
    implemented: &[(&str, &str)],
    implemented_globals: &[&str],
) -> std::result::Result<(), String> {
    use crate::definition::TypeKind;
    let mut declared: Vec<(&str, &str)> = Vec::new();
    let mut declared_globals: Vec<&str> = Vec::new();
    for global in def.globals_for(language) {
        match def.global_type(global) {
            Some(ty) if ty.kind == TypeKind::Namespace => {
                declared.extend(
                    ty.members
                        .iter()
                        .map(|m| (ty.name.as_str(), m.name.as_str())),
                );
            }
            _ => declared_globals.push(&global.name),
        }
    }
    for ty in def.types.values().filter(|t| t.kind == TypeKind::Object) {
        declared.extend(
            ty.members
                .iter()
                .map(|m| (ty.name.as_str(), m.name.as_str())),
        );
    }
    let missing: Vec<String> = declared
        .iter()
        .filter(|d| !implemented.contains(d))
        .map(|(t, m)| format!("{t}.{m}"))
        .chain(
            declared_globals
                .iter()
                .filter(|g| !implemented_globals.contains(g))
                .map(|g| (*g).to_owned()),
        )
        .collect();
    let extra: Vec<String> = implemented
        .iter()
        .filter(|i| !declared.contains(i))
        .map(|(t, m)| format!("{t}.{m}"))
        .chain(
            implemented_globals
                .iter()
                .filter(|g| !declared_globals.contains(g))
                .map(|g| (*g).to_owned()),
        )
        .collect();
    if missing.is_empty() && extra.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the {engine} engine and the API definition disagree: declared but not implemented: {missing:?}; implemented but not declared: {extra:?}"
        ))
    }
}
