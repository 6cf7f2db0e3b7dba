// The TextMate injection grammar (syntaxes/hmm-lens.injection.tmLanguage.json): valid
// JSON with the scope name and selector package.json points at, every regex within the
// subset Oniguruma and JavaScript share, and the scopes it gives real kernel lines —
// lock verbs only as calls, pfn flags anywhere, migration and page-table helpers — with
// every name of the lock, migration and bit catalogues scoped as its table says.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCK_VERBS } from '../src/core/locks/catalogue';
import { MIGRATION_APIS } from '../src/core/migrate/catalogue';
import { HELPERS, FLAGS, VALUE_SOURCES, VALUE_SINKS } from '../src/core/pte/ledger';

const FILE = path.join(process.cwd(), 'syntaxes', 'hmm-lens.injection.tmLanguage.json');

const ACQ = 'keyword.other.lock.acquire.hmm-lens';
const REL = 'keyword.other.lock.release.hmm-lens';
const GUARD = 'keyword.other.lock.guard.hmm-lens';
const ANNOT = 'storage.modifier.lock-annotation.hmm-lens';
const MIG = 'support.function.migrate.hmm-lens';
const FLAG = 'constant.other.pfn-flag.hmm-lens';
const PTE = 'support.function.pte.hmm-lens';
const SCOPES = [ACQ, REL, GUARD, ANNOT, MIG, FLAG, PTE];

interface Pattern { name: string; match: string; comment?: string }
interface Grammar { scopeName: string; injectionSelector: string; patterns: Pattern[] }

const raw = fs.readFileSync(FILE, 'utf8');

/**
 * An Oniguruma pattern as a JavaScript RegExp. `\h`/`\H` have a JS spelling; constructs
 * JavaScript lacks or reads differently (\A \z \Z \G \K, atomic groups, absent operator,
 * inline flags, possessive quantifiers) and lookbehind (must be fixed-length in Oniguruma)
 * are refused, so the grammar stays in the shared subset.
 */
function toJs(src: string): RegExp {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new Error(`trailing backslash in ${src}`);
      if ('AzZGK'.includes(n)) throw new Error(`Oniguruma-only \\${n} in ${src}`);
      out += n === 'h' ? '[0-9A-Fa-f]' : n === 'H' ? '[^0-9A-Fa-f]' : c + n;
      i++;
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (/^[>~]/.test(rest)) throw new Error(`Oniguruma-only group (?${rest[0]} in ${src}`);
      if (/^[imx-]/.test(rest)) throw new Error(`inline flags in ${src}`);
      if (/^<[=!]/.test(rest)) throw new Error(`lookbehind in ${src}`);
    }
    if ('+*?}'.includes(c) && src[i + 1] === '+') throw new Error(`possessive quantifier in ${src}`);
    out += c;
  }
  return new RegExp(out, 'g');
}

let loaded: { grammar: Grammar; compiled: { scope: string; re: RegExp }[] } | undefined;
/** The grammar and its patterns as JS regexes, loaded once (any test may run first). */
function load(): { grammar: Grammar; compiled: { scope: string; re: RegExp }[] } {
  if (!loaded) {
    const grammar = JSON.parse(raw) as Grammar;
    loaded = { grammar, compiled: grammar.patterns.map((p) => ({ scope: p.name, re: toJs(p.match) })) };
  }
  return loaded;
}

/**
 * What the injection's patterns make of one line, as TextMate scans it: from the current
 * position the earliest match wins, a tie goes to the pattern listed first, and scanning
 * resumes after it. Returns [text, scope] pairs in line order.
 */
function scopes(line: string): [string, string][] {
  const { compiled } = load();
  assert.ok(compiled.length > 0, 'the grammar has patterns');
  const out: [string, string][] = [];
  let pos = 0;
  while (pos <= line.length) {
    let best: { index: number; text: string; scope: string } | undefined;
    for (const { scope, re } of compiled) {
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && (!best || m.index < best.index)) best = { index: m.index, text: m[0], scope };
    }
    if (!best) break;
    assert.ok(best.text.length > 0, `empty match of ${best.scope} in ${JSON.stringify(line)}`);
    out.push([best.text, best.scope]);
    pos = best.index + best.text.length;
  }
  return out;
}

