//! `JsEngine`: JavaScript (ES2023 modules with top-level `await`) through QuickJS (rquickjs),
//! sandboxed, with the llmspell API injected from the definition.

mod api;
mod convert;
mod errors;

use std::cell::RefCell;
use std::sync::Arc;

use rquickjs::loader::{Loader, Resolver};
use rquickjs::{AsyncContext, AsyncRuntime, Ctx, JsLifetime, Module, Object, Value};

use crate::api_context::ApiContext;
use crate::engine::{EngineFeatures, Script, ScriptEngineBridge, ScriptEnginePlugin};
use crate::error::{LimitKind, Result, RuntimeError};
use crate::limits::RunLimits;
use crate::value::ScriptValue;

pub use api::{IMPLEMENTED, IMPLEMENTED_GLOBALS, check_coverage};

const PRELUDE: &str = include_str!("prelude.js");

/// The run limits, reachable from API functions through the context's userdata.
#[derive(JsLifetime)]
pub struct EngineLimits(pub Arc<RunLimits>);

pub struct JsEngine {
    /// The QuickJS runtime of the next run. A runtime is used for one run only: Promise jobs a
    /// finished run left queued would otherwise run during the next one.
    state: tokio::sync::Mutex<JsState>,
    api: Option<Arc<ApiContext>>,
    limits: Arc<RunLimits>,
}

struct JsState {
    runtime: AsyncRuntime,
    context: AsyncContext,
    used: bool,
}

fn engine_error(e: impl std::fmt::Display) -> RuntimeError {
    RuntimeError::Unsupported(format!("could not start the JavaScript engine: {e}"))
}

/// Refuses every `import`: scripts are single files, and QuickJS's `std`/`os` modules (files,
/// processes) must not be reachable.
struct NoModules;

impl Resolver for NoModules {
    fn resolve<'js>(
        &mut self,
        _ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<rquickjs::loader::ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        Err(rquickjs::Error::new_resolving_message(
            base,
            name,
            format!("import '{name}': modules are not available in the llmspell sandbox"),
        ))
    }
}

impl Loader for NoModules {
    fn load<'js>(
        &mut self,
        _ctx: &Ctx<'js>,
        name: &str,
        _attributes: Option<rquickjs::loader::ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js>> {
        Err(rquickjs::Error::new_loading_message(
            name,
            "modules are not available in the llmspell sandbox",
        ))
    }
}

impl JsEngine {
    /// A sandboxed QuickJS runtime without the llmspell API; `inject_apis` adds it.
    pub fn new() -> Result<JsEngine> {
        let limits = Arc::new(RunLimits::default());
        let state = futures::executor::block_on(new_state(&limits, None))?;
        Ok(JsEngine {
            state: tokio::sync::Mutex::new(state),
            api: None,
            limits,
        })
    }
}

/// A fresh runtime and context, sandboxed, with the API injected when `api` is given.
async fn new_state(limits: &Arc<RunLimits>, api: Option<&Arc<ApiContext>>) -> Result<JsState> {
    let runtime = AsyncRuntime::new().map_err(engine_error)?;
    let hook_limits = Arc::clone(limits);
    runtime
        .set_interrupt_handler(Some(Box::new(move || hook_limits.check().is_some())))
        .await;
    runtime.set_loader(NoModules, NoModules).await;
    let context = AsyncContext::full(&runtime).await.map_err(engine_error)?;
    if let Some(api) = api {
        inject(&context, api, limits).await?;
    }
    Ok(JsState {
        runtime,
        context,
        used: false,
    })
}

/// Evaluates the prelude and injects the API into `context`.
async fn inject(
    context: &AsyncContext,
    api: &Arc<ApiContext>,
    limits: &Arc<RunLimits>,
) -> Result<()> {
    let api = Arc::clone(api);
    let limits = Arc::clone(limits);
    let injected = context
        .with(move |ctx| -> std::result::Result<(), String> {
            let helpers: Object = ctx
                .eval_with_options(PRELUDE, {
                    let mut options = rquickjs::context::EvalOptions::default();
                    options.filename = Some(errors::PRELUDE_NAME.into());
                    options
                })
                .map_err(|e| format!("prelude: {}", errors::from_js_error(&ctx, e)))?;
            let injector = api::Injector {
                ctx: &ctx,
                api,
                helpers,
            };
            let prototypes = injector.inject()?;
            ctx.store_userdata(prototypes).map_err(|e| e.to_string())?;
            ctx.store_userdata(convert::Handles::default())
                .map_err(|e| e.to_string())?;
            ctx.store_userdata(convert::Callbacks {
                functions: RefCell::new(Vec::new()),
                pump: RefCell::new(None),
            })
            .map_err(|e| e.to_string())?;
            ctx.store_userdata(EngineLimits(limits))
                .map_err(|e| e.to_string())?;
            Ok(())
        })
        .await;
    injected.map_err(RuntimeError::Unsupported)
}

