//! What the LuaCATS and TypeScript renderers share: which globals and types each language sees,
//! which table types stand for stream iterators, the built-in tools' type names, and the
//! constraint notes (range, default, allowed values) that neither type system can express.

use std::collections::{BTreeMap, HashSet};

use super::{ApiDefinition, Deprecation, Language, MemberKind, TypeExpr, TypeKind};
use crate::tools::{ParamSchema, ToolSchema};

/// Parameters that name a tool, as (type, member, parameter). The type language has no "tool
/// name" type, so the renderers know these few by name: they offer the built-in names (the
/// `ToolName` alias) for completion while still accepting any string, because tools a script
/// registers have names of their own. A test checks that each still exists in the definition.
pub const TOOL_NAME_PARAMS: &[(&str, &str, &str)] = &[
    ("ToolApi", "get", "name"),
    ("ToolApi", "exists", "name"),
    ("ToolApi", "execute", "name"),
];

/// The member that runs a tool by name: it gets one overload per built-in tool, with the
/// parameters and result typed from the tool's schema.
pub const TOOL_EXECUTE: (&str, &str) = ("ToolApi", "execute");

/// The name of the alias of the built-in tools' names.
pub const TOOL_NAME_ALIAS: &str = "ToolName";

/// Whether `param` of `member` of type `owner` takes a tool name.
pub fn takes_tool_name(owner: &str, member: &str, param: &str) -> bool {
    TOOL_NAME_PARAMS.contains(&(owner, member, param))
}

/// The named types a language's declarations include: everything except namespace types whose
/// globals all belong to the other language (`Console` is JavaScript's alone).
pub fn types_for(def: &ApiDefinition, language: Language) -> HashSet<&str> {
    def.types
        .values()
        .filter(|ty| {
            if ty.kind != TypeKind::Namespace {
                return true;
            }
            let mut globals = def
                .globals
                .iter()
                .filter(|g| g.ty.as_ref().is_some_and(|t| t.to_string() == ty.name))
                .peekable();
            globals.peek().is_none() || globals.any(|g| g.languages.contains(&language))
        })
        .map(|ty| ty.name.as_str())
        .collect()
}

/// Table types without fields that a stream member returns (`AgentStream`), with what the
/// stream yields. The definition gives them a name for documentation; in both languages they
/// are really iterators, so the renderers declare them as aliases of the iterator type.
pub fn stream_types(def: &ApiDefinition) -> BTreeMap<&str, &TypeExpr> {
    let mut streams = BTreeMap::new();
    for ty in def.types.values() {
        for member in &ty.members {
            if member.kind != MemberKind::Stream {
                continue;
            }
            if let (Some(TypeExpr::Named(name)), Some(yields)) = (&member.returns, &member.yields)
                && def
                    .types
                    .get(name)
                    .is_some_and(|t| t.kind == TypeKind::Table && t.fields.is_empty())
            {
                streams.insert(name.as_str(), yields);
            }
        }
    }
    streams
}

/// `file-read` -> `FileRead`: the stem of a built-in tool's parameter and result type names.
pub fn tool_type_stem(tool: &str) -> String {
    tool.split(['-', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect()
}

pub fn tool_params_type(tool: &ToolSchema) -> String {
    format!("{}ToolParams", tool_type_stem(&tool.name))
}

pub fn tool_result_type(tool: &ToolSchema) -> String {
    format!("{}ToolResult", tool_type_stem(&tool.name))
}

/// Whether a tool may be called without parameters (none of them is required).
pub fn params_optional(tool: &ToolSchema) -> bool {
    tool.params.iter().all(|p| !p.required)
}

/// The first sentence of a description, for one-line notes such as the alias's values.
pub fn first_sentence(text: &str) -> String {
    let text = one_line(text);
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}

/// Joins a doc's lines into one, for places that take a single line (`---@field`).
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The allowed values, range and default, as sentences appended to a doc.
pub fn constraint_notes(
    values: Option<&[String]>,
    min: Option<f64>,
    max: Option<f64>,
    default: Option<&str>,
) -> String {
    let mut notes = Vec::new();
    if let Some(values) = values {
        let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        notes.push(format!("One of: {}.", listed.join(", ")));
    }
    match (min, max) {
        (Some(min), Some(max)) => notes.push(format!("Range: {min} to {max}.")),
        (Some(min), None) => notes.push(format!("At least {min}.")),
        (None, Some(max)) => notes.push(format!("At most {max}.")),
        (None, None) => {}
    }
    if let Some(default) = default {
        notes.push(format!("Default: `{default}`."));
    }
    notes.join(" ")
}

/// A built-in tool parameter's doc with its constraints, on one line.
pub fn param_schema_doc(p: &ParamSchema) -> String {
    let default = p.default.as_ref().map(|d| d.to_string());
    // The tools' own descriptions often already say "Defaults to ...", but the structured
    // default is the one the tool applies, so it is always stated.
    let notes = constraint_notes(None, p.minimum, p.maximum, default.as_deref());
    join_sentences(&one_line(&p.description), &notes)
}

/// The deprecation as a sentence: the message, and what to use instead.
pub fn deprecation_text(d: &Deprecation) -> String {
    match &d.replacement {
        Some(replacement) => format!("{} Use `{replacement}` instead.", d.message.trim()),
        None => d.message.trim().to_owned(),
    }
}

pub fn join_sentences(first: &str, second: &str) -> String {
    match (first.is_empty(), second.is_empty()) {
        (_, true) => first.to_owned(),
        (true, false) => second.to_owned(),
        (false, false) => format!("{first} {second}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_name_parameters_still_exist() {
        let def = ApiDefinition::get();
        for (owner, member, param) in TOOL_NAME_PARAMS {
            let found = def
                .type_def(owner)
                .and_then(|t| t.member(member))
                .is_some_and(|m| m.params.iter().any(|p| p.name == *param));
            assert!(
                found,
                "{owner}.{member}({param}) is gone from the definition"
            );
        }
        let (owner, member) = TOOL_EXECUTE;
        assert!(def.type_def(owner).and_then(|t| t.member(member)).is_some());
    }

    #[test]
    fn stems_are_pascal_case() {
        assert_eq!(tool_type_stem("file-read"), "FileRead");
        assert_eq!(tool_type_stem("calculator"), "Calculator");
        assert_eq!(tool_type_stem("http-request"), "HttpRequest");
    }

    #[test]
    fn streams_and_language_only_types_are_found() {
        let def = ApiDefinition::get();
        assert_eq!(
            stream_types(def).get("AgentStream").map(|t| t.to_string()),
            Some("string".to_owned())
        );
        assert!(!types_for(def, Language::Lua).contains("Console"));
        assert!(types_for(def, Language::Js).contains("Console"));
        assert!(types_for(def, Language::Lua).contains("AgentApi"));
    }
}
