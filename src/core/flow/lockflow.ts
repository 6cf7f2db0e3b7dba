// Lock pairing and lock rules over one function's CFG.
//
// Abstract state: which locks this function holds or has released on the path,
// plus "facts" (the outcome of tests seen on the path: `ptep` is NULL, `locked`
// is true, `#ifdef CONFIG_X` was taken). Facts make trylocks, NULL-returning
// lock helpers, `locked` flags and `if (x) lock … if (x) unlock` precise.
//
// Bounded by construction (property simulation, as in ESP): at a join, states
// with the same lock set are merged and keep only the facts they agree on, so
// a node holds at most one state per distinct lock set. Facts only shrink and
// site sets only grow, so the fixpoint terminates; a step budget turns any
// pathological function into "skipped", never a hang.
//
// A lock the function never touched is "unknown" (a caller may hold it), so
// releasing it is silent; only releases that contradict what this function
// did on the path (released twice, never assigned) are reported.
import type { Cfg, CfgNode, Event, Atom, ReturnInfo, Site } from './cfg';
import { EXIT, scalarVar } from './cfg';
import { SCALAR_TYPE, dependsOn, lastName, rootOf, varsOf, type ValueClass } from './expr';
import type { Diagnostic, HeldRange, LockPair, PathStep } from '../model';
import { heldRanges } from './held';
import { LINK_FIELD, LOCKED_FLAG, LOCKED_PAGE_ENCODING, LOCK_ADDRESS_CALLS, LOCK_ADDRESS_FILLS, OBJECT_MEASURE, PLAIN_ACCESSORS, TAKING_WORD, VALUE_CALL } from '../locks/catalogue';

const PLAIN_ACCESSOR = new Set(PLAIN_ACCESSORS);

type Fact = ValueClass | 'T' | 'F';

interface Trail { step: PathStep; prev: Trail | null }

interface Entry {
  status: 'held' | 'released';
  kind: string;
  expr: string;
  acquires: Site[];
  releases: Site[];
  fromCaller: boolean;
  trail: Trail | null;
  resultVar?: string;
  aliases?: string[];
  escaped: boolean;
  /**
   * A weak hand-off, believed only when no return releases the lock: the locking call's result went
   * to the caller's memory (`vmf->pte = …`), or the locked object into one of ours (`op->x = obj`).
   */
  escapedByResult?: boolean;
  /** The weak hand-off is the locked object stored into one of ours: a failed attempt elsewhere is no release. */
  storedObject?: boolean;
  /** The lock pointer was stored in the caller's memory first (`pvmw->ptl = *ptlp; spin_lock(pvmw->ptl)`). */
  stored?: boolean;
  guard: boolean;
  /** Released here without having been acquired here: the caller's lock was dropped. */
  callersDropped?: boolean;
  /** Released here while this function had not touched it at all on the path (no acquire, assert or annotation). */
  fromNothing?: boolean;
  /** "Released" because the conditional acquire at this site failed on the path. */
  failedAt?: Site;
  /** Other local names of the same object (`src_folio = folio;`). */
  aliasNames?: string[];
  /** Given to a callee that may have released it (LOCK_CONSUMERS, same-file releasers). */
  byCallee?: boolean;
  /** …an unknown lock helper that may have taken or dropped it: its state at later calls is unknown too. */
  byHelper?: boolean;
  /** The locked object was put somewhere since (a list, an array, a batch, a field): overwriting its name is a hand-off. */
  parked?: boolean;
  /**
   * Its only name was overwritten while it was held and never put anywhere (see assign): on this
   * path the lock is lost, so a hand-off of the same acquire on another path does not excuse it.
   */
  lost?: boolean;
  /** Lost to a fresh value (`anon_vma = NULL`), not to a step from the old one (`cursor = next(cursor)`). */
  lostFresh?: boolean;
  /** RCU read sections nest: 2 means "taken twice here" (capped, so loops stay finite). */
  depth?: number;
  /**
   * Held field locks only (`pool->lock`): the facts the path knew when it took the lock (merged:
   * known on some path). The acquiring state's own map, shared, not copied: a state's facts are never changed once passed on.
   */
  factsBefore?: ReadonlyMap<string, Fact> | ReadonlySet<string>;
}

interface ReturnState { node: CfgNode; s: State }

interface SiteIndex { nodeOf: Map<string, number>; acquire: Map<string, number[]>; release: Map<string, number[]> }

interface State {
  locks: Map<string, Entry>;
  facts: Map<string, Fact>;
  uninit: Set<string>;
  trail: Trail | null;
}

export interface FunctionContext {
  name: string;
  /** Lock annotations on the function (`__acquires(x)` → ['acquires', 'x']). */
  annotations: { name: string; args: string[] }[];
  maxSteps?: number;
  /** Lock-root categories for which an unacquired release is reported (default: scope, stack). */
  unheldRoots?: string[];
  /** The function is an acquire wrapper by contract (catalogue verb, known wrapper). */
  acquireWrapper?: boolean;
  /** For a catalogue verb: the domain of the lock it hands out (other locks it leaves held are leaks). */
  wrapperDomain?: string;
  /** Functions of the same file that release, for their caller, these locks. */
  calleeReleases?: Map<string, CalleeRelease[]>;
  /** Functions of the same file that may return holding locks of these domains (`do_page_mkwrite`). */
  calleeAcquires?: Map<string, string[]>;
  /** Calls that take a lock and hand it to a callback (catalogue LOCKED_CALLBACKS): name → domain, lock argument. */
  lockedCallbacks?: Map<string, { domain: string; lock: number }>;
}

export interface LockFlowResult {
  pairs: LockPair[];
  diagnostics: Diagnostic[];
  overBudget?: string;
  /** Locks this function releases for its caller, in the caller's terms (start/stop pairs, releasers). */
  callerReleases?: CalleeRelease[];
  /** What the cross-function check needs (see interproc/handover.ts). */
  outside?: OutsideView;
  /** Lines where each lock is held on some path (the editor's held-lock marking). */
  held?: HeldRange[];
  /**
   * Findings no naming convention excuses: a held-at-exit whose return is also reached with the
   * lock released (see splitReturn). A counterpart function cannot be what releases it.
   */
  firm?: Diagnostic[];
  /**
   * Held-at-exit findings of the killable contract by constants that only the function's name failed
   * to say (see checkExits): analyse.ts drops one when a same-file caller releases such a lock.
   */
  unsaid?: Diagnostic[];
  /**
   * A caller split was left unjudged for a call that a same-file releaser may be: analyse.ts runs
   * the function again with calleeReleases when it calls one.
   */
  wantsCallees?: boolean;
}

/**
 * A lock a function releases for its caller, said in the caller's terms: the lock is
 * `args[param] + path` at the call (`z3fold_page_unlock(zhdr)` drops `zhdr->page_lock`), or a
 * global; with neither, any lock of the domain (a chain of releasers, a local's lock).
 */
export interface CalleeRelease {
  domain: string; param?: number; path?: string; global?: string;
  /** Released on every return of the callee (`__accept_page()` drops zone->lock): a call is a release, not a maybe. */
  always?: boolean;
}

/** Lock state at one call of another function: keys held, and keys released, on some path reaching it. */
export interface CallLocks {
  callee: string; line: number; held: string[]; released: string[];
  /** The call's arguments (to name what a callee releases, or returns holding, in the caller's terms). */
  args?: string[];
  /** The arguments written `&x` (normalised like args): `x` is then the object itself, not a pointer that may point anywhere. */
  addrOf?: string[];
  /** Held keys that name a global by a bare identifier (`mutex:damon_lock`): one object, not any lock of the kind. */
  globals?: string[];
}

/** A release of a lock the function never took, not reported here because a caller may hold the lock. */
export interface UnheldCandidate {
  key: string; expr: string; root: 'param' | 'local' | 'global'; paramIndex?: number; sites: Site[];
  /** ownerKeys(key) (none when the function takes a lock alike): how other functions' use of this lock is found. */
  owners: string[];
  /** Where the function takes this very lock on other paths, if it does. */
  takenAt?: number;
  /** The function is named as an unlock helper (…_unlock, …_put, …_stop): releasing is its job. */
  closing: boolean;
  /** The function takes some lock itself (RCU and lazy MMU aside): see takesAnything. */
  ownLocks: boolean;
  /**
   * A release sits under a test of a flag this function sets (`if (tx_info->pending_close)
   * spin_unlock_bh(&tx_info->lock)`): which path drops it is the function's own bookkeeping, which
   * the analysis may not follow.
   */
  ownFlag: boolean;
}

export interface OutsideView {
  calls: CallLocks[];
  /** Keys this function acquires unconditionally somewhere (it cannot be called with them held). */
  acquired: string[];
  candidates: UnheldCandidate[];
  /** Keys this function acquired and still holds on some return (it locks for its caller). */
  returnsHeld: string[];
  /** returnsHeld[i] in the caller's terms (a parameter and path, or a global), as for callerReleases. */
  returnsHeldAs: CalleeRelease[];
  /**
   * Owner keys (see ownerKeys) of the locks this function takes unconditionally, and of those
   * its caller hands it: released without being taken here, asserted held
   * (`lockdep_assert_held`), named in a __must_hold/__releases annotation (domain `*`); and of
   * those it opens for another function: returned held, or taken and released nowhere here.
   */
  owners: { taken: string[]; handed: string[]; opened: string[] };
}

const DEFAULT_MAX_STEPS = 60000;
/**
 * Lock roots for which a release the function never acquired is reported (see checkUnheldReleases).
 * Measured on mm/ of linux-source-6.12: scope+stack cost 0 false positives; global 8, param 44,
 * local 70 (callers legitimately hand those over), so they are off by default.
 */
const DEFAULT_UNHELD_ROOTS = ['scope', 'stack'];
/** Locks with no operand: nobody can hold them "for" this function. */
const GLOBAL_LOCKS = new Set(['rcu:rcu', 'rcu:rcu_bh', 'rcu:rcu_sched', 'lazy_mmu:lazy_mmu']);
/** Name parts of functions whose job is to close what another opened. */
const CLOSING = new Set(['unlock', 'put', 'stop', 'end', 'release', 'exit', 'leave', 'unmap', 'post', 'thaw',
  'enable', 'finish', 'complete', 'drop', 'up', 'close', 'unpin', 'done', 'commit', 'free', 'destroy', 'teardown']);

/** `compact_lock_irqsave`, `inode_unlock`: a helper that may take or drop the lock it is given. */
export function lockHelper(name: string): boolean {
  // Not lock operations: initialisers, assertions, lockdep maps, bit-unlock primitives.
  if (/is_held|lockdep|_is_locked|_test_|nolock|lockref|_init$|_held$|^lock_map_|^might_lock|^clear_bit_unlock|_alloc$|_free$/.test(name)) return false;
  return name.split('_').some((p) => p === 'lock' || p === 'unlock' || p === 'trylock' || p === 'relock');
}

/**
 * Name parts of functions that may lock a whole set for a partner to unlock later
 * (`mm_take_all_locks()`, `gpu_freeze_queues()` / `gpu_thaw_queues()`): see releasesNoneOfDomain.
 */
const HOLDS_A_SET = new Set(['locks', 'all', 'freeze', 'stop', 'suspend', 'quiesce', 'pause', 'block', 'disable',
  'begin', 'start', 'prepare', 'enter', 'take', 'grab', 'hold', 'acquire', 'get', 'down']);

function closingName(name: string): boolean {
  return name.split('_').some((p) => CLOSING.has(p) || /unlock/.test(p));
}


/** Local flags that carry lock state across calls: `locked`, `mmap_locked`, `unlocked`. */
const LOCK_FLAG = /^(\w+_)?(un)?lock(ed)?$|^\w*locked$|^\w*held$/;
/**
 * Names that say "I return with a lock held": folio_lock_anon_vma_read, lock_vma_under_rcu, *_trylock,
 * and a short object prefix glued to `lock` (xfs_ilock, xfs_dqlock2, xfs_dqlockn; not mlock, *_block, *_clock, *_unlock).
 */
const WRAPPER_NAME = /(^|_)(try)?lock(ed)?(_|$)|^__?acquire|_acquire$|(^|_)(?!(?:m|un|b|c|f)lock)[a-z]{1,2}lock[n\d]?$/;
/** `set_page_dirty_lock()` takes and drops the lock inside: not a wrapper. */
const NOT_WRAPPER_NAME = /_dirty_lock$|(?<!_and)_locked$/;

/** Named as a function that returns with a lock held (`folio_lruvec_lock`, `xfs_ilock`). */
export function lockWrapperName(name: string): boolean {
  return WRAPPER_NAME.test(name) && !NOT_WRAPPER_NAME.test(name);
}

/** Named as a function that releases a lock it is given (`unlock_cluster_or_swap_info`, `acomp_ctx_put_unlock`). */
export function unlockHelperName(name: string): boolean {
  return name.split('_').includes('unlock');
}

/** "spin:ptl" → "spin". */
export function domainOf(key: string): string { return key.slice(0, key.indexOf(':')); }

/** Identity of a call site within the function. */
function siteKey(site: Site): string { return `${site.line}:${site.column}`; }

export function analyseLocks(cfg: Cfg, fn: FunctionContext): LockFlowResult {
  return new LockFlow(cfg, fn).run();
}

class LockFlow {
  private readonly inStates: Map<string, State>[] = [];
  private readonly pairs = new Map<string, { lock: string; kind: string; acquire: Site | null; releases: Map<string, Site> }>();
  private readonly diags = new Map<string, Diagnostic>();
  /** "Must" rules: a site is reported only if no state reaching it contradicts the finding. */
  private readonly mustFindings = new Map<string, { refuted: boolean; make: () => void }>();
  private readonly locals: Set<string>;
  /** Acquire sites whose lock the function stopped naming while held: ownership passed elsewhere. */
  private readonly handedOff = new Set<string>();
  /** Acquire sites handed off other than to a consuming callee in a return statement (`return hugetlb_no_page(…)`). */
  private readonly handedOffNotTail = new Set<string>();
  /** The node whose events are being applied (consume() asks whether it is a return statement). */
  private current?: CfgNode;
  /** Acquire sites handed off other than by overwriting the name of an object put somewhere (see lostAtExit). */
  private readonly handedOffUnparked = new Set<string>();
  /** Caller-visible places this function stored a lock pointer into (`pvmw->ptl = pte_lockptr(…)`). */
  private readonly storedOut = new Set<string>();
  /** Keys whose state a lock helper made us forget somewhere (`gfs2_freeze_unlock(sdp)`). */
  private readonly forgotten = new Set<string>();
  /** Predecessors of each CFG node (see predecessors()), and the variables set to constants (underOwnFlag). */
  private preds?: number[][];
  private flags?: Set<string>;
  private openedOwnerKeys?: Set<string>;
  /** Acquire sites followed at once by `return true` (or another non-zero constant). */
  private readonly lastBeforeTrue = new Set<string>();
  /** Keys acquired somewhere by a conditional form (trylock, killable, NULL-returning). */
  private readonly condAcquired = new Set<string>();
  /** Releases of locks the function had not touched on that path, by lock key. */
  private readonly unheldReleases = new Map<string, Site[]>();
  /** Acquire sites after which the function ends with no further event or test. */
  private readonly lastActs = new Set<string>();
  /** Lock keys held / released at each call of another function (`line:name`). */
  private readonly callLocks = new Map<string, CallLocks>();
  private readonly acquiredAlways = new Set<string>();
  /** Blocking exclusive acquires made where the function had not touched the lock, by key. */
  private readonly freshTaken = new Map<string, Site[]>();
  /** Keys released here without being taken, or taken from the caller. */
  private readonly handedIn = new Set<string>();
  /** Keys a call takes and hands to a callback (`kref_put_mutex(…, release, &l)`). */
  private readonly handedToCallback = new Set<string>();
  private readonly asserted = new Set<string>();
  private readonly candidates: UnheldCandidate[] = [];
  /** Report ids of the findings listed in LockFlowResult.firm. */
  private readonly firm = new Set<string>();
  /** Report ids of the findings listed in LockFlowResult.unsaid. */
  private readonly unsaid = new Set<string>();
  private wantsCallees = false;
  private exitStates?: ReturnState[];
  /** Values this function stores into an array element or a field (`pages[i] = pg`), see storedAnywhere. */
  private storedValues?: string[];
  /** Nodes releasing each lock key, by key (see droppedEachTurn). */
  private releaseNodes?: Map<string, number[]>;

  constructor(private readonly cfg: Cfg, private readonly fn: FunctionContext) {
    this.locals = cfg.locals;
    for (let i = 0; i < cfg.nodes.length; i++) this.inStates.push(new Map());
  }

  run(): LockFlowResult {
    this.findLastActs();
    const order = rpo(this.cfg);
    const pending = new Uint8Array(this.cfg.nodes.length);
    const init: State = { locks: new Map(), facts: new Map(), uninit: new Set(), trail: null };
    this.seedFromAnnotations(init);
    this.inStates[0].set(signature(init), init);
    pending[0] = 1;
    let steps = 0;
    const max = this.fn.maxSteps ?? DEFAULT_MAX_STEPS;
    for (let changed = true; changed;) {
      changed = false;
      for (const id of order) {
        if (!pending[id]) continue;
        pending[id] = 0;
        changed = true;
        const node = this.cfg.nodes[id];
        for (const s of [...this.inStates[id].values()]) {
          if (++steps > max) {
            return { pairs: [], diagnostics: [], overBudget: `over the analysis budget (${max} steps)` };
          }
          for (const [succ, out] of this.transfer(node, s)) {
            if (this.mergeInto(succ, out)) pending[succ] = 1;
          }
        }
      }
    }
    for (const f of this.mustFindings.values()) if (!f.refuted) f.make();
    this.checkExits();
    const split = this.checkCallerSplits();
    this.checkUnheldReleases(split);
    const returnsHeld = this.returnsHeld();
    return {
      pairs: this.pairList(), diagnostics: [...this.diags.values()],
      firm: [...this.firm].flatMap((id) => this.diags.get(id) ?? []),
      ...(this.unsaid.size ? { unsaid: [...this.unsaid].flatMap((id) => this.diags.get(id) ?? []) } : {}),
      ...(this.wantsCallees ? { wantsCallees: true } : {}),
      held: this.held(),
      callerReleases: this.droppedForCaller(),
      outside: {
        calls: [...this.callLocks.values()],
        acquired: [...this.acquiredAlways],
        candidates: this.candidates,
        returnsHeld,
        returnsHeldAs: returnsHeld.map((k) => this.callerTerms(k, k.slice(domainOf(k).length + 1))),
        owners: {
          taken: [...new Set([...this.acquiredAlways].flatMap((k) => this.ownerKeys(k)))],
          // Returning with a lock held hands it to a caller just as releasing an untaken one takes it from one.
          opened: [...new Set([...this.openedOwners(), ...[...this.handedToCallback].flatMap((k) => this.ownerKeys(k))])],
          // A local filled by a call (`vn = find_vmap_area_exceed_addr_lock(…)`) names what that callee locked, not a caller's lock.
          handed: [...new Set([...[...this.handedIn].filter((k) => !this.fromCallee(k)), ...this.asserted,
            ...this.fn.annotations.filter((a) => a.name !== 'acquires' && a.name !== 'cond_acquires')
              .flatMap((a) => a.args.map((x) => `*:${x.replace(/\s+/g, '')}`))].flatMap((k) => this.ownerKeys(k)))],
        },
      },
    };
  }

