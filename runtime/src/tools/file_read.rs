//! The `file-read` tool: reads a UTF-8 text file inside the run's workspace, for scripts and
//! agents that work on local documents.

use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

use super::workspace_path::resolve_in_workspace;
use super::{JsonMap, ParamSchema, ParamType, Permission, Tool, ToolContext, ToolSchema};

const DEFAULT_MAX_BYTES: u64 = 1_048_576;

pub struct FileRead {
    schema: ToolSchema,
}

impl FileRead {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "file-read",
            "Reads a UTF-8 text file inside the workspace. Paths are relative to the workspace \
             root; paths that lead outside it (through '..', an absolute path or a symlink) are \
             refused. Needs file access to be allowed for the run.",
        )
        .param(
            ParamSchema::new(
                "path",
                ParamType::String,
                "The file to read, relative to the workspace root (an absolute path must lie \
                 inside the workspace).",
            )
            .required(),
        )
        .param(
            ParamSchema::new(
                "max_bytes",
                ParamType::Integer,
                "The largest file size, in bytes, to read; a larger file is an error rather \
                 than being cut short. Defaults to 1048576 (1 MiB).",
            )
            .default(Value::from(DEFAULT_MAX_BYTES))
            .at_least(0.0),
        )
        .returns(ParamSchema::new(
            "content",
            ParamType::String,
            "The whole text of the file.",
        ))
        .returns(ParamSchema::new(
            "bytes",
            ParamType::Integer,
            "The size of the file in bytes (not characters).",
        ))
        .permission(Permission::Files);
        FileRead { schema }
    }
}

#[async_trait::async_trait]
impl Tool for FileRead {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, ctx: &ToolContext) -> Result<Value, String> {
        let requested = params
            .get("path")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'path'")?;
        let max_bytes = match params.get("max_bytes").and_then(Value::as_f64) {
            None => DEFAULT_MAX_BYTES,
            // Validation checked the range and that it is a whole number, so the cast is exact.
            Some(n) => n as u64,
        };
        let path = resolve_in_workspace(&ctx.workspace_root, requested, true)?;

        let metadata = tokio::fs::metadata(&path)
            .await
            .map_err(|e| format!("cannot read '{requested}': {e}"))?;
        if !metadata.is_file() {
            return Err(format!("'{requested}' is not a regular file"));
        }
        if metadata.len() > max_bytes {
            return Err(too_large(requested, metadata.len(), max_bytes));
        }

        // The file may grow between the size check and the read, so the read itself is capped
        // one byte past the limit, which is enough to notice.
        let file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| format!("cannot open '{requested}': {e}"))?;
        let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| format!("cannot read '{requested}': {e}"))?;
        let size = bytes.len() as u64;
        if size > max_bytes {
            return Err(too_large(requested, size, max_bytes));
        }

        let content = String::from_utf8(bytes).map_err(|e| {
            format!(
                "'{requested}' is not UTF-8 text (invalid byte at offset {}); only text files \
                 can be read",
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(json!({ "content": content, "bytes": size }))
    }
}

fn too_large(requested: &str, size: u64, max_bytes: u64) -> String {
    format!("'{requested}' is {size} bytes, more than max_bytes ({max_bytes})")
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;
    use std::fs;

    fn ctx(root: &std::path::Path, allow_files: bool) -> ToolContext {
        ToolContext::new(root.to_path_buf(), allow_files, false)
    }

    async fn read(root: &std::path::Path, params: Value) -> Result<Value, String> {
        execute_tool(&FileRead::new(), &params, &ctx(root, true)).await
    }

    #[tokio::test]
    async fn reads_a_text_file_and_reports_its_byte_size() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("docs")).expect("mkdir");
        fs::write(dir.path().join("docs/note.txt"), "héllo\n").expect("write");
        assert_eq!(
            read(dir.path(), json!({"path": "docs/note.txt"})).await,
            Ok(json!({"content": "héllo\n", "bytes": 7}))
        );
    }

    #[tokio::test]
    async fn refuses_when_file_access_is_off() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.txt"), "a").expect("write");
        let err = execute_tool(
            &FileRead::new(),
            &json!({"path": "a.txt"}),
            &ctx(dir.path(), false),
        )
        .await
        .unwrap_err();
        assert_eq!(
            err,
            "tool 'file-read': file access is off for this run; set `allow_files = true` under \
             [run] in llmspell.toml"
        );
    }

    #[tokio::test]
    async fn refuses_paths_outside_the_workspace() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = read(dir.path(), json!({"path": "../../etc/passwd"}))
            .await
            .unwrap_err();
        assert!(
            err.starts_with("tool 'file-read': path '../../etc/passwd' is outside the workspace"),
            "{err}"
        );
        let err = read(dir.path(), json!({"path": "/etc/passwd"}))
            .await
            .unwrap_err();
        assert!(err.contains("is outside the workspace root"), "{err}");
    }

    #[tokio::test]
    async fn refuses_files_larger_than_max_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("big.txt"), "0123456789").expect("write");
        assert_eq!(
            read(dir.path(), json!({"path": "big.txt", "max_bytes": 4})).await,
            Err("tool 'file-read': 'big.txt' is 10 bytes, more than max_bytes (4)".into())
        );
        assert_eq!(
            read(dir.path(), json!({"path": "big.txt", "max_bytes": 10})).await,
            Ok(json!({"content": "0123456789", "bytes": 10}))
        );
    }

    #[tokio::test]
    async fn refuses_binary_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("bin.dat"), [b'o', b'k', 0xff, 0xfe]).expect("write");
        assert_eq!(
            read(dir.path(), json!({"path": "bin.dat"})).await,
            Err(
                "tool 'file-read': 'bin.dat' is not UTF-8 text (invalid byte at offset 2); only \
                 text files can be read"
                    .into()
            )
        );
    }

    #[tokio::test]
    async fn missing_files_and_folders_are_clear_errors() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("sub")).expect("mkdir");
        assert_eq!(
            read(dir.path(), json!({"path": "nope.txt"})).await,
            Err("tool 'file-read': path 'nope.txt' does not exist in the workspace".into())
        );
        assert_eq!(
            read(dir.path(), json!({"path": "sub"})).await,
            Err("tool 'file-read': 'sub' is not a regular file".into())
        );
    }

    #[tokio::test]
    async fn negative_max_bytes_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.txt"), "a").expect("write");
        assert_eq!(
            read(dir.path(), json!({"path": "a.txt", "max_bytes": -1})).await,
            Err("tool 'file-read': parameter 'max_bytes' must be at least 0, got -1".into())
        );
    }
}
