// Finds the `llmspell` binary that runs the language server: the `llmspell.server.path`
// setting if set, else `llmspell` on PATH, else where `cargo install` puts it (~/.cargo/bin is
// often missing from the PATH of an editor started from a desktop menu).
//
// Pure apart from the file-system checks, which the caller may replace, so the unit tests can
// try every case. Must not import `vscode`.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the lookup found. */
export type ServerLookup =
  | { readonly kind: 'found'; readonly command: string; readonly from: 'setting' | 'PATH' | 'cargo' }
  | { readonly kind: 'badSetting'; readonly message: string }
  | { readonly kind: 'missing'; readonly message: string };

/** Where to look and how. */
export interface LookupContext {
  /** The `llmspell.server.path` setting, empty when unset. */
  readonly configuredPath: string;
  /** The folder a relative configured path is resolved against (the first workspace folder). */
  readonly baseDir?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
  /** Whether `file` is a file this process may execute. */
  readonly isExecutable?: (file: string) => boolean;
}

/** How a user installs the server, for the message shown when it is missing. */
export const INSTALL_HINT =
  'Install llmspell with "cargo install --path server" in a clone of the llmspell repository ' +
  '(see its README), or set llmspell.server.path to the llmspell binary.';

/** Whether `file` exists, is not a folder, and (off Windows) has an execute bit for us. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The lookup with the real environment. */
export function defaultContext(configuredPath: string, baseDir?: string): LookupContext {
  return {
    configuredPath,
    baseDir,
    env: process.env,
    platform: process.platform,
    homeDir: os.homedir(),
  };
}

/** Finds the server binary. */
export function findServer(ctx: LookupContext): ServerLookup {
  const isExecutable = ctx.isExecutable ?? isExecutableFile;
  const pathApi = ctx.platform === 'win32' ? path.win32 : path.posix;
  const exe = ctx.platform === 'win32' ? 'llmspell.exe' : 'llmspell';

  if (ctx.configuredPath !== '') {
    let file = ctx.configuredPath;
    if (file === '~' || file.startsWith('~/') || file.startsWith('~\\')) {
      file = pathApi.join(ctx.homeDir, file.slice(1));
    } else if (!pathApi.isAbsolute(file) && ctx.baseDir !== undefined) {
      file = pathApi.resolve(ctx.baseDir, file);
    }
    if (isExecutable(file)) {
      return { kind: 'found', command: file, from: 'setting' };
    }
    return {
      kind: 'badSetting',
      message: `The llmspell language server was not started: llmspell.server.path is set to "${ctx.configuredPath}", which is not an executable file. ${INSTALL_HINT}`,
    };
  }

  // Windows spells the variable Path; process.env is case-insensitive there, a plain object
  // handed in by a test is not.
  const searchPath = ctx.env.PATH ?? ctx.env.Path ?? '';
  const separator = ctx.platform === 'win32' ? ';' : ':';
  for (const dir of searchPath.split(separator)) {
    if (dir === '') {
      continue;
    }
    const file = pathApi.join(dir, exe);
    if (isExecutable(file)) {
      return { kind: 'found', command: file, from: 'PATH' };
    }
  }

  const cargoHome = ctx.env.CARGO_HOME || pathApi.join(ctx.homeDir, '.cargo');
  const cargoBinary = pathApi.join(cargoHome, 'bin', exe);
  if (isExecutable(cargoBinary)) {
    return { kind: 'found', command: cargoBinary, from: 'cargo' };
  }

  return {
    kind: 'missing',
    message: `The llmspell language server was not found: ${exe} is neither on PATH nor in ${pathApi.dirname(cargoBinary)}. ${INSTALL_HINT}`,
  };
}
