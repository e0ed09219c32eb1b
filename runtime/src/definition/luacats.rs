//! Renders the API definition as a LuaCATS `---@meta` file (`llmspell defs --lua`), so users of
//! LuaLS (lua-language-server) or emmylua get completion, hover and type checks for the llmspell
//! globals from the same data the engine injects. Structure mirrors `markdown.rs`: globals, then
//! the named types, then the built-in tools.
//!
//! Shapes chosen for LuaLS and emmylua alike:
//! - a namespace global is `---@class AgentApi` attached to `Agent = {}`, with its functions as
//!   `function Agent.create(config) end` so each gets its own `---@param` docs;
//! - an object type is `---@class Agent` attached to a local of the same name, with methods as
//!   `function Agent:execute(input) end` (the local comes after every global assignment, so it
//!   shadows nothing the file still needs);
//! - a table type is a bare `---@class` with `---@field name? type doc` lines;
//! - streams return `fun(): string?`, the iterator a generic `for` calls.

use std::collections::HashSet;
use std::fmt::Write;

use super::decl_common::{
    TOOL_EXECUTE, TOOL_NAME_ALIAS, constraint_notes, deprecation_text, first_sentence,
    join_sentences, one_line, param_schema_doc, params_optional, stream_types, takes_tool_name,
    tool_params_type, tool_result_type, types_for,
};
use super::{
    ApiDefinition, Field, Global, GlobalKind, Language, Member, MemberKind, Param, TypeDef,
    TypeExpr, TypeKind,
};
use crate::tools::{ParamSchema, ParamType};

/// Globals LuaLS and emmylua already declare with the standard library: declaring them again
/// would duplicate their hover and signature help.
const LUA_STANDARD_GLOBALS: &[&str] = &[
    "print", "type", "tostring", "tonumber", "pairs", "ipairs", "error", "assert", "pcall",
    "xpcall", "select", "next", "require",
];

/// The whole `---@meta` file.
pub fn render(def: &ApiDefinition) -> String {
    let included = types_for(def, Language::Lua);
    let streams = stream_types(def);
    let mut out = String::new();
    out.push_str(
        "---@meta\n\
         -- llmspell API declarations for LuaLS and emmylua, generated from the API definition by\n\
         -- `llmspell defs --lua`; do not edit by hand. Point your language server at this file\n\
         -- (LuaLS: `workspace.library`) to complete and check llmspell scripts.\n\n",
    );
    let mut rendered: HashSet<&str> = HashSet::new();
    for global in def.globals_for(Language::Lua) {
        if LUA_STANDARD_GLOBALS.contains(&global.name.as_str()) {
            continue;
        }
        render_global(def, global, &mut rendered, &mut out);
    }
    for ty in def.types.values() {
        if rendered.contains(ty.name.as_str()) || !included.contains(ty.name.as_str()) {
            continue;
        }
        if let Some(yields) = streams.get(ty.name.as_str()) {
            doc_lines(&ty.doc, &mut out);
            let _ = writeln!(out, "---@alias {} {}\n", ty.name, iterator(yields));
            continue;
        }
        render_type(def, ty, &mut out);
    }
    render_tools(def, &mut out);
    out
}

fn render_global<'a>(
    def: &'a ApiDefinition,
    global: &Global,
    rendered: &mut HashSet<&'a str>,
    out: &mut String,
) {
    match global.kind {
        GlobalKind::Function => {
            doc_lines(&global.doc, out);
            example(global.example.lua.as_deref(), out);
            params(None, &global.params, out);
            returns(global.returns.as_ref(), out);
            let _ = writeln!(
                out,
                "function {}({}) end\n",
                global.name,
                param_names(&global.params)
            );
        }
        GlobalKind::Namespace | GlobalKind::Value => {
            let ty = def
                .global_type(global)
                .filter(|t| t.kind != TypeKind::Table && rendered.insert(t.name.as_str()));
            match ty {
                Some(ty) => {
                    // The global's doc is what the user hovers; the type's says the same in
                    // fewer words, so it is only the fallback.
                    let doc = if global.doc.trim().is_empty() {
                        &ty.doc
                    } else {
                        &global.doc
                    };
                    doc_lines(doc, out);
                    example(global.example.lua.as_deref(), out);
                    let _ = writeln!(out, "---@class {}", ty.name);
                    field_members(ty, out);
                    let _ = writeln!(out, "{} = {{}}\n", global.name);
                    for member in ty.members.iter().filter(|m| m.kind != MemberKind::Field) {
                        render_function(def, ty, &global.name, member, out);
                    }
                }
                None => {
                    doc_lines(&global.doc, out);
                    example(global.example.lua.as_deref(), out);
                    let ty = global.ty.as_ref().map(lua_type).unwrap_or("any".into());
                    let _ = writeln!(out, "---@type {ty}\n{} = {{}}\n", global.name);
                }
            }
        }
    }
}

