//! The `text` tool: small string operations (case, trimming, reversing, counting, splitting and
//! literal replacement) that scripts and agents can call without writing code.

use serde_json::{Value, json};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

const OPERATIONS: &[&str] = &[
    "upper", "lower", "trim", "reverse", "length", "words", "replace", "split",
];

pub struct Text {
    schema: ToolSchema,
}

impl Text {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "text",
            "Transforms or inspects a string: upper/lower case, trim whitespace, reverse, count \
             characters, list words, replace every occurrence of a literal pattern, or split on a \
             literal separator.",
        )
        .param(ParamSchema::new("text", ParamType::String, "The string to work on.").required())
        .param(
            ParamSchema::new(
                "operation",
                ParamType::String,
                "What to do: upper (upper case), lower (lower case), trim (remove leading and \
                 trailing whitespace), reverse (reverse the characters), length (count the \
                 characters), words (list the whitespace-separated words), replace (replace \
                 every occurrence of pattern with replacement), split (split on pattern).",
            )
            .required()
            .one_of(OPERATIONS),
        )
        .param(ParamSchema::new(
            "pattern",
            ParamType::String,
            "The literal text to find (replace) or to split on (split); required by those two \
             operations and not allowed with the others. Not a regular expression.",
        ))
        .param(ParamSchema::new(
            "replacement",
            ParamType::String,
            "The text that replaces each occurrence of pattern (replace only); defaults to the \
             empty string, which deletes the occurrences.",
        ))
        .returns(ParamSchema::new(
            "result",
            ParamType::Any,
            "A string for upper, lower, trim, reverse and replace; an integer (the number of \
             Unicode characters) for length; an array of strings for words and split.",
        ));
        Text { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Text {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let text = params
            .get("text")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'text'")?;
        let operation = params
            .get("operation")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'operation'")?;
        let pattern = params.get("pattern").and_then(Value::as_str);
        let replacement = params.get("replacement").and_then(Value::as_str);

        // Passing a pattern to an operation that ignores it is almost certainly a mistake in the
        // script (for example a misspelt operation name), so it is reported instead of ignored.
        if pattern.is_some() && !matches!(operation, "replace" | "split") {
            return Err(format!(
                "parameter 'pattern' is only used by replace and split, not {operation}"
            ));
        }
        if replacement.is_some() && operation != "replace" {
            return Err(format!(
                "parameter 'replacement' is only used by replace, not {operation}"
            ));
        }

        let result = match operation {
            "upper" => Value::from(text.to_uppercase()),
            "lower" => Value::from(text.to_lowercase()),
            "trim" => Value::from(text.trim()),
            "reverse" => Value::from(text.chars().rev().collect::<String>()),
            "length" => Value::from(text.chars().count()),
            "words" => Value::from(text.split_whitespace().collect::<Vec<_>>()),
            "replace" => {
                let pattern = required_pattern(pattern, operation)?;
                Value::from(text.replace(pattern, replacement.unwrap_or("")))
            }
            "split" => {
                let pattern = required_pattern(pattern, operation)?;
                Value::from(text.split(pattern).collect::<Vec<_>>())
            }
            other => {
                return Err(format!(
                    "unknown operation '{other}' (expected one of: {})",
                    OPERATIONS.join(", ")
                ));
            }
        };
        Ok(json!({ "result": result }))
    }
}

