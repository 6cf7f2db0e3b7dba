// The lock catalogue: every lock verb the analysis knows, as data.
// A verb says which expression is the lock, when the lock counts as held
// (trylock/killable/NULL-returning forms) and which identity namespace
// ("domain") it lives in. Acquire and release pair when their domain and
// normalised lock expression are equal: pmd_lock()'s return value `ptl`,
// pte_offset_map_lock(..., &ptl) and spin_unlock(ptl) all name "spin:ptl".

/** Where the lock expression comes from. */
export type LockOperand =
  | { arg: number; field?: string } // the n-th argument (0-based), leading & dropped; `field`: its ->field
  | { ret: true }              // the call's return value (`ptl = pmd_lock(mm, pmd)`)
  | { global: string };        // no operand: one lock per domain (rcu, lazy MMU)

/** When an acquire counts as held, judged on the call's return value. */
export type HeldWhen = 'always' | 'nonzero' | 'zero' | 'nonnull';

export type LockOp = 'acquire' | 'release' | 'relock' | 'assert';

export interface LockVerb {
  name: string;
  op: LockOp;
  /** Identity namespace: acquire and release must share it to pair. */
  domain: string;
  /** Reported kind (shown to users). */
  kind: string;
  lock: LockOperand;
  /** For acquires (and relock): when the lock is held afterwards. */
  heldWhen?: HeldWhen;
  /** For relock: the operand that is released first. */
  releases?: LockOperand;
  /** For releases that happen only on one outcome (`expand_stack()` drops mmap_lock when it returns NULL). */
  releasedWhen?: 'zero' | 'nonzero';
  /** The verb acts only when this argument is literally true/1 (`do_vmi_munmap(…, unlock)`). */
  ifArgTrue?: number;
  /** The operand is an out-parameter (`spinlock_t **`): `&ptl` names ptl, a bare `ptlp` names `*ptlp`. */
  outParam?: boolean;
  /** Marks a new object locked for whoever receives it: returning with it held is the contract. */
  handsOver?: boolean;
  /**
   * An acquire that hangs when its caller already holds the lock (not shared, not nesting): a function
   * that does it on a path where it has not touched the lock shows that no caller holds it.
   */
  exclusive?: boolean;
  /**
   * For `*_irqrestore` releases: the argument holding the IRQ flags the matching `*_irqsave`
   * saved. A local the function never saved cannot be its caller's flags (see lockflow).
   */
  restoresFlags?: number;
}

/** A guard class (`guard(mutex)(&m)`, `scoped_guard(spinlock, &l)`). */
export interface GuardClass { name: string; domain: string; kind: string; global?: string }

type Spec = [name: string, op: LockOp, lock: LockOperand, heldWhen?: HeldWhen];

function family(domain: string, kind: string, specs: Spec[]): LockVerb[] {
  return specs.map(([name, op, lock, heldWhen]) => ({
    name, op, domain, kind, lock,
    ...(op === 'acquire' ? { heldWhen: heldWhen ?? 'always' } : {}),
  }));
}

const A0: LockOperand = { arg: 0 };
const A1: LockOperand = { arg: 1 };
const RET: LockOperand = { ret: true };

/** Builds acquire/release verbs for every suffix form of a base pair. */
function forms(base: string, unlockBase: string, suffixes: [string, string][]): Spec[] {
  const out: Spec[] = [];
  for (const [a, r] of suffixes) {
    out.push([`${base}${a}`, 'acquire', A0], [`${unlockBase}${r}`, 'release', A0]);
  }
  return out;
}

const SPIN_SUFFIXES: [string, string][] = [
  ['', ''], ['_irq', '_irq'], ['_bh', '_bh'], ['_irqsave', '_irqrestore'],
  ['_nested', ''], ['_irqsave_nested', '_irqrestore'], ['_nest_lock', ''], ['_bh_nested', '_bh'],
];

/** Acquires that lock a new object for whoever receives it (see LockVerb.handsOver). */
const HANDS_OVER = new Set(['__SetPageLocked', '__folio_set_locked']);

/**
 * Domains whose locks cannot be taken twice by one holder (a hang; for local_lock on a non-RT
 * kernel a lockdep splat, as wrong), with the forms that share the lock (several readers at once).
 * RCU, lazy MMU mode and mmu-notifier ranges nest; they are not here.
 * A new object's lock (`__folio_set_locked`) proves nothing about callers either.
 */
