// The bit ledger: for each page-table bit a migration reviewer follows (write, dirty,
// young, soft-dirty, uffd-wp, anon-exclusive, device-private), the helpers and flags
// that read or write it on each side — a present pte/pmd, a swap-format entry
// (migration, device-private, device-exclusive, plain swap), a pfn-flag word
// (HMM_PFN_*, MIGRATE_PFN_*, the 2017 hmm_pfn_t), the vma's flags, the page itself.
// flow.ts and roundtrip.ts read only these tables; no bit knowledge lives in code.

export type Bit = 'write' | 'dirty' | 'young' | 'soft_dirty' | 'uffd_wp' | 'exclusive' | 'device_private';
export const BITS: Bit[] = ['write', 'dirty', 'young', 'soft_dirty', 'uffd_wp', 'exclusive', 'device_private'];

/** Where a bit lives at a site. */
export type Side = 'present' | 'entry' | 'pfnflag' | 'vma' | 'page';
/** The entry kinds a bit can be carried into; `swap` rows (pte_swp_*) apply to every kind. */
export type EntryKind = 'migration' | 'device_private' | 'device_exclusive' | 'swap';
export type Level = 'pte' | 'pmd';

export interface HelperRow {
  name: string;
  bit: Bit;
  side: Side;
  /** read: tests the bit; set / clear: returns the value with the bit set or cleared. */
  op: 'read' | 'set' | 'clear';
  /** For entry rows: the kind it belongs to (`swap` = any swap-format pte). */
  entry?: EntryKind;
  /** pmd forms; absent = pte (or level-neutral, as the entry-type helpers are). */
  level?: Level;
}

const rows = (names: string[], bit: Bit, side: Side, op: HelperRow['op'], extra: Partial<HelperRow> = {}): HelperRow[] =>
  names.map((name) => ({ name, bit, side, op, ...extra }));

