// The migration catalogue: every API a reviewer of device-memory migration meets,
// from the 2017 HMM patch series to linux 6.x, as typed data. Classification
// (classify.ts), the protocol checks (protocol.ts) and the hover/map text all
// read these tables; no migration knowledge lives in code elsewhere.
//
// `use` says what calling (or naming) the entry makes of the caller:
//   caller  — drives a migration (its protocol steps, or restoring migration entries);
//   helper  — works on a migration's pfn arrays or pages (migrate_pfn(), MIGRATE_PFN_*);
//   entry   — creates or inspects migration / device-private swap entries;
//   mirror  — HMM mirroring (hmm_range_fault and its sequence checks): HMM, not migration.

import { escapeRegExp } from '../parse/regex';

export type MigrationRole = 'api' | 'helper' | 'caller' | 'callback' | 'entry' | 'hmm-mirror' | 'none';
export type Phase = 'setup' | 'copy' | 'pages' | 'finalize' | 'restore' | 'free' | 'fault';
export type Era = 'hmm-2017' | 'v4.14-v5.3' | 'v5.4+' | 'v6.x' | 'all';

/** Protocol order, for joining phases. */
export const PHASE_ORDER: Phase[] = ['fault', 'setup', 'copy', 'pages', 'finalize', 'restore', 'free'];

export interface ApiDoc {
  /** What it does, in a reviewer's words. */
  does: string;
  /** What it expects held or set. */
  expects?: string;
  /** What it leaves behind for the caller. */
  leaves?: string;
  /** Which kernels have it. */
  versions: string;
}

export interface MigrationApi {
  name: string;
  /** Function, macro/flag constant or struct. */
  kind: 'function' | 'flag' | 'struct' | 'type';
  use: 'caller' | 'helper' | 'entry' | 'mirror';
  era: Era;
  phase?: Phase;
  doc: ApiDoc;
}

const NOW = 'linux 5.4 and later';