fn render_type(def: &ApiDefinition, ty: &TypeDef, out: &mut String) {
    doc_lines(&ty.doc, out);
    match ty.kind {
        TypeKind::Table => {
            if !ty.one_of.is_empty() {
                let listed: Vec<String> = ty.one_of.iter().map(|f| format!("`{f}`")).collect();
                let _ = writeln!(out, "---\n---Exactly one of: {}.", listed.join(", "));
            }
            let _ = writeln!(out, "---@class {}", ty.name);
            for field in &ty.fields {
                table_field(field, out);
            }
            out.push('\n');
        }
        TypeKind::Object | TypeKind::Namespace => {
            let _ = writeln!(out, "---@class {}", ty.name);
            field_members(ty, out);
            let _ = writeln!(out, "local {} = {{}}\n", ty.name);
            for member in ty.members.iter().filter(|m| m.kind != MemberKind::Field) {
                render_function(def, ty, &ty.name, member, out);
            }
        }
    }
}

/// The `field` members of a namespace or object, as `---@field` lines of its class.
fn field_members(ty: &TypeDef, out: &mut String) {
    for member in ty.members.iter().filter(|m| m.kind == MemberKind::Field) {
        let mut doc = one_line(&member.doc);
        if let Some(d) = &member.deprecated {
            doc = join_sentences(&format!("Deprecated: {}", deprecation_text(d)), &doc);
        }
        let ty = member.ty.as_ref().map(lua_type).unwrap_or("any".into());
        field_line(&format!("---@field {} {ty} {doc}", member.name), out);
    }
}

fn table_field(f: &Field, out: &mut String) {
    let default = f.default.as_ref().map(|d| d.to_string());
    let ty = match (&f.values, &f.ty) {
        (Some(values), TypeExpr::String) => literal_union(values),
        _ => lua_type(&f.ty),
    };
    // The values are in the type already; only range and default need words.
    let notes = constraint_notes(None, f.min, f.max, default.as_deref());
    let mut doc = join_sentences(&one_line(&f.doc), &notes);
    if let Some(d) = &f.deprecated {
        doc = join_sentences(&format!("Deprecated: {}", deprecation_text(d)), &doc);
    }
    let optional = if f.required { "" } else { "?" };
    field_line(&format!("---@field {}{optional} {ty} {doc}", f.name), out);
}

/// A function, method or stream member, as a function declaration with its annotations.
fn render_function(
    def: &ApiDefinition,
    owner: &TypeDef,
    table: &str,
    member: &Member,
    out: &mut String,
) {
    doc_lines(&member.doc, out);
    if !member.errors.is_empty() {
        out.push_str("---\n---Errors, for example:\n");
        for e in &member.errors {
            let _ = writeln!(out, "---* `{e}`");
        }
    }
    example(member.example.lua.as_deref(), out);
    if let Some(d) = &member.deprecated {
        let _ = writeln!(out, "---\n---Deprecated: {}", deprecation_text(d));
        out.push_str("---@deprecated\n");
    }
    params(Some((owner, member)), &member.params, out);
    if member.kind == MemberKind::Stream {
        // The declared return type names the stream (an alias of the iterator); without one,
        // the iterator is spelled out.
        match (&member.returns, &member.yields) {
            (Some(named @ TypeExpr::Named(_)), _) => returns(Some(named), out),
            (_, Some(yields)) => {
                let _ = writeln!(out, "---@return {}", iterator(yields));
            }
            (returned, None) => returns(returned.as_ref(), out),
        }
    } else {
        returns(member.returns.as_ref(), out);
    }
    if (owner.name.as_str(), member.name.as_str()) == TOOL_EXECUTE {
        tool_overloads(def, out);
    }
    let separator = member.kind.lua_separator();
    let _ = writeln!(
        out,
        "function {table}{separator}{}({}) end\n",
        member.name,
        param_names(&member.params)
    );
}