const SELF_DEADLOCK: Record<string, RegExp | null> = {
  spin: null, mutex: null, pagelock: null, xa: null, lruvec: null, local_lock: null, seqlock: null,
  rwsem: /read/, mmap: /read/, i_mmap: /read/, anon_vma: /read/, hugetlb_vma: /read/, invalidate: /shared/,
  rwlock: /read/,
};

function isExclusive(v: LockVerb): boolean {
  const shared = SELF_DEADLOCK[v.domain];
  return v.op === 'acquire' && shared !== undefined && !HANDS_OVER.has(v.name) && (shared === null || !shared.test(v.name));
}

export const LOCK_VERBS: LockVerb[] = ([
  ...family('spin', 'spinlock', [
    ...forms('spin_lock', 'spin_unlock', SPIN_SUFFIXES),
    ...forms('raw_spin_lock', 'raw_spin_unlock', SPIN_SUFFIXES),
    ['spin_trylock', 'acquire', A0, 'nonzero'], ['spin_trylock_irq', 'acquire', A0, 'nonzero'],
    ['spin_trylock_bh', 'acquire', A0, 'nonzero'], ['spin_trylock_irqsave', 'acquire', A0, 'nonzero'],
    ['raw_spin_trylock', 'acquire', A0, 'nonzero'], ['raw_spin_trylock_irqsave', 'acquire', A0, 'nonzero'],
    ['task_lock', 'acquire', A0], ['task_unlock', 'release', A0],
    // Drop a reference; on the last one, return true with the lock held.
    ['atomic_dec_and_lock', 'acquire', A1, 'nonzero'], ['atomic_dec_and_lock_irqsave', 'acquire', A1, 'nonzero'],
    ['atomic_dec_and_raw_lock', 'acquire', A1, 'nonzero'], ['atomic_dec_and_raw_lock_irqsave', 'acquire', A1, 'nonzero'],
    ['refcount_dec_and_lock', 'acquire', A1, 'nonzero'], ['refcount_dec_and_lock_irqsave', 'acquire', A1, 'nonzero'],
    ['lockdep_assert_held', 'assert', A0],
  ]),
  // Page-table locks are spinlocks: one domain, so pmd_lock() pairs with spin_unlock().
  ...family('spin', 'pte_lock', [
    ['pte_offset_map_lock', 'acquire', { arg: 3 }, 'nonnull'],
    ['pte_alloc_map_lock', 'acquire', { arg: 3 }, 'nonnull'],
    ['get_locked_pte', 'acquire', { arg: 2 }, 'nonnull'],
    ['pte_unmap_unlock', 'release', A1],
    // Waits for the migration entry to go away and drops the ptl it is given.
    ['migration_entry_wait_on_locked', 'release', A1],
  ]).map((v) => (['pte_offset_map_lock', 'pte_alloc_map_lock', 'get_locked_pte'].includes(v.name) ? { ...v, outParam: true } : v)),
  ...family('spin', 'pmd_lock', [
    ['pmd_lock', 'acquire', RET], ['pud_lock', 'acquire', RET],
    ['huge_pte_lock', 'acquire', RET],
    ['pmd_trans_huge_lock', 'acquire', RET, 'nonnull'],
    ['pud_trans_huge_lock', 'acquire', RET, 'nonnull'],
  ]),
  ...family('rwlock', 'rwlock', [
    ...forms('read_lock', 'read_unlock', SPIN_SUFFIXES.slice(0, 4)),
    ...forms('write_lock', 'write_unlock', SPIN_SUFFIXES.slice(0, 4)),
    ['read_trylock', 'acquire', A0, 'nonzero'], ['write_trylock', 'acquire', A0, 'nonzero'],
  ]),
  ...family('mutex', 'mutex', [
    ['mutex_lock', 'acquire', A0], ['mutex_lock_nested', 'acquire', A0], ['mutex_lock_io', 'acquire', A0],
    ['mutex_lock_interruptible', 'acquire', A0, 'zero'], ['mutex_lock_killable', 'acquire', A0, 'zero'],
    ['mutex_lock_interruptible_nested', 'acquire', A0, 'zero'], ['mutex_lock_killable_nested', 'acquire', A0, 'zero'],
    ['mutex_trylock', 'acquire', A0, 'nonzero'], ['mutex_unlock', 'release', A0],
    ['atomic_dec_and_mutex_lock', 'acquire', A1, 'nonzero'], ['refcount_dec_and_mutex_lock', 'acquire', A1, 'nonzero'],
    // kernel/cgroup: `cgroup_lock()` is `mutex_lock(&cgroup_mutex)`.
    ['cgroup_lock', 'acquire', { global: 'cgroup_mutex' }], ['cgroup_unlock', 'release', { global: 'cgroup_mutex' }],
  ]),
  ...family('rwsem', 'rwsem', [
    ['down_read', 'acquire', A0], ['down_write', 'acquire', A0],
    ['down_read_nested', 'acquire', A0], ['down_write_nested', 'acquire', A0],
    ['down_read_killable', 'acquire', A0, 'zero'], ['down_write_killable', 'acquire', A0, 'zero'],
    ['down_read_interruptible', 'acquire', A0, 'zero'],
    ['down_read_trylock', 'acquire', A0, 'nonzero'], ['down_write_trylock', 'acquire', A0, 'nonzero'],
    ['up_read', 'release', A0], ['up_write', 'release', A0], ['up_read_non_owner', 'release', A0],
  ]),
  ...family('mmap', 'mmap_lock', [
    ['mmap_read_lock', 'acquire', A0], ['mmap_write_lock', 'acquire', A0],
    ['mmap_write_lock_nested', 'acquire', A0],
    ['mmap_read_lock_killable', 'acquire', A0, 'zero'], ['mmap_write_lock_killable', 'acquire', A0, 'zero'],
    ['mmap_read_trylock', 'acquire', A0, 'nonzero'],
    ['mmap_read_unlock', 'release', A0], ['mmap_write_unlock', 'release', A0],
    ['mmap_read_unlock_non_owner', 'release', A0],
    // Returns the vma with mmap_lock held for read, or NULL with it dropped.
    ['lock_mm_and_find_vma', 'acquire', A0, 'nonnull'],
    ['mmap_assert_locked', 'assert', A0], ['mmap_assert_write_locked', 'assert', A0],
  ]),
  // Returns the vma, or NULL after dropping mmap_lock (mm/mmap.c, 6.5+).
  { name: 'expand_stack', op: 'release', domain: 'mmap', kind: 'mmap_lock', lock: A0, releasedWhen: 'zero' },
  // With unlock == true they drop mmap_lock when they succeed (return 0).
  { name: 'do_vmi_munmap', op: 'release', domain: 'mmap', kind: 'mmap_lock', lock: A1, releasedWhen: 'zero', ifArgTrue: 5 },
  { name: 'do_vmi_align_munmap', op: 'release', domain: 'mmap', kind: 'mmap_lock', lock: { arg: 2 }, releasedWhen: 'zero', ifArgTrue: 6 },
  // Returns false after dropping the vma's mmap_lock (mm/userfaultfd.c).
  { name: 'userfaultfd_remove', op: 'release', domain: 'mmap', kind: 'mmap_lock', lock: { arg: 0, field: 'vm_mm' }, releasedWhen: 'zero' },
  ...family('pagelock', 'page_lock', [
    ['lock_page', 'acquire', A0], ['__lock_page', 'acquire', A0],
    // Non-atomic forms for a page nobody else can see yet (new page-cache pages).
    ['__SetPageLocked', 'acquire', A0], ['__ClearPageLocked', 'release', A0],
    ['lock_page_killable', 'acquire', A0, 'zero'],
    ['trylock_page', 'acquire', A0, 'nonzero'], ['unlock_page', 'release', A0],
  ]),
  ...family('pagelock', 'folio_lock', [
    ['folio_lock', 'acquire', A0], ['__folio_lock', 'acquire', A0],
    ['__folio_set_locked', 'acquire', A0], ['__folio_clear_locked', 'release', A0],
    ['folio_lock_killable', 'acquire', A0, 'zero'], ['__folio_lock_killable', 'acquire', A0, 'zero'],
    ['__folio_lock_async', 'acquire', A0, 'zero'],
    ['folio_trylock', 'acquire', A0, 'nonzero'], ['folio_unlock', 'release', A0],
  ]),
  ...family('rcu', 'rcu', [
    ['rcu_read_lock', 'acquire', { global: 'rcu' }], ['rcu_read_unlock', 'release', { global: 'rcu' }],
    ['rcu_read_lock_bh', 'acquire', { global: 'rcu_bh' }], ['rcu_read_unlock_bh', 'release', { global: 'rcu_bh' }],
    ['rcu_read_lock_sched', 'acquire', { global: 'rcu_sched' }],
    ['rcu_read_unlock_sched', 'release', { global: 'rcu_sched' }],
    ['srcu_read_lock', 'acquire', A0], ['srcu_read_unlock', 'release', A0],
  ]),
  ...family('lazy_mmu', 'lazy_mmu', [
    ['arch_enter_lazy_mmu_mode', 'acquire', { global: 'lazy_mmu' }],
    ['arch_leave_lazy_mmu_mode', 'release', { global: 'lazy_mmu' }],
  ]),
  ...family('mmu_notifier', 'mmu_notifier', [
    ['mmu_notifier_invalidate_range_start', 'acquire', A0],
    ['mmu_notifier_invalidate_range_start_nonblock', 'acquire', A0, 'zero'],
    ['mmu_notifier_invalidate_range_end', 'release', A0],
  ]),
  ...family('invalidate', 'invalidate_lock', [
    ['filemap_invalidate_lock', 'acquire', A0], ['filemap_invalidate_unlock', 'release', A0],
    ['filemap_invalidate_lock_shared', 'acquire', A0], ['filemap_invalidate_unlock_shared', 'release', A0],
    ['filemap_invalidate_trylock_shared', 'acquire', A0, 'nonzero'],
  ]),
  ...family('hotplug', 'hotplug_lock', [
    ['cpus_read_lock', 'acquire', { global: 'cpu_hotplug_lock' }], ['cpus_read_unlock', 'release', { global: 'cpu_hotplug_lock' }],
    ['cpus_read_trylock', 'acquire', { global: 'cpu_hotplug_lock' }, 'nonzero'],
    ['get_online_mems', 'acquire', { global: 'mem_hotplug_lock' }], ['put_online_mems', 'release', { global: 'mem_hotplug_lock' }],
    ['lock_device_hotplug', 'acquire', { global: 'device_hotplug_lock' }],
    ['unlock_device_hotplug', 'release', { global: 'device_hotplug_lock' }],
  ]),
  ...family('i_mmap', 'i_mmap', [
    ['i_mmap_lock_write', 'acquire', A0], ['i_mmap_unlock_write', 'release', A0],
    ['i_mmap_lock_read', 'acquire', A0], ['i_mmap_unlock_read', 'release', A0],
    ['i_mmap_trylock_read', 'acquire', A0, 'nonzero'], ['i_mmap_trylock_write', 'acquire', A0, 'nonzero'],
    ['i_mmap_assert_locked', 'assert', A0], ['i_mmap_assert_write_locked', 'assert', A0],
  ]),
  ...family('anon_vma', 'anon_vma', [
    ['anon_vma_lock_write', 'acquire', A0], ['anon_vma_unlock_write', 'release', A0],
    ['anon_vma_lock_read', 'acquire', A0], ['anon_vma_unlock_read', 'release', A0],
    ['anon_vma_trylock_write', 'acquire', A0, 'nonzero'], ['anon_vma_trylock_read', 'acquire', A0, 'nonzero'],
    ['folio_lock_anon_vma_read', 'acquire', RET, 'nonnull'], ['page_lock_anon_vma_read', 'acquire', RET, 'nonnull'],
    ['page_unlock_anon_vma_read', 'release', A0],
  ]),
  ...family('xa', 'xa_lock', [
    ...forms('xa_lock', 'xa_unlock', SPIN_SUFFIXES.slice(0, 4)),
    ...forms('xas_lock', 'xas_unlock', SPIN_SUFFIXES.slice(0, 4)),
  ]),
  ...family('hugetlb_vma', 'hugetlb_vma_lock', [
    ['hugetlb_vma_lock_read', 'acquire', A0], ['hugetlb_vma_unlock_read', 'release', A0],
    ['hugetlb_vma_lock_write', 'acquire', A0], ['hugetlb_vma_unlock_write', 'release', A0],
    ['hugetlb_vma_trylock_write', 'acquire', A0, 'nonzero'],
    ['hugetlb_vma_assert_locked', 'assert', A0],
  ]),
  ...family('lruvec', 'lruvec_lock', [
    ['folio_lruvec_lock', 'acquire', RET], ['folio_lruvec_lock_irq', 'acquire', RET],
    ['folio_lruvec_lock_irqsave', 'acquire', RET],
    ['unlock_page_lruvec', 'release', A0], ['unlock_page_lruvec_irq', 'release', A0],
    ['unlock_page_lruvec_irqrestore', 'release', A0],
    ['lruvec_unlock', 'release', A0], ['lruvec_unlock_irq', 'release', A0],
    ['lruvec_unlock_irqrestore', 'release', A0],
  ]),
  // relock: drops the lock named by its argument (if any) and returns a locked one.
  { name: 'folio_lruvec_relock_irq', op: 'relock', domain: 'lruvec', kind: 'lruvec_lock', lock: RET, heldWhen: 'always', releases: A1 },
  { name: 'folio_lruvec_relock_irqsave', op: 'relock', domain: 'lruvec', kind: 'lruvec_lock', lock: RET, heldWhen: 'always', releases: A1 },
  ...family('vma_lock', 'vma_lock', [
    ['lock_vma_under_rcu', 'acquire', RET, 'nonnull'], ['vma_end_read', 'release', A0],
  ]),
  ...family('local_lock', 'local_lock', [
    ...forms('local_lock', 'local_unlock', SPIN_SUFFIXES.slice(0, 4)),
  ]),
  ...family('seqlock', 'seqlock', [
    ...forms('write_seqlock', 'write_sequnlock', SPIN_SUFFIXES.slice(0, 4)),
  ]),
] as LockVerb[]).map((v: LockVerb): LockVerb => ({
  ...v,
  ...(HANDS_OVER.has(v.name) ? { handsOver: true } : {}),
  ...(isExclusive(v) ? { exclusive: true } : {}),
  // Every `*_irqrestore(lock, flags)` of the kernel takes the flags second.
  ...(v.op === 'release' && v.name.endsWith('_irqrestore') ? { restoresFlags: 1 } : {}),
}));


