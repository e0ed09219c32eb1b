//! llmspell-runtime: runs Lua scripts (JavaScript to come) that drive LLM agents, tools and
//! workflows.
//!
//! The pieces, from the outside in:
//! - [`ScriptRuntime`] picks an engine and owns the run's registry, providers and context;
//! - [`engine::ScriptEngineBridge`] is what every engine implements ([`lua::LuaEngine`] today);
//! - [`api_context::ApiContext`] implements the API once for every language;
//! - [`definition::ApiDefinition`] is the API as data, from `runtime/api/*.toml`.

pub mod agent;
pub mod api_context;
pub mod config;
pub mod context;
pub mod definition;
pub mod engine;
pub mod error;
pub mod events;
pub mod js;
pub mod limits;
pub mod lua;
pub mod providers;
pub mod registry;
pub mod runtime;
pub mod script_tool;
pub mod tools;
pub mod value;
pub mod workflow;

pub use config::{Config, LoadedConfig};
pub use context::ExecutionContext;
pub use definition::ApiDefinition;
pub use engine::{EngineFeatures, EngineRegistry, Script, ScriptEngineBridge, ScriptEnginePlugin};
pub use error::{Result, RuntimeError};
pub use events::RunEvent;
pub use runtime::{RunOutcome, ScriptRuntime};
pub use value::ScriptValue;
