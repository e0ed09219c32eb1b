//! `llmspell.toml`: discovery from a script's folder upwards, parsing and validation.
//!
//! The same file configures the runtime, the CLI and the language server. Unknown keys are
//! errors with a line number, because a misspelt limit that is silently ignored is worse than
//! no limit at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Result, RuntimeError};

pub const CONFIG_FILE_NAME: &str = "llmspell.toml";

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The model agents use when `Agent.create` names none, as `provider/model-id`.
    pub default_model: Option<String>,
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderConfig>,
    #[serde(default)]
    pub run: RunConfig,
    #[serde(default)]
    pub lint: LintConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// The offline provider: echoes prompts or plays back scripted replies.
    Mock,
    /// OpenAI's chat completions API and the many servers that speak it.
    Openai,
    /// Anthropic's messages API.
    Anthropic,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    /// The API's base URL. Default: the provider's official endpoint.
    pub base_url: Option<String>,
    /// The environment variable holding the API key. Keys are never written in this file.
    /// Default: `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`, but only for the official endpoint, so a
    /// key is never sent to a server the config did not ask for it to be sent to.
    pub api_key_env: Option<String>,
    /// The model id used when a model string names only the provider (`model = "NAME"`).
    pub default_model: Option<String>,
    /// How often a request that failed with 429 or 5xx (or could not connect) is retried.
    #[serde(default = "default_max_retries")]
    pub max_retries: u32,
    /// How long connecting may take.
    #[serde(default = "default_connect_timeout_ms")]
    pub connect_timeout_ms: u64,
    /// How long to wait for the first byte of an answer, and then between two chunks of it.
    #[serde(default = "default_read_timeout_ms")]
    pub read_timeout_ms: u64,
    /// For `kind = "mock"`: replies played back in order, one per call, wrapping around.
    #[serde(default)]
    pub replies: Vec<String>,
}

fn default_max_retries() -> u32 {
    2
}

fn default_connect_timeout_ms() -> u64 {
    10_000
}

fn default_read_timeout_ms() -> u64 {
    120_000
}

impl ProviderConfig {
    /// A provider of `kind` with every setting at its default.
    pub fn new(kind: ProviderKind) -> Self {
        ProviderConfig {
            kind,
            base_url: None,
            api_key_env: None,
            default_model: None,
            max_retries: default_max_retries(),
            connect_timeout_ms: default_connect_timeout_ms(),
            read_timeout_ms: default_read_timeout_ms(),
            replies: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Wall-clock limit of a whole run.
    pub timeout_ms: u64,
    /// Memory limit of the script engine.
    pub memory_mb: u64,
    /// Cap on everything a run prints.
    pub max_output_bytes: u64,
    pub allow_network: bool,
    pub allow_files: bool,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            timeout_ms: 300_000,
            memory_mb: 512,
            max_output_bytes: 10 * 1024 * 1024,
            allow_network: false,
            allow_files: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Severity per rule code, overriding each rule's default.
    #[serde(default)]
    pub rules: BTreeMap<String, Severity>,
    /// Extra globals the scripts may use without an "undefined global" warning.
    #[serde(default)]
    pub globals: Vec<String>,
    /// Globs (gitignore syntax, relative to the config's folder) of files `llmspell lint` skips
    /// when it walks folders, besides what `.gitignore` ignores.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A configuration and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// The config file, when one was found.
    pub file: Option<PathBuf>,
    /// The workspace root: the config file's folder, or the script's folder without one. File
    /// tools are confined to it.
    pub root: PathBuf,
}

impl Config {
    /// Parses `text`, naming `file` and the line in every error.
    pub fn parse(text: &str, file: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| RuntimeError::Config {
            file: file.to_owned(),
            line: e.span().map(|span| line_of(text, span.start)),
            message: readable_toml_message(e.message()),
        })?;
        config.check(file)?;
        Ok(config)
    }

    /// Checks what serde cannot: values that parse but make no sense.
    fn check(&self, file: &Path) -> Result<()> {
        let error = |message: String| RuntimeError::Config {
            file: file.to_owned(),
            line: None,
            message,
        };
        if self.run.timeout_ms == 0 {
            return Err(error("[run] timeout_ms must be at least 1".into()));
        }
        if self.run.memory_mb == 0 {
            return Err(error("[run] memory_mb must be at least 1".into()));
        }
        if let Some(model) = &self.default_model {
            self.check_model(model)
                .map_err(|e| error(format!("default_model: {e}")))?;
        }
        for (name, provider) in &self.providers {
            if name.contains('/') || name.is_empty() {
                return Err(error(format!(
                    "[providers.{name}]: a provider name cannot contain '/'"
                )));
            }
            if provider.kind != ProviderKind::Mock && !provider.replies.is_empty() {
                return Err(error(format!(
                    "[providers.{name}]: `replies` is only for kind = \"mock\""
                )));
            }
            if let Some(url) = &provider.base_url
                && !(url.starts_with("http://") || url.starts_with("https://"))
            {
                return Err(error(format!(
                    "[providers.{name}]: base_url '{url}' must start with http:// or https://"
                )));
            }
            if provider.connect_timeout_ms == 0 || provider.read_timeout_ms == 0 {
                return Err(error(format!(
                    "[providers.{name}]: timeouts must be at least 1 ms"
                )));
            }
        }
        Ok(())
    }

    /// Checks that `model` names a provider this configuration knows, so a misspelt provider
    /// is reported when the file is loaded rather than when an agent first calls it.
    pub fn check_model(&self, model: &str) -> std::result::Result<(), String> {
        let (provider, id) = match model.split_once('/') {
            Some((provider, id)) => (provider, Some(id)),
            None => (model, None),
        };
        let mut known: Vec<&str> = crate::providers::BUILTIN_PROVIDERS.to_vec();
        known.extend(self.providers.keys().map(String::as_str));
        known.sort_unstable();
        known.dedup();
        if provider.is_empty() || id.is_some_and(str::is_empty) {
            return Err(format!(
                "'{model}' must be written as provider/model, e.g. mock/echo"
            ));
        }
        if !known.contains(&provider) {
            return Err(format!(
                "unknown provider '{provider}' in '{model}' (known providers: {})",
                known.join(", ")
            ));
        }
        let has_default = self
            .providers
            .get(provider)
            .is_some_and(|p| p.default_model.is_some());
        if id.is_none() && !has_default && provider != "mock" {
            return Err(format!(
                "'{model}' names no model id and [providers.{provider}] has no default_model; write {provider}/MODEL"
            ));
        }
        Ok(())
    }

    /// Finds `llmspell.toml` in `start` or the nearest folder above it and loads it. Without one,
    /// the defaults apply and `start` is the workspace root.
    pub fn discover(start: &Path) -> Result<LoadedConfig> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_owned());
        for dir in start.ancestors() {
            let candidate = dir.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                return Config::load_file(&candidate);
            }
        }
        Ok(LoadedConfig {
            config: Config::default(),
            file: None,
            root: start,
        })
    }

    pub fn load_file(path: &Path) -> Result<LoadedConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| RuntimeError::Io {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let config = Config::parse(&text, path)?;
        let root = path
            .parent()
            .map(Path::to_owned)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(LoadedConfig {
            config,
            file: Some(path.to_owned()),
            root,
        })
    }
}

