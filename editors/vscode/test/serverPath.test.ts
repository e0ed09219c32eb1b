// Finding the server binary: the setting, then PATH, then ~/.cargo/bin, else a message that says
// how to install it. Uses real files in a temporary folder, since the check is for an
// executable file.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { type LookupContext, findServer, isExecutableFile } from '../src/serverPath';

let tmp: string;

function makeExecutable(file: string, mode = 0o755): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, mode);
  return file;
}

function context(overrides: Partial<LookupContext>): LookupContext {
  return {
    configuredPath: '',
    env: { PATH: '' },
    platform: 'linux',
    homeDir: path.join(tmp, 'home'),
    ...overrides,
  };
}

describe('findServer', { skip: process.platform === 'win32' && 'POSIX file modes' }, () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmspell-vscode-test-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uses the configured path, resolving ~ and relative paths', () => {
    const bin = makeExecutable(path.join(tmp, 'home', 'bin', 'llmspell'));
    assert.deepEqual(findServer(context({ configuredPath: bin })), { kind: 'found', command: bin, from: 'setting' });
    assert.deepEqual(findServer(context({ configuredPath: '~/bin/llmspell' })), {
      kind: 'found',
      command: bin,
      from: 'setting',
    });
    assert.deepEqual(findServer(context({ configuredPath: 'bin/llmspell', baseDir: path.join(tmp, 'home') })), {
      kind: 'found',
      command: bin,
      from: 'setting',
    });
  });

  it('reports a configured path that is not an executable file, without falling back', () => {
    const onPath = makeExecutable(path.join(tmp, 'path1', 'llmspell'));
    const notExecutable = makeExecutable(path.join(tmp, 'plain', 'llmspell'), 0o644);
    for (const configuredPath of [path.join(tmp, 'nothing-here'), path.dirname(onPath), notExecutable]) {
      const found = findServer(context({ configuredPath, env: { PATH: path.dirname(onPath) } }));
      assert.equal(found.kind, 'badSetting', configuredPath);
      const message = found.kind === 'badSetting' ? found.message : '';
      assert.match(message, /llmspell\.server\.path is set to/);
      assert.match(message, /cargo install --path server/);
    }
  });

  it('searches PATH in order, skipping folders without an executable llmspell', () => {
    const first = path.join(tmp, 'p-empty');
    fs.mkdirSync(first, { recursive: true });
    makeExecutable(path.join(tmp, 'p-plain', 'llmspell'), 0o644);
    const good = makeExecutable(path.join(tmp, 'p-good', 'llmspell'));
    const later = makeExecutable(path.join(tmp, 'p-later', 'llmspell'));
    const PATH = [first, '', path.join(tmp, 'p-plain'), path.dirname(good), path.dirname(later)].join(':');
    assert.deepEqual(findServer(context({ env: { PATH } })), { kind: 'found', command: good, from: 'PATH' });
  });

  it('falls back to cargo install locations', () => {
    const home = path.join(tmp, 'cargo-home-user');
    const bin = makeExecutable(path.join(home, '.cargo', 'bin', 'llmspell'));
    assert.deepEqual(findServer(context({ homeDir: home })), { kind: 'found', command: bin, from: 'cargo' });
    const cargoHome = path.join(tmp, 'custom-cargo');
    const custom = makeExecutable(path.join(cargoHome, 'bin', 'llmspell'));
    assert.deepEqual(findServer(context({ homeDir: home, env: { CARGO_HOME: cargoHome } })), {
      kind: 'found',
      command: custom,
      from: 'cargo',
    });
  });

  it('says how to install the server when it is nowhere', () => {
    const found = findServer(context({ env: { PATH: path.join(tmp, 'p-empty') } }));
    assert.equal(found.kind, 'missing');
    const message = found.kind === 'missing' ? found.message : '';
    assert.match(message, /cargo install --path server/);
    assert.match(message, /llmspell\.server\.path/);
  });

  it('looks for llmspell.exe on Windows PATH', () => {
    const seen: string[] = [];
    findServer(
      context({
        platform: 'win32',
        env: { Path: 'C:\\tools;D:\\bin' },
        homeDir: 'C:\\Users\\me',
        isExecutable: (file) => {
          seen.push(file);
          return false;
        },
      }),
    );
    assert.deepEqual(seen, ['C:\\tools\\llmspell.exe', 'D:\\bin\\llmspell.exe', 'C:\\Users\\me\\.cargo\\bin\\llmspell.exe']);
  });

  it('isExecutableFile rejects folders and missing files', () => {
    assert.equal(isExecutableFile(tmp), false);
    assert.equal(isExecutableFile(path.join(tmp, 'missing')), false);
    assert.equal(isExecutableFile(makeExecutable(path.join(tmp, 'x', 'tool'))), true);
  });
});
