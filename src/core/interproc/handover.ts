// Cross-function check: "F releases a lock it never takes, and none of its callers hands it one".
//
// Inside one function, releasing a lock the function never touched is silent: a
// caller may hold it (shipped mm/ does this ~240 times). That also hides the most
// common seeded bug, a deleted `spin_lock()`. This check looks at the callers.
//
// For a candidate release in F (lock rooted at a parameter, a local or a global):
//  - F must have direct callers we can all see: not used as a function pointer,
//    not named in a macro, not exported (all count as "callers we cannot see");
//  - at each call, the caller either holds a lock of the same kind and name there
//    (→ handed in, no report), or has released it / takes it itself elsewhere
//    (→ definitely not held), or does not touch it (→ ask that caller's callers,
//    up to MAX_DEPTH levels; a caller nobody calls is an entry point, and entry
//    points are not called with a function-local lock held).
// Any unknown on the way (an unanalysed caller, a lock helper we cannot see into,
// too deep) means no report. Lock names match loosely (same domain and last
// field name; a bare parameter matches any lock of its domain), which can hide a
// bug but never invents one.
//
// When callers are hidden, how the other functions use the lock decides instead
// (everyoneTakesIt): a lock of a named owner (`zs_pool->lock`) that others take
// themselves and (almost) nobody is handed or leaves held is not one callers pass.
// The index also answers, for held-at-exit findings, whether a releaser in another
// file drops the lock for its caller (releasedByCallee).
import type { Diagnostic, PathStep } from '../model';
import type { CalleeRelease, UnheldCandidate } from '../flow/lockflow';
import { domainOf, lockWrapperName, releasesHere, unlockHelperName } from '../flow/lockflow';
import { lastName, normExpr, rootOf } from '../flow/expr';
import { HELPER_DOMAINS } from '../locks/helpers';
import { closingCounterparts } from '../locks/names';
import type { Sources } from './fresh';
import type { FileSummary, FunctionSummary, SummaryCall } from './summary';

/**
 * Callers climbed before giving up. mm/ reclaim and slab paths are deep (shrink_zones() →
 * shrink_node() → … → evict_folios()): 8 levels cost no finding on mm/, lib/, kernel/ or fs/ of
 * linux-source-6.12 where 5 stopped short; the verdicts are memoised per function and level.
 */
const MAX_DEPTH = 8;
/** Functions elsewhere that must take a lock themselves before its usage counts as the rule. */
const MIN_TAKERS = 1;
/** Call levels searched for a lock helper a function reaches through its callees (see reaches). */
const REACH_DEPTH = 3;
/**
 * When some functions are handed the lock, it still counts as "taken, not handed" when at least
 * MIN_TAKERS_WHEN_HANDED functions take it and TAKERS_PER_HANDED times as many take it as are
 * handed it (`zone->lock`: 26 take it, 3 are handed it). Chosen on linux-source-6.12: 3 and 12
 * add no finding on mm/, fs/, kernel/, lib/ or drivers/gpu/; 3 and 8, or 2 and 10, add one each.
 */
const TAKERS_PER_HANDED = 3;
const MIN_TAKERS_WHEN_HANDED = 12;

interface Def { file: FileSummary; fn: FunctionSummary }
/** `made`: the caller hands down its own local, which holds a fresh object (interproc/fresh.ts). */
interface Site { file: FileSummary; caller: FunctionSummary; call: SummaryCall; made?: { name: string; from: Sources } }

/** Other functions that take a lock themselves / are handed it by a caller. */
interface Peers { takers: FunctionSummary[]; handed: FunctionSummary[] }

interface Spec { domain: string; last: string; loose: boolean; expr: string }

/** The outcome for one candidate; `why` says what stopped the search (for `explain`). */
export type Verdict = { t: 'free'; sites: Site[]; peers?: Peers; made?: Sources; origin?: Site } | { t: 'held'; why: string } | { t: 'unknown'; why: string };

export interface CallIndexOptions {
  /**
   * Lock roots for which a function whose callers are hidden (pointer, macro, export) is taken
   * as an entry point that holds nothing. Default: global locks only. Measured on mm/ of
   * linux-source-6.12: globals cost 1 false positive; parameters 21 and locals 15 (callbacks
   * registered in tables are called with the page or the page-table lock held), so they are off.
   */
  hiddenAsEntry?: Array<'param' | 'local' | 'global'>;
}

const DEFAULT_HIDDEN_AS_ENTRY: CallIndexOptions['hiddenAsEntry'] = ['global'];

