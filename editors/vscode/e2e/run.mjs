// The end-to-end test of the extension in the real VS Code: code-server (VS Code 1.100 in the
// browser) driven by playwright-core in headless Chromium, with the packaged .vsix installed
// and the repository's own `llmspell` binary as the language server, on a temporary copy of
// examples/.
//
//   node e2e/run.mjs [--vsix FILE] [--update-docs-image]
//
// Checks, each with its own time limit, screenshot and verdict:
//   completion   typing `Agent.` in a Lua file offers `create` (from the server)
//   problems     `Agent.craete{}` shows "has no member 'craete'" in the Problems panel
//   run          "LLMSpell: Run Script" streams the output into "LLMSpell Run" while the
//                status bar shows the run, and ends with "■ Finished"
//   code lens    the server's "▶ Run" lens runs a script through the extension too, with
//                the editor's unsaved text
//   stop         clicking the status bar item stops a long run ("■ Stopped"), and the
//                server's "■ Stop" lens shows during the run only
//   run error    a script's error marks its line in the Problems panel ("llmspell run")
//   showcase     the picture for docs/images/vscode.png (--update-docs-image copies it)
//   server missing  llmspell.server.path set to a missing file: a notification says how to
//                install the server
//   trace        llmspell.trace.server "messages" fills the "LLMSpell Trace" channel
//   restricted mode  with the workspace untrusted: problems are reported (the workspace's own
//                llmspell.server.path, a missing file, is ignored), no "▶ Run" lens, "Run
//                Script" is refused with a message
//   no trace when off  llmspell.trace.server "off" (that profile): no trace channel at all
//
// Environment: LLMSPELL_BIN (the server binary; default target/debug/llmspell, built when
// missing), LLMSPELL_E2E_TOOLS (where code-server and playwright-core are installed; default
// ~/.cache/llmspell-e2e), LLMSPELL_E2E_TIMEOUT_S (the editor checks, after any installs;
// default 300), LLMSPELL_E2E_KEEP (1: keep the temporary folder after a success; 0: delete it
// after a failure too). Screenshots and results.json go to target/vscode-e2e/.
// Only 127.0.0.1 is used; code-server and Chromium are ended on every way out.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort, killGroup, run, startDaemon, tail, waitForHttp } from './processes.mjs';
import { Workbench, until } from './workbench.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXTENSION_DIR = path.resolve(HERE, '..');
const REPO = path.resolve(EXTENSION_DIR, '..', '..');
const OUT = path.join(REPO, 'target', 'vscode-e2e');
const DOCS_IMAGE = path.join(REPO, 'docs', 'images', 'vscode.png');
const DOCS_IMAGE_MAX_BYTES = 400 * 1024;
const TOOLS = process.env.LLMSPELL_E2E_TOOLS || path.join(os.homedir(), '.cache', 'llmspell-e2e');
const TOTAL_TIMEOUT_MS = Number(process.env.LLMSPELL_E2E_TIMEOUT_S || 300) * 1000;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const updateDocsImage = argv.includes('--update-docs-image');

/** What to end on the way out, whatever the way. */
const cleanup = { codeServerPid: undefined, browser: undefined, browserPid: undefined, tmp: undefined, keepTmp: false };
const results = [];
/** The check in progress, for the time limit's report. */
const current = { check: undefined, page: undefined };
const started = Date.now();

