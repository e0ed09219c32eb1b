//! Conversions between Lua values and `ScriptValue`, the userdata types that carry API objects
//! (agents, tools, workflows) through Lua, and Lua functions as `ScriptFunction`s.

use std::sync::Arc;

use indexmap::IndexMap;
use mlua::{AnyUserData, Function, Lua, MetaMethod, Table, UserData, UserDataMethods, Value};

use super::errors::from_lua_error;
use crate::agent::Agent;
use crate::error::Result as RuntimeResult;
use crate::tools::ToolHandle;
use crate::value::{ScriptFunction, ScriptValue};
use crate::workflow::Workflow;

/// The registry key of the metatable that marks an empty table as an empty list.
pub const EMPTY_LIST_KEY: &str = "llmspell.empty_list";

/// Tables nested deeper than this are refused: they are either cycles or not data.
const MAX_DEPTH: usize = 64;

/// The registry key of the `__index` function for an API object type, built by the injector
/// from the API definition.
pub fn index_key(type_name: &str) -> String {
    format!("llmspell.index.{type_name}")
}

/// The registry key of the `__newindex` function that refuses writes to an API object.
pub fn newindex_key(type_name: &str) -> String {
    format!("llmspell.newindex.{type_name}")
}

macro_rules! api_object {
    ($rust:ident, $inner:ty, $type_name:literal, $describe:expr) => {
        /// An API object handed to Lua as userdata; its members come from the API definition.
        pub struct $rust(pub $inner);

        impl UserData for $rust {
            fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
                methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
                    let describe: fn(&$inner) -> String = $describe;
                    Ok(format!("{}({})", $type_name, describe(&this.0)))
                });
            }

            fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
                fields.add_meta_field_with(MetaMethod::Index, |lua| {
                    lua.named_registry_value::<Function>(&index_key($type_name))
                });
                fields.add_meta_field_with(MetaMethod::NewIndex, |lua| {
                    lua.named_registry_value::<Function>(&newindex_key($type_name))
                });
            }
        }
    };
}

api_object!(LuaAgent, Arc<Agent>, "Agent", |a| a.name.clone());
api_object!(LuaTool, ToolHandle, "Tool", |t| t.name().to_owned());
api_object!(LuaWorkflow, Arc<Workflow>, "Workflow", |w| w.name.clone());

/// Converts a Lua value for the shared API layer.
pub fn to_script(lua: &Lua, value: &Value) -> mlua::Result<ScriptValue> {
    convert_in(lua, value, 0)
}

fn convert_in(lua: &Lua, value: &Value, depth: usize) -> mlua::Result<ScriptValue> {
    Ok(match value {
        Value::Nil => ScriptValue::Nil,
        Value::Boolean(b) => ScriptValue::Bool(*b),
        Value::Integer(i) => ScriptValue::Integer(*i),
        Value::Number(n) => ScriptValue::Number(*n),
        Value::String(s) => ScriptValue::String(s.to_string_lossy()),
        Value::Table(table) => {
            if depth >= MAX_DEPTH {
                return Err(mlua::Error::runtime(format!(
                    "table nested more than {MAX_DEPTH} levels deep (does it contain itself?)"
                )));
            }
            table_to_script(lua, table, depth)?
        }
        Value::Function(f) => ScriptValue::Function(Arc::new(LuaFunction {
            lua: lua.clone(),
            function: f.clone(),
        })),
        Value::UserData(ud) => userdata_to_script(ud)?,
        other => {
            return Err(mlua::Error::runtime(format!(
                "a {} cannot be passed to the llmspell API",
                other.type_name()
            )));
        }
    })
}

fn userdata_to_script(ud: &AnyUserData) -> mlua::Result<ScriptValue> {
    if let Ok(agent) = ud.borrow::<LuaAgent>() {
        return Ok(ScriptValue::Agent(Arc::clone(&agent.0)));
    }
    if let Ok(tool) = ud.borrow::<LuaTool>() {
        return Ok(ScriptValue::Tool(Arc::clone(&tool.0)));
    }
    if let Ok(workflow) = ud.borrow::<LuaWorkflow>() {
        return Ok(ScriptValue::Workflow(Arc::clone(&workflow.0)));
    }
    Err(mlua::Error::runtime(
        "this userdata cannot be passed to the llmspell API",
    ))
}

