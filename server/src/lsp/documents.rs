//! The server's copy of every open document: its text, a `LineIndex` for position conversions,
//! and the version the client gave it.
//!
//! Why a `std::sync::Mutex` and not an async lock: tower-lsp(-server) polls notification handlers
//! concurrently, so two `didChange` handlers that each `.await` before touching the text can
//! apply their edits in the wrong order (tower-lsp issue #284) and the server's text silently
//! diverges from the editor's. Handlers are first polled in arrival order, so a handler that
//! applies its edit synchronously, before its first `.await`, keeps that order. A blocking lock
//! held only for the edit guarantees exactly that and cannot be held across an `.await` (the
//! guard is not `Send`, so the compiler refuses such a handler).
//!
//! Documents are kept behind `Arc`: a reader (a request, or analysis work on another task) takes
//! a snapshot by cloning the `Arc` and holds no lock while it works; an edit mutates in place
//! when nobody holds a snapshot and copies the document when somebody does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use line_index::LineIndex;
use tower_lsp_server::ls_types::{Range, TextDocumentContentChangeEvent, Uri};

use super::position::{self, PositionEncoding};
use crate::analysis::Language;
use crate::analysis::document::ParsedDocument;

/// `line-index` refuses (panics on) texts of 4 GiB or more; we refuse them first.
const MAX_DOCUMENT_BYTES: usize = u32::MAX as usize - 1;

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    index: LineIndex,
    version: i32,
    language_id: String,
    /// This text's parse, made by the first request that needs it and shared by every later
    /// one (diagnostics, completion, hover, ...), so a large file is parsed once per edit, not
    /// once per request. An edit clears it.
    parsed: OnceLock<Arc<ParsedDocument>>,
}

/// Why a document or an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// The text would reach 4 GiB, more than positions can address.
    TooLarge,
}