/// Overloads of `Tool.execute`, one per built-in tool, typed from its schema: the result of
/// `Tool.execute("calculator", ...)` then has a typed `result`.
fn tool_overloads(def: &ApiDefinition, out: &mut String) {
    for tool in &def.tools {
        let optional = if params_optional(tool) { "?" } else { "" };
        let _ = writeln!(
            out,
            "---@overload fun(name: \"{}\", params{optional}: {}): {}",
            tool.name,
            tool_params_type(tool),
            tool_result_type(tool)
        );
    }
}

fn params(member: Option<(&TypeDef, &Member)>, params: &[Param], out: &mut String) {
    for p in params {
        let name = if p.variadic { "..." } else { p.name.as_str() };
        let optional = if p.optional && !p.variadic { "?" } else { "" };
        let ty = match member {
            Some((owner, m)) if takes_tool_name(&owner.name, &m.name, &p.name) => {
                format!("{TOOL_NAME_ALIAS}|string")
            }
            _ => lua_type(&p.ty),
        };
        let line = format!("---@param {name}{optional} {ty} {}", one_line(&p.doc));
        // An empty doc would leave a trailing space.
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn returns(ty: Option<&TypeExpr>, out: &mut String) {
    match ty {
        None | Some(TypeExpr::Nil) => {}
        Some(ty) => {
            let _ = writeln!(out, "---@return {}", lua_type(ty));
        }
    }
}

fn param_names(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| if p.variadic { "..." } else { p.name.as_str() })
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_tools(def: &ApiDefinition, out: &mut String) {
    if def.tools.is_empty() {
        return;
    }
    out.push_str(
        "---The names of the built-in tools. Parameters that take a tool name accept any string\n\
         ---too, since tools a script registers with `Tool.register` have names of their own.\n",
    );
    let _ = writeln!(out, "---@alias {TOOL_NAME_ALIAS}");
    for tool in &def.tools {
        let _ = writeln!(
            out,
            "---| \"{}\" # {}",
            tool.name,
            first_sentence(&tool.description)
        );
    }
    out.push('\n');
    for tool in &def.tools {
        let _ = writeln!(
            out,
            "---The parameters of the built-in `{}` tool.\n---\n---{}",
            tool.name,
            one_line(&tool.description)
        );
        let _ = writeln!(out, "---@class {}", tool_params_type(tool));
        for p in &tool.params {
            schema_field(p, out);
        }
        out.push('\n');
        let _ = writeln!(out, "---The result of the built-in `{}` tool.", tool.name);
        let _ = writeln!(out, "---@class {}", tool_result_type(tool));
        for p in &tool.returns {
            schema_field(p, out);
        }
        out.push('\n');
    }
}

fn schema_field(p: &ParamSchema, out: &mut String) {
    let optional = if p.required { "" } else { "?" };
    let ty = match (&p.enum_values, p.ty) {
        (Some(values), ParamType::String) => literal_union(values),
        (_, ParamType::String) => "string".into(),
        (_, ParamType::Number) => "number".into(),
        (_, ParamType::Integer) => "integer".into(),
        (_, ParamType::Boolean) => "boolean".into(),
        (_, ParamType::Object) => "table".into(),
        (_, ParamType::Array) => "any[]".into(),
        (_, ParamType::Any) => "any".into(),
    };
    let doc = param_schema_doc(p);
    field_line(&format!("---@field {}{optional} {ty} {doc}", p.name), out);
}

/// Writes an annotation line whose trailing doc may be empty, without a trailing space.
fn field_line(line: &str, out: &mut String) {
    out.push_str(line.trim_end());
    out.push('\n');
}

fn literal_union(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join("|")
}

/// The iterator a generic `for` calls: each call returns the next item, nil at the end.
fn iterator(yields: &TypeExpr) -> String {
    format!("fun(): {}?", lua_atom(yields))
}

/// A type in LuaCATS syntax.
pub fn lua_type(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::String => "string".into(),
        TypeExpr::Number => "number".into(),
        TypeExpr::Integer => "integer".into(),
        TypeExpr::Boolean => "boolean".into(),
        TypeExpr::Nil => "nil".into(),
        TypeExpr::Any => "any".into(),
        TypeExpr::Table => "table".into(),
        TypeExpr::List(inner) => format!("{}[]", lua_atom(inner)),
        TypeExpr::Map(inner) => format!("table<string, {}>", lua_type(inner)),
        TypeExpr::Union(items) => items
            .iter()
            .map(|t| match t {
                // `fun(): A|B` would swallow the rest of the union as its return type.
                TypeExpr::Function { .. } => format!("({})", lua_type(t)),
                _ => lua_type(t),
            })
            .collect::<Vec<_>>()
            .join("|"),
        TypeExpr::Function { params, returns } => {
            let params: Vec<String> = params
                .iter()
                .enumerate()
                .map(|(i, p)| format!("arg{i}: {}", lua_type(p)))
                .collect();
            match returns.as_ref() {
                TypeExpr::Nil => format!("fun({})", params.join(", ")),
                r => format!("fun({}): {}", params.join(", "), lua_type(r)),
            }
        }
        TypeExpr::Named(name) => name.clone(),
    }
}

/// A type that may be followed by `[]` or `?`: unions and functions are parenthesised.
fn lua_atom(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Union(_) | TypeExpr::Function { .. } => format!("({})", lua_type(ty)),
        _ => lua_type(ty),
    }
}

