// The editor's engine in src/core: an incrementally kept document (tree.edit, per-function
// memo) must give exactly what a fresh analysis of the same text gives, edit after edit;
// held-lock ranges and the bits a stored value carries are checked on fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getParser, FIXTURE_DIR, REPO_ROOT } from './helpers/load';
import { analyseFileWithSummary } from '../src/core/analyse';
import { DocumentAnalyser, diff } from '../src/core/incremental';
import { buildCatalogue } from '../src/core/locks/table';
import { storedBits, storedLabel } from '../src/core/pte/stored';

const catalogue = buildCatalogue({});
const read = (p: string): string => fs.readFileSync(p, 'utf8');

test('diff finds the one changed span', () => {
  const d = diff('ab\ncd\nef', 'ab\ncXd\nef');
  assert.deepEqual(d.start, { index: 4, row: 1, column: 1 });
  assert.deepEqual(d.oldEnd, { index: 4, row: 1, column: 1 });
  assert.deepEqual(d.newEnd, { index: 5, row: 1, column: 2 });
  const same = diff('abc', 'abc');
  assert.equal(same.start.index, 3);
});

test('edit after edit, the incremental analysis equals a fresh one and re-analyses only what changed', async () => {
  const parser = await getParser();
  const file = path.join(FIXTURE_DIR, 'ptl.c');
  let text = read(file);
  const doc = new DocumentAnalyser(parser, { catalogue });
  try {
    doc.analyse(file, text);
    const total = doc.freshFunctions;
    assert.ok(total > 3, `fixture has functions (${total})`);
    const unlock = text.indexOf('pte_unmap_unlock(');
    assert.ok(unlock > 0);
    const edits: ((t: string) => string)[] = [
      (t) => t.slice(0, unlock) + ' ' + t.slice(unlock), // a space inside one function
      (t) => t.replace('pte_unmap_unlock(', '//pte_unmap_unlock('), // a release commented out
      (t) => t.replace('//pte_unmap_unlock(', 'pte_unmap_unlock('), // and back
      (t) => `/* opened\n${t}`, // an unclosed comment swallows everything
      (t) => t.slice('/* opened\n'.length), // closed again
      (t) => t.replace('{', '{\n'), // a new line shifts every later function
    ];
    for (const [i, edit] of edits.entries()) {
      text = edit(text);
      const inc = doc.analyse(file, text);
      const fresh = analyseFileWithSummary(parser, file, text, { catalogue });
      assert.deepEqual(inc.analysis, fresh.analysis, `edit ${i}: analysis`);
      assert.deepEqual(inc.pte, fresh.pte, `edit ${i}: pte facts`);
      if (i === 0) assert.equal(doc.freshFunctions, 1, 'a space in one function re-analyses that function only');
    }
  } finally {
    doc.dispose();
  }
});

test('held ranges: the ptl from the lock to the unlock, lazy MMU inside it', async () => {
  const parser = await getParser();
  const file = path.join(REPO_ROOT, 'samples', 'collect.c');
  const r = analyseFileWithSummary(parser, file, read(file), { catalogue });
  const fn = r.analysis.functions.find((f) => f.name === 'hmm_collect_walk_pmd')!;
  const held = (fn.held ?? []).map((h) => `${h.lock} ${h.from}-${h.to}`);
  assert.ok(held.includes('ptl 30-52'), held.join(', '));
  assert.ok(held.includes('lazy_mmu 31-51'), held.join(', '));
  const correlated = r.analysis.functions.find((f) => f.name === 'sample_correlated')!;
  assert.deepEqual((correlated.held ?? []).map((h) => `${h.lock} ${h.from}-${h.to}`), ['folio 78-82']);
  const none = r.analysis.functions.filter((f) => f.lockPairs.length === 0);
  for (const f of none) assert.equal(f.held, undefined, f.name);
});

test('stored bits: the migration entry carries what the collect step gave it', async () => {
  const parser = await getParser();
  const file = path.join(REPO_ROOT, 'test', 'fixtures', 'pte', 'pair_ok', 'collect.c');
  const r = analyseFileWithSummary(parser, file, read(file), { catalogue });
  const fn = r.pte.functions.find((f) => f.name === 'vgpu_collect_pmd')!;
  const got = storedBits(fn).map((s) => `${s.line} ${s.value}: ${storedLabel(s)}`);
  assert.deepEqual(got, [
    '64 swp_pte: write, dirty, young, soft-dirty, uffd-wp, anon-exclusive',
    '68 mpfn: write',
  ]);
});
