//! The `base64` tool: encodes text as Base64 and decodes Base64 back to text, for data URLs,
//! basic-auth headers, JWT segments and APIs that carry text in Base64.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{
    GeneralPurpose, GeneralPurposeConfig, STANDARD, URL_SAFE_NO_PAD,
};
use serde_json::{Value, json};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

/// Decoders that accept input with or without `=` padding: producers disagree on it (JWTs omit
/// it, MIME keeps it), and the padding carries no information.
const STANDARD_DECODER: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE_DECODER: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub struct Base64Tool {
    schema: ToolSchema,
}

impl Base64Tool {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "base64",
            "Encodes a string's UTF-8 bytes as Base64, or decodes Base64 into a UTF-8 string.",
        )
        .param(
            ParamSchema::new(
                "operation",
                ParamType::String,
                "encode (text to Base64) or decode (Base64 to text).",
            )
            .required()
            .one_of(&["encode", "decode"]),
        )
        .param(
            ParamSchema::new(
                "input",
                ParamType::String,
                "The text to encode, or the Base64 to decode (padding optional; spaces and line \
                 breaks are ignored).",
            )
            .required(),
        )
        .param(
            ParamSchema::new(
                "url_safe",
                ParamType::Boolean,
                "Use the URL- and filename-safe alphabet ('-' and '_' instead of '+' and '/'). \
                 Encoding with it leaves out the '=' padding, as JWTs and URLs expect.",
            )
            .default(Value::Bool(false)),
        )
        .returns(ParamSchema::new(
            "result",
            ParamType::String,
            "The Base64 text (encode) or the decoded text (decode).",
        ));
        Base64Tool { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Base64Tool {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let operation = params
            .get("operation")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'operation'")?;
        let input = params
            .get("input")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'input'")?;
        let url_safe = params
            .get("url_safe")
            .and_then(Value::as_bool)
            .unwrap_or(false);

        let result = match operation {
            "encode" if url_safe => URL_SAFE_NO_PAD.encode(input),
            "encode" => STANDARD.encode(input),
            "decode" => decode(input, url_safe)?,
            other => return Err(format!("unknown operation '{other}'")),
        };
        Ok(json!({ "result": result }))
    }
}

fn decode(input: &str, url_safe: bool) -> Result<String, String> {
    // Base64 is often wrapped over several lines (MIME, PEM), so whitespace is dropped first.
    let compact: String = input.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let decoder = if url_safe {
        &URL_SAFE_DECODER
    } else {
        &STANDARD_DECODER
    };
    let bytes = decoder.decode(compact.as_bytes()).map_err(|e| {
        let hint = if url_safe {
            ""
        } else {
            " (for '-' and '_' set url_safe = true)"
        };
        format!("input is not valid Base64: {e}{hint}")
    })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the decoded bytes are not UTF-8 text (invalid byte at offset {}); this tool only \
             returns text",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    async fn run(params: Value) -> Result<Value, String> {
        execute_tool(&Base64Tool::new(), &params, &ctx())
            .await
            .map(|v| v["result"].clone())
    }

    #[tokio::test]
    async fn encodes_with_padding_by_default() {
        assert_eq!(
            run(json!({"operation": "encode", "input": "hello"})).await,
            Ok(json!("aGVsbG8="))
        );
        assert_eq!(
            run(json!({"operation": "encode", "input": ""})).await,
            Ok(json!(""))
        );
    }

    #[tokio::test]
    async fn url_safe_encoding_uses_the_url_alphabet_without_padding() {
        // The UTF-8 bytes of "ÿ?>" give a '/' in the standard alphabet, which becomes '_'.
        assert_eq!(
            run(json!({"operation": "encode", "input": "ÿ?>"})).await,
            Ok(json!("w78/Pg=="))
        );
        assert_eq!(
            run(json!({"operation": "encode", "input": "ÿ?>", "url_safe": true})).await,
            Ok(json!("w78_Pg"))
        );
    }

    #[tokio::test]
    async fn decodes_with_or_without_padding_and_across_lines() {
        assert_eq!(
            run(json!({"operation": "decode", "input": "aGVsbG8="})).await,
            Ok(json!("hello"))
        );
        assert_eq!(
            run(json!({"operation": "decode", "input": "aGVsbG8"})).await,
            Ok(json!("hello"))
        );
        assert_eq!(
            run(json!({"operation": "decode", "input": "aGVs\nbG8=\n"})).await,
            Ok(json!("hello"))
        );
        assert_eq!(
            run(json!({"operation": "decode", "input": "w78_Pg", "url_safe": true})).await,
            Ok(json!("ÿ?>"))
        );
    }

    #[tokio::test]
    async fn invalid_base64_is_a_clear_error() {
        let err = run(json!({"operation": "decode", "input": "not base64!"}))
            .await
            .unwrap_err();
        assert!(
            err.starts_with("tool 'base64': input is not valid Base64: "),
            "{err}"
        );
        let err = run(json!({"operation": "decode", "input": "w78_Pg"}))
            .await
            .unwrap_err();
        assert!(
            err.ends_with("(for '-' and '_' set url_safe = true)"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn non_utf8_output_is_a_clear_error() {
        // "aGk/" is "hi?" and "/w==" the single byte 0xFF, which never occurs in UTF-8.
        assert_eq!(
            run(json!({"operation": "decode", "input": "aGk//w=="}))
                .await
                .map(|_| ()),
            Err(
                "tool 'base64': the decoded bytes are not UTF-8 text (invalid byte at offset 3); \
                 this tool only returns text"
                    .into()
            )
        );
    }

    #[tokio::test]
    async fn round_trips_unicode() {
        let text = "naïve – 日本語 🎉";
        let encoded = run(json!({"operation": "encode", "input": text}))
            .await
            .expect("encodes");
        let decoded = run(json!({"operation": "decode", "input": encoded})).await;
        assert_eq!(decoded, Ok(json!(text)));
    }
}
