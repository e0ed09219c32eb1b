// The language client: starts `llmspell lsp` for the Lua and JavaScript files under folders that
// hold an `llmspell.toml`, restarts it when those folders or the server settings change, and
// routes the server's run commands and notifications to the run controller.

import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, State } from 'vscode-languageclient/node';

import { CATEGORY, RUN_OUTPUT_NOTIFICATION, SERVER_COMMANDS } from './commands';
import { NoProgressFeature, PushDiagnosticsOnlyFeature } from './features';
import type { RunController, ServerState } from './run';
import {
  CONFIG_FILE,
  CONFIG_GLOB,
  CONFIG_SEARCH_EXCLUDE,
  SCRIPT_LANGUAGES,
  rootsOf,
  sameRoots,
  scriptRootOf,
  scriptSelector,
} from './roots';
import { defaultContext, findServer } from './serverPath';
import { SECTION, SETTINGS, readServerSettings, serverInitializationOptions } from './settings';
import { TraceChannel } from './trace';

/** The client's id: vscode-languageclient reads `<id>.trace.server` for how much to trace. */
const CLIENT_ID = 'llmspell';
const CLIENT_NAME = 'LLMSpell';

/** The context key set while the client runs (package.json's `when` clauses use it). */
const ACTIVE_CONTEXT = 'llmspell.active';

/** At most this many config files are searched for; more would make the selector unwieldy. */
const MAX_CONFIG_FILES = 500;

export class ClientManager implements ServerState, vscode.Disposable {
  private client: LanguageClient | undefined;
  /** The folders whose scripts the running client serves. */
  private roots: string[] = [];
  /** Serialises start, stop and restart, which each await the client. */
  private queue: Promise<void> = Promise.resolve();
  private readonly outputChannel: vscode.LogOutputChannel;
  private readonly traceChannel: TraceChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private run: RunController | undefined;

  constructor() {
    // One channel for every client this manager starts, so a restart does not add another.
    this.outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
    this.traceChannel = new TraceChannel();
    this.disposables.push(this.outputChannel, this.traceChannel);
  }

  /** Connects the run controller, which needs this manager too. */
  setRunController(run: RunController): void {
    this.run = run;
  }

  isRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  whyNotAScript(document: vscode.TextDocument): string | undefined {
    const { scheme, fsPath } = document.uri;
    const name = vscode.workspace.asRelativePath(document.uri);
    if (!(SCRIPT_LANGUAGES as readonly string[]).includes(document.languageId)) {
      return `${name} is not a Lua or JavaScript script.`;
    }
    if (scheme !== 'file') {
      return `save ${name} in a folder with an ${CONFIG_FILE} (or below one) to run it.`;
    }
    if (scriptRootOf({ scheme, fsPath, languageId: document.languageId }, this.roots) === undefined) {
      return `${name} is not in a folder with an ${CONFIG_FILE} (or below one), so llmspell does not handle it.`;
    }
    return undefined;
  }

  /** Starts the client if the workspace has llmspell scripts and the server can be found. */
  start(): Promise<void> {
    return this.enqueue(() => this.doStart(false));
  }