export const GUARD_CLASSES: GuardClass[] = [
  ...['spinlock', 'spinlock_irq', 'spinlock_irqsave', 'spinlock_bh', 'raw_spinlock',
    'raw_spinlock_irq', 'raw_spinlock_irqsave', 'spinlock_try', 'spinlock_nested']
    .map((name) => ({ name, domain: 'spin', kind: 'spinlock' })),
  ...['mutex', 'mutex_intr', 'mutex_try'].map((name) => ({ name, domain: 'mutex', kind: 'mutex' })),
  ...['rwsem_read', 'rwsem_write', 'rwsem_read_try', 'rwsem_write_try', 'rwsem_read_intr', 'rwsem_write_kill']
    .map((name) => ({ name, domain: 'rwsem', kind: 'rwsem' })),
  ...['read_lock', 'read_lock_irq', 'read_lock_irqsave', 'write_lock', 'write_lock_irq', 'write_lock_irqsave']
    .map((name) => ({ name, domain: 'rwlock', kind: 'rwlock' })),
  { name: 'rcu', domain: 'rcu', kind: 'rcu', global: 'rcu' },
  { name: 'srcu', domain: 'rcu', kind: 'rcu' },
  { name: 'mmap_read_lock', domain: 'mmap', kind: 'mmap_lock' },
  { name: 'xa_lock', domain: 'xa', kind: 'xa_lock' },
  { name: 'xa_lock_irq', domain: 'xa', kind: 'xa_lock' },
  { name: 'local_lock', domain: 'local_lock', kind: 'local_lock' },
  { name: 'local_lock_irqsave', domain: 'local_lock', kind: 'local_lock' },
];

