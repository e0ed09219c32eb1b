// Reads the extension's package.json for the tests that compare it with the code. The tests run
// from out/test/, so the file is found relative to the package root, not to this module.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package root: the folder holding package.json, above out/test/ or test/. */
export const PACKAGE_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no package.json above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
})();

export interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  capabilities: {
    untrustedWorkspaces: { supported: string; restrictedConfigurations?: string[] };
  };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, Record<string, unknown>> };
    menus?: Record<string, { command: string; when?: string }[]>;
  };
}

export function readManifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Manifest;
}
