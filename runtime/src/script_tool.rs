//! Tools written in a script and added with `Tool.register`. They get the same parameter
//! checking as built-in tools, because their schema is built from the `params` table.

use std::sync::Arc;

use serde_json::Value;

use crate::tools::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};
use crate::value::{ScriptFunction, ScriptValue};

pub struct ScriptTool {
    schema: ToolSchema,
    run: Arc<dyn ScriptFunction>,
}

impl ScriptTool {
    /// Builds the tool from a `ToolSpec` table that passed the definition's checks.
    pub fn from_spec(spec: &ScriptValue) -> Result<ScriptTool, String> {
        let name = spec.get("name").as_str().unwrap_or_default();
        // Providers accept only these characters in tool names (OpenAI and Anthropic both),
        // so a tool that could never be offered to a model is refused where it is defined.
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(format!(
                "tool name '{name}' must be 1 to 64 letters, digits, '_' or '-' (what model providers accept)"
            ));
        }
        let mut schema =
            ToolSchema::new(name, spec.get("description").as_str().unwrap_or_default());
        if let ScriptValue::Map(params) = spec.get("params") {
            for (param_name, param) in params {
                let type_name = param.get("type").as_str().unwrap_or("any");
                let ty = ParamType::parse(type_name).ok_or_else(|| {
                    format!("parameter '{param_name}' has unknown type '{type_name}'")
                })?;
                let mut p = ParamSchema::new(
                    param_name,
                    ty,
                    param.get("description").as_str().unwrap_or_default(),
                );
                p.required = param.get("required").as_bool().unwrap_or(false);
                if !param.get("default").is_nil() {
                    p.default = Some(param.get("default").to_json());
                }
                p.minimum = param.get("minimum").as_f64();
                p.maximum = param.get("maximum").as_f64();
                if let ScriptValue::List(values) = param.get("enum") {
                    p.enum_values = Some(values.iter().map(ScriptValue::to_text).collect());
                }
                schema.params.push(p);
            }
        }
        let ScriptValue::Function(run) = spec.get("run") else {
            return Err("field 'run' must be a function".into());
        };
        Ok(ScriptTool {
            schema,
            run: Arc::clone(run),
        })
    }
}

#[async_trait::async_trait]
impl Tool for ScriptTool {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let result = self
            .run
            .call(ScriptValue::from_json(&Value::Object(params)))
            .await
            .map_err(|e| e.to_string())?;
        Ok(match result {
            ScriptValue::Map(_) => result.to_json(),
            other => serde_json::json!({ "result": other.to_json() }),
        })
    }
}
