//! The `json` tool: parses JSON text, turns values into JSON text, and reads a value at a dotted
//! path, so scripts can handle JSON from models and web services.

use serde_json::{Value, json};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema, json_type_name};

pub struct Json {
    schema: ToolSchema,
}

impl Json {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "json",
            "Parses JSON text into a value, turns a value into JSON text, or reads the part of a \
             value at a dotted path such as \"user.emails.0\".",
        )
        .param(
            ParamSchema::new(
                "operation",
                ParamType::String,
                "What to do: parse (input is JSON text; returns the value), stringify (input is \
                 any value; returns JSON text), get (returns the part of input at path).",
            )
            .required()
            .one_of(&["parse", "stringify", "get"]),
        )
        .param(
            ParamSchema::new(
                "input",
                ParamType::Any,
                "The JSON text to parse (parse), or the value to stringify or read from \
                 (stringify, get).",
            )
            .required(),
        )
        .param(ParamSchema::new(
            "path",
            ParamType::String,
            "A dotted path of object keys and array indexes (0-based), e.g. \"a.b.0\". Required \
             by get; with parse it selects part of the parsed value, with stringify the part to \
             turn into text. The empty string means the whole value.",
        ))
        .param(
            ParamSchema::new(
                "pretty",
                ParamType::Boolean,
                "stringify only: indent the JSON text over several lines instead of writing it \
                 compactly on one line.",
            )
            .default(Value::Bool(false)),
        )
        .returns(ParamSchema::new(
            "result",
            ParamType::Any,
            "The parsed value (parse), the JSON text (stringify), or the value found at path \
             (get); nil when path names a key or index that is not there.",
        ));
        Json { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Json {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let operation = params
            .get("operation")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'operation'")?;
        let input = params.get("input").ok_or("missing parameter 'input'")?;
        let path = params.get("path").and_then(Value::as_str);
        let pretty = params
            .get("pretty")
            .and_then(Value::as_bool)
            .unwrap_or(false);

        let result = match operation {
            "parse" => {
                let Value::String(text) = input else {
                    return Err(format!(
                        "operation 'parse' needs JSON text as input, got {}",
                        json_type_name(input)
                    ));
                };
                let parsed: Value = serde_json::from_str(text)
                    .map_err(|e| format!("input is not valid JSON: {e}"))?;
                match path {
                    Some(path) => lookup_path(&parsed, path)?.cloned().unwrap_or(Value::Null),
                    None => parsed,
                }
            }
            "stringify" => {
                let value = match path {
                    Some(path) => lookup_path(input, path)?.unwrap_or(&Value::Null),
                    None => input,
                };
                let text = if pretty {
                    serde_json::to_string_pretty(value)
                } else {
                    serde_json::to_string(value)
                };
                Value::from(text.map_err(|e| format!("cannot turn the value into JSON: {e}"))?)
            }
            "get" => {
                let path = path.ok_or("operation 'get' needs the 'path' parameter")?;
                lookup_path(input, path)?.cloned().unwrap_or(Value::Null)
            }
            other => return Err(format!("unknown operation '{other}'")),
        };
        Ok(json!({ "result": result }))
    }
}

/// Follows a dotted path of object keys and array indexes through `root`.
///
/// Returns `Ok(None)` when a key or index is not there (or a value on the way is null), so
/// callers can choose between "nil" and an error; descending into a string, number or boolean is
/// an error because no path can ever exist there. The template tool shares this lookup.
pub(super) fn lookup_path<'a>(root: &'a Value, path: &str) -> Result<Option<&'a Value>, String> {
    if path.is_empty() {
        return Ok(Some(root));
    }
    let mut current = root;
    let mut walked = String::new();
    for segment in path.split('.') {
        if segment.is_empty() {
            return Err(format!("path '{path}' has an empty segment"));
        }
        let next = match current {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => match segment.parse::<usize>() {
                Ok(index) => items.get(index),
                // Lua passes an empty table as an empty array, so a key lookup in an empty array
                // is a lookup in an empty object: nothing is there, but it is not an error.
                Err(_) if items.is_empty() => None,
                Err(_) => {
                    return Err(format!(
                        "path '{path}': '{segment}' is not an array index (at '{}')",
                        display_prefix(&walked)
                    ));
                }
            },
            Value::Null => None,
            scalar => {
                return Err(format!(
                    "path '{path}': cannot look up '{segment}' in a {} (at '{}')",
                    json_type_name(scalar),
                    display_prefix(&walked)
                ));
            }
        };
        match next {
            Some(value) => current = value,
            None => return Ok(None),
        }
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(segment);
    }
    Ok(Some(current))
}

