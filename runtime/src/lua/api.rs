//! Injects the llmspell API into a Lua state from the API definition.
//!
//! Every global, namespace member, method and field declared for Lua is bound to its
//! implementation here; a declared member without an implementation, or an implementation
//! without a declaration, is an error when the engine is created. The functions themselves are
//! thin: they convert arguments and call `ApiContext`, which holds the behaviour shared by all
//! languages.

use std::sync::Arc;

use futures::StreamExt;
use futures::stream::BoxStream;
use mlua::{AnyUserData, Function, Lua, MultiValue, Table, Value};
use tokio::sync::Mutex as AsyncMutex;

use super::convert::{LuaAgent, LuaTool, LuaWorkflow, index_key, newindex_key, to_lua, to_script};
use crate::api_context::ApiContext;
use crate::definition::validate::did_you_mean;
use crate::definition::{ApiDefinition, GlobalKind, Language, MemberKind, TypeKind};
use crate::error::{Result as RuntimeResult, RuntimeError};
use crate::workflow::WorkflowKind;

/// The registry keys of an object type's method and field tables.
pub fn methods_key(type_name: &str) -> String {
    format!("llmspell.methods.{type_name}")
}

pub fn fields_key(type_name: &str) -> String {
    format!("llmspell.fields.{type_name}")
}

/// Every (type, member) this engine implements. Checked against the definition both ways.
pub const IMPLEMENTED: &[(&str, &str)] = &[
    ("Agent", "execute"),
    ("Agent", "model"),
    ("Agent", "name"),
    ("Agent", "stream"),
    ("AgentApi", "create"),
    ("AgentApi", "get"),
    ("AgentApi", "list"),
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

/// Global functions and values this engine implements, besides namespaces.
pub const IMPLEMENTED_GLOBALS: &[&str] = &["ARGS", "print"];

/// Turns an API result into the `ok, value` pair the Lua `wrap` helper expects. Script errors
/// become Lua errors at the caller's line; limits and cancellation stay Rust errors so they
/// keep their kind.
fn reply(lua: &Lua, result: RuntimeResult<Value>) -> mlua::Result<(bool, Value)> {
    match result {
        Ok(value) => Ok((true, value)),
        Err(RuntimeError::Script { message, .. }) => {
            Ok((false, Value::String(lua.create_string(&message)?)))
        }
        Err(other) => Err(mlua::Error::external(other)),
    }
}

fn script_error(e: mlua::Error) -> RuntimeError {
    super::errors::from_lua_error(e)
}

/// Converts a Lua argument, reporting failures as errors of `call`.
fn arg(lua: &Lua, call: &str, value: &Value) -> RuntimeResult<crate::value::ScriptValue> {
    to_script(lua, value).map_err(|e| RuntimeError::api(call, script_error(e)))
}

pub struct Injector<'a> {
    pub lua: &'a Lua,
    pub api: Arc<ApiContext>,
    pub helpers: Table,
}

