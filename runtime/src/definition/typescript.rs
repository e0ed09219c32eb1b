//! Renders the API definition as ambient TypeScript declarations (`llmspell defs --ts`), so a
//! JavaScript llmspell script type-checks in any TypeScript-aware editor (`checkJs`) against the
//! same data the engine injects. Structure mirrors `markdown.rs`: globals, then the named types,
//! then the built-in tools.
//!
//! The file has no `import` or `export`, so it is a global script: every `declare` is a global
//! of the llmspell script. Mapping from the definition's type language:
//! - `nil` is `null` (a function returning only nil returns `void`), `integer` is `number`,
//!   `table` is `Record<string, any>`, `list<T>` is `T[]`, `map<T>` is `Record<string, T>`;
//! - `any` stays `any`: the values behind it (step outputs, tool results) are dynamically shaped
//!   and the examples use them freely, which `unknown` would reject;
//! - `fn(A) -> R` is `(arg0: A) => R | Promise<R>`, because callbacks may be async in JS;
//! - `async` members return `Promise<T>`, streams `AsyncIterable<T>`.

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

/// Globals that browsers and Node.js declare too. They are declared with `var` (which may be
/// redeclared with the same type) and their interfaces merge with the host's, so this file
/// still compiles when a project adds `lib.dom` or `@types/node`.
const HOST_GLOBALS: &[&str] = &["console"];

/// The whole declaration file.
pub fn render(def: &ApiDefinition) -> String {
    let included = types_for(def, Language::Js);
    let streams = stream_types(def);
    let mut out = String::new();
    out.push_str(
        "// llmspell API declarations for TypeScript and JavaScript (checkJs), generated from the\n\
         // API definition by `llmspell defs --ts`; do not edit by hand. This is a global script\n\
         // (no import or export): include it in a project's jsconfig.json or tsconfig.json and\n\
         // every declaration below is a global of llmspell scripts.\n\n",
    );
    for global in def.globals_for(Language::Js) {
        render_global(global, &mut out);
    }
    let mut rendered: HashSet<&str> = HashSet::new();
    for ty in def.types.values() {
        if !included.contains(ty.name.as_str()) || !rendered.insert(ty.name.as_str()) {
            continue;
        }
        if let Some(yields) = streams.get(ty.name.as_str()) {
            jsdoc("", &[ty.doc.trim().to_owned()], &[], &mut out);
            let _ = writeln!(
                out,
                "type {} = AsyncIterable<{}>;\n",
                ty.name,
                ts_type(yields)
            );
            continue;
        }
        render_type(def, ty, &mut out);
    }
    render_tools(def, &mut out);
    out
}

fn render_global(global: &Global, out: &mut String) {
    let text = vec![global.doc.trim().to_owned()];
    let mut tags = Vec::new();
    if global.kind == GlobalKind::Function {
        tags = param_tags(&global.params);
    }
    if let Some(code) = &global.example.js {
        tags.push(example(code));
    }
    match global.kind {
        GlobalKind::Function => {
            jsdoc("", &text, &tags, out);
            let _ = writeln!(
                out,
                "declare function {}({}): {};\n",
                global.name,
                signature(None, &global.params),
                return_type(global.returns.as_ref(), false)
            );
        }
        GlobalKind::Namespace | GlobalKind::Value => {
            jsdoc("", &text, &tags, out);
            let keyword = if HOST_GLOBALS.contains(&global.name.as_str()) {
                "var"
            } else {
                "const"
            };
            let ty = global.ty.as_ref().map(ts_type).unwrap_or("any".into());
            let _ = writeln!(out, "declare {keyword} {}: {ty};\n", global.name);
        }
    }
}

