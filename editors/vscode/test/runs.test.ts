// Tracking runs from their notifications: in flight, finished, interleaved, lost events.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RunTracker } from '../src/runs';

function note(runId: number, seq: number, event: unknown): { runId: number; seq: number; event: unknown } {
  return { runId, seq, event };
}

describe('RunTracker', () => {
  it('knows a run from its first notification to its finished event', () => {
    const tracker = new RunTracker();
    let update = tracker.handle(note(1, 1, { type: 'started', engine: 'lua', file: '/w/hello.lua' }));
    assert.equal(update.runsChanged, true);
    assert.deepEqual(tracker.inFlight(), [{ runId: 1, name: 'hello.lua' }]);
    update = tracker.handle(note(1, 2, { type: 'stdout', text: 'hi\n' }));
    assert.deepEqual(update, { text: 'hi\n', runsChanged: false });
    update = tracker.handle(note(1, 3, { type: 'finished', exitCode: 0, durationMs: 5 }));
    assert.deepEqual(update, { text: '■ Finished in 5 ms\n', runsChanged: true });
    assert.deepEqual(tracker.inFlight(), []);
  });

  it('names a run that a command started before its first event arrives', () => {
    const tracker = new RunTracker();
    assert.equal(tracker.expect(4, 'a.lua'), true);
    assert.deepEqual(tracker.inFlight(), [{ runId: 4, name: 'a.lua' }]);
  });

  it('does not revive a run whose events all arrived before the command answered', () => {
    const tracker = new RunTracker();
    tracker.handle(note(2, 1, { type: 'started', file: 'a.lua' }));
    tracker.handle(note(2, 2, { type: 'finished', exitCode: 0 }));
    assert.equal(tracker.expect(2, 'a.lua'), false);
    assert.deepEqual(tracker.inFlight(), []);
    assert.deepEqual(tracker.handle(note(2, 3, { type: 'stdout', text: 'late' })), { text: '', runsChanged: false });
  });

  it('says when events of a run went missing', () => {
    const tracker = new RunTracker();
    tracker.handle(note(1, 1, { type: 'started', file: 'a.lua' }));
    const update = tracker.handle(note(1, 4, { type: 'stdout', text: 'x\n' }));
    assert.equal(update.text, '[2 events of this run did not arrive]\nx\n');
  });

  it('marks where the output of two runs in flight interleaves', () => {
    const tracker = new RunTracker();
    const texts = [
      tracker.handle(note(1, 1, { type: 'started', file: 'a.lua' })),
      tracker.handle(note(1, 2, { type: 'stdout', text: 'a1' })),
      tracker.handle(note(2, 1, { type: 'started', file: 'b.lua' })),
      tracker.handle(note(2, 2, { type: 'stdout', text: 'b1\n' })),
      tracker.handle(note(1, 3, { type: 'stdout', text: 'a2\n' })),
    ].map((u) => u.text);
    assert.deepEqual(texts, [
      '▶ Running a.lua\n',
      'a1',
      '\n\n▶ Running b.lua\n',
      'b1\n',
      '[run 1: a.lua]\na2\n',
    ]);
    assert.deepEqual(
      tracker.inFlight().map((r) => r.name),
      ['a.lua', 'b.lua'],
    );
  });

  it('separates consecutive runs with a blank line', () => {
    const tracker = new RunTracker();
    tracker.handle(note(1, 1, { type: 'started', file: 'a.lua' }));
    tracker.handle(note(1, 2, { type: 'finished', exitCode: 0 }));
    assert.equal(tracker.handle(note(2, 1, { type: 'started', file: 'a.lua' })).text, '\n▶ Running a.lua\n');
  });

  it('ends every run when the server stops, and accepts the new server run ids again', () => {
    const tracker = new RunTracker();
    tracker.handle(note(1, 1, { type: 'started', file: 'a.lua' }));
    tracker.handle(note(1, 2, { type: 'stdout', text: 'partial' }));
    assert.equal(tracker.clear('The language server stopped'), '\n■ The language server stopped: a.lua ended with it\n');
    assert.deepEqual(tracker.inFlight(), []);
    assert.equal(tracker.clear('again'), '');
    // The restarted server numbers runs from 1 again.
    assert.equal(tracker.handle(note(1, 1, { type: 'started', file: 'b.lua' })).runsChanged, true);
    assert.deepEqual(tracker.inFlight(), [{ runId: 1, name: 'b.lua' }]);
  });

  it('skips unknown events but still counts them', () => {
    const tracker = new RunTracker();
    tracker.handle(note(1, 1, { type: 'started', file: 'a.lua' }));
    assert.equal(tracker.handle(note(1, 2, { type: 'future_event' })).text, '');
    assert.equal(tracker.handle(note(1, 3, { type: 'stdout', text: 'x\n' })).text, 'x\n');
  });
});