/** Helpers (functions and function-like macros), one row per name and bit. */
export const HELPERS: HelperRow[] = [
  // ---- readers on a present pte / pmd ----
  ...rows(['pte_write', 'huge_pte_write'], 'write', 'present', 'read'),
  ...rows(['pmd_write', 'pud_write'], 'write', 'present', 'read', { level: 'pmd' }),
  ...rows(['pte_dirty', 'huge_pte_dirty'], 'dirty', 'present', 'read'),
  ...rows(['pmd_dirty'], 'dirty', 'present', 'read', { level: 'pmd' }),
  ...rows(['pte_young'], 'young', 'present', 'read'),
  ...rows(['pmd_young'], 'young', 'present', 'read', { level: 'pmd' }),
  ...rows(['pte_soft_dirty'], 'soft_dirty', 'present', 'read'),
  ...rows(['pmd_soft_dirty'], 'soft_dirty', 'present', 'read', { level: 'pmd' }),
  ...rows(['pte_uffd_wp', 'huge_pte_uffd_wp'], 'uffd_wp', 'present', 'read'),
  ...rows(['pmd_uffd_wp'], 'uffd_wp', 'present', 'read', { level: 'pmd' }),
  // ---- the page's own state ----
  ...rows(['PageAnonExclusive', 'folio_test_anon_exclusive'], 'exclusive', 'page', 'read'),
  ...rows(['SetPageAnonExclusive'], 'exclusive', 'page', 'set'),
  ...rows(['ClearPageAnonExclusive'], 'exclusive', 'page', 'clear'),
  ...rows(['is_device_private_page', 'folio_is_device_private'], 'device_private', 'page', 'read'),
  // ---- writers into a present pte / pmd ----
  ...rows(['pte_mkwrite', 'pte_mkwrite_novma', 'maybe_mkwrite', 'huge_pte_mkwrite'], 'write', 'present', 'set'),
  ...rows(['pmd_mkwrite', 'maybe_pmd_mkwrite'], 'write', 'present', 'set', { level: 'pmd' }),
  ...rows(['pte_wrprotect', 'huge_pte_wrprotect'], 'write', 'present', 'clear'),
  ...rows(['pmd_wrprotect'], 'write', 'present', 'clear', { level: 'pmd' }),
  ...rows(['pte_mkdirty', 'huge_pte_mkdirty'], 'dirty', 'present', 'set'),
  ...rows(['pmd_mkdirty'], 'dirty', 'present', 'set', { level: 'pmd' }),
  ...rows(['pte_mkclean'], 'dirty', 'present', 'clear'),
  ...rows(['pmd_mkclean'], 'dirty', 'present', 'clear', { level: 'pmd' }),
  ...rows(['pte_mkyoung'], 'young', 'present', 'set'),
  ...rows(['pmd_mkyoung'], 'young', 'present', 'set', { level: 'pmd' }),
  ...rows(['pte_mkold'], 'young', 'present', 'clear'),
  ...rows(['pmd_mkold'], 'young', 'present', 'clear', { level: 'pmd' }),
  ...rows(['pte_mksoft_dirty'], 'soft_dirty', 'present', 'set'),
  ...rows(['pmd_mksoft_dirty'], 'soft_dirty', 'present', 'set', { level: 'pmd' }),
  ...rows(['pte_clear_soft_dirty'], 'soft_dirty', 'present', 'clear'),
  ...rows(['pmd_clear_soft_dirty'], 'soft_dirty', 'present', 'clear', { level: 'pmd' }),
  ...rows(['pte_mkuffd_wp', 'huge_pte_mkuffd_wp'], 'uffd_wp', 'present', 'set'),
  ...rows(['pmd_mkuffd_wp'], 'uffd_wp', 'present', 'set', { level: 'pmd' }),
  ...rows(['pte_clear_uffd_wp', 'huge_pte_clear_uffd_wp'], 'uffd_wp', 'present', 'clear'),
  ...rows(['pmd_clear_uffd_wp'], 'uffd_wp', 'present', 'clear', { level: 'pmd' }),
  // ---- writers into entries ----
  ...rows(['make_writable_migration_entry', 'make_migration_entry'], 'write', 'entry', 'set', { entry: 'migration' }),
  ...rows(['make_readable_exclusive_migration_entry'], 'exclusive', 'entry', 'set', { entry: 'migration' }),
  ...rows(['make_migration_entry_young'], 'young', 'entry', 'set', { entry: 'migration' }),
  ...rows(['make_migration_entry_dirty'], 'dirty', 'entry', 'set', { entry: 'migration' }),
  ...rows(['make_writable_device_private_entry', 'make_device_private_entry'], 'write', 'entry', 'set', { entry: 'device_private' }),
  ...rows(['make_writable_device_private_entry', 'make_readable_device_private_entry', 'make_device_private_entry'],
    'device_private', 'entry', 'set', { entry: 'device_private' }),
  ...rows(['make_writable_device_exclusive_entry', 'make_device_exclusive_entry'], 'write', 'entry', 'set', { entry: 'device_exclusive' }),
  ...rows(['pte_swp_mksoft_dirty'], 'soft_dirty', 'entry', 'set', { entry: 'swap' }),
  ...rows(['pmd_swp_mksoft_dirty'], 'soft_dirty', 'entry', 'set', { entry: 'swap', level: 'pmd' }),
  ...rows(['pte_swp_clear_soft_dirty'], 'soft_dirty', 'entry', 'clear', { entry: 'swap' }),
  ...rows(['pmd_swp_clear_soft_dirty'], 'soft_dirty', 'entry', 'clear', { entry: 'swap', level: 'pmd' }),
  ...rows(['pte_swp_mkuffd_wp'], 'uffd_wp', 'entry', 'set', { entry: 'swap' }),
  ...rows(['pmd_swp_mkuffd_wp'], 'uffd_wp', 'entry', 'set', { entry: 'swap', level: 'pmd' }),
  ...rows(['pte_swp_clear_uffd_wp'], 'uffd_wp', 'entry', 'clear', { entry: 'swap' }),
  ...rows(['pmd_swp_clear_uffd_wp'], 'uffd_wp', 'entry', 'clear', { entry: 'swap', level: 'pmd' }),
  ...rows(['pte_swp_mkexclusive'], 'exclusive', 'entry', 'set', { entry: 'swap' }),
  ...rows(['pte_swp_clear_exclusive'], 'exclusive', 'entry', 'clear', { entry: 'swap' }),
  // ---- readers on entries ----
  ...rows(['is_writable_migration_entry', 'is_write_migration_entry'], 'write', 'entry', 'read', { entry: 'migration' }),
  // `!is_readable_migration_entry(e)` is how remove_migration_pte() asks "exclusive or writable".
  ...rows(['is_readable_exclusive_migration_entry', 'is_readable_migration_entry'], 'exclusive', 'entry', 'read', { entry: 'migration' }),
  ...rows(['is_migration_entry_young'], 'young', 'entry', 'read', { entry: 'migration' }),
  ...rows(['is_migration_entry_dirty'], 'dirty', 'entry', 'read', { entry: 'migration' }),
  // is_write_device_entry()/is_device_entry(): the 4.14 and 2017-series names.
  ...rows(['is_writable_device_private_entry', 'is_write_device_private_entry', 'is_write_device_entry'], 'write', 'entry', 'read', { entry: 'device_private' }),
  ...rows(['is_device_private_entry', 'is_device_entry'], 'device_private', 'entry', 'read', { entry: 'device_private' }),
  ...rows(['is_writable_device_exclusive_entry'], 'write', 'entry', 'read', { entry: 'device_exclusive' }),
  ...rows(['pte_swp_soft_dirty'], 'soft_dirty', 'entry', 'read', { entry: 'swap' }),
  ...rows(['pmd_swp_soft_dirty'], 'soft_dirty', 'entry', 'read', { entry: 'swap', level: 'pmd' }),
  ...rows(['pte_swp_uffd_wp', 'pte_swp_uffd_wp_any'], 'uffd_wp', 'entry', 'read', { entry: 'swap' }),
  ...rows(['pmd_swp_uffd_wp'], 'uffd_wp', 'entry', 'read', { entry: 'swap', level: 'pmd' }),
  ...rows(['pte_swp_exclusive'], 'exclusive', 'entry', 'read', { entry: 'swap' }),
];

