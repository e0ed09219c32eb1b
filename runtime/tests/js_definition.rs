//! Proves the JavaScript engine injects exactly what the API definition declares, in both
//! directions: every declared global, namespace member, method and field exists in a live engine,
//! and the live engine has nothing the definition does not declare (built-ins included).
//!
//! Each check runs a probe script through a real `ScriptRuntime`; the probe's `export default`
//! value comes back as the `result` event, and the comparison happens here in Rust.

use std::collections::{BTreeMap, BTreeSet};

use llmspell_runtime::definition::{Language, MemberKind, TypeExpr, TypeKind};
use llmspell_runtime::{ApiDefinition, ExecutionContext, RunEvent, Script, ScriptRuntime};
use serde_json::Value;

/// Runs `source` in a fresh JavaScript runtime and returns its default export as JSON. Fails
/// the test when the probe itself fails.
async fn probe(source: &str) -> Value {
    let runtime =
        ScriptRuntime::new_with_javascript(ExecutionContext::default()).expect("JS runtime");
    let outcome = runtime.run(Script::new("probe.js", source)).await;
    assert_eq!(outcome.error(), None, "the probe failed:\n{source}");
    outcome
        .events
        .iter()
        .find_map(|event| match event {
            RunEvent::Result { value } => Some(value.clone()),
            _ => None,
        })
        .expect("the probe reports a result")
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

#[tokio::test]
async fn globals_are_exactly_the_declared_ones() {
    let def = ApiDefinition::get();
    let std = &def.js_stdlib;
    let mut expected: BTreeSet<String> = std.globals.iter().cloned().collect();
    expected.extend(std.tables.keys().cloned());
    expected.extend(
        std.disabled
            .keys()
            .map(|name| name.split('.').next().unwrap_or(name).to_owned()),
    );
    expected.extend(def.globals_for(Language::Js).map(|g| g.name.clone()));
    let live = strings(&probe("export default Object.getOwnPropertyNames(globalThis);").await);
    let missing: Vec<_> = expected.difference(&live).collect();
    let undeclared: Vec<_> = live.difference(&expected).collect();
    assert!(
        missing.is_empty() && undeclared.is_empty(),
        "missing: {missing:?}; undeclared: {undeclared:?}"
    );
    // The API globals are there, and the Lua-only ones are not.
    for name in ["Agent", "Tool", "Workflow", "console", "ARGS"] {
        assert!(live.contains(name), "{name} missing");
    }
    assert!(!live.contains("print"), "print is Lua-only");
}

#[tokio::test]
async fn namespaces_have_exactly_the_declared_members() {
    let def = ApiDefinition::get();
    let namespaces: Vec<_> = def
        .globals_for(Language::Js)
        .filter_map(|g| def.global_type(g).map(|ty| (g, ty)))
        .filter(|(_, ty)| ty.kind == TypeKind::Namespace)
        .collect();
    let names: Vec<&str> = namespaces.iter().map(|(g, _)| g.name.as_str()).collect();
    assert_eq!(names, ["Agent", "console", "Tool", "Workflow"]);
    let source = format!(
        r#"
const names = {names};
const report = {{}};
for (const name of names) {{
  const ns = globalThis[name];
  report[name] = {{}};
  for (const key of Reflect.ownKeys(ns)) report[name][String(key)] = typeof ns[key];
}}
export default report;
"#,
        names = serde_json::to_string(&names).expect("json")
    );
    let live = probe(&source).await;
    for (global, ty) in namespaces {
        let members = live[global.name.as_str()]
            .as_object()
            .expect("members of a namespace");
        let declared: BTreeSet<&str> = ty.members.iter().map(|m| m.name.as_str()).collect();
        let own: BTreeSet<&str> = members.keys().map(String::as_str).collect();
        assert_eq!(own, declared, "own properties of {}", global.name);
        for (name, kind) in members {
            assert_eq!(kind, "function", "{}.{name}", global.name);
        }
    }
}

/// How the probe makes a live object of each object type of the definition.
const INSTANCES: &[(&str, &str)] = &[
    (
        "Agent",
        r#"Agent.create({ model: "mock/echo", name: "probe" })"#,
    ),
    ("Tool", r#"Tool.get("calculator")"#),
    (
        "Workflow",
        r#"Workflow.sequential({ name: "probe-flow", steps: [{ run: (ctx) => ctx.input }] })"#,
    ),
];

/// The `typeof` a value of `ty` has in JavaScript, when it is fixed.
fn js_typeof(def: &ApiDefinition, ty: &TypeExpr) -> Option<&'static str> {
    match ty {
        TypeExpr::String => Some("string"),
        TypeExpr::Number | TypeExpr::Integer => Some("number"),
        TypeExpr::Boolean => Some("boolean"),
        TypeExpr::Table | TypeExpr::List(_) | TypeExpr::Map(_) => Some("object"),
        TypeExpr::Named(name) => match def.type_def(name).map(|t| t.kind) {
            Some(TypeKind::Table | TypeKind::Object) => Some("object"),
            _ => None,
        },
        TypeExpr::Function { .. } => Some("function"),
        TypeExpr::Nil | TypeExpr::Any | TypeExpr::Union(_) => None,
    }
}

/// Whether `value` (as JSON) has the type `ty`; tables of the definition must have only their
/// declared fields, each of its declared type, and all their required ones.
fn conforms(def: &ApiDefinition, ty: &TypeExpr, value: &Value, at: &str) -> Result<(), String> {
    let wrong = || Err(format!("{at}: {value} is not {ty}"));
    match ty {
        TypeExpr::Any => Ok(()),
        TypeExpr::String if value.is_string() => Ok(()),
        TypeExpr::Number if value.is_number() => Ok(()),
        TypeExpr::Integer if value.is_i64() || value.is_u64() => Ok(()),
        TypeExpr::Integer if value.as_f64().is_some_and(|n| n.fract() == 0.0) => Ok(()),
        TypeExpr::Boolean if value.is_boolean() => Ok(()),
        TypeExpr::Nil if value.is_null() => Ok(()),
        TypeExpr::Table if value.is_object() || value.is_array() => Ok(()),
        TypeExpr::List(inner) => match value.as_array() {
            Some(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| conforms(def, inner, item, &format!("{at}[{i}]"))),
            None => wrong(),
        },
        TypeExpr::Map(inner) => match value.as_object() {
            Some(map) => map
                .iter()
                .try_for_each(|(k, item)| conforms(def, inner, item, &format!("{at}.{k}"))),
            None => wrong(),
        },
        TypeExpr::Union(items) => {
            if items.iter().any(|t| conforms(def, t, value, at).is_ok()) {
                Ok(())
            } else {
                wrong()
            }
        }
        TypeExpr::Named(name) => {
            let table = def
                .type_def(name)
                .filter(|t| t.kind == TypeKind::Table)
                .ok_or_else(|| format!("{at}: {name} is not a table type"))?;
            let Some(map) = value.as_object() else {
                return wrong();
            };
            for (key, item) in map {
                let field = table
                    .field(key)
                    .ok_or_else(|| format!("{at}: {name} has no field '{key}'"))?;
                conforms(def, &field.ty, item, &format!("{at}.{key}"))?;
            }
            for field in table.fields.iter().filter(|f| f.required) {
                if !map.contains_key(&field.name) {
                    return Err(format!("{at}: required field '{}' missing", field.name));
                }
            }
            Ok(())
        }
        _ => wrong(),
    }
}

#[tokio::test]
async fn object_types_have_exactly_the_declared_methods_and_fields() {
    let def = ApiDefinition::get();
    let objects: Vec<_> = def
        .types
        .values()
        .filter(|t| t.kind == TypeKind::Object)
        .collect();
    assert_eq!(
        objects.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        INSTANCES.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        "every object type needs a way to make one in INSTANCES"
    );
    let source = format!(
        r#"
const objects = {{ {instances} }};
const report = {{}};
for (const [typeName, object] of Object.entries(objects)) {{
  const proto = Object.getPrototypeOf(object);
  const members = {{}};
  for (const key of Reflect.ownKeys(proto)) {{
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (d.get) {{
      const value = object[key];
      members[String(key)] = {{ kind: "getter", get: typeof d.get, set: typeof d.set,
                                typeof: typeof value, value }};
    }} else {{
      members[String(key)] = {{ kind: "value", typeof: typeof d.value }};
    }}
  }}
  report[typeName] = {{
    members,
    own_names: Object.getOwnPropertyNames(object),
    keys: Object.keys(object),
  }};
}}
export default report;
"#,
        instances = INSTANCES
            .iter()
            .map(|(name, make)| format!("{name}: {make}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let live = probe(&source).await;
    for ty in &objects {
        let report = &live[ty.name.as_str()];
        assert_eq!(
            report["own_names"],
            serde_json::json!([]),
            "{} instances have no own string-keyed properties",
            ty.name
        );
        assert_eq!(report["keys"], serde_json::json!([]));
        let members = report["members"].as_object().expect("members");
        let declared: BTreeSet<&str> = ty.members.iter().map(|m| m.name.as_str()).collect();
        let live_names: BTreeSet<&str> = members.keys().map(String::as_str).collect();
        assert_eq!(live_names, declared, "prototype of {}", ty.name);
        for member in &ty.members {
            let seen = &members[member.name.as_str()];
            let at = format!("{}.{}", ty.name, member.name);
            if let Some(field_type) = member.ty.as_ref() {
                assert_eq!(seen["kind"], "getter", "{at} is a getter");
                assert_eq!(seen["get"], "function", "{at}");
                assert_eq!(seen["set"], "undefined", "{at} is read-only");
                if let Some(expected) = js_typeof(def, field_type) {
                    assert_eq!(seen["typeof"], expected, "typeof {at}");
                }
                conforms(def, field_type, &seen["value"], &at).unwrap_or_else(|e| panic!("{e}"));
            } else {
                assert_eq!(seen["kind"], "value", "{at} is a plain method");
                assert_eq!(seen["typeof"], "function", "{at} is a function");
            }
        }
    }
    // The values the probe saw, so a getter wired to the wrong member shows.
    let field = |t: &str, f: &str| live[t]["members"][f]["value"].clone();
    assert_eq!(field("Agent", "name"), "probe");
    assert_eq!(field("Agent", "model"), "mock/echo");
    assert_eq!(field("Tool", "name"), "calculator");
    assert_eq!(field("Workflow", "name"), "probe-flow");
    assert_eq!(field("Workflow", "kind"), "sequential");
    assert!(
        field("Tool", "schema")["params"]["expression"].is_object(),
        "{}",
        field("Tool", "schema")
    );
}

/// A call of every function and method of the definition, by `Type.member`. Object methods
/// are called on `objects.Type`, made as in `INSTANCES`.
const CALLS: &[(&str, &str)] = &[
    ("Agent.execute", r#"objects.Agent.execute("Tell a story")"#),
    ("Agent.stream", r#"objects.Agent.stream("Tell a story")"#),
    (
        "AgentApi.create",
        r#"Agent.create({ model: "mock/echo", name: "second" })"#,
    ),
    ("AgentApi.get", r#"Agent.get("probe")"#),
    ("AgentApi.list", "Agent.list()"),
    ("Console.error", r#"console.error("e")"#),
    ("Console.info", r#"console.info("i")"#),
    ("Console.log", r#"console.log("l")"#),
    ("Console.warn", r#"console.warn("w")"#),
    (
        "Tool.execute",
        r#"objects.Tool.execute({ expression: "6 * 7" })"#,
    ),
    (
        "ToolApi.execute",
        r#"Tool.execute("calculator", { expression: "6 * 7" })"#,
    ),
    ("ToolApi.exists", r#"Tool.exists("calculator")"#),
    ("ToolApi.get", r#"Tool.get("calculator")"#),
    ("ToolApi.list", "Tool.list()"),
    (
        "ToolApi.register",
        r#"Tool.register({ name: "probe-tool", description: "A probe", params: {}, run: (p) => p })"#,
    ),
    ("Workflow.execute", r#"objects.Workflow.execute("autumn")"#),
    (
        "WorkflowApi.conditional",
        "Workflow.conditional({ branches: [{ when: () => true, steps: [{ run: () => 1 }] }] })",
    ),
    (
        "WorkflowApi.loop",
        "Workflow.loop({ steps: [{ run: () => 1 }], max_iterations: 1 })",
    ),
    (
        "WorkflowApi.parallel",
        "Workflow.parallel({ branches: [{ run: () => 1 }] })",
    ),
    (
        "WorkflowApi.sequential",
        "Workflow.sequential({ steps: [{ run: () => 1 }] })",
    ),
];

/// A function or method returns a Promise exactly when the definition says `async`; the
/// Promises resolve; a stream is async-iterable.
#[tokio::test]
async fn async_members_return_promises_and_no_others_do() {
    let def = ApiDefinition::get();
    let mut callables = BTreeMap::new();
    for global in def.globals_for(Language::Js) {
        if let Some(ty) = def
            .global_type(global)
            .filter(|t| t.kind == TypeKind::Namespace)
        {
            callables.extend(
                ty.members
                    .iter()
                    .map(|m| (format!("{}.{}", ty.name, m.name), m)),
            );
        }
    }
    for ty in def.types.values().filter(|t| t.kind == TypeKind::Object) {
        callables.extend(
            ty.members
                .iter()
                .filter(|m| m.kind != MemberKind::Field)
                .map(|m| (format!("{}.{}", ty.name, m.name), m)),
        );
    }
    assert_eq!(
        callables.keys().map(String::as_str).collect::<Vec<_>>(),
        CALLS.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        "every function and method of the definition needs a call in CALLS"
    );
    let source = format!(
        r#"
const objects = {{ {instances} }};
const calls = {{
{calls}}};
const results = {{}};
for (const [name, call] of Object.entries(calls)) {{
  const result = call();
  const promise = result instanceof Promise;
  results[name] = {{ promise, async_iterator: typeof result?.[Symbol.asyncIterator] }};
  if (promise) results[name].resolved = typeof (await result);
}}
export default results;
"#,
        instances = INSTANCES
            .iter()
            .map(|(name, make)| format!("{name}: {make}"))
            .collect::<Vec<_>>()
            .join(", "),
        calls = CALLS
            .iter()
            .map(|(name, call)| format!("  {name:?}: () => {call},\n"))
            .collect::<String>(),
    );
    let live = probe(&source).await;
    for (name, member) in &callables {
        let result = &live[name.as_str()];
        assert_eq!(
            result["promise"],
            Value::Bool(member.is_async),
            "{name} returns a Promise exactly when the definition says async"
        );
        if member.is_async {
            assert_eq!(result["resolved"], "object", "{name} resolves to a table");
        }
        if member.kind == MemberKind::Stream {
            assert_eq!(
                result["async_iterator"], "function",
                "{name} is async-iterable"
            );
        }
    }
    let async_members: Vec<&str> = callables
        .iter()
        .filter(|(_, m)| m.is_async)
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        async_members,
        [
            "Agent.execute",
            "Tool.execute",
            "ToolApi.execute",
            "Workflow.execute"
        ]
    );
}

#[tokio::test]
async fn a_stream_is_an_async_iterator_of_the_answer() {
    let live = probe(
        r#"
const a = Agent.create({ model: "mock/echo" });
const stream = a.stream("Tell a story");
const chunks = [];
for await (const chunk of stream) chunks.push(chunk);
export default {
  promise: stream instanceof Promise,
  iterator: typeof stream[Symbol.asyncIterator],
  next: typeof stream.next,
  chunks,
  text: (await a.execute("Tell a story")).text,
};
"#,
    )
    .await;
    assert_eq!(live["promise"], false);
    assert_eq!(live["iterator"], "function");
    assert_eq!(live["next"], "function");
    let chunks: Vec<&str> = live["chunks"]
        .as_array()
        .expect("chunks")
        .iter()
        .map(|c| c.as_str().expect("a string chunk"))
        .collect();
    assert!(chunks.len() > 1, "streamed in chunks: {chunks:?}");
    assert_eq!(chunks.concat(), "Tell a story");
    assert_eq!(live["text"], "Tell a story");
}

#[test]
fn the_implementation_list_matches_the_definition() {
    llmspell_runtime::js::check_coverage(ApiDefinition::get()).expect("coverage");
}

/// Every JavaScript example in the definition runs, so the reference never shows code that
/// fails. The examples use a few names (`a`, `calc`, `wf`, ...) that this prelude defines.
/// Each example runs inside a block: unlike Lua's `local`, a `const` of the example (say
/// `const a = Agent.create(...)`) may not redeclare one of the prelude in the same scope.
#[tokio::test]
async fn every_js_example_in_the_definition_runs() {
    const PRELUDE: &str = r#"
const a = Agent.create({ name: "writer" });
const writer = a, summariser = a;
const calc = Tool.get("calculator");
const wf = Workflow.sequential({ steps: [{ run: (ctx) => ctx.input }] });
"#;
    let def = ApiDefinition::get();
    let mut examples = Vec::new();
    for global in &def.globals {
        examples.extend(
            global
                .example
                .js
                .iter()
                .map(|code| (global.name.clone(), code.clone())),
        );
    }
    for ty in def.types.values() {
        for member in &ty.members {
            examples.extend(
                member
                    .example
                    .js
                    .iter()
                    .map(|code| (format!("{}.{}", ty.name, member.name), code.clone())),
            );
        }
    }
    assert!(examples.len() >= 18, "only {} JS examples", examples.len());
    let mut failures = Vec::new();
    let mut printed = BTreeMap::new();
    for (owner, code) in examples {
        let config = llmspell_runtime::config::Config::parse(
            "default_model = \"mock/echo\"\n",
            "llmspell.toml".as_ref(),
        )
        .expect("config");
        let context = ExecutionContext::new(llmspell_runtime::LoadedConfig {
            config,
            file: None,
            root: std::env::temp_dir(),
        });
        let runtime = ScriptRuntime::new_with_javascript(context).expect("JS runtime");
        let outcome = runtime
            .run(Script::new(
                "example.js",
                format!("{PRELUDE}{{\n{code}\n}}\n"),
            ))
            .await;
        if let Some(error) = outcome.error() {
            failures.push(format!("{owner}: {error}\n{code}"));
        }
        printed.insert(owner, outcome.stdout());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // A few outputs, so an example that silently does nothing shows.
    assert_eq!(printed["console"], "total: 42\n");
    assert_eq!(printed["ToolApi.execute"], "1024\n");
    assert_eq!(printed["Tool.execute"], "1024\n");
    assert_eq!(printed["Workflow.execute"], "autumn\n");
    assert_eq!(printed["AgentApi.list"], "writer\n");
}
