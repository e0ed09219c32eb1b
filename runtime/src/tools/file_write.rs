//! The `file-write` tool: writes or appends UTF-8 text to a file inside the run's workspace, for
//! scripts and agents that produce reports, notes or generated code.

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use super::workspace_path::resolve_in_workspace;
use super::{JsonMap, ParamSchema, ParamType, Permission, Tool, ToolContext, ToolSchema};

pub struct FileWrite {
    schema: ToolSchema,
}

impl FileWrite {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "file-write",
            "Writes text to a file inside the workspace, replacing it or appending to it. Paths \
             are relative to the workspace root; paths that lead outside it (through '..', an \
             absolute path or a symlink) are refused. Needs file access to be allowed for the \
             run.",
        )
        .param(
            ParamSchema::new(
                "path",
                ParamType::String,
                "The file to write, relative to the workspace root (an absolute path must lie \
                 inside the workspace). It is created if it does not exist.",
            )
            .required(),
        )
        .param(
            ParamSchema::new("content", ParamType::String, "The text to write, as UTF-8.")
                .required(),
        )
        .param(
            ParamSchema::new(
                "append",
                ParamType::Boolean,
                "Add content to the end of the file instead of replacing what it holds.",
            )
            .default(Value::Bool(false)),
        )
        .param(
            ParamSchema::new(
                "create_dirs",
                ParamType::Boolean,
                "Create the folders above the file when they do not exist; otherwise a missing \
                 folder is an error.",
            )
            .default(Value::Bool(false)),
        )
        .returns(ParamSchema::new(
            "bytes",
            ParamType::Integer,
            "The number of bytes written by this call (not the file's total size when \
             appending).",
        ))
        .returns(ParamSchema::new(
            "path",
            ParamType::String,
            "The file's path relative to the workspace root, with symlinks and '..' resolved.",
        ))
        .permission(Permission::Files);
        FileWrite { schema }
    }
}

#[async_trait::async_trait]
impl Tool for FileWrite {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, ctx: &ToolContext) -> Result<Value, String> {
        let requested = params
            .get("path")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'path'")?;
        let content = params
            .get("content")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'content'")?;
        let append = params
            .get("append")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let create_dirs = params
            .get("create_dirs")
            .and_then(Value::as_bool)
            .unwrap_or(false);

        let path = resolve_in_workspace(&ctx.workspace_root, requested, false)?;
        let root = ctx
            .workspace_root
            .canonicalize()
            .map_err(|e| format!("the workspace root cannot be resolved: {e}"))?;
        let relative = path
            .strip_prefix(&root)
            .map_err(|_| format!("path '{requested}' is outside the workspace root"))?;
        if relative.as_os_str().is_empty() {
            return Err(format!(
                "path '{requested}' is the workspace root, not a file"
            ));
        }

        if let Some(parent) = path.parent() {
            if create_dirs {
                tokio::fs::create_dir_all(parent)
                    .await
                    .map_err(|e| format!("cannot create the folders for '{requested}': {e}"))?;
            } else if !tokio::fs::try_exists(parent).await.unwrap_or(false) {
                return Err(format!(
                    "the folder for '{requested}' does not exist; set create_dirs = true to \
                     create it"
                ));
            }
        }

        let mut options = tokio::fs::OpenOptions::new();
        options.create(true);
        if append {
            options.append(true);
        } else {
            options.write(true).truncate(true);
        }
        let mut file = options
            .open(&path)
            .await
            .map_err(|e| format!("cannot open '{requested}': {e}"))?;
        file.write_all(content.as_bytes())
            .await
            .map_err(|e| format!("cannot write '{requested}': {e}"))?;
        // Flushing surfaces errors (such as a full disk) that dropping the file would hide.
        file.flush()
            .await
            .map_err(|e| format!("cannot write '{requested}': {e}"))?;

        Ok(json!({
            "bytes": content.len(),
            "path": relative.to_string_lossy(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn ctx(root: &std::path::Path, allow_files: bool) -> ToolContext {
        ToolContext::new(root.to_path_buf(), allow_files, false)
    }

    async fn write(root: &std::path::Path, params: Value) -> Result<Value, String> {
        execute_tool(&FileWrite::new(), &params, &ctx(root, true)).await
    }

    #[tokio::test]
    async fn writes_and_replaces_a_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            write(dir.path(), json!({"path": "out.txt", "content": "first"})).await,
            Ok(json!({"bytes": 5, "path": "out.txt"}))
        );
        assert_eq!(
            write(dir.path(), json!({"path": "./out.txt", "content": "né"})).await,
            Ok(json!({"bytes": 3, "path": "out.txt"}))
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("out.txt")).expect("read"),
            "né"
        );
    }

    #[tokio::test]
    async fn appends_when_asked() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("log.txt"), "a\n").expect("write");
        let out = write(
            dir.path(),
            json!({"path": "log.txt", "content": "b\n", "append": true}),
        )
        .await;
        assert_eq!(out, Ok(json!({"bytes": 2, "path": "log.txt"})));
        assert_eq!(
            fs::read_to_string(dir.path().join("log.txt")).expect("read"),
            "a\nb\n"
        );
    }

    #[tokio::test]
    async fn missing_folders_need_create_dirs() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            write(dir.path(), json!({"path": "a/b/c.txt", "content": "x"})).await,
            Err(
                "tool 'file-write': the folder for 'a/b/c.txt' does not exist; set create_dirs = \
                 true to create it"
                    .into()
            )
        );
        assert_eq!(
            write(
                dir.path(),
                json!({"path": "a/b/c.txt", "content": "x", "create_dirs": true})
            )
            .await,
            Ok(json!({"bytes": 1, "path": "a/b/c.txt"}))
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("a/b/c.txt")).expect("read"),
            "x"
        );
    }

    #[tokio::test]
    async fn refuses_paths_outside_the_workspace() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = tempfile::tempdir().expect("temp dir");
        let err = write(dir.path(), json!({"path": "../escape.txt", "content": "x"}))
            .await
            .unwrap_err();
        assert!(
            err.contains("path '../escape.txt' is outside the workspace root"),
            "{err}"
        );

        // A symlinked folder must not let a new file land outside, even with create_dirs.
        symlink(outside.path(), dir.path().join("link")).expect("symlink");
        let err = write(
            dir.path(),
            json!({"path": "link/sub/new.txt", "content": "x", "create_dirs": true}),
        )
        .await
        .unwrap_err();
        assert!(
            err.contains("path 'link/sub/new.txt' is outside the workspace root"),
            "{err}"
        );
        assert!(
            !outside.path().join("sub").exists(),
            "no folder may be created outside"
        );
    }

    #[tokio::test]
    async fn refuses_the_workspace_root_itself() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            write(dir.path(), json!({"path": ".", "content": "x"})).await,
            Err("tool 'file-write': path '.' is the workspace root, not a file".into())
        );
    }

    #[tokio::test]
    async fn refuses_when_file_access_is_off() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = execute_tool(
            &FileWrite::new(),
            &json!({"path": "x.txt", "content": "x"}),
            &ctx(dir.path(), false),
        )
        .await
        .unwrap_err();
        assert!(
            err.starts_with("tool 'file-write': file access is off for this run"),
            "{err}"
        );
        assert!(!dir.path().join("x.txt").exists());
    }
}
