//! The language server (`llmspell lsp`): tower-lsp-server glue only. It converts between LSP
//! and our own types and schedules work; analysis lives in `crate::analysis` and never
//! sees LSP types.
//!
//! It keeps the documents in sync and answers completion, hover, signature help and pull
//! diagnostics (and pushes diagnostics after each change) from `crate::analysis`; a feature is
//! advertised only once it answers.
//!
//! Rules every handler here follows (DESIGN §6):
//! - document changes are applied synchronously at the very start of the handler, before any
//!   `.await`, because tower-lsp-server polls handlers concurrently (see `documents`);
//! - a notification handler never awaits a client *request* (its response could only arrive
//!   after handlers queued behind this one, which can deadlock the server);
//! - every handler runs its work through `guard`, so a panic becomes an error, not an exit;
//! - nothing is printed: stdout is the LSP channel.

mod analysis;
mod code_actions;
mod debug;
pub mod documents;
pub mod ext;
mod file_watch;
mod guard;
mod navigation;
pub mod position;
mod runs;
pub mod settings;
mod workspace_index;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeActionResponse, CodeLens, CodeLensOptions, CodeLensParams, CompletionOptions,
    CompletionParams, CompletionResponse, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, DocumentSymbolParams,
    DocumentSymbolResponse, ExecuteCommandOptions, ExecuteCommandParams,
    FullDocumentDiagnosticReport, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, InitializedParams, LSPAny,
    MessageType, OneOf, RelatedFullDocumentDiagnosticReport, ServerCapabilities, ServerInfo,
    SignatureHelp, SignatureHelpOptions, SignatureHelpParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, Uri, WorkspaceClientCapabilities,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use self::debug::{DocumentTextParams, DocumentTextResult};
use self::documents::DocumentStore;
use self::position::PositionEncoding;
use self::settings::ServerSettings;
use self::workspace_index::WorkspaceIndex;

pub use self::debug::TEST_HOOKS_ENV;

/// How many incoming messages tower-lsp-server polls at once (its default is 4). When that many
/// requests are pending, it stops reading input, so the next `didChange` (and `$/cancelRequest`)
/// waits behind slow requests. A higher limit keeps notifications flowing; heavy work is meant
/// to run in spawned tasks on document snapshots, so a pending request costs little but memory.
const CONCURRENCY_LEVEL: usize = 64;

/// How the server is started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Enables the test-only requests (`llmspell/debugPanic`); see `debug`.
    pub test_hooks: bool,
}

impl Options {
    /// Options for a server started from the command line: test hooks follow
    /// `LLMSPELL_LSP_TEST_HOOKS=1`.
    pub fn from_env() -> Self {
        Self {
            test_hooks: debug::test_hooks_from_env(),
        }
    }
}

/// Serves LSP on stdin/stdout until `exit` or the end of input, and returns the process exit
/// code: 0 if `shutdown` came before, 1 otherwise (as LSP specifies for `exit`), 2 if the async
/// runtime could not start.
pub fn serve_stdio(options: Options) -> i32 {
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    else {
        return 2;
    };
    let code = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout(), options));
    // Tokio reads stdin with a blocking read on a helper thread that cannot be cancelled: waiting
    // for it (as dropping the runtime does) would hang after `exit` until the client closes its
    // end of the pipe, which some clients never do.
    runtime.shutdown_background();
    code
}

/// Serves LSP on `input`/`output` until `exit` or the end of input; returns what `serve_stdio`
/// returns. Tests can run it over in-memory pipes.
pub async fn serve<I, O>(input: I, output: O, options: Options) -> i32
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    let backend_flag = Arc::clone(&shutdown_requested);
    let mut builder = LspService::build(move |client| Backend {
        client,
        documents: Arc::new(DocumentStore::new()),
        index: Arc::new(WorkspaceIndex::default()),
        roots: OnceLock::new(),
        encoding: OnceLock::new(),
        client_watches_files: OnceLock::new(),
        client_refreshes_code_lenses: OnceLock::new(),
        client_refreshes_diagnostics: OnceLock::new(),
        settings: Arc::new(Mutex::new(ServerSettings::default())),
        runs: Arc::new(runs::Runs::new()),
        shutdown_requested: backend_flag,
    })
    .custom_method(debug::DOCUMENT_TEXT, Backend::document_text)
    .custom_method(
        "window/workDoneProgress/cancel",
        Backend::progress_cancelled,
    );
    if options.test_hooks {
        builder = builder.custom_method(debug::DEBUG_PANIC, Backend::debug_panic);
    }
    let (service, socket) = builder.finish();
    Server::new(input, output, socket)
        .concurrency_level(CONCURRENCY_LEVEL)
        .serve(service)
        .await;
    if shutdown_requested.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

