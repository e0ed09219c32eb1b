//! The workspace index: the tools, agents and workflows that every script of the workspace
//! registers by name (`Tool.register{ name = "weather" }`), so a name used in one file resolves
//! to its definition in another (go to definition), and `unknown-tool` knows the tools other
//! files register.
//!
//! It is built once after `initialized` by walking the workspace folders (off the message loop,
//! on blocking threads), and kept current from the editor: an open document's entry follows its
//! buffer, and a saved or closed one is re-read from disk. Positions are stored converted, so a
//! lookup needs no file IO.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use tower_lsp_server::ls_types::{Location, Range, Uri};

use super::analysis::{file_path, language_of_path};
use super::documents::Document;
use super::position::{self, PositionEncoding};
use crate::analysis::TextRange;
use crate::analysis::document::ParsedDocument;
use crate::analysis::symbols::{Symbol, SymbolKind};

/// Files larger than this are not indexed: a generated bundle registers no tools, and parsing
/// it would only delay the index.
const MAX_FILE_BYTES: u64 = 2 << 20;
/// At most this many files are indexed per workspace folder.
const MAX_FILES: usize = 20_000;
/// Folders never walked: dependencies, build outputs, version control.
const SKIPPED_DIRS: &[&str] = &["node_modules", "target", ".git", ".hg", ".svn"];

/// One named registration, with its position already in the negotiated encoding.
#[derive(Debug, Clone)]
struct Entry {
    kind: SymbolKind,
    name: String,
    range: Range,
}

#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    /// By file URI (as text, so lookups need no parsing).
    files: RwLock<HashMap<String, Vec<Entry>>>,
}

impl WorkspaceIndex {
    /// Records what `document` (the buffer, or a file read from disk) registers.
    pub fn update(
        &self,
        uri: &str,
        document: &Document,
        symbols: &[Symbol],
        encoding: PositionEncoding,
    ) {
        let range = |r: TextRange| Range {
            start: position::position(document.text(), document.line_index(), r.start, encoding),
            end: position::position(document.text(), document.line_index(), r.end, encoding),
        };
        let entries: Vec<Entry> = symbols
            .iter()
            .filter(|s| s.registered)
            .map(|s| Entry {
                kind: s.kind,
                name: s.name.clone(),
                range: range(s.selection),
            })
            .collect();
        let key = canonical(uri);
        let mut files = self.files.write().unwrap_or_else(PoisonError::into_inner);
        if entries.is_empty() {
            files.remove(&key);
        } else {
            files.insert(key, entries);
        }
    }

    /// Re-reads a file from disk (after a save or close, or while walking the workspace).
    pub fn update_from_disk(&self, uri: &str, path: &Path, encoding: PositionEncoding) {
        let Some(language) = language_of_path(path) else {
            return;
        };
        let text = std::fs::metadata(path)
            .ok()
            .filter(|m| m.len() <= MAX_FILE_BYTES)
            .and_then(|_| std::fs::read(path).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        match text.and_then(|t| Document::new(t, 0, String::new()).ok()) {
            Some(document) => {
                let symbols = ParsedDocument::parse(language, document.text()).symbols();
                self.update(uri, &document, &symbols, encoding);
            }
            None => self.remove(uri),
        }
    }

    /// Forgets what the file `uri` registered (it was deleted).
    pub fn remove(&self, uri: &str) {
        self.files
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&canonical(uri));
    }

    /// Walks `root` and indexes every script under it; returns how many files it read.
    pub fn index_folder(&self, root: &Path, encoding: PositionEncoding) -> usize {
        let files = script_files(root);
        for path in &files {
            if let Some(uri) = file_uri(path) {
                self.update_from_disk(&uri, path, encoding);
            }
        }
        files.len()
    }

    /// Where something of `kind` named `name` is registered, in any indexed file.
    pub fn find(&self, kind: SymbolKind, name: &str) -> Vec<Location> {
        let files = self.files.read().unwrap_or_else(PoisonError::into_inner);
        let mut out: Vec<Location> = files
            .iter()
            .flat_map(|(uri, entries)| {
                entries
                    .iter()
                    .filter(|e| e.kind == kind && e.name == name)
                    .filter_map(move |e| {
                        Some(Location {
                            uri: uri.parse::<Uri>().ok()?,
                            range: e.range,
                        })
                    })
            })
            .collect();
        out.sort_by(|a, b| a.uri.as_str().cmp(b.uri.as_str()));
        out
    }

    /// The tool names registered by files other than `uri`, sorted, each once.
    pub fn tools_outside(&self, uri: &str) -> std::sync::Arc<[String]> {
        let uri = canonical(uri);
        let files = self.files.read().unwrap_or_else(PoisonError::into_inner);
        let mut names: Vec<String> = files
            .iter()
            .filter(|(u, _)| **u != uri)
            .flat_map(|(_, entries)| entries.iter())
            .filter(|e| e.kind == SymbolKind::Tool)
            .map(|e| e.name.clone())
            .collect();
        names.sort_unstable();
        names.dedup();
        names.into()
    }
}

/// The `.lua`, `.js` and `.mjs` files under `root`, skipping hidden and dependency folders, in
/// a stable order.
fn script_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Symlinks are not followed: a link cycle would never end.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_ref()) {
                    pending.push(entry.path());
                }
            } else if kind.is_file() && language_of_path(&entry.path()).is_some() {
                out.push(entry.path());
                if out.len() >= MAX_FILES {
                    return out;
                }
            }
        }
    }
    out
}

/// One spelling per file: clients percent-encode URIs differently (`%3A` or `:`), so file URIs
/// are decoded and encoded again before they are compared.
fn canonical(uri: &str) -> String {
    file_path(uri)
        .and_then(|p| file_uri(&p))
        .unwrap_or_else(|| uri.to_owned())
}

pub use crate::uri::file_uri;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Language;

    #[test]
    fn registrations_are_found_across_files_and_only_named_ones() {
        let index = WorkspaceIndex::default();
        let encoding = PositionEncoding::default();
        for (uri, text) in [
            (
                "file:///w/tools.lua",
                "Tool.register{ name = \"weather\", description = \"d\", run = function(p) return p end }\nlocal a = Agent.create{ model = \"mock/echo\" }",
            ),
            (
                "file:///w/agents.js",
                "const helper = Agent.create({ name: \"helper\", model: \"mock/echo\" });",
            ),
        ] {
            let language = if uri.ends_with(".lua") {
                Language::Lua
            } else {
                Language::Js
            };
            let document = Document::new(text.to_owned(), 0, String::new()).expect("document");
            index.update(
                uri,
                &document,
                &ParsedDocument::parse(language, text).symbols(),
                encoding,
            );
        }
        let weather = index.find(SymbolKind::Tool, "weather");
        assert_eq!(weather.len(), 1);
        assert_eq!(weather[0].uri.as_str(), "file:///w/tools.lua");
        assert_eq!(weather[0].range.start.line, 0);
        assert_eq!(index.find(SymbolKind::Agent, "helper").len(), 1);
        // `a` names an agent by variable only: other files cannot refer to it.
        assert!(index.find(SymbolKind::Agent, "a").is_empty());
        assert_eq!(*index.tools_outside("file:///w/agents.js"), ["weather"]);
        assert!(index.tools_outside("file:///w/tools.lua").is_empty());
    }
}
