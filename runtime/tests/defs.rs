//! `docs/defs/llmspell.d.lua` and `docs/defs/llmspell.d.ts` are what `llmspell defs --lua|--ts`
//! prints; these tests fail when the definition changes and they were not regenerated
//! (`UPDATE_GOLDEN=1 cargo test -p llmspell-runtime --test defs` regenerates them), and check the
//! LuaCATS file's structure: every global, type and member of the definition is declared.
//! The TypeScript file is proven by the real compiler in server/tests/defs_typescript.rs.

use llmspell_runtime::ApiDefinition;
use llmspell_runtime::definition::{
    GlobalKind, Language, MemberKind, TypeKind, luacats, typescript,
};

fn check_golden(name: &str, rendered: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/defs")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).expect("create docs/defs");
        std::fs::write(&path, rendered).expect("write the golden file");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == rendered,
        "docs/defs/{name} is out of date with runtime/api/; run `UPDATE_GOLDEN=1 cargo test -p llmspell-runtime --test defs`"
    );
}

#[test]
fn docs_defs_lua_is_generated_from_the_definition() {
    check_golden("llmspell.d.lua", &luacats::render(ApiDefinition::get()));
}

#[test]
fn docs_defs_ts_is_generated_from_the_definition() {
    check_golden("llmspell.d.ts", &typescript::render(ApiDefinition::get()));
}

/// Every Lua global, type and member of the definition has its declaration in the meta file.
/// A structural check only; a real LuaCATS checker (emmylua_check) is the stronger peer.
#[test]
fn the_luacats_file_declares_everything_lua_sees() {
    let def = ApiDefinition::get();
    let text = luacats::render(def);
    assert!(
        text.starts_with("---@meta\n"),
        "a meta file starts with ---@meta"
    );
    let lines: Vec<&str> = text.lines().collect();
    let has = |line: &str| lines.contains(&line);
    let has_prefix = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));

    for global in def.globals_for(Language::Lua) {
        if global.name == "print" {
            // The standard library's: LuaLS and emmylua declare it themselves.
            assert!(!has_prefix("function print("));
            continue;
        }
        match global.kind {
            GlobalKind::Function => assert!(
                has_prefix(&format!("function {}(", global.name)),
                "global function {} is not declared",
                global.name
            ),
            _ => assert!(
                has(&format!("{} = {{}}", global.name)),
                "global {} is not declared",
                global.name
            ),
        }
    }
    let js_only: Vec<&str> = def
        .globals
        .iter()
        .filter(|g| !g.languages.contains(&Language::Lua))
        .filter_map(|g| g.ty.as_ref().map(|t| t.to_string()))
        .map(|t| def.type_def(&t).map_or("", |t| t.name.as_str()))
        .collect();
    for ty in def.types.values() {
        if js_only.contains(&ty.name.as_str()) {
            assert!(
                !has(&format!("---@class {}", ty.name)),
                "{} is JS-only",
                ty.name
            );
            continue;
        }
        let is_stream_alias = has_prefix(&format!("---@alias {} fun(", ty.name));
        assert!(
            has(&format!("---@class {}", ty.name)) || is_stream_alias,
            "type {} is not declared",
            ty.name
        );
        // The table of functions a type's members hang off: the global for namespaces, a local
        // named after the type for objects.
        let table = def
            .globals
            .iter()
            .find(|g| g.ty.as_ref().is_some_and(|t| t.to_string() == ty.name))
            .filter(|_| ty.kind == TypeKind::Namespace)
            .map_or(ty.name.as_str(), |g| g.name.as_str());
        for member in &ty.members {
            let declared = match member.kind {
                MemberKind::Field => has_prefix(&format!("---@field {} ", member.name)),
                kind => has_prefix(&format!(
                    "function {table}{}{}(",
                    kind.lua_separator(),
                    member.name
                )),
            };
            assert!(declared, "{}.{} is not declared", ty.name, member.name);
        }
        for field in &ty.fields {
            let optional = if field.required { "" } else { "?" };
            assert!(
                has_prefix(&format!("---@field {}{optional} ", field.name)),
                "{}.{} is not declared",
                ty.name,
                field.name
            );
        }
    }
    for tool in &def.tools {
        assert!(
            has_prefix(&format!("---| \"{}\" # ", tool.name)),
            "built-in tool {} is missing from the ToolName alias",
            tool.name
        );
    }
}
