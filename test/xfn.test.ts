// Cross-function check (interproc/handover.ts): rules that decide whether a caller
// hands the lock in, on kernel-shaped code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseText } from './helpers/load';

/** mm/ksm.c: the sysfs store is named only through `KSM_ATTR(run)` (token pasting makes run_store). */
const PASTED = `
static DEFINE_MUTEX(ksm_thread_mutex);
static unsigned long ksm_run;

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	unsigned int flags = 0;

	if (kstrtouint(buf, 10, &flags))
		return -EINVAL;
	ksm_run = flags;
	mutex_unlock(&ksm_thread_mutex);
	return count;
}
KSM_ATTR(run);
`;

test('a static function no analysed code calls is called through hidden places: a global lock it drops untaken is reported', async () => {
  const a = await analyseText('ksm.c', PASTED);
  assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/release-unheld', 13, 'run_store']]);
  assert.match(a.diagnostics[0].message, /reached through a pointer, macro or export/);
});

test('the same function taking the lock itself: nothing', async () => {
  const a = await analyseText('ksm.c', PASTED.replace('\tksm_run = flags;', '\tmutex_lock(&ksm_thread_mutex);\n\tksm_run = flags;'));
  assert.deepEqual(a.diagnostics, []);
});

/**
 * mm/vmalloc.c: preload_this_cpu_lock(&free_vmap_area_lock, …) returns holding that global, not
 * the node's busy lock; node_put() drops `vn->busy.lock` it never took, and its only caller
 * takes and drops that lock itself before the call.
 */
const PRELOAD = `
static DEFINE_SPINLOCK(free_vmap_area_lock);
struct rb_list { spinlock_t lock; int n; };
struct vmap_node { struct rb_list busy; int n; };

static void preload_this_cpu_lock(spinlock_t *lock, gfp_t gfp_mask, int node)
{
	might_sleep();
	spin_lock(lock);
}

static void node_put(struct vmap_node *vn)
{
	preload_this_cpu_lock(&free_vmap_area_lock, GFP_KERNEL, 0);
	vn->n--;
	spin_unlock(&vn->busy.lock);
	spin_unlock(&free_vmap_area_lock);
}

void node_drain(struct vmap_node *vn)
{
	spin_lock(&vn->busy.lock);
	vn->busy.n = 0;
	spin_unlock(&vn->busy.lock);
	node_put(vn);
}
`;

test('a helper returning another lock held (through `&global`) does not take the released one', async () => {
  const a = await analyseText('vmalloc.c', PRELOAD);
  assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/release-unheld', 16, 'node_put']]);
  assert.match(a.diagnostics[0].message, /node_drain\(\) at line 25/);
});

test('the helper given the released lock itself, or a pointer that may be it: held, nothing reported', async () => {
  const own = await analyseText('vmalloc.c', PRELOAD.replace('preload_this_cpu_lock(&free_vmap_area_lock, GFP_KERNEL, 0);\n\tvn->n--;',
    'preload_this_cpu_lock(&vn->busy.lock, GFP_KERNEL, 0);\n\tvn->n--;'));
  assert.deepEqual(own.diagnostics.filter((d) => d.function === 'node_put' && d.line === 16), []);
  const ptr = await analyseText('vmalloc.c', PRELOAD.replace('static void node_put(struct vmap_node *vn)', 'static void node_put(struct vmap_node *vn, spinlock_t *l)')
    .replace('preload_this_cpu_lock(&free_vmap_area_lock,', 'preload_this_cpu_lock(l,').replace('node_put(vn);', 'node_put(vn, &free_vmap_area_lock);'));
  assert.deepEqual(ptr.diagnostics.filter((d) => d.function === 'node_put' && d.line === 16), []);
});

/** mm/swapfile.c: swapon() holds the inode lock (an rwsem, through inode_lock()) around setup_swap_info(). */
const SWAPON = `
static DEFINE_SPINLOCK(swap_lock);

static void setup_swap_info(struct swap_info_struct *si)
{
	si->flags |= SWP_WRITEOK;
	spin_unlock(&swap_lock);
}

int swapon_setup(struct file *file, struct swap_info_struct *si)
{
	struct inode *inode = file->f_mapping->host;

	inode_lock(inode);
	setup_swap_info(si);
	inode_unlock(inode);
	return 0;
}
`;

