//! Proves the Lua engine injects exactly what the API definition declares, in both directions:
//! every declared global, namespace member, method and field exists in a live engine, and the
//! live engine has nothing the definition does not declare (standard library included).

use std::collections::BTreeSet;

use llmspell_runtime::definition::{GlobalKind, Language, MemberKind, TypeKind};
use llmspell_runtime::lua::{fields_key, methods_key};
use llmspell_runtime::{ApiDefinition, ExecutionContext, ScriptRuntime};
use mlua::{Lua, Table, Value};

fn live_lua() -> (ScriptRuntime, Lua) {
    let runtime = ScriptRuntime::new_with_lua(ExecutionContext::default()).expect("Lua runtime");
    let lua = lua_of(&runtime);
    (runtime, lua)
}

/// The Lua state behind a runtime, through the engine's test accessor.
fn lua_of(runtime: &ScriptRuntime) -> Lua {
    runtime.lua_state().expect("the runtime runs Lua").clone()
}

fn keys(table: &Table) -> BTreeSet<String> {
    table
        .pairs::<String, Value>()
        .map(|pair| pair.expect("string key").0)
        .collect()
}

#[test]
fn globals_are_exactly_the_declared_ones() {
    let (_runtime, lua) = live_lua();
    let def = ApiDefinition::get();
    let std = &def.lua_stdlib;
    let mut expected: BTreeSet<String> = std.globals.iter().cloned().collect();
    expected.extend(std.tables.keys().cloned());
    expected.extend(
        std.disabled
            .keys()
            .map(|name| name.split('.').next().unwrap_or(name).to_owned()),
    );
    expected.extend(def.globals_for(Language::Lua).map(|g| g.name.clone()));
    let live = keys(&lua.globals());
    let missing: Vec<_> = expected.difference(&live).collect();
    let undeclared: Vec<_> = live.difference(&expected).collect();
    assert!(
        missing.is_empty() && undeclared.is_empty(),
        "missing: {missing:?}; undeclared: {undeclared:?}"
    );
}

#[test]
fn standard_library_tables_have_exactly_the_declared_members() {
    let (_runtime, lua) = live_lua();
    let std = &ApiDefinition::get().lua_stdlib;
    for (table_name, members) in &std.tables {
        let table: Table = lua
            .globals()
            .get(table_name.as_str())
            .expect("library table");
        let mut expected: BTreeSet<String> = members.iter().cloned().collect();
        for name in std.disabled.keys() {
            if let Some((lib, member)) = name.split_once('.')
                && lib == table_name
                && member != "*"
            {
                expected.insert(member.to_owned());
            }
        }
        assert_eq!(keys(&table), expected, "members of `{table_name}`");
    }
}