  /** Stops the client and starts it again with the current settings and folders. */
  restart(explicit: boolean): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart(explicit);
    });
  }

  /** Restarts the client when the folders holding an llmspell.toml changed. */
  refreshRoots(): Promise<void> {
    return this.enqueue(async () => {
      const roots = await findRoots();
      if (sameRoots(roots, this.roots) && (this.client !== undefined || roots.length === 0)) {
        return;
      }
      await this.doStop();
      await this.doStart(false, roots);
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    // A failed step must not stop the ones after it; each reports its own failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Starts the client. `explicit`: the user asked for it (Restart Server), so a workspace without
   * llmspell scripts is reported too; otherwise it is normal (the extension also activates on any
   * Lua or JavaScript file) and stays quiet.
   */
  private async doStart(explicit: boolean, knownRoots?: string[]): Promise<void> {
    const roots = knownRoots ?? (await findRoots());
    this.roots = roots;
    if (roots.length === 0) {
      if (explicit) {
        void vscode.window.showInformationMessage(
          `${CATEGORY}: no ${CONFIG_FILE} in this workspace, so the language server was not started. llmspell scripts live in a folder with an ${CONFIG_FILE} (or below one).`,
        );
      }
      return;
    }

    const config = vscode.workspace.getConfiguration();
    const settings = readServerSettings((key) => config.get(key));
    const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const lookup = findServer(defaultContext(settings.path, baseDir));
    if (lookup.kind !== 'found') {
      this.outputChannel.error(lookup.message);
      const openSettings = 'Open Settings';
      void vscode.window.showErrorMessage(`${CATEGORY}: ${lookup.message}`, openSettings).then((choice) => {
        if (choice === openSettings) {
          void vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS.serverPath.key);
        }
      });
      return;
    }
    this.outputChannel.info(`Starting ${lookup.command} lsp (found via ${lookup.from}) for ${roots.join(', ')}`);

    const serverOptions: ServerOptions = {
      command: lookup.command,
      args: ['lsp', ...settings.extraArgs],
      options: { cwd: roots[0] },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: scriptSelector(roots, (dir) => vscode.Uri.file(dir).toString()),
      outputChannel: this.outputChannel,
      traceOutputChannel: this.traceChannel,
      // The server's settings at start, and the `llmspell` section again whenever it changes.
      initializationOptions: () => serverInitializationOptions((key) => config.get(key)),
      synchronize: { configurationSection: SECTION },
      middleware: {
        executeCommand: async (command, args: unknown[], next): Promise<unknown> => {
          if (command === SERVER_COMMANDS.runScript && this.run) {
            return this.run.interceptRunScript(args, async (a): Promise<unknown> => (await next(command, a)) as unknown);
          }
          return (await next(command, args)) as unknown;
        },
        provideCodeLenses: async (document, token, next) => {
          const lenses = await next(document, token);
          // No "▶ Run" where scripts may not run: it would only lead to a refusal.
          if (!vscode.workspace.isTrusted && lenses) {
            return lenses.filter((lens) => lens.command?.command !== SERVER_COMMANDS.runScript);
          }
          return lenses;
        },
      },
    };

    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client.registerFeature(new NoProgressFeature());
    client.registerFeature(new PushDiagnosticsOnlyFeature());
    client.onNotification(RUN_OUTPUT_NOTIFICATION, (params: unknown) => this.run?.onRunOutput(params));
    client.onDidChangeState((event) => {
      if (event.oldState === State.Running && event.newState !== State.Running) {
        this.run?.onServerStopped();
      }
    });
    this.client = client;
    try {
      await client.start();
      void vscode.commands.executeCommand('setContext', ACTIVE_CONTEXT, true);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.outputChannel.error(`The language server did not start: ${message}`);
      void vscode.window.showErrorMessage(
        `${CATEGORY}: the language server (${lookup.command} lsp) did not start: ${message}`,
      );
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    void vscode.commands.executeCommand('setContext', ACTIVE_CONTEXT, false);
    try {
      if (client.isRunning()) {
        // A server that does not answer shutdown within 2 s is killed.
        await client.stop(2000);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.outputChannel.warn(`Stopping the language server: ${message}`);
    }
    try {
      await client.dispose();
    } catch {
      // Already stopped: disposing only releases its resources.
    }
    this.run?.onServerStopped();
  }
}

/** The folders (outermost first) that hold an llmspell.toml, in every workspace folder. */
async function findRoots(): Promise<string[]> {
  const files = await vscode.workspace.findFiles(CONFIG_GLOB, CONFIG_SEARCH_EXCLUDE, MAX_CONFIG_FILES);
  return rootsOf(files.filter((f) => f.scheme === 'file').map((f) => f.fsPath));
}
