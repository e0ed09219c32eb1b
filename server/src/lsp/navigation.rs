//! Document symbols and go to definition: LSP conversion of `analysis::symbols` and
//! `analysis::definition`, with tool and agent names resolved through the workspace index.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Location, SymbolKind as LspSymbolKind,
};

use super::analysis::{self, language_of, text_range};
use super::{Backend, guard, position};
use crate::analysis::definition::Definition;
use crate::analysis::symbols::SymbolKind;

impl Backend {
    pub(super) async fn document_symbols(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let snapshot = self.documents.get(&uri);
        let encoding = self.encoding();
        guard::request("textDocument/documentSymbol", async move {
            let Some(document) = snapshot else {
                return Ok(None);
            };
            let Some(language) = language_of(&document, uri.as_str()) else {
                return Ok(None);
            };
            let symbols = analysis::off_loop(document, move |d| {
                d.parsed(language)
                    .symbols()
                    .into_iter()
                    .map(|s| {
                        let detail = match s.kind {
                            SymbolKind::Agent => "agent",
                            SymbolKind::Tool => "tool",
                            SymbolKind::Workflow => "workflow",
                            SymbolKind::Function => "function",
                        };
                        #[allow(deprecated)] // `deprecated` is a required field of the struct.
                        DocumentSymbol {
                            name: s.name,
                            detail: Some(detail.to_owned()),
                            kind: match s.kind {
                                SymbolKind::Agent | SymbolKind::Workflow => LspSymbolKind::OBJECT,
                                SymbolKind::Tool => LspSymbolKind::FUNCTION,
                                SymbolKind::Function => LspSymbolKind::FUNCTION,
                            },
                            tags: None,
                            deprecated: None,
                            range: text_range(d, s.range, encoding),
                            selection_range: text_range(d, s.selection, encoding),
                            children: None,
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
            Ok(Some(DocumentSymbolResponse::Nested(symbols)))
        })
        .await
    }

    pub(super) async fn definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let snapshot = self.documents.get(&at.text_document.uri);
        let encoding = self.encoding();
        let index = std::sync::Arc::clone(&self.index);
        guard::request("textDocument/definition", async move {
            let Some(document) = snapshot else {
                return Ok(None);
            };
            let uri = at.text_document.uri;
            let Some(language) = language_of(&document, uri.as_str()) else {
                return Ok(None);
            };
            let found = analysis::off_loop(document, move |d| {
                let offset = position::offset(d.text(), d.line_index(), at.position, encoding);
                match d.parsed(language).definition(offset)? {
                    Definition::Local(range) => Some(vec![Location {
                        uri,
                        range: text_range(d, range, encoding),
                    }]),
                    Definition::Tool(name) => Some(index.find(SymbolKind::Tool, &name)),
                    Definition::Agent(name) => Some(index.find(SymbolKind::Agent, &name)),
                }
            })
            .await
            .flatten();
            Ok(match found {
                Some(locations) if !locations.is_empty() => {
                    Some(GotoDefinitionResponse::Array(locations))
                }
                _ => None,
            })
        })
        .await
    }
}
