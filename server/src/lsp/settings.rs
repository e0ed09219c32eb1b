//! The settings an editor gives the server: `initializationOptions` at start, then the
//! `llmspell` section of each `workspace/didChangeConfiguration`. They only say what the editor
//! shows (whether diagnostics are published, whether the run code lens is offered); what a
//! script may do and how it is judged stays in `llmspell.toml`, which `llmspell lint` reads
//! too, so CI and the editor keep one judgement.
//!
//! [`ServerSettings`] is the one definition: its documentation comments and defaults become
//! the VS Code extension's `contributes.configuration` entries through
//! [`vscode_configuration_properties`], and a test requires editors/vscode/package.json to
//! hold exactly what it generates (`UPDATE_DOCS=1` rewrites them).

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The section of the editor's configuration the settings live in: VS Code's
/// `llmspell.diagnostics.enable` is `diagnostics.enable` here.
pub const SECTION: &str = "llmspell";

/// Everything the server reads from the editor. Missing fields keep their defaults, and
/// fields it does not know (the extension's own `server.path`, say) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ServerSettings {
    pub diagnostics: DiagnosticsSettings,
    pub code_lens: CodeLensSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct DiagnosticsSettings {
    /// Report problems in scripts as you type: syntax errors, unknown API members and tools,
    /// wrong config fields, and the other rules of `llmspell lint`. Their severities are set in
    /// `llmspell.toml`. Errors of a script run from the editor are shown either way.
    pub enable: bool,
}

impl Default for DiagnosticsSettings {
    fn default() -> Self {
        DiagnosticsSettings { enable: true }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct CodeLensSettings {
    /// Show "▶ Run" (and "■ Stop" while it runs) above the first line of each script.
    pub enable: bool,
}

impl Default for CodeLensSettings {
    fn default() -> Self {
        CodeLensSettings { enable: true }
    }
}

impl ServerSettings {
    /// Reads the settings from what the editor sent: the section itself, or an object that
    /// holds it under [`SECTION`] (as `didChangeConfiguration` usually does). `null` (no
    /// settings sent) gives the defaults. A value of the wrong shape is an error naming it.
    pub fn from_editor(value: &Value) -> Result<ServerSettings, String> {
        let section = match value {
            Value::Null => return Ok(ServerSettings::default()),
            Value::Object(fields) => fields.get(SECTION).unwrap_or(value),
            other => return Err(format!("settings must be an object, not {other}")),
        };
        if section.is_null() {
            return Ok(ServerSettings::default());
        }
        ServerSettings::deserialize(section).map_err(|e| e.to_string())
    }
}

/// The `contributes.configuration.properties` entries of the VS Code extension for the server's
/// settings, keyed `llmspell.<path>`, generated from [`ServerSettings`]: its documentation
/// comments become `markdownDescription`s, its defaults `default`s.
pub fn vscode_configuration_properties() -> Map<String, Value> {
    let generator = SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let schema = generator.into_root_schema_for::<ServerSettings>();
    let defaults = serde_json::to_value(ServerSettings::default()).unwrap_or(Value::Null);
    let mut out = Map::new();
    flatten(schema.as_value(), &defaults, SECTION, &mut out);
    out
}

/// Adds an entry per leaf of `schema`'s properties under `prefix`.
fn flatten(schema: &Value, defaults: &Value, prefix: &str, out: &mut Map<String, Value>) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, property) in properties {
        let key = format!("{prefix}.{name}");
        let default = defaults.get(name).cloned().unwrap_or(Value::Null);
        if property.get("properties").is_some() {
            flatten(property, &default, &key, out);
            continue;
        }
        let mut entry = Map::new();
        if let Some(kind) = property.get("type") {
            entry.insert("type".to_owned(), kind.clone());
        }
        if let Some(values) = property.get("enum") {
            entry.insert("enum".to_owned(), values.clone());
        }
        entry.insert("default".to_owned(), default);
        // A setting of the editor, for each window; none of them names a program to start.
        entry.insert("scope".to_owned(), Value::from("window"));
        if let Some(description) = property.get("description").and_then(Value::as_str) {
            entry.insert(
                "markdownDescription".to_owned(),
                Value::from(unwrap_lines(description)),
            );
        }
        out.insert(key, Value::Object(entry));
    }
}

/// A documentation comment as one line per paragraph: its line breaks are only where the
/// source wrapped.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_come_from_the_section_or_the_object_holding_it() {
        let off = ServerSettings {
            diagnostics: DiagnosticsSettings { enable: false },
            ..ServerSettings::default()
        };
        let section = json!({ "diagnostics": { "enable": false } });
        assert_eq!(ServerSettings::from_editor(&section), Ok(off.clone()));
        assert_eq!(
            ServerSettings::from_editor(&json!({ "llmspell": section })),
            Ok(off)
        );
        // Missing, null or foreign fields keep the defaults.
        for value in [
            Value::Null,
            json!({}),
            json!({ "llmspell": null }),
            json!({ "server": { "path": "/x" }, "trace": { "server": "off" } }),
        ] {
            assert_eq!(
                ServerSettings::from_editor(&value),
                Ok(ServerSettings::default()),
                "{value}"
            );
        }
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_that_names_it() {
        let error = ServerSettings::from_editor(&json!({ "codeLens": { "enable": "yes" } }))
            .expect_err("a string is not a boolean");
        assert!(
            error.contains("\"yes\"") && error.contains("boolean"),
            "{error}"
        );
        assert!(ServerSettings::from_editor(&json!(3)).is_err());
    }

    #[test]
    fn every_setting_becomes_a_documented_vscode_property() {
        let properties = vscode_configuration_properties();
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        // In the order of the struct's fields.
        assert_eq!(
            keys,
            ["llmspell.diagnostics.enable", "llmspell.codeLens.enable"]
        );
        for (key, property) in &properties {
            assert_eq!(property["type"], "boolean", "{key}");
            assert_eq!(property["default"], true, "{key}");
            let description = property["markdownDescription"].as_str().unwrap_or("");
            assert!(description.len() > 20, "{key}: {description:?}");
            assert!(!description.contains('\n'), "{key}: {description:?}");
        }
    }
}
