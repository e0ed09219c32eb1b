//! `ScriptValue`: the language-neutral value that crosses the engine bridge.
//!
//! Engines convert their native values into this type before calling the shared API layer, so
//! validation, tools and workflows are written once for every language. Data converts to and
//! from JSON; functions and API objects are carried as handles.

use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::agent::Agent;
use crate::error::Result;
use crate::tools::ToolHandle;
use crate::workflow::Workflow;

/// A function defined by a script (a workflow `run` step, a `when` predicate, a custom tool).
#[async_trait::async_trait]
pub trait ScriptFunction: Send + Sync {
    /// Calls the function with one argument and returns its result.
    async fn call(&self, arg: ScriptValue) -> Result<ScriptValue>;

    /// Calls a workflow callback with its step context. Returns the result and the context's
    /// `vars` table as the function left it, so changes made by one step are seen by the next.
    async fn call_with_context(
        &self,
        ctx: ScriptValue,
    ) -> Result<(ScriptValue, Option<ScriptValue>)> {
        Ok((self.call(ctx).await?, None))
    }
}

#[derive(Clone, Default)]
pub enum ScriptValue {
    #[default]
    Nil,
    Bool(bool),
    Integer(i64),
    Number(f64),
    String(String),
    List(Vec<ScriptValue>),
    Map(IndexMap<String, ScriptValue>),
    Function(Arc<dyn ScriptFunction>),
    Agent(Arc<Agent>),
    Tool(ToolHandle),
    Workflow(Arc<Workflow>),
}

impl fmt::Debug for ScriptValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptValue::Function(_) => f.write_str("<function>"),
            ScriptValue::Agent(a) => write!(f, "<Agent {}>", a.name),
            ScriptValue::Tool(t) => write!(f, "<Tool {}>", t.name()),
            ScriptValue::Workflow(w) => write!(f, "<Workflow {}>", w.name),
            other => write!(f, "{}", other.to_json()),
        }
    }
}

impl ScriptValue {
    /// The name of the value's type as the API definition spells it, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            ScriptValue::Nil => "nil",
            ScriptValue::Bool(_) => "boolean",
            ScriptValue::Integer(_) => "integer",
            ScriptValue::Number(_) => "number",
            ScriptValue::String(_) => "string",
            ScriptValue::List(_) => "list",
            ScriptValue::Map(_) => "table",
            ScriptValue::Function(_) => "function",
            ScriptValue::Agent(_) => "Agent",
            ScriptValue::Tool(_) => "Tool",
            ScriptValue::Workflow(_) => "Workflow",
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, ScriptValue::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            ScriptValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            ScriptValue::Integer(i) => Some(*i as f64),
            ScriptValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// An integer, also accepting floats with no fractional part (Lua and JS both produce them).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            ScriptValue::Integer(i) => Some(*i),
            ScriptValue::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ScriptValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Field `key` of a table, or nil.
    pub fn get(&self, key: &str) -> &ScriptValue {
        static NIL: ScriptValue = ScriptValue::Nil;
        match self {
            ScriptValue::Map(m) => m.get(key).unwrap_or(&NIL),
            _ => &NIL,
        }
    }

    /// Lua truthiness, which JS scripts also get for workflow predicates: only nil and false are
    /// false.
    pub fn is_truthy(&self) -> bool {
        !matches!(self, ScriptValue::Nil | ScriptValue::Bool(false))
    }

    /// The value as JSON. Handles become descriptive strings; they never reach a provider or a
    /// tool, only messages and events.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            ScriptValue::Nil => J::Null,
            ScriptValue::Bool(b) => J::Bool(*b),
            ScriptValue::Integer(i) => J::from(*i),
            ScriptValue::Number(n) => serde_json::Number::from_f64(*n)
                .map(J::Number)
                .unwrap_or(J::Null),
            ScriptValue::String(s) => J::String(s.clone()),
            ScriptValue::List(items) => J::Array(items.iter().map(ScriptValue::to_json).collect()),
            ScriptValue::Map(map) => {
                J::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            ScriptValue::Function(_) => J::String("<function>".into()),
            ScriptValue::Agent(a) => J::String(format!("<Agent {}>", a.name)),
            ScriptValue::Tool(t) => J::String(format!("<Tool {}>", t.name())),
            ScriptValue::Workflow(w) => J::String(format!("<Workflow {}>", w.name)),
        }
    }

    pub fn from_json(value: &serde_json::Value) -> ScriptValue {
        use serde_json::Value as J;
        match value {
            J::Null => ScriptValue::Nil,
            J::Bool(b) => ScriptValue::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => ScriptValue::Integer(i),
                None => ScriptValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => ScriptValue::String(s.clone()),
            J::Array(items) => {
                ScriptValue::List(items.iter().map(ScriptValue::from_json).collect())
            }
            J::Object(map) => ScriptValue::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), ScriptValue::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// How the value reads when substituted into text: strings as they are, everything else as
    /// compact JSON.
    pub fn to_text(&self) -> String {
        match self {
            ScriptValue::String(s) => s.clone(),
            ScriptValue::Nil => String::new(),
            other => other.to_json().to_string(),
        }
    }
}

impl From<&str> for ScriptValue {
    fn from(s: &str) -> Self {
        ScriptValue::String(s.to_owned())
    }
}

impl From<String> for ScriptValue {
    fn from(s: String) -> Self {
        ScriptValue::String(s)
    }
}