fn render_type(def: &ApiDefinition, ty: &TypeDef, out: &mut String) {
    let mut text = vec![ty.doc.trim().to_owned()];
    if !ty.one_of.is_empty() {
        let listed: Vec<String> = ty.one_of.iter().map(|f| format!("`{f}`")).collect();
        text.push(format!("Exactly one of: {}.", listed.join(", ")));
    }
    jsdoc("", &text, &[], out);
    let _ = writeln!(out, "interface {} {{", ty.name);
    match ty.kind {
        TypeKind::Table => {
            for field in &ty.fields {
                table_field(field, out);
            }
        }
        TypeKind::Object | TypeKind::Namespace => {
            for member in &ty.members {
                render_member(def, ty, member, out);
            }
        }
    }
    out.push_str("}\n\n");
}

fn table_field(f: &Field, out: &mut String) {
    let default = f.default.as_ref().map(|d| d.to_string());
    let notes = constraint_notes(None, f.min, f.max, default.as_deref());
    let text = vec![join_sentences(f.doc.trim(), &notes)];
    let tags: Vec<String> = f
        .deprecated
        .iter()
        .map(|d| format!("@deprecated {}", deprecation_text(d)))
        .collect();
    jsdoc("  ", &text, &tags, out);
    let ty = match (&f.values, &f.ty) {
        (Some(values), TypeExpr::String) => literal_union(values),
        _ => ts_type(&f.ty),
    };
    let optional = if f.required { "" } else { "?" };
    let _ = writeln!(out, "  {}{optional}: {ty};", property(&f.name));
}

fn render_member(def: &ApiDefinition, owner: &TypeDef, member: &Member, out: &mut String) {
    let mut text = vec![member.doc.trim().to_owned()];
    if !member.errors.is_empty() {
        let listed: Vec<String> = member.errors.iter().map(|e| format!("- `{e}`")).collect();
        text.push(format!("Errors, for example:\n{}", listed.join("\n")));
    }
    let mut tags = param_tags(&member.params);
    if let Some(d) = &member.deprecated {
        tags.push(format!("@deprecated {}", deprecation_text(d)));
    }
    // Last: `@example` runs until the next tag.
    if let Some(code) = &member.example.js {
        tags.push(example(code));
    }
    match member.kind {
        MemberKind::Field => {
            jsdoc("  ", &text, &tags, out);
            let ty = member.ty.as_ref().map(ts_type).unwrap_or("any".into());
            let _ = writeln!(out, "  readonly {}: {ty};", property(&member.name));
        }
        MemberKind::Function | MemberKind::Method | MemberKind::Stream => {
            if (owner.name.as_str(), member.name.as_str()) == TOOL_EXECUTE {
                tool_overloads(def, &member.name, out);
            }
            jsdoc("  ", &text, &tags, out);
            let returns = if member.kind == MemberKind::Stream {
                match (&member.returns, &member.yields) {
                    // A named stream type is declared as an alias of the async iterator.
                    (Some(named @ TypeExpr::Named(_)), _) => ts_type(named),
                    (_, Some(yields)) => format!("AsyncIterable<{}>", ts_type(yields)),
                    (returned, None) => return_type(returned.as_ref(), member.is_async),
                }
            } else {
                return_type(member.returns.as_ref(), member.is_async)
            };
            let _ = writeln!(
                out,
                "  {}({}): {returns};",
                property(&member.name),
                signature(Some((owner, member)), &member.params)
            );
        }
    }
}

/// One overload of `Tool.execute` per built-in tool, typed from its schema, before the general
/// signature (TypeScript tries overloads in order; a registered tool's name falls through to
/// the general one).
fn tool_overloads(def: &ApiDefinition, name: &str, out: &mut String) {
    for tool in &def.tools {
        jsdoc(
            "  ",
            &[format!(
                "Runs the built-in `{}` tool: {}",
                tool.name,
                first_sentence(&tool.description)
            )],
            &[],
            out,
        );
        let optional = if params_optional(tool) { "?" } else { "" };
        let _ = writeln!(
            out,
            "  {name}(name: \"{}\", params{optional}: {}): Promise<{}>;",
            tool.name,
            tool_params_type(tool),
            tool_result_type(tool)
        );
    }
}

