// How the rest of the tree uses a lock decides for callers we cannot see (exported
// functions, callbacks), and smaller rules added with it: callee releases named in the
// caller's terms, locks stored in the caller's memory, kref_put_mutex() callbacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseText, analyseTexts, getParser } from './helpers/load';
import { analyseFileWithSummary } from '../src/core/analyse';
import { buildCatalogue } from '../src/core/locks/table';
import type { FileAnalysis } from '../src/core/model';

/** Two functions that take pool->lock themselves. */
const TAKERS = `
struct zpool { spinlock_t lock; struct list_head list; int n; };

static void zpool_add(struct zpool *pool, struct list_head *e)
{
	spin_lock(&pool->lock);
	list_add(e, &pool->list);
	spin_unlock(&pool->lock);
}

static int zpool_count(struct zpool *pool)
{
	int n;

	spin_lock(&pool->lock);
	n = pool->n;
	spin_unlock(&pool->lock);
	return n;
}
`;

/** Exported: its callers are not all in view. Its spin_lock() was deleted. */
const MISSING = `
void zpool_shrink(struct zpool *pool)
{
	pool->n--;
	spin_unlock(&pool->lock);
}
EXPORT_SYMBOL(zpool_shrink);
`;

const rules = (f: FileAnalysis): string[] => f.diagnostics.map((d) => `${d.line}:${d.ruleId}`);

test('a lock every other function takes itself, released untaken by an exported function: reported', async () => {
  const [, m] = await analyseTexts([['zpool.c', TAKERS], ['shrink.c', MISSING]]);
  assert.deepEqual(rules(m), ['5:lock/release-unheld']);
  assert.match(m.diagnostics[0].message, /2 other functions take `zpool->lock` themselves \(zpool_add\(\), zpool_count\(\)\) and none is handed it/);
});

test('the same lock when some function is handed it (lockdep_assert_held): callers may pass it, silent', async () => {
  const handed = `
static void zpool_trim_locked(struct zpool *pool)
{
	lockdep_assert_held(&pool->lock);
	pool->n = 0;
}
`;
  const [, m] = await analyseTexts([['zpool.c', TAKERS + handed], ['shrink.c', MISSING]]);
  assert.deepEqual(rules(m), []);
});

test('the same lock when some function leaves it held for another (a begin/flush pair): silent', async () => {
  const opener = `
void zpool_begin(struct zpool *pool)
{
	/* held across the commit, dropped by zpool_shrink() */
	spin_lock(&pool->lock);
}
`;
  const [, m] = await analyseTexts([['zpool.c', TAKERS + opener], ['shrink.c', MISSING]]);
  assert.deepEqual(rules(m), []);
});

test('a bare variable (`ptl`) says nothing about which lock it is: silent', async () => {
  const bare = `
void zpool_ptl_drop(spinlock_t *ptl)
{
	spin_unlock(ptl);
}
EXPORT_SYMBOL(zpool_ptl_drop);
`;
  const [, m] = await analyseTexts([['zpool.c', TAKERS], ['bare.c', bare]]);
  assert.deepEqual(rules(m), []);
});

test('an error path that unlocks before the lock is taken, in a callback: reported, with the other acquire', async () => {
  const src = `
struct xrep { struct mutex lock; int n; };

static int xrep_stash(struct xrep *rr)
{
	mutex_lock(&rr->lock);
	rr->n++;
	mutex_unlock(&rr->lock);
	return 0;
}

static int xrep_live_update(struct notifier_block *nb, unsigned long action, void *data)
{
	struct xrep *rr = container_of(nb, struct xrep, nb);
	int error;

	error = xrep_alloc(rr);
	if (error)
		goto out_abort;

	mutex_lock(&rr->lock);
	rr->n--;
	mutex_unlock(&rr->lock);
	return NOTIFY_DONE;

out_abort:
	mutex_unlock(&rr->lock);
	return NOTIFY_DONE;
}

static struct notifier_block xrep_nb = { .notifier_call = xrep_live_update };
`;
  const f = await analyseText('rmap.c', src);
  assert.deepEqual(rules(f), ['27:lock/release-unheld']);
  assert.match(f.diagnostics[0].message, /on a path where xrep_live_update\(\) has not acquired it; it takes it itself at line 21, so no caller holds it/);
});

