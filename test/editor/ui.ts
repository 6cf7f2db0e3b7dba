/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// UI test: the packaged .vsix installed into a real code-server, the samples/ workspace
// opened in Debian's chromium through playwright-core. It finds in the DOM the CodeLens
// text, a lock-pair highlight, the held-lock marking, an inlay hint and a diagnostic
// squiggle, and saves screenshots under test-output/ui/. Exit 1 when one is missing.
import { chromium, type Page } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM_ARGS, ROOT, hostReady, sampleWorkspace, startServer } from './server';

const OUT = path.join(ROOT, 'test-output', 'ui');

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`, { timeout: 20_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 20_000 });
}

/** Puts the cursor on line:column with "Go to Line" (the editor's own command). */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

async function main(): Promise<number> {
  const missing = hostReady();
  if (missing) { console.error(missing); return 2; }
  const vsix = fs.readdirSync(ROOT).find((f) => f.endsWith('.vsix'));
  if (!vsix) { console.error('no .vsix in the repository root: run npm run package'); return 2; }
  const server = await startServer('ui-server', { vsix: path.join(ROOT, vsix), port: 8932 });
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const failures: string[] = [];
  const check = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    try { await fn(); console.log(`ok    ${what}`); } catch (e) { failures.push(what); console.log(`FAIL  ${what}: ${(e as Error).message.split('\n')[0]}`); }
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(sampleWorkspace('ui-server'))}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForSelector('.explorer-folders-view', { timeout: 60_000 });

    await openFile(page, 'collect.c');
    await check('CodeLens text above a migration-related function', () =>
      page.waitForSelector('.contentWidgets .codelens-decoration:has-text("migration: helper")', { timeout: 30_000 }));
    await check('held-lock marking (whole-line background)', () => page.waitForFunction(() => {
      // A whole-line decoration whose background is our theme color, on many lines.
      const probe = document.createElement('div');
      probe.style.backgroundColor = 'var(--vscode-hmmLens-heldLockBackground)';
      document.querySelector('.monaco-workbench')!.appendChild(probe);
      const want = getComputedStyle(probe).backgroundColor;
      probe.remove();
      const marked = [...document.querySelectorAll('.view-overlays div')].filter((d) => getComputedStyle(d).backgroundColor === want);
      return want !== 'rgba(0, 0, 0, 0)' && marked.length > 5;
    }, undefined, { timeout: 20_000 }));
    await goTo(page, 30, 12);
    await check('lock-pair highlight on the acquire and its release', () => page.waitForFunction(
      () => document.querySelectorAll('.view-overlays .wordHighlightStrong, .view-overlays .wordHighlight').length >= 2, undefined, { timeout: 20_000 }));
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(OUT, 'collect-locks.png') });
    // The sample's bug (sample_leak_on_error, line 65): bring it into view, the editor renders only what is visible.
    await goTo(page, 72, 1);
    await check('a lock/ diagnostic squiggle', () => page.waitForSelector('.view-overlays .squiggly-warning', { timeout: 20_000 }));
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(OUT, 'collect-diagnostic.png') });

    await openFile(page, 'vgpu_collect.c');
    await goTo(page, 60, 1);
    await check('inlay hint with the bits a stored pte carries', () => page.waitForFunction(
      // Injected text: in the span's text, or in the content of its ::before/::after rule.
      () => [...document.querySelectorAll('.monaco-editor .view-lines *')].some((s) => [s.textContent ?? '',
        getComputedStyle(s, '::before').content, getComputedStyle(s, '::after').content]
        .some((t) => /swp_pte carries write, dirty/.test(t.replace(/\u00a0/g, ' ')))),
      undefined, { timeout: 20_000 }));
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(OUT, 'vgpu-inlay-hints.png') });

    await openFile(page, 'fakegpu.c');
    await goTo(page, 139, 1);
    await check('CodeLens with phases and callers', () =>
      page.waitForSelector('.codelens-decoration:has-text("migration: caller · setup, pages, finalize")', { timeout: 30_000 }));
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(OUT, 'fakegpu-codelens.png') });
  } finally {
    await browser.close();
    server.stop();
  }
  console.log(`screenshots: ${fs.readdirSync(OUT).map((f) => path.join('test-output', 'ui', f)).join(', ')}`);
  if (failures.length) { console.error(`UI test: ${failures.length} check(s) failed: ${failures.join('; ')}`); return 1; }
  console.log('UI test: all checks passed');
  return 0;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