/**
 * Calls after which control never continues. Conditional forms (BUG_ON(c))
 * are modelled as a branch whose true edge never continues.
 */
export const NORETURN_CALLS: string[] = [
  'BUG', 'panic', 'do_exit', 'kthread_exit', 'make_task_dead', '__builtin_unreachable',
  'unreachable', 'BUILD_BUG', 'do_group_exit', 'machine_halt', 'emergency_restart', '__noreturn_fn',
];
export const NORETURN_IF_TRUE: string[] = ['BUG_ON'];

/** One-argument wrappers that return their argument's truth (`if (unlikely(x))`). */
export const TRUTH_WRAPPERS: string[] = [
  'likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'VM_WARN_ON', 'VM_WARN_ON_ONCE', '!!',
];

/**
 * Calls that take over page locks they are given (ownership passes to the callee):
 * the migration API unlocks the pages in its src/dst arrays, read_folio-style
 * helpers unlock the folio when the read completes. `arg` names the operand whose
 * lock is taken over; without it every held lock of the domain is.
 */
export interface LockConsumer { name: string; domain: string; arg?: number; /** Further domains it may drop (all of them). */ also?: string[] }

export const LOCK_CONSUMERS: LockConsumer[] = [
  ...['migrate_vma_finalize', 'migrate_device_finalize', 'migrate_device_unmap', 'migrate_vma_pages',
    'migrate_device_pages', 'migrate_vma_setup', 'migrate_device_range', 'migrate_device_pfns']
    .map((name) => ({ name, domain: 'pagelock' })),
  { name: 'filemap_read_folio', domain: 'pagelock', arg: 2 },
  { name: 'swap_read_folio', domain: 'pagelock', arg: 0 },
  { name: 'folio_end_read', domain: 'pagelock', arg: 0 },
  { name: 'mpage_read_folio', domain: 'pagelock', arg: 0 },
  { name: 'block_read_full_folio', domain: 'pagelock', arg: 0 },
  { name: 'swap_writepage', domain: 'pagelock', arg: 0 },
  // Drops the mmap lock, or the per-VMA lock, when it answers VM_FAULT_RETRY or VM_FAULT_COMPLETED
  // (the arch fault handlers then return without their unlock).
  { name: 'handle_mm_fault', domain: 'mmap', also: ['vma_lock'] },
];

