// The command line through runCli(): exit codes (0 clean, 1 findings, 2 bad
// usage or input), the three output formats, annotate, and the workspace file.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../src/cli/main';
import { FIXTURE_DIR, REPO_ROOT } from './helpers/load';

const BUGS = path.join(FIXTURE_DIR, 'bugs.c');
const CLEAN = path.join(FIXTURE_DIR, 'ptl.c');
const IDIOMS = path.join(FIXTURE_DIR, 'kernel_idioms.c');
const MIGRATE_OK = path.join(FIXTURE_DIR, '..', 'migrate', 'gpu_ok.c');
const MIGRATE_BAD = path.join(FIXTURE_DIR, '..', 'migrate', 'gpu_bad.c');

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hmm-lens-cli-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

let tmpCount = 0;
/** A fresh directory with the given files (name → contents). */
function tmpDir(files: Record<string, string | Buffer>): string {
  const dir = path.join(tmpRoot, `d${tmpCount++}`);
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Exit 2 with nothing on stdout and a `hmm-lens: …` error first on stderr. */
function assertUsageError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  const first = r.stderr.split('\n')[0];
  assert.match(first, /^hmm-lens: /);
  assert.match(first, pattern);
}

const LEAK_SRC = [
  '// SPDX-License-Identifier: GPL-2.0',
  'static int tdev_poke(struct tdev *td, int cmd)',
  '{',
  '\tmy_lock(&td->lock);',
  '\tif (cmd > 3)',
  '\t\treturn -EINVAL;',
  '\ttd->last = cmd;',
  '\tmy_unlock(&td->lock);',
  '\treturn 0;',
  '}',
  '',
].join('\n');

const MY_LOCKS = JSON.stringify({
  locks: [
    { name: 'my_lock', op: 'acquire', lock: { arg: 0 }, domain: 'spin' },
    { name: 'my_unlock', op: 'release', lock: { arg: 0 }, domain: 'spin' },
  ],
});

test('importing the CLI module runs nothing', async () => {
  await new Promise((r) => setImmediate(r));
  assert.equal(process.exitCode, undefined);
});

describe('exit codes', () => {
  test('0 on a clean file', async () => {
    const r = await runCli(['check', CLEAN]);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^0 findings in 1 file\n$/);
  });

  test('1 with findings (bugs.c), compiler-style lines', async () => {
    const r = await runCli(['check', BUGS]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /bugs\.c:87:\d+: warning: .*\[lock\/held-at-exit\]$/m);
    assert.match(r.stdout, /bugs\.c:48:\d+: warning: .*\[lock\/double-acquire\]$/m);
    assert.match(r.stdout, /^\d+ findings in 1 file\n$/m);
  });

  test('2 for a missing path: one line on stderr, nothing on stdout', async () => {
    const missing = path.join(tmpRoot, 'no-such-file.c');
    const r = await runCli(['check', missing]);
    assertUsageError(r, /no such file/);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(missing));
  });

  test('2 for a binary file', async () => {
    const dir = tmpDir({ 'blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 0, 0x69, 0x6e, 0x74]) });
    const r = await runCli(['check', path.join(dir, 'blob.c')]);
    assertUsageError(r, /not a text file/);
  });

  test('2 for a directory without .c or .h files', async () => {
    const dir = tmpDir({ 'README.txt': 'nothing here\n', 'sub/notes.md': '# notes\n' });
    const r = await runCli(['check', dir]);
    assertUsageError(r, /no \.c or \.h files/);
  });

  test('2 for an unknown option', async () => {
    assertUsageError(await runCli(['check', '--frobnicate', CLEAN]), /unknown option: --frobnicate/);
  });

  test('2 for a bad --format', async () => {
    assertUsageError(await runCli(['check', '--format', 'xml', CLEAN]), /--format/);
    assertUsageError(await runCli(['check', '--format=yaml', CLEAN]), /--format/);
    assertUsageError(await runCli(['annotate', '--format', 'sarif', CLEAN]), /--format/);
  });

  test('2 for no path and for an unknown command; --help and --version exit 0', async () => {
    assertUsageError(await runCli(['check']), /no PATH/);
    assertUsageError(await runCli(['lint', CLEAN]), /unknown command/);
    assert.equal((await runCli([])).code, 2);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: hmm-lens check/);
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\S*\n$/);
  });

  test('a bad path among good ones still fails before any output', async () => {
    const r = await runCli(['check', BUGS, path.join(tmpRoot, 'missing.c')]);
    assertUsageError(r, /no such file/);
  });
});