/// The server state shared by all handlers.
struct Backend {
    client: Client,
    documents: Arc<DocumentStore>,
    /// What the workspace's scripts register by name; see `workspace_index`.
    index: Arc<WorkspaceIndex>,
    /// The workspace folders, set once by `initialize`.
    roots: OnceLock<Vec<std::path::PathBuf>>,
    /// Set once by `initialize`; tower-lsp-server processes nothing else until `initialize` has
    /// answered, so every later handler sees it. Unset means the LSP default, UTF-16.
    encoding: OnceLock<PositionEncoding>,
    /// Whether the client can watch files for the server (see `file_watch`), set by
    /// `initialize`.
    client_watches_files: OnceLock<bool>,
    /// Whether the client asks again for code lenses when told to, set by `initialize`.
    client_refreshes_code_lenses: OnceLock<bool>,
    /// Whether the client pulls its diagnostics again when told to, set by `initialize`.
    client_refreshes_diagnostics: OnceLock<bool>,
    /// What the editor's settings say; see `settings`.
    settings: Arc<Mutex<ServerSettings>>,
    /// Scripts run from the editor; see `runs`.
    runs: Arc<runs::Runs>,
    shutdown_requested: Arc<AtomicBool>,
}

impl Backend {
    fn encoding(&self) -> PositionEncoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    /// Reports a panic caught in a notification handler, which has no response to carry it.
    /// `log_message` only queues a notification to the client: it awaits no response.
    async fn report(&self, outcome: std::result::Result<(), String>) {
        if let Err(message) = outcome {
            self.client.log_message(MessageType::ERROR, message).await;
        }
    }

