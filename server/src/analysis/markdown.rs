//! Hover Markdown for the API definition's items (fields, tools) and the layout every hover
//! shares, so Lua and JavaScript hovers read alike; each language's hover picks the item and
//! its own signature syntax and example.

use llmspell_runtime::definition::{Deprecation, Field, Language, TypeDef};
use llmspell_runtime::tools::{ParamSchema, ToolSchema};

use crate::analysis::lua::types::display_name;

/// A field of a table type: its type, doc and constraints (allowed values, range, default).
pub fn field_markdown(lang: Language, owner: &TypeDef, f: &Field) -> String {
    let mut notes = Vec::new();
    if f.required {
        notes.push("Required.".to_owned());
    }
    if let Some(values) = &f.values {
        let listed: Vec<String> = values.iter().map(|v| format!("`\"{v}\"`")).collect();
        notes.push(format!("One of: {}.", listed.join(", ")));
    }
    match (f.min, f.max) {
        (Some(min), Some(max)) => notes.push(format!("Range: {min} to {max}.")),
        (Some(min), None) => notes.push(format!("At least {min}.")),
        (None, Some(max)) => notes.push(format!("At most {max}.")),
        (None, None) => {}
    }
    if let Some(default) = &f.default {
        notes.push(format!("Default: `{default}`."));
    }
    render(
        lang,
        &format!("{}.{}: {}", display_name(owner), f.name, f.ty),
        &f.doc,
        f.deprecated.as_ref(),
        &notes,
        None,
    )
}

/// A parameter of a built-in tool, as a key of the table given to it.
pub fn tool_param_markdown(lang: Language, tool: &ToolSchema, param: &ParamSchema) -> String {
    let required = if param.required { " (required)" } else { "" };
    render(
        lang,
        &format!(
            "{}.{}: {}{required}",
            tool.name,
            param.name,
            param.ty.as_str()
        ),
        &param_doc(param),
        None,
        &[],
        None,
    )
}

/// A built-in tool: its description and its parameter and result tables.
pub fn tool_markdown(tool: &ToolSchema) -> String {
    let mut out = format!(
        "**{}** (built-in tool)\n\n{}",
        tool.name,
        tool.description.trim()
    );
    if !tool.params.is_empty() {
        out.push_str("\n\n");
        out.push_str(&schema_table("Parameter", &tool.params, true));
    }
    if !tool.returns.is_empty() {
        out.push_str("\n\nResult:\n\n");
        out.push_str(&schema_table("Field", &tool.returns, false));
    }
    out
}

/// A Markdown table of schema parameters, one row each.
fn schema_table(what: &str, params: &[ParamSchema], with_required: bool) -> String {
    let mut out = if with_required {
        format!("| {what} | Type | Required | Description |\n|---|---|---|---|\n")
    } else {
        format!("| {what} | Type | Description |\n|---|---|---|\n")
    };
    for param in params {
        let doc = param_doc(param);
        let required = if param.required { "yes | " } else { "no | " };
        out.push_str(&format!(
            "| `{}` | {} | {}{} |\n",
            param.name,
            param.ty.as_str(),
            if with_required { required } else { "" },
            table_cell(&doc)
        ));
    }
    out.trim_end().to_owned()
}

/// A tool parameter's description with its constraints (allowed values, range, default).
pub fn param_doc(param: &ParamSchema) -> String {
    let mut doc = param.description.trim().to_owned();
    if let Some(values) = &param.enum_values {
        let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        doc.push_str(&format!(" One of: {}.", listed.join(", ")));
    }
    match (param.minimum, param.maximum) {
        (Some(min), Some(max)) => doc.push_str(&format!(" Range: {min} to {max}.")),
        (Some(min), None) => doc.push_str(&format!(" At least {min}.")),
        (None, Some(max)) => doc.push_str(&format!(" At most {max}.")),
        (None, None) => {}
    }
    if let Some(default) = &param.default {
        doc.push_str(&format!(" Default: `{default}`."));
    }
    doc
}

/// Text that stays inside one Markdown table cell: no line breaks, no bare `|`.
fn table_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The hover layout: the signature or type as a code block of the document's language, a
/// deprecation warning, the doc, notes (constraints, members), and the example.
pub fn render(
    lang: Language,
    code: &str,
    doc: &str,
    deprecated: Option<&Deprecation>,
    notes: &[String],
    example: Option<&str>,
) -> String {
    let fence = match lang {
        Language::Lua => "lua",
        Language::Js => "js",
    };
    let mut out = format!("```{fence}\n{code}\n```");
    if let Some(d) = deprecated {
        out.push_str("\n\n**Deprecated.** ");
        out.push_str(d.message.trim());
        if let Some(r) = &d.replacement {
            out.push_str(&format!(" Use `{r}` instead."));
        }
    }
    if !doc.trim().is_empty() {
        out.push_str("\n\n");
        out.push_str(doc.trim());
    }
    if !notes.is_empty() {
        out.push_str("\n\n");
        out.push_str(&notes.join(" "));
    }
    if let Some(ex) = example {
        out.push_str(&format!("\n\n```{fence}\n"));
        out.push_str(ex.trim());
        out.push_str("\n```");
    }
    out
}
