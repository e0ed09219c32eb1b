// The output channel's text for each kind of run event.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type RunEvent, RunFormatter, baseName, compactJson, formatDuration, parseEvent } from '../src/format';

/** The channel text for a sequence of events of one run. */
function render(events: RunEvent[]): string {
  const formatter = new RunFormatter();
  return events.map((e) => formatter.format(e)).join('');
}

describe('RunFormatter', () => {
  it('shows a plain run as a terminal would, between a start and an end line', () => {
    const text = render([
      { type: 'started', engine: 'lua', file: '/work/examples/hello.lua' },
      { type: 'stdout', text: 'one\n' },
      { type: 'stdout', text: 'two' },
      { type: 'stdout', text: ' and more\n' },
      { type: 'result', value: null },
      { type: 'finished', exitCode: 0, durationMs: 12 },
    ]);
    assert.equal(text, '▶ Running hello.lua (lua)\none\ntwo and more\n■ Finished in 12 ms\n');
  });

  it('appends streamed tokens without line breaks and starts the next line after them', () => {
    const text = render([
      { type: 'token', agent: 'a', text: 'The ' },
      { type: 'token', agent: 'a', text: 'end.' },
      { type: 'tool_call', tool: 'uuid', params: null, result: { uuid: 'x' } },
    ]);
    assert.equal(text, 'The end.\n[tool] uuid() → {"uuid":"x"}\n');
  });

  it('shows tokens that the script echoes with io.write once', () => {
    const text = render([
      { type: 'token', text: 'A ' },
      { type: 'stdout', text: 'A ' },
      { type: 'token', text: 'robot.' },
      { type: 'stdout', text: 'robot.' },
      { type: 'stdout', text: '\n' },
      { type: 'stdout', text: '(2 chunks)\n' },
    ]);
    assert.equal(text, 'A robot.\n(2 chunks)\n');
  });

  it('shows tokens that the script echoes with print once, keeping its line breaks', () => {
    const text = render([
      { type: 'token', text: 'A ' },
      { type: 'stdout', text: 'A \n' },
      { type: 'token', text: 'robot.' },
      { type: 'stdout', text: 'robot.\n' },
    ]);
    assert.equal(text, 'A \nrobot.\n');
  });

  it('puts output that is not an echo on a line after an unprinted answer', () => {
    const text = render([
      { type: 'token', text: 'The ' },
      { type: 'token', text: 'end.' },
      { type: 'stdout', text: 'collected: The end.\n' },
    ]);
    assert.equal(text, 'The end.\ncollected: The end.\n');
  });

  it('keeps output that only looks like a token when no token is pending', () => {
    const text = render([
      { type: 'token', text: 'hi' },
      { type: 'stdout', text: 'hi' },
      { type: 'stdout', text: 'hi' },
    ]);
    assert.equal(text, 'hihi');
  });

  it('shows tool calls with their parameters, result or error', () => {
    const text = render([
      { type: 'tool_call', tool: 'calculator', params: { expression: '2^10' }, result: { result: 1024 } },
      { type: 'tool_call', tool: 'calculator', agent: 'math', params: { expression: 42 }, error: 'must be string' },
    ]);
    assert.equal(
      text,
      '[tool] calculator({"expression":"2^10"}) → {"result":1024}\n' +
        '[tool] math → calculator({"expression":42}) failed: must be string\n',
    );
  });

  it('shows workflow steps starting, ending and failing', () => {
    const text = render([
      { type: 'step', workflow: 'wf', step: 'draft', index: 1, status: 'running' },
      { type: 'step', workflow: 'wf', step: 'draft', index: 1, status: 'ok', output: 'x', durationMs: 3 },
      { type: 'step', step: 'broken', index: 2, status: 'error', durationMs: 1500, error: 'x.lua:3: no' },
    ]);
    assert.equal(text, '[step] wf › draft …\n[step] wf › draft ok in 3 ms\n[step] broken failed in 1.5 s: x.lua:3: no\n');
  });

  it('shows a returned value and an error, adding the location only when the message lacks it', () => {
    const text = render([
      { type: 'result', value: { a: 1 } },
      { type: 'error', message: '/w/e.lua:1: boom', file: '/w/e.lua', line: 1 },
      { type: 'error', message: 'boom', file: '/w/e.js', line: 4 },
      { type: 'error', message: 'run cancelled' },
    ]);
    assert.equal(text, '[result] {"a":1}\n[error] /w/e.lua:1: boom\n[error] boom (e.js:4)\n[error] run cancelled\n');
  });

  it('ends with the outcome: finished, stopped or failed', () => {
    assert.equal(render([{ type: 'finished', exitCode: 0, durationMs: 2500 }]), '■ Finished in 2.5 s\n');
    assert.equal(render([{ type: 'finished', exitCode: 130, durationMs: 80 }]), '■ Stopped in 80 ms (exit code 130)\n');
    assert.equal(render([{ type: 'finished', exitCode: 1 }]), '■ Failed (exit code 1)\n');
  });

  it('starts an event line on a new line after output without a line break', () => {
    const text = render([
      { type: 'stdout', text: 'no newline' },
      { type: 'finished', exitCode: 0, durationMs: 1 },
    ]);
    assert.equal(text, 'no newline\n■ Finished in 1 ms\n');
  });
});

describe('helpers', () => {
  it('cuts long JSON', () => {
    const long = compactJson({ text: 'x'.repeat(500) });
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('…'));
    assert.equal(compactJson(undefined), 'undefined');
  });

  it('names files and durations', () => {
    assert.equal(baseName('/a/b/c.lua'), 'c.lua');
    assert.equal(baseName('C:\\a\\c.js'), 'c.js');
    assert.equal(formatDuration(undefined), '');
    assert.equal(formatDuration(999), ' in 999 ms');
  });
});

describe('parseEvent', () => {
  it('accepts the documented events and rejects malformed or unknown ones', () => {
    assert.deepEqual(parseEvent({ type: 'stdout', text: 'x' }), { type: 'stdout', text: 'x' });
    assert.deepEqual(parseEvent({ type: 'finished', exitCode: 0, durationMs: 1 }), {
      type: 'finished',
      exitCode: 0,
      durationMs: 1,
    });
    assert.equal(parseEvent({ type: 'stdout' }), undefined);
    // The server sends camelCase keys; the CLI's snake_case would be a protocol mistake.
    assert.equal(parseEvent({ type: 'finished', exit_code: 0 }), undefined);
    assert.equal(parseEvent({ type: 'telemetry', text: 'x' }), undefined);
    assert.equal(parseEvent('stdout'), undefined);
    assert.equal(parseEvent(null), undefined);
  });
});