  private findLastActs(): void {
    const nodes = this.cfg.nodes;
    for (const n of nodes) {
      const last = n.events[n.events.length - 1];
      if (!last || last.t !== 'lock' || last.verb.op !== 'acquire' || n.kind !== 'stmt') continue;
      let id = n.succ.length === 1 ? n.succ[0] : -1;
      for (let i = 0; i < 6 && id >= 0; i++) {
        const m = nodes[id];
        if (m.kind === 'return') {
          if (!m.ret) this.lastActs.add(siteKey(last.site));
          else if (m.ret.value === 'nonzero') this.lastBeforeTrue.add(siteKey(last.site));
          break;
        }
        if (m.kind !== 'stmt' || m.events.length || m.succ.length !== 1) break;
        id = m.succ[0];
      }
    }
  }

  // ---- annotations ---------------------------------------------------------

  private seedFromAnnotations(s: State): void {
    for (const a of this.fn.annotations) {
      if (a.name !== 'releases' && a.name !== 'must_hold') continue;
      for (const arg of a.args) {
        const expr = arg.replace(/\s+/g, '').replace(/^&/, '');
        // The annotation does not say which domain: seed every domain lazily via 'assert' semantics.
        s.locks.set(`*:${expr}`, {
          status: 'held', kind: 'annotated', expr, acquires: [], releases: [], fromCaller: true,
          trail: null, escaped: false, guard: false,
        });
      }
    }
  }

  private annotatedAcquirer(): boolean {
    return this.fn.annotations.some((a) => a.name === 'acquires' || a.name === 'cond_acquires');
  }

  // ---- transfer ------------------------------------------------------------

  private transfer(node: CfgNode, s0: State): [number, State][] {
    if (node.kind === 'dead') return [];
    this.current = node;
    let states: State[] = [node.step && node.kind !== 'branch' && !node.step.startsWith('label')
      ? withStep(s0, { line: node.line, column: node.column, message: node.step }) : s0];
    for (const e of node.events) {
      const next: State[] = [];
      for (const s of states) next.push(...this.apply(e, s));
      states = next;
    }
    if (node.kind === 'return' || node.id === EXIT) return [];
    if (node.kind !== 'branch' || !node.atom) {
      const out: [number, State][] = [];
      for (const s of states) for (const succ of node.succ) out.push([succ, s]);
      return out;
    }
    const out: [number, State][] = [];
    const [t, f] = node.succ;
    for (const s of states) {
      const v = evalAtom(s, node.atom) ?? guardedRelease(s, node, this.inStates[node.id]);
      const step = (taken: boolean): PathStep => ({
        line: node.line, column: node.column,
        message: node.part
          ? `${node.step ?? 'condition'}: \`${node.part}\` is ${taken ? 'true' : 'false'}`
          : `${node.step ?? 'condition'} is ${taken !== !!node.negated ? 'true' : 'false'}`,
      });
      if (v !== false) out.push([t, refine(withStep(s, step(true)), node.atom, true)]);
      if (v !== true) out.push([f, refine(withStep(s, step(false)), node.atom, false)]);
    }
    return out;
  }

  private apply(e: Event, s: State): State[] {
    switch (e.t) {
      case 'lock': {
        const v = e.verb;
        if (v.op === 'acquire') {
          // Taken, blocking, where this function had not touched it: no caller can be holding it.
          if (v.exclusive && (v.heldWhen ?? 'always') === 'always' && !s.locks.has(e.key) && !s.locks.has(`*:${e.expr}`)) {
            const sites = this.freshTaken.get(e.key) ?? [];
            if (!sites.some((x) => siteKey(x) === siteKey(e.site))) sites.push(e.site);
            this.freshTaken.set(e.key, sites);
          }
          return this.acquire(s, e.key, v.kind, e.expr, e.site, v.heldWhen ?? 'always', e.resultVar, false,
            e.inReturn || v.handsOver === true, false, e.aliases, v.outParam === true || 'ret' in v.lock);
        }
        if (v.op === 'release' && v.releasedWhen && e.resultVar) {
          // Two outcomes: the lock is dropped (result zero/nonzero as the verb says) or kept.
          const dropped = this.release(s, e.key, v.kind, e.expr, e.site, false);
          const kept = clone(s);
          killFacts(dropped, e.resultVar);
          killFacts(kept, e.resultVar);
          dropped.facts.set(e.resultVar, v.releasedWhen === 'zero' ? 'zero' : 'nonzero');
          kept.facts.set(e.resultVar, v.releasedWhen === 'zero' ? 'nonzero' : 'zero');
          return [kept, dropped];
        }
        if (v.op === 'release') return [this.release(s, e.key, v.kind, e.expr, e.site, false)];
        if (v.op === 'relock') {
          const t = clone(s);
          t.locks.delete(e.key);
          return this.acquire(t, e.key, v.kind, e.expr, e.site, 'always', e.resultVar, false, e.inReturn, true);
        }
        if (v.op === 'assert') {
          this.asserted.add(e.key);
          if (s.locks.has(e.key) || s.locks.has(`*:${e.expr}`)) return [s];
          const t = clone(s);
          t.locks.set(e.key, { status: 'held', kind: v.kind, expr: e.expr, acquires: [], releases: [], fromCaller: true,
            trail: null, escaped: false, guard: false });
          return [t];
        }
        return [s];
      }
      case 'guard':
        return e.op === 'acquire'
          ? this.acquire(s, e.key, e.cls.kind, e.expr, e.site, 'always', undefined, true, false)
          : [this.release(s, e.key, e.cls.kind, e.expr, e.site, true)];
      case 'assign': return [this.assign(s, e.target, e.value, e.rhs, e.iter ? e.line : undefined)];
      case 'call':
        this.noteCall(s, e);
        return this.call(this.consume(s, e), e);
    }
  }

  private acquire(s: State, key: string, kind: string, expr: string, site: Site, heldWhen: string,
    resultVar: string | undefined, guard: boolean, handedOver: boolean, quiet = false, aliases: string[] = [], retargets = false): State[] {
    const held = clone(s);
    if (resultVar) killFacts(held, resultVar);
    const prev = held.locks.get(key) ?? held.locks.get(`*:${expr}`);
    const siteId = `double:${siteKey(site)}`;
    // A conditional acquire that fills the variable naming a held lock (`pte_offset_map_lock(…, &ptl)`
    // with ptl still holding pmd_lock()'s lock) spins on it or loses it: a double acquire too.
    // Not when the held lock's object went to a callee (`gpu_huge_fault(vmf)` with vmf->ptl held) or
    // its variable's address did (`drop_ptl(&ptl)`): either may have dropped it unseen.
    const refill = heldWhen !== 'always' && retargets;
    const judged = heldWhen === 'always' || (refill && !(prev?.status === 'held' && (prev.parked || this.givenToCall(expr))));
    if (judged && !quiet && !guard && !key.startsWith('rcu:')) {
      if (prev?.status !== 'held') this.refute(siteId);
      else {
        // As for double releases: definite when no release of the lock lies between the two acquires.
        // (`if (!range.start) mmu_notifier_invalidate_range_start(&range)` in a loop tests the lock's
        // own object: that correlation decides, so it stays a "must" finding.)
        const root = rootOf(expr);
        // Taken again with the lock held on this very path since a blocking acquire of ours (a loop
        // or a `goto retry` that skipped the unlock): no release ran since, whatever other paths do.
        // Not when a conditional acquire of it exists (`contended = !trylock(l); if (contended) lock(l)`:
        // a correlation through a variable the facts may not follow), nor when a callee or a store
        // may have taken it over, nor right under a test of memory a callee may have changed since
        // (`if (current->journal_info == NULL) down_write(…)` after gpu_trans_begin() set it).
        // (A refill is judged by the CFG alone: `if (kind == HUGE) ptl = pmd_lock(…)` then a
        // `switch (kind)` that drops it is a correlation the facts do not follow.)
        const again = !refill && prev.acquires.length > 0 && !this.conditionallyTaken().has(key)
          && !prev.byCallee && !prev.parked && !this.underMemoryTest(site);
        const definite = prev.acquires.length > 0 && !prev.fromCaller && !prev.escaped
          && !(refill && this.retestsGuard(prev.acquires, site))
          && !(root && this.cfg.tested.has(root)) && (again || !this.eventBetween('release', key, prev.acquires, site));
        this.finding(siteId, definite, () => this.report(siteId, {
          ruleId: 'lock/double-acquire', site, lock: expr, key,
          message: `\`${expr}\` is acquired at line ${site.line} while already held${prev.acquires.length
            ? ` since line ${prev.acquires.map((a) => a.line).join(', ')}` : ' (the caller holds it)'}`,
          related: prev.acquires.map((a) => ({ line: a.line, column: a.column, message: `first acquired here: ${a.text}` })),
          flow: [...prev.acquires.slice(0, 1).map((a) => ({ line: a.line, column: a.column, message: `acquires \`${expr}\`` })),
            ...stepsSince(s.trail, prev.trail), { line: site.line, column: site.column, message: `acquires \`${expr}\` again` }],
        }));
      }
    }
    if (key.startsWith('rcu:') && prev?.status === 'held' && !prev.fromCaller && heldWhen === 'always') {
      held.locks.set(key, { ...prev, depth: 2, acquires: unionSites(prev.acquires, [site]) });
      return [held];
    }
    // Re-taking a lock this function dropped for its caller restores the caller's lock.
    const restoresCallers = prev?.status === 'released' && prev.callersDropped === true;
    held.locks.delete(`*:${expr}`);
    held.locks.set(key, {
      status: 'held', kind, expr, acquires: [site], releases: [], fromCaller: restoresCallers, trail: s.trail,
      resultVar, aliases, guard,
      escaped: quiet || handedOver,
      // Locked through a pointer stored in the caller's memory (`vmf->ptl = pmd_lock(…)`): a hand-off
      // only if no return releases it (page_vma_mapped_walk() style is the conditional-wrapper case).
      escapedByResult: (resultVar !== undefined && !this.isLocalTarget(resultVar)) || this.storedOut.has(expr),
      ...(this.storedOut.has(expr) ? { stored: true } : {}),
      ...(this.storedAnywhere(expr) ? { parked: true } : {}),
      ...(fieldOwner(expr) || this.globalLock(key, expr) ? { factsBefore: s.facts } : {}),
    });
    held.uninit.delete(rootOf(expr) ?? expr);
    const root = /^[A-Za-z_]\w*(->|$)/.test(expr) ? rootOf(expr) : undefined;
    if (root) held.facts.set(root, 'nonzero');
    this.touchPair(key, kind, expr, site);
    if (heldWhen === 'always' && !quiet) this.acquiredAlways.add(key);
    // A result nobody tests (2017-era pte_offset_map_lock never failed) is taken as success.
    const names = resultVar ? [resultVar, ...aliases] : [];
    if (heldWhen !== 'always') this.condAcquired.add(key);
    if (heldWhen === 'always' || (resultVar && !resultVar.startsWith('$') && !names.some((n) => this.cfg.tested.has(n)))) {
      return [held];
    }
    const failed = clone(s);
    failed.uninit.delete(rootOf(expr) ?? expr);
    // This function tried and failed: on this path the lock is known not to be held.
    if (!failed.locks.has(key) && !quiet && !guard) {
      failed.locks.set(key, { status: 'released', kind, expr, acquires: [], releases: [], fromCaller: false,
        trail: s.trail, escaped: false, guard: false, failedAt: site });
    }
    for (const n of names) {
      killFacts(held, n);
      killFacts(failed, n);
      held.facts.set(n, heldWhen === 'zero' ? 'zero' : 'nonzero');
      failed.facts.set(n, heldWhen === 'zero' ? 'neg' : 'zero');
    }
    return [held, failed];
  }

  private release(s: State, key0: string, kind: string, expr0: string, site: Site, guard: boolean): State {
    const t = clone(s);
    // Released through another name of the same object (`folio_unlock(src_folio)`).
    const domain = domainOf(key0);
    // Another name of a held lock: an alias (`src_folio = folio`), or a pointer this path found
    // equal to it (`if (ptl != pml) spin_lock_nested(ptl, …)` not taken: ptl is pml).
    const equal = (e: Entry): boolean => t.facts.get(`?${expr0}==${e.expr}`) === 'T' || t.facts.get(`?${e.expr}==${expr0}`) === 'T';
    const viaAlias = t.locks.has(key0) ? undefined
      : [...t.locks].find(([k, e]) => k.startsWith(`${domain}:`) && e.status === 'held' && (e.aliasNames?.includes(expr0) || equal(e)));
    const key = viaAlias ? viaAlias[0] : key0;
    const expr = viaAlias ? viaAlias[1].expr : expr0;
    const k = t.locks.has(key) ? key : t.locks.has(`*:${expr}`) ? `*:${expr}` : key;
    const prev = t.locks.get(k);
    const relId = `rel:${siteKey(site)}`;
    const uninitId = `uninit:${siteKey(site)}`;
    if (prev?.status === 'held' && (prev.depth ?? 1) > 1) {
      // The inner of two nested RCU read sections ends: still held.
      for (const a of prev.acquires) this.addPair(key, prev.kind, expr, a, site);
      this.refute(relId);
      this.refute(uninitId);
      t.locks.set(k, { ...prev, depth: undefined });
      return t;
    }
    if (prev?.byCallee) {
      // The callee or helper may have left it held: this release pairs with what was taken before it.
      if (prev.byHelper) {
        for (const a of prev.acquires) this.addPair(key, prev.kind === 'helper' ? kind : prev.kind, expr, a, site);
        if (!prev.acquires.length) this.addPair(key, kind, expr, null, site);
      }
      this.refute(relId);
      this.refute(uninitId);
      return t;
    }
    let callersDropped = false;
    if (prev?.status === 'held') {
      for (const a of prev.acquires) this.addPair(key, prev.kind === 'annotated' ? kind : prev.kind, expr, a, site);
      if (prev.fromCaller) {
        this.addPair(key, kind, expr, null, site);
        callersDropped = true;
        this.handedIn.add(key);
      }
      this.refute(relId);
      this.refute(uninitId);
    } else {
      this.addPair(key, kind, expr, null, site);
      if (!prev) {
        callersDropped = true;
        this.handedIn.add(key);
        if (!guard) {
          const sites = this.unheldReleases.get(key) ?? [];
          if (!sites.some((x) => x.line === site.line && x.column === site.column)) sites.push(site);
          this.unheldReleases.set(key, sites);
        }
      }
      if (prev?.status === 'released' && !guard) {
        // Reported when every path reaching here agrees, or when no acquire of the lock lies
        // between the earlier release and this one on any path (a loop back to an unlock, or
        // unlock…unlock in sequence): then the double release does not hinge on a correlation
        // the analysis might have missed.
        const definite = prev.releases.length > 0 && !prev.failedAt && !this.eventBetween('acquire', key, prev.releases, site)
          && !this.retestedBetween(prev.releases, site, key);
        this.finding(relId, definite, () => this.report(relId, {
          ruleId: 'lock/release-unheld', site, lock: expr, key,
          message: prev.failedAt
            ? `\`${expr}\` is released at line ${site.line} but the attempt to acquire it at line ${prev.failedAt.line} failed on this path`
            : `\`${expr}\` is released at line ${site.line} but was already released at line ${prev.releases.map((r) => r.line).join(', ')} on this path`,
          related: prev.releases.map((r) => ({ line: r.line, column: r.column, message: `released here: ${r.text}` })),
          flow: [...(prev.failedAt ? [{ line: prev.failedAt.line, column: prev.failedAt.column, message: `fails to acquire \`${expr}\`` }]
            : prev.releases.slice(0, 1).map((r) => ({ line: r.line, column: r.column, message: `releases \`${expr}\`` }))),
            ...stepsSince(s.trail, prev.trail), { line: site.line, column: site.column, message: `releases \`${expr}\` again` }],
        }));
      } else this.refute(relId);
      if (!prev && /^[A-Za-z_]\w*$/.test(expr) && t.uninit.has(expr)) {
        this.must(uninitId, () => this.report(uninitId, {
          ruleId: 'lock/release-unheld', site, lock: expr, key,
          message: `\`${expr}\` is released at line ${site.line} but was never acquired on this path: \`${expr}\` is not assigned before it`,
          related: [], flow: [...stepsSince(s.trail, null).slice(-12), { line: site.line, column: site.column, message: `releases \`${expr}\`` }],
        }));
      } else this.refute(uninitId);
    }
    t.locks.delete(k);
    // What was tested of the lock's object under it may change once it is dropped (`if (new_nr <=
    // pool->min_nr)` re-tested after the unlock: "raced"), so those facts no longer hold. Facts
    // the path knew before taking the lock (`if (ifh->nr_file_filters) mmap_read_lock(mm)`) stay.
    const owner = prev?.status === 'held' && prev.factsBefore ? fieldOwner(expr) : undefined;
    if (owner) forgetFields(t, owner, expr, prev!.factsBefore!);
    // A global lock guards memory of every object (`h->surplus_huge_pages` under hugetlb_lock,
    // re-tested after the unlock: "we could have raced"): any field tested under it may change.
    else if (prev?.status === 'held' && prev.factsBefore && this.globalLock(key, expr)) forgetShared(t, expr, prev.factsBefore, (v) => this.ownVar(v));
    t.locks.set(key, { status: 'released', kind, expr, acquires: [], releases: [site], fromCaller: false,
      trail: s.trail, escaped: false, guard, callersDropped: callersDropped || prev?.callersDropped,
      fromNothing: !prev || prev.fromNothing });
    return t;
  }

  /**
   * Is there an acquire (or release) of `key`'s domain on some CFG path from one of `from` to `to`?
   * An acquire counts only on a path that does not pass `to` first: one only the way back round a
   * loop through `to` comes after the first arrival there (`unlock(l); while (busy) { unlock(l); …;
   * lock(l); }` drops `l` twice on the first turn).
   */
  private eventBetween(op: 'acquire' | 'release', key: string, from: Site[], to: Site): boolean {
    const idx = this.siteIndex();
    const target = idx.nodeOf.get(siteKey(to));
    if (target === undefined) return true;
    const nodes = idx[op].get(domainOf(key)) ?? idx[op].get('*') ?? [];
    for (const f of from) {
      const start = idx.nodeOf.get(siteKey(f));
      if (start === undefined) return true;
      // Only for acquires between two releases: an acquire again after an unknown call may follow a
      // release inside it (`xfs_ail_update_finish()` drops ail_lock), which the loop's own release covered.
      if (op === 'acquire') {
        if (this.acquireBeforeArrival(start, target, domainOf(key), nodes)) return true;
        continue;
      }
      const fromStart = this.reach(start);
      for (const a of nodes) if (fromStart[a] && (a === target || this.reach(a)[target])) return true;
    }
    return false;
  }