#[async_trait::async_trait]
impl ScriptEngineBridge for JsEngine {
    fn engine_name(&self) -> &'static str {
        "javascript"
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
            file_extensions: vec!["js".into(), "mjs".into()],
        }
    }

    fn inject_apis(&mut self, api: &Arc<ApiContext>) -> Result<()> {
        let state = self.state.get_mut();
        futures::executor::block_on(inject(&state.context, api, &self.limits))?;
        self.api = Some(Arc::clone(api));
        Ok(())
    }

    async fn execute_script(&self, script: &Script) -> Result<ScriptValue> {
        let api = self.api.as_ref().ok_or_else(|| {
            RuntimeError::Unsupported("the JavaScript engine's APIs were not injected".into())
        })?;
        let execution = api.execution();
        let run = &execution.config.config.run;
        self.limits.start(run.timeout_ms, execution.cancel.clone());
        api.events.set_max_output_bytes(run.max_output_bytes);
        let memory_limit =
            usize::try_from(run.memory_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
        let mut state = self.state.lock().await;
        if state.used {
            *state = new_state(&self.limits, Some(api)).await?;
        }
        state.used = true;
        state.runtime.set_memory_limit(memory_limit).await;

        let name = script.name.clone();
        let source = script.source.clone();
        let args = execution.args.clone();
        let outcome = state
            .context
            .async_with(async move |ctx| -> Result<ScriptValue> {
                let argv = rquickjs::Array::new(ctx.clone())
                    .map_err(|e| errors::from_js_error(&ctx, e))?;
                for (i, arg) in args.iter().enumerate() {
                    argv.set(i, arg.as_str())
                        .map_err(|e| errors::from_js_error(&ctx, e))?;
                }
                ctx.globals()
                    .set("ARGS", argv)
                    .map_err(|e| errors::from_js_error(&ctx, e))?;
                let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
                if let Some(callbacks) = ctx.userdata::<convert::Callbacks>() {
                    callbacks.functions.borrow_mut().clear();
                    *callbacks.pump.borrow_mut() = Some(sender);
                }
                ctx.spawn(convert::run_pump(ctx.clone(), receiver));
                let result = run_module(&ctx, &name, &source).await;
                if let Some(callbacks) = ctx.userdata::<convert::Callbacks>() {
                    *callbacks.pump.borrow_mut() = None;
                }
                result
            })
            .await;
        // A limit the script caught with try/catch still ends the run with that limit's error.
        if let Some(limit) = self.limits.hit() {
            return Err(limit);
        }
        if api.events.output_capped() {
            return Err(crate::events::output_limit_error(run.max_output_bytes));
        }
        // QuickJS reports running out of memory as an "out of memory" InternalError, or, when
        // even that error cannot be allocated, by throwing null; a failed run whose runtime is
        // at its limit ran out of memory either way.
        let usage = state.runtime.memory_usage().await;
        let at_limit = usage.malloc_size as u64 + 256 * 1024 >= memory_limit as u64;
        outcome.map_err(|e| match e {
            RuntimeError::Script { ref message, .. }
                if message.contains("out of memory") || at_limit =>
            {
                RuntimeError::Limit {
                    kind: LimitKind::Memory,
                    what: "memory limit exceeded".into(),
                }
            }
            other => other,
        })
    }

    fn record_limit(&self, error: RuntimeError) {
        self.limits.record(error);
    }
}

/// Evaluates the script as an ES module (so top-level `await` works) and returns its default
/// export, the JavaScript counterpart of a Lua script's return value.
async fn run_module<'js>(ctx: &Ctx<'js>, name: &str, source: &str) -> Result<ScriptValue> {
    let declared =
        Module::declare(ctx.clone(), name, source).map_err(|e| errors::from_js_error(ctx, e))?;
    let (module, promise) = declared.eval().map_err(|e| errors::from_js_error(ctx, e))?;
    promise
        .into_future::<Value>()
        .await
        .map_err(|e| errors::from_js_error(ctx, e))?;
    let default: Value = module
        .get("default")
        .unwrap_or_else(|_| Value::new_undefined(ctx.clone()));
    convert::to_script(ctx, &default)
}

/// Registers the JavaScript engine with an `EngineRegistry`.
pub struct JsPlugin;

impl ScriptEnginePlugin for JsPlugin {
    fn engine_name(&self) -> &'static str {
        "javascript"
    }

    fn file_extensions(&self) -> &[&'static str] {
        &["js", "mjs"]
    }

    fn create(&self) -> Result<Box<dyn ScriptEngineBridge>> {
        Ok(Box::new(JsEngine::new()?))
    }
}