    fn initialize_result(&self, params: &InitializeParams) -> InitializeResult {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref());
        let encoding = PositionEncoding::negotiate(offered);
        // `initialize` runs once (tower-lsp-server refuses a second one), so these always set.
        let _ = self.encoding.set(encoding);
        let _ = self.roots.set(workspace_roots(params));
        let _ = self
            .client_watches_files
            .set(file_watch::client_can_watch(params));
        let _ = self
            .client_refreshes_code_lenses
            .set(workspace_capability(params, |w| {
                w.code_lens.as_ref()?.refresh_support
            }));
        let _ = self
            .client_refreshes_diagnostics
            .set(workspace_capability(params, |w| {
                w.diagnostics.as_ref()?.refresh_support
            }));
        self.runs.initialize(params);
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        [".", ":", "\"", "{", ","]
                            .iter()
                            .map(|c| (*c).to_owned())
                            .collect(),
                    ),
                    ..CompletionOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                // `(` and `,` move between arguments; `{` opens a table call (`Agent.create{`).
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(
                        ["(", ",", "{"].iter().map(|c| (*c).to_owned()).collect(),
                    ),
                    ..SignatureHelpOptions::default()
                }),
                document_symbol_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![ext::RUN_SCRIPT.to_owned(), ext::CANCEL_RUN.to_owned()],
                    ..ExecuteCommandOptions::default()
                }),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                definition_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(
                    DiagnosticOptions {
                        identifier: Some("llmspell".to_owned()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "llmspell".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        }
    }

    /// Analyses the document as it is now, off the message loop, and publishes its diagnostics
    /// unless it changed meanwhile (then the newer change publishes its own).
    fn publish_diagnostics(&self, uri: Uri) {
        self.refresher().publish(uri);
    }

    /// Takes the settings the editor sent, or keeps the current ones and says why not.
    fn apply_settings(&self, sent: &LSPAny) -> std::result::Result<(), String> {
        let settings = ServerSettings::from_editor(sent).map_err(|e| {
            format!(
                "llmspell: the editor's settings were not applied (the previous ones stay): {e}"
            )
        })?;
        *lock_settings(&self.settings) = settings;
        Ok(())
    }

    /// What publishing diagnostics needs, detached from `self` for spawned tasks.
    fn refresher(&self) -> Refresher {
        Refresher {
            settings: Arc::clone(&self.settings),
            refresh_pulls: self.client_refreshes_diagnostics.get() == Some(&true),
            client: self.client.clone(),
            documents: Arc::clone(&self.documents),
            index: Arc::clone(&self.index),
            runs: Arc::clone(&self.runs),
            encoding: self.encoding(),
        }
    }

    /// `llmspell/documentText`: see `debug`.
    async fn document_text(&self, params: DocumentTextParams) -> Result<DocumentTextResult> {
        guard::request_sync(debug::DOCUMENT_TEXT, || {
            let document = self.documents.get(&params.uri).ok_or_else(|| {
                Error::invalid_params(format!("document not open: {}", params.uri.as_str()))
            })?;
            Ok(DocumentTextResult {
                text: document.text().to_owned(),
                version: document.version(),
            })
        })
    }

    /// `llmspell/debugPanic`: see `debug`. Panics after an `.await`, to show that the guard
    /// also catches panics in later polls of a handler, not only in its synchronous start.
    async fn debug_panic(&self) -> Result<()> {
        guard::request(debug::DEBUG_PANIC, async {
            tokio::task::yield_now().await;
            panic!("llmspell/debugPanic was called (a test hook)");
        })
        .await
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let result = guard::request_sync("initialize", || Ok(self.initialize_result(&params)));
        let sent = params.initialization_options.unwrap_or(LSPAny::Null);
        if let Err(message) = self.apply_settings(&sent) {
            self.client.log_message(MessageType::WARNING, message).await;
        }
        result
    }

    /// Indexes the workspace's scripts off the message loop, then refreshes the diagnostics of
    /// the open documents, which may name tools that other files register.
    async fn initialized(&self, _: InitializedParams) {
        if self.client_watches_files.get() == Some(&true) {
            // A request to the client, so it is not awaited here: a notification handler that
            // waits on the client can deadlock the message loop.
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client
                    .register_capability(vec![file_watch::registration()])
                    .await;
            });
        }
        let roots = self.roots.get().cloned().unwrap_or_default();
        let index = Arc::clone(&self.index);
        let encoding = self.encoding();
        let backend = self.refresher();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let indexed = tokio::task::spawn_blocking(move || {
                roots
                    .iter()
                    .map(|root| index.index_folder(root, encoding))
                    .sum::<usize>()
            })
            .await;
            if let Ok(files) = indexed {
                backend.refresh_all();
                // Said once per session, so a user (and the benchmark) can tell when names
                // registered in other files are known.
                let message = format!(
                    "{INDEX_BUILT_MESSAGE}: {files} script files in {} ms",
                    started.elapsed().as_millis()
                );
                backend.client.log_message(MessageType::INFO, message).await;
            }
        });
    }

    async fn shutdown(&self) -> Result<()> {
        guard::request_sync("shutdown", || {
            self.shutdown_requested.store(true, Ordering::SeqCst);
            self.runs.stop_all();
            Ok(())
        })
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // Synchronously, before any `.await`: see `documents`.
        let outcome = guard::notification("textDocument/didOpen", || {
            let document = params.text_document;
            // A refused document (4 GiB or more) stays unopened; its later changes are ignored.
            let _ = self.documents.open(
                document.uri.clone(),
                document.text,
                document.version,
                document.language_id,
            );
            self.publish_diagnostics(document.uri);
        });
        self.report(outcome).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Synchronously, before any `.await`: see `documents`.
        let outcome = guard::notification("textDocument/didChange", || {
            self.documents.change(
                &params.text_document.uri,
                params.text_document.version,
                &params.content_changes,
                self.encoding(),
            );
            // A run's error describes the text that ran, not this one.
            self.runs.clear_error(&params.text_document.uri);
            self.publish_diagnostics(params.text_document.uri.clone());
        });
        self.report(outcome).await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let snapshot = self.documents.get(&at.text_document.uri);
        let encoding = self.encoding();
        let index = Arc::clone(&self.index);
        guard::request("textDocument/completion", async move {
            let Some(document) = snapshot else {
                return Ok(None);
            };
            let Some(language) = analysis::language_of(&document, at.text_document.uri.as_str())
            else {
                return Ok(None);
            };
            let items = analysis::off_loop(document, move |d| {
                let uri = at.text_document.uri.as_str();
                let extra_tools = index.tools_outside(uri);
                analysis::completions(d, uri, language, at.position, encoding, extra_tools)
            })
            .await
            .unwrap_or_default();
            Ok(Some(CompletionResponse::Array(items)))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let snapshot = self.documents.get(&at.text_document.uri);
        let encoding = self.encoding();
        guard::request("textDocument/hover", async move {
            let Some(document) = snapshot else {
                return Ok(None);
            };
            let Some(language) = analysis::language_of(&document, at.text_document.uri.as_str())
            else {
                return Ok(None);
            };
            Ok(analysis::off_loop(document, move |d| {
                analysis::hover(d, language, at.position, encoding)
            })
            .await
            .flatten())
        })
        .await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let at = params.text_document_position_params;
        let snapshot = self.documents.get(&at.text_document.uri);
        let encoding = self.encoding();
        guard::request("textDocument/signatureHelp", async move {
            let Some(document) = snapshot else {
                return Ok(None);
            };
            let Some(language) = analysis::language_of(&document, at.text_document.uri.as_str())
            else {
                return Ok(None);
            };
            Ok(analysis::off_loop(document, move |d| {
                analysis::signature_help(d, language, at.position, encoding)
            })
            .await
            .flatten())
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let snapshot = self.documents.get(&uri);
        let encoding = self.encoding();
        let index = Arc::clone(&self.index);
        let run_error = snapshot
            .as_ref()
            .and_then(|d| self.runs.error_diagnostic(&uri, d, encoding));
        let diagnostics_enabled = lock_settings(&self.settings).diagnostics.enable;
        guard::request("textDocument/diagnostic", async move {
            let items = match snapshot {
                Some(document) => match analysis::language_of(&document, uri.as_str()) {
                    Some(language) => {
                        let path = uri.as_str().to_owned();
                        let extra_tools = index.tools_outside(&path);
                        analysis::off_loop(document, move |d| {
                            analysis::diagnostics_and_symbols(
                                d,
                                &path,
                                language,
                                encoding,
                                extra_tools,
                            )
                            .0
                        })
                        .await
                        .unwrap_or_default()
                    }
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            let items: Vec<_> = items
                .into_iter()
                .filter(|_| diagnostics_enabled)
                .chain(run_error)
                .collect();
            Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: None,
                        items,
                    },
                }),
            ))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.document_symbols(params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.definition(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.quick_fixes(params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.code_lenses(params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        guard::request("workspace/executeCommand", self.run_command(params)).await
    }

    /// New settings: the open documents' diagnostics are published again (or cleared) and the
    /// client asked for code lenses again.
    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let mut warning = None;
        let outcome = guard::notification("workspace/didChangeConfiguration", || {
            if let Err(message) = self.apply_settings(&params.settings) {
                warning = Some(message);
                return;
            }
            self.refresher().refresh_all();
            if self.client_refreshes_code_lenses.get() == Some(&true) {
                // A request to the client: not awaited here (see `initialized`).
                let client = self.client.clone();
                tokio::spawn(async move {
                    let _ = client.code_lens_refresh().await;
                });
            }
        });
        if let Some(message) = warning {
            self.client.log_message(MessageType::WARNING, message).await;
        }
        self.report(outcome).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let outcome = guard::notification("workspace/didChangeWatchedFiles", || {
            self.watched_files_changed(params);
        });
        self.report(outcome).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let outcome = guard::notification("textDocument/didClose", || {
            let uri = &params.text_document.uri;
            self.documents.close(uri);
            // The buffer may have been left unsaved: the index goes back to the file on disk.
            if let Some(path) = analysis::file_path(uri.as_str()) {
                let index = Arc::clone(&self.index);
                let uri = uri.as_str().to_owned();
                let encoding = self.encoding();
                tokio::task::spawn_blocking(move || index.update_from_disk(&uri, &path, encoding));
            }
            self.runs.clear_error(uri);
        });
        self.report(outcome).await;
        // Findings of a buffer closed unsaved would otherwise stay in the client's problem
        // list. (A publication still under way for it sees the document gone and drops out.)
        self.client
            .publish_diagnostics(params.text_document.uri, Vec::new(), None)
            .await;
    }
}

/// The workspace folders the client names, else its root URI.
fn workspace_roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let mut roots: Vec<std::path::PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| analysis::file_path(f.uri.as_str()))
        .collect();
    #[allow(deprecated)] // `root_uri` is what older clients send instead of workspace folders.
    if roots.is_empty()
        && let Some(root) = params.root_uri.as_ref()
    {
        roots.extend(analysis::file_path(root.as_str()));
    }
    roots
}

/// The start of the `window/logMessage` sent once the workspace index is built.
pub const INDEX_BUILT_MESSAGE: &str = "llmspell: workspace indexed";

/// Publishes diagnostics from spawned tasks: after an edit, and for every open document once
/// the workspace index is built.
#[derive(Clone)]
struct Refresher {
    settings: Arc<Mutex<ServerSettings>>,
    /// Whether to ask the client to pull its diagnostics again after a refresh of them all.
    refresh_pulls: bool,
    client: Client,
    documents: Arc<DocumentStore>,
    index: Arc<WorkspaceIndex>,
    runs: Arc<runs::Runs>,
    encoding: PositionEncoding,
}

impl Refresher {
    /// Analyses the document as it is now, off the message loop, and publishes its diagnostics
    /// unless it changed meanwhile (then the newer change publishes its own).
    fn publish(&self, uri: Uri) {
        let Some(document) = self.documents.get(&uri) else {
            return;
        };
        let Some(language) = analysis::language_of(&document, uri.as_str()) else {
            return;
        };
        let client = self.client.clone();
        let documents = Arc::clone(&self.documents);
        let encoding = self.encoding;
        let version = document.version();
        let path = uri.as_str().to_owned();
        let index = Arc::clone(&self.index);
        let refresher = self.clone();
        let snapshot = Arc::clone(&document);
        let is_current = {
            let documents = Arc::clone(&documents);
            let uri = uri.clone();
            move || documents.get(&uri).map(|d| d.version()) == Some(version)
        };
        tokio::spawn(async move {
            let found = analysis::off_loop(document, move |d| {
                // While someone types, edits arrive faster than a large file parses: a version
                // already replaced when its turn comes is skipped, so the work goes to the
                // newest text instead of queueing behind stale ones.
                if !is_current() {
                    return None;
                }
                let extra_tools = index.tools_outside(&path);
                let (diagnostics, symbols) =
                    analysis::diagnostics_and_symbols(d, &path, language, encoding, extra_tools);
                index.update(&path, d, &symbols, encoding);
                Some(diagnostics)
            })
            .await
            .flatten()
            .map(|mut found| {
                // The analysis still ran: the workspace index follows every edit.
                if !lock_settings(&refresher.settings).diagnostics.enable {
                    found.clear();
                }
                found.extend(refresher.run_diagnostic(&uri, &snapshot));
                found
            });
            let current = documents.get(&uri).map(|d| d.version());
            if let (Some(found), Some(current)) = (found, current)
                && current == version
            {
                client.publish_diagnostics(uri, found, Some(version)).await;
            }
        });
    }

    /// Publishes every open document's diagnostics again and, when the client pulls them too,
    /// asks it to pull again: what changed (the workspace's tools, a config file, the settings)
    /// is not an edit, so a pulling client would not ask by itself.
    fn refresh_all(&self) {
        for uri in self.documents.uris() {
            self.publish(uri);
        }
        if self.refresh_pulls {
            // A request to the client, so it is not awaited here (see `initialized`).
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
    }
}

/// Whether the client says yes to the workspace capability `pick` reads (absent means no).
fn workspace_capability(
    params: &InitializeParams,
    pick: impl Fn(&WorkspaceClientCapabilities) -> Option<bool>,
) -> bool {
    params.capabilities.workspace.as_ref().and_then(pick) == Some(true)
}

/// The settings, even after a panic elsewhere poisoned their lock: a plain value that every
/// writer replaces whole cannot be left half-written.
fn lock_settings(settings: &Mutex<ServerSettings>) -> std::sync::MutexGuard<'_, ServerSettings> {
    settings
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
