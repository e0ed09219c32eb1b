//! Injects the llmspell API into a JavaScript context from the API definition.
//!
//! As for Lua, every declared global, namespace member, method and field is bound to an
//! implementation here, and a declared member without one (or one without a declaration) is an
//! error when the engine is created. Methods whose definition says `async` return Promises;
//! `agent.stream` returns an async iterator.

use std::sync::Arc;

use futures::StreamExt;
use futures::stream::BoxStream;
use rquickjs::prelude::{Async, Rest};
use rquickjs::{Array, Ctx, Function, Object, Value};
use tokio::sync::Mutex as AsyncMutex;

use super::convert::{to_js, to_script};
use crate::api_context::ApiContext;
use crate::definition::{ApiDefinition, GlobalKind, Language, MemberKind, TypeDef, TypeKind};
use crate::error::{Result as RuntimeResult, RuntimeError};
use crate::value::ScriptValue;
use crate::workflow::WorkflowKind;

/// Every (type, member) this engine implements. Checked against the definition both ways.
pub const IMPLEMENTED: &[(&str, &str)] = &[
    ("Agent", "execute"),
    ("Agent", "model"),
    ("Agent", "name"),
    ("Agent", "stream"),
    ("AgentApi", "create"),
    ("AgentApi", "get"),
    ("AgentApi", "list"),
    ("Console", "error"),
    ("Console", "info"),
    ("Console", "log"),
    ("Console", "warn"),
    ("Tool", "description"),
    ("Tool", "execute"),
    ("Tool", "name"),
    ("Tool", "schema"),
    ("ToolApi", "execute"),
    ("ToolApi", "exists"),
    ("ToolApi", "get"),
    ("ToolApi", "list"),
    ("ToolApi", "register"),
    ("Workflow", "execute"),
    ("Workflow", "kind"),
    ("Workflow", "name"),
    ("WorkflowApi", "conditional"),
    ("WorkflowApi", "loop"),
    ("WorkflowApi", "parallel"),
    ("WorkflowApi", "sequential"),
];

/// Global values this engine implements, besides namespaces.
pub const IMPLEMENTED_GLOBALS: &[&str] = &["ARGS"];

/// The `[ok, value]` pair the prelude's wrappers expect. Script errors are thrown by the
/// wrapper; limits and cancellation are recorded by the engine before they get here, and are
/// thrown the same way (the run still ends with the limit's error).
fn reply<'js>(ctx: &Ctx<'js>, result: RuntimeResult<Value<'js>>) -> rquickjs::Result<Value<'js>> {
    let pair = Array::new(ctx.clone())?;
    match result {
        Ok(value) => {
            pair.set(0, true)?;
            pair.set(1, value)?;
        }
        Err(error) => {
            if !matches!(error, RuntimeError::Script { .. })
                && let Some(limits) = ctx.userdata::<super::EngineLimits>()
            {
                limits.0.record(error.clone());
            }
            pair.set(0, false)?;
            pair.set(1, error.to_string())?;
        }
    }
    Ok(pair.into_value())
}

fn js_error(ctx: &Ctx<'_>, call: &str, error: rquickjs::Error) -> RuntimeError {
    match super::errors::from_js_error(ctx, error) {
        RuntimeError::Script { message, .. } => RuntimeError::api(call, message),
        other => other,
    }
}

fn arg<'js>(
    ctx: &Ctx<'js>,
    call: &str,
    args: &[Value<'js>],
    index: usize,
) -> RuntimeResult<ScriptValue> {
    match args.get(index) {
        Some(value) => to_script(ctx, value).map_err(|e| RuntimeError::api(call, e)),
        None => Ok(ScriptValue::Nil),
    }
}

/// The API object a method was called on, converted; anything else is a clear error (a method
/// detached from its object, say `const f = agent.execute; f()`).
fn receiver<'js>(
    ctx: &Ctx<'js>,
    call: &str,
    this: &Value<'js>,
    type_name: &str,
) -> RuntimeResult<ScriptValue> {
    let value = to_script(ctx, this).unwrap_or(ScriptValue::Nil);
    if value.type_name() == type_name {
        Ok(value)
    } else {
        Err(RuntimeError::api(
            call,
            format!("must be called on {type_name} (got {})", value.type_name()),
        ))
    }
}

fn string_arg(call: &str, value: &ScriptValue, what: &str) -> RuntimeResult<String> {
    value.as_str().map(str::to_owned).ok_or_else(|| {
        RuntimeError::api(
            call,
            format!("{what} must be string, got {}", value.type_name()),
        )
    })
}