export interface FlagRow {
  name: string;
  /** The pte bit it stands for; absent for flags that are not a pte bit (VALID, MIGRATE…). */
  bit?: Bit;
  side: Side;
  family: 'HMM_PFN' | 'MIGRATE_PFN' | 'hmm_pfn_t (2017)' | 'vm_flags' | 'rmap' | 'page table';
}

const flags = (names: string[], side: Side, family: FlagRow['family'], bit?: Bit): FlagRow[] =>
  names.map((name) => ({ name, side, family, ...(bit ? { bit } : {}) }));

/**
 * Flag constants: the pfn-flag words (HMM_PFN_WRITE is the write bit of a mirrored pte,
 * MIGRATE_PFN_WRITE of a collected one), the vma's own bits, RMAP_EXCLUSIVE (how a
 * restored pte gets anon-exclusive back) and the x86 page-table bits the flag-site
 * listing shows. The 2017 series spells its hmm_pfn_t flags HMM_PFN_* as well.
 */
export const FLAGS: FlagRow[] = [
  ...flags(['HMM_PFN_WRITE'], 'pfnflag', 'HMM_PFN', 'write'),
  ...flags(['HMM_PFN_VALID', 'HMM_PFN_ERROR', 'HMM_PFN_REQ_FAULT', 'HMM_PFN_REQ_WRITE', 'HMM_PFN_ORDER_SHIFT',
    'HMM_PFN_INOUT_FLAGS', 'HMM_PFN_FLAGS', 'HMM_PFN_READ', 'HMM_PFN_EMPTY', 'HMM_PFN_SPECIAL', 'HMM_PFN_NONE'], 'pfnflag', 'HMM_PFN'),
  ...flags(['HMM_PFN_DEVICE_PRIVATE', 'HMM_PFN_DEVICE_UNADDRESSABLE', 'HMM_PFN_DEVICE'], 'pfnflag', 'HMM_PFN', 'device_private'),
  ...flags(['HMM_PFN_MIGRATE', 'HMM_PFN_LOCKED', 'HMM_PFN_UNADDRESSABLE'], 'pfnflag', 'hmm_pfn_t (2017)'),
  ...flags(['MIGRATE_PFN_WRITE'], 'pfnflag', 'MIGRATE_PFN', 'write'),
  ...flags(['MIGRATE_PFN_DEVICE'], 'pfnflag', 'MIGRATE_PFN', 'device_private'),
  ...flags(['MIGRATE_PFN_VALID', 'MIGRATE_PFN_MIGRATE', 'MIGRATE_PFN_LOCKED', 'MIGRATE_PFN_ERROR', 'MIGRATE_PFN_COMPOUND',
    'MIGRATE_PFN_SHIFT'], 'pfnflag', 'MIGRATE_PFN'),
  ...flags(['VM_WRITE'], 'vma', 'vm_flags', 'write'),
  ...flags(['VM_UFFD_WP'], 'vma', 'vm_flags', 'uffd_wp'),
  ...flags(['VM_SOFTDIRTY'], 'vma', 'vm_flags', 'soft_dirty'),
  ...flags(['RMAP_EXCLUSIVE'], 'page', 'rmap', 'exclusive'),
  ...flags(['_PAGE_RW', '_PAGE_BIT_RW'], 'present', 'page table', 'write'),
  ...flags(['_PAGE_DIRTY', '_PAGE_BIT_DIRTY', '_PAGE_SAVED_DIRTY'], 'present', 'page table', 'dirty'),
  ...flags(['_PAGE_ACCESSED', '_PAGE_BIT_ACCESSED'], 'present', 'page table', 'young'),
  ...flags(['_PAGE_SOFT_DIRTY', '_PAGE_SWP_SOFT_DIRTY'], 'present', 'page table', 'soft_dirty'),
  ...flags(['_PAGE_UFFD_WP', '_PAGE_SWP_UFFD_WP'], 'present', 'page table', 'uffd_wp'),
  ...flags(['_PAGE_SWP_EXCLUSIVE'], 'entry', 'page table', 'exclusive'),
];

