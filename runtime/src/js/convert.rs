//! Conversions between JavaScript values and `ScriptValue`, the classes that carry API objects
//! (agents, tools, workflows) through JavaScript, and JavaScript functions as `ScriptFunction`s.
//!
//! A JavaScript function cannot leave its runtime, but workflows and tools call script
//! functions from Rust futures. So a function handed to the API is kept in a per-run registry
//! and represented in Rust by its index and a channel to a "callback pump": a future spawned
//! inside the runtime that performs the calls (awaiting the function's Promise if it returns
//! one) and sends the results back.

use std::cell::RefCell;
use std::sync::Arc;

use indexmap::IndexMap;
use rquickjs::{Array, Ctx, Function, JsLifetime, Object, Promise, Value};
use tokio::sync::{mpsc, oneshot};

use crate::error::{Result as RuntimeResult, RuntimeError};
use crate::value::{ScriptFunction, ScriptValue};

/// Objects nested deeper than this are refused: they are either cycles or not data.
const MAX_DEPTH: usize = 64;

/// The prototypes of the API object types, built once per engine from the definition, and the
/// prelude's functions that make and recognise API objects.
///
/// An API object is a frozen plain object with its type's prototype and a handle (an index
/// into `Handles`) under a symbol only the prelude knows; the Rust value stays on the Rust
/// side. (rquickjs classes would carry the value directly, but their registration outlives the
/// runtime in rquickjs 0.14 and aborts the process at exit.)
#[derive(JsLifetime)]
pub struct Prototypes<'js> {
    /// `makeObject(typeName, handle)` of the prelude.
    pub make_object: Function<'js>,
    /// `handleOf(value)` of the prelude: the handle, or undefined for any other value.
    pub handle_of: Function<'js>,
    /// `makeStream(next)` of the prelude: the async iterator of `agent.stream`.
    pub make_stream: Function<'js>,
}

/// The Rust values behind the API objects handed to scripts, by handle.
#[derive(JsLifetime, Default)]
pub struct Handles {
    pub values: RefCell<Vec<ScriptValue>>,
}

/// The script functions handed to the API during the current run, and the channel to the pump
/// that calls them.
#[derive(JsLifetime)]
pub struct Callbacks<'js> {
    pub functions: RefCell<Vec<Function<'js>>>,
    pub pump: RefCell<Option<mpsc::UnboundedSender<CallRequest>>>,
}

/// A call of a script function, made from Rust.
pub struct CallRequest {
    index: usize,
    arg: ScriptValue,
    /// Read back `arg.vars` after the call (workflow step context).
    read_vars: bool,
    reply: oneshot::Sender<RuntimeResult<(ScriptValue, Option<ScriptValue>)>>,
}

fn conversion_error(what: impl std::fmt::Display) -> RuntimeError {
    RuntimeError::script(what.to_string())
}

/// Converts a JavaScript value for the shared API layer.
pub fn to_script<'js>(ctx: &Ctx<'js>, value: &Value<'js>) -> RuntimeResult<ScriptValue> {
    convert_in(ctx, value, 0)
}

fn convert_in<'js>(ctx: &Ctx<'js>, value: &Value<'js>, depth: usize) -> RuntimeResult<ScriptValue> {
    if depth >= MAX_DEPTH {
        return Err(conversion_error(format!(
            "value nested more than {MAX_DEPTH} levels deep (does it contain itself?)"
        )));
    }
    if value.is_undefined() || value.is_null() {
        return Ok(ScriptValue::Nil);
    }
    if let Some(b) = value.as_bool() {
        return Ok(ScriptValue::Bool(b));
    }
    if let Some(i) = value.as_int() {
        return Ok(ScriptValue::Integer(i64::from(i)));
    }
    if let Some(n) = value.as_float() {
        // JavaScript has one number type; QuickJS stores whole numbers beyond 32 bits as
        // floats. Whole numbers that a double holds exactly are integers, as in Lua.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if n.fract() == 0.0 && n.abs() <= EXACT {
            return Ok(ScriptValue::Integer(n as i64));
        }
        return Ok(ScriptValue::Number(n));
    }
    if let Some(s) = value.as_string() {
        return s
            .to_string()
            .map(ScriptValue::String)
            .map_err(conversion_error);
    }
    if let Some(f) = value.as_function() {
        return Ok(ScriptValue::Function(register_function(ctx, f.clone())?));
    }
    if let Some(array) = value.as_array() {
        let mut items = Vec::with_capacity(array.len());
        for item in array.iter::<Value>() {
            items.push(convert_in(
                ctx,
                &item.map_err(conversion_error)?,
                depth + 1,
            )?);
        }
        return Ok(ScriptValue::List(items));
    }
    if let Some(object) = value.as_object() {
        if let Some(handle) = handle_of(ctx, value) {
            return Ok(handle);
        }
        if object.as_promise().is_some() {
            return Err(conversion_error(
                "a Promise cannot be passed to the llmspell API; await it first",
            ));
        }
        let mut map = IndexMap::new();
        for entry in object.props::<String, Value>() {
            let (key, item) = entry.map_err(conversion_error)?;
            map.insert(key, convert_in(ctx, &item, depth + 1)?);
        }
        return Ok(ScriptValue::Map(map));
    }
    Err(conversion_error(format!(
        "a {} cannot be passed to the llmspell API",
        value.type_name()
    )))
}