describe('formats', () => {
  test('--format json: schemaVersion 1, findings with path', async () => {
    const r = await runCli(['check', '--format', 'json', BUGS]);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.schemaVersion, 1);
    assert.ok(Array.isArray(out.findings) && out.findings.length > 0);
    for (const f of out.findings) {
      assert.equal(f.path, BUGS);
      assert.match(f.ruleId, /^lock\//);
      assert.ok(Number.isInteger(f.line) && f.line >= 1);
      assert.equal(typeof f.message, 'string');
      assert.equal(typeof f.function, 'string');
    }
    assert.ok(out.findings.some((f: { ruleId: string; line: number; function: string }) =>
      f.ruleId === 'lock/held-at-exit' && f.line === 87 && f.function === 'gpuvm_check_pte'));
  });

  test('--format json on a clean file: exit 0 and no findings', async () => {
    const r = await runCli(['check', '--format=json', CLEAN]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).findings, []);
  });

  test('--format sarif: SARIF 2.1.0 with rules, locations and code flows', async () => {
    const r = await runCli(['check', '--format', 'sarif', BUGS]);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    const rules: { id: string }[] = run.tool.driver.rules;
    assert.ok(rules.length >= 3);
    for (const rule of rules) assert.match(rule.id, /^(lock|migrate|pte)\//);
    const ruleIds = new Set(rules.map((x) => x.id));
    const json = JSON.parse((await runCli(['check', '--format', 'json', BUGS])).stdout);
    assert.equal(run.results.length, json.findings.length, 'one result per finding');
    const lines = fs.readFileSync(BUGS, 'utf8').split('\n').length;
    for (const res of run.results) {
      assert.ok(ruleIds.has(res.ruleId), `${res.ruleId} is not a declared rule`);
      assert.match(res.level, /^(error|warning|note)$/);
      assert.equal(typeof res.message.text, 'string');
      assert.ok(res.message.text.length > 0);
      const region = res.locations[0].physicalLocation.region;
      assert.ok(Number.isInteger(region.startLine) && region.startLine >= 1 && region.startLine <= lines);
      assert.ok(res.locations[0].physicalLocation.artifactLocation.uri.endsWith('bugs.c'));
      assert.ok(res.codeFlows[0].threadFlows[0].locations.length > 0, `${res.ruleId}@${region.startLine}: empty code flow`);
    }
    // 1-based, the same line the JSON and text formats give.
    const leak = run.results.find((x: { ruleId: string; message: { text: string } }) =>
      x.ruleId === 'lock/held-at-exit' && x.message.text.includes('gpuvm_check_pte'));
    assert.ok(leak, 'the gpuvm_check_pte leak is reported');
    assert.equal(leak.locations[0].physicalLocation.region.startLine, 87);
  });

  test('annotate --format json: schemaVersion 1 and lock pairs per function', async () => {
    const r = await runCli(['annotate', '--format', 'json', IDIOMS]);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout);
    assert.equal(out.schemaVersion, 1);
    assert.equal(out.files.length, 1);
    assert.equal(out.files[0].path, IDIOMS);
    const fns: { name: string; lockPairs: { lock: string; acquire: { line: number } | null; releases: { line: number }[] }[] }[] =
      out.files[0].functions;
    assert.ok(fns.length > 0);
    for (const fn of fns) assert.ok(Array.isArray(fn.lockPairs), `${fn.name}: no lockPairs`);
    const work = fns.find((f) => f.name === 'hmmt_work_fn');
    assert.ok(work);
    assert.deepEqual(work.lockPairs.map((p) => [p.lock, p.acquire?.line, p.releases.map((x) => x.line)]), [['hdev->lock', 119, [123]]]);
  });

  test('annotate: every function carries its migration role, with evidence lines', async () => {
    const r = await runCli(['annotate', MIGRATE_OK]);
    assert.equal(r.code, 0);
    const fns: { name: string; migration: { related: boolean; role: string; phase?: string; evidence: { line: number; text: string }[] } }[] =
      JSON.parse(r.stdout).files[0].functions;
    for (const f of fns) {
      assert.ok(f.migration, `${f.name}: no migration`);
      assert.match(f.migration.role, /^(api|helper|caller|callback|entry|hmm-mirror|none)$/);
      assert.equal(f.migration.related, !['none', 'hmm-mirror'].includes(f.migration.role));
    }
    const cb = fns.find((f) => f.name === 'fakegpu_migrate_to_ram');
    assert.equal(cb?.migration.role, 'callback');
    assert.ok(cb?.migration.evidence.some((e) => /dev_pagemap_ops\.migrate_to_ram/.test(e.text)));
  });

  test('check reports migrate/ findings with their path; SARIF declares the migrate/ rules', async () => {
    const r = await runCli(['check', '--format', 'sarif', MIGRATE_BAD]);
    assert.equal(r.code, 1);
    const run = JSON.parse(r.stdout).runs[0];
    const ids = new Set(run.tool.driver.rules.map((x: { id: string }) => x.id));
    for (const id of ['migrate/missing-finalize', 'migrate/out-of-order', 'migrate/twice', 'migrate/retry-missing', 'migrate/retry-unlocked']) {
      assert.ok(ids.has(id), `${id} not declared`);
      assert.ok(run.results.some((x: { ruleId: string; codeFlows?: unknown[] }) => x.ruleId === id && x.codeFlows?.length), `${id}: no result with a code flow`);
    }
  });

  test('map: text and json over a directory; other formats are usage errors', async () => {
    const dir = path.dirname(MIGRATE_OK);
    const text = await runCli(['map', dir]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /fakegpu_migrate_to_vram\(\) :\d+ {2}caller \[setup,pages,finalize\]/);
    assert.match(text.stdout, /registered as dev_pagemap_ops\.migrate_to_ram in /);
    const json = JSON.parse((await runCli(['map', '--format', 'json', dir])).stdout);
    assert.ok(json.files >= 3);
    assert.ok(json.functions.some((f: { name: string; role: string }) => f.name === 'mm_hmm_migrate' && f.role === 'api'));
    assert.ok(json.calls.some((c: { from: { name: string }; to: { name: string } }) => c.from.name === 'fakegpu_dmem_fini' && c.to.name === 'fakegpu_evict_vram'));
    assertUsageError(await runCli(['map', '--format', 'sarif', dir]), /--format for map/);
  });

  test('annotate exits 0 even when check would report findings', async () => {
    const r = await runCli(['annotate', BUGS]);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).schemaVersion, 1);
  });

  test('a directory is searched recursively for .c and .h files', async () => {
    const dir = tmpDir({
      'a.c': fs.readFileSync(CLEAN, 'utf8'),
      'sub/b.c': fs.readFileSync(BUGS, 'utf8'),
      'sub/skip.txt': 'spin_lock(&x);\n',
    });
    const r = await runCli(['check', '--format', 'json', dir]);
    assert.equal(r.code, 1);
    const paths = new Set(JSON.parse(r.stdout).findings.map((f: { path: string }) => f.path));
    assert.deepEqual([...paths], [path.join(dir, 'sub', 'b.c')]);
    const ann = JSON.parse((await runCli(['annotate', dir])).stdout);
    assert.deepEqual(ann.files.map((f: { path: string }) => path.relative(dir, f.path)).sort(), ['a.c', path.join('sub', 'b.c')]);
  });
});

