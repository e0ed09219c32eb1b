//! The API definition: `runtime/api/*.toml` loaded into typed structs.
//!
//! This is the single source of truth for what scripts can call. The engines inject from it,
//! the runtime validates config tables against it, and the language server completes and checks
//! against it. Built-in tool schemas are merged in at load time from the tools themselves.

mod decl_common;
pub mod luacats;
pub mod markdown;
mod type_expr;
pub mod typescript;
pub mod validate;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use type_expr::TypeExpr;

use crate::tools::{ToolSchema, builtin_tools};

/// The definition files, compiled into the binary so the runtime and the editor never disagree.
const SOURCES: &[(&str, &str)] = &[
    ("agent.toml", include_str!("../../api/agent.toml")),
    ("globals.toml", include_str!("../../api/globals.toml")),
    ("tool.toml", include_str!("../../api/tool.toml")),
    ("workflow.toml", include_str!("../../api/workflow.toml")),
];
const STDLIB: &str = include_str!("../../api/stdlib.toml");

/// A script language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Lua,
    Js,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Lua => "lua",
            Language::Js => "js",
        }
    }
}

fn both_languages() -> Vec<Language> {
    vec![Language::Lua, Language::Js]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlobalKind {
    Namespace,
    Function,
    Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    Namespace,
    Object,
    Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    /// Called with `.` in Lua (`Agent.create{}`).
    Function,
    /// Called with `:` in Lua (`agent:execute("hi")`).
    Method,
    /// A method whose result is iterated (`for chunk in agent:stream(...)`).
    Stream,
    /// A read-only value (`agent.name`).
    Field,
}

impl MemberKind {
    /// The separator Lua uses to reach the member; JS always uses `.`.
    pub fn lua_separator(self) -> char {
        match self {
            MemberKind::Method | MemberKind::Stream => ':',
            MemberKind::Function | MemberKind::Field => '.',
        }
    }
}

/// Examples of use, per language.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub lua: Option<String>,
    pub js: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    pub message: String,
    pub replacement: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type", with = "type_text")]
    pub ty: TypeExpr,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub variadic: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Global {
    pub name: String,
    pub kind: GlobalKind,
    #[serde(rename = "type", default, with = "opt_type_text")]
    pub ty: Option<TypeExpr>,
    #[serde(default)]
    pub doc: String,
    #[serde(default = "both_languages")]
    pub languages: Vec<Language>,
    #[serde(default)]
    pub params: Vec<Param>,
    #[serde(default, with = "opt_type_text")]
    pub returns: Option<TypeExpr>,
    #[serde(default)]
    pub example: Examples,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    pub kind: MemberKind,
    #[serde(default)]
    pub doc: String,
    /// Whether the JS form returns a Promise.
    #[serde(default, rename = "async")]
    pub is_async: bool,
    #[serde(default)]
    pub params: Vec<Param>,
    #[serde(default, with = "opt_type_text")]
    pub returns: Option<TypeExpr>,
    /// The type of a field.
    #[serde(rename = "type", default, with = "opt_type_text")]
    pub ty: Option<TypeExpr>,
    /// What a stream yields.
    #[serde(default, with = "opt_type_text")]
    pub yields: Option<TypeExpr>,
    #[serde(default)]
    pub errors: Vec<String>,
    pub deprecated: Option<Deprecation>,
    #[serde(default)]
    pub example: Examples,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type", with = "type_text")]
    pub ty: TypeExpr,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub required: bool,
    pub default: Option<toml::Value>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub values: Option<Vec<String>>,
    pub deprecated: Option<Deprecation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    pub name: String,
    pub kind: TypeKind,
    #[serde(default)]
    pub doc: String,
    #[serde(default, rename = "member")]
    pub members: Vec<Member>,
    #[serde(default, rename = "field")]
    pub fields: Vec<Field>,
    /// Fields of which exactly one must be given.
    #[serde(default)]
    pub one_of: Vec<String>,
}

impl TypeDef {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DefinitionFile {
    #[serde(default)]
    global: Vec<Global>,
    #[serde(default, rename = "type")]
    types: Vec<TypeDef>,
}

/// The standard library of one language's sandbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StdLib {
    pub globals: Vec<String>,
    #[serde(default)]
    pub tables: BTreeMap<String, Vec<String>>,
    /// Dotted names (or `lib.*`) that exist only to refuse, with the reason.
    #[serde(default)]
    pub disabled: BTreeMap<String, String>,
}

impl StdLib {
    /// Why `name` (`os.execute`, `debug.traceback`, `require`) is refused, if it is.
    pub fn disabled_reason(&self, name: &str) -> Option<&str> {
        if let Some(reason) = self.disabled.get(name) {
            return Some(reason);
        }
        let table = name.split('.').next()?;
        self.disabled.get(&format!("{table}.*")).map(String::as_str)
    }
}

#[derive(Debug, Deserialize)]
struct StdLibFile {
    lua: StdLib,
    js: StdLib,
}

#[derive(Debug, Serialize)]
pub struct ApiDefinition {
    pub globals: Vec<Global>,
    pub types: IndexMap<String, TypeDef>,
    pub lua_stdlib: StdLib,
    pub js_stdlib: StdLib,
    /// The built-in tools' schemas, sorted by name.
    pub tools: Vec<ToolSchema>,
}

impl ApiDefinition {
    /// The definition compiled into this binary. Loading is checked by tests, so a broken
    /// definition file never ships; the panic here can only fire in a broken build.
    pub fn get() -> &'static ApiDefinition {
        static DEFINITION: OnceLock<ApiDefinition> = OnceLock::new();
        DEFINITION.get_or_init(|| match ApiDefinition::load() {
            Ok(def) => def,
            Err(e) => panic!("the built-in API definition is invalid: {e}"),
        })
    }

    /// Parses and checks the definition files.
    pub fn load() -> Result<ApiDefinition, String> {
        let mut globals = Vec::new();
        let mut types = IndexMap::new();
        for (file, text) in SOURCES {
            let parsed: DefinitionFile =
                toml::from_str(text).map_err(|e| format!("runtime/api/{file}: {e}"))?;
            globals.extend(parsed.global);
            for ty in parsed.types {
                if let Some(old) = types.insert(ty.name.clone(), ty) {
                    return Err(format!(
                        "runtime/api/{file}: type '{}' defined twice",
                        old.name
                    ));
                }
            }
        }
        let stdlib: StdLibFile =
            toml::from_str(STDLIB).map_err(|e| format!("runtime/api/stdlib.toml: {e}"))?;
        let tools = builtin_tools().iter().map(|t| t.schema().clone()).collect();
        let def = ApiDefinition {
            globals,
            types,
            lua_stdlib: stdlib.lua,
            js_stdlib: stdlib.js,
            tools,
        };
        def.check()?;
        Ok(def)
    }

    /// Every named type that is mentioned must exist, and names must be unique.
    fn check(&self) -> Result<(), String> {
        let mut mentioned = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for g in &self.globals {
            if !seen.insert(&g.name) {
                return Err(format!("global '{}' declared twice", g.name));
            }
            if g.kind == GlobalKind::Function && g.ty.is_some() {
                return Err(format!(
                    "global function '{}' must use params/returns, not type",
                    g.name
                ));
            }
            if g.kind != GlobalKind::Function && g.ty.is_none() {
                return Err(format!("global '{}' needs a type", g.name));
            }
            g.ty.iter()
                .chain(g.returns.iter())
                .for_each(|t| t.named_types(&mut mentioned));
            g.params
                .iter()
                .for_each(|p| p.ty.named_types(&mut mentioned));
        }
        for ty in self.types.values() {
            let mut names = std::collections::HashSet::new();
            for m in &ty.members {
                if !names.insert(&m.name) {
                    return Err(format!("{}.{} declared twice", ty.name, m.name));
                }
                if (m.kind == MemberKind::Field) != m.ty.is_some() {
                    return Err(format!(
                        "{}.{}: fields (and only fields) have a type",
                        ty.name, m.name
                    ));
                }
                for t in [&m.returns, &m.ty, &m.yields].into_iter().flatten() {
                    t.named_types(&mut mentioned);
                }
                m.params
                    .iter()
                    .for_each(|p| p.ty.named_types(&mut mentioned));
            }
            for f in &ty.fields {
                if !names.insert(&f.name) {
                    return Err(format!("{}.{} declared twice", ty.name, f.name));
                }
                f.ty.named_types(&mut mentioned);
            }
            for name in &ty.one_of {
                if ty.field(name).is_none() {
                    return Err(format!("{}: one_of names unknown field '{name}'", ty.name));
                }
            }
        }
        for name in mentioned {
            if !self.types.contains_key(name) {
                return Err(format!("unknown type '{name}' is referenced"));
            }
        }
        Ok(())
    }

    pub fn global(&self, name: &str) -> Option<&Global> {
        self.globals.iter().find(|g| g.name == name)
    }

    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// The globals a script in `language` sees (besides the standard library).
    pub fn globals_for(&self, language: Language) -> impl Iterator<Item = &Global> {
        self.globals
            .iter()
            .filter(move |g| g.languages.contains(&language))
    }

    /// The namespace or object type of a global, if it has one.
    /// The standard library of `language`'s sandbox.
    pub fn stdlib(&self, language: Language) -> &StdLib {
        match language {
            Language::Lua => &self.lua_stdlib,
            Language::Js => &self.js_stdlib,
        }
    }

    pub fn global_type(&self, global: &Global) -> Option<&TypeDef> {
        match &global.ty {
            Some(TypeExpr::Named(name)) => self.types.get(name),
            _ => None,
        }
    }
}