export const MIGRATION_APIS: MigrationApi[] = [
  // ---- today's migrate_vma protocol (mm/migrate_device.c) ----
  { name: 'migrate_vma_setup', kind: 'function', use: 'caller', era: 'v5.4+', phase: 'setup', doc: {
    does: 'Collects the pages of [start, end) of args->vma selected by args->flags (MIGRATE_VMA_SELECT_*), locks and isolates them, and replaces their ptes with migration entries. Fills args->src[] and sets args->cpages.',
    expects: 'mmap_lock held (read); args->src/dst sized for the range; args->pgmap_owner set for device-private pages.',
    leaves: 'On 0: every collected page locked with a migration entry in its place, until migrate_vma_finalize(). cpages may be 0 (nothing collected). On error nothing is held.',
    versions: NOW } },
  { name: 'migrate_vma_pages', kind: 'function', use: 'caller', era: 'v5.4+', phase: 'pages', doc: {
    does: 'Moves struct page metadata (mapping, flags, refcount) from each src page to its dst page where both are set; clears MIGRATE_PFN_MIGRATE where it cannot.',
    expects: 'A successful migrate_vma_setup() on the same args, and args->dst[] filled with locked destination pages (migrate_pfn()).',
    leaves: 'The migration committed in struct page terms; the ptes still hold migration entries until migrate_vma_finalize().',
    versions: NOW } },
  { name: 'migrate_vma_finalize', kind: 'function', use: 'caller', era: 'v5.4+', phase: 'finalize', doc: {
    does: 'Replaces the migration entries by ptes to the new (or, on failure, the old) pages, unlocks and releases src and dst pages.',
    expects: 'A successful migrate_vma_setup() on the same args (after migrate_vma_pages() when pages are moved). Called once.',
    leaves: 'Nothing held: the migration is over.',
    versions: NOW } },
  { name: 'migrate_vma', kind: 'struct', use: 'helper', era: 'v5.4+', doc: {
    does: 'The state of one migrate_vma_setup/pages/finalize run: vma, start, end, src[], dst[], npages, cpages, pgmap_owner, flags (MIGRATE_VMA_SELECT_SYSTEM / _DEVICE_PRIVATE / _DEVICE_COHERENT), fault_page.',
    versions: 'linux 4.14 (as the migrate_vma() arguments); this struct since 5.4' } },
  { name: 'migrate_device_range', kind: 'function', use: 'caller', era: 'v6.x', phase: 'setup', doc: {
    does: 'Device-side setup: collects and unmaps the device-private pages of a pfn range (eviction when the device memory goes away), filling src[].',
    expects: 'src[] of npages entries.',
    leaves: 'Collected pages locked with migration entries until migrate_device_finalize().',
    versions: 'linux 6.1 and later' } },
  { name: 'migrate_device_pfns', kind: 'function', use: 'caller', era: 'v6.x', phase: 'setup', doc: {
    does: 'Like migrate_device_range() for a list of (not necessarily contiguous) device pfns.',
    leaves: 'Collected pages locked with migration entries until migrate_device_finalize().',
    versions: 'linux 6.15 and later' } },
  { name: 'migrate_device_pages', kind: 'function', use: 'caller', era: 'v6.x', phase: 'pages', doc: {
    does: 'migrate_vma_pages() for the device-side (migrate_device_range) protocol.',
    expects: 'migrate_device_range/pfns() done, dst[] filled with locked pages.',
    versions: 'linux 6.1 and later' } },
  { name: 'migrate_device_finalize', kind: 'function', use: 'caller', era: 'v6.x', phase: 'finalize', doc: {
    does: 'migrate_vma_finalize() for the device-side protocol: restores ptes, unlocks and releases pages.',
    expects: 'migrate_device_range/pfns() done on the same src[]. Called once.',
    versions: 'linux 6.1 and later' } },
  // ---- pfn array helpers ----
  { name: 'migrate_pfn', kind: 'function', use: 'helper', era: 'v5.4+', phase: 'copy', doc: {
    does: 'Encodes a pfn for src[]/dst[]: pfn << MIGRATE_PFN_SHIFT | MIGRATE_PFN_VALID.',
    expects: 'For dst[]: the destination page locked (lock_page/folio_lock) before it is published.',
    versions: NOW } },
  { name: 'migrate_pfn_to_page', kind: 'function', use: 'helper', era: 'v5.4+', doc: {
    does: 'Decodes a src[]/dst[] entry to its struct page; NULL when MIGRATE_PFN_VALID is clear.',
    versions: NOW } },
  { name: 'migrate_pfn_to_folio', kind: 'function', use: 'helper', era: 'v6.x', doc: {
    does: 'Folio form of migrate_pfn_to_page().', versions: 'linux 6.16 and later' } },
  // Drivers call it on the device page they picked as a migration destination; a
  // function that does is the destination-page allocator (a copy-step helper).
  { name: 'zone_device_page_init', kind: 'function', use: 'helper', era: 'v6.x', phase: 'copy', doc: {
    does: 'Prepares a free device-private page as a migration destination: sets its refcount to 1 and locks it.',
    expects: 'The page free (its last reference dropped through dev_pagemap_ops.page_free).',
    leaves: 'The page locked and referenced, ready to be published in dst[] with migrate_pfn().',
    versions: 'linux 6.1 and later (lock_page() before that)' } },
  ...['MIGRATE_PFN_VALID', 'MIGRATE_PFN_MIGRATE', 'MIGRATE_PFN_WRITE', 'MIGRATE_PFN_LOCKED', 'MIGRATE_PFN_SHIFT',
    'MIGRATE_PFN_DEVICE', 'MIGRATE_PFN_ERROR', 'MIGRATE_PFN_COMPOUND'].map((name): MigrationApi => ({
    name, kind: 'flag', use: 'helper', era: 'v5.4+', doc: {
      does: 'Flag of a src[]/dst[] pfn entry: VALID (entry holds a pfn), MIGRATE (page collected and may move), WRITE (was mapped writable), LOCKED/DEVICE/ERROR (4.14–5.x only), COMPOUND (THP, 6.x).',
      versions: 'VALID, MIGRATE, WRITE: 4.14 and later; LOCKED, DEVICE, ERROR: 4.14–5.x' },
  })),
  // ---- the 4.14–5.3 one-call API ----
  // No phase: the one call runs all of them.
  { name: 'migrate_vma', kind: 'function', use: 'caller', era: 'v4.14-v5.3', doc: {
    does: 'One call migrates [start, end): collects and unmaps, calls ops->alloc_and_copy(), moves the pages, calls ops->finalize_and_map(), restores.',
    expects: 'mmap_lock held; struct migrate_vma_ops with both callbacks; src/dst arrays.',
    leaves: 'Nothing held on return.',
    versions: 'linux 4.14 to 5.3 (replaced by migrate_vma_setup/pages/finalize)' } },
  { name: 'migrate_vma_ops', kind: 'struct', use: 'helper', era: 'v4.14-v5.3', doc: {
    does: 'Callbacks of migrate_vma(): alloc_and_copy (allocate and lock dst pages, copy, fill dst[]) and finalize_and_map (update the device page table for what moved).',
    versions: 'linux 4.14 to 5.3' } },
  // ---- migration entries ----
  ...['make_readable_migration_entry', 'make_writable_migration_entry', 'make_readable_exclusive_migration_entry',
    'make_migration_entry'].map((name): MigrationApi => ({ name, kind: 'function', use: 'entry', era: 'all', phase: 'setup', doc: {
    does: 'Builds a migration swap entry for a pfn (readable, writable or anon-exclusive); the write and exclusive bits of the old pte live on in the entry type.',
    expects: 'The page locked, the pte lock held when it is stored.',
    versions: name === 'make_migration_entry' ? 'up to linux 5.13' : 'linux 5.14 and later' } })),
  ...['is_migration_entry', 'is_writable_migration_entry', 'is_readable_migration_entry',
    'is_readable_exclusive_migration_entry', 'is_pfn_swap_entry', 'is_migration_entry_young', 'is_migration_entry_dirty',
    'is_pmd_migration_entry', 'migration_entry_to_page', 'migration_entry_to_pfn', 'pfn_swap_entry_to_page',
    'pfn_swap_entry_folio', 'make_migration_entry_young', 'make_migration_entry_dirty']
    .map((name): MigrationApi => ({ name, kind: 'function', use: 'entry', era: 'all', doc: {
      does: 'Inspects (or adds the young/dirty bit to) a migration swap entry.',
      versions: /young|dirty/.test(name) ? 'linux 6.1 and later' : 'linux 4.x and later (names vary by version)' } })),
  { name: 'remove_migration_ptes', kind: 'function', use: 'caller', era: 'all', phase: 'restore', doc: {
    does: 'Walks the rmap of the old folio and replaces its migration entries by ptes to the new folio (rmap_one = remove_migration_pte).',
    expects: 'Both folios locked.',
    versions: 'all kernels with page migration' } },
  { name: 'migration_entry_wait', kind: 'function', use: 'caller', era: 'all', phase: 'restore', doc: {
    does: 'Fault path: waits until the page under migration is unlocked, then the fault is retried.',
    expects: 'Called with the mmap (or vma) lock held; drops the pte lock itself.',
    versions: 'all kernels with page migration' } },
  { name: 'migration_entry_wait_huge', kind: 'function', use: 'caller', era: 'all', phase: 'restore', doc: {
    does: 'migration_entry_wait() for hugetlb entries.', versions: 'all kernels with hugetlb migration' } },
  { name: 'pmd_migration_entry_wait', kind: 'function', use: 'caller', era: 'all', phase: 'restore', doc: {
    does: 'migration_entry_wait() for a PMD-mapped THP.', versions: 'linux 4.14 and later' } },
  // ---- device-private entries ----
  ...['make_readable_device_private_entry', 'make_writable_device_private_entry', 'make_device_private_entry',
    'make_device_exclusive_entry', 'make_readable_device_exclusive_entry', 'make_writable_device_exclusive_entry']
    .map((name): MigrationApi => ({ name, kind: 'function', use: 'entry', era: 'all', phase: 'pages', doc: {
      does: 'Builds a device-private (or device-exclusive) swap entry: the CPU pte of a page that lives in device memory.',
      expects: 'The pte lock held when it is stored.',
      versions: 'linux 4.14 and later (names vary by version)' } })),
  ...['is_device_private_entry', 'is_writable_device_private_entry', 'is_device_exclusive_entry',
    'is_writable_device_exclusive_entry', 'device_private_entry_to_page', 'device_private_entry_to_pfn']
    .map((name): MigrationApi => ({ name, kind: 'function', use: 'entry', era: 'all', doc: {
      does: 'Inspects a device-private (or device-exclusive) swap entry.',
      versions: 'linux 4.14 and later (names vary by version)' } })),
  // ---- dev_pagemap callbacks' struct ----
  { name: 'dev_pagemap_ops', kind: 'struct', use: 'helper', era: 'all', doc: {
    does: 'Callbacks of a device memory region: migrate_to_ram (CPU fault on a device-private page: migrate it back) and page_free (a device page\'s last reference went away).',
    versions: 'linux 4.14 and later' } },
  // ---- HMM mirror (not migration) ----
  { name: 'hmm_range_fault', kind: 'function', use: 'mirror', era: 'v5.4+', phase: 'fault', doc: {
    does: 'Snapshots (and faults in, per HMM_PFN_REQ_*) the CPU page table of a range into range->hmm_pfns[].',
    expects: 'mmap_lock held (read); range->notifier_seq from mmu_interval_read_begin(). -EBUSY means: begin again.',
    leaves: 'Pfns valid only while mmu_interval_read_retry(range->notifier, range->notifier_seq) is false, checked under the driver lock that the invalidate callback also takes.',
    versions: 'linux 5.7 and later (hmm_range_fault(range, flags) in 5.2–5.6)' } },
  { name: 'mmu_interval_read_begin', kind: 'function', use: 'mirror', era: 'v5.4+', phase: 'fault', doc: {
    does: 'Starts a read side critical section of an interval notifier and returns its sequence.',
    versions: 'linux 5.5 and later' } },
  { name: 'mmu_interval_read_retry', kind: 'function', use: 'mirror', era: 'v5.4+', phase: 'fault', doc: {
    does: 'True when the range was invalidated since mmu_interval_read_begin(): the pfns must not be used.',
    expects: 'The driver lock held, the one its invalidate callback takes, until the device page table is updated.',
    versions: 'linux 5.5 and later' } },
  { name: 'mmu_interval_check_retry', kind: 'function', use: 'mirror', era: 'v5.4+', doc: {
    does: 'Lockless early test of mmu_interval_read_retry(); not a substitute for it.', versions: 'linux 5.5 and later' } },
  ...['HMM_PFN_VALID', 'HMM_PFN_WRITE', 'HMM_PFN_ERROR', 'HMM_PFN_REQ_FAULT', 'HMM_PFN_REQ_WRITE', 'HMM_PFN_FLAGS',
    'HMM_PFN_ORDER_SHIFT'].map((name): MigrationApi => ({ name, kind: 'flag', use: 'mirror', era: 'v5.4+', doc: {
    does: 'Flag of an hmm_pfns[] entry (VALID, WRITE, ERROR) or request (REQ_FAULT, REQ_WRITE).',
    versions: 'linux 5.8 and later' } })),
  { name: 'hmm_pfn_to_page', kind: 'function', use: 'mirror', era: 'v5.4+', doc: {
    does: 'Decodes an hmm_pfns[] entry to its page.', versions: 'linux 5.2 and later' } },
  // ---- 4.x mirror forms ----
  ...['hmm_vma_get_pfns', 'hmm_vma_fault', 'hmm_vma_range_done', 'hmm_range_snapshot', 'hmm_range_register',
    'hmm_range_unregister', 'hmm_range_wait_until_valid', 'hmm_range_valid']
    .map((name): MigrationApi => ({ name, kind: 'function', use: 'mirror', era: 'v4.14-v5.3', phase: 'fault', doc: {
      does: name === 'hmm_vma_range_done'
        ? 'Ends an hmm_vma_get_pfns/hmm_vma_fault snapshot; false means the range was invalidated meanwhile (the 4.x retry check).'
        : 'HMM mirror snapshot or fault of a range (4.14–5.x form, replaced by hmm_range_fault with interval notifiers).',
      versions: 'linux 4.14 to 5.x' } })),
  // ---- the 2015–2017 HMM patch series ----
  { name: 'mm_hmm_migrate', kind: 'function', use: 'caller', era: 'hmm-2017', phase: 'setup', doc: {
    does: 'Unmaps a range and sets special HMM ptes (saved in save_pte[]) so the device side can copy it.',
    expects: 'mmap_sem held; save_pte[] for the range.',
    leaves: 'On 0: the range locked by special entries until mm_hmm_migrate_cleanup().',
    versions: 'HMM patch series v8–v14 (2015–2016), never merged in this form' } },
  { name: 'mm_hmm_migrate_cleanup', kind: 'function', use: 'caller', era: 'hmm-2017', phase: 'finalize', doc: {
    does: 'Ends mm_hmm_migrate(): installs the new entries (or restores save_pte[]) and frees what is left.',
    versions: 'HMM patch series (2015–2016)' } },
  { name: 'mm_hmm_migrate_back', kind: 'function', use: 'caller', era: 'hmm-2017', phase: 'restore', doc: {
    does: 'Migrates device memory back to system memory on CPU access: installs new_pte[] for the range.',
    leaves: 'On 0: the range locked until mm_hmm_migrate_back_cleanup().',
    versions: 'HMM patch series (2015–2016)' } },
  { name: 'mm_hmm_migrate_back_cleanup', kind: 'function', use: 'caller', era: 'hmm-2017', phase: 'finalize', doc: {
    does: 'Ends mm_hmm_migrate_back().', versions: 'HMM patch series (2015–2016)' } },
  { name: 'hmm_migrate', kind: 'function', use: 'caller', era: 'hmm-2017', phase: 'setup', doc: {
    does: 'The 2017 series\' migration helper (became migrate_vma()): collect, unmap, alloc_and_copy, move, finalize_and_map.',
    versions: 'HMM patch series v19–v25 (2017)' } },
  // The 2017 pfn word served the mirror and migration alike: only MIGRATE and LOCKED say "migration".
  ...['hmm_pfn_t', 'hmm_pfn_from_pfn', 'hmm_pfn_to_pfn', 'HMM_PFN_DEVICE', 'HMM_PFN_UNADDRESSABLE', 'HMM_PFN_READ']
    .map((name): MigrationApi => ({ name, kind: /^HMM_/.test(name) ? 'flag' : name === 'hmm_pfn_t' ? 'type' : 'function', use: 'mirror', era: 'hmm-2017', doc: {
      does: 'The 2017 series\' hmm_pfn_t encoding shared by its mirror and migration: a pfn with READ/WRITE/DEVICE/UNADDRESSABLE flags.',
      versions: 'HMM patch series (2017) and linux 4.14–4.19' } })),
  ...['HMM_PFN_MIGRATE', 'HMM_PFN_LOCKED'].map((name): MigrationApi => ({ name, kind: 'flag', use: 'helper', era: 'hmm-2017', doc: {
    does: 'The 2017 series\' migration flags of an hmm_pfn_t: MIGRATE (collected, may move), LOCKED (page locked for the migration).',
    versions: 'HMM patch series (2017)' } })),
];

