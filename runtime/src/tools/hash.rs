//! The `hash` tool: computes a SHA-256, SHA-1 or MD5 digest of a string, for checksums, cache
//! keys and comparing content.

use md5::Md5;
use serde_json::{Value, json};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

pub struct Hash {
    schema: ToolSchema,
}

impl Hash {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "hash",
            "Computes the hexadecimal digest of a string's UTF-8 bytes with SHA-256 (default), \
             SHA-1 or MD5. SHA-1 and MD5 are for checksums and legacy formats only, not for \
             security.",
        )
        .param(
            ParamSchema::new(
                "input",
                ParamType::String,
                "The text to hash, as UTF-8 bytes.",
            )
            .required(),
        )
        .param(
            ParamSchema::new(
                "algorithm",
                ParamType::String,
                "The digest algorithm: sha256, sha1 or md5.",
            )
            .one_of(&["sha256", "sha1", "md5"])
            .default(Value::from("sha256")),
        )
        .returns(ParamSchema::new(
            "hash",
            ParamType::String,
            "The digest in lower-case hexadecimal (64 characters for sha256, 40 for sha1, 32 for \
             md5).",
        ));
        Hash { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Hash {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let input = params
            .get("input")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'input'")?;
        let algorithm = params
            .get("algorithm")
            .and_then(Value::as_str)
            .unwrap_or("sha256");
        let bytes = input.as_bytes();
        let hash = match algorithm {
            "sha256" => hex(&Sha256::digest(bytes)),
            "sha1" => hex(&Sha1::digest(bytes)),
            "md5" => hex(&Md5::digest(bytes)),
            other => return Err(format!("unknown algorithm '{other}'")),
        };
        Ok(json!({ "hash": hash }))
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    async fn hash(params: Value) -> Result<Value, String> {
        execute_tool(&Hash::new(), &params, &ctx())
            .await
            .map(|v| v["hash"].clone())
    }

    // The expected digests are the published test vectors for "abc" and the empty string.

    #[tokio::test]
    async fn sha256_is_the_default() {
        assert_eq!(
            hash(json!({"input": "abc"})).await,
            Ok(json!(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            ))
        );
        assert_eq!(
            hash(json!({"input": ""})).await,
            Ok(json!(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ))
        );
    }

    #[tokio::test]
    async fn sha1_and_md5() {
        assert_eq!(
            hash(json!({"input": "abc", "algorithm": "sha1"})).await,
            Ok(json!("a9993e364706816aba3e25717850c26c9cd0d89d"))
        );
        assert_eq!(
            hash(json!({"input": "abc", "algorithm": "md5"})).await,
            Ok(json!("900150983cd24fb0d6963f7d28e17f72"))
        );
    }

    #[tokio::test]
    async fn unknown_algorithm_is_refused_by_validation() {
        assert_eq!(
            hash(json!({"input": "abc", "algorithm": "crc32"})).await,
            Err(
                "tool 'hash': parameter 'algorithm' must be one of sha256, sha1, md5, got \
                 \"crc32\""
                    .into()
            )
        );
    }
}