test('the same shape when a flag this function sets guards the release: silent (a correlation we cannot follow)', async () => {
  const src = `
struct trans { int removing; };
struct fsinfo { struct mutex chunk_mutex; };

static void chunk_alloc(struct fsinfo *fs_info)
{
	mutex_lock(&fs_info->chunk_mutex);
	mutex_unlock(&fs_info->chunk_mutex);
}

int remove_chunk(struct trans *trans, struct fsinfo *fs_info)
{
	int ret = prepare(trans);

	if (ret)
		goto out;
	mutex_lock(&fs_info->chunk_mutex);
	trans->removing = 1;
	ret = work(trans);
	if (ret)
		goto out;
	mutex_unlock(&fs_info->chunk_mutex);
	trans->removing = 0;
out:
	if (trans->removing) {
		mutex_unlock(&fs_info->chunk_mutex);
		trans->removing = 0;
	}
	return ret;
}
EXPORT_SYMBOL(remove_chunk);
`;
  const f = await analyseText('volumes.c', src);
  assert.deepEqual(rules(f), []);
});

test('a same-file unlock helper releases its own argument\'s lock, not every lock of the kind', async () => {
  const src = `
struct zhdr { spinlock_t page_lock; };
struct zpool2 { spinlock_t lock; };

static inline void zhdr_unlock(struct zhdr *zhdr)
{
	spin_unlock(&zhdr->page_lock);
}

static bool zpage_isolate(struct zhdr *zhdr, struct zpool2 *pool)
{
	spin_lock(&zhdr->page_lock);
	if (zhdr_busy(zhdr))
		goto out;
	spin_lock(&pool->lock);
	zhdr_detach(zhdr);
	/* spin_unlock(&pool->lock) forgotten */
	zhdr_unlock(zhdr);
	return true;
out:
	zhdr_unlock(zhdr);
	return false;
}
`;
  const f = await analyseText('zfold.c', src);
  assert.deepEqual(rules(f), ['15:lock/held-at-exit']);
});

test('a lock taken through a pointer kept in the caller\'s memory and returned true: the caller\'s (map_pte)', async () => {
  const src = `
static bool map_walk_pte(struct walk *pvmw, spinlock_t **ptlp)
{
	if (pvmw->flags & PVMW_SYNC) {
		pvmw->pte = pte_offset_map_lock(pvmw->mm, pvmw->pmd, pvmw->address, &pvmw->ptl);
		*ptlp = pvmw->ptl;
		return !!pvmw->pte;
	}
	pvmw->pte = pte_offset_map_nolock(pvmw->mm, pvmw->pmd, pvmw->address, ptlp);
	if (!pvmw->pte)
		return false;
	if (!pte_present(ptep_get(pvmw->pte)))
		return false;
	pvmw->ptl = *ptlp;
	spin_lock(pvmw->ptl);
	return true;
}
`;
  assert.deepEqual(rules(await analyseText('walk.c', src)), []);
});

test('the fault-path shape: vmf->ptl locked, unlocked on every return but one: reported', async () => {
  const src = `
vm_fault_t do_pmd_wp(struct vm_fault *vmf)
{
	vmf->ptl = pmd_lockptr(vmf->vma->vm_mm, vmf->pmd);
	spin_lock(vmf->ptl);
	if (unlikely(!pmd_same(*vmf->pmd, vmf->orig_pmd))) {
		spin_unlock(vmf->ptl);
		return 0;
	}
	if (pmd_write(vmf->orig_pmd))
		return VM_FAULT_FALLBACK;
	spin_unlock(vmf->ptl);
	return 0;
}
`;
  const f = await analyseText('huge.c', src);
  assert.deepEqual(rules(f), ['5:lock/held-at-exit']);
});

test('kref_put_mutex() takes the mutex and hands it to the release callback: the callback is not reported', async () => {
  const src = `
struct host { struct mutex syncpt_mutex; };
struct syncpt { struct kref ref; struct host *host; };

static void syncpt_release(struct kref *ref)
{
	struct syncpt *sp = container_of(ref, struct syncpt, ref);

	sp->host = NULL;
	mutex_unlock(&sp->host->syncpt_mutex);
}

struct syncpt *syncpt_alloc(struct host *host)
{
	mutex_lock(&host->syncpt_mutex);
	mutex_unlock(&host->syncpt_mutex);
	return NULL;
}

void syncpt_put(struct syncpt *sp)
{
	kref_put_mutex(&sp->ref, syncpt_release, &sp->host->syncpt_mutex);
}
`;
  assert.deepEqual(rules(await analyseText('syncpt.c', src)), []);
});