/// A non-empty table whose keys are exactly 1..n is a list; any other table, the empty one
/// included, is a map with string keys. (The definition's checks accept an empty map where a
/// list is expected, since Lua cannot tell the two apart.)
fn table_to_script(lua: &Lua, table: &Table, depth: usize) -> mlua::Result<ScriptValue> {
    let len = table.raw_len();
    let mut count = 0usize;
    let mut map = IndexMap::new();
    let mut pairs: Vec<(Value, Value)> = Vec::new();
    for pair in table.pairs::<Value, Value>() {
        let (key, value) = pair?;
        count += 1;
        pairs.push((key, value));
    }
    let is_marked_list = count == 0
        && table.metatable().is_some_and(|mt| {
            lua.named_registry_value::<Table>(EMPTY_LIST_KEY)
                .is_ok_and(|marker| marker == mt)
        });
    if is_marked_list {
        return Ok(ScriptValue::List(Vec::new()));
    }
    if count == len && len > 0 {
        let mut items = Vec::with_capacity(len);
        for i in 1..=len {
            items.push(convert_in(lua, &table.raw_get::<Value>(i)?, depth + 1)?);
        }
        return Ok(ScriptValue::List(items));
    }
    // Lua's iteration order depends on a per-state hash seed; sorting the keys (integers first,
    // then strings) makes every conversion, and so every tool call and event, deterministic.
    pairs.sort_by(|(a, _), (b, _)| match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Integer(_), _) => std::cmp::Ordering::Less,
        (_, Value::Integer(_)) => std::cmp::Ordering::Greater,
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(&y.as_bytes()),
        _ => std::cmp::Ordering::Equal,
    });
    for (key, value) in pairs {
        let key = match &key {
            Value::String(s) => s.to_string_lossy(),
            Value::Integer(i) => i.to_string(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(mlua::Error::runtime(format!(
                    "a table key of type {} cannot be passed to the llmspell API",
                    other.type_name()
                )));
            }
        };
        map.insert(key, convert_in(lua, &value, depth + 1)?);
    }
    Ok(ScriptValue::Map(map))
}

/// Converts a value from the shared API layer into Lua.
pub fn to_lua(lua: &Lua, value: &ScriptValue) -> mlua::Result<Value> {
    Ok(match value {
        ScriptValue::Nil => Value::Nil,
        ScriptValue::Bool(b) => Value::Boolean(*b),
        ScriptValue::Integer(i) => Value::Integer(*i),
        ScriptValue::Number(n) => Value::Number(*n),
        ScriptValue::String(s) => Value::String(lua.create_string(s)?),
        ScriptValue::List(items) => {
            let table = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                table.raw_set(i + 1, to_lua(lua, item)?)?;
            }
            // An empty list and an empty map are the same Lua table; the marker metatable
            // remembers it was a list, so it converts back to `[]`, not `{}`.
            if items.is_empty()
                && let Ok(marker) = lua.named_registry_value::<Table>(EMPTY_LIST_KEY)
            {
                table.set_metatable(Some(marker))?;
            }
            Value::Table(table)
        }
        ScriptValue::Map(map) => {
            let table = lua.create_table_with_capacity(0, map.len())?;
            for (key, item) in map {
                table.raw_set(key.as_str(), to_lua(lua, item)?)?;
            }
            Value::Table(table)
        }
        ScriptValue::Function(f) => {
            let f = Arc::clone(f);
            Value::Function(lua.create_async_function(move |lua, arg: Value| {
                let f = Arc::clone(&f);
                async move {
                    let arg = to_script(&lua, &arg)?;
                    let result = f.call(arg).await.map_err(mlua::Error::external)?;
                    to_lua(&lua, &result)
                }
            })?)
        }
        ScriptValue::Agent(agent) => {
            Value::UserData(lua.create_userdata(LuaAgent(Arc::clone(agent)))?)
        }
        ScriptValue::Tool(tool) => Value::UserData(lua.create_userdata(LuaTool(Arc::clone(tool)))?),
        ScriptValue::Workflow(wf) => {
            Value::UserData(lua.create_userdata(LuaWorkflow(Arc::clone(wf)))?)
        }
    })
}

/// A Lua function called from Rust: a workflow step, a predicate or a script tool.
pub struct LuaFunction {
    lua: Lua,
    function: Function,
}

#[async_trait::async_trait]
impl ScriptFunction for LuaFunction {
    async fn call(&self, arg: ScriptValue) -> RuntimeResult<ScriptValue> {
        let arg = to_lua(&self.lua, &arg).map_err(from_lua_error)?;
        let result: Value = self
            .function
            .call_async(arg)
            .await
            .map_err(from_lua_error)?;
        to_script(&self.lua, &result).map_err(from_lua_error)
    }

    async fn call_with_context(
        &self,
        ctx: ScriptValue,
    ) -> RuntimeResult<(ScriptValue, Option<ScriptValue>)> {
        let ctx = to_lua(&self.lua, &ctx).map_err(from_lua_error)?;
        let result: Value = self
            .function
            .call_async(ctx.clone())
            .await
            .map_err(from_lua_error)?;
        let vars = match &ctx {
            Value::Table(t) => Some(
                to_script(&self.lua, &t.get::<Value>("vars").map_err(from_lua_error)?)
                    .map_err(from_lua_error)?,
            ),
            _ => None,
        };
        Ok((to_script(&self.lua, &result).map_err(from_lua_error)?, vars))
    }
}