test('a caller calling a known outside lock helper of another domain (inode_lock: rwsem) does not hold a spinlock through it', async () => {
  const a = await analyseText('swapfile.c', SWAPON);
  assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/release-unheld', 7, 'setup_swap_info']]);
});

test('an unknown outside lock helper in the caller still stops the search', async () => {
  const a = await analyseText('swapfile.c', SWAPON.replace(/inode_(un)?lock\(inode\)/g, 'swap_$1lock_all(inode)'));
  assert.deepEqual(a.diagnostics, []);
});

/** fs/gfs2/quota.c: lockref_put_or_lock() returns 0 holding the lockref's spinlock. */
const LOCKREF = `
struct gfs2_quota_data { struct lockref qd_lockref; int n; };

static void qd_put(struct gfs2_quota_data *qd)
{
	if (lockref_put_or_lock(&qd->qd_lockref))
		return;
	qd->qd_lockref.count = 0;
	spin_unlock(&qd->qd_lockref.lock);
}

static void qd_drop(struct gfs2_quota_data *qd)
{
	spin_lock(&qd->qd_lockref.lock);
	qd->n--;
	spin_unlock(&qd->qd_lockref.lock);
	qd_put(qd);
}
`;

test('lockref_put_or_lock() counts as a lock helper that may take the released lock: nothing reported', async () => {
  const a = await analyseText('quota.c', LOCKREF);
  assert.deepEqual(a.diagnostics, []);
});

/** A global lock dropped six static calls below an exported entry point (mm/vmscan.c reclaim depth). */
const DEEP = `
static DEFINE_SPINLOCK(deep_lock);
static int deep_count;

static void level0(void)
{
	deep_count--;
	spin_unlock(&deep_lock);
}
${[1, 2, 3, 4, 5, 6].map((i) => `
static void level${i}(int n)
{
	if (n)
		level${i - 1}(${i === 1 ? '' : 'n - 1'});
}`).join('\n')}

void deep_entry(int n)
{
	level6(n);
}
`;

test('callers climbed through seven levels: a global lock no level holds is reported', async () => {
  const a = await analyseText('deep.c', DEEP);
  assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/release-unheld', 8, 'level0']]);
});

/**
 * mm/hugetlb.c: gather_surplus_pages() is __must_hold(&hugetlb_lock) and drops it around its
 * allocations; a function it calls there that releases hugetlb_lock drops what nobody holds.
 */
const SURPLUS = `
static DEFINE_SPINLOCK(hugetlb_lock);
static long surplus;

static void account_surplus(long n)
{
	surplus += n;
	spin_unlock(&hugetlb_lock);
}

static int gather_surplus_pages(long delta)
	__must_hold(&hugetlb_lock)
{
	spin_unlock(&hugetlb_lock);
	account_surplus(delta);
	spin_lock(&hugetlb_lock);
	return 0;
}

int hugetlb_acct_memory(long delta)
{
	int ret;

	spin_lock(&hugetlb_lock);
	ret = gather_surplus_pages(delta);
	spin_unlock(&hugetlb_lock);
	return ret;
}
`;

test('an annotated caller that dropped the lock by name before the call does not hold it there', async () => {
  const a = await analyseText('hugetlb.c', SURPLUS);
  assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/release-unheld', 8, 'account_surplus']]);
});

test('an annotated caller that keeps the lock over the call: nothing', async () => {
  const a = await analyseText('hugetlb.c', SURPLUS.replace('\tspin_unlock(&hugetlb_lock);\n\taccount_surplus(delta);\n\tspin_lock(&hugetlb_lock);', '\taccount_surplus(delta);'));
  assert.deepEqual(a.diagnostics, []);
});

/**
 * mm/vmalloc.c: find_vmap_area_exceed_addr_lock() returns with a node's busy lock held for its
 * callers, and its partner unlock helper is handed the lock. Neither says callers pass the lock
 * around: a function dropping it untaken, with every other user taking it itself, lost its lock.
 */