pub struct Injector<'a, 'js> {
    pub ctx: &'a Ctx<'js>,
    pub api: Arc<ApiContext>,
    pub helpers: Object<'js>,
}

impl<'js> Injector<'_, 'js> {
    /// Injects every global the definition declares for JavaScript and builds the prototypes
    /// of the API object types.
    pub fn inject(&self) -> Result<super::convert::Prototypes<'js>, String> {
        let def = self.api.definition;
        check_coverage(def)?;
        let globals = self.ctx.globals();
        for global in def.globals_for(Language::Js) {
            let value = match (global.kind, def.global_type(global)) {
                (GlobalKind::Namespace | GlobalKind::Value, Some(ty))
                    if ty.kind == TypeKind::Namespace =>
                {
                    self.namespace(ty)
                        .map_err(|e| format!("{}: {e}", global.name))?
                }
                (GlobalKind::Value, _) if global.name == "ARGS" => Array::new(self.ctx.clone())
                    .map_err(|e| e.to_string())?
                    .into_value(),
                _ => {
                    return Err(format!(
                        "the JavaScript engine does not implement global '{}'",
                        global.name
                    ));
                }
            };
            globals
                .set(global.name.as_str(), value)
                .map_err(|e| e.to_string())?;
        }
        let set_prototype: Function = self
            .helpers
            .get("setPrototype")
            .map_err(|e| e.to_string())?;
        for ty in def.types.values().filter(|t| t.kind == TypeKind::Object) {
            let prototype = self
                .prototype(ty)
                .map_err(|e| format!("{}: {e}", ty.name))?;
            set_prototype
                .call::<_, ()>((ty.name.as_str(), prototype))
                .map_err(|e| e.to_string())?;
        }
        Ok(super::convert::Prototypes {
            make_object: self.helpers.get("makeObject").map_err(|e| e.to_string())?,
            handle_of: self.helpers.get("handleOf").map_err(|e| e.to_string())?,
            make_stream: self.helpers.get("makeStream").map_err(|e| e.to_string())?,
        })
    }

    fn namespace(&self, ty: &TypeDef) -> rquickjs::Result<Value<'js>> {
        let object = Object::new(self.ctx.clone())?;
        for member in &ty.members {
            object.set(member.name.as_str(), self.member(ty, &member.name)?)?;
        }
        let freeze: Function = self.helpers.get("freeze")?;
        freeze.call((object,))
    }

    fn prototype(&self, ty: &TypeDef) -> rquickjs::Result<Object<'js>> {
        let prototype = Object::new(self.ctx.clone())?;
        let define_getter: Function = self.helpers.get("defineGetter")?;
        for member in &ty.members {
            let f = self.member(ty, &member.name)?;
            if member.kind == MemberKind::Field {
                define_getter.call::<_, ()>((prototype.clone(), member.name.as_str(), f))?;
            } else {
                prototype.set(member.name.as_str(), f)?;
            }
        }
        Ok(prototype)
    }

    /// Wraps a raw `[ok, value]` function with the prelude's sync or async wrapper.
    fn wrapped(
        &self,
        name: &str,
        raw: Function<'js>,
        is_async: bool,
    ) -> rquickjs::Result<Function<'js>> {
        let wrapper: Function =
            self.helpers
                .get(if is_async { "wrapAsync" } else { "wrapSync" })?;
        wrapper.call((name, raw))
    }

    /// A synchronous API function: `body(this, args)` returns the value to hand back.
    fn sync_fn(
        &self,
        call: &'static str,
        body: impl Fn(&Ctx<'js>, &Value<'js>, &[Value<'js>]) -> RuntimeResult<ScriptValue> + 'js,
    ) -> rquickjs::Result<Function<'js>> {
        let raw = Function::new(
            self.ctx.clone(),
            move |ctx: Ctx<'js>, this: Value<'js>, args: Rest<Value<'js>>| {
                let result = body(&ctx, &this, &args.0)
                    .and_then(|v| to_js(&ctx, &v).map_err(|e| js_error(&ctx, call, e)));
                reply(&ctx, result)
            },
        )?;
        self.wrapped(call, raw, false)
    }

    /// An async API function: `start(this, args)` converts the arguments now and returns the
    /// future that does the work; its result is converted back when it is ready.
    fn async_fn<F>(
        &self,
        call: &'static str,
        start: impl Fn(&Ctx<'js>, &Value<'js>, &[Value<'js>]) -> RuntimeResult<F> + 'js,
    ) -> rquickjs::Result<Function<'js>>
    where
        F: std::future::Future<Output = RuntimeResult<ScriptValue>> + 'js,
    {
        let start = Arc::new(start);
        let raw = Function::new(
            self.ctx.clone(),
            Async(
                move |ctx: Ctx<'js>, this: Value<'js>, args: Rest<Value<'js>>| {
                    let work = start(&ctx, &this, &args.0);
                    async move {
                        let result = match work {
                            Ok(future) => future.await,
                            Err(e) => Err(e),
                        };
                        let result = result
                            .and_then(|v| to_js(&ctx, &v).map_err(|e| js_error(&ctx, call, e)));
                        reply(&ctx, result)
                    }
                },
            ),
        )?;
        self.wrapped(call, raw, true)
    }

    /// The function implementing `type_name.member`.
    fn member(&self, ty: &TypeDef, member: &str) -> rquickjs::Result<Function<'js>> {
        let api = Arc::clone(&self.api);
        let f = match (ty.name.as_str(), member) {
            ("AgentApi", "create") => self.sync_fn("Agent.create", move |ctx, _, args| {
                let config = arg(ctx, "Agent.create", args, 0)?;
                api.agent_create(&config).map(ScriptValue::Agent)
            })?,
            ("AgentApi", "get") => self.sync_fn("Agent.get", move |ctx, _, args| {
                let name = string_arg("Agent.get", &arg(ctx, "Agent.get", args, 0)?, "name")?;
                Ok(api
                    .agent_get(&name)
                    .map(ScriptValue::Agent)
                    .unwrap_or(ScriptValue::Nil))
            })?,
            ("AgentApi", "list") => {
                self.sync_fn("Agent.list", move |_, _, _| Ok(api.agent_list()))?
            }
            ("Agent", "execute") => self.async_fn("agent.execute", move |ctx, this, args| {
                const CALL: &str = "agent.execute";
                let ScriptValue::Agent(agent) = receiver(ctx, CALL, this, "Agent")? else {
                    unreachable!("checked")
                };
                let input = arg(ctx, CALL, args, 0)?;
                let api = Arc::clone(&api);
                Ok(async move { api.agent_execute(CALL, &agent, &input).await })
            })?,
            ("Agent", "stream") => self.stream_fn(api)?,
            ("Agent", "name") => self.sync_fn("agent.name", |ctx, this, _| {
                match receiver(ctx, "agent.name", this, "Agent")? {
                    ScriptValue::Agent(a) => Ok(ScriptValue::String(a.name.clone())),
                    _ => Ok(ScriptValue::Nil),
                }
            })?,
            ("Agent", "model") => self.sync_fn("agent.model", |ctx, this, _| {
                match receiver(ctx, "agent.model", this, "Agent")? {
                    ScriptValue::Agent(a) => Ok(ScriptValue::String(a.model.clone())),
                    _ => Ok(ScriptValue::Nil),
                }
            })?,
            ("ToolApi", "get") => self.sync_fn("Tool.get", move |ctx, _, args| {
                let name = string_arg("Tool.get", &arg(ctx, "Tool.get", args, 0)?, "name")?;
                api.tool_get("Tool.get", &name).map(ScriptValue::Tool)
            })?,
            ("ToolApi", "list") => self.sync_fn("Tool.list", move |_, _, _| Ok(api.tool_list()))?,
            ("ToolApi", "exists") => self.sync_fn("Tool.exists", move |ctx, _, args| {
                let name = arg(ctx, "Tool.exists", args, 0)?;
                Ok(ScriptValue::Bool(
                    name.as_str().is_some_and(|n| api.tool_exists(n)),
                ))
            })?,
            ("ToolApi", "execute") => self.async_fn("Tool.execute", move |ctx, _, args| {
                const CALL: &str = "Tool.execute";
                let name = string_arg(CALL, &arg(ctx, CALL, args, 0)?, "name")?;
                let tool = api.tool_get(CALL, &name)?;
                let params = arg(ctx, CALL, args, 1)?;
                let api = Arc::clone(&api);
                Ok(async move { api.tool_execute(CALL, &tool, &params).await })
            })?,
            ("ToolApi", "register") => self.sync_fn("Tool.register", move |ctx, _, args| {
                let spec = arg(ctx, "Tool.register", args, 0)?;
                api.tool_register(&spec).map(ScriptValue::Tool)
            })?,
            ("Tool", "execute") => self.async_fn("tool.execute", move |ctx, this, args| {
                const CALL: &str = "tool.execute";
                let ScriptValue::Tool(tool) = receiver(ctx, CALL, this, "Tool")? else {
                    unreachable!("checked")
                };
                let params = arg(ctx, CALL, args, 0)?;
                let api = Arc::clone(&api);
                Ok(async move { api.tool_execute(CALL, &tool, &params).await })
            })?,
            ("Tool", "name") => self.sync_fn("tool.name", |ctx, this, _| {
                match receiver(ctx, "tool.name", this, "Tool")? {
                    ScriptValue::Tool(t) => Ok(ScriptValue::String(t.name().to_owned())),
                    _ => Ok(ScriptValue::Nil),
                }
            })?,
            ("Tool", "description") => self.sync_fn("tool.description", |ctx, this, _| {
                match receiver(ctx, "tool.description", this, "Tool")? {
                    ScriptValue::Tool(t) => Ok(ScriptValue::String(t.schema().description.clone())),
                    _ => Ok(ScriptValue::Nil),
                }
            })?,
            ("Tool", "schema") => self.sync_fn("tool.schema", |ctx, this, _| {
                match receiver(ctx, "tool.schema", this, "Tool")? {
                    ScriptValue::Tool(t) => Ok(ApiContext::tool_schema_info(&t)),
                    _ => Ok(ScriptValue::Nil),
                }
            })?,
            ("WorkflowApi", kind_name) => {
                let kind = WorkflowKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == kind_name)
                    .ok_or_else(|| {
                        rquickjs::Error::new_from_js_message(
                            "definition",
                            "Workflow",
                            "unknown workflow kind",
                        )
                    })?;
                let call: &'static str = match kind {
                    WorkflowKind::Sequential => "Workflow.sequential",
                    WorkflowKind::Parallel => "Workflow.parallel",
                    WorkflowKind::Conditional => "Workflow.conditional",
                    WorkflowKind::Loop => "Workflow.loop",
                };
                self.sync_fn(call, move |ctx, _, args| {
                    let config = arg(ctx, call, args, 0)?;
                    api.workflow_create(kind, &config)
                        .map(ScriptValue::Workflow)
                })?
            }
            ("Workflow", "execute") => {
                self.async_fn("workflow.execute", move |ctx, this, args| {
                    const CALL: &str = "workflow.execute";
                    let ScriptValue::Workflow(workflow) = receiver(ctx, CALL, this, "Workflow")?
                    else {
                        unreachable!("checked")
                    };
                    let input = arg(ctx, CALL, args, 0)?;
                    let api = Arc::clone(&api);
                    Ok(async move { api.workflow_execute(CALL, &workflow, input).await })
                })?
            }
            ("Workflow", "name") => {
                self.sync_fn("workflow.name", |ctx, this, _| {
                    match receiver(ctx, "workflow.name", this, "Workflow")? {
                        ScriptValue::Workflow(w) => Ok(ScriptValue::String(w.name.clone())),
                        _ => Ok(ScriptValue::Nil),
                    }
                })?
            }
            ("Workflow", "kind") => {
                self.sync_fn("workflow.kind", |ctx, this, _| {
                    match receiver(ctx, "workflow.kind", this, "Workflow")? {
                        ScriptValue::Workflow(w) => {
                            Ok(ScriptValue::String(w.kind.as_str().to_owned()))
                        }
                        _ => Ok(ScriptValue::Nil),
                    }
                })?
            }
            ("Console", level @ ("log" | "info" | "warn" | "error")) => {
                let to_stderr = matches!(level, "warn" | "error");
                let call: &'static str = match level {
                    "log" => "console.log",
                    "info" => "console.info",
                    "warn" => "console.warn",
                    _ => "console.error",
                };
                let events = Arc::clone(&api.events);
                self.sync_fn(call, move |ctx, _, args| {
                    let mut line = String::new();
                    for (i, value) in args.iter().enumerate() {
                        if i > 0 {
                            line.push(' ');
                        }
                        line.push_str(&display(ctx, value));
                    }
                    line.push('\n');
                    events.output(line, to_stderr)?;
                    Ok(ScriptValue::Nil)
                })?
            }
            (t, m) => {
                return Err(rquickjs::Error::new_from_js_message(
                    "definition",
                    "function",
                    format!("the JavaScript engine does not implement {t}.{m}"),
                ));
            }
        };
        Ok(f)
    }

    /// `agent.stream(input)`: returns an async iterator at once; the first `next()` opens the
    /// stream, so `for await (const chunk of agent.stream(...))` works as in any JS library.
    fn stream_fn(&self, api: Arc<ApiContext>) -> rquickjs::Result<Function<'js>> {
        const CALL: &str = "agent.stream";
        let raw = Function::new(
            self.ctx.clone(),
            move |ctx: Ctx<'js>, this: Value<'js>, args: Rest<Value<'js>>| {
                let started = receiver(&ctx, CALL, &this, "Agent").and_then(|agent| {
                    let ScriptValue::Agent(agent) = agent else {
                        unreachable!("checked")
                    };
                    let input = arg(&ctx, CALL, &args.0, 0)?;
                    api.check(CALL, "input", &input, "string | AgentRequest")?;
                    Ok((agent, input))
                });
                let (agent, input) = match started {
                    Ok(parts) => parts,
                    Err(e) => return reply(&ctx, Err(e)),
                };
                let state: Arc<AsyncMutex<StreamState>> =
                    Arc::new(AsyncMutex::new(StreamState::NotStarted { agent, input }));
                let api = Arc::clone(&api);
                let next = Function::new(
                    ctx.clone(),
                    Async(move |ctx: Ctx<'js>| {
                        let state = Arc::clone(&state);
                        let api = Arc::clone(&api);
                        async move {
                            let chunk = next_chunk(&api, &state).await;
                            let chunk = chunk.and_then(|c| match c {
                                Some(text) => to_js(&ctx, &ScriptValue::String(text))
                                    .map_err(|e| js_error(&ctx, CALL, e)),
                                None => Ok(Value::new_null(ctx.clone())),
                            });
                            reply(&ctx, chunk)
                        }
                    }),
                )?;
                // Looked up on each call: a JS function captured by this Rust closure would be a
                // reference QuickJS's collector cannot see, keeping the runtime alive at exit.
                let make_stream = ctx
                    .userdata::<super::convert::Prototypes>()
                    .map(|p| p.make_stream.clone())
                    .ok_or_else(|| {
                        rquickjs::Error::new_from_js_message(
                            "llmspell",
                            "function",
                            "the API is not injected",
                        )
                    })?;
                let iterator: Value = make_stream.call((next,))?;
                reply(&ctx, Ok(iterator))
            },
        )?;
        self.wrapped(CALL, raw, false)
    }
}

