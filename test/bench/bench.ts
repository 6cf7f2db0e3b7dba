// Speed and memory benchmark.
//
// Why: the tool must be cheap enough to run on a whole kernel subsystem from
// the command line and on every keystroke in the editor. Two targets:
//   (a) `hmm-lens check <kernel>/mm/` as a user runs it (the built CLI, a fresh
//       node process each time, startup included): < 5 s wall, < 500 MB peak RSS.
//       Measured 3 times under GNU time (`/usr/bin/time -f '%e %M'`); without
//       GNU time, wall is timed here and peak RSS is VmHWM from /proc/<pid>/status,
//       polled every 10 ms (may slightly under-read; BENCH_NO_GNU_TIME=1 forces it). Also prints the size of mm/
//       (lines of .c/.h) and the lock/ findings per 20,000 lines, to watch noise.
//   (b) mm/memory.c alone, in-process (what the editor does on a change):
//       analyseFile 10 times after 2 warm-ups, median and min: < 150 ms.
//   (c) `hmm-lens map mm/ lib/ drivers/gpu/` (the workspace migration map), 3 runs: < 30 s wall.
//   (d) migrate/ findings on every file of mm/, lib/, drivers/ and arch/ that runs a migration
//       protocol step or hmm_range_fault (the only files those rules look at): target 0, each listed.
//   (e) the added cost of bit flows: every mm/ file analysed in-process with and without the
//       pte pass (3 alternating rounds, min of each), and the pte/ findings of (a), each listed.
//   (f) `hmm-lens flags mm/ lib/ drivers/gpu/` (the workspace flag sites), 3 runs.
// Results are informational: PASS/FAIL is printed, the exit code is 0.
// Needs `node scripts/build.mjs` first (npm run bench does it).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { analyseFile } from '../../src/core/analyse';
import { buildCatalogue } from '../../src/core/locks/table';
import { kernelTree, filesUnder, loadParser, median, REPO_ROOT } from './kernel-tree';

const RUNS = 3;
const GNU_TIME = '/usr/bin/time';
const CLI = path.join(REPO_ROOT, 'bin/hmm-lens.js');

interface Run { wall: number; rssMb: number; stdout: string }

function hasGnuTime(): boolean {
  if (process.env.BENCH_NO_GNU_TIME || !fs.existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['-f', '%e', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^\d/.test(r.stderr.trim());
}

/** One CLI run under GNU time; its report goes to a temp file (`-o`) so the CLI's stderr cannot mix in. */
function runGnuTime(args: string[]): Run {
  const report = path.join(os.tmpdir(), `hmm-lens-bench-${process.pid}.time`);
  const r = spawnSync(GNU_TIME, ['-o', report, '-f', '%e %M', process.execPath, CLI, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = fs.readFileSync(report, 'utf8').trim().split('\n').pop() ?? ''; // a "Command exited…" line may precede it
  fs.rmSync(report, { force: true });
  const [wall, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(wall) || !Number.isFinite(kb)) throw new Error(`cannot read GNU time output: ${last}`);
  checkExit(r.status, r.stderr);
  return { wall, rssMb: kb / 1024, stdout: r.stdout };
}

/** Fallback: wall from hrtime, peak RSS by polling VmHWM. */
function runPolling(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hwmKb = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const poll = (): void => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
      } catch { /* exited */ }
    };
    const timer = setInterval(poll, 10);
    child.on('error', (e) => { clearInterval(timer); reject(e); });
    child.on('close', (code) => {
      clearInterval(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      try { checkExit(code, stderr); } catch (e) { reject(e); return; }
      resolve({ wall, rssMb: hwmKb / 1024, stdout });
    });
  });
}

/** `check` exits 0 (no findings) or 1 (findings); anything else is a failed run. */
function checkExit(code: number | null, stderr: string): void {
  if (code !== 0 && code !== 1) throw new Error(`hmm-lens exited with ${code}:\n${stderr}`);
}

function countLines(files: string[]): number {
  let n = 0;
  for (const f of files) {
    const t = fs.readFileSync(f, 'utf8');
    for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) n++;
    if (t.length && !t.endsWith('\n')) n++;
  }
  return n;
}