/** A struct field through which a function is registered as a callback. */
export interface CallbackSlot {
  struct: string;
  /** Fields that register a callback; '*' for every function-valued field. */
  fields: string[];
  /**
   * migration: always a migration callback; mirror: always HMM mirror;
   * user: decided by the function that uses the ops (a migration walk vs the mirror walk).
   */
  kind: 'migration' | 'mirror' | 'user';
  phase?: Partial<Record<string, Phase>>;
  doc: string;
}

export const CALLBACK_SLOTS: CallbackSlot[] = [
  { struct: 'dev_pagemap_ops', fields: ['migrate_to_ram', 'page_free'], kind: 'migration',
    phase: { migrate_to_ram: 'restore', page_free: 'free' },
    doc: 'migrate_to_ram runs on a CPU fault on a device-private page (mmap_lock held; must migrate the page back or return VM_FAULT_SIGBUS); page_free runs when a device page is freed.' },
  { struct: 'migrate_vma_ops', fields: ['alloc_and_copy', 'finalize_and_map'], kind: 'migration',
    phase: { alloc_and_copy: 'copy', finalize_and_map: 'finalize' },
    doc: 'Callbacks of the 4.14–5.3 migrate_vma(): alloc_and_copy fills dst[] with locked pages holding the data; finalize_and_map updates the device page table.' },
  { struct: 'mm_walk_ops', fields: ['*'], kind: 'user', phase: { '*': 'setup' },
    doc: 'A page-table walk op: of the migration collect walk when a migration function walks with it, of the HMM mirror walk when hmm_range_fault does.' },
  { struct: 'mm_walk', fields: ['pmd_entry', 'pte_entry', 'pte_hole', 'hugetlb_entry', 'test_walk'], kind: 'user', phase: { '*': 'setup' },
    doc: 'A page-table walk op of the 4.x/2017 struct mm_walk (ops and state in one struct).' },
  { struct: 'rmap_walk_control', fields: ['rmap_one', 'done'], kind: 'user', phase: { '*': 'restore' },
    doc: 'An rmap walk op: remove_migration_pte() restores migration entries, try_to_migrate_one() installs them.' },
  { struct: 'mmu_interval_notifier_ops', fields: ['invalidate'], kind: 'mirror',
    doc: 'Invalidation callback of an HMM mirror: must take the driver lock that guards mmu_interval_read_retry() and bump the sequence (mmu_interval_set_seq).' },
  { struct: 'hmm_mirror_ops', fields: ['sync_cpu_device_pagetables', 'release'], kind: 'mirror',
    doc: 'Callbacks of the 4.x/2017 struct hmm_mirror (replaced by mmu_interval_notifier_ops).' },
];