describe('workspace file', () => {
  test('.hmm-lens.json adds lock verbs: the leak through my_lock() is reported', async () => {
    const dir = tmpDir({ '.hmm-lens.json': MY_LOCKS, 'leak.c': LEAK_SRC });
    const r = await runCli(['check', '--format', 'json', path.join(dir, 'leak.c')]);
    assert.equal(r.code, 1, r.stderr);
    const findings = JSON.parse(r.stdout).findings;
    assert.deepEqual(findings.map((f: { ruleId: string; line: number; function: string }) => [f.ruleId, f.line, f.function]),
      [['lock/held-at-exit', 4, 'tdev_poke']]);
    // Also found from the directory, and annotate pairs the custom verbs.
    assert.equal((await runCli(['check', dir])).code, 1);
    const ann = JSON.parse((await runCli(['annotate', dir])).stdout);
    const pairs = ann.files[0].functions[0].lockPairs;
    assert.deepEqual(pairs.map((p: { lock: string; acquire: { line: number }; releases: { line: number }[] }) =>
      [p.lock, p.acquire.line, p.releases.map((x) => x.line)]), [['td->lock', 4, [8]]]);
  });

  test('.hmm-lens.json adds migration APIs and protocols: check and map use them', async () => {
    const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'migrate-config');
    const r = await runCli(['check', '--format', 'json', dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line]),
      [['migrate/missing-finalize', 37]]);
    const map = JSON.parse((await runCli(['map', '--format', 'json', dir])).stdout);
    assert.deepEqual(map.functions.map((f: { name: string; role: string }) => [f.name, f.role]).sort(),
      [['xdev_migrate_range_leaky', 'caller'], ['xdev_migrate_to_device', 'caller']]);
    // The same file with the workspace file swapped for an empty one: nothing.
    const empty = tmpDir({ 'empty.json': '{}' });
    const bare = await runCli(['check', '--config', path.join(empty, 'empty.json'), dir]);
    assert.equal(bare.code, 0, bare.stdout);
  });

  test('without the workspace file the custom verbs mean nothing', async () => {
    const dir = tmpDir({ 'leak.c': LEAK_SRC });
    const r = await runCli(['check', path.join(dir, 'leak.c')]);
    assert.equal(r.code, 0, r.stdout);
  });

  test('--config names the workspace file explicitly', async () => {
    const cfgDir = tmpDir({ 'team-locks.json': MY_LOCKS });
    const srcDir = tmpDir({ 'leak.c': LEAK_SRC });
    const r = await runCli(['check', '--config', path.join(cfgDir, 'team-locks.json'), path.join(srcDir, 'leak.c')]);
    assert.equal(r.code, 1, r.stderr);
  });

  test('an invalid .hmm-lens.json: exit 2 with a clear message', async () => {
    const bad = JSON.stringify({ locks: [{ name: 'my_lock', op: 'grab', lock: { arg: 0 } }] });
    const dir = tmpDir({ '.hmm-lens.json': bad, 'leak.c': LEAK_SRC });
    const r = await runCli(['check', path.join(dir, 'leak.c')]);
    assertUsageError(r, /\.hmm-lens\.json/);
    assert.match(r.stderr, /locks\[0\].*"op" must be one of/);
  });

  test('a .hmm-lens.json that is not JSON: exit 2 naming the file', async () => {
    const dir = tmpDir({ '.hmm-lens.json': '{ "locks": [ ', 'leak.c': LEAK_SRC });
    const r = await runCli(['annotate', dir]);
    assertUsageError(r, /\.hmm-lens\.json.*not valid JSON/);
  });

  test('a missing --config file: exit 2', async () => {
    const r = await runCli(['check', '--config', path.join(tmpRoot, 'nope.json'), CLEAN]);
    assertUsageError(r, /nope\.json/);
  });
});
