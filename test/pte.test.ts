// PTE flag flows (issue 4): every directory under test/fixtures/pte/ is analysed as
// one workspace and compared with its expected.json — the bit flows of each function
// ("bit direction fromLine->toLine [guarded]", extra and missing both fail) and the
// pte/ findings. Also: the ledger's shape, flag sites, the `flags` command, and that
// odd input never throws.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseText, analyseTexts, REPO_ROOT } from './helpers/load';
import { BITS, HELPERS, FLAGS, carriable } from '../src/core/pte/ledger';
import { flagSites, knownFilter, siteMatches } from '../src/core/pte/sites';
import { RULES } from '../src/core/rules';
import { runCli } from '../src/cli/main';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'pte');

interface Expected {
  note: string;
  functions: Record<string, { flows: string[]; note?: string }>;
  diagnostics: string[];
}

const cases = fs.readdirSync(DIR).filter((d) => fs.statSync(path.join(DIR, d)).isDirectory()).sort();

test('the pte fixtures cover a modern pair, a broken pair, a one-sided drop and the 2017 seed', () => {
  for (const c of ['pair_ok', 'pair_bad', 'collect_drop', 'seed2017']) assert.ok(cases.includes(c), c);
});

for (const c of cases) {
  describe(`pte fixture ${c}`, () => {
    const expected = JSON.parse(fs.readFileSync(path.join(DIR, c, 'expected.json'), 'utf8')) as Expected;
    const files = fs.readdirSync(path.join(DIR, c)).filter((f) => f.endsWith('.c')).sort();
    const run = analyseTexts(files.map((f) => [f, fs.readFileSync(path.join(DIR, c, f), 'utf8')]));

    test('bit flows, function by function', async () => {
      const got: Record<string, string[]> = {};
      for (const a of await run) {
        for (const fn of a.functions) {
          const flows = (fn.bitFlows ?? []).map((b) => `${b.bit} ${b.direction} ${b.from.line}->${b.to.line}${b.guarded ? ' guarded' : ''}`);
          if (flows.length) got[`${a.path}:${fn.name}`] = flows;
        }
      }
      const want = Object.fromEntries(Object.entries(expected.functions).map(([k, v]) => [k, v.flows]));
      assert.deepEqual(got, want);
    });

    test('pte/ findings', async () => {
      const got = (await run).flatMap((a) => a.diagnostics.filter((d) => d.ruleId.startsWith('pte/')).map((d) => `${a.path}:${d.line} ${d.ruleId}`)).sort();
      assert.deepEqual(got, [...expected.diagnostics].sort());
    });
  });
}

