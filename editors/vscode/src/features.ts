// Adjustments to what the language client tells the server it supports, and to what it uses of
// the server's capabilities. Each is a StaticFeature registered after the built-in features, so
// it sees (and changes) what they filled in.

import type {
  ClientCapabilities,
  FeatureState,
  ServerCapabilities,
  StaticFeature,
} from 'vscode-languageclient/node';

/**
 * Turns off work-done progress. The server reports each run as progress when the client supports
 * it, and VS Code shows cancellable progress as a notification toast; this extension already
 * shows runs in the status bar and the "LLMSpell Run" channel, with a stop button, so the toast
 * would only repeat them.
 */
export class NoProgressFeature implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    if (capabilities.window) {
      capabilities.window.workDoneProgress = false;
    }
  }
  initialize(): void {}
  getState(): FeatureState {
    return { kind: 'static' };
  }
  clear(): void {}
}

/**
 * Uses pushed diagnostics only. The server publishes diagnostics after every edit, after a run
 * and when watched files change, and also answers pull requests; vscode-languageclient shows
 * the two sets side by side, so every problem would be listed twice. The pushed set is the
 * complete one (the server sends no `workspace/diagnostic/refresh`, so pulled results would go
 * stale after a run or a change on disk). The client therefore says it cannot pull, so a server
 * that pushes only to such clients still pushes, and ignores the server's pull provider.
 */
export class PushDiagnosticsOnlyFeature implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    delete capabilities.textDocument?.diagnostic;
    delete capabilities.workspace?.diagnostics;
  }
  preInitialize(capabilities: ServerCapabilities): void {
    delete capabilities.diagnosticProvider;
  }
  initialize(): void {}
  getState(): FeatureState {
    return { kind: 'static' };
  }
  clear(): void {}
}