describe('injection grammar: shape', () => {
  test('parses as JSON with the scope name and selector package.json expects', () => {
    const grammar = JSON.parse(raw) as Grammar;
    assert.equal(grammar.scopeName, 'hmm-lens.injection');
    assert.equal(grammar.injectionSelector, 'L:source.c -comment -string');
    assert.ok(Array.isArray(grammar.patterns) && grammar.patterns.length > 0);
  });

  test('every pattern is a named single-line match with a documented .hmm-lens scope', () => {
    const { grammar } = load();
    for (const p of grammar.patterns) {
      assert.deepEqual(Object.keys(p).filter((k) => k !== 'comment').sort(), ['match', 'name'], JSON.stringify(p).slice(0, 80));
      assert.ok(SCOPES.includes(p.name), `undocumented scope ${p.name}`);
      assert.match(p.name, /\.hmm-lens$/);
    }
    assert.deepEqual([...new Set(grammar.patterns.map((p) => p.name))].sort(), [...SCOPES].sort(), 'every documented scope is used');
  });

  test('every regex compiles in JavaScript (Oniguruma/JS shared subset)', () => {
    const grammar = JSON.parse(raw) as Grammar;
    for (const p of grammar.patterns) assert.doesNotThrow(() => toJs(p.match), p.name);
  });

  test('the Oniguruma screen refuses what JavaScript would misread', () => {
    for (const bad of ['\\Afoo', '(?>a|ab)c', 'a++', '(?i)lock', '(?<=x)y', 'foo\\z']) assert.throws(() => toJs(bad), bad);
    assert.equal(toJs('\\h+').source, '[0-9A-Fa-f]+');
  });
});

describe('injection grammar: kernel lines', () => {
  const cases: [string, [string, string][]][] = [
    ['\tspin_lock(&ptl);', [['spin_lock', ACQ]]],
    ['\tpte_unmap_unlock(ptep - 1, ptl);', [['pte_unmap_unlock', REL]]],
    ['\tspin_lock_init(&l);', []],
    ['\tint lock;', []],
    ['\tspinlock_t *spin_lock = NULL;', []],
    ['\tmy_spin_lock(&l); spin_lockx(&l);', []],
    ['\tmpfn |= MIGRATE_PFN_WRITE;', [['MIGRATE_PFN_WRITE', FLAG]]],
    ['\tret = migrate_vma_setup(&args);', [['migrate_vma_setup', MIG]]],
    ['\tpte = pte_mkdirty(pte);', [['pte_mkdirty', PTE]]],
    ['\tspin_lock (&ptl);', [['spin_lock', ACQ]]],
    ['\tspin_lock_irqsave(&l, flags); x++; spin_unlock_irqrestore(&l, flags);',
      [['spin_lock_irqsave', ACQ], ['spin_unlock_irqrestore', REL]]],
    ['\tptl = pmd_lock(mm, pmd);', [['pmd_lock', ACQ]]],
    ['\tptl = pmd_trans_huge_lock(pmdp, vma);', [['pmd_trans_huge_lock', ACQ]]],
    ['\tptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);', [['pte_offset_map_lock', ACQ]]],
    ['\tif (!folio_trylock(folio))', [['folio_trylock', ACQ]]],
    ['\tif (mmap_read_lock_killable(mm))', [['mmap_read_lock_killable', ACQ]]],
    ['\tmmap_read_unlock(mm); up_write(&sem);', [['mmap_read_unlock', REL], ['up_write', REL]]],
    ['\trcu_read_lock(); p = rcu_dereference(q); rcu_read_unlock();', [['rcu_read_lock', ACQ], ['rcu_read_unlock', REL]]],
    ['\txa_lock_irq(&mapping->i_pages);', [['xa_lock_irq', ACQ]]],
    ['\tarch_enter_lazy_mmu_mode();', [['arch_enter_lazy_mmu_mode', ACQ]]],
    ['\tmmu_notifier_invalidate_range_end(&range);', [['mmu_notifier_invalidate_range_end', REL]]],
    ['\ti_mmap_lock_write(mapping); anon_vma_unlock_read(av);', [['i_mmap_lock_write', ACQ], ['anon_vma_unlock_read', REL]]],
    ['\tguard(mutex)(&dev->lock);', [['guard', GUARD]]],
    ['\tscoped_guard (spinlock, &l) {', [['scoped_guard', GUARD]]],
    ['static void f(struct mm_struct *mm) __acquires(ptl) __must_hold(&mm->mmap_lock)',
      [['__acquires', ANNOT], ['__must_hold', ANNOT]]],
    ['\trange->hmm_pfns[i] = HMM_PFN_VALID | HMM_PFN_WRITE;', [['HMM_PFN_VALID', FLAG], ['HMM_PFN_WRITE', FLAG]]],
    ['\tif (v & XHMM_PFN_VALID || v & HMM_PFN_VALIDx)', []],
    ['\tset_pte_at(mm, addr, ptep, pte_mkwrite(pte, vma));', [['set_pte_at', PTE], ['pte_mkwrite', PTE]]],
    ['\tentry = make_writable_migration_entry(page_to_pfn(page));', [['make_writable_migration_entry', PTE]]],
    ['\tif (pte_swp_soft_dirty(pte)) swp_pte = pte_swp_mksoft_dirty(swp_entry_to_pte(entry));',
      [['pte_swp_soft_dirty', PTE], ['pte_swp_mksoft_dirty', PTE], ['swp_entry_to_pte', PTE]]],
    ['\tif (is_writable_device_private_entry(entry))', [['is_writable_device_private_entry', PTE]]],
    ['\tpte = ptep_get_and_clear(mm, addr, ptep);', [['ptep_get_and_clear', PTE]]],
    ['\tmigrate->dst[i] = migrate_pfn(page_to_pfn(dpage)) | MIGRATE_PFN_LOCKED;',
      [['migrate_pfn', MIG], ['MIGRATE_PFN_LOCKED', FLAG]]],
    ['\tret = hmm_vma_get_pfns(&range); again = !hmm_vma_range_done(&range);',
      [['hmm_vma_get_pfns', MIG], ['hmm_vma_range_done', MIG]]],
    ['\trange.notifier_seq = mmu_interval_read_begin(range.notifier);', [['mmu_interval_read_begin', MIG]]],
    ['\tret = hmm_range_fault(&range);', [['hmm_range_fault', MIG]]],
    ['\tstruct migrate_vma args = { .vma = vma }; bool pte_write;', []],
    ['\tmigrate_device_finalize(src_pfns, dst_pfns, npages);', [['migrate_device_finalize', MIG]]],
  ];
  for (const [line, want] of cases) {
    test(JSON.stringify(line.trim()), () => assert.deepEqual(scopes(line), want));
  }
});

