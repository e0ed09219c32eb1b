//! Changes made on disk outside the editor: an edited `llmspell.toml` (providers, globals, rule
//! severities) or scripts added, changed or deleted by a `git checkout` or another tool.
//!
//! The server asks the client to watch those files (`workspace/didChangeWatchedFiles`,
//! registered dynamically when the client supports it) and, on a change, re-reads the scripts
//! that are not open into the workspace index and re-publishes the diagnostics of every open
//! document. The analysis reads `llmspell.toml` afresh on every run, so the new settings apply
//! from that refresh on.

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, FileChangeType,
    FileSystemWatcher, GlobPattern, InitializeParams, Registration,
};

use super::Backend;
use super::analysis::file_path;

/// The files whose changes matter: the config and every script the index reads.
const WATCHED: &[&str] = &["**/llmspell.toml", "**/*.lua", "**/*.js", "**/*.mjs"];

/// Whether the client can be asked to watch files for the server.
pub(super) fn client_can_watch(params: &InitializeParams) -> bool {
    super::workspace_capability(params, |w| {
        w.did_change_watched_files.as_ref()?.dynamic_registration
    })
}

/// The registration that asks the client to watch [`WATCHED`].
pub(super) fn registration() -> Registration {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: WATCHED
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).to_owned()),
                kind: None,
            })
            .collect(),
    };
    Registration {
        id: "llmspell-watched-files".to_owned(),
        method: "workspace/didChangeWatchedFiles".to_owned(),
        register_options: serde_json::to_value(options).ok(),
    }
}

impl Backend {
    /// Brings the index up to date with the changed scripts that are not open (an open
    /// document's entry follows its buffer), then refreshes every open document's
    /// diagnostics: a new config or a tool registered elsewhere can change them.
    pub(super) fn watched_files_changed(&self, params: DidChangeWatchedFilesParams) {
        let open = self.documents.uris();
        let changed: Vec<_> = params
            .changes
            .into_iter()
            .filter(|c| !open.contains(&c.uri))
            .filter_map(|c| {
                let path = file_path(c.uri.as_str())?;
                Some((
                    c.uri.as_str().to_owned(),
                    path,
                    c.typ == FileChangeType::DELETED,
                ))
            })
            .collect();
        let index = Arc::clone(&self.index);
        let encoding = self.encoding();
        let refresher = self.refresher();
        tokio::spawn(async move {
            let updated = tokio::task::spawn_blocking(move || {
                for (uri, path, deleted) in changed {
                    if deleted {
                        index.remove(&uri);
                    } else {
                        index.update_from_disk(&uri, &path, encoding);
                    }
                }
            })
            .await;
            if updated.is_ok() {
                refresher.refresh_all();
            }
        });
    }
}