function log(message) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[e2e ${seconds}s] ${message}`);
}

/** The shared install script beside the repository (or beside a folder above it). */
function installScript() {
  let dir = REPO;
  for (;;) {
    const candidate = path.join(path.dirname(dir), 'shared', 'tools', 'install-code-server.sh');
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(
        `no shared/tools/install-code-server.sh beside ${REPO} or any folder above it: ` +
          'clone the repository next to the shared folder, as CI does',
      );
    }
    dir = path.dirname(dir);
  }
}

/** code-server, Chromium and playwright-core, installed once into TOOLS. */
async function ensureTools() {
  const codeServer = path.join(TOOLS, 'node_modules', '.bin', 'code-server');
  const playwright = path.join(TOOLS, 'node_modules', 'playwright-core');
  if (!(fs.existsSync(codeServer) && fs.existsSync(playwright) && fs.existsSync(CHROMIUM))) {
    const script = installScript();
    log(`installing code-server, Chromium and playwright-core into ${TOOLS} with ${script} (the first time takes minutes)`);
    await run('bash', [script, TOOLS], { timeoutMs: 30 * 60_000 });
  }
  const require = createRequire(path.join(TOOLS, 'node_modules', 'noop.js'));
  return { codeServer, playwright: require('playwright-core') };
}

/** The server binary: LLMSPELL_BIN, or target/debug/llmspell, built when missing. */
async function ensureServer() {
  const fromEnv = process.env.LLMSPELL_BIN;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) {
      throw new Error(`LLMSPELL_BIN=${fromEnv} does not exist`);
    }
    return path.resolve(fromEnv);
  }
  const debug = path.join(REPO, 'target', 'debug', 'llmspell');
  if (!fs.existsSync(debug)) {
    log('target/debug/llmspell is missing: cargo build -p llmspell-server');
    await run('cargo', ['build', '-p', 'llmspell-server'], { cwd: REPO, timeoutMs: 30 * 60_000 });
  }
  return debug;
}

/** The .vsix to install: --vsix, else a fresh `npm run package`. */
async function ensureVsix() {
  const given = option('--vsix');
  if (given) {
    if (!fs.existsSync(given)) {
      throw new Error(`--vsix ${given} does not exist`);
    }
    return path.resolve(given);
  }
  log('packaging the extension (npm run package)');
  await run('npm', ['run', '--silent', 'package'], { cwd: EXTENSION_DIR, timeoutMs: 180_000 });
  return path.join(EXTENSION_DIR, 'llmspell.vsix');
}

/** The scripts the checks use, added to the copy of examples/. */
const SCRIPTS = {
  // No word "create" anywhere in it, so only the server can offer `create` after `Agent.`.
  'e2e_complete.lua': '-- The end-to-end test types a completion request below.\n\n',
  'e2e_typo.lua': 'local agent = Agent.craete{ model = "mock/echo" }\nprint(agent)\n',
  'e2e_run.lua':
    'print("e2e run: first line")\n' +
    'Tool.execute("sleep", { ms = 2500 })\n' +
    'print("e2e run: second line")\n',
  'e2e_lens.lua': 'print("e2e lens: ran from the code lens")\n',
  'e2e_error.lua': 'print("e2e error: before")\nerror("e2e error: boom")\n',
  'e2e_long.lua':
    'print("e2e long: started")\n' + 'Tool.execute("sleep", { ms = 60000 })\n' + 'print("e2e long: not reached")\n',
};

/** The workspace (a copy of examples/ plus SCRIPTS) and the editor's profile. */
function prepareFolders(serverBinary) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmspell-vscode-e2e-'));
  cleanup.tmp = tmp;
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
  for (const [name, text] of Object.entries(SCRIPTS)) {
    fs.writeFileSync(path.join(workspace, name), text);
  }
  // A copy of the binary, so a rebuild of target/ during the test cannot swap it mid-run.
  const binary = path.join(tmp, 'bin', 'llmspell');
  fs.mkdirSync(path.dirname(binary));
  fs.copyFileSync(serverBinary, binary);
  fs.chmodSync(binary, 0o755);

  return { tmp, workspace, extensions: path.join(tmp, 'extensions'), binary };
}

/**
 * An editor profile (user-data folder) whose settings point the extension at `binary`.
 * `trust`: keep workspace trust on, so that the workspace can be opened in Restricted Mode.
 */
function makeProfile(tmp, name, binary, { trust, trace }) {
  const userData = path.join(tmp, name);
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const settings = {
    'llmspell.server.path': binary,
    'llmspell.trace.server': trace,
    'security.workspace.trust.enabled': trust,
    // Dialogs, tours and background traffic the test does not want.
    'security.workspace.trust.startupPrompt': 'always',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'chat.commandCenter.enabled': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    // Suggestions only from language servers: a word from another file could say `create` too.
    'editor.wordBasedSuggestions': 'off',
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return userData;
}

/** Starts code-server on a free loopback port; returns its address once it answers. */
async function startCodeServer(codeServer, env, { userData, extensions, workspace, trust, logName }) {
  const port = await freePort();
  const logFile = path.join(OUT, logName);
  const daemon = startDaemon(
    codeServer,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(trust ? [] : ['--disable-workspace-trust']),
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      workspace,
    ],
    { env, logFile },
  );
  cleanup.codeServerPid = daemon.child.pid;
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/`, [302, 200], 60_000, daemon.exited);
  } catch (error) {
    throw new Error(`${error.message}\ncode-server log (${logFile}):\n${tail(logFile)}`, { cause: error });
  }
  log(`code-server is up on ${base}`);
  return base;
}