const PEERS = `
struct gpu_node { struct gpu_busy busy; int n; };
struct gpu_busy { spinlock_t lock; struct rb_root root; };

static struct gpu_node gpu_nodes[4];

/* Returns with the node's busy lock held: its callers unlock it. */
static struct gpu_node *gpu_find_node_lock(unsigned long addr)
{
	struct gpu_node *vn = &gpu_nodes[addr & 3];

	spin_lock(&vn->busy.lock);
	return vn;
}

static void gpu_node_unlock(struct gpu_node *vn)
{
	spin_unlock(&vn->busy.lock);
}

void gpu_node_count(unsigned long addr)
{
	struct gpu_node *vn = gpu_find_node_lock(addr);

	vn->n++;
	gpu_node_unlock(vn);
}
EXPORT_SYMBOL(gpu_node_count);

void gpu_node_insert(struct gpu_node *vn, struct rb_node *rb)
{
	spin_lock(&vn->busy.lock);
	gpu_rb_insert(rb, &vn->busy.root);
	spin_unlock(&vn->busy.lock);
}
EXPORT_SYMBOL(gpu_node_insert);

/* BUG: its spin_lock() was deleted; every other user takes the busy lock itself. */
void gpu_node_erase(struct gpu_node *vn, struct rb_node *rb)
{
	gpu_rb_erase(rb, &vn->busy.root);
	spin_unlock(&vn->busy.lock);
}
EXPORT_SYMBOL(gpu_node_erase);
`;

test('a lock helper opening for its callers and an unlock helper handed the lock do not excuse a lost acquire', async () => {
  const a = await analyseText('vmalloc.c', PEERS);
  assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/release-unheld', 42, 'gpu_node_erase']]);
  assert.match(a.diagnostics[0].message, /not a lock callers hand over: 2 other functions take/);
});

test('the same lock helper named as the partner of the releaser excuses it (pipe_lock / pipe_unlock)', async () => {
  const a = await analyseText('vmalloc.c', PEERS.replace(/gpu_node_erase/g, 'gpu_find_node_unlock'));
  assert.deepEqual(a.diagnostics, []);
});

/**
 * drivers/net/ethernet/netronome/nfp/nfpcore/nfp6000_pcie.c: nfp_alloc_bar() waits for a BAR with the
 * lock dropped, and the wait returns with it taken again, through a lock helper two calls down
 * (sparse's __acquire() says so). That helper is why the release after the wait is not a lost acquire.
 */
const BAR = `
struct gpu_dev { spinlock_t bar_lock; wait_queue_head_t wq; int bars; };

static int gpu_find_bar_and_lock(struct gpu_dev *gd)
{
	spin_lock(&gd->bar_lock);
	if (!gd->bars) {
		spin_unlock(&gd->bar_lock);
		return -EAGAIN;
	}
	return 0;
}

static int gpu_wait_for_bar(struct gpu_dev *gd)
{
	return wait_event_interruptible(gd->wq, gpu_find_bar_and_lock(gd) != -EAGAIN);
}

/* OK: the wait returns with the bar lock taken again, through gpu_find_bar_and_lock(). */
int gpu_alloc_bar(struct gpu_dev *gd, int nonblocking)
{
	spin_lock(&gd->bar_lock);
	if (gd->bars)
		goto out;
	if (nonblocking)
		goto out;
	spin_unlock(&gd->bar_lock);
	if (gpu_wait_for_bar(gd))
		return -EINTR;
	__acquire(&gd->bar_lock);
out:
	gd->bars--;
	spin_unlock(&gd->bar_lock);
	return 0;
}
EXPORT_SYMBOL(gpu_alloc_bar);

void gpu_bar_reset(struct gpu_dev *gd)
{
	spin_lock(&gd->bar_lock);
	gd->bars = 0;
	spin_unlock(&gd->bar_lock);
}
EXPORT_SYMBOL(gpu_bar_reset);
`;

test('a lock helper the releaser reaches through its callees excuses the release after the call', async () => {
  const a = await analyseText('nfp.c', BAR);
  assert.deepEqual(a.diagnostics, []);
});
