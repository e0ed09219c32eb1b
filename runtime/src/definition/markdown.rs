//! Renders the API definition as Markdown: `docs/api.md` is generated from this, so the
//! reference a user reads is the same data the engine injects and validates against.

use std::fmt::Write;

use super::{
    ApiDefinition, Field, Global, GlobalKind, Language, Member, MemberKind, Param, TypeDef,
    TypeKind,
};

/// The whole reference: globals, then named types, then built-in tools.
pub fn render(def: &ApiDefinition) -> String {
    let mut out = String::new();
    out.push_str(
        "# llmspell API reference\n\n\
         Generated from `runtime/api/*.toml` and the built-in tools' schemas by \
         `UPDATE_GOLDEN=1 cargo test -p llmspell-runtime --test api_docs`; do not edit by hand.\n\n\
         Lua calls methods with `:` (`agent:execute(...)`) and everything else with `.`. \
         The JavaScript forms document the coming JavaScript engine.\n\n",
    );
    out.push_str("## Globals\n\n");
    for global in &def.globals {
        render_global(def, global, &mut out);
    }
    out.push_str("## Types\n\n");
    for ty in def.types.values() {
        if def
            .globals
            .iter()
            .any(|g| g.ty.as_ref().is_some_and(|t| t.to_string() == ty.name))
        {
            continue;
        }
        render_type(ty, 3, &mut out);
    }
    out.push_str("## Built-in tools\n\n");
    for tool in &def.tools {
        let _ = writeln!(out, "### `{}`\n\n{}\n", tool.name, tool.description);
        if let Some(permission) = tool.permission {
            let key = match permission {
                crate::tools::Permission::Files => "allow_files",
                crate::tools::Permission::Network => "allow_network",
            };
            let _ = writeln!(out, "Needs `[run] {key} = true`.\n");
        }
        for (title, params) in [("Parameters", &tool.params), ("Result", &tool.returns)] {
            if params.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "{title}:\n\n| name | type | required | description |\n|---|---|---|---|"
            );
            for p in params {
                let default = p.default.as_ref().map(|d| d.to_string());
                let notes = constraint_notes(
                    p.enum_values.as_deref(),
                    p.minimum,
                    p.maximum,
                    default.as_deref(),
                );
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {}{} |",
                    p.name,
                    p.ty.as_str(),
                    if p.required { "yes" } else { "no" },
                    cell(&p.description),
                    notes
                );
            }
            out.push('\n');
        }
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}

fn languages(langs: &[Language]) -> String {
    if langs.len() == 2 {
        String::new()
    } else {
        format!(
            " ({} only)",
            langs
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn signature(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            let dots = if p.variadic { "..." } else { "" };
            let opt = if p.optional { "?" } else { "" };
            format!("{dots}{}{opt}: {}", p.name, p.ty)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn examples(lua: Option<&str>, js: Option<&str>, out: &mut String) {
    if let Some(code) = lua {
        let _ = writeln!(out, "```lua\n{}\n```\n", code.trim_end());
    }
    if let Some(code) = js {
        let _ = writeln!(out, "```js\n{}\n```\n", code.trim_end());
    }
}

fn render_global(def: &ApiDefinition, global: &Global, out: &mut String) {
    match global.kind {
        GlobalKind::Function => {
            let returns = global
                .returns
                .as_ref()
                .map(|r| format!(" -> {r}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "### `{}({}){returns}`{}\n",
                global.name,
                signature(&global.params),
                languages(&global.languages)
            );
        }
        _ => {
            let ty = global
                .ty
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "### `{}`: `{ty}`{}\n",
                global.name,
                languages(&global.languages)
            );
        }
    }
    let _ = writeln!(out, "{}\n", global.doc.trim());
    examples(
        global.example.lua.as_deref(),
        global.example.js.as_deref(),
        out,
    );
    if let Some(ty) = def.global_type(global) {
        for member in &ty.members {
            render_member(&global.name, member, out);
        }
    }
}

fn render_member(owner: &str, member: &Member, out: &mut String) {
    let heading = match member.kind {
        MemberKind::Field => {
            format!(
                "`{owner}.{}`: `{}`",
                member.name,
                member
                    .ty
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            )
        }
        kind => {
            let separator = kind.lua_separator();
            let returns = member
                .returns
                .as_ref()
                .map(|r| format!(" -> {r}"))
                .unwrap_or_default();
            let promise = if member.is_async {
                " (JS: returns a Promise)"
            } else {
                ""
            };
            let stream = member
                .yields
                .as_ref()
                .map(|y| format!(" (yields {y})"))
                .unwrap_or_default();
            format!(
                "`{owner}{separator}{}({}){returns}`{promise}{stream}",
                member.name,
                signature(&member.params)
            )
        }
    };
    let _ = writeln!(out, "#### {heading}\n\n{}\n", member.doc.trim());
    if let Some(d) = &member.deprecated {
        let _ = writeln!(out, "**Deprecated:** {}\n", d.message);
    }
    for p in &member.params {
        if !p.doc.is_empty() {
            let _ = writeln!(out, "- `{}`: {}", p.name, p.doc);
        }
    }
    if member.params.iter().any(|p| !p.doc.is_empty()) {
        out.push('\n');
    }
    if !member.errors.is_empty() {
        out.push_str("Errors, for example:\n\n");
        for e in &member.errors {
            let _ = writeln!(out, "- `{e}`");
        }
        out.push('\n');
    }
    examples(
        member.example.lua.as_deref(),
        member.example.js.as_deref(),
        out,
    );
}

fn render_type(ty: &TypeDef, level: usize, out: &mut String) {
    let hashes = "#".repeat(level);
    let _ = writeln!(out, "{hashes} `{}`\n\n{}\n", ty.name, ty.doc.trim());
    match ty.kind {
        TypeKind::Table => {
            if !ty.fields.is_empty() {
                out.push_str("| field | type | required | description |\n|---|---|---|---|\n");
                for f in &ty.fields {
                    let _ = writeln!(
                        out,
                        "| `{}` | `{}` | {} | {} |",
                        f.name,
                        cell(&f.ty.to_string()),
                        if f.required { "yes" } else { "no" },
                        field_notes(f)
                    );
                }
                out.push('\n');
            }
            if !ty.one_of.is_empty() {
                let _ = writeln!(
                    out,
                    "Exactly one of: {}.\n",
                    ty.one_of
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        TypeKind::Object | TypeKind::Namespace => {
            let owner = ty.name.to_lowercase();
            for member in &ty.members {
                render_member(&owner, member, out);
            }
        }
    }
}

fn field_notes(f: &Field) -> String {
    let default = f.default.as_ref().map(|d| d.to_string());
    let notes = constraint_notes(f.values.as_deref(), f.min, f.max, default.as_deref());
    format!("{}{notes}", cell(&f.doc))
}

/// The allowed values, range and default of a parameter or field, as sentences for a table cell.
fn constraint_notes(
    values: Option<&[String]>,
    min: Option<f64>,
    max: Option<f64>,
    default: Option<&str>,
) -> String {
    let mut text = String::new();
    if let Some(values) = values {
        let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        let _ = write!(text, " One of: {}.", listed.join(", "));
    }
    match (min, max) {
        (Some(min), Some(max)) => {
            let _ = write!(text, " Range: {min} to {max}.");
        }
        (Some(min), None) => {
            let _ = write!(text, " At least {min}.");
        }
        (None, Some(max)) => {
            let _ = write!(text, " At most {max}.");
        }
        (None, None) => {}
    }
    if let Some(default) = default {
        let _ = write!(text, " Default: `{default}`.");
    }
    text
}