impl Document {
    /// A document with this text, or `TooLarge` past what positions can address.
    pub fn new(text: String, version: i32, language_id: String) -> Result<Self, DocumentError> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(DocumentError::TooLarge);
        }
        let index = LineIndex::new(&text);
        Ok(Self {
            text,
            index,
            version,
            language_id,
            parsed: OnceLock::new(),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.index
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn language_id(&self) -> &str {
        &self.language_id
    }

    /// The text parsed as `language`, parsed at most once per version. Requests on the same
    /// version that arrive while it is being parsed wait for that parse (they run on blocking
    /// threads, never on the message loop).
    pub fn parsed(&self, language: Language) -> Arc<ParsedDocument> {
        let parsed = self
            .parsed
            .get_or_init(|| Arc::new(ParsedDocument::parse(language, &self.text)));
        if parsed.language() == language {
            Arc::clone(parsed)
        } else {
            // A document's language follows its URI and language id, which do not change;
            // should it ever be asked for in another language, it is parsed, not mixed up.
            Arc::new(ParsedDocument::parse(language, &self.text))
        }
    }

    /// Replaces `range` (the whole text when `None`) with `new_text`. Positions are clamped as
    /// [`position::offset`] describes, so a stale or bogus range edits the nearest valid text
    /// instead of failing. `TooLarge` leaves the document as it was.
    pub fn apply_change(
        &mut self,
        range: Option<Range>,
        new_text: &str,
        encoding: PositionEncoding,
    ) -> Result<(), DocumentError> {
        let replaced = match range {
            Some(range) => position::offsets(&self.text, &self.index, range, encoding),
            None => 0..self.text.len(),
        };
        // `replaced` lies inside `text`, so the subtraction cannot underflow.
        let new_len = (self.text.len() - replaced.len()).saturating_add(new_text.len());
        if new_len > MAX_DOCUMENT_BYTES {
            return Err(DocumentError::TooLarge);
        }
        // Cannot panic: `offsets` returns an ordered range on character boundaries of `text`.
        self.text.replace_range(replaced, new_text);
        self.parsed = OnceLock::new();
        // Rebuilding is linear in the text, like the edit itself; an incremental index is an
        // optimisation for when benchmarks ask for it.
        self.index = LineIndex::new(&self.text);
        Ok(())
    }
}

/// All open documents, keyed by URI.
#[derive(Debug, Default)]
pub struct DocumentStore {
    documents: Mutex<HashMap<Uri, Arc<Document>>>,
}

impl DocumentStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// `didOpen`: stores the document, replacing any previous copy under the same URI.
    pub fn open(
        &self,
        uri: Uri,
        text: String,
        version: i32,
        language_id: String,
    ) -> Result<(), DocumentError> {
        let document = Document::new(text, version, language_id)?;
        self.lock().insert(uri, Arc::new(document));
        Ok(())
    }

    /// `didChange`: applies `changes` in order (each one's positions refer to the text the
    /// previous one left) and records `version`. Changes to a document that is not open are
    /// ignored: there is no text to apply them to. Returns whether the document is open.
    ///
    /// A refused change (`TooLarge`) is skipped and the following ones still apply; the version
    /// is recorded anyway, so that the version tracks the client's count of edits.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: PositionEncoding,
    ) -> bool {
        let mut documents = self.lock();
        let Some(document) = documents.get_mut(uri) else {
            return false;
        };
        let document = Arc::make_mut(document);
        for change in changes {
            // Nothing to report to: a notification has no response, and the only error is an
            // edit of several GiB that no editor sends.
            let _ = document.apply_change(change.range, &change.text, encoding);
        }
        document.version = version;
        true
    }

    /// `didClose`: forgets the document.
    pub fn close(&self, uri: &Uri) {
        self.lock().remove(uri);
    }

    /// The URIs of the open documents.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }

    /// A snapshot of the document, which later edits do not change.
    pub fn get(&self, uri: &Uri) -> Option<Arc<Document>> {
        self.lock().get(uri).cloned()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Arc<Document>>> {
        // A panic while the lock is held (caught by the handler guard) poisons it. Nothing done
        // under the lock panics on any input (positions are clamped, sizes checked before
        // `LineIndex::new`), so a poisoned lock means a bug elsewhere, and each document in the
        // map is still a consistent text/index pair: keep serving rather than fail every request.
        self.documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use tower_lsp_server::ls_types::Position;

    use super::*;

    fn uri(path: &str) -> Uri {
        Uri::from_str(&format!("file:///tmp/{path}")).expect("a valid test URI")
    }

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| {
                Range::new(Position::new(l1, c1), Position::new(l2, c2))
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    fn store_with(text: &str) -> (DocumentStore, Uri) {
        let store = DocumentStore::new();
        let uri = uri("a.lua");
        store
            .open(uri.clone(), text.to_owned(), 1, "lua".to_owned())
            .expect("a small document opens");
        (store, uri)
    }

    fn text_of(store: &DocumentStore, uri: &Uri) -> String {
        store
            .get(uri)
            .expect("the document is open")
            .text()
            .to_owned()
    }

    #[test]
    fn open_get_close() {
        let (store, uri) = store_with("local x = 1\n");
        let doc = store.get(&uri).expect("open");
        assert_eq!(doc.text(), "local x = 1\n");
        assert_eq!(doc.version(), 1);
        assert_eq!(doc.language_id(), "lua");
        store.close(&uri);
        assert!(store.get(&uri).is_none());
    }

    #[test]
    fn full_and_incremental_changes_apply_in_order() {
        let (store, uri) = store_with("héllo\nworld");
        let changes = [
            // "héllo" -> "hé😀llo": UTF-16 column 2 is after é.
            change(Some(((0, 2), (0, 2))), "😀"),
            // Positions of the second change see the first one: column 4 is after the emoji.
            change(Some(((0, 4), (0, 6))), "LL"),
            change(Some(((1, 0), (1, 5))), "there"),
        ];
        assert!(store.change(&uri, 2, &changes, PositionEncoding::Utf16));
        assert_eq!(text_of(&store, &uri), "hé😀LLo\nthere");
        assert_eq!(store.get(&uri).map(|d| d.version()), Some(2));

        assert!(store.change(
            &uri,
            3,
            &[change(None, "new text")],
            PositionEncoding::Utf16
        ));
        assert_eq!(text_of(&store, &uri), "new text");
        assert_eq!(store.get(&uri).map(|d| d.version()), Some(3));
    }

    #[test]
    fn utf8_changes_use_byte_columns() {
        let (store, uri) = store_with("é😀x");
        assert!(store.change(
            &uri,
            2,
            &[change(Some(((0, 6), (0, 7))), "y")],
            PositionEncoding::Utf8
        ));
        assert_eq!(text_of(&store, &uri), "é😀y");
    }

    #[test]
    fn out_of_range_changes_are_clamped() {
        let (store, uri) = store_with("ab\ncd");
        let changes = [
            change(Some(((0, 99), (0, 99))), "1"), // end of line 0
            change(Some(((99, 0), (99, 0))), "2"), // end of text
            change(Some(((1, 1), (0, 1))), "3"),   // inverted range
            change(Some(((u32::MAX, u32::MAX), (u32::MAX, 0))), "4"),
        ];
        assert!(store.change(&uri, 2, &changes, PositionEncoding::Utf16));
        assert_eq!(text_of(&store, &uri), "a3d24");
    }

    #[test]
    fn changes_to_unknown_documents_are_ignored() {
        let store = DocumentStore::new();
        assert!(!store.change(
            &uri("nope.lua"),
            2,
            &[change(None, "x")],
            PositionEncoding::Utf16
        ));
        assert!(store.get(&uri("nope.lua")).is_none());
    }

    #[test]
    fn snapshots_do_not_see_later_edits() {
        let (store, uri) = store_with("one");
        let before = store.get(&uri).expect("open");
        assert!(store.change(&uri, 2, &[change(None, "two")], PositionEncoding::Utf16));
        assert_eq!(before.text(), "one");
        assert_eq!(before.version(), 1);
        assert_eq!(text_of(&store, &uri), "two");
    }

    #[test]
    fn the_line_index_follows_the_text() {
        let (store, uri) = store_with("a");
        assert!(store.change(
            &uri,
            2,
            &[change(Some(((0, 1), (0, 1))), "\nb\nc")],
            PositionEncoding::Utf16
        ));
        let doc = store.get(&uri).expect("open");
        assert_eq!(
            position::offset(
                doc.text(),
                doc.line_index(),
                Position::new(2, 1),
                PositionEncoding::Utf16
            ),
            5
        );
    }
}