/// Reads and writes type expressions as their text form in the TOML files.
mod type_text {
    use super::TypeExpr;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TypeExpr, D::Error> {
        let text = String::deserialize(d)?;
        TypeExpr::parse(&text).map_err(serde::de::Error::custom)
    }

    pub fn serialize<S: Serializer>(ty: &TypeExpr, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(ty)
    }
}

mod opt_type_text {
    use super::TypeExpr;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TypeExpr>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        text.map(|t| TypeExpr::parse(&t).map_err(serde::de::Error::custom))
            .transpose()
    }

    pub fn serialize<S: Serializer>(ty: &Option<TypeExpr>, s: S) -> Result<S::Ok, S::Error> {
        match ty {
            Some(ty) => s.collect_str(ty),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_loads_and_is_consistent() {
        let def = ApiDefinition::load().unwrap();
        for name in ["Agent", "Tool", "Workflow", "print", "console", "ARGS"] {
            assert!(def.global(name).is_some(), "global {name} missing");
        }
        let agent = def.type_def("Agent").unwrap();
        assert_eq!(agent.member("execute").unwrap().kind.lua_separator(), ':');
        assert_eq!(
            def.type_def("AgentApi")
                .unwrap()
                .member("create")
                .unwrap()
                .kind
                .lua_separator(),
            '.'
        );
        let temperature = def
            .type_def("AgentConfig")
            .unwrap()
            .field("temperature")
            .unwrap();
        assert_eq!((temperature.min, temperature.max), (Some(0.0), Some(2.0)));
    }

    #[test]
    fn every_namespace_member_and_field_is_documented() {
        let def = ApiDefinition::get();
        for ty in def.types.values() {
            assert!(!ty.doc.is_empty(), "type {} has no doc", ty.name);
            for m in &ty.members {
                assert!(!m.doc.is_empty(), "{}.{} has no doc", ty.name, m.name);
                if ty.kind == TypeKind::Namespace
                    && def.globals.iter().any(|g| {
                        g.ty.as_ref().is_some_and(|t| t.to_string() == ty.name)
                            && g.languages.len() == 2
                    })
                {
                    assert!(
                        m.example.lua.is_some() && m.example.js.is_some(),
                        "{}.{} needs examples in both languages",
                        ty.name,
                        m.name
                    );
                }
            }
            for f in &ty.fields {
                assert!(!f.doc.is_empty(), "{}.{} has no doc", ty.name, f.name);
            }
        }
    }

    #[test]
    fn built_in_tool_schemas_are_merged_in() {
        let def = ApiDefinition::get();
        let names: Vec<&str> = def.tools.iter().map(|t| t.name.as_str()).collect();
        for expected in [
            "base64",
            "calculator",
            "datetime",
            "file-read",
            "file-write",
            "hash",
            "http-request",
            "json",
            "sleep",
            "template",
            "text",
            "uuid",
        ] {
            assert!(
                names.contains(&expected),
                "tool {expected} missing from {names:?}"
            );
        }
    }

    #[test]
    fn disabled_names_resolve_through_wildcards() {
        let std = &ApiDefinition::get().lua_stdlib;
        assert!(std.disabled_reason("debug.traceback").is_some());
        assert!(std.disabled_reason("os.execute").is_some());
        assert!(std.disabled_reason("os.time").is_none());
    }
}
