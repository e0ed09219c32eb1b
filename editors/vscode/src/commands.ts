// The extension's own commands and the server's, listed once. package.json's
// `contributes.commands` must declare exactly COMMANDS (test/commands.test.ts checks it).
//
// This module must not import `vscode`, so that the unit tests can load it outside the editor.

/** The commands the extension contributes (the command palette shows "LLMSpell: <title>"). */
export const COMMANDS = {
  run: { id: 'llmspell.run', title: 'Run Script' },
  stop: { id: 'llmspell.stop', title: 'Stop Run' },
  restartServer: { id: 'llmspell.restartServer', title: 'Restart Server' },
} as const;

/** The palette's category of every command in COMMANDS. */
export const CATEGORY = 'LLMSpell';

/**
 * The server's `workspace/executeCommand` commands (docs/lsp-extensions.md). vscode-languageclient
 * registers a VS Code command under each of these names that forwards to the server, which is
 * what the server's "▶ Run" code lens invokes; so none of COMMANDS may reuse these names, or
 * registering either would fail with "command already exists".
 */
export const SERVER_COMMANDS = {
  runScript: 'llmspell.runScript',
  cancelRun: 'llmspell.cancelRun',
} as const;

/** The server's notification carrying one event of a run. */
export const RUN_OUTPUT_NOTIFICATION = 'llmspell/runOutput';

/** The argument of `llmspell.runScript`. */
export interface RunScriptArgs {
  readonly uri: string;
  readonly args?: readonly string[];
}

/** The result of `llmspell.runScript`. */
export interface RunScriptResult {
  readonly runId: number;
}

/** The argument of `llmspell.cancelRun`. */
export interface CancelRunArgs {
  readonly runId: number;
}

/** The result of `llmspell.cancelRun`. */
export interface CancelRunResult {
  readonly cancelled: boolean;
}

/** Whether `value` is a `llmspell.runScript` result. */
export function isRunScriptResult(value: unknown): value is RunScriptResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { runId?: unknown }).runId === 'number'
  );
}

/** Whether `value` is a `llmspell.runScript` argument (the code lens passes one). */
export function isRunScriptArgs(value: unknown): value is RunScriptArgs {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { uri?: unknown }).uri === 'string'
  );
}