/// serde's messages name Rust types ("expected u64"); a config author thinks in TOML values.
fn readable_toml_message(message: &str) -> String {
    let mut message = message.trim_end().to_owned();
    for (rust, toml) in [
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected a boolean", "expected true or false"),
    ] {
        message = message.replace(rust, toml);
    }
    message
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("llmspell.toml"))
    }

    #[test]
    fn parses_every_section() {
        let config = parse(
            r#"
default_model = "mock/echo"
[providers.local]
kind = "openai"
base_url = "http://127.0.0.1:8080/v1"
api_key_env = "LOCAL_KEY"
[providers.scripted]
kind = "mock"
replies = ["one", "two"]
[run]
timeout_ms = 1000
memory_mb = 64
allow_files = true
[lint]
globals = ["helper"]
exclude = ["generated/**"]
[lint.rules]
unused-local = "off"
"#,
        )
        .unwrap();
        assert_eq!(config.default_model.as_deref(), Some("mock/echo"));
        assert_eq!(config.providers["local"].kind, ProviderKind::Openai);
        assert_eq!(config.providers["scripted"].replies, ["one", "two"]);
        assert_eq!((config.run.timeout_ms, config.run.memory_mb), (1000, 64));
        assert!(config.run.allow_files && !config.run.allow_network);
        assert_eq!(config.lint.rules["unused-local"], Severity::Off);
        assert_eq!(config.lint.exclude, ["generated/**"]);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line_number() {
        let err = parse("default_model = \"mock/echo\"\n\n[run]\ntimeout_ms = 5\nmemroy_mb = 3\n")
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("llmspell.toml:5: unknown field `memroy_mb`"),
            "{text}"
        );
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn wrong_types_and_bad_values_are_errors() {
        let err = parse("[run]\ntimeout_ms = \"fast\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("llmspell.toml:2:"), "{err}");
        let err = parse("default_model = \"gpt\"\n").unwrap_err().to_string();
        assert!(err.ends_with("default_model: unknown provider 'gpt' in 'gpt' (known providers: anthropic, mock, ollama, openai)"), "{err}");
        let err =
            parse("default_model = \"opneai/gpt-4o\"\n[providers.local]\nkind = \"openai\"\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("unknown provider 'opneai' in 'opneai/gpt-4o' (known providers: anthropic, local, mock, ollama, openai)"), "{err}");
        let err = parse("default_model = \"openai\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("has no default_model"), "{err}");
        parse("default_model = \"local\"\n[providers.local]\nkind = \"openai\"\ndefault_model = \"llama3\"\n").unwrap();
        let err = parse("[providers.x]\nkind = \"bedrock\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("llmspell.toml:2:") && err.contains("bedrock"),
            "{err}"
        );
    }

    #[test]
    fn discovery_walks_up_from_the_script_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE_NAME),
            "default_model = \"mock/echo\"\n",
        )
        .unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        let loaded = Config::discover(&nested).unwrap();
        assert_eq!(loaded.root, dir.path());
        assert_eq!(loaded.config.default_model.as_deref(), Some("mock/echo"));

        let empty = tempfile::tempdir().unwrap();
        let loaded = Config::discover(empty.path()).unwrap();
        assert!(loaded.file.is_none());
        assert_eq!(loaded.root, empty.path());
    }
}