/** A pfn-array flag that says "this entry's page is locked" (2017 HMM, migrate_vma before 5.x). */
export const LOCKED_FLAG: RegExp = /\b(?:MIGRATE_PFN_LOCKED|HMM_PFN_LOCKED)\b/;

/**
 * Encodings that put a locked page into a migration pfn array (`args->dst[i] =
 * migrate_pfn(page_to_pfn(dpage))`, or with LOCKED_FLAG): stored into the caller's memory
 * this way, the page lock goes with it to migrate_vma_pages/finalize, which unlock it. A
 * driver's copy helper that returns right after is not leaking.
 */
export const LOCKED_PAGE_ENCODING: RegExp = new RegExp(`\\b(?:migrate_pfn|hmm_pfn_from_page|hmm_migrate_pfn)\\s*\\(|${LOCKED_FLAG.source}`);

/**
 * Functions whose contract is to return with a lock held although nothing in
 * their name or annotations says so (`__pte_offset_map()` returns with RCU held
 * until pte_unmap()). Their own definitions are not reported.
 */
export const ACQUIRE_WRAPPERS: string[] = ['__pte_offset_map', 'pte_offset_map', 'zone_device_page_init'];

/**
 * Iterator macros whose first argument is a cursor object advanced in place
 * (`xas_for_each(xas, entry, max)`): the loop assigns the other arguments only,
 * so a lock on the cursor (`xas_lock_irq(xas)`) stays held across turns.
 */