export class CallIndex {
  private readonly defs = new Map<string, Def[]>();
  private readonly calls = new Map<string, Site[]>();
  /** Name → files in which it is used as a pointer / in a macro. */
  private readonly hidden = new Map<string, Set<FileSummary>>();
  private readonly memo = new Map<FunctionSummary, Map<string, Verdict>>();
  /** `domain:field` of a lock → the functions that take it themselves / are handed it by a caller. */
  private readonly takers = new Map<string, Set<FunctionSummary>>();
  private readonly handed = new Map<string, Set<FunctionSummary>>();
  private readonly opened = new Map<string, Set<FunctionSummary>>();
  /** Locks named by functions that could not be analysed, in any file (FileSummary.blind). */
  private readonly blind = new Set<string>();
  /** The function each candidate release belongs to. */
  private readonly candidateOf = new Map<UnheldCandidate, FunctionSummary>();

  constructor(private readonly files: FileSummary[], private readonly opts: CallIndexOptions = {}) {
    for (const file of files) {
      for (const fn of file.functions) push(this.defs, fn.name, { file, fn });
      for (const name of file.addressed) pushSet(this.hidden, name, file);
      for (const name of file.inMacros) pushSet(this.hidden, name, file);
      for (const w of file.blind) this.blind.add(w);
      for (const fn of file.functions) {
        for (const c of fn.candidates) this.candidateOf.set(c, fn);
        for (const k of fn.owners.taken) pushSet(this.takers, k, fn);
        for (const k of fn.owners.handed) pushSet(this.handed, k, fn);
        for (const k of fn.owners.opened) pushSet(this.opened, k, fn);
      }
    }
    for (const file of files) {
      for (const caller of file.functions) {
        for (const call of caller.calls) if (this.defs.has(call.callee)) push(this.calls, call.callee, { file, caller, call });
      }
    }
  }

