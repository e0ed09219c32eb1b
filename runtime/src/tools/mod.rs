//! Tools: the `Tool` trait, parameter schemas and their validation, and the built-in tool set.
//!
//! Every tool, built-in or registered by a script, declares a `ToolSchema`. The runtime checks
//! parameters against it before the tool runs, the API definition merges the built-in schemas
//! in at load time, and the language server completes and checks tool parameters from the same
//! schemas.

mod base64_tool;
mod calculator;
mod datetime;
mod file_read;
mod file_write;
mod hash;
mod http_request;
mod json;
mod sleep;
mod template;
mod text;
mod uuid_tool;
pub mod workspace_path;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

/// A tool as scripts and agents see it.
pub type ToolHandle = Arc<dyn Tool>;

/// Arguments and results of tools are JSON objects.
pub type JsonMap = Map<String, Value>;

#[async_trait::async_trait]
pub trait Tool: Send + Sync {
    fn schema(&self) -> &ToolSchema;

    fn name(&self) -> &str {
        &self.schema().name
    }

    /// Runs the tool on parameters that already passed `ToolSchema::validate`. The error is a
    /// message without the tool's name; the caller prefixes it.
    async fn run(&self, params: JsonMap, ctx: &ToolContext) -> Result<Value, String>;
}

/// The JSON type of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    Any,
}

impl ParamType {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Number => "number",
            ParamType::Integer => "integer",
            ParamType::Boolean => "boolean",
            ParamType::Object => "object",
            ParamType::Array => "array",
            ParamType::Any => "any",
        }
    }

    pub fn parse(name: &str) -> Option<ParamType> {
        Some(match name {
            "string" => ParamType::String,
            "number" => ParamType::Number,
            "integer" => ParamType::Integer,
            "boolean" => ParamType::Boolean,
            "object" | "table" => ParamType::Object,
            "array" | "list" => ParamType::Array,
            "any" => ParamType::Any,
            _ => return None,
        })
    }

    fn accepts(self, value: &Value) -> bool {
        match self {
            ParamType::String => value.is_string(),
            ParamType::Number => value.is_number(),
            ParamType::Integer => {
                value.is_i64()
                    || value
                        .as_f64()
                        .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            }
            ParamType::Boolean => value.is_boolean(),
            // Lua cannot tell an empty list from an empty table, so either empty form is accepted.
            ParamType::Object => value.is_object() || value.as_array().is_some_and(Vec::is_empty),
            ParamType::Array => value.is_array() || value.as_object().is_some_and(Map::is_empty),
            ParamType::Any => true,
        }
    }
}

/// One parameter (or result field) of a tool.
#[derive(Debug, Clone, Serialize)]
pub struct ParamSchema {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    pub required: bool,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// The allowed values, for string parameters that take one of a few words.
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<String>>,
    /// The smallest allowed value, for numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// The largest allowed value, for numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
}

impl ParamSchema {
    pub fn new(name: &str, ty: ParamType, description: &str) -> Self {
        ParamSchema {
            name: name.to_owned(),
            ty,
            required: false,
            description: description.to_owned(),
            default: None,
            enum_values: None,
            minimum: None,
            maximum: None,
        }
    }

    /// Limits a number parameter to `min..=max`; the runtime checks it before the tool runs.
    pub fn range(mut self, min: f64, max: f64) -> Self {
        self.minimum = Some(min);
        self.maximum = Some(max);
        self
    }

    /// Requires a number parameter to be at least `min`.
    pub fn at_least(mut self, min: f64) -> Self {
        self.minimum = Some(min);
        self
    }

    /// Why `value` is outside this parameter's range, if it is.
    fn range_problem(&self, value: &Value) -> Option<String> {
        let n = value.as_f64()?;
        let below = self.minimum.is_some_and(|min| n < min);
        let above = self.maximum.is_some_and(|max| n > max);
        if !(below || above) {
            return None;
        }
        let bounds = match (self.minimum, self.maximum) {
            (Some(min), Some(max)) => format!("between {min} and {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => return None,
        };
        Some(format!(
            "parameter '{}' must be {bounds}, got {n}",
            self.name
        ))
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }

    pub fn one_of(mut self, values: &[&str]) -> Self {
        self.enum_values = Some(values.iter().map(|v| (*v).to_owned()).collect());
        self
    }
}

/// What a tool needs to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    Files,
    Network,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolSchema {
    pub name: String,
    pub description: String,
    pub params: Vec<ParamSchema>,
    /// The fields of the result object, for hover and completion on results.
    pub returns: Vec<ParamSchema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
}

impl ToolSchema {
    pub fn new(name: &str, description: &str) -> Self {
        ToolSchema {
            name: name.to_owned(),
            description: description.to_owned(),
            params: Vec::new(),
            returns: Vec::new(),
            permission: None,
        }
    }

    pub fn param(mut self, param: ParamSchema) -> Self {
        self.params.push(param);
        self
    }

    pub fn returns(mut self, field: ParamSchema) -> Self {
        self.returns.push(field);
        self
    }

    pub fn permission(mut self, permission: Permission) -> Self {
        self.permission = Some(permission);
        self
    }

