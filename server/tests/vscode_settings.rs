//! The VS Code extension declares the server's settings exactly as the server defines them:
//! editors/vscode/package.json's `contributes.configuration.properties` must hold, for every
//! setting of `ServerSettings`, the entry `vscode_configuration_properties` generates (type,
//! default, description), and no `llmspell.*` entry of that shape the server does not read.
//! `UPDATE_DOCS=1 cargo test -p llmspell-server --test vscode_settings` writes them in.
//!
//! The extension's own settings (how to start the server, tracing) are checked on the
//! extension's side, against editors/vscode/src/settings.ts.

use serde_json::{Map, Value};

use llmspell_server::lsp::settings::vscode_configuration_properties;

/// The extension's own settings, which the server does not read.
const EXTENSION_ONLY: &[&str] = &[
    "llmspell.server.path",
    "llmspell.server.extraArgs",
    "llmspell.trace.server",
];

fn package_json_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../editors/vscode/package.json")
}

#[test]
fn package_json_declares_the_server_settings() {
    let path = package_json_path();
    let text = std::fs::read_to_string(&path).expect("editors/vscode/package.json");
    let mut manifest: Value = serde_json::from_str(&text).expect("package.json is JSON");
    let generated = vscode_configuration_properties();
    let properties = manifest["contributes"]["configuration"]["properties"]
        .as_object_mut()
        .expect("contributes.configuration.properties");

    if std::env::var_os("UPDATE_DOCS").is_some() {
        // The extension's own settings first, as they are; then the server's, generated.
        let mut updated: Map<String, Value> = properties
            .iter()
            .filter(|(key, _)| EXTENSION_ONLY.contains(&key.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        updated.extend(generated.clone());
        *properties = updated;
        let mut out = serde_json::to_string_pretty(&manifest).expect("serialise");
        out.push('\n');
        std::fs::write(&path, out).expect("write package.json");
        return;
    }

    for (key, entry) in &generated {
        assert_eq!(
            properties.get(key),
            Some(entry),
            "package.json's `{key}` differs from the server's definition; run \
             UPDATE_DOCS=1 cargo test -p llmspell-server --test vscode_settings"
        );
    }
    let unknown: Vec<&String> = properties
        .keys()
        .filter(|k| !generated.contains_key(*k) && !EXTENSION_ONLY.contains(&k.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "package.json declares settings that neither the server nor the extension reads: {unknown:?}"
    );
}