/** Entry makers: which kind of entry a function builds (whether or not it sets a bit). */
export const ENTRY_MAKERS: { name: string; entry: EntryKind }[] = [
  ...['make_readable_migration_entry', 'make_writable_migration_entry', 'make_readable_exclusive_migration_entry',
    'make_migration_entry'].map((name) => ({ name, entry: 'migration' as const })),
  ...['make_readable_device_private_entry', 'make_writable_device_private_entry', 'make_device_private_entry']
    .map((name) => ({ name, entry: 'device_private' as const })),
  ...['make_readable_device_exclusive_entry', 'make_writable_device_exclusive_entry', 'make_device_exclusive_entry']
    .map((name) => ({ name, entry: 'device_exclusive' as const })),
];

/** Entry tests: which kinds a function handles when it only inspects entries. */
export const ENTRY_TESTS: { name: string; entry: EntryKind; level?: Level }[] = [
  { name: 'is_migration_entry', entry: 'migration' },
  { name: 'is_pmd_migration_entry', entry: 'migration', level: 'pmd' },
  { name: 'is_device_private_entry', entry: 'device_private' },
  { name: 'is_device_entry', entry: 'device_private' },
  { name: 'is_device_exclusive_entry', entry: 'device_exclusive' },
];

/** Where page-table values come from (besides the ledger's set/clear helpers, which extend a chain). */
export const VALUE_SOURCES: string[] = [
  'ptep_get', 'ptep_get_lockless', 'pmdp_get_lockless', 'pmdp_get', 'huge_ptep_get', 'pudp_get',
  'ptep_get_and_clear', 'ptep_get_and_clear_full', 'ptep_clear_flush', 'huge_ptep_clear_flush', 'huge_ptep_get_and_clear',
  'pmdp_invalidate', 'pmdp_huge_clear_flush', 'pmdp_huge_get_and_clear', 'pmdp_huge_get_and_clear_full',
  'ptep_modify_prot_start', 'pte_to_swp_entry', 'pmd_to_swp_entry', 'swp_entry_to_pte', 'swp_entry_to_pmd',
  'mk_pte', 'mk_huge_pmd', 'mk_pmd', 'pfn_pte', 'pfn_pmd', 'folio_mk_pte', 'folio_mk_pmd', 'mk_huge_pte', 'swp_entry', 'make_pte_marker',
  'migrate_pfn', 'hmm_pfn_from_pfn', 'hmm_pfn_from_page', 'pte_to_hmm_pfn_flags', 'pmd_to_hmm_pfn_flags',
];

/**
 * Sources that take the present pte (pmd) out of the table: the value an encoder reads
 * its bits from before it installs an entry in its place. ptep_modify_prot_start() is
 * not one: mprotect writes a present pte back.
 */
export const CLEARING_SOURCES = /^(ptep_get_and_clear|ptep_get_and_clear_full|ptep_clear_flush|huge_ptep_clear_flush|huge_ptep_get_and_clear|pmdp_invalidate|pmdp_huge_clear_flush|pmdp_huge_get_and_clear|pmdp_huge_get_and_clear_full)$/;

/** Builders of a present pte or pmd from a page or pfn: a remover builds one. */
export const PRESENT_BUILDERS = /^(mk_pte|mk_huge_pmd|mk_pmd|pfn_pte|pfn_pmd|folio_mk_pte|folio_mk_pmd|mk_huge_pte)$/;
/** An entry turned into the stored pte (pmd) form: an encoder stores an entry. */
export const ENTRY_TO_PTE = /^(swp_entry_to_pte|swp_entry_to_pmd)$/;
/** Calls that store or build a pmd: the function works at pmd level. */
export const PMD_MARK = /^(set_pmd_at|set_pmd|swp_entry_to_pmd)$/;
/** Assertions: a bit read in their arguments is checked, not used. */
export const ASSERTIONS = /^(WARN\w*|VM_WARN\w*|VM_BUG_ON\w*|BUG_ON)$/;
/**
 * Bits an entry kind carries only in some kernels: migration entries keep young and
 * dirty since linux 6.1 (make_migration_entry_young/_dirty). A function that names none
 * of these helpers is of an older era (its reads of young/dirty go to the folio).
 */