impl Injector<'_> {
    fn wrap(&self, f: Function) -> mlua::Result<Function> {
        self.helpers.get::<Function>("wrap")?.call(f)
    }

    /// Injects every global the definition declares for Lua.
    pub fn inject(&self) -> Result<(), String> {
        let def = self.api.definition;
        check_coverage(def)?;
        let globals = self.lua.globals();
        for global in def.globals_for(Language::Lua) {
            let value = match global.kind {
                GlobalKind::Namespace => {
                    let ty = def
                        .global_type(global)
                        .ok_or_else(|| format!("global {} has no namespace type", global.name))?;
                    let table = self.lua.create_table().map_err(|e| e.to_string())?;
                    for member in &ty.members {
                        let f = self
                            .member(&ty.name, &member.name)
                            .map_err(|e| format!("{}.{}: {e}", global.name, member.name))?;
                        table
                            .set(member.name.as_str(), f)
                            .map_err(|e| e.to_string())?;
                    }
                    Value::Table(table)
                }
                GlobalKind::Function | GlobalKind::Value => self
                    .global(&global.name)
                    .map_err(|e| format!("{}: {e}", global.name))?,
            };
            globals
                .set(global.name.as_str(), value)
                .map_err(|e| e.to_string())?;
        }
        for ty in def.types.values().filter(|t| t.kind == TypeKind::Object) {
            self.object_type(ty)
                .map_err(|e| format!("{}: {e}", ty.name))?;
        }
        Ok(())
    }

    /// Builds the method and field tables and the `__index` of an object type.
    fn object_type(&self, ty: &crate::definition::TypeDef) -> mlua::Result<()> {
        let methods = self.lua.create_table()?;
        let fields = self.lua.create_table()?;
        for member in &ty.members {
            let f = self.member(&ty.name, &member.name)?;
            if member.kind == MemberKind::Field {
                fields.set(member.name.as_str(), f)?
            } else {
                methods.set(member.name.as_str(), f)?
            }
        }
        let def = self.api.definition;
        let suggest = self
            .lua
            .create_function(move |_, (type_name, key): (String, String)| {
                let names = def
                    .type_def(&type_name)
                    .map(|t| {
                        t.members
                            .iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                Ok(did_you_mean(&key, names)
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default())
            })?;
        let index: Function = self.helpers.get::<Function>("make_index")?.call((
            ty.name.as_str(),
            &methods,
            &fields,
            suggest,
        ))?;
        self.lua
            .set_named_registry_value(&methods_key(&ty.name), methods)?;
        self.lua
            .set_named_registry_value(&fields_key(&ty.name), fields)?;
        let newindex: Function = self
            .helpers
            .get::<Function>("make_newindex")?
            .call(ty.name.as_str())?;
        self.lua
            .set_named_registry_value(&newindex_key(&ty.name), newindex)?;
        self.lua
            .set_named_registry_value(&index_key(&ty.name), index)
    }

    fn global(&self, name: &str) -> mlua::Result<Value> {
        let api = Arc::clone(&self.api);
        Ok(match name {
            "print" => {
                Value::Function(self.lua.create_function(move |_, values: MultiValue| {
                    let mut line = String::new();
                    for (i, value) in values.iter().enumerate() {
                        if i > 0 {
                            line.push('\t');
                        }
                        line.push_str(&value.to_string()?);
                    }
                    line.push('\n');
                    api.events
                        .output(line, false)
                        .map_err(mlua::Error::external)
                })?)
            }
            // Filled in with the run's arguments before each run.
            "ARGS" => Value::Table(self.lua.create_table()?),
            other => {
                return Err(mlua::Error::runtime(format!(
                    "the Lua engine does not implement global '{other}'"
                )));
            }
        })
    }

    /// The Lua function implementing `type_name.member`.
    fn member(&self, type_name: &str, member: &str) -> mlua::Result<Function> {
        let lua = self.lua;
        let api = Arc::clone(&self.api);
        let raw = match (type_name, member) {
            ("AgentApi", "create") => lua.create_function(move |lua, config: Value| {
                let result = arg(lua, "Agent.create", &config)
                    .and_then(|c| api.agent_create(&c))
                    .and_then(|agent| {
                        Ok(Value::UserData(
                            lua.create_userdata(LuaAgent(agent)).map_err(script_error)?,
                        ))
                    });
                reply(lua, result)
            })?,
            ("AgentApi", "get") => lua.create_function(move |lua, name: Value| {
                let result = match name {
                    Value::String(s) => match api.agent_get(&s.to_string_lossy()) {
                        Some(agent) => lua
                            .create_userdata(LuaAgent(agent))
                            .map(Value::UserData)
                            .map_err(script_error),
                        None => Ok(Value::Nil),
                    },
                    other => Err(RuntimeError::api(
                        "Agent.get",
                        format!("name must be string, got {}", other.type_name()),
                    )),
                };
                reply(lua, result)
            })?,
            ("AgentApi", "list") => lua.create_function(move |lua, ()| {
                reply(lua, to_lua(lua, &api.agent_list()).map_err(script_error))
            })?,
            ("Agent", "execute") => {
                lua.create_async_function(move |lua, (this, input): (Value, Value)| {
                    let api = Arc::clone(&api);
                    async move {
                        let call = "agent:execute";
                        let result = async {
                            let agent = receiver::<LuaAgent>(&this, call, "agent")?;
                            let input = arg(&lua, call, &input)?;
                            let out = api.agent_execute(call, &agent.0, &input).await?;
                            to_lua(&lua, &out).map_err(script_error)
                        }
                        .await;
                        reply(&lua, result)
                    }
                })?
            }
            ("Agent", "stream") => {
                let wrap: Function = self.helpers.get("wrap")?;
                lua.create_async_function(move |lua, (this, input): (Value, Value)| {
                    let api = Arc::clone(&api);
                    let wrap = wrap.clone();
                    async move {
                        let call = "agent:stream";
                        let result = async {
                            let agent = receiver::<LuaAgent>(&this, call, "agent")?;
                            let input = arg(&lua, call, &input)?;
                            let stream = api.agent_stream(call, &agent.0, &input).await?;
                            let iterator = stream_iterator(&lua, stream).map_err(script_error)?;
                            wrap.call::<Function>(iterator)
                                .map(Value::Function)
                                .map_err(script_error)
                        }
                        .await;
                        reply(&lua, result)
                    }
                })?
            }
            ("Agent", "name") => lua.create_function(|lua, this: AnyUserData| {
                lua.create_string(&this.borrow::<LuaAgent>()?.0.name)
            })?,
            ("Agent", "model") => lua.create_function(|lua, this: AnyUserData| {
                lua.create_string(&this.borrow::<LuaAgent>()?.0.model)
            })?,
            ("ToolApi", "get") => lua.create_function(move |lua, name: Value| {
                let result = arg(lua, "Tool.get", &name).and_then(|name| match name.as_str() {
                    Some(name) => api.tool_get("Tool.get", name),
                    None => Err(RuntimeError::api(
                        "Tool.get",
                        format!("name must be string, got {}", name.type_name()),
                    )),
                });
                reply(
                    lua,
                    result.and_then(|tool| {
                        lua.create_userdata(LuaTool(tool))
                            .map(Value::UserData)
                            .map_err(script_error)
                    }),
                )
            })?,
            ("ToolApi", "list") => lua.create_function(move |lua, ()| {
                reply(lua, to_lua(lua, &api.tool_list()).map_err(script_error))
            })?,
            ("ToolApi", "exists") => lua.create_function(move |lua, name: Value| {
                let exists =
                    matches!(&name, Value::String(s) if api.tool_exists(&s.to_string_lossy()));
                reply(lua, Ok(Value::Boolean(exists)))
            })?,
            ("ToolApi", "execute") => {
                lua.create_async_function(move |lua, (name, params): (Value, Value)| {
                    let api = Arc::clone(&api);
                    async move {
                        let call = "Tool.execute";
                        let result = async {
                            let name = arg(&lua, call, &name)?;
                            let tool = match name.as_str() {
                                Some(name) => api.tool_get(call, name)?,
                                None => {
                                    return Err(RuntimeError::api(
                                        call,
                                        format!("name must be string, got {}", name.type_name()),
                                    ));
                                }
                            };
                            let params = arg(&lua, call, &params)?;
                            let out = api.tool_execute(call, &tool, &params).await?;
                            to_lua(&lua, &out).map_err(script_error)
                        }
                        .await;
                        reply(&lua, result)
                    }
                })?
            }
            ("ToolApi", "register") => lua.create_function(move |lua, spec: Value| {
                let result = arg(lua, "Tool.register", &spec)
                    .and_then(|spec| api.tool_register(&spec))
                    .and_then(|tool| {
                        lua.create_userdata(LuaTool(tool))
                            .map(Value::UserData)
                            .map_err(script_error)
                    });
                reply(lua, result)
            })?,
            ("Tool", "execute") => {
                lua.create_async_function(move |lua, (this, params): (Value, Value)| {
                    let api = Arc::clone(&api);
                    async move {
                        let call = "tool:execute";
                        let result = async {
                            let tool = receiver::<LuaTool>(&this, call, "tool")?;
                            let params = arg(&lua, call, &params)?;
                            let out = api.tool_execute(call, &tool.0, &params).await?;
                            to_lua(&lua, &out).map_err(script_error)
                        }
                        .await;
                        reply(&lua, result)
                    }
                })?
            }
            ("Tool", "name") => lua.create_function(|lua, this: AnyUserData| {
                lua.create_string(this.borrow::<LuaTool>()?.0.name())
            })?,
            ("Tool", "description") => lua.create_function(|lua, this: AnyUserData| {
                lua.create_string(&this.borrow::<LuaTool>()?.0.schema().description)
            })?,
            ("Tool", "schema") => lua.create_function(|lua, this: AnyUserData| {
                to_lua(
                    lua,
                    &ApiContext::tool_schema_info(&this.borrow::<LuaTool>()?.0),
                )
            })?,
            ("WorkflowApi", kind_name) => {
                let kind = WorkflowKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == kind_name)
                    .ok_or_else(|| {
                        mlua::Error::runtime(format!("no workflow kind '{kind_name}'"))
                    })?;
                lua.create_function(move |lua, config: Value| {
                    let call = format!("Workflow.{}", kind.as_str());
                    let result = arg(lua, &call, &config)
                        .and_then(|c| api.workflow_create(kind, &c))
                        .and_then(|wf| {
                            lua.create_userdata(LuaWorkflow(wf))
                                .map(Value::UserData)
                                .map_err(script_error)
                        });
                    reply(lua, result)
                })?
            }
            ("Workflow", "execute") => {
                lua.create_async_function(move |lua, (this, input): (Value, Value)| {
                    let api = Arc::clone(&api);
                    async move {
                        let call = "workflow:execute";
                        let result = async {
                            let workflow = receiver::<LuaWorkflow>(&this, call, "workflow")?;
                            let input = arg(&lua, call, &input)?;
                            let out = api.workflow_execute(call, &workflow.0, input).await?;
                            to_lua(&lua, &out).map_err(script_error)
                        }
                        .await;
                        reply(&lua, result)
                    }
                })?
            }
            ("Workflow", "name") => lua.create_function(|lua, this: AnyUserData| {
                lua.create_string(&this.borrow::<LuaWorkflow>()?.0.name)
            })?,
            ("Workflow", "kind") => lua.create_function(|lua, this: AnyUserData| {
                lua.create_string(this.borrow::<LuaWorkflow>()?.0.kind.as_str())
            })?,
            (t, m) => {
                return Err(mlua::Error::runtime(format!(
                    "the Lua engine does not implement {t}.{m}"
                )));
            }
        };
        let is_field = self
            .api
            .definition
            .type_def(type_name)
            .and_then(|t| t.member(member))
            .is_some_and(|m| m.kind == MemberKind::Field);
        if is_field { Ok(raw) } else { self.wrap(raw) }
    }
}

