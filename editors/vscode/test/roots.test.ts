// Which files the client hands to the server: Lua and JavaScript files under a folder with an
// llmspell.toml.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { isWithin, rootsOf, sameRoots, scriptRootOf, scriptSelector } from '../src/roots';

const posix = path.posix;

describe('rootsOf', () => {
  it('keeps the outermost folders holding a config file, sorted', () => {
    const roots = rootsOf(
      ['/w/b/llmspell.toml', '/w/a/llmspell.toml', '/w/a/sub/llmspell.toml', '/w/ab/llmspell.toml', '/w/a/llmspell.toml'],
      posix,
    );
    assert.deepEqual(roots, ['/w/a', '/w/ab', '/w/b']);
    assert.equal(sameRoots(roots, rootsOf(['/w/ab/llmspell.toml', '/w/b/llmspell.toml', '/w/a/llmspell.toml'], posix)), true);
    assert.equal(sameRoots(roots, ['/w/a']), false);
  });
});

describe('isWithin', () => {
  it('is true for the folder itself and anything below, not for siblings with a common prefix', () => {
    assert.equal(isWithin('/w/a', '/w/a', posix), true);
    assert.equal(isWithin('/w/a', '/w/a/x/y.lua', posix), true);
    assert.equal(isWithin('/w/a', '/w/ab/y.lua', posix), false);
    assert.equal(isWithin('/w/a', '/w/y.lua', posix), false);
    assert.equal(isWithin('/w/a', '/w/a/..foo/y.lua', posix), true);
    assert.equal(isWithin('C:\\w\\a', 'D:\\w\\a\\y.lua', path.win32), false);
  });
});

describe('scriptRootOf', () => {
  const roots = ['/w/scripts'];
  it('accepts Lua and JavaScript files on disk under a root only', () => {
    assert.equal(scriptRootOf({ scheme: 'file', fsPath: '/w/scripts/x/a.lua', languageId: 'lua' }, roots, posix), '/w/scripts');
    assert.equal(scriptRootOf({ scheme: 'file', fsPath: '/w/scripts/a.mjs', languageId: 'javascript' }, roots, posix), '/w/scripts');
    assert.equal(scriptRootOf({ scheme: 'file', fsPath: '/w/other/a.lua', languageId: 'lua' }, roots, posix), undefined);
    assert.equal(scriptRootOf({ scheme: 'file', fsPath: '/w/scripts/a.py', languageId: 'python' }, roots, posix), undefined);
    assert.equal(scriptRootOf({ scheme: 'untitled', fsPath: 'Untitled-1', languageId: 'lua' }, roots, posix), undefined);
  });
});

describe('scriptSelector', () => {
  it('selects each script language in files under each root', () => {
    assert.deepEqual(
      scriptSelector(['/w/a', '/w/b c'], (dir) => `file://${encodeURI(dir)}`),
      [
        { language: 'lua', scheme: 'file', pattern: { baseUri: 'file:///w/a', pattern: '**/*' } },
        { language: 'javascript', scheme: 'file', pattern: { baseUri: 'file:///w/a', pattern: '**/*' } },
        { language: 'lua', scheme: 'file', pattern: { baseUri: 'file:///w/b%20c', pattern: '**/*' } },
        { language: 'javascript', scheme: 'file', pattern: { baseUri: 'file:///w/b%20c', pattern: '**/*' } },
      ],
    );
    assert.deepEqual(scriptSelector([], String), []);
  });
});
