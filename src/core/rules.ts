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
      + 'or that return distinct constants for "held" and "not held".',
  },
  {
    id: 'lock/release-unheld', name: 'LockReleaseUnheld', level: 'warning',
    short: 'A lock is released on a path where it is not held',
    full: 'The lock was already released earlier on this path, or its lock variable was never assigned on this '
      + 'path. Releasing a lock the function never touched is not reported: a caller may hold it.',
  },
  {
    id: 'lock/double-acquire', name: 'LockDoubleAcquire', level: 'warning',
    short: 'A lock is acquired while this path already holds it',
    full: 'A blocking acquire of a lock that this function acquired earlier on the same path and has not released. '
      + 'Trylock forms are not reported.',
  },
];

export function ruleInfo(id: string): RuleInfo | undefined { return RULES.find((r) => r.id === id); }