fn param_tags(params: &[Param]) -> Vec<String> {
    params
        .iter()
        .filter(|p| !p.doc.is_empty())
        .map(|p| format!("@param {} {}", p.name, one_line(&p.doc)))
        .collect()
}

fn signature(member: Option<(&TypeDef, &Member)>, params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            let ty = match member {
                // `string & {}` keeps the built-in names as completions without narrowing the
                // accepted type to them.
                Some((owner, m)) if takes_tool_name(&owner.name, &m.name, &p.name) => {
                    format!("{TOOL_NAME_ALIAS} | (string & {{}})")
                }
                _ => ts_type(&p.ty),
            };
            if p.variadic {
                format!("...{}: {}[]", p.name, ts_atom_str(&p.ty, ty))
            } else {
                let optional = if p.optional { "?" } else { "" };
                format!("{}{optional}: {ty}", p.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a function returns: `void` for nothing or nil, a Promise for async members.
fn return_type(ty: Option<&TypeExpr>, is_async: bool) -> String {
    let inner = match ty {
        None | Some(TypeExpr::Nil) => "void".to_owned(),
        Some(ty) => ts_type(ty),
    };
    if is_async {
        format!("Promise<{inner}>")
    } else {
        inner
    }
}

fn render_tools(def: &ApiDefinition, out: &mut String) {
    if def.tools.is_empty() {
        return;
    }
    jsdoc(
        "",
        &[
            "The names of the built-in tools. Parameters that take a tool name accept any string \
           too, since tools a script registers with `Tool.register` have names of their own."
                .to_owned(),
        ],
        &[],
        out,
    );
    let names: Vec<String> = def.tools.iter().map(|t| format!("{:?}", t.name)).collect();
    let _ = writeln!(out, "type {TOOL_NAME_ALIAS} = {};\n", names.join(" | "));
    for tool in &def.tools {
        jsdoc(
            "",
            &[
                format!("The parameters of the built-in `{}` tool.", tool.name),
                tool.description.trim().to_owned(),
            ],
            &[],
            out,
        );
        let _ = writeln!(out, "interface {} {{", tool_params_type(tool));
        for p in &tool.params {
            schema_field(p, out);
        }
        out.push_str("}\n\n");
        jsdoc(
            "",
            &[format!("The result of the built-in `{}` tool.", tool.name)],
            &[],
            out,
        );
        let _ = writeln!(out, "interface {} {{", tool_result_type(tool));
        for p in &tool.returns {
            schema_field(p, out);
        }
        out.push_str("}\n\n");
    }
}

fn schema_field(p: &ParamSchema, out: &mut String) {
    jsdoc("  ", &[param_schema_doc(p)], &[], out);
    let ty = match (&p.enum_values, p.ty) {
        (Some(values), ParamType::String) => literal_union(values),
        (_, ParamType::String) => "string".into(),
        (_, ParamType::Number | ParamType::Integer) => "number".into(),
        (_, ParamType::Boolean) => "boolean".into(),
        (_, ParamType::Object) => "Record<string, any>".into(),
        (_, ParamType::Array) => "any[]".into(),
        (_, ParamType::Any) => "any".into(),
    };
    let optional = if p.required { "" } else { "?" };
    let _ = writeln!(out, "  {}{optional}: {ty};", property(&p.name));
}

fn literal_union(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A property name, quoted when it is not an identifier (`file-read`).
fn property(name: &str) -> String {
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

/// A type in TypeScript syntax.
pub fn ts_type(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::String => "string".into(),
        TypeExpr::Number | TypeExpr::Integer => "number".into(),
        TypeExpr::Boolean => "boolean".into(),
        TypeExpr::Nil => "null".into(),
        TypeExpr::Any => "any".into(),
        TypeExpr::Table => "Record<string, any>".into(),
        TypeExpr::List(inner) => format!("{}[]", ts_atom(inner)),
        TypeExpr::Map(inner) => format!("Record<string, {}>", ts_type(inner)),
        TypeExpr::Union(items) => items
            .iter()
            .map(|t| match t {
                TypeExpr::Function { .. } => format!("({})", ts_type(t)),
                _ => ts_type(t),
            })
            .collect::<Vec<_>>()
            .join(" | "),
        TypeExpr::Function { params, returns } => {
            let params: Vec<String> = params
                .iter()
                .enumerate()
                .map(|(i, p)| format!("arg{i}: {}", ts_type(p)))
                .collect();
            let returns = match returns.as_ref() {
                TypeExpr::Any => "any".to_owned(),
                TypeExpr::Nil => "void | Promise<void>".to_owned(),
                r => {
                    let r = ts_type(r);
                    format!("{r} | Promise<{r}>")
                }
            };
            format!("({}) => {returns}", params.join(", "))
        }
        TypeExpr::Named(name) => name.clone(),
    }
}

/// A type that may be followed by `[]`: unions and functions are parenthesised.
fn ts_atom(ty: &TypeExpr) -> String {
    ts_atom_str(ty, ts_type(ty))
}

fn ts_atom_str(ty: &TypeExpr, text: String) -> String {
    match ty {
        TypeExpr::Union(_) | TypeExpr::Function { .. } => format!("({text})"),
        _ => text,
    }
}

fn example(code: &str) -> String {
    format!("@example\n{}", code.trim_end())
}

/// A JSDoc comment: paragraphs of Markdown, then tags (`@param`, `@deprecated`). `*/` in the
/// text would end the comment early, so it is broken up.
fn jsdoc(indent: &str, paragraphs: &[String], tags: &[String], out: &mut String) {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(str::to_owned));
    }
    if !lines.is_empty() && !tags.is_empty() {
        lines.push(String::new());
    }
    lines.extend(tags.iter().flat_map(|t| t.lines().map(str::to_owned)));
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}/**");
    for line in lines {
        let line = line.replace("*/", "*\\/");
        if line.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    let _ = writeln!(out, "{indent} */");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_spelled_in_typescript() {
        for (text, ts) in [
            ("list<string | Tool>", "(string | Tool)[]"),
            ("map<ParamSpec>", "Record<string, ParamSpec>"),
            (
                "fn(StepContext) -> boolean",
                "(arg0: StepContext) => boolean | Promise<boolean>",
            ),
            ("fn(table) -> any", "(arg0: Record<string, any>) => any"),
            ("Agent | nil", "Agent | null"),
            ("integer", "number"),
        ] {
            assert_eq!(ts_type(&TypeExpr::parse(text).unwrap()), ts, "{text}");
        }
        assert_eq!(property("file-read"), "\"file-read\"");
        assert_eq!(property("max_tokens"), "max_tokens");
    }

    #[test]
    fn the_declarations_have_the_expected_shapes() {
        let text = render(ApiDefinition::get());
        assert!(text.contains("declare const Agent: AgentApi;"));
        assert!(text.contains("declare var console: Console;"));
        assert!(text.contains("declare const ARGS: string[];"));
        assert!(text.contains("  execute(input: string | AgentRequest): Promise<AgentResult>;"));
        assert!(text.contains("type AgentStream = AsyncIterable<string>;"));
        assert!(text.contains("  get(name: string): Agent | null;"));
        assert!(text.contains("  log(...values: any[]): void;"));
        assert!(text.contains(
            "  execute(name: \"calculator\", params: CalculatorToolParams): Promise<CalculatorToolResult>;"
        ));
        assert!(text.contains("  role: \"system\" | \"user\" | \"assistant\";"));
        // print is Lua's.
        assert!(!text.contains("print("));
        assert!(!text.contains(" \n"), "no trailing spaces");
    }
}