enum StreamState {
    NotStarted {
        agent: Arc<crate::agent::Agent>,
        input: ScriptValue,
    },
    Started(BoxStream<'static, RuntimeResult<String>>),
    Done,
}

async fn next_chunk(
    api: &ApiContext,
    state: &AsyncMutex<StreamState>,
) -> RuntimeResult<Option<String>> {
    let mut state = state.lock().await;
    if let StreamState::NotStarted { agent, input } = &*state {
        let stream = api.agent_stream("agent.stream", agent, input).await;
        *state = match stream {
            Ok(stream) => StreamState::Started(stream),
            Err(e) => {
                *state = StreamState::Done;
                return Err(e);
            }
        };
    }
    match &mut *state {
        StreamState::Started(stream) => match stream.next().await {
            Some(Ok(chunk)) => Ok(Some(chunk)),
            Some(Err(e)) => {
                *state = StreamState::Done;
                Err(e)
            }
            None => {
                *state = StreamState::Done;
                Ok(None)
            }
        },
        _ => Ok(None),
    }
}

/// How `console.log` shows a value: strings as they are, other values as JSON where possible.
fn display<'js>(ctx: &Ctx<'js>, value: &Value<'js>) -> String {
    if let Some(s) = value.as_string().and_then(|s| s.to_string().ok()) {
        return s;
    }
    if value.is_undefined() {
        return "undefined".into();
    }
    if value.is_function() {
        return "[Function]".into();
    }
    if value.is_object()
        && !value.is_array()
        && let Some(object) = value.as_object()
        && object.get::<_, Value>("stack").is_ok_and(|s| s.is_string())
    {
        let name: String = object.get("name").unwrap_or_default();
        let message: String = object.get("message").unwrap_or_default();
        return format!("{name}: {message}");
    }
    match ctx.json_stringify(value.clone()) {
        Ok(Some(json)) => json.to_string().unwrap_or_default(),
        _ => value
            .get::<rquickjs::Coerced<String>>()
            .map(|c| c.0)
            .unwrap_or_default(),
    }
}

/// Checks that every member declared for JavaScript is implemented and every implementation
/// declared.
pub fn check_coverage(def: &ApiDefinition) -> Result<(), String> {
    crate::engine::check_coverage(
        def,
        Language::Js,
        "JavaScript",
        IMPLEMENTED,
        IMPLEMENTED_GLOBALS,
    )
}
