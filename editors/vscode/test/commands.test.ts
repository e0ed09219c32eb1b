// package.json's commands and activation against src/commands.ts and the server's protocol.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CATEGORY, COMMANDS, SERVER_COMMANDS, isRunScriptArgs, isRunScriptResult } from '../src/commands';
import { CONFIG_GLOB } from '../src/roots';
import { readManifest } from './manifest';

const manifest = readManifest();

describe('package.json commands', () => {
  it('contributes exactly the commands in commands.ts, with their titles and category', () => {
    const declared = manifest.contributes.commands.map((c) => ({ id: c.command, title: c.title, category: c.category }));
    const expected = Object.values(COMMANDS).map((c) => ({ id: c.id, title: c.title, category: CATEGORY }));
    const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
    assert.deepEqual(declared.sort(byId), expected.sort(byId));
  });

  it('the palette titles are the ones the brief and the e2e test use', () => {
    assert.equal(`${CATEGORY}: ${COMMANDS.run.title}`, 'LLMSpell: Run Script');
    assert.equal(`${CATEGORY}: ${COMMANDS.stop.title}`, 'LLMSpell: Stop Run');
    assert.equal(`${CATEGORY}: ${COMMANDS.restartServer.title}`, 'LLMSpell: Restart Server');
  });

  it('reuses none of the server commands, which the language client registers itself', () => {
    const server = new Set<string>(Object.values(SERVER_COMMANDS));
    for (const command of Object.values(COMMANDS)) {
      assert.ok(!server.has(command.id), `${command.id} is also a server command`);
    }
  });

  it('menus name only contributed commands', () => {
    const ids = new Set<string>(Object.values(COMMANDS).map((c) => c.id));
    for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const item of items) {
        assert.ok(ids.has(item.command), `${menu} names ${item.command}`);
      }
    }
  });
});

describe('package.json activation and engine', () => {
  it('activates in workspaces with an llmspell.toml and on Lua and JavaScript files', () => {
    assert.deepEqual(manifest.activationEvents.sort(), [
      'onLanguage:javascript',
      'onLanguage:lua',
      `workspaceContains:${CONFIG_GLOB}`,
    ]);
  });

  it('targets VS Code 1.91 with the matching API types', () => {
    assert.equal(manifest.engines.vscode, '^1.91.0');
    // vsce refuses a package whose @types/vscode is newer than engines.vscode.
    assert.equal(manifest.devDependencies['@types/vscode'], '1.91.0');
    assert.match(manifest.dependencies['vscode-languageclient'], /^\^11\./);
  });

  it('loads the bundle that the bundle script writes', () => {
    assert.equal(manifest.main, './dist/extension.js');
  });
});

describe('command payloads', () => {
  it('recognises the server results and arguments', () => {
    assert.equal(isRunScriptResult({ runId: 3 }), true);
    assert.equal(isRunScriptResult({ runId: '3' }), false);
    assert.equal(isRunScriptResult(null), false);
    assert.equal(isRunScriptArgs({ uri: 'file:///a.lua' }), true);
    assert.equal(isRunScriptArgs({ url: 'file:///a.lua' }), false);
  });
});