test('a lock handed to a releaser in another file (its parameter\'s lock) is not held at exit there', async () => {
  const helper = `
void f2_put_page(struct page *page, int unlock)
{
	if (unlock)
		unlock_page(page);
	put_page(page);
}
`;
  const user = `
static int f2_set_link(struct page *page)
{
	lock_page(page);
	set_page_dirty(page);
	f2_put_page(page, 1);
	return 0;
}

static int f2_forget(struct page *page, struct page *other)
{
	lock_page(page);
	f2_put_page(other, 1);
	return 0;
}
`;
  const [, u] = await analyseTexts([['helper.c', helper], ['dir.c', user]]);
  assert.deepEqual(rules(u), ['12:lock/held-at-exit']);
  // Alone, dir.c cannot see the releaser: both are reported.
  assert.deepEqual(rules(await analyseText('dir.c', user)), ['4:lock/held-at-exit', '12:lock/held-at-exit']);
});

const LOCK_VMA = (unlockFirst: boolean): string => `
struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;

	rcu_read_lock();
	vma = mas_walk(&mm->mas, address);
	if (!vma)
		goto inval;
	if (address >= vma->vm_end)
		goto inval;
${unlockFirst ? '\trcu_read_unlock();\n' : ''}	return vma;
inval:
	rcu_read_unlock();
	return NULL;
}
`;

test('a lock helper\'s own definition hands out its lock, not an RCU section it closes elsewhere', async () => {
  assert.deepEqual(rules(await analyseText('memory.c', LOCK_VMA(true))), []);
  assert.deepEqual(rules(await analyseText('memory.c', LOCK_VMA(false))), ['6:lock/held-at-exit']);
  // The same by name alone (not in the catalogue).
  const byName = LOCK_VMA(false).replace('lock_vma_under_rcu', 'my_lock_vma');
  assert.deepEqual(rules(await analyseText('memory.c', byName)), ['6:lock/held-at-exit']);
});

test('a function that hands its lock to a same-file releaser does not leave it held for the tree-wide rule', async () => {
  // zpool_take_one() returns true with the lock "held" only until zpool_accept() drops it
  // (try_to_accept_memory_one() and __accept_page() in mm/page_alloc.c).
  const handsOver = `
static void zpool_accept(struct zpool *pool, struct list_head *e)
{
	list_del(e);
	spin_unlock(&pool->lock);
}

static bool zpool_take_one(struct zpool *pool)
{
	struct list_head *e;

	spin_lock(&pool->lock);
	e = zpool_first(pool);
	if (!e) {
		spin_unlock(&pool->lock);
		return false;
	}
	zpool_accept(pool, e);
	return true;
}
`;
  const parser = await getParser();
  const { summary } = analyseFileWithSummary(parser, 'zpool.c', TAKERS + handsOver, { catalogue: buildCatalogue() });
  const take = summary.functions.find((f) => f.name === 'zpool_take_one')!;
  assert.deepEqual(take.returnsHeld, []);
  assert.deepEqual(take.owners.opened, []);
  assert.ok(take.owners.taken.includes('spin:zpool.lock'));
});

test('a lock a callee may have dropped counts as held at later calls: their untaken release is not reported', async () => {
  // __btrfs_run_delayed_refs(): btrfs_run_delayed_refs_for_head() unlocks only on error, then
  // cleanup_ref_head() is called with the head lock still held and drops it.
  const text = `
static int head_run(struct ref_head *head)
{
	if (head_failed(head)) {
		spin_unlock(&head->lock);
		return -EIO;
	}
	return 0;
}

static int head_cleanup(struct ref_head *head)
{
	spin_unlock(&head->lock);
	return 0;
}

int heads_run_all(struct ref_head *head)
{
	int ret;

	spin_lock(&head->lock);
	ret = head_run(head);
	if (ret < 0)
		return ret;
	return head_cleanup(head);
}
`;
  const [f] = await analyseTexts([['heads.c', text]]);
  assert.deepEqual(rules(f), []);
});