/// Returns the pattern that `replace` and `split` need. An empty pattern is refused because it
/// matches between every character, which is never what a caller means.
fn required_pattern<'a>(pattern: Option<&'a str>, operation: &str) -> Result<&'a str, String> {
    match pattern {
        None => Err(format!(
            "operation '{operation}' needs the 'pattern' parameter"
        )),
        Some("") => Err(format!(
            "operation '{operation}' needs a non-empty 'pattern'"
        )),
        Some(p) => Ok(p),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{builtin_tools, execute_tool};
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    async fn text(params: Value) -> Result<Value, String> {
        execute_tool(&Text::new(), &params, &ctx())
            .await
            .map(|v| v["result"].clone())
    }

    #[tokio::test]
    async fn case_trim_and_reverse() {
        assert_eq!(
            text(json!({"text": "Straße", "operation": "upper"})).await,
            Ok(json!("STRASSE"))
        );
        assert_eq!(
            text(json!({"text": "HeLLo", "operation": "lower"})).await,
            Ok(json!("hello"))
        );
        assert_eq!(
            text(json!({"text": "  a b \n", "operation": "trim"})).await,
            Ok(json!("a b"))
        );
        assert_eq!(
            text(json!({"text": "añb", "operation": "reverse"})).await,
            Ok(json!("bña"))
        );
    }

    #[tokio::test]
    async fn length_counts_characters_not_bytes() {
        assert_eq!(
            text(json!({"text": "héllo", "operation": "length"})).await,
            Ok(json!(5))
        );
        assert_eq!(
            text(json!({"text": "", "operation": "length"})).await,
            Ok(json!(0))
        );
    }

    #[tokio::test]
    async fn words_splits_on_any_whitespace() {
        assert_eq!(
            text(json!({"text": " one  two\tthree\n", "operation": "words"})).await,
            Ok(json!(["one", "two", "three"]))
        );
    }

    #[tokio::test]
    async fn replace_and_split_use_literal_patterns() {
        assert_eq!(
            text(
                json!({"text": "a.b.c", "operation": "replace", "pattern": ".", "replacement": "-"})
            )
            .await,
            Ok(json!("a-b-c"))
        );
        assert_eq!(
            text(json!({"text": "a.b.c", "operation": "replace", "pattern": "."})).await,
            Ok(json!("abc"))
        );
        assert_eq!(
            text(json!({"text": "a,b,,c", "operation": "split", "pattern": ","})).await,
            Ok(json!(["a", "b", "", "c"]))
        );
    }

    #[tokio::test]
    async fn replace_and_split_require_a_pattern() {
        assert_eq!(
            text(json!({"text": "abc", "operation": "replace"})).await,
            Err("tool 'text': operation 'replace' needs the 'pattern' parameter".into())
        );
        assert_eq!(
            text(json!({"text": "abc", "operation": "split"})).await,
            Err("tool 'text': operation 'split' needs the 'pattern' parameter".into())
        );
        assert_eq!(
            text(json!({"text": "abc", "operation": "split", "pattern": ""})).await,
            Err("tool 'text': operation 'split' needs a non-empty 'pattern'".into())
        );
    }

    #[tokio::test]
    async fn pattern_with_an_operation_that_ignores_it_is_refused() {
        assert_eq!(
            text(json!({"text": "abc", "operation": "upper", "pattern": "a"})).await,
            Err(
                "tool 'text': parameter 'pattern' is only used by replace and split, not upper"
                    .into()
            )
        );
    }

    // The tests below exercise `ToolSchema::validate` through a tool with required, optional and
    // enumerated parameters, checking the exact messages a script author sees.

    #[tokio::test]
    async fn validation_reports_a_missing_required_parameter() {
        assert_eq!(
            text(json!({"operation": "upper"})).await,
            Err("tool 'text': missing required parameter 'text' (string)".into())
        );
    }

    #[tokio::test]
    async fn validation_reports_an_unknown_parameter_with_the_known_ones() {
        assert_eq!(
            text(json!({"text": "a", "operation": "upper", "colour": "red"})).await,
            Err(
                "tool 'text': unknown parameter 'colour' (expected one of: text, operation, \
                 pattern, replacement)"
                    .into()
            )
        );
    }

    #[tokio::test]
    async fn validation_reports_a_wrongly_typed_parameter() {
        assert_eq!(
            text(json!({"text": 42, "operation": "upper"})).await,
            Err("tool 'text': parameter 'text' must be string, got integer".into())
        );
    }

    #[tokio::test]
    async fn validation_reports_a_value_outside_the_enum() {
        assert_eq!(
            text(json!({"text": "a", "operation": "shout"})).await,
            Err(format!(
                "tool 'text': parameter 'operation' must be one of {}, got \"shout\"",
                OPERATIONS.join(", ")
            ))
        );
    }

    #[tokio::test]
    async fn validation_reports_every_problem_at_once() {
        assert_eq!(
            text(json!({"text": true, "extra": 1})).await,
            Err(
                "tool 'text': unknown parameter 'extra' (expected one of: text, operation, \
                 pattern, replacement); parameter 'text' must be string, got boolean; missing \
                 required parameter 'operation' (string)"
                    .into()
            )
        );
    }

    #[tokio::test]
    async fn validation_refuses_parameters_that_are_not_a_table() {
        assert_eq!(
            text(json!("upper")).await,
            Err("tool 'text': parameters must be a table, got string".into())
        );
    }

    #[test]
    fn builtin_tools_are_sorted_kebab_case_and_fully_described() {
        let tools = builtin_tools();
        let names: Vec<&str> = tools.iter().map(|t| t.name()).collect();
        assert_eq!(
            names,
            [
                "base64",
                "calculator",
                "datetime",
                "file-read",
                "file-write",
                "hash",
                "http-request",
                "json",
                "sleep",
                "template",
                "text",
                "uuid"
            ]
        );
        for tool in &tools {
            let schema = tool.schema();
            assert!(
                schema.name.split('-').all(|part| {
                    part.starts_with(|c: char| c.is_ascii_lowercase())
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                }),
                "{} is not kebab-case",
                schema.name
            );
            assert!(
                !schema.description.is_empty(),
                "{} has no description",
                schema.name
            );
            assert!(
                !schema.returns.is_empty(),
                "{} declares no result fields",
                schema.name
            );
            for field in schema.params.iter().chain(&schema.returns) {
                assert!(
                    field.description.len() > 10,
                    "{}.{} has no real description",
                    schema.name,
                    field.name
                );
            }
            // Every default must itself pass validation, or a call relying on it would fail.
            for param in &schema.params {
                if let Some(default) = &param.default {
                    let mut given = JsonMap::new();
                    given.insert(param.name.clone(), default.clone());
                    let err = schema
                        .validate(&Value::Object(given))
                        .err()
                        .unwrap_or_default();
                    assert!(
                        !err.contains(&format!("parameter '{}' must", param.name)),
                        "{}.{} has an invalid default: {err}",
                        schema.name,
                        param.name
                    );
                }
            }
        }
    }

    #[test]
    fn json_schema_lists_required_parameters_and_enums() {
        let schema = Text::new().schema.to_json_schema();
        assert_eq!(schema["required"], json!(["text", "operation"]));
        assert_eq!(schema["properties"]["operation"]["enum"], json!(OPERATIONS));
        assert_eq!(schema["properties"]["pattern"]["type"], json!("string"));
    }
}