test('pte/bit-not-restored names both ends, the remover in its own file', async () => {
  const dir = path.join(DIR, 'pair_bad');
  const [collect] = await analyseTexts(['collect.c', 'restore.c'].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const d = collect.diagnostics.find((x) => x.ruleId === 'pte/bit-not-restored');
  assert.ok(d);
  assert.match(d.message, /dirty/);
  assert.match(d.message, /vgpu_restore_one\(\)/);
  assert.deepEqual(d.related.map((r) => [r.path ?? collect.path, r.line]), [['collect.c', 58], ['restore.c', 13]]);
  // Alone, the collect side has no remover to compare with: nothing is said.
  const alone = await analyseText('collect.c', fs.readFileSync(path.join(dir, 'collect.c'), 'utf8'));
  assert.equal(alone.diagnostics.filter((x) => x.ruleId.startsWith('pte/')).length, 0);
});

test('pte values: where a pte comes from and where it is stored', async () => {
  const a = await analyseText('collect.c', fs.readFileSync(path.join(DIR, 'pair_ok', 'collect.c'), 'utf8'));
  const fn = a.functions.find((f) => f.name === 'vgpu_collect_pmd')!;
  const swp = fn.pteValues?.find((v) => v.name === 'swp_pte');
  assert.deepEqual(swp?.defs.map((d) => d.line), [59, 61, 63]);
  assert.deepEqual(swp?.stores.map((s) => s.line), [64]);
  const pte = fn.pteValues?.find((v) => v.name === 'pte');
  assert.deepEqual(pte?.defs.map((d) => d.expr), ['pte = ptep_get(ptep)', 'pte = ptep_get_and_clear(mm, addr, ptep)']);
  // A pointer into the page table is not a value.
  assert.equal(fn.pteValues?.some((v) => v.name === 'ptep'), false);
});

test('a flow in a same-file callee\'s result shows at the call, marked via', async () => {
  const src = [
    'static inline unsigned long to_flags(pte_t pte)', '{',
    '\treturn pte_write(pte) ? (HMM_PFN_VALID | HMM_PFN_WRITE) : HMM_PFN_VALID;', '}', '',
    'static void fill(pte_t *ptep, unsigned long *pfn)', '{',
    '\t*pfn = to_flags(ptep_get(ptep));', '}',
  ].join('\n');
  const a = await analyseText('via.c', src);
  const own = a.functions.find((f) => f.name === 'to_flags')?.bitFlows ?? [];
  assert.deepEqual(own.map((b) => `${b.bit} ${b.direction} ${b.from.line}->${b.to.line}`), ['write convert 3->3']);
  const fill = a.functions.find((f) => f.name === 'fill')?.bitFlows ?? [];
  assert.deepEqual(fill.map((b) => `${b.bit} ${b.direction} ${b.from.line}->${b.to.line} ${b.via}`), ['write convert 8->8 to_flags']);
  assert.match(fill[0].from.expr, /^to_flags\(ptep_get\(ptep\)\): pte_write\(pte\)$/);
});

test('a flag set under a test carries the test (the split of a pmd migration entry)', async () => {
  const src = [
    'static void split(struct mm_struct *mm, unsigned long addr, pte_t *ptep, struct page *page)', '{',
    '\tbool dirty = false;', '\tswp_entry_t entry;', '\tpte_t old;', '',
    '\told = ptep_get_and_clear(mm, addr, ptep);',
    '\tif (pte_dirty(old)) {', '\t\tdirty = true;', '\t\tfolio_set_dirty(page_folio(page));', '\t}',
    '\tentry = make_readable_migration_entry(page_to_pfn(page));',
    '\tif (dirty)', '\t\tentry = make_migration_entry_dirty(entry);',
    '\tif (pte_young(old))', '\t\tentry = make_migration_entry_young(entry);',
    '\tset_pte_at(mm, addr, ptep, swp_entry_to_pte(entry));', '}',
  ].join('\n');
  const a = await analyseText('split.c', src);
  assert.deepEqual(a.functions[0].bitFlows?.map((b) => `${b.bit} ${b.direction} ${b.from.line}->${b.to.line}`), ['dirty encode 8->14', 'young encode 15->16']);
  assert.deepEqual(a.diagnostics.filter((d) => d.ruleId.startsWith('pte/')), []);
  // Without the carry, the read of the cleared pte is reported (make_migration_entry_young()
  // says the kernel's migration entries keep dirty too).
  const dropped = await analyseText('split.c', src.replace('\t\tentry = make_migration_entry_dirty(entry);', '\t\t;'));
  assert.deepEqual(dropped.diagnostics.filter((d) => d.ruleId.startsWith('pte/')).map((d) => `${d.ruleId}@${d.line}`), ['pte/bit-not-carried@8']);
  // An older kernel's shape (no young/dirty entry helpers at all): dirty goes to the folio only.
  const old = await analyseText('split.c', src.replace('\t\tentry = make_migration_entry_dirty(entry);', '\t\t;')
    .replace('\t\tentry = make_migration_entry_young(entry);', '\t\t;'));
  assert.deepEqual(old.diagnostics.filter((d) => d.ruleId.startsWith('pte/')), []);
  // A bit read only by an assertion is not a use.
  const warn = await analyseText('split.c', src.replace('\tif (pte_dirty(old)) {', '\tWARN_ON_ONCE(pte_uffd_wp(old));\n\tif (pte_dirty(old)) {'));
  assert.deepEqual(warn.diagnostics.filter((d) => d.ruleId.startsWith('pte/')), []);
});

test('a remover that restores through a same-file helper returning the pte is a remover that restores', async () => {
  const dir = path.join(DIR, 'pair_ok');
  const helper = [
    'static pte_t restore_bits(pte_t pte, pte_t old, swp_entry_t entry)', '{',
    '\tif (pte_swp_soft_dirty(old))', '\t\tpte = pte_mksoft_dirty(pte);',
    '\tif (pte_swp_uffd_wp(old))', '\t\tpte = pte_mkuffd_wp(pte);',
    '\tif (is_migration_entry_dirty(entry))', '\t\tpte = pte_mkdirty(pte);',
    '\treturn pte;', '}', '',
    'static void drv_remove_one(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct page *new)', '{',
    '\tpte_t old = ptep_get(ptep);', '\tpte_t pte = mk_pte(new, vma->vm_page_prot);', '\tswp_entry_t entry = pte_to_swp_entry(old);', '',
    '\tif (is_writable_migration_entry(entry))', '\t\tpte = pte_mkwrite(pte, vma);',
    '\tif (!is_migration_entry_young(entry))', '\t\tpte = pte_mkold(pte);',
    '\tif (folio_test_anon(page_folio(new)) && !is_readable_migration_entry(entry))', '\t\tSetPageAnonExclusive(new);',
    '\tpte = restore_bits(pte, old, entry);', '\tset_pte_at(vma->vm_mm, addr, ptep, pte);', '}',
  ].join('\n');
  const got = await analyseTexts([['collect.c', fs.readFileSync(path.join(dir, 'collect.c'), 'utf8')], ['restore.c', helper]]);
  assert.deepEqual(got.flatMap((a) => a.diagnostics.filter((d) => d.ruleId.startsWith('pte/'))), []);
  // Drop the helper's dirty line: now the collect's dirty carry is reported against drv_remove_one().
  const dropped = await analyseTexts([['collect.c', fs.readFileSync(path.join(dir, 'collect.c'), 'utf8')],
    ['restore.c', helper.replace('\t\tpte = pte_mkdirty(pte);', '\t\t;')]]);
  assert.deepEqual(dropped.flatMap((a) => a.diagnostics.filter((d) => d.ruleId.startsWith('pte/')).map((d) => `${a.path}:${d.line}`)), ['collect.c:58']);
});

test('a store of a flag constant into a pfn word is not a value', async () => {
  const a = await analyseText('h.c', 'static void e(unsigned long *hmm_pfn, unsigned long cpu_flags)\n{\n\tif (!cpu_flags)\n\t\t*hmm_pfn = HMM_PFN_ERROR;\n\telse\n\t\t*hmm_pfn = 5 | HMM_PFN_WRITE;\n}\n');
  assert.ok(!(a.functions[0].pteValues ?? []).some((v) => v.name === 'HMM_PFN_ERROR'));
});

test('every function carries bitFlows, empty where no bit moves', async () => {
  const a = await analyseText('x.c', 'static int add(int a, int b)\n{\n\treturn a + b;\n}\n');
  assert.deepEqual(a.functions[0].bitFlows, []);
});

describe('ledger', () => {
  test('each bit has readers and writers on both sides', () => {
    for (const bit of BITS) {
      const has = (side: string, op: string): boolean => HELPERS.some((r) => r.bit === bit && r.side === side && r.op === op);
      assert.ok(has('entry', 'set'), `${bit}: entry writer`);
      assert.ok(has('entry', 'read'), `${bit}: entry reader`);
      if (bit === 'exclusive' || bit === 'device_private') {
        assert.ok(has('page', 'read'), `${bit}: page reader`);
      } else {
        assert.ok(has('present', 'read'), `${bit}: present reader`);
        assert.ok(has('present', 'set'), `${bit}: present writer`);
      }
    }
  });
  test('no row twice; flags with a bit name a known bit', () => {
    const keys = HELPERS.map((r) => `${r.name}|${r.bit}|${r.side}|${r.op}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const f of FLAGS) if (f.bit) assert.ok(BITS.includes(f.bit), f.name);
    assert.ok(FLAGS.some((f) => f.name === 'HMM_PFN_WRITE' && f.bit === 'write'));
    assert.ok(FLAGS.some((f) => f.name === 'MIGRATE_PFN_WRITE' && f.bit === 'write'));
  });
  test('what each entry kind can carry', () => {
    assert.deepEqual([...carriable('migration')].sort(), ['dirty', 'exclusive', 'soft_dirty', 'uffd_wp', 'write', 'young']);
    assert.ok(!carriable('device_private').has('dirty'));
    assert.ok(!carriable('swap').has('write'));
  });
  test('the pte/ rules are in the rule list', () => {
    for (const id of ['pte/bit-not-carried', 'pte/bit-not-restored']) assert.ok(RULES.some((r) => r.id === id), id);
  });
});

describe('flag sites', () => {
  const src = [
    '#define MY_WRITE HMM_PFN_WRITE',
    'static unsigned long conv(pte_t pte, unsigned long *pfns, int i)',
    '{',
    '\tunsigned long f = HMM_PFN_VALID;',
    '\tif (pte_write(pte))',
    '\t\tf |= HMM_PFN_WRITE;',
    '\tif (pfns[i] & (HMM_PFN_VALID | HMM_PFN_WRITE))',
    '\t\tpfns[i] &= ~HMM_PFN_WRITE;',
    '\t/* HMM_PFN_WRITE in a comment is not a site */',
    '\tpte = pte_mkdirty(pte);',
    '\treturn f;',
    '}',
  ].join('\n');

  test('set, tested and cleared, in their function; #define and comments are not sites', () => {
    const sites = flagSites(src).map((s) => `${s.name} ${s.op} ${s.line} ${s.function}`);
    assert.deepEqual(sites, [
      'HMM_PFN_VALID set 4 conv',
      'pte_write test 5 conv',
      'HMM_PFN_WRITE set 6 conv',
      'HMM_PFN_VALID test 7 conv',
      'HMM_PFN_WRITE test 7 conv',
      'HMM_PFN_WRITE clear 8 conv',
      'pte_mkdirty set 10 conv',
    ]);
  });
  test('other constants do not stop the scan; case labels test; enum definitions and prototypes are not sites', () => {
    const more = [
      'enum hmm_pfn_flags {', '\tHMM_PFN_VALID = 1UL << 63,', '};',
      'static inline pte_t pte_mkdirty(pte_t pte);',
      'BTF_ID_LIST_SINGLE(ids, struct, foo_with_a_rather_long_trailing_identifier)',
      'const struct bpf_map_ops ringbuf_map_ops_with_a_long_name = {', '};',
      'static int g(struct vm_area_struct *vma, unsigned long f)', '{',
      '\tif (vma->vm_flags & (VM_SHARED | VM_WRITE))', '\t\treturn 1;',
      '\tvma->vm_flags &= ~(VM_SHARED | VM_WRITE);',
      '\tswitch (f) {', '\tcase HMM_PFN_WRITE:', '\t\treturn 2;', '\t}',
      '\treturn 0;', '}',
    ].join('\n');
    assert.deepEqual(flagSites(more).map((s) => `${s.name} ${s.op} ${s.line} ${s.function}`),
      ['VM_WRITE test 10 g', 'VM_WRITE clear 12 g', 'HMM_PFN_WRITE test 14 g']);
    assert.ok(knownFilter('device-private') && knownFilter('HMM_PFN_*') && !knownFilter('mmx'));
    // A helper with two bits shows under either.
    const dp = flagSites('static void h(void)\n{\n\te = make_writable_device_private_entry(pfn);\n}\n', 'device-private');
    assert.deepEqual(dp.map((s) => `${s.name} ${s.bit}`), ['make_writable_device_private_entry device_private']);
  });
  test('NAME filters by flag, prefix or bit', () => {
    assert.deepEqual(flagSites(src, 'HMM_PFN_WRITE').map((s) => s.line), [6, 7, 8]);
    assert.deepEqual(flagSites(src, 'HMM_PFN_*').map((s) => s.line), [4, 6, 7, 7, 8]);
    assert.deepEqual(flagSites(src, 'write').map((s) => s.name), ['pte_write', 'HMM_PFN_WRITE', 'HMM_PFN_WRITE', 'HMM_PFN_WRITE']);
    assert.ok(siteMatches('soft-dirty', { name: 'pte_swp_mksoft_dirty', bit: 'soft_dirty' }));
    assert.ok(siteMatches('anon-exclusive', { name: 'RMAP_EXCLUSIVE', bit: 'exclusive' }));
  });
  test('hmm-lens flags: NAME then paths, text and json; a missing path is still an error', async () => {
    const dir = path.join(DIR, 'pair_ok');
    const text = await runCli(['flags', 'MIGRATE_PFN_WRITE', dir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^MIGRATE_PFN_WRITE \(write, MIGRATE_PFN\): 1 set, 1 tested, 0 cleared$/m);
    assert.match(text.stdout, /set\s+\S*collect\.c:42 {2}vgpu_collect_pmd\(\)/);
    const json = JSON.parse((await runCli(['flags', '--format', 'json', 'uffd-wp', dir])).stdout);
    assert.equal(json.name, 'uffd-wp');
    assert.deepEqual(json.sites.map((s: { name: string; op: string }) => `${s.name} ${s.op}`).sort(),
      ['pte_mkuffd_wp set', 'pte_swp_mkuffd_wp set', 'pte_swp_uffd_wp test', 'pte_uffd_wp test']);
    assert.equal((await runCli(['flags', dir, path.join(dir, 'missing.c')])).code, 2);
    // A mistyped directory is neither a path nor a flag: a usage error, not an empty listing.
    assert.equal((await runCli(['flags', 'mmx', dir])).code, 2);
  });
});

test('odd input: the bit-flow pass never throws and leaves the file analysable', async () => {
  const odd = [
    'static void c(pte_t *p)', '{', '\t*p = pte_mkwrite(pte_mkdirty(pte_mkyoung(pte_mkwrite(*p))));', '}', '',
    'static void a(pte_t pte)', '{', '\tif (pte_write(pte) pte = pte_mkdirty(;', '}', '',
    'static void b(void)', '{', '\tx = HMM_PFN_WRITE ? : ;', '\tset_pte_at();', '}', '',
    'static int d(pte_t x)', '{', `\treturn ${'('.repeat(300)}pte_write(x)${')'.repeat(300)};`, '}',
  ].join('\n');
  const a = await analyseText('odd.c', odd);
  assert.ok(!a.unanalysed.some((u) => /bit flows/.test(u.reason)), JSON.stringify(a.unanalysed));
  // Present to present (pte_mkwrite of the same pte) is not a flow.
  assert.deepEqual(a.functions.find((f) => f.name === 'c')?.bitFlows, []);
});
