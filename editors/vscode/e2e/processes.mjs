// Process handling for the end-to-end test: commands with time limits, code-server started in a
// process group of its own so that it and everything it spawned (its extension host, and the
// language server the extension starts) can be ended together, and free loopback ports.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';

/**
 * Runs a command to completion, failing when it exits non-zero or takes longer than
 * `timeoutMs`. Output goes to the terminal (inherit) or, with `capture`, is returned.
 */
export function run(command, args, { timeoutMs, cwd, env, capture = false }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs / 1000} s${out ? `:\n${out}` : ''}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(out);
      } else {
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})${out ? `:\n${out}` : ''}`));
      }
    });
  });
}

/** Ends a process group we started (SIGTERM, then SIGKILL after a grace period). */
export function killGroup(pid, graceMs = 2000) {
  if (!pid) {
    return Promise.resolve();
  }
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (!alive()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > graceMs) {
        clearInterval(poll);
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // It ended between the check and the kill.
        }
        resolve();
      }
    }, 100);
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until GET `url` answers with one of `statuses`, or fails after `timeoutMs`. */
export async function waitForHttp(url, statuses, timeoutMs, isDead = () => false) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (isDead()) {
      throw new Error(`the server exited before answering ${url}`);
    }
    try {
      const status = await new Promise((resolve, reject) => {
        const req = http.get(url, { timeout: 2000 }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
      });
      if (statuses.includes(status)) {
        return;
      }
      last = `HTTP ${status}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (last: ${last})`);
}

/**
 * Starts a long-running command in its own process group, its output appended to `logFile`.
 * Returns the child; `exited` tells whether it has ended.
 */
export function startDaemon(command, args, { env, logFile }) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  let exited = false;
  child.on('exit', () => (exited = true));
  child.on('error', () => (exited = true));
  return { child, exited: () => exited };
}

/** The last `lines` lines of a text file, for failure messages. */
export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