  /** Diagnostics for the candidates of every function (or only those `only` accepts), by file path. */
  check(only?: (file: FileSummary, fn: FunctionSummary) => boolean,
    explain?: (fn: FunctionSummary, cand: UnheldCandidate, v: Verdict) => void): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>();
    for (const file of this.files) {
      for (const fn of file.functions) {
        if (!fn.candidates.length || (only && !only(file, fn))) continue;
        for (const cand of fn.candidates) {
          const spec = specOf(cand);
          // F may take the lock itself through a helper (`preload_this_cpu_lock(&l, …)` returns with l held).
          const own = this.takesItself(fn, spec);
          const v = own ?? this.madeHere(fn, cand) ?? this.climb({ file, fn }, spec, cand, 0, new Set(), cand.paramIndex);
          explain?.(fn, cand, v);
          if (v.t !== 'free') continue;
          push(out, file.path, diagnostic(file, fn, cand, v.sites, v.peers, v.made, v.origin));
        }
      }
    }
    return out;
  }

  private takesItself(fn: FunctionSummary, spec: Spec): Verdict | undefined {
    const locker = fn.calls.find((c) => (this.defs.get(c.callee) ?? [])
      .some((x) => x.fn.returnsHeld.some((k, i) => matches(k, spec) && mayBe(x.fn.returnsHeldAs[i], c, spec))));
    if (locker) return { t: 'held', why: `${fn.name}() calls ${locker.callee}(), which returns with a lock held` };
    // An unseen helper whose locks are known (HELPER_DOMAINS) matters only for a lock of its domains.
    const opaque = fn.lockHelperCalls.find((n) => !this.defs.has(n) && (HELPER_DOMAINS.get(n)?.includes(spec.domain) ?? true));
    if (opaque) return { t: 'unknown', why: `${fn.name}() calls ${opaque}(), a lock helper not in the catalogue` };
    return undefined;
  }

  /**
   * A local candidate whose object the function made or got itself (`mm = damon_get_mm(t)`): no
   * caller holds its lock, whoever the callers are. Only the object's own lock (`mm`, `&vb->lock`),
   * not one it points to (`obj->parent->lock`, a `ptl` pointer field); not a release under a flag of
   * the function's own (`if (tx_info->pending_close) spin_unlock_bh(&tx_info->lock)`, set only
   * under the lock, zero from kvzalloc() on the paths that never took it).
   */
  private madeHere(fn: FunctionSummary, cand: UnheldCandidate): Verdict | undefined {
    if (cand.root !== 'local' || cand.ownFlag) return undefined;
    const root = rootOf(cand.expr) ?? '';
    const made = fn.fresh?.get(root);
    if (!made || !this.ownLockOf(cand, root)) return undefined;
    return { t: 'free', sites: [], made };
  }

  /** Is the candidate's lock `root` itself or embedded in it (`&root->lock` at every release)? */
  private ownLockOf(cand: UnheldCandidate, root: string): boolean {
    if (cand.expr === root) return true;
    const field = /^[A-Za-z_]\w*->([A-Za-z_]\w*)$/.exec(cand.expr)?.[1];
    return field !== undefined && cand.sites.every((s) => s.text.replace(/\s+/g, '').includes(`&${root}->${field}`));
  }

  /**
   * Callers we cannot see, judged by how the rest of the tree uses the lock: when at least
   * MIN_TAKERS other functions take `->field` (or a global lock) themselves, no other function
   * leaves it held, and none (or few, see TAKERS_PER_HANDED) is handed it (released untaken,
   * asserted held, annotated), callers do not pass that lock around, and a release of it that
   * was never taken is the odd one out (a deleted or missing acquire). Not for a bare `ptl` or
   * `mm`: a variable's name says nothing about which lock it is. When the rule does not apply,
   * a string saying why (for `explain`).
   */
  private everyoneTakesIt(cand: UnheldCandidate): Peers | string {
    if (!cand.owners.length) return 'no owner key';
    const others = (set: Set<FunctionSummary> | undefined): FunctionSummary[] => [...(set ?? [])].filter((f) => !f.candidates.includes(cand));
    // A function we could not analyse may take it, leave it held or be handed it.
    if (cand.owners.some((o) => this.blind.has(o.slice(o.indexOf(':') + 1)))) return 'named by an unanalysed function';
    // A function that leaves the lock held for another (`seq_start()` for `seq_stop()`) is a pair we
    // cannot see through. Not one handed the lock that drops and retakes it (`cluster_reclaim_range()`):
    // it counts among the handed. A lock helper by name (`lock_cluster_or_swap_info()`,
    // `folio_lruvec_lock()`) opens for its callers, who take the lock through it: it excuses only an
    // unlock helper by name, its own counterpart (`pipe_lock()` / `pipe_unlock()`, `…_lock_res_init()`
    // / `…_lock_res_uninit()`), or a function that reaches it through its callees (`nfp_alloc_bar()`
    // → `nfp_wait_for_bar()` → `find_unused_bar_and_lock()`).
    const fn = this.candidateOf.get(cand);
    const opener = cand.owners.flatMap((o) => others(this.opened.get(o)).filter((f) => !f.owners.handed.includes(o)))
      .find((f) => cand.closing || !lockWrapperName(f.name) || !fn || closingCounterparts(f.name).includes(fn.name) || this.reaches(fn, f.name));
    if (opener) return `${opener.name}() leaves it held`;
    // An unlock helper by name (`unlock_cluster_or_swap_info()`) is handed the lock as its job: it
    // says nothing of whether other functions are.
    const handed = new Set(cand.owners.flatMap((o) => [...others(this.handed.get(o)), ...others(this.handed.get(`*:${o.slice(o.indexOf(':') + 1)}`))])
      .filter((f) => !unlockHelperName(f.name)));
    return { takers: others(this.takers.get(cand.owners[0])), handed: [...handed] };
  }

  /** Does `fn` call `name`, directly or through up to REACH_DEPTH - 1 analysed callees? */
  private reaches(fn: FunctionSummary, name: string): boolean {
    let level = new Set(fn.calls.map((c) => c.callee));
    const seen = new Set(level);
    for (let depth = 1; depth <= REACH_DEPTH; depth++) {
      if (level.has(name)) return true;
      if (depth === REACH_DEPTH) break;
      const next = new Set<string>();
      for (const callee of level) {
        for (const d of this.defs.get(callee) ?? []) for (const c of d.fn.calls) if (!seen.has(c.callee)) { seen.add(c.callee); next.add(c.callee); }
      }
      level = next;
    }
    return false;
  }

  /**
   * A held-at-exit finding of `file` whose lock is held at a call to a function of another
   * file that releases that lock for its caller, named through a parameter or a global
   * (`f2fs_put_page(page, 1)`, `xfs_trans_ail_update_bulk(ailp, …)`). Same-file releasers are
   * already applied inside the file's own analysis; catalogue verbs are not overridden.
   */
  releasedByCallee(file: FileSummary, d: Diagnostic): boolean {
    if (d.ruleId !== 'lock/held-at-exit' || !d.lockKey) return false;
    const key = d.lockKey;
    const domain = domainOf(key);
    const fn = file.functions.find((f) => f.name === d.function && d.line >= f.startLine && d.line <= f.endLine);
    if (!fn) return false;
    const expr = key.slice(domain.length + 1);
    return fn.calls.some((c) => c.held?.includes(key) && this.defsSeenFrom(file, c.callee)
      .some((x) => x.file !== file && !x.fn.catalogued && x.fn.releasesForCaller.some((r) => r.domain === domain
        // Only a lock the callee names through a parameter or a global: "some lock of the kind" is too loose across files.
        && (r.param !== undefined || r.global !== undefined) && releasesHere(r, c.args ?? [], expr))));
  }

  /** The definitions a call from `file` may reach: its own static one, else every non-static one. */
  private defsSeenFrom(file: FileSummary, name: string): Def[] {
    const all = this.defs.get(name) ?? [];
    const own = all.filter((x) => x.file === file && x.fn.fileLocal);
    return own.length ? own : all.filter((x) => !x.fn.fileLocal);
  }

  /** Calls that reach `d` directly, or undefined when some callers cannot be seen. */
  private callersOf(d: Def): Site[] | undefined {
    const visible = (f: FileSummary): boolean => !d.fn.fileLocal || f === d.file;
    for (const f of this.hidden.get(d.fn.name) ?? []) if (visible(f)) return undefined;
    // Exported (not file-local, not in a header we were given): callers elsewhere in the tree.
    if (!d.fn.fileLocal && !d.file.path.endsWith('.h')) return undefined;
    const sites: Site[] = [];
    for (const s of this.calls.get(d.fn.name) ?? []) {
      if (!visible(s.file)) continue;
      // A file with its own static function of that name calls that one.
      if (s.file !== d.file && (this.defs.get(d.fn.name) ?? []).some((o) => o.file === s.file && o.fn.fileLocal)) continue;
      sites.push(s);
    }
    return sites;
  }

  /** `arg`: the index of d's parameter that names the lock's object, when known (see climbOnce). */
  private climb(d: Def, spec: Spec, cand: UnheldCandidate, depth: number, seen: Set<FunctionSummary>, arg?: number): Verdict {
    // Memoised per function, lock, depth and parameter: wide fan-in would otherwise multiply per level.
    const memoKey = `${spec.domain}:${spec.expr}:${spec.loose}:${depth}:${arg ?? ''}`;
    let memo = this.memo.get(d.fn);
    if (!memo) { memo = new Map(); this.memo.set(d.fn, memo); }
    const known = memo.get(memoKey);
    if (known) return known;
    const v = this.climbOnce(d, spec, cand, depth, seen, arg);
    memo.set(memoKey, v);
    return v;
  }

  private climbOnce(d: Def, spec: Spec, cand: UnheldCandidate, depth: number, seen: Set<FunctionSummary>, arg?: number): Verdict {
    const direct = this.callersOf(d);
    // The function itself with no caller in the analysed files is still called from somewhere
    // (the compiler warns of an unused static): through a name pasted by a macro (`__ATTR_RW(run)`
    // makes run_store()) or another file that #includes this one. Those callers are hidden ones.
    const sites = direct?.length === 0 && depth === 0 ? undefined : direct;
    // Hidden callers of a global-lock releaser: an entry point (unlock helpers excepted: start/stop pairs).
    // A function named for closing that takes locks of its own (`kmem_cache_destroy()`) is not an unlock helper.
    if (!sites && (!cand.closing || cand.ownLocks) && (this.opts.hiddenAsEntry ?? DEFAULT_HIDDEN_AS_ENTRY)!.includes(cand.root)) {
      return { t: 'free', sites: [] };
    }
    if (!sites) {
      const peers = this.everyoneTakesIt(cand);
      const hidden = direct ? `${d.fn.name}() has no caller in the analysed files (a name pasted by a macro, or an including file)`
        : `${d.fn.name}() may be called from places not seen (pointer, macro or export)`;
      if (typeof peers === 'string') return { t: 'unknown', why: `${hidden}; ${peers}` };
      if (peers.takers.length >= MIN_TAKERS && (!peers.handed.length || (peers.takers.length >= MIN_TAKERS_WHEN_HANDED && peers.takers.length >= peers.handed.length * TAKERS_PER_HANDED))) return { t: 'free', sites: [], peers };
      return { t: 'unknown', why: `${hidden}; ${peers.takers.length} take it, handed to ${peers.handed.slice(0, 3).map((f) => f.name).join(' ') || 'none'}` };
    }
    // No callers above the function itself: an entry point.
    if (sites.length === 0) return { t: 'free', sites: [] };
    const evidence: Site[] = [];
    /** The first call up the chain that hands down a fresh object (for the message). */
    let origin: Site | undefined;
    for (const s of sites) {
      const { caller, call } = s;
      if (!call.held || !call.released) return { t: 'unknown', why: `lock state unknown at ${caller.name}():${call.line}` };
      if (call.held.some((k) => matches(k, spec, call.globals))) return { t: 'held', why: `held at ${caller.name}():${call.line}` };
      const dropped = call.released.some((k) => matches(k, spec, undefined, true));
      // An annotated caller may hold the lock under the annotation's spelling (`__must_hold(RCU)`); one that has
      // dropped it by this very name before the call (`gather_surplus_pages()` __must_hold(&hugetlb_lock)
      // unlocks around its allocations) does not hold it there.
      if (caller.annotated && !dropped) return { t: 'unknown', why: `${caller.name}() is annotated` };
      // `start_report(); … end_report();`: a callee of the caller took the lock for it.
      const taken = this.takesItself(caller, spec);
      if (taken) return taken;
      if (dropped || caller.acquired.some((k) => matches(k, spec, undefined, true))) {
        evidence.push(s);
        continue;
      }
      // The caller hands down an object it made or got itself (`mm = get_task_mm(p); … count(mm)`):
      // nobody above it can hold that object's own lock (`mm`, `&vb->lock`). Not another object's
      // lock reached through it (`ac->ac_lg->lg_mutex`, which `ext4_mb_group_or_file(ac)` took and stored).
      const token = arg !== undefined ? call.argNames?.split(',')[arg] || undefined : undefined;
      const made = token !== undefined ? caller.fresh?.get(token) : undefined;
      if (made && !cand.ownFlag && this.ownLockOf(cand, rootOf(cand.expr) ?? '')) {
        const site = { ...s, made: { name: token!, from: made } };
        origin ??= site;
        evidence.push(site);
        continue;
      }
      // The caller passes through (or is itself handed the lock): ask its callers.
      if (depth + 1 >= MAX_DEPTH || seen.has(caller)) return { t: 'unknown', why: `too deep at ${caller.name}()` };
      seen.add(caller); // the functions on this chain: a cycle is "unknown"
      // `#i`: the caller hands on its own i-th parameter.
      const next = token?.startsWith('#') ? Number(token.slice(1)) : undefined;
      const up = this.climb({ file: s.file, fn: caller }, spec, cand, depth + 1, seen, next);
      seen.delete(caller);
      if (up.t !== 'free') return up;
      origin ??= up.origin;
      evidence.push(s);
    }
    return { t: 'free', sites: evidence, ...(origin ? { origin } : {}) };
  }
}