export const IN_PLACE_ITERATORS: RegExp = /^(?:xas_for_each|xas_for_each_marked|xas_for_each_conflict|mas_for_each|mas_for_each_rev|for_each_vma|for_each_vma_range)$/;

/**
 * Calls that give a lock's address without taking it, as their result (`src_ptl = pmd_lockptr(mm, pmd)`);
 * LOCK_ADDRESS_FILLS give it through an out-parameter. In a function that takes another lock of the
 * domain itself (its own page-table locking), a local holding only such an address is a lock it
 * means to take; released untaken, the acquire is missing. Plain accessors too (they never lock).
 */
export const LOCK_ADDRESS_CALLS: string[] = ['pte_lockptr', 'pmd_lockptr', 'pud_lockptr', 'huge_pte_lockptr', 'ptlock_ptr'];

/**
 * Calls whose result is a plain conversion or lookup and never comes back locked.
 * A lock on a local set from any other call (`folio = ksm_get_folio(…, TRYLOCK)`)
 * may have been taken by that callee, so the cross-function check leaves it alone.
 */
export const PLAIN_ACCESSORS: string[] = [
  'container_of', 'container_of_const', 'list_entry', 'list_first_entry', 'list_last_entry', 'list_next_entry',
  'list_prev_entry', 'list_first_entry_or_null', 'hlist_entry', 'rb_entry', 'rb_entry_safe', 'page_folio',
  'pfn_folio', 'pfn_to_page', 'virt_to_page', 'virt_to_folio', 'folio_page', 'compound_head', 'READ_ONCE',
  'rcu_dereference', 'rcu_dereference_protected', 'rcu_dereference_raw', 'rcu_access_pointer', 'xa_load',
  'folio_mapping', 'page_mapping', 'file_inode', 'mapping_host', 'pmd_page', 'pte_page', 'pud_page', 'd_inode',
  'this_cpu_ptr', 'per_cpu_ptr', 'raw_cpu_ptr', 'get_cpu_ptr', 'NODE_DATA', 'page_pgdat', 'folio_pgdat',
  'page_zone', 'folio_zone', 'lruvec_pgdat', 'mem_cgroup_lruvec', 'SHMEM_I', 'HUGETLB_I', 'I_BDEV', 'bdi_wb',
  // The page-table lock's address, not taken (`src_ptl = pmd_lockptr(mm, pmd); spin_lock_nested(src_ptl, …)`).
  ...LOCK_ADDRESS_CALLS,
];

