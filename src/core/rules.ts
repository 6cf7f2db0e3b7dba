// Every rule the tool can report, as data: the CLI's SARIF driver, the README
// table and (later) the editor's severity settings read this one list.
import type { Severity } from './model';

export interface RuleInfo { id: string; name: string; short: string; full: string; level: Severity }

export const RULES: RuleInfo[] = [
  {
    id: 'lock/held-at-exit', name: 'LockHeldAtExit', level: 'warning',
    short: 'A path leaves the function with a lock still held',
    full: 'The lock is acquired in this function and some return path does not release it. Not reported for '
      + 'acquire wrappers: functions annotated __acquires/__cond_acquires, named *_lock/*_trylock/lock_*, that '
      + 'return the lock or the value of the locking call, that hand the lock to the caller through a pointer, '
      + 'or that return distinct constants for "held" and "not held" (a wrapper still leaks an RCU or lazy-MMU '
      + 'section it closes on other paths; a catalogue verb hands out only a lock of its own kind); nor when a callee releases the lock for '
      + 'its caller (same file, or another analysed file when it names the lock through a parameter or global).',
  },
  {
    id: 'lock/release-unheld', name: 'LockReleaseUnheld', level: 'warning',
    short: 'A lock is released on a path where it is not held',
    full: 'On every path reaching the release (or on a path with no acquire between two releases), the lock was '
      + 'already released here, its trylock/killable acquire failed, or its lock variable was never assigned; or '
      + 'the function ends with a scope lock (RCU, lazy MMU) or a lock object on its own stack released that it '
      + 'never acquired; or it releases a lock it never acquires (on that path) and none of its callers in the '
      + 'analysed files holds that lock at the call (entry points count as holding nothing for global locks); or '
      + 'its callers cannot be seen and, across the analysed files, other functions take that owner\'s lock '
      + 'themselves while none (or few) are handed it or leave it held. Releasing a lock the function never '
      + 'touched is otherwise not reported: a caller may hold it. Unlock helpers (names with unlock/put/end/'
      + 'stop…) and functions annotated __releases/__must_hold are exempt from the caller check.',
  },
  {
    id: 'lock/double-acquire', name: 'LockDoubleAcquire', level: 'warning',
    short: 'A lock is acquired while this path already holds it',
    full: 'A blocking acquire of a lock that this function acquired earlier and has not released, on every path '
      + 'reaching it or on a path with no release between the two acquires (a lock inside a loop whose unlock is '
      + 'outside it). Trylock forms and nested RCU read sections are not reported.',
  },
  {
    id: 'migrate/missing-finalize', name: 'MigrateMissingFinalize', level: 'warning',
    short: 'A path after a successful migration setup leaves without finalize',
    full: 'After migrate_vma_setup() returned 0 (or migrate_device_range/pfns(), or the 2017 mm_hmm_migrate*()), '
      + 'the collected pages are locked and replaced by migration entries until migrate_vma_finalize() (migrate_device_finalize(), '
      + 'mm_hmm_migrate*_cleanup()) runs on the same object; this path returns first. Not reported when a test showed that '
      + 'nothing was collected (cpages == 0), for an object the function was given (its caller may finalize), or once the '
      + 'object was handed to a function in another file.',
  },
  {
    id: 'migrate/out-of-order', name: 'MigrateOutOfOrder', level: 'warning',
    short: 'A migration step runs out of order',
    full: 'migrate_vma_pages() (migrate_device_pages()) after the finalize step on this path, or pages/finalize on a local '
      + 'migration object whose setup was not called (or failed) on this path.',
  },
  {
    id: 'migrate/twice', name: 'MigrateTwice', level: 'warning',
    short: 'A migration step runs twice on one path',
    full: 'The finalize (or pages) step runs a second time on the same object on this path: pages already unlocked and '
      + 'released would be released again.',
  },
  {
    id: 'migrate/retry-missing', name: 'MirrorRetryMissing', level: 'warning',
    short: 'hmm_range_fault() result used without mmu_interval_read_retry()',
    full: 'The function starts an interval-notifier sequence (mmu_interval_read_begin()) and faults its own range with '
      + 'hmm_range_fault(), but never checks mmu_interval_read_retry() (itself or through a same-file callee), and the range '
      + 'is handed to no other function: pfns invalidated meanwhile may reach the device page table.',
  },
  {
    id: 'migrate/retry-unlocked', name: 'MirrorRetryUnlocked', level: 'warning',
    short: 'mmu_interval_read_retry() checked with no driver lock held',
    full: 'The function calls hmm_range_fault() and then checks mmu_interval_read_retry() on a path where it holds no lock '
      + '(mmap_lock, RCU and page locks do not count): the invalidate callback must take the same driver lock, or an '
      + 'invalidation can slip between the check and the device page-table update.',
  },
  {
    id: 'pte/bit-not-carried', name: 'PteBitNotCarried', level: 'warning',
    short: 'A bit read from the old pte is not carried into the entry that replaces it',
    full: 'The function builds a migration, device-private or device-exclusive entry, stores it, and reads a bit of the '
      + 'old present pte that such an entry can carry (write, dirty, young, soft-dirty, uffd-wp, anon-exclusive; see the '
      + 'bit ledger), but no write of that bit into any entry appears in the function: the bit is lost while the entry '
      + 'is in place.',
  },
  {
    id: 'pte/bit-not-restored', name: 'PteBitNotRestored', level: 'warning',
    short: 'A bit carried into an entry is never read back by the function that removes it',
    full: 'One function carries a bit into an entry kind (make_migration_entry_dirty(), pte_swp_mksoft_dirty() …); the '
      + 'function that removes entries of that kind (it reads the kind\'s own bits back into a present pte it builds, '
      + 'and does not make that kind itself) has no read of that bit on the entry. Matched across the analysed files by '
      + 'entry kind and level (pte or pmd); silent when no remover is among them.',
  },
];

export function ruleInfo(id: string): RuleInfo | undefined { return RULES.find((r) => r.id === id); }
