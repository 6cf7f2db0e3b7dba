// What one file tells the cross-function check: per function, its calls with
// the lock state at each, and the locks it releases without taking them.
// Plain data, built by analyse.ts while the tree is alive, kept after it is gone.
import type { CalleeRelease, CallLocks, UnheldCandidate } from '../flow/lockflow';
import type { Sources } from './fresh';

export interface FunctionSummary {
  name: string;
  startLine: number;
  endLine: number;
  /** `static` in a .c file: only that file can call it directly. */
  fileLocal: boolean;
  /** Every call in the body. `held`/`released` are undefined where the lock state is not known. */
  calls: SummaryCall[];
  /** Lock keys acquired unconditionally somewhere in the function. */
  acquired: string[];
  /** Annotated __must_hold/__releases/__acquires…: the contract is written down. */
  annotated: boolean;
  /** Lock helpers it calls that the catalogue does not know (`lock_cluster`, `z3fold_page_lock`). */
  lockHelperCalls: string[];
  candidates: UnheldCandidate[];
  /** A lock verb or consumer of the catalogue: what it does to locks is known without this summary. */
  catalogued: boolean;
  /** Locks it releases for its caller (directly, or through same-file callees), in the caller's terms. */
  releasesForCaller: CalleeRelease[];
  /** Lock keys it acquires and still holds on some return: it locks for its caller. */
  returnsHeld: string[];
  /** returnsHeld[i] in the caller's terms: through which argument (and path) or global the lock comes back held. */
  returnsHeldAs: CalleeRelease[];
  /** Owner keys of the locks it takes itself, of those its callers hand it, and of those it leaves held (lockflow ownerKeys). */
  owners: { taken: string[]; handed: string[]; opened: string[] };
  /** Pointer locals holding only fresh objects (interproc/fresh.ts), with where they come from. */
  fresh?: Map<string, Sources>;
}

export interface SummaryCall extends Omit<CallLocks, 'held' | 'released'> {
  held?: string[];
  released?: string[];
  /** The arguments that are a pointer parameter (`#i`) or fresh local (its name) of the caller, comma-joined by index (`#0,,page`), read from the text. */
  argNames?: string;
}

export interface FileSummary {
  path: string;
  functions: FunctionSummary[];
  /** Names used other than as a direct call (function pointers, EXPORT_SYMBOL, initialisers). */
  addressed: Set<string>;
  /** Names that appear in preprocessor lines (a macro may call them). */
  inMacros: Set<string>;
  /** Locks (`owner.field` or a bare name) that functions we could not analyse pass to lock-like calls. */
  blind: Set<string>;
}