fn display_prefix(walked: &str) -> &str {
    if walked.is_empty() {
        "the top level"
    } else {
        walked
    }
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    async fn run(params: Value) -> Result<Value, String> {
        execute_tool(&Json::new(), &params, &ctx())
            .await
            .map(|v| v["result"].clone())
    }

    #[tokio::test]
    async fn parse_returns_the_value() {
        assert_eq!(
            run(json!({"operation": "parse", "input": "{\"a\": [1, 2.5, \"x\"], \"b\": null}"}))
                .await,
            Ok(json!({"a": [1, 2.5, "x"], "b": null}))
        );
    }

    #[tokio::test]
    async fn parse_with_a_path_selects_part_of_the_value() {
        assert_eq!(
            run(json!({"operation": "parse", "input": "{\"a\": {\"b\": [10, 20]}}", "path": "a.b.1"}))
                .await,
            Ok(json!(20))
        );
    }

    #[tokio::test]
    async fn parse_errors_are_clear() {
        let err = run(json!({"operation": "parse", "input": "{\"a\": "}))
            .await
            .unwrap_err();
        assert!(
            err.starts_with("tool 'json': input is not valid JSON: EOF"),
            "{err}"
        );
        assert_eq!(
            run(json!({"operation": "parse", "input": 5})).await,
            Err("tool 'json': operation 'parse' needs JSON text as input, got integer".into())
        );
    }

    #[tokio::test]
    async fn stringify_is_compact_by_default_and_pretty_on_request() {
        assert_eq!(
            run(json!({"operation": "stringify", "input": {"b": 1, "a": [true, null]}})).await,
            Ok(json!("{\"b\":1,\"a\":[true,null]}"))
        );
        assert_eq!(
            run(json!({"operation": "stringify", "input": {"a": 1}, "pretty": true})).await,
            Ok(json!("{\n  \"a\": 1\n}"))
        );
        assert_eq!(
            run(json!({"operation": "stringify", "input": "hi"})).await,
            Ok(json!("\"hi\""))
        );
    }

    #[tokio::test]
    async fn get_follows_keys_and_indexes() {
        let input = json!({"a": {"b": [{"c": "deep"}]}});
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": "a.b.0.c"})).await,
            Ok(json!("deep"))
        );
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": ""})).await,
            Ok(input.clone())
        );
    }

    #[tokio::test]
    async fn get_of_a_missing_key_or_index_is_nil() {
        let input = json!({"a": [1, 2], "n": null});
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": "x"})).await,
            Ok(Value::Null)
        );
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": "a.5"})).await,
            Ok(Value::Null)
        );
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": "n.deeper"})).await,
            Ok(Value::Null)
        );
    }

    #[tokio::test]
    async fn get_into_a_scalar_or_with_a_bad_index_is_an_error() {
        let input = json!({"a": {"s": "text"}, "list": [1]});
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": "a.s.x"})).await,
            Err("tool 'json': path 'a.s.x': cannot look up 'x' in a string (at 'a.s')".into())
        );
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": "list.first"})).await,
            Err("tool 'json': path 'list.first': 'first' is not an array index (at 'list')".into())
        );
        assert_eq!(
            run(json!({"operation": "get", "input": input, "path": "a..s"})).await,
            Err("tool 'json': path 'a..s' has an empty segment".into())
        );
    }

    #[tokio::test]
    async fn get_requires_a_path() {
        assert_eq!(
            run(json!({"operation": "get", "input": {"a": 1}})).await,
            Err("tool 'json': operation 'get' needs the 'path' parameter".into())
        );
    }

    #[tokio::test]
    async fn input_is_required_even_though_it_may_be_anything() {
        assert_eq!(
            run(json!({"operation": "stringify"})).await,
            Err("tool 'json': missing required parameter 'input' (any)".into())
        );
    }
}