    /// Checks `params` against the schema and fills in defaults. Every problem is reported at
    /// once, so a script author fixes them in one go.
    pub fn validate(&self, params: &Value) -> Result<JsonMap, String> {
        let given = match params {
            Value::Object(map) => map.clone(),
            Value::Null => Map::new(),
            Value::Array(items) if items.is_empty() => Map::new(),
            other => {
                return Err(format!(
                    "parameters must be a table, got {}",
                    json_type_name(other)
                ));
            }
        };
        let mut problems = Vec::new();
        for key in given.keys() {
            if !self.params.iter().any(|p| &p.name == key) {
                let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                let suggestion =
                    crate::definition::validate::did_you_mean(key, known.iter().copied());
                problems.push(if known.is_empty() {
                    format!("unknown parameter '{key}': this tool takes no parameters")
                } else if let Some(suggestion) = suggestion {
                    format!("unknown parameter '{key}' (did you mean '{suggestion}'?)")
                } else {
                    format!(
                        "unknown parameter '{key}' (expected one of: {})",
                        known.join(", ")
                    )
                });
            }
        }
        let mut out = Map::new();
        for param in &self.params {
            match given.get(&param.name) {
                None | Some(Value::Null) => {
                    if let Some(default) = &param.default {
                        out.insert(param.name.clone(), default.clone());
                    } else if param.required {
                        problems.push(format!(
                            "missing required parameter '{}' ({})",
                            param.name,
                            param.ty.as_str()
                        ));
                    }
                }
                Some(value) if !param.ty.accepts(value) => problems.push(format!(
                    "parameter '{}' must be {}, got {}",
                    param.name,
                    param.ty.as_str(),
                    json_type_name(value)
                )),
                Some(value) => {
                    if let (Some(allowed), Some(s)) = (&param.enum_values, value.as_str())
                        && !allowed.iter().any(|a| a == s)
                    {
                        problems.push(format!(
                            "parameter '{}' must be one of {}, got \"{s}\"",
                            param.name,
                            allowed.join(", ")
                        ));
                        continue;
                    }
                    if let Some(problem) = param.range_problem(value) {
                        problems.push(problem);
                        continue;
                    }
                    out.insert(param.name.clone(), value.clone());
                }
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems.join("; "))
        }
    }

    /// The parameters as a JSON Schema object, the form LLM function calling expects.
    pub fn to_json_schema(&self) -> Value {
        let mut properties = Map::new();
        for p in &self.params {
            let mut prop = Map::new();
            if p.ty != ParamType::Any {
                prop.insert("type".into(), Value::from(p.ty.as_str()));
            }
            prop.insert("description".into(), Value::from(p.description.clone()));
            if let Some(values) = &p.enum_values {
                prop.insert("enum".into(), Value::from(values.clone()));
            }
            if let Some(default) = &p.default {
                prop.insert("default".into(), default.clone());
            }
            if let Some(min) = p.minimum {
                prop.insert("minimum".into(), Value::from(min));
            }
            if let Some(max) = p.maximum {
                prop.insert("maximum".into(), Value::from(max));
            }
            properties.insert(p.name.clone(), Value::Object(prop));
        }
        let required: Vec<Value> = self
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| Value::from(p.name.clone()))
            .collect();
        serde_json::json!({ "type": "object", "properties": properties, "required": required })
    }
}

pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nil",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What a running tool may touch. Built from the run's configuration.
#[derive(Clone)]
pub struct ToolContext {
    /// File tools resolve paths against this folder and refuse anything outside it.
    pub workspace_root: PathBuf,
    pub allow_files: bool,
    pub allow_network: bool,
    pub cancel: CancellationToken,
}

impl ToolContext {
    /// A context rooted at `workspace_root`, with its own cancellation token.
    pub fn new(workspace_root: PathBuf, allow_files: bool, allow_network: bool) -> Self {
        ToolContext {
            workspace_root,
            allow_files,
            allow_network,
            cancel: CancellationToken::new(),
        }
    }

    /// Refuses to go on unless the run allows what `tool` needs.
    pub fn check_permission(&self, tool: &ToolSchema) -> Result<(), String> {
        match tool.permission {
            Some(Permission::Files) if !self.allow_files => Err(
                "file access is off for this run; set `allow_files = true` under [run] in llmspell.toml"
                    .into(),
            ),
            Some(Permission::Network) if !self.allow_network => Err(
                "network access is off for this run; set `allow_network = true` under [run] in llmspell.toml"
                    .into(),
            ),
            _ => Ok(()),
        }
    }
}

/// Validates, checks permissions and runs a tool, naming the tool in every error.
pub async fn execute_tool(
    tool: &dyn Tool,
    params: &Value,
    ctx: &ToolContext,
) -> Result<Value, String> {
    let schema = tool.schema();
    let name = &schema.name;
    let params = schema
        .validate(params)
        .map_err(|e| format!("tool '{name}': {e}"))?;
    ctx.check_permission(schema)
        .map_err(|e| format!("tool '{name}': {e}"))?;
    tool.run(params, ctx)
        .await
        .map_err(|e| format!("tool '{name}': {e}"))
}

/// The built-in tools, sorted by name.
pub fn builtin_tools() -> Vec<ToolHandle> {
    let mut tools: Vec<ToolHandle> = vec![
        Arc::new(base64_tool::Base64Tool::new()),
        Arc::new(calculator::Calculator::new()),
        Arc::new(datetime::DateTime::new()),
        Arc::new(file_read::FileRead::new()),
        Arc::new(file_write::FileWrite::new()),
        Arc::new(hash::Hash::new()),
        Arc::new(http_request::HttpRequest::new()),
        Arc::new(json::Json::new()),
        Arc::new(sleep::Sleep::new()),
        Arc::new(template::Template::new()),
        Arc::new(text::Text::new()),
        Arc::new(uuid_tool::Uuid::new()),
    ];
    tools.sort_by(|a, b| a.name().cmp(b.name()));
    tools
}
