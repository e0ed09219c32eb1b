// The channel that shows the LSP trace, switched on and off by `llmspell.trace.server`.
//
// vscode-languageclient 10 and later trace only while their trace channel's log level is Trace,
// which a user sets with "Developer: Set Log Level..."; `<id>.trace.server` then only chooses
// between `messages` and `verbose`, and `off` does not turn it off. So that the setting does
// what it says, the client gets this channel as its trace channel: its log level is Trace while
// the setting is `messages` or `verbose`, and Off while it is `off`, and it writes to a plain
// output channel "LLMSpell Trace", created the first time there is something to write.

import * as vscode from 'vscode';

import { SETTINGS, readTraceSetting } from './settings';

/** The name of the output channel that shows the trace. */
export const TRACE_CHANNEL_NAME = 'LLMSpell Trace';

export class TraceChannel implements vscode.LogOutputChannel {
  readonly name = TRACE_CHANNEL_NAME;
  private output: vscode.OutputChannel | undefined;
  private level: vscode.LogLevel;
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelChanged.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.level = TraceChannel.levelFromSettings();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS.traceServer.key)) {
        const level = TraceChannel.levelFromSettings();
        if (level !== this.level) {
          this.level = level;
          this.levelChanged.fire(level);
        }
      }
    });
  }

  get logLevel(): vscode.LogLevel {
    return this.level;
  }

  private static levelFromSettings(): vscode.LogLevel {
    const config = vscode.workspace.getConfiguration();
    return readTraceSetting((key) => config.get(key)) === 'off' ? vscode.LogLevel.Off : vscode.LogLevel.Trace;
  }

  /** Writes one line, with the time, unless tracing is off. */
  private write(kind: string, message: string): void {
    if (this.level === vscode.LogLevel.Off) {
      return;
    }
    this.output ??= vscode.window.createOutputChannel(TRACE_CHANNEL_NAME);
    this.output.appendLine(`${new Date().toISOString()} [${kind}] ${message}`);
  }

  trace(message: string): void {
    this.write('trace', message);
  }
  debug(message: string): void {
    this.write('debug', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warning', message);
  }
  error(error: string | Error): void {
    this.write('error', typeof error === 'string' ? error : (error.stack ?? error.message));
  }
  append(value: string): void {
    this.write('info', value);
  }
  appendLine(value: string): void {
    this.write('info', value);
  }
  replace(value: string): void {
    this.output?.replace(value);
  }
  clear(): void {
    this.output?.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(first?: boolean | vscode.ViewColumn, second?: boolean): void {
    this.output ??= vscode.window.createOutputChannel(TRACE_CHANNEL_NAME);
    this.output.show(typeof first === 'boolean' ? first : second);
  }
  hide(): void {
    this.output?.hide();
  }
  dispose(): void {
    this.subscription.dispose();
    this.levelChanged.dispose();
    this.output?.dispose();
  }
}
