// The cross-function check across files: a header's static inline releaser and
// callers in two .c files; static functions of the same name stay apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseTexts } from './helpers/load';
import { toSarif } from '../src/core/report/sarif';

const HEADER = `
struct svm_bo { spinlock_t lock; unsigned long n; };

static inline void svm_bo_put_locked(struct svm_bo *bo)
{
	bo->n--;
	spin_unlock(&bo->lock);
}
`;

const HOLDER = `
#include "svm.h"

static void svm_bo_drop(struct svm_bo *bo)
{
	spin_lock(&bo->lock);
	svm_bo_put_locked(bo);
}
`;

const FORGETFUL = `
#include "svm.h"

static void svm_bo_forget(struct svm_bo *bo)
{
	svm_bo_put_locked(bo);
}
`;

/** Defines its own static svm_bo_put_locked(): its callers are not the header's. */
const SHADOW = `
static void svm_bo_put_locked(struct svm_bo *bo)
{
	bo->n--;
}

void svm_bo_quiet(struct svm_bo *bo)
{
	svm_bo_put_locked(bo);
}
`;

test('a header releaser called with the lock held from every .c file: no finding in the header', async () => {
  const [h] = await analyseTexts([['svm.h', HEADER], ['holder.c', HOLDER], ['shadow.c', SHADOW]]);
  assert.deepEqual(h.diagnostics, []);
});

test('a header releaser whose callers do not hold the lock: reported in the header, caller in related', async () => {
  const files = await analyseTexts([['svm.h', HEADER], ['forgetful.c', FORGETFUL], ['shadow.c', SHADOW]]);
  const h = files[0];
  assert.equal(h.diagnostics.length, 1);
  const d = h.diagnostics[0];
  assert.equal(d.ruleId, 'lock/release-unheld');
  assert.equal(d.function, 'svm_bo_put_locked');
  assert.equal(d.line, 7);
  assert.match(d.message, /svm_bo_forget\(\) at forgetful\.c:6/);
  assert.deepEqual(d.related.map((r) => [r.path, r.line]), [['forgetful.c', 6]]);
  // SARIF points the related location at the caller's file.
  const sarif = toSarif(files, { toolVersion: 't' }) as { runs: { results: { relatedLocations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.equal(sarif.runs[0].results[0].relatedLocations[0].physicalLocation.artifactLocation.uri, 'forgetful.c');
  for (const f of files.slice(1)) assert.deepEqual(f.diagnostics, []);
});

test('one caller holds the lock and one does not: handed in somewhere, so not reported (conservative)', async () => {
  const [h] = await analyseTexts([['svm.h', HEADER], ['holder.c', HOLDER], ['forgetful.c', FORGETFUL]]);
  assert.deepEqual(h.diagnostics, []);
});

test('the header alone (no callers seen): nothing to say', async () => {
  const [h] = await analyseTexts([['svm.h', HEADER]]);
  assert.deepEqual(h.diagnostics, []);
});
