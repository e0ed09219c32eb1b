// package.json's settings against src/settings.ts, the list the extension's code reads: a
// setting added, renamed or retyped on one side only fails here.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  SETTINGS,
  affectsServer,
  readServerSettings,
  readTraceSetting,
  serverInitializationOptions,
} from '../src/settings';
import { PACKAGE_ROOT, readManifest } from './manifest';

const manifest = readManifest();
const declared = manifest.contributes.configuration.properties;
const specs = Object.values(SETTINGS);

describe('package.json settings', () => {
  it('declares exactly the settings in settings.ts', () => {
    assert.deepEqual(Object.keys(declared).sort(), specs.map((s) => s.key).sort());
  });

  for (const spec of specs) {
    it(`declares ${spec.key} as settings.ts does`, () => {
      const property = declared[spec.key];
      assert.ok(property, `${spec.key} is missing from package.json`);
      assert.equal(property.type, spec.type, 'type');
      assert.deepEqual(property.default, spec.default, 'default');
      assert.equal(property.scope, spec.scope, 'scope');
      assert.deepEqual(property.enum, 'enum' in spec ? spec.enum : undefined, 'enum');
      const items = property.items as { type?: string } | undefined;
      assert.equal(items?.type, 'items' in spec ? spec.items : undefined, 'items');
      assert.ok(
        typeof property.markdownDescription === 'string' && property.markdownDescription.length > 10,
        'a description for the Settings UI',
      );
    });
  }

  it('restricts in untrusted workspaces exactly the settings that settings.ts marks', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual(
      [...(untrusted.restrictedConfigurations ?? [])].sort(),
      specs.filter((s) => s.restrictedInUntrustedWorkspaces).map((s) => s.key).sort(),
    );
  });

  it('is the only place the code names a setting key', () => {
    // A key spelled out in another module would escape the comparison above.
    const srcDir = path.join(PACKAGE_ROOT, 'src');
    const keys = new Set(specs.map((s) => s.key));
    for (const file of fs.readdirSync(srcDir)) {
      if (file === 'settings.ts' || !file.endsWith('.ts')) {
        continue;
      }
      const text = fs.readFileSync(path.join(srcDir, file), 'utf8');
      for (const key of keys) {
        assert.ok(!text.includes(`'${key}'`), `${file} spells out '${key}': use SETTINGS from settings.ts`);
      }
      for (const match of text.matchAll(/getConfiguration\(\s*['"]/g)) {
        assert.fail(`${file} reads a configuration section directly (${match[0]}): read settings through settings.ts`);
      }
    }
  });
});

describe('readServerSettings', () => {
  it('reads the values that are set', () => {
    const values: Record<string, unknown> = {
      'llmspell.server.path': '  /opt/llmspell  ',
      'llmspell.server.extraArgs': ['--log', 'debug'],
    };
    assert.deepEqual(readServerSettings((k) => values[k]), {
      path: '/opt/llmspell',
      extraArgs: ['--log', 'debug'],
    });
  });

  it('falls back to the defaults for missing or mistyped values', () => {
    const values: Record<string, unknown> = { 'llmspell.server.path': 42, 'llmspell.server.extraArgs': ['ok', 1] };
    assert.deepEqual(readServerSettings((k) => values[k]), { path: '', extraArgs: [] });
    assert.deepEqual(readServerSettings(() => undefined), { path: '', extraArgs: [] });
  });

  it('restarts the server for the server settings only', () => {
    assert.equal(affectsServer((k) => k === 'llmspell.server.path'), true);
    assert.equal(affectsServer((k) => k === 'llmspell.server.extraArgs'), true);
    assert.equal(affectsServer((k) => k === 'llmspell.trace.server'), false);
  });
});

describe('readTraceSetting', () => {
  it('reads the trace level, off when unset or unknown', () => {
    assert.equal(readTraceSetting(() => 'verbose'), 'verbose');
    assert.equal(readTraceSetting(() => 'messages'), 'messages');
    assert.equal(readTraceSetting(() => 'loud'), 'off');
    assert.equal(readTraceSetting(() => undefined), 'off');
  });
});

describe('serverInitializationOptions', () => {
  it('nests the server settings that are set by their keys, and only those', () => {
    const values: Record<string, unknown> = {
      'llmspell.diagnostics.enable': false,
      'llmspell.codeLens.enable': true,
      'llmspell.server.path': '/opt/llmspell',
      'llmspell.trace.server': 'verbose',
    };
    assert.deepEqual(serverInitializationOptions((k) => values[k]), {
      diagnostics: { enable: false },
      codeLens: { enable: true },
    });
  });

  it('leaves out what is unset and passes mistyped values on for the server to name', () => {
    const values: Record<string, unknown> = { 'llmspell.codeLens.enable': 'no' };
    assert.deepEqual(serverInitializationOptions((k) => values[k]), { codeLens: { enable: 'no' } });
    assert.deepEqual(serverInitializationOptions(() => undefined), {});
  });
});
