// The extension's entry point: wires the language client, the run controller and the commands,
// and restarts the client when the server settings or the folders holding an llmspell.toml
// change.

import * as vscode from 'vscode';

import { ClientManager } from './client';
import { COMMANDS } from './commands';
import { RunController } from './run';
import { CONFIG_GLOB } from './roots';
import { affectsServer } from './settings';

/** How long to wait for more config-file changes before looking at the folders again. */
const ROOTS_DEBOUNCE_MS = 300;

let manager: ClientManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const clients = new ClientManager();
  manager = clients;
  const runs = new RunController(clients);
  clients.setRunController(runs);
  context.subscriptions.push(clients, runs);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.run.id, () => runs.runActiveEditor()),
    vscode.commands.registerCommand(COMMANDS.stop.id, (runId?: unknown) =>
      runs.stop(typeof runId === 'number' ? runId : undefined),
    ),
    vscode.commands.registerCommand(COMMANDS.restartServer.id, () => clients.restart(true)),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsServer((key) => event.affectsConfiguration(key))) {
        void clients.restart(false);
      }
    }),
  );

  // A new or deleted llmspell.toml changes which files are scripts; a burst of changes (a git
  // checkout) is looked at once.
  let timer: NodeJS.Timeout | undefined;
  const rootsMayHaveChanged = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void clients.refreshRoots(), ROOTS_DEBOUNCE_MS);
  };
  const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB, false, true, false);
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate(rootsMayHaveChanged),
    watcher.onDidDelete(rootsMayHaveChanged),
    vscode.workspace.onDidChangeWorkspaceFolders(rootsMayHaveChanged),
    { dispose: () => clearTimeout(timer) },
  );

  await clients.start();
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}