/// Converts a value from the shared API layer into JavaScript. Nil becomes `null`.
pub fn to_js<'js>(ctx: &Ctx<'js>, value: &ScriptValue) -> rquickjs::Result<Value<'js>> {
    Ok(match value {
        ScriptValue::Nil => Value::new_null(ctx.clone()),
        ScriptValue::Bool(b) => Value::new_bool(ctx.clone(), *b),
        ScriptValue::Integer(i) => match i32::try_from(*i) {
            Ok(small) => Value::new_int(ctx.clone(), small),
            Err(_) => Value::new_float(ctx.clone(), *i as f64),
        },
        ScriptValue::Number(n) => Value::new_float(ctx.clone(), *n),
        ScriptValue::String(s) => rquickjs::String::from_str(ctx.clone(), s)?.into_value(),
        ScriptValue::List(items) => {
            let array = Array::new(ctx.clone())?;
            for (i, item) in items.iter().enumerate() {
                array.set(i, to_js(ctx, item)?)?;
            }
            array.into_value()
        }
        ScriptValue::Map(map) => {
            let object = Object::new(ctx.clone())?;
            for (key, item) in map {
                object.set(key.as_str(), to_js(ctx, item)?)?;
            }
            object.into_value()
        }
        ScriptValue::Function(f) => {
            let f = Arc::clone(f);
            Function::new(
                ctx.clone(),
                rquickjs::prelude::Async(
                    move |ctx: Ctx<'js>, arg: rquickjs::prelude::Opt<Value<'js>>| {
                        let f = Arc::clone(&f);
                        async move {
                            let arg = match arg.0 {
                                Some(v) => to_script(&ctx, &v).map_err(|e| throw(&ctx, &e))?,
                                None => ScriptValue::Nil,
                            };
                            let result = f.call(arg).await.map_err(|e| throw(&ctx, &e))?;
                            to_js(&ctx, &result)
                        }
                    },
                ),
            )?
            .into_value()
        }
        ScriptValue::Agent(_) | ScriptValue::Tool(_) | ScriptValue::Workflow(_) => {
            api_object(ctx, value)?
        }
    })
}

/// Creates the frozen JavaScript object for an agent, tool or workflow.
fn api_object<'js>(ctx: &Ctx<'js>, value: &ScriptValue) -> rquickjs::Result<Value<'js>> {
    let missing =
        || rquickjs::Error::new_from_js_message("llmspell", "Object", "the API is not injected");
    let prototypes = ctx.userdata::<Prototypes>().ok_or_else(missing)?;
    let handles = ctx.userdata::<Handles>().ok_or_else(missing)?;
    let handle = {
        let mut values = handles.values.borrow_mut();
        values.push(value.clone());
        values.len() - 1
    };
    prototypes.make_object.call((value.type_name(), handle))
}

/// The agent, tool or workflow behind a JavaScript value, if it is one of the API's objects.
fn handle_of<'js>(ctx: &Ctx<'js>, value: &Value<'js>) -> Option<ScriptValue> {
    let prototypes = ctx.userdata::<Prototypes>()?;
    let handle: Option<usize> = prototypes.handle_of.call((value.clone(),)).ok()?;
    let handles = ctx.userdata::<Handles>()?;
    let values = handles.values.borrow();
    values.get(handle?).cloned()
}

