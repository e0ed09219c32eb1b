//! `ExecutionContext`: what one run knows about where it runs: the script, its arguments, the
//! loaded configuration (limits, permissions, workspace root) and its cancellation token.

use std::path::PathBuf;

use tokio_util::sync::CancellationToken;

use crate::config::{Config, LoadedConfig};
use crate::tools::ToolContext;

#[derive(Debug, Clone)]
pub struct ExecutionContext {
    /// The arguments after `--`, given to the script as `ARGS`.
    pub args: Vec<String>,
    pub config: LoadedConfig,
    /// `llmspell run --model`: the model of every agent of the run, whatever the script says.
    pub model_override: Option<String>,
    /// Cancelling stops the run: the engine checks it between instructions and every await
    /// races against it.
    pub cancel: CancellationToken,
}

impl Default for ExecutionContext {
    fn default() -> Self {
        let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        ExecutionContext::new(LoadedConfig {
            config: Config::default(),
            file: None,
            root,
        })
    }
}

impl ExecutionContext {
    pub fn new(config: LoadedConfig) -> Self {
        ExecutionContext {
            args: Vec::new(),
            config,
            model_override: None,
            cancel: CancellationToken::new(),
        }
    }

    pub fn tool_context(&self) -> ToolContext {
        ToolContext {
            workspace_root: self.config.root.clone(),
            allow_files: self.config.config.run.allow_files,
            allow_network: self.config.config.run.allow_network,
            cancel: self.cancel.clone(),
        }
    }
}
