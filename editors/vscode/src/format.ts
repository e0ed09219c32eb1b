// Turns a run's events (`llmspell/runOutput`, docs/lsp-extensions.md) into the text of the
// "LLMSpell Run" output channel. Pure, so that the unit tests can check every event kind.
//
// The script's own output (stdout, stderr) is written as it comes, as a terminal would show it.
// Streamed tokens are written as they arrive, without line breaks, so a streamed answer grows
// on one line. The other events (tool calls, workflow steps, the result, an error, the end) are
// one line each, always starting on a line of their own.
//
// A script that streams usually prints each chunk too (`io.write(chunk)`), and then the server
// sends the same text twice: once as a `token`, once as `stdout`. The formatter remembers the
// token text not yet echoed and drops stdout that only repeats it, so the answer shows once.

/** One event of a run, as the server sends it (top-level keys in camelCase). */
export type RunEvent =
  | { type: 'started'; engine?: string; file?: string }
  | { type: 'stdout' | 'stderr'; text: string }
  | { type: 'token'; agent?: string; text: string }
  | {
      type: 'tool_call';
      tool: string;
      agent?: string;
      params?: unknown;
      result?: unknown;
      error?: string;
    }
  | {
      type: 'step';
      workflow?: string;
      step: string;
      index?: number;
      status: string;
      output?: unknown;
      durationMs?: number;
      error?: string;
    }
  | { type: 'result'; value?: unknown }
  | { type: 'error'; message: string; file?: string; line?: number; limit?: string }
  | { type: 'finished'; exitCode: number; durationMs?: number };

/** The exit code of a run stopped by `llmspell.cancelRun`. */
export const CANCELLED_EXIT_CODE = 130;

/** The longest JSON shown for a tool's parameters or result before it is cut. */
const MAX_JSON = 200;

/** The file name at the end of a path, for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Compact JSON of a script's value, cut to MAX_JSON characters. */
export function compactJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_JSON ? `${text.slice(0, MAX_JSON - 1)}…` : text;
}

/** How long a run took, in words. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) {
    return '';
  }
  return ms < 1000 ? ` in ${Math.round(ms)} ms` : ` in ${(ms / 1000).toFixed(1)} s`;
}

/** Formats the events of one run, in order. */
export class RunFormatter {
  /** Whether the text written so far ends with a line break (or nothing was written). */
  private atLineStart = true;
  /** Token text written but not yet seen again as stdout. */
  private unechoed = '';

  /** The text to append to the channel for `event` (possibly empty). */
  format(event: RunEvent): string {
    switch (event.type) {
      case 'token':
        this.unechoed += event.text;
        return this.raw(event.text);
      case 'stdout':
        return this.output(this.withoutEcho(event.text));
      case 'stderr':
        return this.output(event.text);
      default:
        this.unechoed = '';
        return this.lines(describe(event));
    }
  }

  /**
   * The part of stdout `text` that is not a repeat of streamed tokens: all of it, unless it is
   * the next piece of the token text (the script printed a chunk with `io.write`), possibly with
   * a line break after it (`print(chunk)`). The text itself when it repeats nothing.
   */
  private withoutEcho(text: string): string | { echoRest: string } {
    if (this.unechoed !== '' && text !== '') {
      if (this.unechoed.startsWith(text)) {
        this.unechoed = this.unechoed.slice(text.length);
        return { echoRest: '' };
      }
      const line = text.replace(/\r?\n$/, '');
      if (line !== text && line !== '' && this.unechoed.startsWith(line)) {
        this.unechoed = this.unechoed.slice(line.length);
        return { echoRest: text.slice(line.length) };
      }
    }
    return text;
  }

  /**
   * Output of the script: the rest of an echo as it is; new output after a streamed answer that
   * the script did not print starts on a line of its own, so it does not run on from the answer.
   */
  private output(text: string | { echoRest: string }): string {
    if (typeof text !== 'string') {
      return this.raw(text.echoRest);
    }
    const afterTokens = this.unechoed !== '';
    this.unechoed = '';
    if (afterTokens && !this.atLineStart && text !== '') {
      return this.raw(`\n${text}`);
    }
    return this.raw(text);
  }

  /** Text written as it is. */
  private raw(text: string): string {
    if (text !== '') {
      this.atLineStart = text.endsWith('\n');
    }
    return text;
  }

  /** Whole lines, after a line break if the output so far stopped mid-line. */
  private lines(lines: string[]): string {
    if (lines.length === 0) {
      return '';
    }
    const prefix = this.atLineStart ? '' : '\n';
    this.atLineStart = true;
    return prefix + lines.map((l) => `${l}\n`).join('');
  }
}

/** The lines that show a structural event. */
function describe(event: Exclude<RunEvent, { type: 'stdout' | 'stderr' | 'token' }>): string[] {
  switch (event.type) {
    case 'started': {
      const name = event.file ? baseName(event.file) : 'script';
      return [`▶ Running ${name}${event.engine ? ` (${event.engine})` : ''}`];
    }
    case 'tool_call': {
      const who = event.agent ? `${event.agent} → ` : '';
      const call = `[tool] ${who}${event.tool}(${event.params == null ? '' : compactJson(event.params)})`;
      if (event.error !== undefined) {
        return [`${call} failed: ${event.error}`];
      }
      return [event.result === undefined ? call : `${call} → ${compactJson(event.result)}`];
    }
    case 'step': {
      const where = `[step] ${event.workflow ? `${event.workflow} › ` : ''}${event.step}`;
      switch (event.status) {
        case 'running':
          return [`${where} …`];
        case 'ok':
          return [`${where} ok${formatDuration(event.durationMs)}`];
        case 'error':
          return [`${where} failed${formatDuration(event.durationMs)}: ${event.error ?? 'error'}`];
        default:
          return [`${where} ${event.status}`];
      }
    }
    case 'result':
      // Lua's `return` with nothing returns nil: no result worth a line.
      return event.value == null ? [] : [`[result] ${compactJson(event.value)}`];
    case 'error': {
      // The message keeps Lua's `file:line:` prefix; add the location only when it lacks one.
      const where =
        event.file && event.line && !event.message.includes(`:${event.line}:`)
          ? ` (${baseName(event.file)}:${event.line})`
          : '';
      return [`[error] ${event.message}${where}`];
    }
    case 'finished': {
      const took = formatDuration(event.durationMs);
      if (event.exitCode === 0) {
        return [`■ Finished${took}`];
      }
      if (event.exitCode === CANCELLED_EXIT_CODE) {
        return [`■ Stopped${took} (exit code ${event.exitCode})`];
      }
      return [`■ Failed${took} (exit code ${event.exitCode})`];
    }
  }
}

/**
 * Reads one event from a notification's `event` field, or undefined when it is not an event
 * this formatter knows (a newer server may add kinds; they are skipped, not shown as garbage).
 */
export function parseEvent(value: unknown): RunEvent | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const event = value as Record<string, unknown>;
  const str = (key: string): boolean => typeof event[key] === 'string';
  switch (event.type) {
    case 'started':
    case 'result':
      return event as RunEvent;
    case 'stdout':
    case 'stderr':
    case 'token':
      return str('text') ? (event as RunEvent) : undefined;
    case 'tool_call':
      return str('tool') ? (event as RunEvent) : undefined;
    case 'step':
      return str('step') && str('status') ? (event as RunEvent) : undefined;
    case 'error':
      return str('message') ? (event as RunEvent) : undefined;
    case 'finished':
      return typeof event.exitCode === 'number' ? (event as RunEvent) : undefined;
    default:
      return undefined;
  }
}