/**
 * A start/commit/end protocol kept by protocol.ts: after a successful `setup` the same
 * object must reach `finalize` on every path, `pages` (if any) before it, each once.
 */
export interface MigrationProtocol {
  name: string;
  setup: string[];
  pages: string[];
  finalize: string[];
  /** Which argument of every verb names the migration (the struct, or the src[] array). */
  objectArg: number;
  /** How setup reports success: 0 (negative errno on failure). */
  success: 'zero';
  /** Field counting what setup collected: a 0 there means there is nothing to finalize. */
  collectedField?: string;
}

export const PROTOCOLS: MigrationProtocol[] = [
  { name: 'migrate_vma', setup: ['migrate_vma_setup'], pages: ['migrate_vma_pages'], finalize: ['migrate_vma_finalize'],
    objectArg: 0, success: 'zero', collectedField: 'cpages' },
  { name: 'migrate_device', setup: ['migrate_device_range', 'migrate_device_pfns'], pages: ['migrate_device_pages'],
    finalize: ['migrate_device_finalize'], objectArg: 0, success: 'zero' },
  { name: 'mm_hmm_migrate', setup: ['mm_hmm_migrate'], pages: [], finalize: ['mm_hmm_migrate_cleanup'],
    objectArg: 0, success: 'zero' },
  { name: 'mm_hmm_migrate_back', setup: ['mm_hmm_migrate_back'], pages: [], finalize: ['mm_hmm_migrate_back_cleanup'],
    objectArg: 0, success: 'zero' },
];

