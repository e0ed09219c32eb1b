// Running scripts from the editor: the "LLMSpell: Run Script" and "Stop Run" commands, the
// "LLMSpell Run" output channel that run output streams into, and the status bar item shown
// while a run is in flight (clicking it stops the run).
//
// Every run goes through the server's `llmspell.runScript` command, whichever way it starts:
// the palette command calls it like the server's "▶ Run" code lens does, and the language
// client's middleware (client.ts) hands both to `interceptRunScript`, so the trust check and
// the channel behave the same for both.

import * as vscode from 'vscode';

import {
  CATEGORY,
  COMMANDS,
  SERVER_COMMANDS,
  type RunScriptArgs,
  isRunScriptArgs,
  isRunScriptResult,
} from './commands';
import { baseName } from './format';
import { RunTracker, isRunOutputParams } from './runs';

/** The name of the output channel that shows run output. */
export const RUN_CHANNEL_NAME = 'LLMSpell Run';

/** The context key set while a run is in flight (package.json's `when` clauses use it). */
const RUNNING_CONTEXT = 'llmspell.running';

/** What the run controller needs to know about the language client. */
export interface ServerState {
  /** Whether the client is running, so the server's commands are registered. */
  isRunning(): boolean;
  /** Why a document is not a script the server handles, or undefined when it is one. */
  whyNotAScript(document: vscode.TextDocument): string | undefined;
}

export class RunController implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly tracker = new RunTracker();

  constructor(private readonly server: ServerState) {
    this.channel = vscode.window.createOutputChannel(RUN_CHANNEL_NAME);
    this.statusBar = vscode.window.createStatusBarItem('llmspell.run', vscode.StatusBarAlignment.Left, 10);
    this.statusBar.name = 'LLMSpell Run';
    this.statusBar.command = COMMANDS.stop.id;
  }

  dispose(): void {
    this.channel.dispose();
    this.statusBar.dispose();
  }

  /** "LLMSpell: Run Script": runs the active editor's document, saved or not. */
  async runActiveEditor(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(`${CATEGORY}: open a Lua or JavaScript script to run it.`);
      return;
    }
    if (!this.mayRun()) {
      return;
    }
    const why = this.server.whyNotAScript(editor.document);
    if (why !== undefined) {
      void vscode.window.showWarningMessage(`${CATEGORY}: ${why}`);
      return;
    }
    if (!this.server.isRunning()) {
      void vscode.window.showErrorMessage(
        `${CATEGORY}: the language server is not running, so the script cannot run. Run "${CATEGORY}: ${COMMANDS.restartServer.title}" after fixing the problem it reported.`,
      );
      return;
    }
    const args: RunScriptArgs = { uri: editor.document.uri.toString() };
    // The language client registered this command; it calls `interceptRunScript` on its way.
    await vscode.commands.executeCommand(SERVER_COMMANDS.runScript, args);
  }

  /**
   * The language client's middleware for `llmspell.runScript`, from the palette command or the
   * code lens: refuses in an untrusted workspace, else starts the run and shows the channel.
   */
  async interceptRunScript(args: unknown[], next: (args: unknown[]) => Promise<unknown>): Promise<unknown> {
    if (!this.mayRun()) {
      return undefined;
    }
    this.channel.show(true);
    let result: unknown;
    try {
      result = await next(args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`${CATEGORY}: the script could not start: ${message}`);
      return undefined;
    }
    if (isRunScriptResult(result)) {
      const first = args[0];
      const name = isRunScriptArgs(first) ? baseName(vscode.Uri.parse(first.uri).path) : `run ${result.runId}`;
      if (this.tracker.expect(result.runId, name)) {
        this.showRuns();
      }
    }
    return result;
  }

  /** "LLMSpell: Stop Run": stops the run given, the only run in flight, or one the user picks. */
  async stop(runId?: number): Promise<void> {
    const runs = this.tracker.inFlight();
    let target = typeof runId === 'number' ? runId : undefined;
    if (target === undefined) {
      if (runs.length === 0) {
        void vscode.window.showInformationMessage(`${CATEGORY}: no script is running.`);
        return;
      }
      if (runs.length === 1) {
        target = runs[0].runId;
      } else {
        const picked = await vscode.window.showQuickPick(
          runs.map((r) => ({ label: r.name, description: `run ${r.runId}`, runId: r.runId })),
          { placeHolder: 'Which run to stop?' },
        );
        if (!picked) {
          return;
        }
        target = picked.runId;
      }
    }
    if (!this.server.isRunning()) {
      return;
    }
    try {
      await vscode.commands.executeCommand(SERVER_COMMANDS.cancelRun, { runId: target });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`${CATEGORY}: could not stop the run: ${message}`);
    }
  }

  /** `llmspell/runOutput`: appends the event to the channel. */
  onRunOutput(params: unknown): void {
    if (!isRunOutputParams(params)) {
      return;
    }
    const update = this.tracker.handle(params);
    if (update.text !== '') {
      this.channel.append(update.text);
    }
    if (update.runsChanged) {
      this.showRuns();
    }
  }

  /** The server stopped (crashed, restarted, or the extension is shutting down). */
  onServerStopped(): void {
    const note = this.tracker.clear('The language server stopped');
    if (note !== '') {
      this.channel.append(note);
    }
    this.showRuns();
  }

  /** Whether runs are allowed here; says why not when they are not. */
  private mayRun(): boolean {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        `${CATEGORY}: scripts do not run in an untrusted workspace (Restricted Mode), because a script can call models, tools and the network. Trust the workspace to run it.`,
      );
      return false;
    }
    return true;
  }

  /** Updates the status bar item and the context key from the runs in flight. */
  private showRuns(): void {
    const runs = this.tracker.inFlight();
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, runs.length > 0);
    if (runs.length === 0) {
      this.statusBar.hide();
      return;
    }
    const label = runs.length === 1 ? runs[0].name : `${runs.length} scripts`;
    this.statusBar.text = `$(sync~spin) ${label}`;
    this.statusBar.tooltip = `${CATEGORY}: running ${runs.map((r) => r.name).join(', ')}. Click to stop.`;
    this.statusBar.show();
  }
}
