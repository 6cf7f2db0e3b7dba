// Extension-host tests: code-server loads the extension from the repository
// (extensionDevelopmentPath) and runs out/editor/suite/index.js (extensionTestsPath,
// mocha 11) inside its extension host, on the samples/ workspace. Chromium only opens
// the workbench; the suite's exit code comes back through codeAutomationExit.
import { chromium } from 'playwright-core';
import * as path from 'node:path';
import { CHROMIUM_ARGS, ROOT, hostReady, sampleWorkspace, startServer } from './server';

async function main(): Promise<number> {
  const missing = hostReady();
  if (missing) { console.error(missing); return 2; }
  const server = await startServer('host', { smoke: true, port: 8931 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const done = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => console.log(...(args as string[])));
    const remote = (p: string): string => `vscode-remote://remote${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(path.join(ROOT, 'out', 'editor', 'suite', 'index.js'))],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(sampleWorkspace('host'))}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => { console.error('extension-host tests: timed out after 240 s'); resolve(1); }, 240_000));
    const code = await Promise.race([done, timeout]);
    console.log(`extension-host tests: exit code ${code}`);
    return code;
  } finally {
    await browser.close();
    server.stop();
  }
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
