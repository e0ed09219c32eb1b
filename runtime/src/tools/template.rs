//! The `template` tool: fills `{{name}}` placeholders in a text from a table of values, for
//! building prompts and messages without string concatenation.

use serde_json::{Value, json};

use super::json::lookup_path;
use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

pub struct Template {
    schema: ToolSchema,
}

impl Template {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "template",
            "Replaces each {{name}} in a template with the matching entry of values. Spaces \
             inside the braces are allowed ({{ name }}), and dotted paths reach into nested \
             tables ({{user.name}}, {{items.0}}). Every name must exist in values.",
        )
        .param(
            ParamSchema::new(
                "template",
                ParamType::String,
                "The text containing {{name}} placeholders.",
            )
            .required(),
        )
        .param(
            ParamSchema::new(
                "values",
                ParamType::Object,
                "The values to insert, by name. Strings are inserted as they are; numbers, \
                 booleans, lists and tables are inserted as compact JSON.",
            )
            .required(),
        )
        .returns(ParamSchema::new(
            "result",
            ParamType::String,
            "The template with every placeholder replaced.",
        ));
        Template { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Template {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let template = params
            .get("template")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'template'")?;
        let values = params.get("values").ok_or("missing parameter 'values'")?;
        Ok(json!({ "result": render(template, values)? }))
    }
}

/// Renders `template`, reporting every unknown name at once so the author can fix them together.
fn render(template: &str, values: &Value) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut unknown: Vec<String> = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after_open = &rest[start + 2..];
        let Some(end) = after_open.find("}}") else {
            let offset = template.len() - rest.len() + start;
            return Err(format!(
                "template has a '{{{{' at byte {offset} without a matching '}}}}'"
            ));
        };
        let name = after_open[..end].trim();
        if name.is_empty() {
            return Err("template has an empty placeholder '{{}}'".into());
        }
        match lookup_path(values, name) {
            Ok(Some(Value::String(text))) => out.push_str(text),
            Ok(Some(other)) => out.push_str(&other.to_string()),
            Ok(None) => {
                if !unknown.iter().any(|u| u == name) {
                    unknown.push(name.to_owned());
                }
            }
            Err(e) => return Err(format!("placeholder '{{{{{name}}}}}': {e}")),
        }
        rest = &after_open[end + 2..];
    }
    out.push_str(rest);
    match unknown.as_slice() {
        [] => Ok(out),
        [one] => Err(format!(
            "unknown name '{one}' in template (not found in values)"
        )),
        many => Err(format!(
            "unknown names in template (not found in values): {}",
            many.iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    async fn run(template: &str, values: Value) -> Result<Value, String> {
        execute_tool(
            &Template::new(),
            &json!({"template": template, "values": values}),
            &ctx(),
        )
        .await
        .map(|v| v["result"].clone())
    }

    #[tokio::test]
    async fn replaces_names_with_and_without_spaces() {
        assert_eq!(
            run(
                "Hello {{name}}, you are {{ age }}!",
                json!({"name": "Ada", "age": 36})
            )
            .await,
            Ok(json!("Hello Ada, you are 36!"))
        );
    }

    #[tokio::test]
    async fn dotted_paths_reach_into_nested_values() {
        let values = json!({"user": {"name": "Ada", "langs": ["en", "fr"]}});
        assert_eq!(
            run("{{user.name}} speaks {{user.langs.1}}", values).await,
            Ok(json!("Ada speaks fr"))
        );
    }

    #[tokio::test]
    async fn non_string_values_are_compact_json() {
        let values = json!({"list": [1, "two", null], "obj": {"a": true}, "f": 1.5, "b": false});
        assert_eq!(
            run("{{list}} {{obj}} {{f}} {{b}}", values).await,
            Ok(json!("[1,\"two\",null] {\"a\":true} 1.5 false"))
        );
    }

    #[tokio::test]
    async fn text_without_placeholders_and_repeated_names() {
        assert_eq!(
            run("plain } { text", json!({})).await,
            Ok(json!("plain } { text"))
        );
        assert_eq!(
            run("{{x}}{{x}}", json!({"x": "ab"})).await,
            Ok(json!("abab"))
        );
    }

    #[tokio::test]
    async fn unknown_names_are_errors_naming_them() {
        assert_eq!(
            run("Hi {{nmae}}", json!({"name": "Ada"})).await,
            Err("tool 'template': unknown name 'nmae' in template (not found in values)".into())
        );
        assert_eq!(
            run("{{a}} {{b.c}} {{a}}", json!({"b": {}})).await,
            Err(
                "tool 'template': unknown names in template (not found in values): 'a', 'b.c'"
                    .into()
            )
        );
        // An empty Lua table arrives as an empty array and must behave like an empty table.
        assert_eq!(
            run("{{x}}", json!([])).await,
            Err("tool 'template': unknown name 'x' in template (not found in values)".into())
        );
    }

    #[tokio::test]
    async fn malformed_placeholders_are_errors() {
        assert_eq!(
            run("ab {{name", json!({"name": "x"})).await,
            Err("tool 'template': template has a '{{' at byte 3 without a matching '}}'".into())
        );
        assert_eq!(
            run("{{ }}", json!({})).await,
            Err("tool 'template': template has an empty placeholder '{{}}'".into())
        );
        assert_eq!(
            run("{{s.x}}", json!({"s": "text"})).await,
            Err(
                "tool 'template': placeholder '{{s.x}}': path 's.x': cannot look up 'x' in a \
                 string (at 's')"
                    .into()
            )
        );
    }

    #[tokio::test]
    async fn values_must_be_a_table() {
        assert_eq!(
            run("{{x}}", json!("x")).await,
            Err("tool 'template': parameter 'values' must be object, got string".into())
        );
    }
}