#[test]
fn namespaces_have_exactly_the_declared_members() {
    let (_runtime, lua) = live_lua();
    let def = ApiDefinition::get();
    let mut checked = 0;
    for global in def
        .globals_for(Language::Lua)
        .filter(|g| g.kind == GlobalKind::Namespace)
    {
        let ty = def.global_type(global).expect("namespace type");
        let table: Table = lua
            .globals()
            .get(global.name.as_str())
            .expect("namespace table");
        let declared: BTreeSet<String> = ty.members.iter().map(|m| m.name.clone()).collect();
        assert_eq!(keys(&table), declared, "members of {}", global.name);
        for member in &ty.members {
            let value: Value = table.get(member.name.as_str()).expect("member");
            assert!(
                value.is_function(),
                "{}.{} should be a function",
                global.name,
                member.name
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 3, "Agent, Tool and Workflow");
}

#[test]
fn object_types_have_exactly_the_declared_methods_and_fields() {
    let (_runtime, lua) = live_lua();
    let def = ApiDefinition::get();
    let objects: Vec<_> = def
        .types
        .values()
        .filter(|t| t.kind == TypeKind::Object)
        .collect();
    assert_eq!(
        objects.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["Agent", "Tool", "Workflow"]
    );
    for ty in objects {
        let methods: Table = lua
            .named_registry_value(&methods_key(&ty.name))
            .expect("methods table");
        let fields: Table = lua
            .named_registry_value(&fields_key(&ty.name))
            .expect("fields table");
        let declared_methods: BTreeSet<String> = ty
            .members
            .iter()
            .filter(|m| m.kind != MemberKind::Field)
            .map(|m| m.name.clone())
            .collect();
        let declared_fields: BTreeSet<String> = ty
            .members
            .iter()
            .filter(|m| m.kind == MemberKind::Field)
            .map(|m| m.name.clone())
            .collect();
        assert_eq!(keys(&methods), declared_methods, "methods of {}", ty.name);
        assert_eq!(keys(&fields), declared_fields, "fields of {}", ty.name);
    }
}

#[test]
fn live_objects_answer_every_declared_member_and_refuse_others() {
    let (_runtime, lua) = live_lua();
    let check: String = lua
        .load(
            r#"
local objects = {
  Agent = Agent.create{ model = "mock/echo", name = "probe" },
  Tool = Tool.get("calculator"),
  Workflow = Workflow.sequential{ steps = { { run = function() return 1 end } } },
}
local report = {}
for type_name, members in pairs(DECLARED) do
  local object = objects[type_name]
  for name, kind in pairs(members) do
    local value = object[name]
    local expected = (kind == "field") and { string = true, table = true } or { ["function"] = true }
    if not expected[type(value)] then
      report[#report + 1] = type_name .. "." .. name .. " is " .. type(value)
    end
  end
  local ok, err = pcall(function() return object.not_a_member end)
  if ok or not tostring(err):find(type_name .. " has no member 'not_a_member'", 1, true) then
    report[#report + 1] = type_name .. " did not refuse an undeclared member: " .. tostring(err)
  end
end
table.sort(report)
return table.concat(report, "\n")
"#,
        )
        .set_name("=probe")
        .eval_with_declared(&lua);
    assert_eq!(check, "");
}

trait EvalWithDeclared {
    fn eval_with_declared(self, lua: &Lua) -> String;
}

impl EvalWithDeclared for mlua::chunk::Chunk<'_> {
    /// Evaluates the chunk with a global `DECLARED` = { TypeName = { member = kind } } built
    /// from the definition's object types.
    fn eval_with_declared(self, lua: &Lua) -> String {
        let def = ApiDefinition::get();
        let declared = lua.create_table().expect("table");
        for ty in def.types.values().filter(|t| t.kind == TypeKind::Object) {
            let members = lua.create_table().expect("table");
            for m in &ty.members {
                let kind = if m.kind == MemberKind::Field {
                    "field"
                } else {
                    "method"
                };
                members.set(m.name.as_str(), kind).expect("set");
            }
            declared.set(ty.name.as_str(), members).expect("set");
        }
        lua.globals().set("DECLARED", declared).expect("set");
        self.eval().expect("probe script runs")
    }
}

#[test]
fn the_implementation_list_matches_the_definition() {
    llmspell_runtime::lua::check_coverage(ApiDefinition::get()).expect("coverage");
}

/// Every Lua example in the definition runs, so the reference never shows code that fails.
/// The examples use a few names (`a`, `calc`, `wf`, ...) that this prelude defines.
#[tokio::test]
async fn every_lua_example_in_the_definition_runs() {
    const PRELUDE: &str = r#"
local a = Agent.create{ name = "writer" }
local writer, summariser = a, a
local calc = Tool.get("calculator")
local wf = Workflow.sequential{ steps = { { run = function(ctx) return ctx.input end } } }
"#;
    let def = ApiDefinition::get();
    let mut examples = Vec::new();
    for global in &def.globals {
        examples.extend(
            global
                .example
                .lua
                .iter()
                .map(|code| (global.name.clone(), code.clone())),
        );
    }
    for ty in def.types.values() {
        for member in &ty.members {
            examples.extend(
                member
                    .example
                    .lua
                    .iter()
                    .map(|code| (format!("{}.{}", ty.name, member.name), code.clone())),
            );
        }
    }
    assert!(examples.len() >= 15, "only {} Lua examples", examples.len());
    let mut failures = Vec::new();
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
        let runtime = ScriptRuntime::new_with_lua(context).expect("Lua runtime");
        let outcome = runtime
            .run(llmspell_runtime::Script::new(
                "example.lua",
                format!("{PRELUDE}{code}"),
            ))
            .await;
        if let Some(error) = outcome.error() {
            failures.push(format!("{owner}: {error}\n{code}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