  /**
   * Is one of `acquires` (nodes) reachable from `start` without passing `target`, and does it reach
   * `target`? One set per target and domain, found backwards from those acquires: the nodes that
   * reach one of them without passing `target` (a yes/no per start would cost a walk per pair in
   * a function with hundreds of unlocks, an array per pair releases² × nodes of memory).
   */
  private acquireBeforeArrival(start: number, target: number, domain: string, acquires: number[]): boolean {
    const k = `${target}:${domain}`;
    let before = this.avoidCache.get(k);
    if (!before) {
      before = new Uint8Array(this.cfg.nodes.length);
      const preds = this.predecessors();
      const stack = acquires.filter((a) => a === target || this.reach(a)[target]);
      for (const a of stack) before[a] = 1;
      while (stack.length) {
        const n = stack.pop()!;
        for (const p of preds[n]) {
          if (p === target || before[p]) continue;
          before[p] = 1;
          stack.push(p);
        }
      }
      this.avoidCache.set(k, before);
    }
    return this.cfg.nodes[start].succ.some((n) => before![n] === 1);
  }

  /**
   * Does a path from one of `from` to `to` branch on a value this function also tested before
   * `from`? Then reaching `to` may hinge on a correlation a callee between them changes
   * (`if (current->journal_info) up_write(…)` after gfs2_trans_end() cleared it): not definite.
   */
  private retestedBetween(from: Site[], to: Site, key: string): boolean {
    const idx = this.siteIndex();
    const target = idx.nodeOf.get(siteKey(to));
    if (target === undefined) return true;
    // Only tests of memory a callee can change (`current->…`, `p->f`, a global) in if/switch-like branches.
    const tests: { id: number; subject: string; vars: string[] }[] = [];
    for (const n of this.cfg.nodes) {
      const a = n.kind === 'branch' ? n.atom : undefined;
      if (!a || a.key.startsWith('#if') || !this.readsSharedMemory(a)) continue;
      // A loop's own exit test is re-tested on every turn: an unlock repeated through the back edge
      // with no acquire between is a double release whatever that test reads (kthread_should_stop()),
      // unless the test fetches something (`buf = next_locked_buf(j)` may hand back the lock taken)
      // or reads the lock's own state (`while (current->rcu_read_lock_nesting > n) rcu_read_unlock();`).
      if (n.loopTest && !n.events.some((e) => e.t === 'assign') && !mentionsLock(a.key, key)) continue;
      tests.push({ id: n.id, subject: a.subject ?? a.key, vars: a.vars });
    }
    for (const f of from) {
      const start = idx.nodeOf.get(siteKey(f));
      if (start === undefined) return true;
      const fromStart = this.reach(start);
      // No branch on the way can keep the path from the second release (`while (true) { if (list) …;
      // spin_unlock_irq(&l); }`, oom_reaper() minus its lock): it runs on every turn, whatever a re-test reads.
      if (!this.cfg.nodes.some((n) => n.kind === 'branch' && fromStart[n.id] && this.reach(n.id)[target] && this.gates(n.id, target))) continue;
      const before = new Set(tests.filter((x) => this.reach(x.id)[start]).map((x) => x.subject));
      if (tests.some((x) => fromStart[x.id] && this.reach(x.id)[target] && before.has(x.subject)
        && this.reachesUnassigned(start, x.id, x.vars))) return true;
    }
    return false;
  }

  /**
   * Can the outcome of branch `x` keep the path from `target`: does one of its arms lead where
   * `target` cannot be reached without coming back through `x`?
   */
  private gates(x: number, target: number): boolean {
    return this.cfg.nodes[x].succ.some((arm) => arm !== target && (arm === x || !this.walk(arm, (n) => n.id === x)[target]));
  }

  /** The lock event sits right under a test of memory a callee can change (`current->…`, `p->f`, a global). */
  private underMemoryTest(site: Site): boolean {
    return this.guardsAbove(site).some((g) => g.atom !== undefined && this.readsSharedMemory(g.atom));
  }

  /** A lock that is a global variable (`hugetlb_lock`), not a section (RCU) nor one of ours. */
  private globalLock(key: string, expr: string): boolean {
    return /^[A-Za-z_]\w*$/.test(expr) && !GLOBAL_LOCKS.has(key) && !this.ownVar(expr);
  }

  /** A local or parameter of this function. */
  private ownVar(v: string): boolean {
    return this.locals.has(v) || this.cfg.params.includes(v);
  }

  /** The test reads memory a callee can change: a field (`current->…`, `p->f`) or a variable not our own (a global). */
  private readsSharedMemory(a: Atom): boolean {
    return /->|\./.test(a.key) || !a.vars.every((v) => this.ownVar(v));
  }

  /**
   * Is there a path from `from` to `to` on which none of `vars` is assigned (`to`'s own turn
   * included)? A test met again only after its variables changed (a loop's cursor moved on:
   * `if (mem_cgroup_wb_domain(wb))` for the next `wb`) reads new data, not a correlation.
   */
  private reachesUnassigned(from: number, to: number, vars: string[]): boolean {
    if (!vars.length) return this.reach(from)[to] === 1;
    // A value fetched by a call may come back locked (`buf = next_locked_buf(j)`): that is no fresh start.
    // A plain accessor's is (`wb = list_first_entry(…)`: a new object each turn).
    const assigns = (n: CfgNode): boolean => n.events.some((e) => e.t === 'assign'
      && (e.iter === true || !this.mayLockFetch(e.rhs ?? '')) && vars.includes(e.target));
    return !assigns(this.cfg.nodes[to]) && this.walk(from, assigns)[to] === 1;
  }

  /** A right-hand side that may come back locked: any call but a plain accessor (`wb = list_first_entry(…)`). */
  private mayLockFetch(rhs: string): boolean {
    // Every call in it must be one (`container_of(lock_next(x), …)` is not).
    return calleesIn(rhs).some((f) => !PLAIN_ACCESSOR.has(f));
  }

  private sites?: SiteIndex;
  private readonly reachCache = new Map<number, Uint8Array>();
  /** acquireBeforeArrival's sets, by `to:domain`. */
  private readonly avoidCache = new Map<string, Uint8Array>();

  /**
   * Node of each lock event's site, and the nodes that acquire / release something, by domain
   * (not key: another name of the same lock counts). Calls that may take or drop a lock we
   * cannot see (lock helpers, `&locked` out-flags, consumers, same-file wrappers) count for
   * every domain they might touch.
   */
  private siteIndex(): SiteIndex {
    if (this.sites) return this.sites;
    const nodeOf = new Map<string, number>();
    const acquire = new Map<string, number[]>();
    const release = new Map<string, number[]>();
    const add = (m: Map<string, number[]>, d: string, id: number): void => {
      const ids = m.get(d);
      if (ids) ids.push(id); else m.set(d, [id]);
    };
    for (const n of this.cfg.nodes) {
      for (const e of n.events) {
        if (e.t === 'lock' || e.t === 'guard') {
          nodeOf.set(siteKey(e.site), n.id);
          const op = e.t === 'lock' ? e.verb.op : e.op;
          if (op === 'acquire' || op === 'relock') add(acquire, domainOf(e.key), n.id);
          if (op === 'release' || op === 'relock') add(release, domainOf(e.key), n.id);
          continue;
        }
        if (e.t !== 'call') continue;
        const touched = callTouches(e, this.fn);
        for (const d of touched.acquire) add(acquire, d, n.id);
        for (const d of touched.release) add(release, d, n.id);
      }
    }
    for (const m of [acquire, release]) for (const [d, ids] of m) if (d !== '*') ids.push(...(m.get('*') ?? []));
    this.sites = { nodeOf, acquire, release };
    return this.sites;
  }

  /** Nodes reachable from `id` by one or more edges (cached). */
  private reach(id: number): Uint8Array {
    const cached = this.reachCache.get(id);
    if (cached) return cached;
    const seen = this.walk(id);
    this.reachCache.set(id, seen);
    return seen;
  }

