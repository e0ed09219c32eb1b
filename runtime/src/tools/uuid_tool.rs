//! The `uuid` tool: generates a random (version 4) UUID, for identifiers that must not collide.

use serde_json::{Value, json};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

pub struct Uuid {
    schema: ToolSchema,
}

impl Uuid {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "uuid",
            "Generates a new random UUID (version 4), such as \
             \"0b5f8c9e-3c1a-4d2b-9f6e-7a8b9c0d1e2f\".",
        )
        .returns(ParamSchema::new(
            "uuid",
            ParamType::String,
            "The new UUID in its 36-character lower-case hyphenated form.",
        ));
        Uuid { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Uuid {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, _params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        Ok(json!({ "uuid": uuid::Uuid::new_v4().to_string() }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    #[tokio::test]
    async fn generates_distinct_version_4_uuids() {
        let tool = Uuid::new();
        let first = execute_tool(&tool, &Value::Null, &ctx())
            .await
            .expect("uuid works");
        let second = execute_tool(&tool, &json!({}), &ctx())
            .await
            .expect("uuid works");
        let text = first["uuid"].as_str().expect("uuid is a string");
        assert_eq!(text.len(), 36);
        let parsed = uuid::Uuid::parse_str(text).expect("a valid UUID");
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(text, text.to_lowercase());
        assert_ne!(first, second);
    }

    #[tokio::test]
    async fn refuses_parameters_because_it_takes_none() {
        let err = execute_tool(&Uuid::new(), &json!({"version": 4}), &ctx())
            .await
            .unwrap_err();
        assert_eq!(
            err,
            "tool 'uuid': unknown parameter 'version': this tool takes no parameters"
        );
    }

    #[tokio::test]
    async fn accepts_an_empty_lua_table_as_no_parameters() {
        let out = execute_tool(&Uuid::new(), &json!([]), &ctx())
            .await
            .expect("uuid works");
        assert!(out["uuid"].is_string());
    }
}