function specOf(c: UnheldCandidate): Spec {
  const domain = domainOf(c.key);
  const bare = /^\*?[A-Za-z_]\w*$/.test(c.expr);
  return { domain, last: lastName(c.expr), loose: bare && c.root !== 'global', expr: c.expr };
}

/**
 * Does a caller's held, released or acquired key `key` name the candidate's lock? A bare
 * variable may point to any lock of the kind, but a global held by name (`damon_lock`, listed in
 * `globals`) is that one object: it is not `ctx->kdamond_lock`. `strict`: as evidence that the
 * caller does not hold the lock (it released or takes it itself), a bare name must be the lock by
 * name; matching it loosely there would turn "some other lock" into proof and invent a report.
 */
function matches(key: string, spec: Spec, globals?: string[], strict = false): boolean {
  const domain = domainOf(key);
  const expr = key.slice(domain.length + 1);
  if (domain !== spec.domain && domain !== '*') return false;
  if (spec.loose || lastName(expr) === spec.last) return true;
  if (strict || !/^\*?[A-Za-z_]\w*$/.test(expr)) return false;
  return !globals?.includes(key);
}

/**
 * May the lock a helper returns holding, named `r` in its caller's terms, be the candidate's
 * lock at a call with `args`? `preload_this_cpu_lock(&free_vmap_area_lock, …)` returns holding
 * that global, not `vn->busy.lock`; `lock_cluster(si, off)` returns holding `ci->lock` of its own
 * local, which only its name links to anything (kept: maybe). Unknown arguments or a bare
 * candidate (a pointer may point anywhere) are maybes too: "held" only stops a report.
 */
