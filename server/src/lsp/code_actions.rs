//! Quick fixes: the corrections the diagnostic rules are sure of (a did-you-mean name, `.` to
//! `:` in Lua), offered for the findings under the requested range.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, WorkspaceEdit,
};

use super::analysis::{self, language_of, text_range, to_lsp_diagnostics};
use super::{Backend, guard};

impl Backend {
    pub(super) async fn quick_fixes(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let snapshot = self.documents.get(&uri);
        let encoding = self.encoding();
        let index = std::sync::Arc::clone(&self.index);
        let wanted = params.range;
        guard::request("textDocument/codeAction", async move {
            let Some(document) = snapshot else {
                return Ok(None);
            };
            let Some(language) = language_of(&document, uri.as_str()) else {
                return Ok(None);
            };
            let actions = analysis::off_loop(document, move |d| {
                let extra_tools = index.tools_outside(uri.as_str());
                let findings = analysis::findings(d, uri.as_str(), language, extra_tools);
                let mut actions = Vec::new();
                for finding in findings {
                    let Some(fix) = finding.fix.clone() else {
                        continue;
                    };
                    let range = text_range(d, finding.range, encoding);
                    // Only the findings the request's range touches.
                    if range.end < wanted.start || wanted.end < range.start {
                        continue;
                    }
                    let edits = fix
                        .edits
                        .iter()
                        .map(|(r, text)| TextEdit {
                            range: text_range(d, *r, encoding),
                            new_text: text.clone(),
                        })
                        .collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.title,
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(to_lsp_diagnostics(d, vec![finding], encoding)),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(uri.clone(), edits)])),
                            ..WorkspaceEdit::default()
                        }),
                        is_preferred: Some(true),
                        ..CodeAction::default()
                    }));
                }
                actions
            })
            .await
            .unwrap_or_default();
            Ok(Some(actions))
        })
        .await
    }
}