describe('injection grammar: catalogues', () => {
  const only = (name: string, scope: string) => {
    assert.deepEqual(scopes(`\tx = ${name}(a, b);`), [[name, scope]],
      `${name} should be ${scope}: add it to syntaxes/hmm-lens.injection.tmLanguage.json`);
    assert.deepEqual(scopes(`\tx = ${name}zz(a); zz${name}(a); y = ${name};`), [], `${name} matched beyond its word or not as a call`);
  };

  test('every acquire and release verb of the lock catalogue', () => {
    const verbs = LOCK_VERBS.filter((v) => v.op !== 'assert');
    assert.ok(verbs.length > 100);
    for (const v of verbs) only(v.name, v.op === 'release' ? REL : ACQ);
  });

  test('every migration API function (entry helpers as pte)', () => {
    const fns = MIGRATION_APIS.filter((a) => a.kind === 'function');
    assert.ok(fns.length > 30);
    for (const a of fns) only(a.name, a.use === 'entry' ? PTE : MIG);
  });

  test('every bit helper, value source and value sink of the pte ledger', () => {
    const migrating = new Set(MIGRATION_APIS.filter((a) => a.kind === 'function' && a.use !== 'entry').map((a) => a.name));
    for (const name of new Set([...HELPERS.map((h) => h.name), ...VALUE_SOURCES, ...VALUE_SINKS.map((s) => s.name)])) {
      only(name, migrating.has(name) ? MIG : PTE);
    }
  });

  test('every HMM_PFN_* / MIGRATE_PFN_* flag, as a call or not', () => {
    const names = FLAGS.filter((f) => /^(HMM|MIGRATE)_PFN_/.test(f.name)).map((f) => f.name);
    assert.ok(names.length > 15);
    for (const n of names) {
      assert.deepEqual(scopes(`\tw = ${n} | (${n});`), [[n, FLAG], [n, FLAG]], n);
      assert.deepEqual(scopes(`\tw = ${n}x | x${n};`), [], n);
    }
  });
});
