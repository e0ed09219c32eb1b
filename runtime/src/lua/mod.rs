//! `LuaEngine`: Lua 5.4 through mlua, sandboxed, with the llmspell API injected from the
//! definition.

mod api;
mod convert;
mod errors;
mod sandbox;

use std::sync::Arc;

use mlua::chunk::ChunkMode;
use mlua::{Function, Lua, MultiValue, Table, Value};

use crate::api_context::ApiContext;
use crate::engine::{EngineFeatures, Script, ScriptEngineBridge, ScriptEnginePlugin};
use crate::error::{Result, RuntimeError};
use crate::value::ScriptValue;

use crate::limits::RunLimits;
pub use api::{IMPLEMENTED, IMPLEMENTED_GLOBALS, check_coverage, fields_key, methods_key};

const PRELUDE: &str = include_str!("prelude.lua");

pub struct LuaEngine {
    lua: Lua,
    api: Option<Arc<ApiContext>>,
    limits: Arc<RunLimits>,
}

impl LuaEngine {
    /// A sandboxed Lua state without the llmspell API; `inject_apis` adds it.
    pub fn new() -> Result<LuaEngine> {
        let lua = sandbox::new_state().map_err(engine_error)?;
        let limits = Arc::new(RunLimits::default());
        sandbox::install_hook(&lua, Arc::clone(&limits)).map_err(engine_error)?;
        Ok(LuaEngine {
            lua,
            api: None,
            limits,
        })
    }

    /// The Lua state, for tests that inspect what a script sees.
    pub fn lua(&self) -> &Lua {
        &self.lua
    }

    /// Wraps the main chunk in the prelude's `run_main`, which describes table error values.
    fn main_wrapper(&self, main: Function) -> mlua::Result<Function> {
        let helpers: Table = self.lua.named_registry_value("llmspell.helpers")?;
        let describe = self.lua.create_function(|lua, value: Value| {
            Ok(match convert::to_script(lua, &value) {
                Ok(value) => value.to_json().to_string(),
                Err(_) => "a table that cannot be shown (does it contain itself?)".to_owned(),
            })
        })?;
        helpers.get::<Function>("run_main")?.call((main, describe))
    }

    fn install_output(&self, api: &Arc<ApiContext>, helpers: &Table) -> mlua::Result<()> {
        let globals = self.lua.globals();
        let io: Table = globals.get("io")?;
        let events = Arc::clone(&api.events);
        let write = self.lua.create_function(move |lua, values: MultiValue| {
            let mut text = String::new();
            for (i, value) in values.iter().enumerate() {
                match value {
                    Value::String(s) => text.push_str(&s.to_string_lossy()),
                    Value::Integer(_) | Value::Number(_) => text.push_str(&value.to_string()?),
                    other => {
                        let message = format!(
                            "io.write: argument {} must be a string or number, got {}",
                            i + 1,
                            other.type_name()
                        );
                        return Ok((false, Value::String(lua.create_string(&message)?)));
                    }
                }
            }
            events.output(text, false).map_err(mlua::Error::external)?;
            Ok((true, Value::Nil))
        })?;
        io.set(
            "write",
            helpers.get::<Function>("wrap")?.call::<Function>(write)?,
        )?;
        let events = Arc::clone(&api.events);
        globals.set(
            "warn",
            self.lua.create_function(move |_, values: MultiValue| {
                let mut text = String::new();
                for value in values.iter() {
                    text.push_str(&value.to_string()?);
                }
                // Lua's control messages ("@on", "@off") switch warnings; all warnings are shown.
                if text.starts_with('@') {
                    return Ok(());
                }
                events
                    .output(format!("Lua warning: {text}\n"), true)
                    .map_err(mlua::Error::external)
            })?,
        )
    }
}

fn engine_error(e: mlua::Error) -> RuntimeError {
    RuntimeError::Unsupported(format!("could not start the Lua engine: {e}"))
}