/**
 * Calls that give a lock's address without taking it through an out-parameter
 * (`pte_offset_map_nolock(mm, pmd, addr, &ptl)`); LOCK_ADDRESS_CALLS give it as their result.
 */
export const LOCK_ADDRESS_FILLS: string[] = ['pte_offset_map_nolock', 'pte_offset_map_ro_nolock', 'pte_offset_map_rw_nolock'];

/** Calls that compute a number from numbers (`clamp(…)`, `min_t(…)`, `ALIGN(…)`): their result carries no lock state. */
export const VALUE_CALL: RegExp = /^(?:clamp|clamp_t|clamp_val|min|max|min_t|max_t|min3|max3|ALIGN|ALIGN_DOWN|DIV_ROUND_UP|round_up|round_down|roundup|rounddown|abs|READ_ONCE|atomic_read|atomic_long_read|BIT|BIT_ULL|ilog2|order_base_2)$/;

/**
 * Calls that only test, read or report an object they are given (`folio_test_dirty`, `page_to_pfn`,
 * `pr_info`): they do not keep it. Any other call given a locked object may put it somewhere (a
 * list, a batch, an array), so overwriting the object's only name after it is a hand-off, not a leak.
 */
export const READ_ONLY_CALL: RegExp = new RegExp([
  /_test_|^test_|_is_|^is_|_get$|^get_|_size$|_nr_|^pr_|^trace_|WARN|BUG|_dump|_print|_read$|_bit$|_flags$|_mapped$|_order$|_pfn$|_index$|_offset$/.source,
  // Use an object and give it back as it was, locked: references, flags, waits, counts, splits in place.
  /^(?:folio|page)_(?:put|get|try_get|ref_\w+|mark_\w+|wait_\w+|mapcount|contains|lruvec)$|^(?:put|get)_page$/.source,
  /^split_(?:folio|huge_page)$|^flush_dcache_(?:folio|page)$|^(?:min|max)(?:_t)?$|^p(?:te|md|ud)_same$/.source,
].join('|'));
/**
 * Calls given a locked object and nothing else (or nothing else but plain values: see cfg.ts
 * keepsNothing) that still keep it somewhere: the LRU and its per-CPU batches
 * (`folio_add_lru(folio)`), a queue or list of the callee's own, a tracker or cache. Any other call
 * given the object alone (`folio_mark_dirty(folio)`, `folio_put(folio)`, `kmap(page)`) has nowhere
 * to put it but the object itself, so a locked object stays ours: overwriting its only name later
 * loses the lock (a deleted unlock in a scan loop) instead of handing it off. A call given the
 * object and something more (`list_add(&folio->lru, &l)`, `fbatch_add(fb, folio)`) may keep it.
 */
export const KEEPS_ALONE: RegExp = /(?:^|_)(?:add|insert|store|enqueue|queue|push|putback|attach|link|hash|register|defer|track|record|stash|save|keep|remember|cache)(?:_|$)|^lru_cache_/;

/**
 * Calls that read a measure of an object, not the object: what they return (`folio_nr_pages(folio)`)
 * stored somewhere (`cc->nr_migratepages += folio_nr_pages(folio)`) does not keep the object there.
 */
export const OBJECT_MEASURE: RegExp = /_nr_pages$|_nr$|^nr_|_size$|_order$|_count$|_flags$|^(?:folio|page)_test_\w+$/;

/**
 * Calls whose result is a number or a truth value, never an object: a measure (OBJECT_MEASURE), a
 * frame number, a predicate (`folio_is_file_lru(folio)`). Given as an argument (`NR_ISOLATED_ANON +
 * folio_is_file_lru(folio)`), such a result is a plain value: no place to keep an object in.
 */
export const NUMBER_CALL: RegExp = new RegExp(`${OBJECT_MEASURE.source}|_pfn$|(?:^|_)(?:is|has|test)_`);

/**
 * Tests that read what their address argument points to and change nothing: a static key
 * (`static_branch_unlikely(&xdp_locking_key)`). Two such tests around a lock and its unlock are
 * one answer, so the address given does not make us forget what the first test learnt.
 */