/** The HMM mirror read side: a fault, its sequence start and the check that must follow under the driver lock. */
export const MIRROR_READ = {
  fault: ['hmm_range_fault'],
  begin: ['mmu_interval_read_begin'],
  /** Checks that end a read side: today's, and the 4.x hmm_vma_range_done(). */
  retry: ['mmu_interval_read_retry', 'hmm_vma_range_done'],
  /** Calls a range may be given without being handed to someone who could check it. */
  keepsRange: /^(kfree|kvfree|mmap_read_(un)?lock|mmget_not_zero|mmput)$/,
  /** Lock domains that are not a driver lock: holding only these at the retry check is holding none. */
  notDriverLock: /^(mmap|rcu|lazy_mmu|folio|page|notifier|guard)[:_]/,
};

/**
 * A signature (name, return type, parameters) that handles pages, pfns or DMA addresses:
 * what a piece of a driver's copy step looks like (classify.ts, copy plumbing). A
 * predicate on the device (`dmirror_is_private_zone(mdevice)`) does not.
 */
export const PAGE_SIGNATURE = /\bstruct\s+(?:page|folio)\b|\bdma_addr_t\b|pfn|page\b/;

/** Calls that read a migration object and keep nothing: the object stays tracked across them. */
export const MIGRATION_READERS = /^(migrate_pfn_to_page|migrate_pfn_to_folio|migrate_pfn|pr_\w+|dev_\w+|WARN\w*|BUG_ON|memset|min|max|kvfree|kfree)$/;