/// The object a method was called on. A missing or wrong receiver almost always means the
/// method was called with `.` instead of `:`, so the error says so.
fn receiver<T: 'static + mlua::UserData>(
    this: &Value,
    call: &str,
    noun: &str,
) -> RuntimeResult<mlua::UserDataRef<T>> {
    let wrong_style = || {
        let (object, method) = call.split_once(':').unwrap_or((noun, call));
        RuntimeError::api(
            call,
            format!("call it with ':' ({object}:{method}(...)), not '.'"),
        )
    };
    match this {
        Value::UserData(ud) => ud.borrow::<T>().map_err(|_| wrong_style()),
        _ => Err(wrong_style()),
    }
}

/// An async Lua function that yields the stream's next chunk, or nil at its end: the iterator
/// of `for chunk in agent:stream(...)`.
fn stream_iterator(
    lua: &Lua,
    stream: BoxStream<'static, RuntimeResult<String>>,
) -> mlua::Result<Function> {
    let stream = Arc::new(AsyncMutex::new(stream));
    lua.create_async_function(move |lua, _: MultiValue| {
        let stream = Arc::clone(&stream);
        async move {
            let next = stream.lock().await.next().await;
            let result = match next {
                Some(Ok(chunk)) => lua
                    .create_string(&chunk)
                    .map(Value::String)
                    .map_err(script_error),
                Some(Err(e)) => Err(e),
                None => Ok(Value::Nil),
            };
            reply(&lua, result)
        }
    })
}

/// Checks that every member declared for Lua is implemented and every implementation
/// declared.
pub fn check_coverage(def: &ApiDefinition) -> Result<(), String> {
    crate::engine::check_coverage(def, Language::Lua, "Lua", IMPLEMENTED, IMPLEMENTED_GLOBALS)
}
