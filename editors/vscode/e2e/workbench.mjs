// Driving the VS Code workbench in the browser with playwright: opening files, running commands
// from the palette, reading the suggest widget, the Problems panel, the output view and the
// status bar. The selectors are the ones listed in shared/tools/VSCODE-E2E.md.

/** Monaco renders spaces as no-break spaces; tests compare plain text. */
export function plain(text) {
  return text.replace(/\u00a0/g, ' ');
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function until(what, probe, { timeoutMs, intervalMs = 150 }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

export class Workbench {
  constructor(page) {
    this.page = page;
  }

  /** Closes menus, widgets and quick inputs left open. */
  async escape(times = 2) {
    for (let i = 0; i < times; i++) {
      await this.page.keyboard.press('Escape');
    }
  }

  /** The quick input (Ctrl+P, Ctrl+Shift+P) once it is shown. */
  async quickInput(keys) {
    await this.escape();
    await this.page.keyboard.press(keys);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    return input;
  }

  /** Opens a workspace file by name with Quick Open and focuses its editor. */
  async openFile(name) {
    const input = await this.quickInput('Control+P');
    await input.fill(name);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.page
      .locator(`.tabs-container .tab.active[aria-label*="${name}"]`)
      .waitFor({ state: 'visible', timeout: 15_000 });
    const lines = this.activeEditorLines();
    await lines.waitFor({ state: 'visible', timeout: 15_000 });
    return lines;
  }

  /** The text area of the visible editor. */
  activeEditorLines() {
    return this.page.locator('.part.editor .editor-instance .monaco-editor .view-lines').filter({ visible: true }).first();
  }

  /** Runs a command palette entry by its full title. */
  async command(title) {
    const input = await this.quickInput('Control+Shift+P');
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
  }

  /** The aria-labels of the suggest widget's rows (label, kind, details), or [] when closed. */
  async suggestions() {
    const rows = this.page.locator('.suggest-widget.visible .monaco-list-row');
    return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  }

  /** The rows of the Problems panel, as text. */
  async problems() {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return (await rows.allInnerTexts()).map(plain);
  }

  /** The text of the output view (the visible lines of the selected channel). */
  async outputText() {
    const lines = this.page.locator('.output-view .view-lines');
    if ((await lines.count()) === 0) {
      return '';
    }
    return plain(await lines.first().innerText());
  }

  /** The texts of the status bar's items. */
  async statusBarTexts() {
    return (await this.page.locator('.statusbar-item').allInnerTexts()).map(plain);
  }
}
