// Which files are llmspell scripts: Lua and JavaScript files at or below a folder that holds an
// `llmspell.toml` (the server looks for that file from each script upwards). Other Lua and
// JavaScript files in the workspace (a Neovim config, a web app) are left to other extensions.
//
// Pure, so the unit tests can check it. Must not import `vscode`.

import * as path from 'node:path';

/** The VS Code language ids of the scripts the server analyses (.lua; .js and .mjs). */
export const SCRIPT_LANGUAGES = ['lua', 'javascript'] as const;

/** The config file that marks a folder of scripts. */
export const CONFIG_FILE = 'llmspell.toml';

/** The glob that finds config files, for `findFiles` and the file watcher. */
export const CONFIG_GLOB = `**/${CONFIG_FILE}`;

/** Folders never searched for config files: they hold dependencies and build outputs. */
export const CONFIG_SEARCH_EXCLUDE = '**/{node_modules,target,.git}/**';

/** An LSP text document filter whose pattern is relative to a folder (LSP 3.18). */
export interface ScriptFilter {
  readonly language: string;
  readonly scheme: 'file';
  readonly pattern: { readonly baseUri: string; readonly pattern: string };
}

/** Whether `child` is `parent` or inside it. */
export function isWithin(parent: string, child: string, pathApi: path.PlatformPath = path): boolean {
  const relative = pathApi.relative(parent, child);
  return (
    relative === '' ||
    (!relative.startsWith(`..${pathApi.sep}`) && relative !== '..' && !pathApi.isAbsolute(relative))
  );
}

/**
 * The folders of the given config files, without those inside another one (its filters already
 * cover them), sorted so that equal sets compare equal.
 */
export function rootsOf(configFiles: readonly string[], pathApi: path.PlatformPath = path): string[] {
  const dirs = [...new Set(configFiles.map((f) => pathApi.dirname(f)))].sort(
    (a, b) => a.length - b.length || a.localeCompare(b),
  );
  const roots: string[] = [];
  for (const dir of dirs) {
    if (!roots.some((root) => isWithin(root, dir, pathApi))) {
      roots.push(dir);
    }
  }
  return roots.sort();
}

/** Whether two root lists name the same folders. */
export function sameRoots(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((root, i) => root === b[i]);
}

/**
 * The document selector of the language client: each script language, in files under each
 * root. `toUri` turns a folder into a `file:` URI string (vscode.Uri.file in the extension).
 */
export function scriptSelector(roots: readonly string[], toUri: (dir: string) => string): ScriptFilter[] {
  return roots.flatMap((root) =>
    SCRIPT_LANGUAGES.map((language) => ({
      language,
      scheme: 'file' as const,
      pattern: { baseUri: toUri(root), pattern: '**/*' },
    })),
  );
}

/** The root whose `llmspell.toml` applies to a document, if it is a script the server handles. */
export function scriptRootOf(
  document: { readonly scheme: string; readonly fsPath: string; readonly languageId: string },
  roots: readonly string[],
  pathApi: path.PlatformPath = path,
): string | undefined {
  if (document.scheme !== 'file' || !(SCRIPT_LANGUAGES as readonly string[]).includes(document.languageId)) {
    return undefined;
  }
  return roots.find((root) => isWithin(root, document.fsPath, pathApi));
}