  /** Nodes reachable from `id` by one or more edges, not going on past a node `stop` accepts. */
  private walk(id: number, stop?: (n: CfgNode) => boolean): Uint8Array {
    const seen = new Uint8Array(this.cfg.nodes.length);
    const stack = [...this.cfg.nodes[id].succ];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen[n]) continue;
      seen[n] = 1;
      if (stop?.(this.cfg.nodes[n])) continue;
      stack.push(...this.cfg.nodes[n].succ);
    }
    return seen;
  }

  /** A finding made now when `definite`, else a "must" finding that any contradicting state refutes. */
  private finding(id: string, definite: boolean, make: () => void): void {
    if (definite) make();
    else this.must(id, make);
  }

  private must(id: string, make: () => void): void {
    if (!this.mustFindings.has(id)) this.mustFindings.set(id, { refuted: false, make });
  }

  private refute(id: string): void {
    const f = this.mustFindings.get(id);
    if (f) f.refuted = true;
    else this.mustFindings.set(id, { refuted: true, make: () => undefined });
  }

  /** `iterLine`: the assignment is an iterator macro's turn, at that line. */
  private assign(s: State, target: string, value: ValueClass | 'unknown' | 'uninit' | 'step', rhs?: string, iterLine?: number): State {
    const iter = iterLine !== undefined;
    const line = iterLine ?? 0;
    const t = clone(s);
    if (value === 'step') {
      // `ptep++`: a non-NULL pointer stays non-NULL; anything else becomes unknown.
      const keep = t.facts.get(target) === 'nonzero';
      killFacts(t, target);
      if (keep) t.facts.set(target, 'nonzero');
      // `folio_unlock(fbatch.folios[i])` then `i++`: the next turn names another object. A held one
      // (`mutex_lock(&q[i]->qlock)` in a lock-them-all loop) is no longer named here: handed off, as
      // when its only name is overwritten (see below).
      for (const [k, e] of t.locks) {
        if (e.expr === target || !dependsOn(e.expr, target)) continue;
        if (e.status === 'released' || (e.status === 'held' && !e.fromCaller && e.expr.includes(`[${target}]`))) t.locks.delete(k);
      }
      return t;
    }
    const copied = value === 'unknown' && rhs ? t.facts.get(rhs) : undefined;
    const flagParam = /^\*([A-Za-z_]\w*)$/.exec(target)?.[1];
    if (flagParam && value === 'nonzero' && LOCK_FLAG.test(flagParam) && this.cfg.params.includes(flagParam)) {
      // `*unlocked = true;` after re-taking a lock: the caller's lock was dropped and restored.
      for (const [k, e] of t.locks) if (e.status === 'held' && !e.guard) t.locks.set(k, { ...e, fromCaller: true });
    }
    if (rhs && !this.isLocalTarget(target) && /^[A-Za-z_]\w*(->\w+)+$/.test(target)) this.storedOut.add(target);
    // Handing a held lock to the caller (`*ptlp = ptl`, `pvmw->ptl = ptl`) ends our responsibility.
    // Storing the object whose lock is held does too when the caller's memory gets it
    // (`*mk_ret = mk` with mk->mk_sem held); into an object of our own (`op->file[1].vnode = vnode`,
    // then op goes to a callee) only when no return releases the lock (`walk->lruvec = lruvec` is
    // bookkeeping: the lock is dropped further on).
    if (rhs && !this.isLocalTarget(target)) {
      const toCaller = this.cfg.params.includes(rootOf(target) ?? '');
      for (const [k, e] of t.locks) {
        if (e.status !== 'held') continue;
        if (e.expr === rhs || e.resultVar === rhs) t.locks.set(k, { ...e, escaped: true });
        else if (e.expr.startsWith(`${rhs}->`)) t.locks.set(k, toCaller ? { ...e, escaped: true } : { ...e, escapedByResult: true, storedObject: true });
        // A locked page put into the caller's migration pfn array goes with its lock.
        else if (toCaller && domainOf(k) === 'pagelock' && LOCKED_PAGE_ENCODING.test(rhs) && dependsOn(rhs, e.expr)) t.locks.set(k, { ...e, escaped: true });
        // `*pfns |= HMM_PFN_LOCKED` (2017): the entry says "its page is locked"; the lock is the array's now.
        else if (domainOf(k) === 'pagelock' && LOCKED_FLAG.test(rhs) && !/^[A-Za-z_]\w*$/.test(target)) t.locks.set(k, { ...e, escaped: true });
      }
    }
    // `batch[n++] = folio;`, `*src = migrate_pfn(page_to_pfn(page)) | MIGRATE_PFN_LOCKED`: the locked
    // object is kept somewhere, in some form.
    if (rhs && !/^[A-Za-z_]\w*$/.test(target)) {
      for (const [k, e] of t.locks) {
        const root = rootOf(e.expr);
        if (e.status === 'held' && root && storesObject(rhs, root)) t.locks.set(k, { ...e, parked: true });
      }
    }
    for (const [k, e] of t.locks) {
      // `ret = mutex_lock_interruptible(&m); … ret = -EINVAL;`: ret no longer says anything of the
      // lock, so a later `return ret;` does not hand it out.
      if (e.resultVar === target && e.expr !== target && !iter) {
        t.locks.set(k, { ...e, resultVar: undefined });
        continue;
      }
      if (e.aliasNames?.some((n) => dependsOn(n, target)) && !dependsOn(e.expr, target)) {
        t.locks.set(k, { ...e, aliasNames: e.aliasNames.filter((n) => !dependsOn(n, target)) });
        continue;
      }
      if (!dependsOn(e.expr, target)) continue;
      // `damon_for_each_target(t, ctx)` with ctx->kdamond_lock taken before the loop: the loop moves
      // its cursor, not the container whose lock is held. (A lock taken inside the loop on an
      // argument's field, `for_each_set_qtype(c, i, q, t) mutex_lock(&q->lock)`, is on the cursor.)
      if (iter && e.expr !== target && e.acquires.length > 0 && e.acquires.every((a) => a.line < line)) continue;
      // Overwriting the only name of a held lock (`folio = next` in a collect loop) hands it off
      // when the object went into an array, list or batch the function no longer names.
      if (e.status === 'held' && !(e.aliasNames ?? []).some((n) => !dependsOn(n, target))) {
        // …unless the object was never put anywhere since it was locked: then its lock is simply lost,
        // and stays held under the old name (the next turn's acquire, or the exit, shows it), marked
        // lost so that a hand-off of the same acquire on another path does not excuse it at the exit.
        // An iterator's turn loses it only in a loop that drops the lock on another way round.
        // Not a bare spinlock pointer (`ptl`): callees given the page table it guards drop it unseen.
        if (!e.parked && !bareLockPointer(k, e.expr) && !e.fromCaller && !e.guard
          && (!iter || this.droppedEachTurn(k, e.acquires) || this.releasesNoneOfDomain(k)) && e.acquires.length > 0
          && /^[A-Za-z_]\w*$/.test(target) && this.locals.has(target)) {
          const fresh = rhs !== undefined && !dependsOn(rhs, target) && !iter;
          t.locks.set(k, e.lost ? e : { ...e, lost: true, ...(fresh ? { lostFresh: true } : {}) });
          continue;
        }
        this.handOff(e.acquires, !e.parked);
      }
      // Still named another way (`fsn_mark = new_fsn_mark; new_fsn_mark = NULL;`): it goes by that name now.
      const other = e.status === 'held' ? e.aliasNames?.find((n) => !dependsOn(n, target) && !n.includes('(')) : undefined;
      const renamed = other !== undefined ? `${domainOf(k)}:${other}` : undefined;
      t.locks.delete(k);
      if (renamed && !t.locks.has(renamed)) {
        // As trusted as a hand-off at the exits (rcu_force_quiescent_state()'s rnp_old walk).
        this.handOff(e.acquires, true);
        t.locks.set(renamed, { ...e, expr: other!, aliasNames: e.aliasNames!.filter((n) => n !== other && !dependsOn(n, target)) });
        continue;
      }
      if (e.status === 'held') this.forgotten.add(k);
    }
    // After the old value's names are gone: `src_folio = folio;` while folio's lock is held lets
    // either name release it, and so does `fsn_mark->lock` after `fsn_mark = new_fsn_mark;`.
    if (rhs && /^[A-Za-z_]\w*$/.test(target) && /^[A-Za-z_]\w*$/.test(rhs)) {
      for (const [k, e] of t.locks) {
        if (e.status !== 'held') continue;
        const alias = e.expr === rhs ? target : rootOf(e.expr) === rhs && /^[A-Za-z_]\w*(->|\.)/.test(e.expr) ? target + e.expr.slice(rhs.length) : undefined;
        if (alias) t.locks.set(k, { ...e, aliasNames: [...(e.aliasNames ?? []), alias] });
      }
    }
    killFacts(t, target);
    if (value === 'uninit') t.uninit.add(target);
    else {
      t.uninit.delete(target);
      if (value !== 'unknown') t.facts.set(target, value);
      else if (copied) t.facts.set(target, copied);
      // `result = hugepage_vma_revalidate(…)`: the value is a callee's verdict (see sameVerdict).
      if (value === 'unknown' && rhs && CALL_RESULT.test(rhs) && this.verdictVar(target)) t.facts.set(`@${target}`, 'T');
    }
    return t;
  }

  private call(s0: State, e: Extract<Event, { t: 'call' }>): State[] {
    const { name, args, addrOf } = e;
    const cb = this.fn.lockedCallbacks?.get(name);
    if (cb && args[cb.lock]) this.handedToCallback.add(`${cb.domain}:${args[cb.lock]}`);
    const s = e.readOnly ? s0 : this.park(s0, args);
    const lockish = lockHelper(name);
    if (addrOf.length === 0 && !lockish) return [s];
    const flag = addrOf.find((a) => LOCK_FLAG.test(a) && this.cfg.tested.has(a) && this.locals.has(a));
    if (flag) return this.flagCall(s, flag);
    const t = clone(s);
    for (const a of addrOf) {
      killFacts(t, a);
      t.uninit.delete(rootOf(a) ?? a);
      // `grab_folio(…, &folio)` refills the variable: a released lock under the old value is gone.
      // An object on this stack (`xas_nomem(&xas, gfp)`) is changed in place, not replaced: it is the same lock.
      const sameObject = (expr: string): boolean => expr === a && this.cfg.stackObjects.has(a);
      for (const [k, e] of t.locks) if (e.status === 'released' && dependsOn(e.expr, a) && !sameObject(e.expr)) t.locks.delete(k);
    }
    if (lockish) {
      // An unknown *lock* helper given our lock may take or drop it: from here on it may be either,
      // so a release further on is neither a double nor an untaken one.
      const known = new Set([...t.locks.values()].map((e) => e.expr));
      for (const [k, e] of t.locks) {
        if (!args.includes(e.expr) && !args.some((a) => e.expr.startsWith(`${a}->`))) continue;
        t.locks.set(k, { ...maybeDropped(e), byHelper: true });
        this.forgotten.add(k);
      }
      // Likewise a lock we knew nothing of (`preload_this_cpu_lock(&free_vmap_area_lock, …)`).
      for (const a of args) {
        const lockLike = addrOf.includes(a) || /(?:lock|mutex|sem|ptl|mtx)\w*$/i.test(a);
        if (!lockLike || !/^[A-Za-z_][\w.>-]*$/.test(a) || known.has(a)) continue;
        t.locks.set(`*:${a}`, { status: 'released', kind: 'helper', expr: a, acquires: [], releases: [], fromCaller: false,
          trail: t.trail, escaped: false, guard: false, byCallee: true, byHelper: true });
      }
    }
    return [t];
  }

  /**
   * An iterator's cursor moves on while the lock taken on its object in the loop is held: a
   * lock-them-all loop (`for_each_set_qtype(c, i, q, t) mutex_lock(&q->lock)`) leaves it to a
   * later loop, a hand-off. A loop that also releases this very lock on another way round
   * (`spin_lock(&si->lock); … spin_unlock(&si->lock); goto nextsi;`) takes and drops it each
   * turn: moving on with it held loses it. Judged on the CFG: a release of the key on a cycle
   * through every acquire site.
   */
  private droppedEachTurn(key: string, acquires: Site[]): boolean {
    this.releaseNodes ??= new Map();
    let rel = this.releaseNodes.get(key);
    if (!rel) {
      rel = this.cfg.nodes.filter((n) => n.events.some((e) => e.t === 'lock' && e.key === key
        && (e.verb.op === 'release' || e.verb.op === 'relock'))).map((n) => n.id);
      this.releaseNodes.set(key, rel);
    }
    return rel.length > 0 && acquires.every((a) => rel!.some(this.onCycleThrough(a)));
  }

  /**
   * Nothing in the function releases a lock of `key`'s domain (no verb, helper, consumer or
   * same-file releaser); it is no lock helper by name (`sched_core_lock()` locks every sibling's
   * rq for its caller), its name does not say it holds a set (HOLDS_A_SET: `…_take_all_locks`,
   * `…_freeze_…`), and it takes the lock with no `_nested` subclass: a loop that takes one per turn
   * and moves on is no lock-them-all loop paired with an unlock-them-all one; it loses each turn's lock.
   */
  private releasesNoneOfDomain(key: string): boolean {
    if (lockHelper(this.fn.name) || WRAPPER_NAME.test(this.fn.name)) return false;
    if (this.fn.name.toLowerCase().split('_').some((p) => HOLDS_A_SET.has(p))) return false;
    // `mutex_lock_nested(&q->mutex, q->id)`: a lockdep subclass per object says they are all meant to be held.
    if (this.cfg.nodes.some((n) => n.events.some((e) => e.t === 'lock' && e.key === key && /_nested$/.test(e.verb.name)))) return false;
    return (this.siteIndex().release.get(domainOf(key)) ?? []).length === 0 && !this.siteIndex().release.has('*');
  }

  /** Does node `n` lie on a CFG cycle through the lock event at `a` (a loop that runs both)? Never, for an unknown site. */
  private onCycleThrough(a: Site): (n: number) => boolean {
    const id = this.siteIndex().nodeOf.get(siteKey(a));
    if (id === undefined) return () => false;
    const from = this.reach(id);
    return (n) => from[n] === 1 && this.reach(n)[id] === 1;
  }

  /**
   * A loop left right after a turn that put its locked object nowhere (`if (busy(folio)) continue;`
   * then `i < nr` fails): the next turn would have overwritten the object's only name and lost the
   * lock (see assign), so a hand-off of the same acquire on the turns that parked their object does
   * not excuse this one. Only when every hand-off of the acquire was such a turn (not a rename,
   * `rnp_old = rnp`, nor a callee taking it over), for a local whose name the loop overwrites on a
   * cycle through every acquire, under the conditions of the lost rule (an iterator's turn: a loop
   * that drops the lock on another way round).
   */
  private lostAtExit(k: string, e: Entry): boolean {
    if (e.parked || e.fromCaller || e.guard || e.escaped || e.acquires.length === 0 || e.aliasNames?.length) return false;
    if (e.acquires.some((a) => this.handedOffUnparked.has(siteKey(a)))) return false;
    if (bareLockPointer(k, e.expr)) return false;
    const root = rootOf(e.expr);
    if (!root || !this.locals.has(root)) return false;
    return e.acquires.every((a) => {
      const onCycle = this.onCycleThrough(a);
      return this.cfg.nodes.some((n) => onCycle(n.id)
        && n.events.some((x) => x.t === 'assign' && x.target === root && (!x.iter || this.droppedEachTurn(k, e.acquires))));
    });
  }

  /**
   * The object is put into an array or a field somewhere in this function (`pages_disk[i] = pg;
   * lock_page(pg);`): locked after it was stored, it is already kept there, so overwriting its name
   * is a hand-off as for an object stored after locking (see assign). Flow-insensitive: a store
   * later on parks it anyway.
   */
  private storedAnywhere(expr: string): boolean {
    const root = rootOf(expr);
    if (!root || !/^[A-Za-z_]\w*$/.test(root)) return false;
    this.storedValues ??= this.cfg.nodes.flatMap((n) => n.events.flatMap((e) =>
      e.t === 'assign' && e.rhs && !e.target.startsWith('$') && !/^[A-Za-z_]\w*$/.test(e.target) ? [e.rhs] : []));
    return this.storedValues.some((v) => storesObject(v, root));
  }

  /**
   * Records the acquires as handed off (excused at the exits); `unparked` when not by overwriting
   * the name of an object put somewhere (a rename, a callee taking it over: see lostAtExit).
   */
  private handOff(acquires: Site[], unparked: boolean, tail = false): void {
    for (const a of acquires) {
      this.handedOff.add(siteKey(a));
      if (!tail) this.handedOffNotTail.add(siteKey(a));
      if (unparked) this.handedOffUnparked.add(siteKey(a));
    }
  }

  /** Is the node being applied a `return …;` statement? */
  private inReturn(): boolean {
    return this.current !== undefined && this.returnStatement(this.current);
  }

  /** A `return …;` node, or the node of its call events right before it on the same line. */
  private returnStatement(n: CfgNode): boolean {
    if (n.kind === 'return') return true;
    const next = n.succ.length === 1 ? this.cfg.nodes[n.succ[0]] : undefined;
    return next?.kind === 'return' && next.line === n.line && next.events.length === 0;
  }

  /**
   * A lock handed off only to consumers in return statements (`return hugetlb_no_page(…);`) is
   * judged at the function's other returns as if never handed off, when those returns can speak for
   * themselves: another return drops it with a release of the function's own (so dropping it here
   * is the function's job too, `hugetlb_fault()`'s `out_mutex`), no call outside a return statement
   * is given the lock or its object (a callee may drop it unseen: `xlog_wait(…, &log->l_icloglock)`,
   * `migration_entry_wait_huge(vma, …)`), and it is not a scope lock (RCU, lazy MMU) that any callee
   * may end. A function whose only release is the tail consumer hands the lock out on its other
   * returns (`return foo_fail(f);` … `return 0;` held for the caller).
   */
  private ownReturnsJudge(k: string, e: Entry, free: ReturnState[]): boolean {
    if (GLOBAL_LOCKS.has(k)) return false;
    if (!free.some((x) => { const f = x.s.locks.get(k); return f?.status === 'released' && !f.byCallee && f.releases.length > 0; })) return false;
    const root = rootOf(e.expr);
    const given = (a: string): boolean => a === e.expr || a === `&${e.expr}` || (root !== undefined && dependsOn(a, root));
    return !this.cfg.nodes.some((n) => !this.returnStatement(n) && n.events.some((ev) => ev.t === 'call' && ev.args.some(given)));
  }

  /** A held object given to a call that may keep it (`list_add(&folio->lru, &l)`, `batch_add(b, folio)`). */
  private park(s: State, args: string[]): State {
    let t: State | undefined;
    for (const [k, e] of s.locks) {
      if (e.status !== 'held' || e.parked) continue;
      const root = rootOf(e.expr);
      if (!root || !args.some((a) => a === root || a === e.expr || (a.startsWith(`${root}->`) || a.startsWith(`${root}.`)) && this.linksObject(e.expr, root, a, args))) continue;
      t ??= clone(s);
      t.locks.set(k, { ...e, parked: true });
    }
    return t ?? s;
  }

  /**
   * Does a call given `arg`, a field of the object `root` whose lock `expr` is held, get the object?
   * For a lock that is the object itself (`folio`), any field does (`&folio->lru`). For a lock in a
   * field of it (`vn->busy.lock`), only a field that links the object somewhere (LINK_FIELD: a list
   * node, a work item) given with a place outside the object: the tree root beside the lock
   * (`&vn->busy.root`) is what the lock guards.
   */
  private linksObject(expr: string, root: string, arg: string, args: string[]): boolean {
    if (expr === root) return true;
    const field = /^[A-Za-z_]\w*(?:->|\.)([A-Za-z_]\w*)$/.exec(arg)?.[1];
    // …and somewhere else to link it to: `list_replace_init(&vn->lazy.head, &vn->purge_list)` moves
    // entries between two lists of the object, which stays put.
    return field !== undefined && LINK_FIELD.test(field) && args.some((b) => !dependsOn(b, root));
  }

  /**
   * `get_user_pages_remote(…, &locked)`: the callee may drop the lock and says so
   * through the flag. Two outcomes: still held with the flag set, or dropped with it clear.
   */
  private flagCall(s: State, flag: string): State[] {
    const inverted = /unlock|drop/i.test(flag);
    const kept = clone(s);
    killFacts(kept, flag);
    kept.uninit.delete(flag);
    const dropped = clone(kept);
    kept.facts.set(flag, inverted ? 'zero' : 'nonzero');
    dropped.facts.set(flag, inverted ? 'nonzero' : 'zero');
    let any = false;
    for (const [k, e] of dropped.locks) {
      if (e.status !== 'held' || e.guard) continue;
      any = true;
      dropped.locks.set(k, { ...e, status: 'released', acquires: [], releases: [], callersDropped: e.fromCaller });
    }
    return any ? [kept, dropped] : [kept];
  }

  /** A callee that takes over our locks (migration API, read_folio helpers, same-file releasers). */
  private consume(s: State, e: Extract<Event, { t: 'call' }>): State {
    const released = this.fn.calleeReleases?.get(e.name);
    if (!e.consumes && !released) return s;
    let t: State | undefined;
    for (const [k, entry] of s.locks) {
      if (entry.status !== 'held' || entry.guard) continue;
      const domain = domainOf(k);
      const taken = (e.consumes && (e.consumes.domain === domain || e.consumes.also?.includes(domain)) && (!e.consumes.expr || e.consumes.expr === entry.expr))
        || released?.some((r) => r.domain === domain && [entry.expr, ...(entry.aliasNames ?? [])].some((x) => releasesHere(r, e.args, x)));
      if (!taken) continue;
      t ??= clone(s);
      // A same-file callee that drops it on every return: released here, as by an unlock (so a
      // return that skipped the call is judged against this one, see splitReturn). Only for a lock
      // it names (a parameter's or a global, not "any of the domain") spelt without calls here
      // (`EXT4_SB(inode->i_sb)->s_fc_lock` is unlocked as `sbi->s_fc_lock` too, unmatched).
      // (Not in a return statement: `return gpu_prepare_fail(obj);` answers for the lock with its own value.)
      if (!e.consumes && !entry.expr.includes('(') && !this.inReturn()
        && released?.some((r) => r.always && r.domain === domain && releasesExactly(r, e.args, entry.expr))) {
        t.locks.set(k, { status: 'released', kind: entry.kind, expr: entry.expr, acquires: [], releases: [{ line: e.line, column: this.current?.column ?? 1, text: `${e.name}(…)` }],
          fromCaller: false, trail: s.trail, escaped: false, guard: false, callersDropped: entry.fromCaller || entry.callersDropped });
        continue;
      }
      // The callee may or may not have dropped it (`do_vmi_munmap(…, unlock)`, an error path of
      // hugetlb_no_page()): a later release of it here is neither a double nor an unheld release.
      t.locks.set(k, maybeDropped(entry));
      this.handOff(entry.acquires, true, this.inReturn());
    }
    return t ?? s;
  }

  /** Is the assigned place this function's own (a local variable, or a field of a local struct)? */
  private isLocalTarget(target: string): boolean {
    if (target.startsWith('$')) return true;
    const root = rootOf(target);
    if (!root || target.startsWith('*')) return false;
    if (/^[A-Za-z_]\w*$/.test(target)) return this.locals.has(root) || this.cfg.params.includes(root);
    return this.locals.has(root) && !target.includes('->');
  }

  // ---- merge ---------------------------------------------------------------

  private mergeInto(id: number, s: State): boolean {
    const sig = signature(s);
    const states = this.inStates[id];
    const old = states.get(sig);
    if (!old) { states.set(sig, s); return true; }
    // Copy on write: a stored state may be the very object a successor stored (transfer passes
    // states on unchanged), so widening it in place would widen the successor too, unseen.
    let cur: State | undefined;
    const own = (): State => {
      if (!cur) { cur = clone(old); states.set(sig, cur); }
      return cur;
    };
    for (const [k, v] of old.facts) {
      const w = s.facts.get(k);
      if (w === v) continue;
      // -ENOSPC on one path, "non-zero" on the other: still non-zero.
      if ((v === 'neg' || v === 'nonzero') && (w === 'neg' || w === 'nonzero')) {
        if (v === 'neg') own().facts.set(k, 'nonzero');
      } else own().facts.delete(k);
    }
    // "Never assigned" must hold on every merged path, so the sets intersect.
    for (const u of old.uninit) if (!s.uninit.has(u)) own().uninit.delete(u);
    for (const [k, e] of s.locks) {
      const c = old.locks.get(k)!;
      const acquires = unionSites(c.acquires, e.acquires);
      const releases = unionSites(c.releases, e.releases);
      const escaped = c.escaped || e.escaped;
      const fromCaller = c.fromCaller || e.fromCaller;
      // "Released without having been taken" on one merged path is enough for the unheld-release check.
      const fromNothing = c.fromNothing || e.fromNothing;
      // Lost only when lost on every merged path.
      const lost = c.lost && e.lost ? true : undefined;
      const lostFresh = c.lostFresh && e.lostFresh ? true : undefined;
      // Facts forgotten at the release are those learnt under the lock on every merged path.
      const factsBefore = e.factsBefore === c.factsBefore || !e.factsBefore || !c.factsBefore
        || [...e.factsBefore.keys()].every((f) => c.factsBefore!.has(f))
        ? c.factsBefore ?? e.factsBefore : new Set([...c.factsBefore.keys(), ...e.factsBefore.keys()]);
      if (acquires !== c.acquires || releases !== c.releases || escaped !== c.escaped || fromCaller !== c.fromCaller
        || fromNothing !== c.fromNothing || lost !== c.lost || lostFresh !== c.lostFresh || factsBefore !== c.factsBefore) {
        own().locks.set(k, { ...c, acquires, releases, escaped, fromCaller, fromNothing, lost, lostFresh, factsBefore });
      }
    }
    return cur !== undefined;
  }

  // ---- exits ---------------------------------------------------------------

  private checkExits(): void {
    const wrapper = this.annotatedAcquirer() || (this.fn.acquireWrapper && this.fn.wrapperDomain === undefined);
    const byName = lockWrapperName(this.fn.name);
    // A `*_lock*` function (or a catalogue verb's own definition) locks something for its caller, but
    // an RCU or lazy-MMU section it also closes on some path (lock_vma_under_rcu()) is its own business:
    // left open elsewhere, it leaks. A catalogue verb hands out a lock of its own domain only.
    const wrapperFor = (k: string): boolean => wrapper
      || (this.fn.wrapperDomain !== undefined && (domainOf(k) === this.fn.wrapperDomain || !GLOBAL_LOCKS.has(k) || !this.releasesSomewhere(k)))
      || (byName && !(GLOBAL_LOCKS.has(k) && this.releasesSomewhere(k)));
    type Exit = ReturnState;
    const exits = this.returnStates();
    const byLock = new Map<string, { held: Exit[]; free: Exit[] }>();
    for (const x of exits) {
      for (const [k, e] of x.s.locks) {
        if (e.status !== 'held' || e.fromCaller || e.guard) continue;
        if (!byLock.has(k)) byLock.set(k, { held: [], free: [] });
      }
    }
    for (const [k, g] of byLock) {
      const split = this.splitReturn(k, exits);
      if (split) { this.reportSplit(k, split); continue; }
      // A wrapper hands its lock to the caller, but not one whose only name it overwrote while
      // held (see assign: `anon_vma = NULL;` with anon_vma's lock held), nor one it keeps while
      // answering NULL: no caller can name it.
      const wrapped = wrapperFor(k);
      for (const x of exits) {
        const e = x.s.locks.get(k);
        if (e?.status !== 'held') g.free.push(x);
        else if (!wrapped || ((e.lostFresh || this.nullWhileHandedOut(k, x, exits)) && !this.mayAlias(e.expr))) g.held.push(x);
      }
      if (wrapped && g.held.length === 0) continue;
      const releasedElsewhere = g.free.some((x) => x.s.locks.get(k)?.status === 'released');
      // …by a release, not a failed attempt (`if (down_write_killable(…)) goto error;`).
      const unlockedElsewhere = g.free.some((x) => { const f = x.s.locks.get(k); return f?.status === 'released' && !f.failedAt; });
      const leaking = g.held.filter((x) => {
        const e = x.s.locks.get(k)!;
        if (e.fromCaller || e.guard) return false;
        // Handed to the caller (`*ptlp = ptl`, `fw->ptl = ptl`, `target->folio = folio`).
        if (e.escaped) return false;
        // The locking call's result stored in the caller's memory (`vmf->pte = pte_offset_map_lock(…)`):
        // a hand-off, unless other returns release the lock.
        if (e.escapedByResult && !(e.storedObject ? unlockedElsewhere : releasedElsewhere)) return false;
        // `pvmw->ptl = *ptlp; spin_lock(pvmw->ptl); return true;` (map_pte()): locked for the caller.
        if (e.stored && e.acquires.every((a) => this.lastBeforeTrue.has(siteKey(a)))) return false;
        // Handed off on another path (put in a list and overwritten, given to a consumer), unless this
        // path lost it, or the only hand-offs were consumers called as `return hugetlb_no_page(…);`
        // and the function's other returns speak for themselves (see ownReturnsJudge).
        if (!e.lost && e.acquires.some((a) => this.handedOff.has(siteKey(a))) && !this.lostAtExit(k, e)
          && !(!e.acquires.some((a) => this.handedOffNotTail.has(siteKey(a))) && this.ownReturnsJudge(k, e, g.free))) {
          // The hand-off may be a call to a same-file function that always drops it: ask for the second pass.
          if (!this.fn.calleeReleases) this.wantsCallees = true;
          return false;
        }
        const r = x.node.ret;
        if (r?.hasLockCall) return false;
        // `return VM_FAULT_LOCKED`, `ret |= VM_FAULT_LOCKED`: the caller is told it gets the lock.
        if (r && /LOCKED/.test(r.text)) return false;
        if (r && e.resultVar && [e.resultVar, ...(e.aliases ?? [])].some((v) => r.vars.includes(v))) return false;
        if (r && r.vars.some((v) => this.cfg.lockedVars.has(v))) return false;
        // Returning the lock, or the object whose lock is held (`return p;` with p->lock held).
        const root = rootOf(e.expr);
        // (Not a lost lock's name: it denotes another object now, see assign.)
        if (r && root && !e.lost && r.vars.length === 1 && r.vars[0] === root) return false;
        if (r && !e.lost && /^[A-Za-z_]\w*$/.test(e.expr) && r.vars.includes(e.expr)) return false;
        // `lock_page(page);` as the function's last act: it locks for its caller.
        if (e.acquires.every((a) => this.lastActs.has(siteKey(a)))) return false;
        return true;
      });
      if (leaking.length === 0) continue;
      // A conditional wrapper's "not held" returns follow a failed or undone attempt.
      const attempted = g.free.every((x) => x.s.locks.get(k)?.status === 'released') || this.condAcquired.has(k);
      // The killable contract by constants (0 with the lock held, -E… without) only where the
      // function says so: a trylock or killable lock in it, an annotation, or a name that takes
      // something (TAKING_WORD). Said by none, `__damon_stop()` minus an unlock leaks. (The trylock
      // contract, 1 held and 0 not, stays: callers are told by the result, as pageout() tells.
      // So does one `return ret;` whose error values alone follow an unlock.)
      const style = attempted ? conditionalWrapperStyle(g.held, g.free) : undefined;
      const says = style !== 'killable' || this.condAcquired.has(k) || byName || this.annotatedAcquirer() || this.fn.acquireWrapper
        || this.fn.name.toLowerCase().split('_').some((p) => TAKING_WORD.test(p));
      if (style && says) continue;
      const first = leaking[0];
      const e = first.s.locks.get(k)!;
      const acq = e.acquires[0];
      if (style === 'killable') this.unsaid.add(`exit:${k}:${acq?.line}`);
      const lines = [...new Set(leaking.map((x) => x.node.line))].sort((a, b) => a - b);
      const unlockedOn = [...new Set(g.free.map((x) => x.node.line))].filter((l) => !lines.includes(l)).sort((a, b) => a - b);
      this.report(`exit:${k}:${acq?.line}`, {
        ruleId: 'lock/held-at-exit', site: acq ?? { line: first.node.line, column: first.node.column, text: '' }, lock: e.expr, key: k,
        message: `\`${e.expr}\` acquired at line ${acq?.line} is still held when ${this.fn.name}() returns at line ${lines.join(', ')}`
          + (unlockedOn.length ? `; it is not held on the returns at line ${unlockedOn.join(', ')}` : ''),
        related: [
          ...lines.map((l) => ({ line: l, column: 1, message: 'returns with the lock held' })),
        ],
        flow: [
          ...(acq ? [{ line: acq.line, column: acq.column, message: `acquires \`${e.expr}\`: ${acq.text}` }] : []),
          ...stepsSince(first.s.trail, e.trail),
          { line: first.node.line, column: first.node.column, message: `returns with \`${e.expr}\` held` },
        ],
      });
    }
  }

  /**
   * The lock's variable may name an object another name also reaches: it is compared with another
   * variable (`if (parent != dentry)`: __lock_parent() returns NULL with `dentry->d_lock`, the same
   * lock, held), or is a plain copy of one (`first = a;` before `spin_lock(&first->lock)`). A
   * wrapper's lock on such a variable may still be the caller's by its other name.
   */
  private mayAlias(expr: string): boolean {
    const root = rootOf(expr);
    if (!root || !/^[A-Za-z_]\w*$/.test(root)) return true;
    const other = (x: string | undefined): boolean => x !== undefined && x !== root && /^[A-Za-z_]\w*$/.test(x) && !/^[A-Z][A-Z0-9_]*$/.test(x);
    return this.cfg.nodes.some((n) => {
      const m = n.kind === 'branch' ? /^([A-Za-z_]\w*)\s*[!=]=\s*([A-Za-z_]\w*)$/.exec(n.atom?.key ?? '') : null;
      if (m && ((m[1] === root && other(m[2])) || (m[2] === root && other(m[1])))) return true;
      return n.events.some((e) => e.t === 'assign' && e.target === root && other(e.rhs));
    });
  }

  /**
   * A wrapper that hands out the lock by returning it, or the object whose lock it is (`return ptl;`,
   * `return vn;` with `vn->busy.lock` held), returns NULL here with that lock still held: NULL is the
   * "not locked" answer of such wrappers (pte_offset_map_lock), and the caller gets no name to
   * release it by.
   */
  private nullWhileHandedOut(k: string, x: ReturnState, exits: ReturnState[]): boolean {
    if (x.node.ret?.text !== 'NULL') return false;
    const e = x.s.locks.get(k);
    if (!e || e.fromCaller || e.guard || e.escaped || e.acquires.length === 0) return false;
    const names = [e.expr, rootOf(e.expr)].filter((n): n is string => !!n && /^[A-Za-z_]\w*$/.test(n));
    if (!names.some((n) => this.locals.has(n))) return false;
    return exits.some((o) => {
      const r = o.node.ret;
      const h = o.s.locks.get(k);
      return o !== x && h?.status === 'held' && !h.lost && r !== undefined && r.vars.length === 1 && names.includes(r.vars[0]) && r.text === r.vars[0];
    });
  }

  /**
   * One return statement that gives its caller nothing to tell the outcomes apart (no value, or
   * a constant) is reached on one path with a lock this function took and still holds, and on
   * another with that lock taken and released again here: whatever the contract, one of the two
   * is wrong (a deleted unlock before `goto out`). Hand-offs (the lock stored or its result
   * kept in the caller's memory, a callee or lock helper that may have dropped it) and functions
   * that track lock state in a variable of their own are left to the other exit checks.
   */
  private splitReturn(k: string, exits: ReturnState[]): { held: ReturnState; free: ReturnState; rel?: Site } | undefined {
    if (this.testsLockState() || this.cfg.lockedVars.size) return undefined;
    // `if (pml != ptl) spin_unlock(pml)`: released under another name when the two are one lock.
    if (this.comparedLock(k.slice(k.indexOf(':') + 1))) return undefined;
    const byNode = new Map<number, { held?: ReturnState; free?: ReturnState }>();
    for (const x of exits) {
      const r = x.node.ret;
      if (r && ((r.value === undefined && !this.verdictReturn(r)) || r.hasLockCall || /LOCKED/.test(r.text))) continue;
      const e = x.s.locks.get(k);
      if (!e) continue;
      const slot = byNode.get(x.node.id) ?? {};
      if (e.status === 'held') {
        if (e.acquires.length === 0 || e.fromCaller || e.guard || e.escaped || e.escapedByResult || e.stored
          || e.byCallee || e.byHelper || e.acquires.some((a) => this.handedOff.has(siteKey(a)))) continue;
        slot.held ??= x;
      } else {
        // (Merged paths keep the first failed attempt: real release sites are what counts.)
        if (droppedCallers(e) || e.byCallee || e.guard || e.releases.length === 0) continue;
        slot.free ??= x;
      }
      byNode.set(x.node.id, slot);
      if (slot.held && slot.free) {
        if (!r || r.value !== undefined) return { held: slot.held, free: slot.free };
        const rel = this.alikeAtRelease(r.vars[0], slot.held, slot.free.s.locks.get(k)!.releases);
        if (rel) return { held: slot.held, free: slot.free, rel };
      }
    }
    return undefined;
  }

  /**
   * For `return v;` reached with a lock released on one path and held on `kept`: a release site
   * from which v reaches the return unassigned, with v there as on the kept path (sameVerdict).
   * The states merged at the return cannot say it (a success path with v untested merges into the
   * released one), so the releasing path is read where it releases.
   */
  private alikeAtRelease(v: string, kept: ReturnState, releases: Site[]): Site | undefined {
    const idx = this.siteIndex();
    for (const r of releases) {
      const rn = idx.nodeOf.get(siteKey(r));
      if (rn === undefined || ![...this.inStates[rn].values()].some((s) => sameVerdict(v, s, kept.s))) continue;
      if (this.walk(rn, (n) => n.events.some((e) => (e.t === 'assign' && dependsOn(e.target, v)) || (e.t === 'call' && e.addrOf.includes(v))))[kept.node.id]) return r;
    }
    return undefined;
  }

  /** `return result;` of one scalar local: judged by sameVerdict. */
  private verdictReturn(r: ReturnInfo): boolean {
    return r.vars.length === 1 && r.text.trim() === r.vars[0] && this.verdictVar(r.vars[0]);
  }

  /** A scalar local (`int result`, `vm_fault_t ret`): what a callee's verdict is kept in. */
  private verdictVar(v: string): boolean {
    return this.locals.has(v) && !this.cfg.params.includes(v) && this.scalar(v);
  }

  /** See scalarVar. */
  private scalar(v: string): boolean {
    return scalarVar(v, this.cfg.types, this.cfg.pointers);
  }

  private reportSplit(k: string, split: { held: ReturnState; free: ReturnState; rel?: Site }): void {
    const e = split.held.s.locks.get(k)!;
    const acq = e.acquires[0];
    const at = split.held.node;
    const rel = split.rel ?? split.free.s.locks.get(k)!.releases[0];
    this.firm.add(`exit:${k}:${acq.line}`);
    this.report(`exit:${k}:${acq.line}`, {
      ruleId: 'lock/held-at-exit', site: acq, lock: e.expr, key: k,
      message: `\`${e.expr}\` acquired at line ${acq.line} is still held when ${this.fn.name}() returns at line ${at.line}`
        + `; the same return is reached with it released at line ${rel.line} on another path`,
      related: [{ line: at.line, column: 1, message: 'returns with the lock held' },
        { line: rel.line, column: rel.column, message: `released on another path to the same return: ${rel.text}` }],
      flow: [
        { line: acq.line, column: acq.column, message: `acquires \`${e.expr}\`: ${acq.text}` },
        ...stepsSince(split.held.s.trail, e.trail),
        { line: at.line, column: at.column, message: `returns with \`${e.expr}\` held` },
      ],
    });
  }

  /**
   * A function that ends with a lock released that it never acquired hands back
   * less than it got: fine for an unlock helper or an annotated function, a bug
   * otherwise. Reported only for locks no caller can be holding for it: scope
   * locks (RCU, lazy MMU), objects on this function's own stack, and categories
   * listed in RELEASE_UNHELD_ROOTS.
   */
  private checkUnheldReleases(split: Set<string>): void {
    if (this.unheldReleases.size === 0 || this.fn.acquireWrapper) return;
    // What the annotations hand in (`__releases(ptl)`, `__must_hold(&pvmw->ptl)`), by last name: they are
    // often spelt unlike the release (`__releases(RCU)`), so a same-named lock is theirs whatever its path.
    const handedByAnnotation = new Set(this.fn.annotations
      .filter((a) => a.name === 'releases' || a.name === 'must_hold' || a.name === 'cond_releases')
      .flatMap((a) => a.args.map((x) => lastName(x).toLowerCase())));
    // Unlock helpers (unlock/put/free… in the name) release what their caller took: not reported
    // here, but still handed to the cross-function check, which asks their callers.
    const closing = closingName(this.fn.name);
    for (const [k, sites] of this.unheldReleases) {
      // `lockdep_assert_held(l)` writes the contract down: the caller hands the lock in.
      if (this.asserted.has(k)) continue;
      const expr = k.slice(k.indexOf(':') + 1);
      if (handedByAnnotation.has(lastName(expr).toLowerCase()) || handedByAnnotation.has(domainOf(k))) continue;
      if (split.has(k)) continue;
      const category = this.rootCategory(k, expr);
      // An unlock helper may recompute the address of a lock its caller took (`pmd_lockptr(mm, pmd)`
      // names the very lock `pmd_lock(mm, pmd)` took): only other functions are judged.
      const address = category === 'local' && !closing && this.takesOtherOfDomain(k) ? this.lockAddressOnly(expr, sites) : undefined;
      if (address && !sites.some((site) => this.underOwnFlag(site))) {
        this.reportUntaken(k, expr, sites, `; it holds only the address ${address.call}() gives at line ${address.line}, which takes no lock, so no caller holds it`,
          [{ line: address.line, column: 1, message: `\`${expr}\` set by ${address.call}(), which does not lock` }]);
        continue;
      }
      // `spin_unlock_irqrestore(l, flags)` with a local `flags` no path from the start saved: a
      // caller's lock would come with the caller's flags, so this release drops nothing it holds.
      const unsaved = this.unsavedFlags(sites);
      if (unsaved) {
        this.reportUntaken(k, expr, [unsaved.site], `, restoring IRQ flags \`${unsaved.flags}\` that nothing on any path to it saves; a caller's lock comes with the caller's flags, so no caller holds it`,
          [{ line: unsaved.declared, column: 1, message: `\`${unsaved.flags}\` declared here without a value` }],
          `releases \`${expr}\` with flags never saved on this path`);
        continue;
      }
      // The function takes this very lock itself, blocking, on a path where it had not touched it:
      // a caller holding it would hang there, so callers do not hold it and this release drops
      // nothing (a deleted or missing acquire). Not when a flag of ours decides which path runs.
      // Cheap tests first; a function that also leaves the lock held (a lock/unlock toggle, a
      // notifier taking it on one call and dropping it on the next) is not judged here.
      const fresh = this.freshTaken.has(k) && !handedByAnnotation.size && this.sameObjectThroughout(k, expr, category)
        && !this.takesAlike(k) && !this.opens(k) && !this.returnsHeld().includes(k) && !this.neverReleased().includes(k)
        && !this.testsLockState() && !sites.some((site) => this.underOwnFlag(site))
        ? this.freshTaken.get(k)!.filter((a) => sites.every((r) => this.freshProof(k, a, r))) : [];
      if (fresh.length) {
        this.reportUntaken(k, expr, sites, `; it takes it itself at line ${fresh.map((a) => a.line).join(', ')}, so no caller holds it`,
          fresh.map((a) => ({ line: a.line, column: a.column, message: `${this.fn.name}() acquires \`${expr}\` here without holding it before` })));
        continue;
      }
      // An annotated function may drop more than it names (xfs_iget_recycle() "drops the i_flags_lock
      // and the rcu read lock" but says only the first): of the rest, only its own objects and the
      // locks its callers can be asked about.
      if (handedByAnnotation.size && category !== 'stack' && category !== 'param' && category !== 'local') continue;
      // Ends released on some return, having dropped more than it took: the caller's lock is gone.
      const ends = this.returnStates().some(({ s: st }) => {
        const e = st.locks.get(k);
        return e !== undefined && droppedCallers(e);
      });
      if (!ends) continue;
      // An object on this function's stack cannot be a caller's lock, whatever the function is called.
      if ((closing && category !== 'stack') || !(this.fn.unheldRoots ?? DEFAULT_UNHELD_ROOTS).includes(category)) {
        // Whether a caller hands this lock in is for the cross-function check to decide.
        const root = rootOf(expr) ?? '';
        // A local filled by a locking call (`f = get_folio(…, TRYLOCK)`, `get(&f)`) may come back
        // locked from that callee: not a caller's lock.
        const fromCallee = category === 'local' && this.fromCallee(k);
        if ((category === 'param' || category === 'global' || category === 'scope' || (category === 'local' && !fromCallee)) && !this.onlyTried(k)) {
          const paramIndex = category === 'param' ? this.cfg.params.indexOf(root) : undefined;
          this.candidates.push({ key: k, expr, root: category === 'scope' ? 'global' : category, owners: this.takesAlike(k) || this.opens(k) ? [] : this.ownerKeys(k),
            ...this.takenAt(k),
            ...(paramIndex !== undefined ? { paramIndex } : {}), sites, closing, ownLocks: this.takesAnything(),
            // (A NULL test of the object itself, `folio = NULL; … if (!folio)`, is no bookkeeping.)
            ownFlag: sites.some((site) => this.underOwnFlag(site, root)) });
        }
        continue;
      }
      const site = sites[0];
      this.report(`unheld:${k}:${site.line}`, {
        ruleId: 'lock/release-unheld', site, lock: expr, key: k,
        message: `\`${expr}\` is released at line ${sites.map((x) => x.line).join(', ')} but ${this.fn.name}() never acquires it`
          + (category === 'stack' ? ` (\`${rootOf(expr)}\` is this function's own object)` : '')
          + (category === 'scope' ? ' (no caller can hand over this lock; annotate __releases if intended)' : ''),
        related: [],
        flow: [{ line: site.line, column: site.column, message: `releases \`${expr}\` without acquiring it` }],
      });
    }
  }

  /**
   * A release at `sites` of a lock this function has not taken there, with the reason (`why`, which
   * begins with its own punctuation) no caller can be holding it either.
   */
  private reportUntaken(k: string, expr: string, sites: Site[], why: string, related: Diagnostic['related'],
    step = `releases \`${expr}\` without acquiring it on this path`): void {
    const site = sites[0];
    this.report(`unheld:${k}:${site.line}`, {
      ruleId: 'lock/release-unheld', site, lock: expr, key: k,
      message: `\`${expr}\` is released at line ${sites.map((x) => x.line).join(', ')} on a path where ${this.fn.name}() has not acquired it${why}`,
      related, flow: [{ line: site.line, column: site.column, message: step }],
    });
  }

  /**
   * Every value the local lock pointer `v` takes is a lock address from LOCK_ADDRESS_CALLS or
   * LOCK_ADDRESS_FILLS (`src_ptl = pmd_lockptr(…)`, `pte_offset_map_nolock(…, &src_ptl)`), none from
   * anything else (a parameter, another call): the first such site, else undefined.
   */
  private lockAddressOnly(v: string, sites: Site[]): { call: string; line: number } | undefined {
    if (!/^[A-Za-z_]\w*$/.test(v) || this.testsLockState()) return undefined;
    // `if (ptl != pml)`: the function knows the address may be a lock it holds under another name
    // (`pte_unmap_unlock(start_pte, ptl)` with ptl == pml held as pml). Unless each release sits
    // right under such a test (`if (new_ptl != old_ptl) spin_unlock(new_ptl)`): there the two differ.
    if (this.comparedLock(v) && !sites.every((site) => this.guardsAbove(site).some((g) => comparesVar(g.atom, v)))) return undefined;
    let first: { call: string; line: number } | undefined;
    for (const n of this.cfg.nodes) {
      for (const e of n.events) {
        if (e.t === 'assign' && e.target === v && e.value !== 'uninit') {
          const call = /^([A-Za-z_]\w*)\(/.exec(e.rhs ?? '')?.[1];
          if (!call || !LOCK_ADDRESS_CALLS.includes(call) || e.iter) return undefined;
          first ??= { call, line: e.line };
        } else if (e.t === 'call' && e.addrOf.includes(v)) {
          if (!LOCK_ADDRESS_FILLS.includes(e.name)) return undefined;
          first ??= { call: e.name, line: e.line };
        }
      }
    }
    return first;
  }

  /**
   * The first of `sites` that restores IRQ flags (`spin_unlock_irqrestore(l, flags)`) from a
   * non-static scalar local declared without a value, reached from the function's start with
   * nothing on any path to it writing the flags: no assignment, no `&flags`, no call or lock verb
   * given them (`local_irq_save(flags)`, `spin_lock_irqsave(l, flags)`; any call counts, a macro
   * may assign its argument).
   */
  private unsavedFlags(sites: Site[]): { site: Site; flags: string; declared: number } | undefined {
    // Writes no event shows: inline assembly outputs, a macro of this file that names the flags
    // itself (`#define GDEV_LOCK(d) spin_lock_irqsave(&(d)->lock, flags)` called as GDEV_LOCK(d)).
    if (this.cfg.hasAsm || this.callsLockishMacro()) return undefined;
    const { nodeOf } = this.siteIndex();
    for (const site of sites) {
      const id = nodeOf.get(siteKey(site));
      if (id === undefined) continue;
      const node = this.cfg.nodes[id];
      const at = node.events.findIndex((e) => e.t === 'lock' && e.site.line === site.line && e.site.column === site.column);
      const rel = node.events[at];
      const v = rel?.t === 'lock' ? rel.flags : undefined;
      if (!v || !/^[A-Za-z_]\w*$/.test(v) || !this.cfg.locals.has(v) || this.cfg.params.includes(v)
        || this.cfg.staticLocals.has(v) || !SCALAR_TYPE.test(this.cfg.types.get(v) ?? '')) continue;
      const word = new RegExp(`\\b${v}\\b`);
      let declared = 0;
      const writes = (e: Event): boolean => {
        if (e.t === 'assign') {
          // `fp = &flags;` lets anything write it later (normalised values drop the `&`, so any
          // value that reads the flags counts).
          if (e.rhs && word.test(e.rhs)) return true;
          if (e.target !== v) return false;
          if (e.value === 'uninit') { declared = e.line; return false; }
          return true;
        }
        if (e.t === 'call') return e.args.some((a) => word.test(a));
        if (e.t === 'lock') return e.flags !== v && word.test(e.site.text);
        return false;
      };
      // Nothing may write the flags on any path to the release (a save on another branch may be
      // the one that runs, by a correlation the walk does not follow). Then the release reads
      // flags never set whenever it runs, whatever the branches: no correlation can make it right.
      // The release's own statement counts up to it; then walk back to the start.
      if (node.events.slice(0, at).some(writes)) continue;
      const preds = this.predecessors();
      const seen = new Set<number>([id]);
      const work = [...preds[id]];
      let written = false;
      let reachesStart = false;
      while (work.length) {
        const n = this.cfg.nodes[work.pop()!];
        if (seen.has(n.id)) continue;
        seen.add(n.id);
        if (n.events.some(writes)) { written = true; break; }
        if (n.kind === 'entry') { reachesStart = true; continue; }
        work.push(...preds[n.id]);
      }
      if (!written && reachesStart && declared) return { site, flags: v, declared };
    }
    return undefined;
  }

  /**
   * A branch on a path from one of `acquires` to `site` tests a scalar local or parameter that a
   * test right above that acquire also read (`if (kind == HUGE) ptl = pmd_lock(…)`, then
   * `switch (kind)`): the paths may be correlated in a way the facts do not follow.
   */
  private retestsGuard(acquires: Site[], site: Site): boolean {
    const idx = this.siteIndex();
    const target = idx.nodeOf.get(siteKey(site));
    if (target === undefined) return true;
    const own = (v: string): boolean => this.ownVar(v) && this.scalar(v);
    for (const a of acquires) {
      const start = idx.nodeOf.get(siteKey(a));
      if (start === undefined) return true;
      const guarded = new Set(this.guardsAbove(a).flatMap((g) => g.atom?.vars.filter(own) ?? []));
      if (!guarded.size) continue;
      const from = this.reach(start);
      // A test, or a switch (whose cases are no atoms of their own).
      const reads = (n: CfgNode): string[] => n.atom?.vars ?? (n.step?.startsWith('switch') ? varsOf(n.step.slice(6)) : []);
      if (this.cfg.nodes.some((n) => from[n.id] === 1 && this.reach(n.id)[target] === 1
        && reads(n).some((v) => guarded.has(v)))) return true;
    }
    return false;
  }

  /**
   * Some call other than a lock verb is given the lock (`drop_ptl(&ptl)`) or, for a lock in a
   * field, its object (`gpu_huge_fault(vmf)` with `vmf->ptl`): it may drop the lock unseen.
   */
  private givenToCall(expr: string): boolean {
    const root = expr.includes('->') || expr.includes('.') ? rootOf(expr) : undefined;
    return this.cfg.nodes.some((n) => n.events.some((e) => e.t === 'call'
      && e.args.some((a) => a === expr || (root !== undefined && (a === root || a.startsWith(`${root}->`) || a.startsWith(`${root}.`))))));
  }

  /** The function calls an upper-case macro whose name speaks of locking or IRQ state (`CRITBEGIN`, `GDEV_LOCK`). */
  private callsLockishMacro(): boolean {
    return this.cfg.nodes.some((n) => n.events.some((e) => e.t === 'call' && /^[A-Z][A-Z0-9_]*$/.test(e.name)
      && /LOCK|SAVE|IRQ|FLAG|CRIT/.test(e.name)));
  }

  /** Some test compares lock pointer `v` with another (`ptl != pml`): the two may name one lock. */
  private comparedLock(v: string): boolean {
    return /^[A-Za-z_]\w*$/.test(v) && this.cfg.nodes.some((n) => comparesVar(n.atom, v));
  }

  /**
   * The function takes another lock of `key`'s domain itself (`dst_ptl = pmd_lock(dst_mm, dst_pmd)`
   * before the nested `src_ptl`): it does its own page-table locking, so a lock address it
   * computes is one it means to take, not its caller's lock recomputed (`my_pmd_unlock()`).
   */
  private takesOtherOfDomain(key: string): boolean {
    const domain = domainOf(key);
    return this.cfg.nodes.some((n) => n.events.some((e) => e.t === 'lock' && e.verb.op === 'acquire' && e.key !== key
      && e.verb.domain === domain));
  }

  /**
   * The tests right above a lock event, through straight-line code: the branch it hangs on, and
   * the other parts of the same && / || condition, which come first (`if (ongoing && task != current)`).
   */
  private guardsAbove(site: Site): CfgNode[] {
    const out: CfgNode[] = [];
    let id = this.siteIndex().nodeOf.get(siteKey(site));
    const preds = this.predecessors();
    for (let i = 0; i < 8 && id !== undefined; i++) {
      const ps = preds[id];
      if (ps.length !== 1) break;
      const p = this.cfg.nodes[ps[0]];
      if (p.kind === 'branch') {
        out.push(p);
        if (!p.part) break;
      }
      id = p.id;
    }
    return out;
  }

  /** Reports caller splits (see callerSplit) of every caller's lock some return leaves dropped; their keys. */
  private checkCallerSplits(): Set<string> {
    const out = new Set<string>();
    if (this.fn.acquireWrapper) return out;
    const tried = new Set<string>();
    for (const { s: st } of this.returnStates()) {
      for (const [k, e] of st.locks) {
        if (tried.has(k) || !droppedCallers(e) || k.startsWith('*:')) continue;
        // callerSplit looks at every return itself: once per key.
        tried.add(k);
        const expr = k.slice(k.indexOf(':') + 1);
        const split = this.callerSplit(k, expr, this.rootCategory(k, expr));
        if (!split) continue;
        out.add(k);
        this.reportCallerSplit(k, expr, split);
      }
    }
    return out;
  }

  /**
   * A lock this function releases without having taken it is its caller's, handed in held. When
   * one return drops it and another return keeps it, and neither tells the caller which happened
   * (no value, or the same constant), the caller cannot know whether it still holds the lock: one
   * of the two paths is wrong (a deleted acquire before the release, or a missing release on an
   * early return). Only for a lock that names one object throughout (a parameter's, a global), in
   * a function that does not track lock state in a flag or test it.
   */
  private callerSplit(k: string, expr: string, category: string): { dropped: ReturnState; kept: ReturnState; rel?: Site } | undefined {
    if (category !== 'param' && category !== 'global' && category !== 'scope') return undefined;
    // An unlock helper (`unlock_cluster()`, `vma_pgtable_walk_end()`) releases only what was taken, by design.
    if (closingName(this.fn.name)) return undefined;
    if (this.testsLockState() || this.cfg.lockedVars.size || this.forgotten.has(k)) return undefined;
    if (!this.sameObjectThroughout(k, expr, category)) return undefined;
    const tell = (x: ReturnState): string | undefined => {
      const r = x.node.ret;
      if (!r) return 'void';
      if (r.hasLockCall || /LOCKED/.test(r.text)) return undefined;
      // `return result;`: alike when sameVerdict says so (checked once both paths are found).
      if (r.value === undefined) return this.verdictReturn(r) ? `$${r.vars[0]}` : undefined;
      return r.text.replace(/\s+/g, '');
    };
    const dropped = new Map<string, ReturnState>();
    const kept = new Map<string, ReturnState>();
    for (const x of this.returnStates()) {
      const t = tell(x);
      if (t === undefined) continue;
      const e = x.s.locks.get(k);
      // Kept: never touched here, or held as the caller's (asserted held, or dropped and taken back).
      if (!e || (e.status === 'held' && e.fromCaller && !e.byCallee && !e.byHelper && !e.guard)) {
        if (!x.s.locks.has(`*:${expr}`) && !kept.has(t)) kept.set(t, x);
      } else if (droppedCallers(e) && !e.byCallee && !e.byHelper && !e.guard
        && e.releases.length && !dropped.has(t)) dropped.set(t, x);
      if (dropped.has(t) && kept.has(t)) {
        const found = { dropped: dropped.get(t)!, kept: kept.get(t)! };
        // `return result;`: the release whose path returns the same kind of verdict is the one judged.
        const rel = t.startsWith('$') ? this.alikeAtRelease(t.slice(1), found.kept, found.dropped.s.locks.get(k)!.releases) : undefined;
        if (t.startsWith('$') && !rel) return undefined;
        const split = rel ? { ...found, rel } : found;
        return this.plainSplit(k, expr, split) ? split : undefined;
      }
    }
    return undefined;
  }

  /**
   * The two paths of a caller split part for no reason tied to the lock: no test that tells them
   * apart reads the lock or its object (`if (mapping) i_mmap_unlock_read(mapping)` releases what
   * the caller took on the same test), and the kept path gives the object to no call (which may
   * release it for us: `swap_read_folio_bdev_async(folio, …)`).
   */
  private plainSplit(k: string, expr: string, split: { dropped: ReturnState; kept: ReturnState; rel?: Site }): boolean {
    const rel = split.rel ?? split.dropped.s.locks.get(k)!.releases[0];
    const rn = this.siteIndex().nodeOf.get(siteKey(rel));
    if (rn === undefined) return false;
    const intoR = this.reachersOf(rn);
    const intoK = this.reachersOf(split.kept.node.id);
    const keeps = this.reachersOf(split.kept.node.id, (n) => n.events.some((e) => e.t === 'lock' && e.key === k && e.verb.op !== 'acquire'));
    const afterR = this.reach(rn);
    const root = rootOf(expr) ?? expr;
    // Variables that may carry the lock's state: set from a call (`ce = cache_refresh_path(…)` comes
    // back locked unless IS_ERR), through `&` by a call (`__bio_alloc_page_pool(c, &using_mempool)`),
    // or holding the object (`ctx = { .cur_folio = folio }`, `nbh = ctxt->newbh`); and scalar
    // parameters (`cancel_budget(…, appending)`: the caller says whether to unlock).
    const carriers = new Set<string>([...this.cfg.fromCalls]);
    const results = new Set<string>();
    const fromCall = (rhs: string): boolean => calleesIn(rhs).some((f) => !VALUE_CALL.test(f));
    // A scalar local set both by plain verdicts and by a call that may take or drop the lock
    // (`result = __collapse_huge_page_swapin(…)`) carries lock state only where that value reaches.
    const verdicts = new Set<string>();
    const carrierDefs = new Map<string, Set<number>>();
    for (const n of this.cfg.nodes) {
      for (const e of n.events) {
        if (e.t === 'call') for (const a of e.addrOf) carriers.add(rootOf(a) ?? a);
        else if (e.t === 'assign' && e.rhs && dependsOn(e.rhs, root)) {
          if (this.plainVerdict(e.target, e.rhs)) verdicts.add(e.target);
          else { carriers.add(e.target); carrierDefs.set(e.target, (carrierDefs.get(e.target) ?? new Set()).add(n.id)); }
        } else if (e.t === 'assign' && e.rhs && fromCall(e.rhs)) results.add(e.target);
      }
    }
    const mixed = new Set([...verdicts].filter((v) => carrierDefs.has(v) && !this.cfg.fromCalls.has(v)));
    // A call's result tested for NULL or an error (`if (!IS_ERR(ce))`), not a count compared.
    const testsResult = (a: Atom): boolean => a.subject !== undefined && results.has(a.subject)
      && (a.op === 'truthy' || a.op === '==0' || a.op === '!=0' || a.op === 'IS_ERR' || a.op === 'IS_ERR_OR_NULL');
    for (const p of this.cfg.params) if (SCALAR_TYPE.test(this.cfg.types.get(p) ?? '')) carriers.add(p);
    const reads = (v: string): boolean => v === root || v === expr || dependsOn(v, root) || carriers.has(rootOf(v) ?? v);
    const readsAt = (n: CfgNode, v: string): boolean => (mixed.has(v) ? this.reachingDefs(n.id, v).some((d) => carrierDefs.get(v)!.has(d)) : reads(v));
    // The lock is the caller's, untouched or held, on some path into `n`.
    const keptAt = (n: CfgNode): boolean => [...this.inStates[n.id].values()].some((st) => {
      const e = st.locks.get(k);
      return !e || (e.status === 'held' && e.fromCaller === true && !e.byCallee);
    });
    // The test right above the release: `if (!IS_ERR(ce)) up_read(…)` releases what the call took.
    if (this.guardsAbove(rel).some((g) => g.atom !== undefined && testsResult(g.atom))) return false;
    // A lock helper given the object on the way to the release may be what took the lock
    // (`svm_range_list_lock_and_flush_work(&p->svms, current->mm)` write-locks current->mm).
    const helperTook = this.cfg.nodes.some((n) => intoR[n.id] && n.id !== rn && n.events.some((e) => e.t === 'call'
      && lockHelper(e.name) && e.args.some((a) => a === expr || dependsOn(a, root) || dependsOn(expr, a))));
    if (helperTook) return false;
    for (const n of this.cfg.nodes) {
      if (!intoK[n.id]) continue;
      // (A test with a way that avoids the release and returns: a BUG_ON()'s way returns nowhere.
      // Only where the lock is still the caller's: a test after a callee dropped it is not between the two.)
      if (n.succ.length > 1 && intoR[n.id] && n.succ.some((x) => intoR[x]) && n.succ.some((x) => !intoR[x] && this.returning()[x]) && keptAt(n)) {
        if (!n.atom || n.atom.vars.some((v) => readsAt(n, v)) || (n.atom.subject !== undefined && readsAt(n, n.atom.subject))) return false;
      }
      // The kept path alone calls something that may release the lock: given its object, or any call
      // that is not read-only (a work item holding the object, a callee dropping a global lock).
      // (On a path that keeps it: one that releases it before the return, a success path sharing the
      // `return result;`, is not the kept path.)
      // (A same-file callee that drops it for its caller is followed in the states already: `byCallee`.
      // Those are known on the second pass only; the first asks for one.)
      if (!intoR[n.id] && !afterR[n.id] && keeps[n.id] && n.events.some((e) => e.t === 'call' && !this.fn.calleeReleases?.has(e.name)
        && (!e.readOnly || e.args.some(reads)))) {
        if (!this.fn.calleeReleases) this.wantsCallees = true;
        return false;
      }
      // After the release, the function tells its caller through its memory (`c->dropped = 1`).
      if (afterR[n.id] && n.events.some((e) => e.t === 'assign' && e.target !== root && !dependsOn(e.target, root)
        && this.cfg.params.includes(rootOf(e.target) ?? '') && /^\*|->|\[/.test(e.target))) return false;
    }
    return true;
  }

  /** Nodes from which some return statement is reachable (not a BUG() or panic() path); computed once. */
  private returning(): Uint8Array {
    this.returners ??= this.reachersOf(this.cfg.nodes.filter((n) => n.kind === 'return').map((n) => n.id));
    return this.returners;
  }

  private returners?: Uint8Array;

  /** The nodes whose assignment to `v` may reach node `id` (one backward walk, stopping at them). */
  private reachingDefs(id: number, v: string): number[] {
    const preds = this.predecessors();
    const seen = new Uint8Array(this.cfg.nodes.length);
    const out: number[] = [];
    const stack = [...preds[id]];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen[n]) continue;
      seen[n] = 1;
      if (this.cfg.nodes[n].events.some((e) => (e.t === 'assign' && e.target === v) || (e.t === 'call' && e.addrOf.includes(v)))) { out.push(n); continue; }
      stack.push(...preds[n]);
    }
    return out;
  }

  /**
   * `result = hugepage_vma_revalidate(mm, …)`: a scalar local given the result of a call that is no
   * lock operation (not lock-named, not a same-file function that takes or drops a lock for its
   * caller). It says how the callee fared, not whether a lock is held, so it carries no lock state.
   */
  private plainVerdict(target: string, rhs: string): boolean {
    const m = CALL_RESULT.exec(rhs);
    if (!m || !rhs.endsWith(')') || !this.locals.has(target) || !this.scalar(target)) return false;
    const f = m[1];
    return !/lock/i.test(f) && !this.fn.calleeAcquires?.has(f) && !this.fn.calleeReleases?.has(f);
  }

  private reportCallerSplit(k: string, expr: string, split: { dropped: ReturnState; kept: ReturnState; rel?: Site }): void {
    const rel = split.rel ?? split.dropped.s.locks.get(k)!.releases[0];
    const at = split.kept.node;
    this.report(`unheld:${k}:${rel.line}`, {
      ruleId: 'lock/release-unheld', site: rel, lock: expr, key: k,
      message: (this.takenAt(k).takenAt !== undefined
        ? `\`${expr}\` released at line ${rel.line} is the caller's lock (${this.fn.name}() drops the caller's and takes it back);`
        : `\`${expr}\` is released at line ${rel.line} without being acquired in ${this.fn.name}(), so it is the caller's lock;`)
        + ` but ${this.fn.name}() returns at line ${at.line} without releasing it on another path, and the caller cannot tell which happened`,
      related: [{ line: at.line, column: at.column, message: `returns with the caller's \`${expr}\` still held` }],
      flow: [
        ...stepsSince(split.kept.s.trail, null).slice(-12),
        { line: at.line, column: at.column, message: `returns without releasing \`${expr}\`` },
      ],
    });
  }

  /**
   * Domains of caller's locks this function returns without (`hugetlb_no_page()` drops the vma
   * lock). A drop-and-retake helper (`spin_unlock(l); cond_resched(); spin_lock(l);`) is not one.
   */
  private droppedForCaller(): CalleeRelease[] {
    const out = new Map<string, CalleeRelease>();
    const exits = this.returnStates();
    for (const { s: st } of exits) {
      for (const [k, e] of st.locks) {
        if (!droppedCallers(e) || e.byCallee || out.has(k)) continue;
        const always = exits.every((x) => { const f = x.s.locks.get(k); return f !== undefined && droppedCallers(f) && !f.byCallee; });
        out.set(k, { ...this.callerTerms(k, e.expr), ...(always ? { always } : {}) });
      }
    }
    return [...out.values()];
  }

  /** Lock `key` (spelt `expr` here) as a caller names it: argument `param` plus `path`, a global, or only its domain. */
  private callerTerms(key: string, expr: string): CalleeRelease {
    const domain = domainOf(key);
    const root = rootOf(expr);
    const param = root && !expr.startsWith('*') ? this.cfg.params.indexOf(root) : -1;
    const path = param >= 0 ? expr.slice(root!.length) : '';
    const category = this.rootCategory(key, expr);
    return param >= 0 && (path === '' || /^(->|\.)/.test(path)) ? { domain, param, path }
      : category === 'global' || category === 'scope' ? { domain, global: expr } : { domain };
  }

  private releasesSomewhere(key: string): boolean {
    for (const [id, p] of this.pairs) if (p.releases.size && pairKey(id) === key) return true;
    return false;
  }

  /**
   * The function acquires some lock itself. An unlock helper (`slab_stop()`, `hugetlb_vma_unlock_write()`)
   * mostly only releases; a function that also takes locks (`kmem_cache_destroy()`,
   * `__update_and_free_hugetlb_folio()`) is more likely named for its object than for closing a
   * caller's lock (handover.ts weighs this for global locks).
   */
  private takesAnything(): boolean {
    // RCU and lazy-MMU sections are taken around a piece of work by closers too (dlm_midcomms_commit_mhandle()).
    for (const [id, p] of this.pairs) if (p.acquire && !GLOBAL_LOCKS.has(pairKey(id))) return true;
    return false;
  }

  /** The lock's root is a local some call fills (`f = get_folio(…)`, `get(&f)`): it may come back locked from that callee. */
  private fromCallee(key: string): boolean {
    const expr = key.slice(domainOf(key).length + 1);
    const root = rootOf(expr);
    return root !== undefined && this.locals.has(root) && !this.cfg.params.includes(root) && this.cfg.fromCalls.has(root);
  }

  /** Keys of locks taken here and released nowhere in this function (kept, handed on, or lost track of). */
  private neverReleased(): string[] {
    const out: string[] = [];
    for (const [id, p] of this.pairs) if (p.acquire && p.releases.size === 0) out.push(pairKey(id));
    return out;
  }

  private returnsHeld(): string[] {
    const out = new Set<string>();
    for (const { s: st } of this.returnStates()) {
      for (const [k, e] of st.locks) if (e.status === 'held' && !e.fromCaller && !e.guard) out.add(k);
    }
    return [...out];
  }

  /** Every state that reaches a return, with its return node (computed once, after the fixpoint). */
  private returnStates(): ReturnState[] {
    if (this.exitStates) return this.exitStates;
    const out: ReturnState[] = [];
    for (const node of this.cfg.nodes) {
      if (node.kind !== 'return') continue;
      for (const s of this.inStates[node.id].values()) out.push({ node, s });
    }
    this.exitStates = out;
    return out;
  }

  /** Lock state at a call, unioned over every state that reaches it. */
  private noteCall(s: State, e: Extract<Event, { t: 'call' }>): void {
    const id = `${e.line}:${e.name}`;
    let c = this.callLocks.get(id);
    if (!c) { c = { callee: e.name, line: e.line, held: [], released: [], args: e.args, ...(e.addrOf.length ? { addrOf: e.addrOf } : {}) }; this.callLocks.set(id, c); }
    for (const [k, entry] of s.locks) {
      if (entry.byHelper) continue;
      // A callee that may have dropped it (`byCallee`) may as well not have: still held, for callees' sake.
      const held = entry.status === 'held' || entry.byCallee === true;
      const list = held ? c.held : c.released;
      if (!list.includes(k)) list.push(k);
      if (held && /^[A-Za-z_]\w*$/.test(entry.expr) && this.rootCategory(k, entry.expr) === 'global') {
        c.globals ??= [];
        if (!c.globals.includes(k)) c.globals.push(k);
      }
    }
  }

  /**
   * The names under which functions' uses of a lock are compared (handover.ts): the owner of the
   * lock field and the field. `spin:pool->lock` with `struct zs_pool *pool` gives
   * ['spin:zs_pool.lock', 'spin:pool.lock'] (type first); `spin:cc->zone->lock` gives
   * ['spin:zone.lock']; a bare name, a call or an untyped variable's field gives none.
   */
  private ownerKeys(key: string): string[] {
    const domain = domainOf(key);
    const parts = key.slice(domain.length + 1).replace(/^[&*]+/, '').replace(/\[[^\]]*\]/g, '').split(/->|\./);
    if (!parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) return [];
    const isVar = (n: string): boolean => this.locals.has(n) || this.cfg.params.includes(n);
    if (parts.length === 1) return isVar(parts[0]) || GLOBAL_LOCKS.has(key) ? [] : [`${domain}:${parts[0]}`]; // a global lock
    const last = parts[parts.length - 1];
    const owner = parts[parts.length - 2];
    if (parts.length > 2) return [`${domain}:${owner}.${last}`];
    const type = this.cfg.types.get(owner);
    if (!isVar(owner)) return [`${domain}:${owner}.${last}`]; // a global object: its name is its identity
    return type && /^[A-Za-z_]\w*$/.test(type) ? [`${domain}:${type}.${last}`, `${domain}:${owner}.${last}`] : [];
  }

  /**
   * The function takes a lock of the same domain and field name under another name somewhere
   * (`down_write(&a->l)` then `up_write(&b->l)` with b == a on some path), or a lock helper made
   * us forget this one: a release of it "never taken" is more likely our lost track than a
   * missing acquire.
   */
  private takesAlike(key: string): boolean {
    const domain = domainOf(key);
    const field = fieldOf(key);
    if (this.forgotten.has(key)) return true;
    for (const [id, p] of this.pairs) {
      const other = pairKey(id);
      if (!p.acquire || !id.startsWith(`${domain}:`) || fieldOf(other) !== field) continue;
      if (other !== key) return true;
      // Taken under this very name elsewhere: the untaken release is a bug unless a flag this
      // function sets decides it (`if (trans->removing_chunk) mutex_unlock(…)`).
      if ((this.unheldReleases.get(key) ?? []).some((site) => this.underOwnFlag(site))) return true;
    }
    return false;
  }

  private takenAt(key: string): { takenAt?: number } {
    const lines = [...this.pairs].filter(([id, p]) => p.acquire && pairKey(id) === key).map(([, p]) => p.acquire!.line);
    return lines.length ? { takenAt: Math.min(...lines) } : {};
  }

  /**
   * The function takes `key` only by trying (`if (raw_spin_trylock(&l)) …`): its untaken release
   * may follow a failed try, matched by state we do not track (kgdb_cpu_enter()'s kgdb_active).
   */
  private onlyTried(key: string): boolean {
    let tried = false;
    for (const n of this.cfg.nodes) {
      for (const e of n.events) {
        if (e.t !== 'lock' || e.key !== key || e.verb.op !== 'acquire') continue;
        if ((e.verb.heldWhen ?? 'always') === 'always') return false;
        tried = true;
      }
    }
    return tried;
  }

  /** This function also leaves a lock of that owner held (a notifier taking it on one call, dropping it on the next). */
  private opens(key: string): boolean {
    const opened = this.openedOwners();
    return this.ownerKeys(key).some((o) => opened.has(o));
  }

  /** Owner keys of the locks this function returns holding or never releases (after the fixpoint; computed once). */
  private openedOwners(): Set<string> {
    this.openedOwnerKeys ??= new Set([...this.returnsHeld(), ...this.neverReleased()].flatMap((k) => this.ownerKeys(k)));
    return this.openedOwnerKeys;
  }

  /** The release at `site` sits just under a test of a flag this function sets (a correlation we may miss). */
  private underOwnFlag(site: Site, except?: string): boolean {
    const nodes = this.cfg.nodes;
    if (!this.flags) {
      // Flags: variables this function sets to a constant (`trans->removing_chunk = true`, `int ongoing = 0`).
      this.flags = new Set(nodes.flatMap((n) => n.events.flatMap((e) => (e.t === 'assign' && (e.value === 'zero' || e.value === 'nonzero') ? [e.target] : []))));
    }
    const assigned = this.flags;
    return this.guardsAbove(site).some((p) => [...(p.atom?.vars ?? []), p.atom?.subject ?? '', p.atom?.key ?? ''].some((v) => v !== except && assigned.has(v)));
  }

  /**
   * Does the blocking acquire at `a` show that no caller holds `key` when the release at `r` runs?
   * Not when something that may release the lock can run before `a` (the release itself,
   * `dentry_unlink_inode()` dropping the caller's d_lock, a lock helper): then `a` may retake a
   * dropped caller's lock. Not when `a` and `r` hang on two different tests of the same values
   * (`if (buf) mutex_lock(…)` … `if (buf == of->prealloc_buf) mutex_unlock(…)`,
   * `current->journal_info` tested twice): a correlation with who holds the lock we may not follow.
   * One test choosing between them (`if (x) { unlock; return; } lock;`) is plain control flow.
   */
  private freshProof(key: string, a: Site, r: Site): boolean {
    const idx = this.siteIndex();
    const an = idx.nodeOf.get(siteKey(a));
    const rn = idx.nodeOf.get(siteKey(r));
    if (an === undefined || rn === undefined) return false;
    const domain = domainOf(key);
    const intoA = this.reachersOf(an);
    const intoR = this.reachersOf(rn);
    const touches = (n: CfgNode, op: 'acquire' | 'release'): boolean => n.events.some((e) => e.t === 'call'
      && callTouches(e, this.fn)[op].some((d) => d === '*' || d === domain));
    const releasesKey = (n: CfgNode): boolean => n.events.some((e) => e.t === 'lock' && e.key === key && e.verb.op !== 'acquire');
    if (this.cfg.nodes.some((n) => intoA[n.id] && (releasesKey(n) || touches(n, 'release')))) return false;
    // A callee that may return with it held (`be = add_block_entry(…)`) may be what `r` releases.
    if (this.cfg.nodes.some((n) => intoR[n.id] && touches(n, 'acquire'))) return false;
    // Deciders: nodes with several successors, some reaching the site and some not (an if, a switch).
    const deciders = (into: Uint8Array): CfgNode[] => this.cfg.nodes.filter((n) => n.succ.length > 1 && into[n.id]
      && n.succ.some((x) => into[x]) && !n.succ.every((x) => into[x]));
    const da = deciders(intoA);
    const dr = deciders(intoR);
    // A switch or an untestable choice between them, or a parameter that picks the acquire alone
    // (`if (need_lock) mutex_lock(&m); … mutex_unlock(&m);`): the caller may be saying what it holds.
    if (da.some((x) => !x.atom) || dr.some((y) => !y.atom)) return false;
    if (da.some((x) => !dr.includes(x) && x.atom!.vars.some((v) => this.cfg.params.includes(v)))) return false;
    return !da.some((x) => dr.some((y) => x.id !== y.id && x.atom!.vars.some((v) => y.atom!.vars.includes(v))));
  }

  /**
   * Nodes from which `site` (or one of several) is reachable, the sites included: one backward
   * walk. With `avoid`, only along paths that pass no node it accepts (those nodes are left out).
   */
  private reachersOf(site: number | number[], avoid?: (n: CfgNode) => boolean): Uint8Array {
    const preds = this.predecessors();
    const seen = new Uint8Array(this.cfg.nodes.length);
    const stack = typeof site === 'number' ? [site] : [...site];
    const start = new Set(stack);
    while (stack.length) {
      const n = stack.pop()!;
      if (seen[n] || (!start.has(n) && avoid?.(this.cfg.nodes[n]))) continue;
      seen[n] = 1;
      stack.push(...preds[n]);
    }
    return seen;
  }

  /** Predecessors of each CFG node (built on first use). */
  private predecessors(): number[][] {
    if (!this.preds) {
      const preds: number[][] = this.cfg.nodes.map(() => []);
      for (const n of this.cfg.nodes) for (const x of n.succ) preds[x].push(n.id);
      this.preds = preds;
    }
    return this.preds;
  }

  /**
   * The lock names one object in the whole function: its root is a parameter or global never
   * assigned, or a local given one value only (one assignment, or the same expression of unassigned
   * parameters everywhere: `src_ptl = pmd_lockptr(src_mm, src_pmd)` on two paths), not by a call
   * that may lock, and no loop cursor. `base = new_base; raw_spin_lock(&base->lock)` takes another
   * object's lock.
   */
  private sameObjectThroughout(key: string, expr: string, category: string): boolean {
    const root = rootOf(expr);
    if (category === 'scope') return true;
    if (!root || (category !== 'param' && category !== 'local' && category !== 'global')) return false;
    const values = new Set<string>();
    let sites = 0;
    for (const n of this.cfg.nodes) {
      for (const e of n.events) {
        if (e.t !== 'assign' || e.target !== root) continue;
        if (e.value === 'uninit') continue; // `spinlock_t *src_ptl;`
        if (e.iter || e.value === 'step') return false;
        sites++;
        values.add(e.rhs ?? `?${sites}`);
      }
    }
    if (this.cfg.fromCalls.has(root)) return false;
    if (category !== 'local') return sites === 0;
    if (sites === 1) return true;
    if (values.size !== 1) return false;
    // The one expression reads only parameters nobody assigns (callee names aside).
    const rhs = [...values][0];
    const names = rhs.match(/\b[A-Za-z_]\w*\b(?!\s*\()/g) ?? [];
    return names.every((x) => this.cfg.params.includes(x) && this.sameObjectThroughout(key, x, 'param'));
  }

  /**
   * Some test reads whether a lock is held (`ret & VM_FAULT_LOCKED`, `folio_test_locked()`, a
   * `locked` or `*_held` flag): which path runs may follow who holds the lock.
   */
  private testsLockState(): boolean {
    this.lockStateTested ??= this.cfg.nodes.some((n) => n.kind === 'branch' && n.atom !== undefined
      && (/locked|held/i.test(n.atom.key) || n.atom.vars.some((v) => /lock|held/i.test(v))));
    return this.lockStateTested;
  }

  private lockStateTested?: boolean;

  /** Keys some conditional form (trylock, killable, NULL-returning) acquires anywhere in the function. */
  private conditionallyTaken(): Set<string> {
    if (this.condKeys) return this.condKeys;
    this.condKeys = new Set();
    for (const n of this.cfg.nodes) {
      for (const e of n.events) {
        if (e.t === 'lock' && e.verb.op === 'acquire' && (e.verb.heldWhen ?? 'always') !== 'always') this.condKeys.add(e.key);
      }
    }
    return this.condKeys;
  }

  private condKeys?: Set<string>;

  private rootCategory(key: string, expr: string): string {
    const root = rootOf(expr);
    if (!root || !/^[A-Za-z_]\w*$/.test(expr.replace(/->.*|\..*|\[.*/, '')) && expr.startsWith('*')) return 'other';
    // `d_inode(dir)`, `tlink_tcon(t)->lock`: the lock comes out of a call, not from a global.
    if (new RegExp(`^\\*?${root}\\(`).test(expr)) return 'other';
    if (GLOBAL_LOCKS.has(key)) return 'scope';
    if (this.cfg.stackObjects.has(root) && expr === root) return 'stack';
    if (this.cfg.params.includes(root)) return 'param';
    if (this.locals.has(root)) return 'local';
    return 'global';
  }

  // ---- results -------------------------------------------------------------

  private touchPair(key: string, kind: string, expr: string, acquire: Site): void {
    const id = `${key}@${siteKey(acquire)}`;
    if (!this.pairs.has(id)) this.pairs.set(id, { lock: expr, kind, acquire, releases: new Map() });
  }

  private addPair(key: string, kind: string, expr: string, acquire: Site | null, release: Site): void {
    const id = acquire ? `${key}@${siteKey(acquire)}` : `${key}@caller`;
    let p = this.pairs.get(id);
    if (!p) { p = { lock: expr, kind, acquire, releases: new Map() }; this.pairs.set(id, p); }
    p.releases.set(siteKey(release), release);
  }

  /**
   * Per CFG line, the locks held when control is there: held on entry to the line's node, or
   * on entry to a successor (so the acquire's own line counts, and so does the release's).
   */
  private held(): HeldRange[] {
    const at: { line: number; locks: { lock: string; kind: string }[] }[] = [];
    const heldIn = this.inStates.map((states) => [...states.values()]
      .flatMap((s) => [...s.locks.values()].filter((e) => e.status === 'held')));
    for (const n of this.cfg.nodes) {
      if (n.line <= 0 || n.kind === 'dead' || this.inStates[n.id].size === 0) continue;
      const entries = [...heldIn[n.id], ...n.succ.flatMap((id) => heldIn[id])];
      at.push({ line: n.line, locks: entries.map((e) => ({ lock: e.expr, kind: e.kind })) });
    }
    return heldRanges(at);
  }

  private pairList(): LockPair[] {
    // An acquire released only under another name (its variable was renamed, see assign()) is
    // listed under that name alone, not also as an acquire with no release.
    const releasedAcquires = new Set([...this.pairs.values()].filter((p) => p.acquire && p.releases.size).map((p) => siteKey(p.acquire!)));
    const shown = [...this.pairs.values()].filter((p) => !p.acquire || p.releases.size || !releasedAcquires.has(siteKey(p.acquire)));
    const out = shown.map((p) => ({
      lock: p.lock,
      kind: p.kind,
      acquire: p.acquire ? { line: p.acquire.line, call: p.acquire.text } : null,
      releases: [...p.releases.values()].sort((a, b) => a.line - b.line || a.column - b.column)
        .map((r) => ({ line: r.line, call: r.text })),
    }));
    return out.sort((a, b) => (a.acquire?.line ?? 0) - (b.acquire?.line ?? 0) || a.lock.localeCompare(b.lock));
  }

  private report(id: string, d: { ruleId: string; site: Site; lock: string; key?: string; message: string; related: PathStep[]; flow: PathStep[] }): void {
    if (this.diags.has(id)) return;
    // One finding per rule, lock and line: a release that is both a double release across loop turns and
    // a caller split (the loop not entered at all) is one bug.
    for (const o of this.diags.values()) if (o.ruleId === d.ruleId && o.line === d.site.line && d.key !== undefined && o.lockKey === d.key) return;
    this.diags.set(id, {
      ruleId: d.ruleId, severity: 'warning', message: d.message, lockKey: d.key,
      line: d.site.line, column: d.site.column, endLine: d.site.line, endColumn: d.site.column + Math.max(1, d.site.text.length),
      function: this.fn.name, related: d.related, flow: d.flow,
    });
  }
}

// ---- state helpers -----------------------------------------------------------

/** Does a call with `args` release `expr` by callee summary `r`? A missing argument counts as yes. */
export function releasesHere(r: CalleeRelease, args: string[], expr: string): boolean {
  if (r.global !== undefined) return r.global === expr;
  if (r.param === undefined) return true;
  const arg = args[r.param];
  if (arg === undefined) return true;
  // Same field name is enough (`session->s_mdsc->snap_rwsem` is the caller's `mdsc->snap_rwsem`);
  // another field is another lock (`z3fold_page_unlock(zhdr)` leaves `pool->lock` held).
  return fieldOf(`${arg}${r.path ?? ''}`) === fieldOf(expr);
}

/**
 * Does a call with `args` release exactly `expr` by callee summary `r`: its global, or its parameter's
 * argument plus path spelt as `expr` is (not releasesHere's "same field name", nor "any of the domain")?
 */
function releasesExactly(r: CalleeRelease, args: string[], expr: string): boolean {
  if (r.global !== undefined) return r.global === expr;
  return r.param !== undefined && args[r.param] !== undefined && `${args[r.param]}${r.path ?? ''}` === expr;
}

/** Does test text `text` name lock `key`'s domain or its last identifier? */
function mentionsLock(text: string, key: string): boolean {
  const words = new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
  const parts = text.match(/[a-z]+/gi) ?? [];
  return words.has(fieldOf(key)) || parts.some((w) => w.toLowerCase() === domainOf(key));
}

/** The last identifier of a lock expression or key: its field (`mutex:d->lock` → `lock`). */
export function fieldOf(x: string): string {
  return /(\w+)\W*$/.exec(x)?.[1] ?? x;
}

/** The lock key of a pair id (`key@line:column`, or `key@caller`). */
function pairKey(id: string): string {
  return id.slice(0, id.lastIndexOf('@'));
}

/**
 * Domains of the locks a call may take / drop that we cannot see ('*': any): lock helpers and
 * `&locked` out-flags, consumers, same-file functions returning held or releasing for their caller.
 */
function callTouches(e: Extract<Event, { t: 'call' }>, fn: FunctionContext): { acquire: string[]; release: string[] } {
  const any = lockHelper(e.name) || e.addrOf.some((a) => LOCK_FLAG.test(a)) ? ['*'] : [];
  return {
    acquire: [...any, ...(fn.calleeAcquires?.get(e.name) ?? [])],
    release: [...any, ...(e.consumes ? [e.consumes.domain, ...(e.consumes.also ?? [])] : []), ...(fn.calleeReleases?.get(e.name) ?? []).map((r) => r.domain)],
  };
}

/** `e` after a callee that may or may not have dropped it: a later release is neither double nor unheld. */
function maybeDropped(e: Entry): Entry {
  return { ...e, status: 'released', releases: [], byCallee: true, fromNothing: false };
}

function clone(s: State): State {
  return { locks: new Map(s.locks), facts: new Map(s.facts), uninit: new Set(s.uninit), trail: s.trail };
}

function withStep(s: State, step: PathStep): State {
  return { ...s, trail: { step, prev: s.trail } };
}

function signature(s: State): string {
  if (s.locks.size === 0) return '';
  // A held object put somewhere and one put nowhere stay apart: a loop that leaves right after a
  // turn that put it nowhere loses it (see lostAtExit), whatever the turns that parked it did.
  return [...s.locks].map(([k, e]) => `${k}=${e.status === 'held' ? (e.depth ? 'H2' : e.parked ? 'HP' : 'H') : 'R'}`).sort().join('|');
}

/**
 * Does storing `rhs` keep the object named `root` (`batch[n++] = folio`)? Not when it only reads a
 * measure of it (OBJECT_MEASURE: `cc->nr_migratepages += folio_nr_pages(folio)`).
 */
function storesObject(rhs: string, root: string): boolean {
  if (!dependsOn(rhs, root) || arithmetic(rhs, root)) return false;
  const rest = rhs.replace(/\b([A-Za-z_]\w*)\(([A-Za-z_]\w*)\)/g, (m, f: string, x: string) => x === root && OBJECT_MEASURE.test(f) ? '0' : m);
  return dependsOn(rest, root);
}

/**
 * A number computed from the object by calls (`low_wmark_pages(zone) + tmp`): arithmetic at the top
 * level, with the object named only inside call arguments. Not a tagged or offset pointer
 * (`(unsigned long)page | SLOT_LOCKED`, `folio + 1`), which still keeps the object.
 */
function arithmetic(rhs: string, root: string): boolean {
  let depth = 0;
  let top = '';
  let bare = '';
  for (let i = 0; i < rhs.length; i++) {
    const c = rhs[i];
    if (c === '(' || c === '[') {
      // A call's argument list hides the object; a cast's or a subscript's does not.
      const call = c === '(' && /[A-Za-z_]\w*\s*$/.test(rhs.slice(0, i));
      depth++;
      if (!call && depth === 1) bare += ` ${rhs.slice(i + 1, closing(rhs, i))} `;
    } else if (c === ')' || c === ']') depth--;
    else if (depth === 0) {
      top += c;
      bare += c;
    }
  }
  return /[\w)\]]\s*(?:\+|-(?!>)|\*|\/|%|<<|>>|\||\^)\s*[\w(]/.test(top) && !dependsOn(bare, root);
}

