//! Completion of tools, for both languages: tool names (built in, registered in this file,
//! registered in other files of the workspace), and a built-in tool's parameters: the keys of
//! the table given to `tool:execute{ | }` (a tool from `Tool.get("name")`), to
//! `Tool.execute("name", { | })` and to a step's `params = { | }` beside `tool = "name"`, and
//! the allowed values of a parameter that takes one of a few words. Each language finds where
//! the cursor is; the items are made here from the tools' own schemas, so they match what the
//! runtime checks.

use std::collections::BTreeSet;

use llmspell_runtime::definition::Language;
use llmspell_runtime::tools::{ParamSchema, ParamType, ToolSchema};

use crate::analysis::diagnostics::AnalysisConfig;
use crate::analysis::lua::types::def;
use crate::analysis::markdown::{param_doc, tool_markdown};
use crate::analysis::{Completion, CompletionKind, TextRange};

/// The built-in tool named `name`. Tools a script registers declare their parameters in the
/// script; they are not offered, since a guess would be worse than nothing.
pub fn builtin_tool(name: &str) -> Option<&'static ToolSchema> {
    def().tools.iter().find(|t| t.name == name)
}

/// Tool names: the built-in tools, then those `registered_here`, then those other files of the
/// workspace register ([`AnalysisConfig::extra_tools`]), each once.
pub fn tool_name_completions(
    registered_here: &[String],
    config: &AnalysisConfig,
    replace: TextRange,
) -> Vec<Completion> {
    let mut out: Vec<Completion> = def()
        .tools
        .iter()
        .map(|t| Completion {
            label: t.name.clone(),
            kind: CompletionKind::Value,
            detail: Some("built-in tool".into()),
            documentation: Some(tool_markdown(t)),
            snippet: None,
            replace,
        })
        .collect();
    let mut seen: BTreeSet<String> = out.iter().map(|c| c.label.clone()).collect();
    let elsewhere = config
        .extra_tools
        .iter()
        .map(|n| (n, "tool registered in another file"));
    for (name, detail) in registered_here
        .iter()
        .map(|n| (n, "tool registered in this file"))
        .chain(elsewhere)
    {
        if seen.insert(name.clone()) {
            out.push(Completion {
                label: name.clone(),
                kind: CompletionKind::Value,
                detail: Some(detail.to_owned()),
                documentation: None,
                snippet: None,
                replace,
            });
        }
    }
    out
}

/// The parameters of `tool` not yet `written`, as `key = value` (Lua) or `key: value` (JS)
/// snippets, required ones first.
pub fn param_completions(
    tool: &ToolSchema,
    written: &BTreeSet<String>,
    language: Language,
    replace: TextRange,
) -> Vec<Completion> {
    let mut params: Vec<&ParamSchema> = tool
        .params
        .iter()
        .filter(|p| !written.contains(&p.name))
        .collect();
    params.sort_by_key(|p| !p.required);
    params
        .into_iter()
        .map(|p| {
            let required = if p.required { " (required)" } else { "" };
            let assign = match language {
                Language::Lua => " = ",
                Language::Js => ": ",
            };
            Completion {
                label: p.name.clone(),
                kind: CompletionKind::ConfigField,
                detail: Some(format!("{}: {}{required}", p.name, p.ty.as_str())),
                documentation: Some(format!(
                    "Parameter of the `{}` tool.\n\n{}",
                    tool.name,
                    param_doc(p)
                )),
                snippet: Some(format!("{}{assign}{}", p.name, value_snippet(p, language))),
                replace,
            }
        })
        .collect()
}

/// The allowed values of parameter `name` of `tool`, each inserted as `quote` + value +
/// `quote` (an empty `quote` when the cursor is already inside the string).
pub fn value_completions(
    tool: &ToolSchema,
    name: &str,
    quote: &str,
    replace: TextRange,
) -> Vec<Completion> {
    let Some(param) = tool.params.iter().find(|p| p.name == name) else {
        return Vec::new();
    };
    param
        .enum_values
        .iter()
        .flatten()
        .map(|v| Completion {
            label: format!("{quote}{v}{quote}"),
            kind: CompletionKind::Value,
            detail: Some(format!("{}.{}", tool.name, param.name)),
            documentation: Some(param_doc(param)),
            snippet: None,
            replace,
        })
        .collect()
}

fn value_snippet(p: &ParamSchema, language: Language) -> String {
    if let Some(values) = p.enum_values.as_ref().filter(|v| !v.is_empty()) {
        return crate::analysis::snippet::quoted_choice(values);
    }
    match (p.ty, language) {
        (ParamType::String, _) => "\"$1\"".into(),
        (ParamType::Boolean, _) => "${1|true,false|}".into(),
        (ParamType::Object, Language::Lua) | (ParamType::Array, Language::Lua) => "{ $1 }".into(),
        (ParamType::Object, Language::Js) => "{ $1 }".into(),
        (ParamType::Array, Language::Js) => "[$1]".into(),
        _ => "$1".into(),
    }
}
