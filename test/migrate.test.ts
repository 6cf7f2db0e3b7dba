// Runs every fixture under test/fixtures/migrate/ and compares, function by function,
// the migration annotation (related, role, phase) and the migrate/ findings with
// <name>.expected.json. Missing and extra entries both fail; "knownGap" makes a case a TODO.
// Also: the catalogue's shape, the map (callers, callees, registrations across files)
// and the real-code shapes the protocol rules must accept.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseTexts, getParser, REPO_ROOT } from './helpers/load';
import { RULES } from '../src/core/rules';
import { MIGRATION_APIS, CALLBACK_SLOTS, PROTOCOLS } from '../src/core/migrate/catalogue';
import { mapWorkspace } from '../src/core/migrate/workspace';
import { buildCatalogue, parseWorkspaceConfig } from '../src/core/locks/table';
import type { FileAnalysis } from '../src/core/model';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'migrate');
const RULE_IDS = new Set(RULES.map((r) => r.id));

interface ExpectedFn {
  name: string; lines: [number, number]; related: boolean; role: string; phase?: string;
  diagnostics: { ruleId: string; line: number }[]; knownGap?: string; note?: string;
}

const fixtures = fs.readdirSync(DIR).filter((f) => f.endsWith('.c')).sort();

test('every migration fixture has an expected file', () => {
  assert.ok(fixtures.length >= 3);
  for (const f of fixtures) assert.ok(fs.existsSync(path.join(DIR, f.replace(/\.c$/, '.expected.json'))), `${f} has no expected file`);
});

for (const file of fixtures) {
  describe(`migrate fixture ${file}`, () => {
    const expected = JSON.parse(fs.readFileSync(path.join(DIR, file.replace(/\.c$/, '.expected.json')), 'utf8')) as { functions: ExpectedFn[] };
    let analysis: FileAnalysis;
    const get = async (): Promise<FileAnalysis> => {
      analysis ??= (await analyseTexts([[file, fs.readFileSync(path.join(DIR, file), 'utf8')]]))[0];
      return analysis;
    };
    test('lists exactly the functions of the file', async () => {
      const a = await get();
      assert.deepEqual(a.functions.map((f) => f.name).sort(), expected.functions.map((f) => f.name).sort());
    });
    for (const e of expected.functions) {
      test(`${e.name}: role and findings`, e.knownGap ? { todo: e.knownGap } : {}, async () => {
        const a = await get();
        const fn = a.functions.find((f) => f.name === e.name);
        assert.ok(fn, `${e.name} not found`);
        assert.deepEqual([fn.startLine, fn.endLine], e.lines, 'lines');
        const m = fn.migration;
        assert.ok(m, 'no migration annotation');
        assert.equal(m.role, e.role, `role (evidence: ${JSON.stringify(m.evidence)})`);
        assert.equal(m.related, e.related, 'related');
        assert.equal(m.phase, e.phase, 'phase');
        if (m.role !== 'none') assert.ok(m.evidence.length > 0 && m.evidence.every((x) => x.line > 0 && x.text.length > 0), 'evidence lines');
        const got = a.diagnostics.filter((d) => d.function === e.name && d.ruleId.startsWith('migrate/'))
          .map((d) => `${d.ruleId}@${d.line}`).sort();
        for (const d of e.diagnostics) assert.ok(RULE_IDS.has(d.ruleId), `unknown rule ${d.ruleId}`);
        assert.deepEqual(got, e.diagnostics.map((d) => `${d.ruleId}@${d.line}`).sort(), 'migrate/ findings');
      });
    }
    test('every migrate/ finding carries its path (setup or call, then the exit or offending call)', async () => {
      const a = await get();
      for (const d of a.diagnostics.filter((x) => x.ruleId.startsWith('migrate/'))) {
        assert.ok(d.flow.length >= 2, `${d.function}:${d.line} has no path`);
        assert.ok(d.flow.every((s) => s.line > 0 && s.message.length > 0));
      }
    });
  });
}