/** Ends the code-server started last. */
async function stopCodeServer() {
  const pid = cleanup.codeServerPid;
  cleanup.codeServerPid = undefined;
  await killGroup(pid);
}

/** A browser page with the workbench on `workspace`, loaded. */
async function openWorkbench(browser, base, workspace) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The workbench restores its layout and starts the extension host after it is drawn.
  await page.locator('.statusbar').waitFor({ state: 'visible', timeout: 30_000 });
  log('workbench loaded');
  return page;
}

/** Runs one check, recording its verdict, duration and screenshot; failures do not stop the rest. */
async function check(name, page, body) {
  const t0 = Date.now();
  log(`check ${name} ...`);
  current.check = name;
  current.page = page;
  const shot = path.join(OUT, `${String(results.length + 1).padStart(2, '0')}-${name.replace(/\W+/g, '-')}.png`);
  try {
    const detail = await body(shot);
    await page.screenshot({ path: shot }).catch(() => undefined);
    results.push({ name, ok: true, ms: Date.now() - t0, detail: detail ?? '', screenshot: shot });
    log(`check ${name}: passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    const failShot = shot.replace(/\.png$/, '-FAILED.png');
    await page.screenshot({ path: failShot }).catch(() => undefined);
    results.push({ name, ok: false, ms: Date.now() - t0, detail: error.message, screenshot: failShot });
    log(`check ${name}: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${error.message}\n    screenshot: ${failShot}`);
  }
}

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });

  const [{ codeServer, playwright }, serverBinary, vsix] = await Promise.all([
    ensureTools(),
    ensureServer(),
    ensureVsix(),
  ]);
  startWatchdog();
  const dirs = prepareFolders(serverBinary);
  log(`workspace ${dirs.workspace}; server ${serverBinary}; vsix ${vsix}`);

  // code-server keeps its own config and data under XDG folders: point them into the temporary
  // folder so the test neither reads nor writes the user's.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dirs.tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dirs.tmp, 'xdg-cache'),
  };
  const userData = makeProfile(dirs.tmp, 'user-data', dirs.binary, { trust: false, trace: 'messages' });
  const installed = await run(
    codeServer,
    ['--user-data-dir', userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix],
    { env, capture: true, timeoutMs: 120_000 },
  );
  if (!/successfully installed/i.test(installed)) {
    throw new Error(`code-server did not install ${vsix}:\n${installed}`);
  }
  log('extension installed');

  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  cleanup.browser = browser;
  cleanup.browserPid = browser.process?.()?.pid;

  const session = { userData, extensions: dirs.extensions, workspace: dirs.workspace };
  const base = await startCodeServer(codeServer, env, { ...session, trust: false, logName: 'code-server.log' });
  const page = await openWorkbench(browser, base, dirs.workspace);
  await trustedChecks(page, dirs.workspace);
  await check('trace', page, async () => {
    // llmspell.trace.server is "messages" in this profile: the trace channel has the traffic.
    const text = await until(
      'a "LLMSpell Trace" log with the completion request',
      async () => {
        const logs = logFiles(userData, /LLMSpell Trace\.log$/);
        const t = logs.map((f) => fs.readFileSync(f, 'utf8')).join('');
        return t.includes("'textDocument/completion") ? t : undefined;
      },
      { timeoutMs: 10_000 },
    );
    return `${text.split('\n').length} lines of trace`;
  });
  await page.close();
  await stopCodeServer();

  // Restricted Mode: a second editor profile with workspace trust on, on the same workspace,
  // whose own settings now name a server that does not exist: Restricted Mode must ignore that
  // (llmspell.server.path is a restricted setting) and keep using the user's.
  fs.mkdirSync(path.join(dirs.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'llmspell.server.path': '/nonexistent/llmspell-from-the-workspace' }),
  );
  const restricted = makeProfile(dirs.tmp, 'user-data-restricted', dirs.binary, { trust: true, trace: 'off' });
  const base2 = await startCodeServer(codeServer, env, {
    ...session,
    userData: restricted,
    trust: true,
    logName: 'code-server-restricted.log',
  });
  const page2 = await openWorkbench(browser, base2, dirs.workspace);
  await restrictedChecks(page2);
  await check('no trace when off', page2, async () => {
    const logs = logFiles(restricted, /LLMSpell Trace\.log$/);
    if (logs.length > 0) {
      throw new Error(`llmspell.trace.server is off, yet there is a trace: ${logs.join(', ')}`);
    }
    return 'no "LLMSpell Trace" channel';
  });
  await page2.close();
  await stopCodeServer();
}

/** The checks in a trusted workspace (the folder `workspace`): completion, problems, runs. */
async function trustedChecks(page, workspace) {
  const wb = new Workbench(page);

  await check('completion', page, async () => {
    const lines = await wb.openFile('e2e_complete.lua');
    await lines.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('local w = Agent.', { delay: 40 });
    // The server may still be starting: ask again until it answers.
    const labels = await until(
      'the suggest widget to offer `create` after `Agent.`',
      async () => {
        let rows = await wb.suggestions();
        if (!rows.some((r) => /^create\b/.test(r))) {
          await page.keyboard.press('Escape');
          await page.keyboard.press('Control+Space');
          await page.waitForTimeout(700);
          rows = await wb.suggestions();
        }
        return rows.some((r) => /^create\b/.test(r)) ? rows : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    const create = labels.find((r) => /^create\b/.test(r));
    if (/\bText\b/i.test(create)) {
      throw new Error(`\`create\` is offered as a word, not by the server: ${create}`);
    }
    return `suggest widget rows: ${labels.slice(0, 5).join(' | ')}`;
  });
  await wb.escape();

  await check('problems', page, async () => {
    await wb.openFile('e2e_typo.lua');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
    const rows = await until(
      "the Problems panel to report Agent.craete",
      async () => {
        const texts = await wb.problems();
        return texts.some((t) => t.includes("has no member 'craete'")) ? texts : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const matching = rows.filter((t) => t.includes("has no member 'craete'"));
    const row = matching[0];
    if (!row.includes('unknown-member')) {
      throw new Error(`the problem does not name its rule unknown-member: ${row}`);
    }
    // Pushed and pulled diagnostics shown side by side would list it twice.
    if (matching.length !== 1) {
      throw new Error(`the problem is listed ${matching.length} times:\n${rows.join('\n')}`);
    }
    return row.replace(/\s+/g, ' ');
  });

  await check('diagnostics setting', page, async () => {
    // The workspace's settings file, edited while the editor runs: the extension passes the
    // `llmspell` section on, and the server clears the problem, then shows it again.
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    const craete = (texts) => texts.some((t) => t.includes("has no member 'craete'"));
    fs.writeFileSync(settingsFile, JSON.stringify({ 'llmspell.diagnostics.enable': false }));
    await until('the problem to go with llmspell.diagnostics.enable false', async () => !craete(await wb.problems()), {
      timeoutMs: 20_000,
    });
    fs.writeFileSync(settingsFile, JSON.stringify({ 'llmspell.diagnostics.enable': true }));
    await until('the problem to come back with llmspell.diagnostics.enable true', async () => craete(await wb.problems()), {
      timeoutMs: 20_000,
    });
    fs.rmSync(settingsFile);
    return 'cleared and shown again without an edit';
  });

  await check('run', page, async () => {
    await wb.openFile('e2e_run.lua');
    await wb.command('LLMSpell: Run Script');
    // Streamed: the first line is shown while the script still sleeps before the second one.
    await until(
      'the first line in "LLMSpell Run" while the run is in flight',
      async () => {
        const text = await wb.outputText();
        return text.includes('e2e run: first line') && !text.includes('e2e run: second line');
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const status = await until(
      'the status bar item of the run',
      async () => (await wb.statusBarTexts()).find((t) => t.includes('e2e_run.lua')),
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    await page.screenshot({ path: path.join(OUT, 'run-in-flight.png') });
    const text = await until(
      'the run to finish in "LLMSpell Run"',
      async () => {
        const t = await wb.outputText();
        return t.includes('■ Finished') ? t : undefined;
      },
      { timeoutMs: 20_000 },
    );
    for (const expected of ['▶ Running e2e_run.lua', 'e2e run: second line', '[tool] sleep({"ms":2500})']) {
      if (!text.includes(expected)) {
        throw new Error(`"LLMSpell Run" lacks ${JSON.stringify(expected)}:\n${text}`);
      }
    }
    await until(
      'the status bar item to go away after the run',
      async () => !(await wb.statusBarTexts()).some((t) => t.includes('e2e_run.lua')),
      { timeoutMs: 5_000 },
    );
    return `status bar showed "${status.trim()}"; output: ${text.trim().split('\n').join(' ⏎ ')}`;
  });

  await check('code lens', page, async () => {
    const lines = await wb.openFile('e2e_lens.lua');
    await lines.click();
    // An edit left unsaved: the server runs the editor's text, not the file on disk.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('print("e2e lens: unsaved edit")', { delay: 20 });
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run' }).filter({ visible: true }).first();
    await lens.waitFor({ state: 'visible', timeout: 20_000 });
    await lens.click();
    const text = await until(
      'the code lens run in "LLMSpell Run"',
      async () => {
        const t = await wb.outputText();
        return /▶ Running e2e_lens\.lua[\s\S]*■ Finished/.test(t) ? t : undefined;
      },
      { timeoutMs: 20_000 },
    );
    for (const expected of ['e2e lens: ran from the code lens', 'e2e lens: unsaved edit']) {
      if (!text.includes(expected)) {
        throw new Error(`"LLMSpell Run" lacks ${JSON.stringify(expected)}:\n${text}`);
      }
    }
    return text.trim().split('\n').slice(-4).join(' ⏎ ');
  });

  await check('stop', page, async () => {
    await wb.openFile('e2e_long.lua');
    await wb.command('LLMSpell: Run Script');
    await until('the long run to start', async () => (await wb.outputText()).includes('e2e long: started'), {
      timeoutMs: 20_000,
    });
    const item = page.locator('.statusbar-item', { hasText: 'e2e_long.lua' }).first();
    await item.waitFor({ state: 'visible', timeout: 5_000 });
    // The server's code lens offers "■ Stop" while the script runs (it asks VS Code to refresh
    // the lenses as runs start and end).
    const lensTexts = async () => (await page.locator('.codelens-decoration').filter({ visible: true }).allInnerTexts()).join(' ');
    await until('the "■ Stop" code lens during the run', async () => (await lensTexts()).includes('Stop'), {
      timeoutMs: 10_000,
    });
    const t0 = Date.now();
    await item.click();
    const text = await until(
      'the run to stop after a click on the status bar item',
      async () => {
        const t = await wb.outputText();
        return t.includes('■ Stopped') ? t : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    const stoppedMs = Date.now() - t0;
    await until('the "■ Stop" code lens to go away after the stop', async () => {
      const lenses = await lensTexts();
      return lenses.includes('Run') && !lenses.includes('Stop');
    }, { timeoutMs: 10_000 });
    if (text.includes('e2e long: not reached')) {
      throw new Error(`the script went on after the stop:\n${text}`);
    }
    await until(
      'the status bar item to go away after the stop',
      async () => !(await wb.statusBarTexts()).some((t) => t.includes('e2e_long.lua')),
      { timeoutMs: 5_000 },
    );
    return `stopped ${stoppedMs} ms after the click; ${text.trim().split('\n').slice(-2).join(' ⏎ ')}`;
  });

  await check('run error', page, async () => {
    await wb.openFile('e2e_error.lua');
    await wb.command('LLMSpell: Run Script');
    await until('the failed run in "LLMSpell Run"', async () => (await wb.outputText()).includes('■ Failed'), {
      timeoutMs: 20_000,
    });
    // The server marks the line that raised the error, as a problem from "llmspell run".
    await page.keyboard.press('Control+Shift+M');
    const row = await until(
      "the run's error in the Problems panel",
      async () => (await wb.problems()).find((t) => t.includes('e2e error: boom')),
      { timeoutMs: 10_000 },
    );
    if (!row.includes('llmspell run') || !row.includes('Ln 2')) {
      throw new Error(`the run's error is not on line 2 from "llmspell run": ${row}`);
    }
    return row.replace(/\s+/g, ' ');
  });

  // The picture for the docs: a script, its run output, and completion open over it.
  await check('showcase', page, async (shot) => {
    const lines = await wb.openFile('streaming.lua');
    await wb.command('View: Close Other Editors in Group');
    const runStreaming = async () => {
      await wb.command('LLMSpell: Run Script');
      await until('streaming.lua to finish', async () => /Running streaming\.lua[\s\S]*■ Finished/.test(await wb.outputText()), {
        timeoutMs: 20_000,
      });
    };
    // Only one run's output in the picture: run (which shows the channel), clear it, run again.
    await runStreaming();
    await page.locator('.panel .action-label[aria-label="Clear Output"]').first().click({ timeout: 5_000 });
    await runStreaming();
    // Without the side bar the documentation fits beside the suggestions.
    await wb.command('View: Toggle Primary Side Bar Visibility');
    await lines.click();
    // Line 14 is blank, under the agent's creation: completion opens with room below it.
    const goTo = await wb.quickInput('Control+G');
    await goTo.fill(':14');
    await page.keyboard.press('Enter');
    await page.keyboard.type('local critic = Agent.', { delay: 30 });
    await until('the suggest widget', async () => (await wb.suggestions()).some((r) => /^create\b/.test(r)), {
      timeoutMs: 15_000,
    });
    // Ctrl+Space on an open suggest widget shows the documentation of the selected item.
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-details-container').filter({ visible: true }).first().waitFor({ timeout: 5_000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    await page.screenshot({ path: shot });
    if (updateDocsImage) {
      const size = fs.statSync(shot).size;
      if (size > DOCS_IMAGE_MAX_BYTES) {
        throw new Error(`${shot} is ${size} bytes, more than the docs allow (${DOCS_IMAGE_MAX_BYTES})`);
      }
      fs.mkdirSync(path.dirname(DOCS_IMAGE), { recursive: true });
      fs.copyFileSync(shot, DOCS_IMAGE);
      return `copied to ${path.relative(REPO, DOCS_IMAGE)} (${size} bytes)`;
    }
    return 'run with --update-docs-image to copy it to docs/images/vscode.png';
  });
  await wb.escape();

  await check('server missing', page, async () => {
    // A server path that does not exist, typed into the Settings editor as a user would: the
    // extension restarts the server on the change and says what to do.
    await wb.command('Preferences: Open User Settings');
    const search = page.locator('.settings-editor .settings-header .suggest-input-container textarea, .settings-editor .settings-header input').first();
    await search.waitFor({ state: 'visible', timeout: 15_000 });
    // The Workspace tab: in code-server the User tab hides machine-scoped settings (they belong
    // to the "Remote" machine), and a workspace value is what a user would try first anyway.
    await page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: 'Workspace' }).first().click();
    await search.fill('llmspell.server.path');
    const field = page.locator('.settings-editor .setting-item-contents', { hasText: 'Server: Path' }).locator('input').first();
    await field.waitFor({ state: 'visible', timeout: 15_000 });
    await field.fill('/nonexistent/llmspell');
    await page.keyboard.press('Tab');
    const toast = page.locator('.notification-toast', { hasText: 'cargo install --path server' }).first();
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    if (!text.includes('/nonexistent/llmspell') || !text.includes('Open Settings')) {
      throw new Error(`the notification does not name the setting's value and offer the settings: ${text}`);
    }
    return text;
  });

  await page.keyboard.press('Escape');
}

/** The checks in Restricted Mode: analysis works, runs are refused and offered nowhere. */
async function restrictedChecks(page) {
  const wb = new Workbench(page);

  await check('restricted mode', page, async () => {
    await page.getByRole('button', { name: "No, I don't trust the authors" }).click({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 10_000 });
    await wb.openFile('e2e_typo.lua');
    await page.keyboard.press('Control+Shift+M');
    await until(
      'the Problems panel to report Agent.craete in Restricted Mode',
      async () => (await wb.problems()).some((t) => t.includes("has no member 'craete'")),
      { timeoutMs: 30_000 },
    );
    // The server has answered for this file, so its lenses came too: none may offer a run.
    await page.waitForTimeout(2_000);
    const lenses = await page.locator('.codelens-decoration').filter({ visible: true }).allInnerTexts();
    if (lenses.some((l) => l.includes('Run'))) {
      throw new Error(`a run is offered in Restricted Mode: code lens ${JSON.stringify(lenses)}`);
    }
    await wb.command('LLMSpell: Run Script');
    const toast = page.locator('.notification-toast', { hasText: 'untrusted workspace' }).first();
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
    const message = (await toast.innerText()).split('\n')[0];
    if ((await wb.outputText()).includes('▶ Running')) {
      throw new Error('the script ran in Restricted Mode');
    }
    return `analysis works (the workspace's llmspell.server.path was ignored), no Run lens, Run Script refused: "${message}"`;
  });
}

/** Ends code-server (and the server it started) and Chromium; deletes the temporary folder. */
async function shutdown() {
  const { browser, browserPid, codeServerPid, tmp } = cleanup;
  cleanup.browser = cleanup.browserPid = cleanup.codeServerPid = undefined;
  if (browser) {
    await Promise.race([browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  }
  if (browserPid) {
    try {
      process.kill(browserPid, 'SIGKILL');
    } catch {
      // Already closed.
    }
  }
  await killGroup(codeServerPid);
  if (tmp && !cleanup.keepTmp) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The last resort when the process exits some other way: no waiting possible, so SIGKILL. */
process.on('exit', () => {
  for (const [pid, group] of [
    [cleanup.codeServerPid, true],
    [cleanup.browserPid, false],
  ]) {
    if (pid) {
      try {
        process.kill(group ? -pid : pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    void shutdown().finally(() => process.exit(130));
  });
}

function report() {
  const width = Math.max(...results.map((r) => r.name.length), 5);
  console.log('\nVS Code end-to-end results:');
  for (const r of results) {
    console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${r.detail}`);
    if (!r.ok) {
      console.log(`        screenshot: ${r.screenshot}`);
    }
  }
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ totalMs: Date.now() - started, results }, null, 2));
}

/** The files under a profile's logs folder whose names match `pattern`. */
function logFiles(userData, pattern) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(p);
      } else if (pattern.test(entry.name)) {
        found.push(p);
      }
    }
  };
  try {
    walk(path.join(userData, 'logs'));
  } catch {
    // No logs yet.
  }
  return found;
}

/** The extension's own log ("LLMSpell" output channel), which says how the server started. */
function extensionLog(userData) {
  const found = logFiles(userData, /LLMSpell\.log$/);
  return found.map((f) => `${f}:\n${tail(f, 20)}`).join('\n') || '(no LLMSpell log)';
}

/** After a failure: keeps the temporary folder and prints where to look. */
function explainFailure() {
  cleanup.keepTmp = process.env.LLMSPELL_E2E_KEEP !== '0';
  if (cleanup.tmp) {
    console.log(`\nThe extension's log:\n${extensionLog(path.join(cleanup.tmp, 'user-data'))}`);
    console.log(`code-server's logs: ${OUT}/code-server*.log; temporary folder kept: ${cleanup.tmp}`);
  }
}

/**
 * Ends the test when the editor part takes longer than TOTAL_TIMEOUT_MS. Started once the tools,
 * the server and the .vsix are ready: installing them the first time has time limits of its own.
 */
let watchdog;
function startWatchdog() {
  watchdog = setTimeout(() => {
    void (async () => {
      log(`the editor checks took longer than ${TOTAL_TIMEOUT_MS / 1000} s: stopping`);
      const shot = path.join(OUT, 'TIME-LIMIT.png');
      const saved = await Promise.race([
        current.page?.screenshot({ path: shot }).then(() => true, () => false),
        new Promise((r) => setTimeout(() => r(false), 5_000)),
      ]);
      results.push({
        name: 'time limit',
        ok: false,
        ms: Date.now() - started,
        detail: `LLMSPELL_E2E_TIMEOUT_S (${TOTAL_TIMEOUT_MS / 1000} s) exceeded during check ${current.check ?? '(setup)'}`,
        screenshot: saved ? shot : '(none)',
      });
      explainFailure();
      await shutdown();
      report();
      process.exit(1);
    })();
  }, TOTAL_TIMEOUT_MS);
}

let exitCode = 0;
try {
  await main();
  if (results.some((r) => !r.ok)) {
    exitCode = 1;
  }
} catch (error) {
  exitCode = 1;
  log(`FAILED: ${error.message}`);
  results.push({ name: 'setup', ok: false, ms: Date.now() - started, detail: error.message, screenshot: '' });
}
if (exitCode !== 0) {
  explainFailure();
} else {
  cleanup.keepTmp = process.env.LLMSPELL_E2E_KEEP === '1';
}
await shutdown();
clearTimeout(watchdog);
report();
log(exitCode === 0 ? 'all checks passed' : 'some checks FAILED');
process.exit(exitCode);