export const ERA_BITS: { entry: EntryKind; bits: Bit[]; evidence: string[] }[] = [
  { entry: 'migration', bits: ['young', 'dirty'],
    evidence: ['make_migration_entry_young', 'make_migration_entry_dirty', 'is_migration_entry_young', 'is_migration_entry_dirty'] },
];

/** Where page-table values and pfn-flag words go: the argument that is stored. */
export const VALUE_SINKS: { name: string; arg: number; level: Level }[] = [
  { name: 'set_pte_at', arg: 3, level: 'pte' },
  { name: 'set_ptes', arg: 3, level: 'pte' },
  { name: 'set_huge_pte_at', arg: 3, level: 'pte' },
  { name: 'set_pte', arg: 1, level: 'pte' },
  { name: 'ptep_modify_prot_commit', arg: 4, level: 'pte' },
  { name: 'set_pmd_at', arg: 3, level: 'pmd' },
  { name: 'set_pmd', arg: 1, level: 'pmd' },
];

/** Words that name a pfn-flag array or an entry read, for the walk's cheap interest test. */
export const PFN_WORDS = ['src', 'dst', 'hmm_pfns', 'pfns', 'hmm_pfn', 'pmd_to_swp_entry'];

/** A pfn-flag array a driver or the machinery stores into (`migrate->src[i] = mpfn`). */
export const PFN_ARRAYS = /(?:->|\.)\s*(?:src|dst|hmm_pfns|pfns)\s*\[|\bhmm_pfns\s*\[|^\*\s*hmm_pfn\b/;

/** Types whose variables are page-table values. */
export const VALUE_TYPES = /^(pte_t|pmd_t|pud_t|swp_entry_t|hmm_pfn_t)$/;

const HELPER_BY_NAME = new Map<string, HelperRow[]>();
for (const r of HELPERS) HELPER_BY_NAME.set(r.name, [...(HELPER_BY_NAME.get(r.name) ?? []), r]);
const FLAG_BY_NAME = new Map(FLAGS.map((f) => [f.name, f]));
const MAKER_BY_NAME = new Map(ENTRY_MAKERS.map((m) => [m.name, m.entry]));
const TEST_BY_NAME = new Map(ENTRY_TESTS.map((t) => [t.name, t]));

export const helperRows = (name: string): HelperRow[] => HELPER_BY_NAME.get(name) ?? [];
export const flagRow = (name: string): FlagRow | undefined => FLAG_BY_NAME.get(name);
export const entryMade = (name: string): EntryKind | undefined => MAKER_BY_NAME.get(name);
export const entryTest = (name: string): { entry: EntryKind; level?: Level } | undefined => TEST_BY_NAME.get(name);

/** Bits an entry kind can carry: those with an entry writer for that kind or for any swap pte. */
export function carriable(kind: EntryKind): Set<Bit> {
  return new Set(HELPERS.filter((r) => r.side === 'entry' && r.op === 'set' && (r.entry === kind || r.entry === 'swap')).map((r) => r.bit));
}

/**
 * The names that write a bit or store a page-table value: a flow needs a write, the
 * round trip needs an entry maker, pte values need a store. A function that only reads
 * bits (most pte_write()/pte_dirty() tests in mm/memory.c) has nothing to show, so the
 * walk is skipped there (the benchmark prices what is left).
 */
export const LEDGER_MENTION = new RegExp(`\\b(${[...new Set([
  ...HELPERS.filter((r) => r.op !== 'read').map((r) => r.name), ...FLAGS.filter((f) => f.bit).map((f) => f.name),
  ...ENTRY_MAKERS.map((m) => m.name), ...VALUE_SINKS.map((v) => v.name),
])].join('|')})\\b`);

/**
 * Bits a freshly built present pte already has (mk_pte() with vma->vm_page_prot is young on
 * the architectures that track it): a remover restores them by clearing (`if
 * (!is_migration_entry_young(entry)) pte = pte_mkold(pte)`); the others by setting.
 */
export const SET_ON_NEW_PTE: Bit[] = ['young'];

/** Other names reviewers use for a bit (the `flags` NAME filter). */
export const BIT_ALIASES: Record<string, Bit> = { anon_exclusive: 'exclusive', accessed: 'young', rw: 'write' };

/** The human name of a bit, as reviewers write it. */
export const BIT_LABEL: Record<Bit, string> = {
  write: 'write', dirty: 'dirty', young: 'young', soft_dirty: 'soft-dirty', uffd_wp: 'uffd-wp',
  exclusive: 'anon-exclusive', device_private: 'device-private',
};