/** A protocol verb: which protocol, and which step of it. */
export interface ProtocolVerb { p: MigrationProtocol; step: 'setup' | 'pages' | 'finalize' }

const STEPS: ProtocolVerb['step'][] = ['setup', 'pages', 'finalize'];

/**
 * The migration catalogue one analysis runs with: the built-in tables plus what the
 * workspace file (or the editor's settings) adds. Facts are collected under one
 * catalogue and carry its answers (facts.ts), so classification needs none.
 */
export interface MigrationCatalogue {
  apis: MigrationApi[];
  protocols: MigrationProtocol[];
  /** Setup/pages/finalize verbs of every protocol. */
  verbs: Map<string, ProtocolVerb>;
  /** The verbs a same-file callee summary looks for (facts.ts calleeSummaries). */
  calleeVerbs: { finalize: Set<string>; pages: Set<string>; retry: Set<string> };
  /** Every catalogued name and registering struct: a file without one of them needs no migration pass. */
  mention: RegExp;
  /** A call to a protocol verb or to hmm_range_fault(): the function gets the protocol checks. */
  checked: RegExp;
  /**
   * Calls that read a migration object and keep nothing (MIGRATION_READERS, and the workspace's
   * helper or entry functions): the protocol check keeps tracking an object handed to one. The
   * built-in helpers stay out: their behaviour without a workspace file must not change.
   */
  reads(name: string): boolean;
  /** The catalogue entry for a name; `call` picks between a function and a struct of one name. */
  api(name: string, call?: boolean): MigrationApi | undefined;
}