async function main(): Promise<void> {
  const tree = kernelTree();
  const mm = path.join(tree, 'mm');
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/cli.js'))) {
    process.stderr.write('dist/cli.js is missing: run `node scripts/build.mjs` first\n');
    process.exit(2);
  }
  const mmFiles = filesUnder(mm, /\.[ch]$/);
  const lines = countLines(mmFiles);

  // (a) the CLI on mm/
  const gnu = hasGnuTime();
  const args = ['check', '--format', 'json', `${mm}/`];
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(gnu ? runGnuTime(args) : await runPolling(args));
  const findings = (JSON.parse(runs[0].stdout) as { findings: Array<{ ruleId: string }> })
    .findings.filter((f) => f.ruleId.startsWith('lock/')).length;
  const walls = runs.map((r) => r.wall);
  const peak = Math.max(...runs.map((r) => r.rssMb));

  // (b) memory.c in-process
  const parser = await loadParser();
  const catalogue = buildCatalogue();
  const memoryC = path.join(mm, 'memory.c');
  const text = fs.readFileSync(memoryC, 'utf8');
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t0 = process.hrtime.bigint();
    analyseFile(parser, memoryC, text, { catalogue });
    if (i >= 2) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }

  // (c) the workspace map
  const mapArgs = ['map', '--format', 'json', `${mm}/`, path.join(tree, 'lib/'), path.join(tree, 'drivers/gpu/')];
  const mapRuns: Run[] = [];
  for (let i = 0; i < RUNS; i++) mapRuns.push(gnu ? runGnuTime(mapArgs) : await runPolling(mapArgs));
  const mapWalls = mapRuns.map((r) => r.wall);
  const mapped = JSON.parse(mapRuns[0].stdout) as { files: number; functions: Array<{ related: boolean }>; calls: unknown[] };

  // (d) migrate/ findings where the protocol rules apply
  const protocolUse = /\b(migrate_vma_setup|migrate_device_range|migrate_device_pfns|migrate_vma_pages|migrate_vma_finalize|migrate_device_pages|migrate_device_finalize|hmm_range_fault)\s*\(/;
  const users = ['mm', 'lib', 'drivers', 'arch'].filter((d) => fs.existsSync(path.join(tree, d)))
    .flatMap((d) => filesUnder(path.join(tree, d), /\.[ch]$/))
    .filter((f) => protocolUse.test(fs.readFileSync(f, 'utf8')));
  const checked = gnu ? runGnuTime(['check', '--format', 'json', ...users]) : await runPolling(['check', '--format', 'json', ...users]);
  const migrateFindings = (JSON.parse(checked.stdout) as { findings: Array<{ ruleId: string; path: string; line: number; message: string }> })
    .findings.filter((f) => f.ruleId.startsWith('migrate/'));

  // (e) bit flows: what they add to the analysis of mm/, in-process
  const mmTexts = mmFiles.map((f) => [f, fs.readFileSync(f, 'utf8')] as const);
  const pass = (bitFlows: boolean): number => {
    const t0 = process.hrtime.bigint();
    for (const [f, t] of mmTexts) analyseFile(parser, f, t, { catalogue, bitFlows });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const withFlows: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < RUNS; i++) { without.push(pass(false)); withFlows.push(pass(true)); }
  const added = Math.min(...withFlows) - Math.min(...without);
  const pteFindings = (JSON.parse(runs[0].stdout) as { findings: Array<{ ruleId: string; path: string; line: number; message: string }> })
    .findings.filter((f) => f.ruleId.startsWith('pte/'));

  // (f) flag sites over the same tree as the map
  const flagArgs = ['flags', '--format', 'json', `${mm}/`, path.join(tree, 'lib/'), path.join(tree, 'drivers/gpu/')];
  const flagRuns: Run[] = [];
  for (let i = 0; i < RUNS; i++) flagRuns.push(gnu ? runGnuTime(flagArgs) : await runPolling(flagArgs));
  const sites = (JSON.parse(flagRuns[0].stdout) as { sites: unknown[] }).sites.length;

  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
  const row = (what: string, value: string, target: string, ok?: boolean): string =>
    `${what.padEnd(34)}${value.padStart(12)}   ${target.padEnd(10)}${ok === undefined ? '' : verdict(ok)}`;
  const out = [
    `kernel tree: ${tree}`,
    `mm/: ${mmFiles.length} .c/.h files, ${lines} lines; CLI runs: ${RUNS} (${gnu ? 'GNU time' : 'hrtime + VmHWM polling'})`,
    '',
    row('measure', 'value', 'target'),
    row('check mm/ wall, min (s)', Math.min(...walls).toFixed(2), '< 5', Math.min(...walls) < 5),
    row('check mm/ wall, median (s)', median(walls).toFixed(2), '< 5', median(walls) < 5),
    row('check mm/ peak RSS, max (MB)', peak.toFixed(0), '< 500', peak < 500),
    row('lock/ findings in mm/', String(findings), ''),
    row('findings per 20,000 lines', ((findings * 20000) / lines).toFixed(2), ''),
    row('memory.c in-process, median (ms)', median(times).toFixed(1), '< 150', median(times) < 150),
    row('memory.c in-process, min (ms)', Math.min(...times).toFixed(1), '< 150', Math.min(...times) < 150),
    row('map mm/ lib/ drivers/gpu/, min (s)', Math.min(...mapWalls).toFixed(2), '< 30', Math.min(...mapWalls) < 30),
    row('map mm/ lib/ drivers/gpu/, max (s)', Math.max(...mapWalls).toFixed(2), '< 30', Math.max(...mapWalls) < 30),
    row('map peak RSS, max (MB)', Math.max(...mapRuns.map((r) => r.rssMb)).toFixed(0), ''),
    row('migrate/ findings (protocol users)', String(migrateFindings.length), '0', migrateFindings.length === 0),
    row('bit flows added, mm/ in-process (ms)', added.toFixed(0), ''),
    row('bit flows added (% of analysis)', ((100 * added) / Math.min(...without)).toFixed(1), ''),
    row('pte/ findings in mm/', String(pteFindings.length), ''),
    row('flags mm/ lib/ drivers/gpu/, min (s)', Math.min(...flagRuns.map((r) => r.wall)).toFixed(2), ''),
    '',
    `wall per run (s): ${walls.map((w) => w.toFixed(2)).join(' ')}; RSS per run (MB): ${runs.map((r) => r.rssMb.toFixed(0)).join(' ')}`,
    `map: ${mapped.files} files read, ${mapped.functions.filter((f) => f.related).length} migration-related and `
      + `${mapped.functions.filter((f) => !f.related).length} HMM mirror functions, ${mapped.calls.length} calls; wall per run (s): ${mapWalls.map((w) => w.toFixed(2)).join(' ')}`,
    `protocol users checked (${users.length}): ${users.map((f) => path.relative(tree, f)).join(' ')}`,
    ...migrateFindings.map((f) => `  ${path.relative(tree, f.path)}:${f.line} [${f.ruleId}] ${f.message}`),
    `mm/ in-process (ms), without bit flows: ${without.map((w) => w.toFixed(0)).join(' ')}; with: ${withFlows.map((w) => w.toFixed(0)).join(' ')}`,
    `flags: ${sites} sites; wall per run (s): ${flagRuns.map((r) => r.wall.toFixed(2)).join(' ')}; peak RSS (MB): ${Math.max(...flagRuns.map((r) => r.rssMb)).toFixed(0)}`,
    ...pteFindings.map((f) => `  ${path.relative(tree, f.path)}:${f.line} [${f.ruleId}] ${f.message}`),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error)?.stack ?? e}\n`);
  process.exit(2);
});