test('correct shapes in test/fixtures/migrate-silent get no migrate/ finding', async () => {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'migrate-silent');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
  assert.ok(files.length >= 6);
  const analyses = await analyseTexts(files.map((f): [string, string] => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const found = analyses.flatMap((a) => a.diagnostics.filter((d) => d.ruleId.startsWith('migrate/')).map((d) => `${a.path}:${d.line} ${d.ruleId} in ${d.function}`));
  assert.deepEqual(found, []);
});

describe('migration catalogue', () => {
  test('entries have a reviewer doc and a version range; names are unique per kind', () => {
    const seen = new Set<string>();
    for (const a of MIGRATION_APIS) {
      assert.ok(a.doc.does.length > 20, `${a.name}: doc too short`);
      assert.ok(a.doc.versions.length > 3, `${a.name}: no versions`);
      const k = `${a.name}/${a.kind === 'function' ? 'f' : 'other'}`;
      assert.ok(!seen.has(k), `${a.name} listed twice`);
      seen.add(k);
    }
  });
  test('covers every era the issue names', () => {
    const names = new Set(MIGRATION_APIS.map((a) => a.name));
    for (const n of ['migrate_vma_setup', 'migrate_vma_pages', 'migrate_vma_finalize', 'migrate_device_range', 'migrate_device_pfns',
      'migrate_device_pages', 'migrate_device_finalize', 'migrate_pfn', 'migrate_pfn_to_page', 'MIGRATE_PFN_MIGRATE',
      'make_writable_migration_entry', 'is_migration_entry', 'remove_migration_ptes', 'migration_entry_wait',
      'make_writable_device_private_entry', 'is_device_private_entry', 'hmm_range_fault', 'mmu_interval_read_begin',
      'mmu_interval_read_retry', 'HMM_PFN_VALID', 'migrate_vma', 'migrate_vma_ops', 'hmm_vma_get_pfns', 'hmm_vma_fault',
      'hmm_vma_range_done', 'hmm_migrate', 'mm_hmm_migrate', 'mm_hmm_migrate_back', 'mm_hmm_migrate_cleanup', 'hmm_pfn_t',
      'HMM_PFN_MIGRATE']) assert.ok(names.has(n), `${n} missing`);
    assert.ok(CALLBACK_SLOTS.some((s) => s.struct === 'dev_pagemap_ops' && s.fields.includes('migrate_to_ram') && s.fields.includes('page_free')));
    assert.ok(CALLBACK_SLOTS.some((s) => s.struct === 'migrate_vma_ops' && s.fields.includes('alloc_and_copy')));
    assert.ok(PROTOCOLS.some((p) => p.setup.includes('migrate_vma_setup') && p.finalize.includes('migrate_vma_finalize')));
  });
});

describe('workspace file extends the migration catalogue (test/fixtures/migrate-config)', () => {
  // A driver's own begin/commit/end wrappers: nothing built in names them, so the
  // fixture proves the workspace file's "migration" and "protocols" are used.
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'migrate-config');
  const text = fs.readFileSync(path.join(dir, 'xdev_migrate.c'), 'utf8');
  const parsed = parseWorkspaceConfig(fs.readFileSync(path.join(dir, '.hmm-lens.json'), 'utf8'));
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'xdev_migrate.expected.json'), 'utf8')) as { functions: ExpectedFn[] };
  const view = (a: FileAnalysis): unknown => a.functions.map((f) => ({
    name: f.name, lines: [f.startLine, f.endLine], role: f.migration?.role, phase: f.migration?.phase,
    diagnostics: a.diagnostics.filter((d) => d.function === f.name && d.ruleId.startsWith('migrate/')).map((d) => ({ ruleId: d.ruleId, line: d.line })),
  }));

  test('the workspace file parses without errors', () => {
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.config.protocols?.[0].name, 'xdev_migrate');
  });
  test('with it: the wrappers make callers, and a path that skips the end step is found', async () => {
    const [a] = await analyseTexts([['xdev_migrate.c', text]], parsed.config);
    assert.deepEqual(view(a), expected.functions.map(({ name, lines, role, phase, diagnostics }) => ({ name, lines, role, phase, diagnostics })));
  });
  test('without it: nothing is migration-related and nothing is found', async () => {
    const [a] = await analyseTexts([['xdev_migrate.c', text]]);
    assert.deepEqual(a.functions.map((f) => f.migration?.role), ['none', 'none', 'none']);
    assert.deepEqual(a.diagnostics.filter((d) => d.ruleId.startsWith('migrate/')), []);
  });
  test('the map of a workspace with it lists the wrappers as API calls', () => {
    const catalogue = buildCatalogue(parsed.config);
    return getParser().then((parser) => {
      const map = mapWorkspace({ files: ['xdev_migrate.c'], read: () => text, parser, catalogue });
      const callees = map.calls.filter((c) => c.from.name === 'xdev_migrate_to_device').map((c) => c.to.name).sort();
      assert.deepEqual(callees, ['xdev_copy_pages', 'xdev_migrate_begin', 'xdev_migrate_commit', 'xdev_migrate_end']);
    });
  });
  test('an extra API documents itself, and bad entries are reported, not thrown', () => {
    const catalogue = buildCatalogue(parsed.config);
    assert.match(catalogue.migration.api('xdev_copy_pages')?.doc.does ?? '', /copy engine/);
    assert.equal(catalogue.migration.api('xdev_migrate_end')?.phase, 'finalize');
    assert.equal(buildCatalogue().migration.api('xdev_migrate_end'), undefined);
    const bad = parseWorkspaceConfig(JSON.stringify({
      migration: [{ name: 'x y', use: 'caller' }, { name: 'f', use: 'driver' }, { name: 'g', use: 'helper', phase: 'later' }],
      protocols: [{ name: 'p', setup: [], finalize: ['e'] }, { name: 'q', setup: ['b'], finalize: ['e'], objectArg: -1 }],
    }));
    assert.equal(bad.errors.length, 5, JSON.stringify(bad.errors));
    assert.deepEqual(bad.config.migration, []);
    assert.deepEqual(bad.config.protocols, []);
  });
  test('entries that would silently change the built-in checks are refused', () => {
    const errs = (cfg: unknown): string[] => parseWorkspaceConfig(JSON.stringify(cfg)).errors;
    // A built-in verb moved into a workspace protocol would re-route every driver's migrate_vma_finalize().
    assert.match(errs({ protocols: [{ name: 'x', setup: ['migrate_vma_setup'], finalize: ['my_end'] }] }).join(), /"migrate_vma_setup" is already a step of protocol migrate_vma/);
    assert.match(errs({ protocols: [{ name: 'x', setup: ['a'], pages: ['a'], finalize: ['b'] }] }).join(), /"a" is already a step of this protocol/);
    assert.match(errs({ protocols: [{ name: 'x', setup: ['a'], finalize: ['b'] }, { name: 'y', setup: ['c'], finalize: ['b'] }] }).join(), /"b" is already a step of protocol x/);
    assert.match(errs({ protocols: [{ name: 'x', setup: ['a'], finalize: ['b'] }, { name: 'x', setup: ['c'], finalize: ['d'] }] }).join(), /named "x" exists already/);
    assert.match(errs({ protocols: [{ name: ' ', setup: ['a'], finalize: ['b'] }] }).join(), /non-empty "name"/);
    assert.match(errs({ protocols: [{ name: 'x', setup: ['a'], finalize: ['b'], pges: ['c'] }] }).join(), /unknown key "pges"/);
    assert.match(errs({ migration: [{ name: 'f', use: 'helper', phse: 'copy' }] }).join(), /unknown key "phse"/);
    assert.match(errs({ migration: [{ name: 'if', use: 'caller' }] }).join(), /not a C keyword/);
    assert.match(errs({ migration: [{ name: 'f', use: 'helper', does: 3 }] }).join(), /"does" and "versions" must be strings/);
  });
  test('without a workspace file, a built-in helper given the object still ends its tracking (unchanged)', async () => {
    // zone_device_page_init() is catalogued; only workspace helpers are taken as readers.
    const text = `int drv_migrate(struct vm_area_struct *vma)
{
	struct migrate_vma args = { .vma = vma };

	if (migrate_vma_setup(&args))
		return -EBUSY;
	zone_device_page_init(&args);
	if (args.cpages > 4)
		return -EINVAL;
	migrate_vma_pages(&args);
	migrate_vma_finalize(&args);
	return 0;
}
`;
    const [a] = await analyseTexts([['drv.c', text]]);
    assert.deepEqual(a.diagnostics.filter((d) => d.ruleId.startsWith('migrate/')), []);
    const [b] = await analyseTexts([['drv.c', text]], { migration: [{ name: 'zone_device_page_init', use: 'helper' }] });
    assert.deepEqual(b.diagnostics.filter((d) => d.ruleId.startsWith('migrate/')).map((d) => [d.ruleId, d.line]), [['migrate/missing-finalize', 5]]);
  });
});

