// The extension's settings, listed once. package.json's `contributes.configuration` must declare
// exactly these (test/settings.test.ts compares them field by field), so a setting cannot be
// read here without being documented in the Settings UI, or documented without being read.
//
// Two kinds: the extension's own (how to start the server, how much of its traffic to trace),
// and the server's (`readBy: 'server'`), which say what the editor shows (diagnostics, the run
// code lens). The server defines the latter (server/src/lsp/settings.rs) and a Rust test
// writes their package.json entries from that definition; what a script may do and how it is
// judged stays in `llmspell.toml`.
//
// This module must not import `vscode`, so that the unit tests can load it outside the editor.

/** How one setting is declared in package.json. */
export interface SettingSpec {
  /** The full key, as package.json and `getConfiguration()` spell it. */
  readonly key: string;
  readonly type: 'string' | 'array' | 'boolean';
  /** For arrays: the type of the items. */
  readonly items?: 'string';
  readonly enum?: readonly string[];
  readonly default: string | readonly string[] | boolean;
  readonly scope: 'window' | 'machine-overridable';
  /**
   * Whether an untrusted workspace may not set it: such a setting could start a program of
   * the workspace's choosing. package.json's `capabilities.untrustedWorkspaces` must list
   * exactly these.
   */
  readonly restrictedInUntrustedWorkspaces: boolean;
  /** Who reads it: the extension, or the server (sent as `initializationOptions` and on change). */
  readonly readBy: 'extension' | 'server';
}

/** The name of the section every key starts with. */
export const SECTION = 'llmspell';

export const SETTINGS = {
  serverPath: {
    key: 'llmspell.server.path',
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    restrictedInUntrustedWorkspaces: true,
    readBy: 'extension',
  },
  serverExtraArgs: {
    key: 'llmspell.server.extraArgs',
    type: 'array',
    items: 'string',
    default: [],
    scope: 'machine-overridable',
    // Arguments alone cannot name another program, and `llmspell lsp` runs no user code.
    restrictedInUntrustedWorkspaces: false,
    readBy: 'extension',
  },
  // trace.ts turns the trace on and off with it; vscode-languageclient also reads
  // `<client id>.trace.server` itself (the client's id is `llmspell`) for how much to trace.
  traceServer: {
    key: 'llmspell.trace.server',
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    scope: 'window',
    restrictedInUntrustedWorkspaces: false,
    readBy: 'extension',
  },
  diagnosticsEnable: {
    key: 'llmspell.diagnostics.enable',
    type: 'boolean',
    default: true,
    scope: 'window',
    restrictedInUntrustedWorkspaces: false,
    readBy: 'server',
  },
  codeLensEnable: {
    key: 'llmspell.codeLens.enable',
    type: 'boolean',
    default: true,
    scope: 'window',
    restrictedInUntrustedWorkspaces: false,
    readBy: 'server',
  },
} as const satisfies Record<string, SettingSpec>;

/** The settings that decide how the server starts, as the extension uses them. */
export interface ServerSettings {
  /** Empty when unset: then `llmspell` is looked up on PATH. */
  readonly path: string;
  readonly extraArgs: readonly string[];
}

/** Reads a key the way `vscode.WorkspaceConfiguration.get` does. */
export type ConfigReader = (key: string) => unknown;

/**
 * The server settings, with values of the wrong type replaced by the defaults: settings.json is
 * edited by hand, and a stray number must not stop the server from starting.
 */
export function readServerSettings(read: ConfigReader): ServerSettings {
  const path = read(SETTINGS.serverPath.key);
  const extraArgs = read(SETTINGS.serverExtraArgs.key);
  return {
    path: typeof path === 'string' ? path.trim() : SETTINGS.serverPath.default,
    extraArgs:
      Array.isArray(extraArgs) && extraArgs.every((a) => typeof a === 'string')
        ? extraArgs
        : SETTINGS.serverExtraArgs.default,
  };
}

/** The trace setting, `off` when missing or not one of its values. */
export function readTraceSetting(read: ConfigReader): (typeof SETTINGS.traceServer.enum)[number] {
  const value = read(SETTINGS.traceServer.key);
  return SETTINGS.traceServer.enum.find((v) => v === value) ?? SETTINGS.traceServer.default;
}

/** Whether a configuration change touches a setting that needs the server restarted. */
export function affectsServer(affects: (key: string) => boolean): boolean {
  return affects(SETTINGS.serverPath.key) || affects(SETTINGS.serverExtraArgs.key);
}

/**
 * The server's settings as it reads them at start (`initializationOptions`): the `llmspell`
 * section's keys nested by their dots, `llmspell.diagnostics.enable` as
 * `{ diagnostics: { enable } }`, the shape VS Code's `didChangeConfiguration` sends them in
 * later. Unset keys are left out (the server has the same defaults); values are passed as they
 * are, and the server names any of the wrong type in its log.
 */
export function serverInitializationOptions(read: ConfigReader): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const spec of Object.values(SETTINGS) as SettingSpec[]) {
    const value = read(spec.key);
    if (spec.readBy !== 'server' || value === undefined) {
      continue;
    }
    const path = spec.key.slice(SECTION.length + 1).split('.');
    let node = options;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node[part] = typeof next === 'object' && next !== null ? next : {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return options;
}