function mayBe(r: CalleeRelease | undefined, call: SummaryCall, spec: Spec): boolean {
  if (!r || spec.loose) return true;
  if (r.global !== undefined) return normExpr(r.global) === normExpr(spec.expr);
  if (r.param === undefined) return true;
  const arg = call.args?.[r.param];
  if (arg === undefined) return true;
  const mine = lockPath(`${normExpr(arg)}${r.path ?? ''}`);
  const theirs = lockPath(spec.expr);
  // A pointer variable handed over (`lock`, not `&lock`) may point to any lock.
  if (mine.length < 2 && !call.addrOf?.includes(arg)) return true;
  // `si` + `->lock` is the caller's `si->lock`; `&free_vmap_area_lock` is that global and no other.
  if (mine.length < 2 || theirs.length < 2) return mine.join('.') === theirs.join('.');
  return mine[mine.length - 1] === theirs[theirs.length - 1] && mine[mine.length - 2] === theirs[theirs.length - 2];
}

/** The names along a lock expression: `vn->busy.lock` → ['vn', 'busy', 'lock']. */
function lockPath(x: string): string[] {
  return normExpr(x).replace(/\[[^\]]*\]/g, '').split(/->|\./);
}

function diagnostic(file: FileSummary, fn: FunctionSummary, cand: UnheldCandidate, sites: Site[], peers?: Peers, made?: Sources,
  origin?: Site): Diagnostic {
  const { takers, handed } = peers ?? { takers: [], handed: [] };
  const site = cand.sites[0];
  const shown = sites.slice(0, 5);
  const where = (s: Site): string => `${s.caller.name}() at ${s.file === file ? 'line ' : `${s.file.path}:`}${s.call.line}`;
  const fresh = (m: Sources): string => `${m.calls.map((c) => `${c}()`).join(' or ')}`;
  const at = (s: Site): Partial<PathStep> => (s.file !== file ? { path: s.file.path } : {});
  const related: PathStep[] = made
    ? [{ line: made.line, column: 1, message: `\`${cand.expr}\` comes from ${fresh(made)} here: a new object or reference, which no caller holds locked` }]
    : shown.map((s) => ({
      line: s.call.line, column: 1, ...at(s),
      message: `${s.caller.name}() calls ${fn.name}() here without holding \`${cand.expr}\``
        + (s.made ? `, passing \`${s.made.name}\` from ${fresh(s.made.from)} (a new object or reference)` : ''),
    }));
  // Further up the chain: where the object was made.
  if (origin?.made && !shown.includes(origin)) {
    related.push({ line: origin.call.line, column: 1, ...at(origin),
      message: `${origin.caller.name}() hands down \`${origin.made.name}\` from ${fresh(origin.made.from)} here: a new object or reference, which no caller holds locked` });
  }
  return {
    ruleId: 'lock/release-unheld', severity: 'warning',
    message: `\`${cand.expr}\` is released at line ${cand.sites.map((x) => x.line).join(', ')} `
      + (cand.takenAt !== undefined
        ? `on a path where ${fn.name}() has not acquired it (it does at line ${cand.takenAt} on others), and `
        : `but ${fn.name}() never acquires it, and `)
      + (made
        ? `its object comes from ${fresh(made)} at line ${made.line}, a new object or reference that no caller can hold locked`
        : peers
        ? `it is not a lock callers hand over: ${takers.length} other functions take \`${cand.owners[0].slice(cand.owners[0].indexOf(':') + 1).replace('.', '->')}\` `
          + `themselves (${takers.slice(0, 3).map((t) => `${t.name}()`).join(', ')}${takers.length > 3 ? ', …' : ''})`
          + (handed.length ? `, only ${handed.length} are handed it (${handed.slice(0, 3).map((t) => `${t.name}()`).join(', ')}${handed.length > 3 ? ', …' : ''})` : ' and none is handed it')
        : sites.length
        ? `its callers do not hold it: ${shown.map(where).join(', ')}${sites.length > shown.length ? ', …' : ''}`
        : 'no caller in the analysed files holds it (it is reached through a pointer, macro or export; '
          + `annotate __releases(${cand.expr}) if its callers hand the lock over)`),
    line: site.line, column: site.column, endLine: site.line, endColumn: site.column + Math.max(1, site.text.length),
    function: fn.name, lockKey: cand.key, related,
    flow: [...related, { line: site.line, column: site.column, message: `releases \`${cand.expr}\` without acquiring it` }],
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

function pushSet<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s) s.add(v); else m.set(k, new Set([v]));
}