describe('workspace map', () => {
  const driver = `#include <linux/migrate.h>
static vm_fault_t gpu_to_ram(struct vm_fault *vmf);
int gpu_evict(unsigned long *src, unsigned long *dst, unsigned long n)
{
	migrate_device_range(src, 0, n);
	migrate_device_pages(src, dst, n);
	migrate_device_finalize(src, dst, n);
	return 0;
}
`;
  const ops = `#include <linux/memremap.h>
extern vm_fault_t gpu_to_ram_cb(struct vm_fault *vmf);
static const struct dev_pagemap_ops gpu_ops = {
	.migrate_to_ram = gpu_to_ram_cb,
};
`;
  const cb = `vm_fault_t gpu_to_ram_cb(struct vm_fault *vmf)
{
	return 0;
}
`;
  const teardown = `void gpu_fini(void)
{
	gpu_evict(0, 0, 0);
}
`;
  test('registrations in another file, callers that are not themselves related, APIs outside the set', async () => {
    const texts = new Map([['a/evict.c', driver], ['a/ops.c', ops], ['a/cb.c', cb], ['a/fini.c', teardown]]);
    const map = mapWorkspace({ files: [...texts.keys()], read: (f) => texts.get(f), parser: await getParser(), catalogue: buildCatalogue() });
    const role = (n: string): string | undefined => map.functions.find((f) => f.name === n)?.role;
    assert.equal(role('gpu_evict'), 'caller');
    assert.equal(role('gpu_to_ram_cb'), 'callback', 'registered in another file');
    assert.equal(role('gpu_fini'), undefined, 'teardown reaching migration through a callee is not related');
    assert.ok(map.calls.some((c) => c.from.name === 'gpu_fini' && c.to.name === 'gpu_evict' && c.to.path === 'a/evict.c'), 'caller from a file with no migration word');
    assert.ok(map.calls.some((c) => c.from.name === 'gpu_evict' && c.to.name === 'migrate_device_finalize' && c.to.path === undefined));
    assert.ok(map.registrations.some((r) => r.fn === 'gpu_to_ram_cb' && r.struct === 'dev_pagemap_ops' && r.fnPath === 'a/cb.c'));
  });
  test('an unreadable file is skipped, not fatal', async () => {
    const map = mapWorkspace({ files: ['x.c', 'y.c'], read: (f) => (f === 'x.c' ? undefined : driver), parser: await getParser(), catalogue: buildCatalogue() });
    assert.deepEqual(map.skipped, ['x.c']);
    assert.equal(map.files, 1);
  });
});
