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
];

export function ruleInfo(id: string): RuleInfo | undefined { return RULES.find((r) => r.id === id); }