/// Raises `error` as a JavaScript exception.
pub fn throw(ctx: &Ctx<'_>, error: &RuntimeError) -> rquickjs::Error {
    match rquickjs::String::from_str(ctx.clone(), &error.to_string()) {
        Ok(message) => ctx.throw(message.into_value()),
        Err(e) => e,
    }
}

/// Keeps `function` for calls from Rust during this run.
fn register_function<'js>(
    ctx: &Ctx<'js>,
    function: Function<'js>,
) -> RuntimeResult<Arc<dyn ScriptFunction>> {
    let callbacks = ctx.userdata::<Callbacks>().ok_or_else(|| {
        conversion_error("script functions can only be passed to the API while a script runs")
    })?;
    let sender = callbacks.pump.borrow().clone().ok_or_else(|| {
        conversion_error("script functions can only be passed to the API while a script runs")
    })?;
    let mut functions = callbacks.functions.borrow_mut();
    functions.push(function);
    Ok(Arc::new(JsFunction {
        index: functions.len() - 1,
        pump: sender,
    }))
}

/// A JavaScript function, called from Rust through the run's callback pump.
pub struct JsFunction {
    index: usize,
    pump: mpsc::UnboundedSender<CallRequest>,
}

impl JsFunction {
    async fn request(
        &self,
        arg: ScriptValue,
        read_vars: bool,
    ) -> RuntimeResult<(ScriptValue, Option<ScriptValue>)> {
        let (reply, answer) = oneshot::channel();
        let finished =
            || RuntimeError::script("the script that defined this function has finished");
        self.pump
            .send(CallRequest {
                index: self.index,
                arg,
                read_vars,
                reply,
            })
            .map_err(|_| finished())?;
        answer.await.map_err(|_| finished())?
    }
}

#[async_trait::async_trait]
impl ScriptFunction for JsFunction {
    async fn call(&self, arg: ScriptValue) -> RuntimeResult<ScriptValue> {
        Ok(self.request(arg, false).await?.0)
    }

    async fn call_with_context(
        &self,
        ctx: ScriptValue,
    ) -> RuntimeResult<(ScriptValue, Option<ScriptValue>)> {
        self.request(ctx, true).await
    }
}

/// Serves calls of script functions until the run's channel closes. Each call runs as its own
/// spawned future, so async callbacks of parallel workflow branches overlap.
pub async fn run_pump<'js>(ctx: Ctx<'js>, mut requests: mpsc::UnboundedReceiver<CallRequest>) {
    while let Some(request) = requests.recv().await {
        let call_ctx = ctx.clone();
        ctx.spawn(async move {
            let CallRequest {
                index,
                arg,
                read_vars,
                reply,
            } = request;
            let outcome = perform_call(&call_ctx, index, arg, read_vars).await;
            // The caller may have been cancelled; then nobody waits for the answer.
            let _ = reply.send(outcome);
        });
    }
}

async fn perform_call<'js>(
    ctx: &Ctx<'js>,
    index: usize,
    arg: ScriptValue,
    read_vars: bool,
) -> RuntimeResult<(ScriptValue, Option<ScriptValue>)> {
    let function = ctx
        .userdata::<Callbacks>()
        .and_then(|callbacks| callbacks.functions.borrow().get(index).cloned())
        .ok_or_else(|| conversion_error("a script function of an earlier run was called"))?;
    let arg = to_js(ctx, &arg).map_err(|e| super::errors::from_js_error(ctx, e))?;
    let mut result: Value = function
        .call((arg.clone(),))
        .map_err(|e| super::errors::from_js_error(ctx, e))?;
    if let Some(promise) = result.as_promise().cloned() {
        result = promise_value(ctx, promise).await?;
    }
    let vars = match (read_vars, arg.as_object()) {
        (true, Some(object)) => {
            let vars: Value = object
                .get("vars")
                .map_err(|e| super::errors::from_js_error(ctx, e))?;
            Some(to_script(ctx, &vars)?)
        }
        _ => None,
    };
    Ok((to_script(ctx, &result)?, vars))
}

async fn promise_value<'js>(ctx: &Ctx<'js>, promise: Promise<'js>) -> RuntimeResult<Value<'js>> {
    promise
        .into_future::<Value>()
        .await
        .map_err(|e| super::errors::from_js_error(ctx, e))
}