#[async_trait::async_trait]
impl ScriptEngineBridge for LuaEngine {
    fn engine_name(&self) -> &'static str {
        "lua"
    }

    fn supports_streaming(&self) -> bool {
        true
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn features(&self) -> EngineFeatures {
        EngineFeatures {
            async_execution: true,
            streaming: true,
            memory_limit: true,
            wall_clock_limit: true,
            file_extensions: vec!["lua".into()],
        }
    }

    fn inject_apis(&mut self, api: &Arc<ApiContext>) -> Result<()> {
        let setup = || -> mlua::Result<Result<()>> {
            let helpers: Table = self
                .lua
                .load(PRELUDE)
                .set_name("=llmspell-prelude")
                .eval()?;
            self.lua
                .set_named_registry_value("llmspell.helpers", &helpers)?;
            self.lua
                .set_named_registry_value(convert::EMPTY_LIST_KEY, self.lua.create_table()?)?;
            sandbox::restrict(&self.lua, &helpers, &api.definition.lua_stdlib)?;
            let coroutine: Table = self.lua.globals().get("coroutine")?;
            helpers
                .get::<Function>("transparent_coroutines")?
                .call::<()>((coroutine, Lua::poll_pending()))?;
            let limits = Arc::clone(&self.limits);
            let guard = self
                .lua
                .create_function(move |_, ()| match limits.check() {
                    Some(error) => Err(mlua::Error::external(error)),
                    None => Ok(()),
                })?;
            helpers.get::<Function>("set_guard")?.call::<()>(guard)?;
            self.install_output(api, &helpers)?;
            let injector = api::Injector {
                lua: &self.lua,
                api: Arc::clone(api),
                helpers: helpers.clone(),
            };
            if let Err(e) = injector.inject() {
                return Ok(Err(RuntimeError::Unsupported(e)));
            }
            let globals = self.lua.globals();
            let print: Function = globals.get("print")?;
            globals.set(
                "print",
                helpers
                    .get::<Function>("guarded")?
                    .call::<Function>(print)?,
            )?;
            Ok(Ok(()))
        };
        setup().map_err(engine_error)??;
        self.api = Some(Arc::clone(api));
        Ok(())
    }

    async fn execute_script(&self, script: &Script) -> Result<ScriptValue> {
        let api = self.api.as_ref().ok_or_else(|| {
            RuntimeError::Unsupported("the Lua engine's APIs were not injected".into())
        })?;
        let execution = api.execution();
        let run = &execution.config.config.run;
        self.limits.start(run.timeout_ms, execution.cancel.clone());
        api.events.set_max_output_bytes(run.max_output_bytes);
        let memory_limit =
            usize::try_from(run.memory_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
        // The limit counts what the state already holds, so it is set above current use.
        let used = self.lua.used_memory();
        self.lua
            .set_memory_limit(used.saturating_add(memory_limit))
            .map_err(engine_error)?;
        let args = self
            .lua
            .create_sequence_from(execution.args.iter().map(String::as_str))
            .map_err(engine_error)?;
        self.lua.globals().set("ARGS", args).map_err(engine_error)?;

        let chunk_name = script.name.clone();
        let function: Function = self
            .lua
            .load(script.source.as_str())
            .set_name(format!("@{chunk_name}"))
            .set_mode(ChunkMode::Text)
            .into_function()
            .map_err(|e| errors::locate(errors::from_lua_error(e), &chunk_name))?;
        let main = self.main_wrapper(function).map_err(engine_error)?;
        let outcome = main.call_async::<Value>(()).await;
        // A limit the script caught with pcall still ends the run with that limit's error.
        if let Some(limit) = self.limits.hit() {
            return Err(limit);
        }
        if api.events.output_capped() {
            return Err(crate::events::output_limit_error(run.max_output_bytes));
        }
        let value = outcome.map_err(|e| errors::locate(errors::from_lua_error(e), &chunk_name))?;
        convert::to_script(&self.lua, &value)
            .map_err(|e| errors::locate(errors::from_lua_error(e), &chunk_name))
    }

    fn record_limit(&self, error: RuntimeError) {
        self.limits.record(error);
    }
}

/// Registers the Lua engine with an `EngineRegistry`, like any third-party engine.
pub struct LuaPlugin;

impl ScriptEnginePlugin for LuaPlugin {
    fn engine_name(&self) -> &'static str {
        "lua"
    }

    fn file_extensions(&self) -> &[&'static str] {
        &["lua"]
    }

    fn create(&self) -> Result<Box<dyn ScriptEngineBridge>> {
        Ok(Box::new(LuaEngine::new()?))
    }
}
