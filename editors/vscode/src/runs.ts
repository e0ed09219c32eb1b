// Keeps track of the runs in flight from their `llmspell/runOutput` notifications and turns the
// notifications into the output channel's text. A run is known from its first notification
// on, whichever way it started (the Run Script command, the server's "▶ Run" code lens, another
// client feature), and ends with its `finished` event.
//
// Pure, so the unit tests can drive it with notifications. Must not import `vscode`.

import { RunFormatter, baseName, parseEvent } from './format';

/** The parameters of `llmspell/runOutput`. */
export interface RunOutputParams {
  readonly runId: number;
  readonly seq: number;
  readonly event: unknown;
}

/** A run in flight, as the status bar shows it. */
export interface RunInfo {
  readonly runId: number;
  /** The script's file name. */
  readonly name: string;
}

interface RunState {
  name: string;
  lastSeq: number;
  readonly formatter: RunFormatter;
}

/** What one notification changed. */
export interface Update {
  /** Text to append to the output channel (possibly empty). */
  readonly text: string;
  /** Whether the set of runs in flight (or a name shown for one) changed. */
  readonly runsChanged: boolean;
}

export function isRunOutputParams(value: unknown): value is RunOutputParams {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return typeof v.runId === 'number' && typeof v.seq === 'number' && 'event' in v;
}

export class RunTracker {
  private readonly runs = new Map<number, RunState>();
  /** Runs that have finished, so a late `expect` does not bring one back. */
  private readonly finished = new Set<number>();
  /** The run whose output was appended last, to mark where interleaved output switches. */
  private lastWriter: number | undefined;
  /** Whether the channel's text ends with a line break (or is empty). */
  private channelAtLineStart = true;
  /** Whether anything was appended to the channel yet. */
  private channelEmpty = true;

  /** The runs in flight, oldest first. */
  inFlight(): RunInfo[] {
    return [...this.runs.entries()].map(([runId, state]) => ({ runId, name: state.name }));
  }

  /**
   * Notes a run that a command just started, so the status bar can show it by name before its
   * first event. Its events may already have arrived (the server streams while the command's
   * answer is on its way); then this only sets the name, and if the run is already over it is
   * not revived.
   */
  expect(runId: number, name: string): boolean {
    if (this.finished.has(runId)) {
      return false;
    }
    const state = this.runs.get(runId);
    if (state) {
      state.name = name;
      return false;
    }
    this.runs.set(runId, { name, lastSeq: 0, formatter: new RunFormatter() });
    return true;
  }

  /** Handles one notification. */
  handle(params: RunOutputParams): Update {
    const { runId, seq } = params;
    if (this.finished.has(runId)) {
      // A duplicate or straggler of a finished run: nothing to show, and no run to revive.
      return { text: '', runsChanged: false };
    }
    let runsChanged = false;
    let state = this.runs.get(runId);
    if (!state) {
      state = { name: `run ${runId}`, lastSeq: 0, formatter: new RunFormatter() };
      this.runs.set(runId, state);
      runsChanged = true;
    }
    const event = parseEvent(params.event);
    if (event?.type === 'started' && event.file) {
      const name = baseName(event.file);
      runsChanged ||= name !== state.name;
      state.name = name;
    }

    const notes: string[] = [];
    const switching =
      this.lastWriter !== undefined && this.lastWriter !== runId && this.runs.has(this.lastWriter);
    if (switching && event?.type !== 'started') {
      // Two runs are printing at once: say whose output follows (a start line says it itself).
      notes.push(`[run ${runId}: ${state.name}]`);
    }
    if (seq > state.lastSeq + 1) {
      const lost = seq - state.lastSeq - 1;
      notes.push(`[${lost} event${lost === 1 ? '' : 's'} of this run did not arrive]`);
    }
    state.lastSeq = Math.max(state.lastSeq, seq);

    let body = '';
    if (event) {
      body = state.formatter.format(event);
      if (event.type === 'finished') {
        this.runs.delete(runId);
        this.finished.add(runId);
        runsChanged = true;
      }
    }

    let text = notes.length > 0 ? `${this.lineBreakIfNeeded()}${notes.join('\n')}\n` : '';
    if (event?.type === 'started' && text === '' && !this.channelEmpty) {
      // A blank line between one run's output and the next.
      text = `${this.lineBreakIfNeeded()}\n`;
    }
    text += body;
    if (text !== '') {
      this.channelAtLineStart = text.endsWith('\n');
      this.channelEmpty = false;
      this.lastWriter = runId;
    }
    return { text, runsChanged };
  }

  /** A line break when the channel's text stops mid-line. */
  private lineBreakIfNeeded(): string {
    return this.channelAtLineStart ? '' : '\n';
  }

  /**
   * Forgets every run: the server stopped, and its runs with it. A new server numbers its runs
   * from 1 again, so the finished ones are forgotten too. Returns the note for the channel, or an
   * empty string when nothing was running.
   */
  clear(reason: string): string {
    const names = this.inFlight().map((r) => r.name);
    this.runs.clear();
    this.finished.clear();
    this.lastWriter = undefined;
    if (names.length === 0) {
      return '';
    }
    const text = `${this.channelAtLineStart ? '' : '\n'}■ ${reason}: ${names.join(', ')} ended with it\n`;
    this.channelAtLineStart = true;
    return text;
  }
}