/// Doc text as `---` comment lines (Markdown, which LuaLS renders in hover).
fn doc_lines(text: &str, out: &mut String) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    for line in text.lines() {
        let _ = writeln!(out, "---{}", line.trim_end());
    }
}

fn example(code: Option<&str>, out: &mut String) {
    if let Some(code) = code {
        out.push_str("---\n---```lua\n");
        for line in code.trim_end().lines() {
            let _ = writeln!(out, "---{line}");
        }
        out.push_str("---```\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_spelled_in_luacats() {
        for (text, lua) in [
            ("list<string | Tool>", "(string|Tool)[]"),
            ("map<ParamSpec>", "table<string, ParamSpec>"),
            (
                "fn(StepContext) -> boolean",
                "fun(arg0: StepContext): boolean",
            ),
            ("Agent | nil", "Agent|nil"),
            ("fn() -> nil", "fun()"),
            ("list<fn(table) -> any>", "(fun(arg0: table): any)[]"),
            ("fn() -> any | nil", "fun(): any|nil"),
        ] {
            assert_eq!(lua_type(&TypeExpr::parse(text).unwrap()), lua, "{text}");
        }
        // A function inside a union is parenthesised so it does not take the rest as its result.
        let callback_or_nil =
            TypeExpr::Union(vec![TypeExpr::parse("fn() -> any").unwrap(), TypeExpr::Nil]);
        assert_eq!(lua_type(&callback_or_nil), "(fun(): any)|nil");
        assert_eq!(iterator(&TypeExpr::String), "fun(): string?");
    }

    #[test]
    fn the_meta_file_has_the_expected_shapes() {
        let text = render(ApiDefinition::get());
        assert!(text.starts_with("---@meta\n"));
        assert!(text.contains("---@class AgentApi\nAgent = {}\n"));
        assert!(text.contains("function Agent.create(config) end"));
        assert!(text.contains("function Agent:execute(input) end"));
        assert!(text.contains("---@alias AgentStream fun(): string?"));
        assert!(text.contains("---@field model? string "));
        assert!(text.contains("---@field role \"system\"|\"user\"|\"assistant\" "));
        assert!(text.contains("---| \"calculator\" # "));
        assert!(text.contains("---@param name ToolName|string "));
        assert!(text.contains("---@overload fun(name: \"calculator\", params: CalculatorToolParams): CalculatorToolResult"));
        // LuaLS knows print; console is JavaScript's.
        assert!(!text.contains("function print("));
        assert!(!text.contains("Console"));
        assert!(!text.contains(" \n"), "no trailing spaces");
    }
}