export const PURE_TESTS: RegExp = /^static_(?:branch_(?:likely|unlikely)|key_(?:enabled|false|true|count))$/;

/**
 * Name parts of functions that take something for their caller (`jffs2_reserve_space`,
 * `__perf_output_begin`, `radix_tree_preload`): only such a function returns "0 with the lock
 * held, -E… without" by contract. Said by nobody (`__damon_stop()` minus an unlock), that shape is a leak.
 */
export const TAKING_WORD: RegExp = /^(?:try\w*|reserv\w*|begin|start|prepare|preload|get|grab|acquire|enter|hold|claim|steal|pin|take|find|lookup|lock\w*|down\w*|open)$/;

/** Field names that, by kernel naming, hold a number or a flag word (`sc->gfp_mask`, `cc->nr_freepages`). */
export const NUMBER_FIELD: RegExp = /^(?:nr|gfp)_|(?:^|_)(?:mask|flags?|gfp|nr|count|order|size|len|pfn|index|idx|offset)$/;

/**
 * Fields that link their object into something else: a list or tree node, a work item, an RCU head;
 * or that end its life: a reference count (`kref_put(&vma_lock->refs, release)`, whose release
 * function may take the object and its lock over).
 * A call given one of them (`list_add(&vb->free_list, &l)`, `queue_work(wq, &x->work)`) may keep the
 * object, so a lock held in a field of it (`x->lock`) goes with it. Any other field
 * (`__find_vmap_area(addr, &vn->busy.root)`, `atomic_inc(&x->count)`) is data the lock guards, used
 * in place: the object stays where it is, and overwriting its name later loses the lock.
 */
export const LINK_FIELD: RegExp = /(?:^|_)(?:lru|list|node|entry|link|links|chain|hash|head|item|work|dwork|rcu|timer|kobj|ref|refs|refcount|kref|usage)$/;

/**
 * Calls that take a lock and call a function of theirs with it held, which releases it
 * (`kref_put_mutex(&sp->ref, syncpt_release, &host->lock)`): the lock goes to that function.
 * `lock` is the index of the lock argument.
 */
export interface LockedCallback { name: string; domain: string; lock: number }

export const LOCKED_CALLBACKS: LockedCallback[] = [
  { name: 'kref_put_mutex', domain: 'mutex', lock: 2 },
  { name: 'kref_put_lock', domain: 'spin', lock: 2 },
];

/**
 * Calls whose result is an object nobody can hold locked yet: a new allocation, or a new reference
 * to a task's mm, which no caller up the chain is given. A lock of such an object released where the
 * function has not taken it is held by no one (see interproc/fresh.ts). A function that returns
 * only such results, with no lock word in it (`anon_vma_alloc()`, `damon_get_mm()`), counts too.
 */
export const FRESH_OBJECT_CALLS: string[] = [
  'kmalloc', 'kzalloc', 'kcalloc', 'kmalloc_array', 'kmalloc_node', 'kzalloc_node', 'kvmalloc', 'kvzalloc',
  'kvcalloc', 'kvmalloc_array', 'vmalloc', 'vzalloc', 'kmem_cache_alloc', 'kmem_cache_zalloc', 'kmem_cache_alloc_node',
  'alloc_page', 'alloc_pages', 'alloc_pages_node', '__alloc_pages', 'alloc_pages_mpol', 'folio_alloc', '__folio_alloc',
  'folio_alloc_mpol', 'vma_alloc_folio', 'filemap_alloc_folio', 'mm_alloc', 'get_task_mm', 'mm_access',
];

/**
 * Calls that may return with an object they are given locked, whatever their name says
 * (`filemap_add_folio()` returns 0 with the folio locked): an object given to one is not fresh.
 */
export const ARGUMENT_LOCKERS: string[] = ['filemap_add_folio', 'add_to_page_cache_lru', 'add_to_page_cache', 'hugetlb_add_to_page_cache'];

/**
 * Macros that assign a variable given as their first argument (`WRITE_ONCE(v, x)`, any upper-case
 * macro, `get_user(v, p)`), or as any argument (`swap(a, b)`): a local given to one has a value no
 * `v = …` shows.
 */
export const WRITES_FIRST_ARGUMENT: RegExp = /^(?:[A-Z][A-Z0-9_]*|get_user|__get_user|rcu_assign_pointer|swap)$/;
export const WRITES_EVERY_ARGUMENT: RegExp = /^swap$/;
