//! A third-party engine, defined outside `llmspell-runtime`, registers through
//! `ScriptEnginePlugin` and runs through the same factory as the built-in engines.

use std::sync::{Arc, OnceLock};

use llmspell_runtime::api_context::ApiContext;
use llmspell_runtime::{
    EngineFeatures, EngineRegistry, ExecutionContext, RunEvent, Script, ScriptEngineBridge,
    ScriptEnginePlugin, ScriptRuntime, ScriptValue,
};

/// A toy language: each line `say TEXT` prints TEXT; `tool NAME EXPR` runs the calculator.
struct ToyEngine {
    api: OnceLock<Arc<ApiContext>>,
}

#[async_trait::async_trait]
impl ScriptEngineBridge for ToyEngine {
    fn engine_name(&self) -> &'static str {
        "toy"
    }

    fn supports_streaming(&self) -> bool {
        true
    }

    fn features(&self) -> EngineFeatures {
        EngineFeatures {
            async_execution: true,
            streaming: true,
            memory_limit: false,
            wall_clock_limit: false,
            file_extensions: vec!["toy".into()],
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn inject_apis(&mut self, api: &Arc<ApiContext>) -> llmspell_runtime::Result<()> {
        let _ = self.api.set(Arc::clone(api));
        Ok(())
    }

    async fn execute_script(&self, script: &Script) -> llmspell_runtime::Result<ScriptValue> {
        let api = self.api.get().expect("APIs injected");
        let mut last = ScriptValue::Nil;
        for line in script.source.lines() {
            if let Some(text) = line.strip_prefix("say ") {
                api.events.output(format!("{text}\n"), false)?;
            } else if let Some(expr) = line.strip_prefix("calc ") {
                let tool = api.tool_get("calc", "calculator")?;
                let params = ScriptValue::Map(
                    [("expression".to_owned(), ScriptValue::from(expr))]
                        .into_iter()
                        .collect(),
                );
                last = api
                    .tool_execute("calc", &tool, &params)
                    .await?
                    .get("result")
                    .clone();
            }
        }
        Ok(last)
    }
}

struct ToyPlugin;

impl ScriptEnginePlugin for ToyPlugin {
    fn engine_name(&self) -> &'static str {
        "toy"
    }

    fn file_extensions(&self) -> &[&'static str] {
        &["toy"]
    }

    fn create(&self) -> llmspell_runtime::Result<Box<dyn ScriptEngineBridge>> {
        Ok(Box::new(ToyEngine {
            api: OnceLock::new(),
        }))
    }
}

#[tokio::test]
async fn a_third_party_engine_runs_through_the_factory() {
    let mut engines = EngineRegistry::with_builtin_engines();
    engines.register(Arc::new(ToyPlugin)).expect("register");
    assert_eq!(engines.names(), ["lua", "javascript", "toy"]);
    assert_eq!(
        engines
            .engine_name_for_path("scripts/x.toy".as_ref())
            .expect("by extension"),
        "toy"
    );
    let runtime = ScriptRuntime::new_from_registry(&engines, "toy", ExecutionContext::default())
        .expect("toy runtime");
    let outcome = runtime
        .run(Script::new("hello.toy", "say hello\ncalc 6*7"))
        .await;
    assert_eq!(outcome.stdout(), "hello\n");
    assert!(
        outcome.events.contains(&RunEvent::Result {
            value: serde_json::json!(42)
        }),
        "{:?}",
        outcome.events
    );
    assert_eq!(outcome.exit_code, 0);
}

#[test]
fn names_and_extensions_cannot_be_taken_twice() {
    let mut engines = EngineRegistry::with_builtin_engines();
    engines
        .register(Arc::new(ToyPlugin))
        .expect("first registration");
    let err = engines
        .register(Arc::new(ToyPlugin))
        .expect_err("second registration");
    assert_eq!(
        err.to_string(),
        "an engine named 'toy' is already registered"
    );
}

#[test]
fn engine_choice_by_extension_and_clear_errors() {
    let engines = EngineRegistry::with_builtin_engines();
    assert_eq!(
        engines
            .engine_name_for_path("a/b.lua".as_ref())
            .expect("lua"),
        "lua"
    );
    assert_eq!(
        engines
            .engine_name_for_path("a/b.mjs".as_ref())
            .expect("mjs"),
        "javascript"
    );
    let err = engines
        .engine_name_for_path("a/b.py".as_ref())
        .expect_err("python");
    assert_eq!(
        err.to_string(),
        "a/b.py: no script engine runs '.py' files (known extensions: .lua, .js, .mjs)"
    );
    let js = ScriptRuntime::new_with_javascript(ExecutionContext::default()).expect("javascript");
    assert_eq!(js.engine().engine_name(), "javascript");
    for path in ["x.js", "x.mjs"] {
        let js = ScriptRuntime::new_for_path(path.as_ref(), ExecutionContext::default())
            .expect("javascript");
        assert_eq!(js.engine().engine_name(), "javascript", "{path}");
    }
    let lua =
        ScriptRuntime::new_for_path("x.lua".as_ref(), ExecutionContext::default()).expect("lua");
    assert_eq!(lua.engine().engine_name(), "lua");
    assert!(lua.engine().features().wall_clock_limit);
}