/**
 * The built-in catalogue plus `extra` APIs and protocols. An extra API replaces a built-in
 * one of the same name and kind; a protocol verb not catalogued otherwise becomes a
 * `caller` API of its step, so a wrapper protocol also classifies its callers.
 */
export function buildMigrationCatalogue(extra: { apis?: MigrationApi[]; protocols?: MigrationProtocol[] } = {}): MigrationCatalogue {
  const protocols = [...PROTOCOLS, ...(extra.protocols ?? [])];
  const byKey = new Map<string, MigrationApi>();
  const key = (a: MigrationApi): string => `${a.name}\0${a.kind === 'function' ? 'f' : 'o'}`;
  for (const a of [...MIGRATION_APIS, ...(extra.apis ?? [])]) byKey.set(key(a), a);
  for (const p of extra.protocols ?? []) {
    for (const step of STEPS) {
      for (const name of p[step]) {
        const a: MigrationApi = { name, kind: 'function', use: 'caller', era: 'all', phase: step, doc: {
          does: `The ${step} step of the workspace's ${p.name} protocol (.hmm-lens.json).`, versions: 'this workspace' } };
        if (!byKey.has(key(a))) byKey.set(key(a), a);
      }
    }
  }
  const apis = [...byKey.values()];
  const extraReaders = new Set((extra.apis ?? []).filter((a) => a.kind === 'function' && (a.use === 'helper' || a.use === 'entry')).map((a) => a.name));
  const byName = new Map<string, MigrationApi[]>();
  for (const a of apis) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
  const verbs = new Map<string, ProtocolVerb>();
  for (const p of protocols) for (const step of STEPS) for (const n of p[step]) verbs.set(n, { p, step });
  const stepVerbs = (step: ProtocolVerb['step']): Set<string> => new Set([...verbs].filter(([, v]) => v.step === step).map(([n]) => n));
  const alternatives = (names: string[]): string => names.map(escapeRegExp).join('|');
  return {
    apis,
    protocols,
    verbs,
    calleeVerbs: { finalize: stepVerbs('finalize'), pages: stepVerbs('pages'), retry: new Set(MIRROR_READ.retry) },
    mention: new RegExp(`\\b(${alternatives([...byName.keys(), ...CALLBACK_SLOTS.map((s) => s.struct)])}|MIGRATE_VMA_SELECT_\\w+)\\b`),
    checked: new RegExp(`\\b(${alternatives([...verbs.keys(), ...MIRROR_READ.fault])})\\s*\\(`),
    reads: (name) => MIGRATION_READERS.test(name) || extraReaders.has(name),
    api(name, call) {
      const all = byName.get(name);
      if (!all) return undefined;
      if (call === undefined || all.length === 1) return all[0];
      return all.find((a) => (a.kind === 'function') === call) ?? all[0];
    },
  };
}

/** The built-in catalogue alone (tests, and the grammar's word lists). */
export const BUILTIN_MIGRATION = buildMigrationCatalogue();