/** Index of the bracket that closes the one at `open` (the end of the text when unbalanced). */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(' || text[i] === '[') depth++;
    else if ((text[i] === ')' || text[i] === ']') && --depth === 0) return i;
  }
  return text.length;
}

/** The names called in an expression's text (`container_of(lock_next(x), …)` gives both). */
function calleesIn(text: string): string[] {
  return [...text.matchAll(/([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]);
}

/** A right-hand side that is a call's result: `f(…)`, with the callee's name. */
const CALL_RESULT = /^([A-Za-z_]\w*)\s*\(/;

/**
 * Two paths reach `return v;` with the same kind of value in v: on both, v last came from a callee
 * (`result = find_pmd_or_thp_or_none(…)`) and was tested alike since (`if (result != SCAN_SUCCEED)`),
 * with no constant stored in it on either. The caller then cannot tell them apart, so it cannot
 * know whether it got the lock back. A constant on one path (`ret = VM_FAULT_RETRY` when the lock
 * was dropped) is a value the caller can tell apart: not this.
 */
function sameVerdict(v: string, a: State, b: State): boolean {
  if (a.facts.get(`@${v}`) !== 'T' || b.facts.get(`@${v}`) !== 'T') return false;
  const about = (s: State): Map<string, Fact> => new Map([...s.facts].filter(([k]) => k !== `@${v}` && dependsOn(k.startsWith('?') ? k.slice(1) : k, v)));
  const fa = about(a);
  const fb = about(b);
  if (!fa.size || fa.size !== fb.size) return false;
  for (const [k, f] of fa) if (fb.get(k) !== f) return false;
  return true;
}

function killFacts(s: State, target: string): void {
  const ident = /^[A-Za-z_]\w*$/.test(target);
  for (const k of [...s.facts.keys()]) {
    const text = k.startsWith('?') ? k.slice(1) : k;
    if (ident ? dependsOn(text, target) : text.includes(target)) s.facts.delete(k);
  }
}

/** The object whose field the lock is (`pool` of `pool->lock`), if it is one. */
function fieldOwner(expr: string): string | undefined {
  return /^([A-Za-z_]\w*)(?:->|\.)\w+$/.exec(expr)?.[1];
}

/** Drops the facts learnt since `before` that read a field of `owner` (`pool->min_nr`), except those naming the lock `lock` itself. */
function forgetFields(s: State, owner: string, lock: string, before: { has(k: string): boolean }): void {
  if (s.facts.size === 0) return;
  const arrow = `${owner}->`;
  const dot = `${owner}.`;
  const field = new RegExp(`\\b${owner}(?:->|\\.)`);
  for (const k of [...s.facts.keys()]) {
    if (before.has(k) || (!k.includes(arrow) && !k.includes(dot))) continue;
    if (field.test(k) && !k.includes(lock)) s.facts.delete(k);
  }
}

/**
 * Drops the facts learnt since `before` that read any field (`h->surplus_huge_pages`), except those
 * naming `lock` and those of a struct of the function's own (`c.locked` with `struct ctx c`: no other
 * CPU reaches it).
 */
function forgetShared(s: State, lock: string, before: { has(k: string): boolean }, own: (v: string) => boolean): void {
  for (const k of [...s.facts.keys()]) {
    if (before.has(k) || !/->|\./.test(k) || k.includes(lock)) continue;
    const local = /^[^A-Za-z_]*([A-Za-z_]\w*)\.(?!.*->)/.exec(k);
    if (local && own(local[1])) continue;
    s.facts.delete(k);
  }
}

function unionSites(a: Site[], b: Site[]): Site[] {
  let out = a;
  for (const x of b) {
    if (!out.some((y) => y.line === x.line && y.column === x.column)) {
      if (out === a) out = [...a];
      out.push(x);
    }
  }
  return out;
}

/** Path steps recorded since `since` (exclusive), oldest first, bounded. */
function stepsSince(trail: Trail | null, since: Trail | null): PathStep[] {
  const out: PathStep[] = [];
  for (let t = trail; t && t !== since && out.length < 40; t = t.prev) out.push(t.step);
  return out.reverse();
}

function valueOf(s: State, subject: string): Fact | undefined {
  const f = s.facts.get(subject);
  if (f) return f;
  for (const e of s.locks.values()) {
    // A lost lock's name (see assign) denotes another object now: `while ((folio = next(…)))` may end.
    if (e.status === 'held' && !e.fromCaller && !e.lost && (e.expr === subject || e.resultVar === subject)) {
      // A held lock's pointer (`ptl` from pmd_lock) is not NULL.
      if (e.expr === subject || !e.resultVar?.startsWith('$')) return 'nonzero';
    }
  }
  return undefined;
}

/**
 * `if (range.start) mmu_notifier_invalidate_range_end(&range)`: when a test reads the lock's
 * own variables (or a lock-state flag) and one arm releases that lock, the arm is taken
 * exactly when the lock is held. Assuming so can hide a bug but never invents one.
 */
function guardedRelease(s: State, node: CfgNode, here: Map<string, State>): boolean | undefined {
  const arms = node.armReleases;
  const atom = node.atom;
  if (!arms || !atom || atom.opaque) return undefined;
  const flag = atom.subject !== undefined && LOCK_FLAG.test(atom.subject);
  for (const [k, e] of s.locks) {
    if (e.guard) continue;
    // Only where the paths reaching this test disagree about the lock.
    let disagree = false;
    for (const o of here.values()) if ((o.locks.get(k)?.status === 'held') !== (e.status === 'held')) disagree = true;
    if (!disagree) continue;
    const root = rootOf(e.expr);
    if (!flag && !(root && atom.vars.includes(root))) continue;
    const held = e.status === 'held';
    if (arms[0].includes(k) && !arms[1].includes(k)) return held;
    if (arms[1].includes(k) && !arms[0].includes(k)) return !held;
  }
  return undefined;
}

function evalAtom(s: State, a: Atom): boolean | undefined {
  if (a.opaque) return undefined;
  const g = s.facts.get(`?${a.key}`);
  if (g === 'T') return !a.invert;
  if (g === 'F') return !!a.invert;
  if (!a.subject || !a.op) return undefined;
  const v = valueOf(s, a.subject);
  if (!v || v === 'T' || v === 'F') return undefined;
  switch (a.op) {
    case 'truthy': return v !== 'zero';
    case '==0': return v === 'zero';
    case '!=0': return v !== 'zero';
    case '<0': return v === 'neg' ? true : v === 'zero' ? false : undefined;
    case '>=0': return v === 'neg' ? false : v === 'zero' ? true : undefined;
    case '>0': return v === 'nonzero' ? undefined : false;
    case '<=0': return v === 'nonzero' ? undefined : true;
    case 'IS_ERR': return v === 'zero' ? false : undefined;
    case 'IS_ERR_OR_NULL': return v === 'zero' ? true : undefined;
  }
}

function refine(s: State, a: Atom, taken: boolean): State {
  if (a.opaque) return s;
  const t = clone(s);
  // A tested call result (`if (mmap_read_trylock(mm))`) is recomputed on every pass: no text fact.
  if (!a.subject?.startsWith('$')) t.facts.set(`?${a.key}`, taken !== !!a.invert ? 'T' : 'F');
  if (a.subject && a.op) {
    const known = valueOf(t, a.subject);
    let v: ValueClass | undefined;
    switch (a.op) {
      case 'truthy': case '!=0': v = taken ? (known === 'neg' ? 'neg' : 'nonzero') : 'zero'; break;
      case '==0': v = taken ? 'zero' : (known === 'neg' ? 'neg' : 'nonzero'); break;
      case '<0': if (taken) v = 'neg'; break;
      case '>=0': if (!taken) v = 'neg'; break;
      case '>0': v = taken ? 'nonzero' : undefined; break;
      case 'IS_ERR_OR_NULL': if (!taken) v = 'nonzero'; break;
      default: break;
    }
    if (v) t.facts.set(a.subject, v);
  }
  return t;
}

/** Released, and what was released is the caller's: dropped after being handed in, or never taken here. */
function droppedCallers(e: Entry): boolean {
  return e.status === 'released' && (e.callersDropped === true || e.fromNothing === true);
}

/** A bare spinlock pointer (`ptl`): callees given the page table it guards drop it unseen. */
function bareLockPointer(key: string, expr: string): boolean {
  return domainOf(key) === 'spin' && /^[A-Za-z_]\w*$/.test(expr);
}

/** The test compares `v` with another variable (`ptl != pml`, `new_ptl == old_ptl`). */
function comparesVar(a: Atom | undefined, v: string): boolean {
  // `ptl == NULL` compares with a constant, not with another lock.
  return a !== undefined && a.vars.includes(v) && a.vars.some((x) => x !== v && !/^[A-Z][A-Z0-9_]*$/.test(x)) && /[=!]=/.test(a.key);
}

/**
 * The conditional-wrapper contract a function's returns follow, if any: one set of constants when
 * the lock is left held and another when not (`trylock`: `return true` held, `return false` not;
 * `killable`: 0 held, -E… not), or one `return ret;` split by what the path knows of `ret` (`split`).
 */
function conditionalWrapperStyle(held: ReturnState[], free: ReturnState[]): 'trylock' | 'killable' | 'split' | undefined {
  // Only the two kernel contracts: trylock style (held: true/1, not held: false/0) and
  // killable style (held: 0, not held: -E… or a non-zero error variable). An error return
  // with the lock held is a leak.
  if (free.length === 0) return undefined;
  const only = (set: Set<string>, ...v: string[]): boolean => set.size > 0 && [...set].every((x) => v.includes(x));
  const written = (xs: ReturnState[]): Set<string> => new Set(xs.map((x) => x.node.ret?.value ?? '?'));
  if (only(written(held), 'nonzero') && only(written(free), 'zero')) return 'trylock';
  if (only(written(held), 'zero') && only(written(free), 'neg')) return 'killable';
  // Killable style may return its error variable (`if (ret) mutex_unlock(…); return ret;`): what the
  // path knows of it counts, but only here (an error return with the lock held is a leak, not a trylock).
  // A constant `return true;`/`return 1;` is not an error, though: not held then is the trylock
  // contract reversed (list_lru_add() without its unlock).
  const known = (xs: ReturnState[]): Set<string> => new Set(xs.map(returnedClass));
  const errorLike = (x: ReturnState): boolean => x.node.ret?.value === 'neg' || (!x.node.ret?.value && ['neg', 'nonzero'].includes(returnedClass(x)));
  // And only where one `return ret;` gives both outcomes, split by ret: a plain `ret = 0 … return ret;`
  // with the lock held beside `return -ENOMEM;` without it is a leak (alloc_shrinker_info() minus its unlock).
  const splitByVariable = held.some((h) => free.some((f) => f.node === h.node));
  return splitByVariable && only(known(held), 'zero') && free.every(errorLike) ? 'split' : undefined;
}

/** What a return gives back: its constant, else what the path knows of the returned variable (`return ret;`). */
function returnedClass(x: ReturnState): string {
  const r = x.node.ret;
  if (!r) return '?';
  if (r.value) return r.value;
  const v = r.text.trim();
  return /^[A-Za-z_]\w*$/.test(v) ? x.s.facts.get(v) ?? '?' : '?';
}

function rpo(cfg: Cfg): number[] {
  const seen = new Uint8Array(cfg.nodes.length);
  const post: number[] = [];
  const stack: [number, number][] = [[0, 0]];
  seen[0] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const n = cfg.nodes[top[0]];
    if (top[1] < n.succ.length) {
      const s = n.succ[top[1]++];
      if (!seen[s]) { seen[s] = 1; stack.push([s, 0]); }
    } else {
      post.push(top[0]);
      stack.pop();
    }
  }
  return post.reverse();
}
