// Cross-function check: "F returns with a lock held, and nobody above it ever releases one".
//
// Inside one function, a return with a lock still held is often the function's contract: a lock
// wrapper, a conditional (trylock-style) wrapper, a lock handed out through an out-parameter or
// the caller's memory, an object parked for later, a lock also handed to a releasing callee on
// another path. lockflow.ts excuses those shapes and lists the lock in the summary (heldExits, with
// the excuse). That also hides the commonest seeded bug, a deleted unlock before such a return.
//
// The contract needs a caller that releases the lock. For F with callers we can all see (static,
// not used as a pointer, not in a macro), climb the callers: each must neither release a lock of
// that kind (itself, through an unknown lock helper, or through a callee that releases one it was
// handed or never took) nor be annotated, and, when it only passes through, its own callers must
// pass the same test. The climb ends at an entry (no callers) or at a caller reached from places
// not seen, which passes only when its name does not say it opens something for a partner
// (lock wrappers, `*_start`, `*_begin`…) and the lock does not go up with the returned value
// (the locked object, `VM_FAULT_LOCKED`, `return f(…);` all the way). Any unknown (an unanalysed
// caller, too deep, a cycle) means no report; so does a lock handed off elsewhere on another path
// by being put somewhere (a list, an overwritten name: callers are not where it goes). "Releases a lock of that kind" is deliberately coarse: any spinlock release
// backs a held spinlock, so the check can miss a leak but not invent one.
import type { Diagnostic, PathStep } from '../model';
import type { HeldExit } from '../flow/lockflow';
import { domainOf, lockWrapperName } from '../flow/lockflow';
import { closingCounterparts } from '../locks/names';
import type { FileSummary, FunctionSummary, SummaryCall } from './summary';

/** Caller levels climbed before giving up. */
const MAX_UP = 4;
/** Callee levels searched below a caller for a release of the domain. */
const MAX_DOWN = 2;

export interface Def { file: FileSummary; fn: FunctionSummary }
export interface CallSite { file: FileSummary; caller: FunctionSummary; call: SummaryCall }

/** What the check needs of the call index. */
export interface CallView {
  /** Calls that reach `d` directly, or undefined when some callers cannot be seen. */
  callersOf(d: Def): CallSite[] | undefined;
  /** The definitions a call from `file` may reach. */
  defsSeenFrom(file: FileSummary, name: string): Def[];
  /** Is a function of this name defined anywhere in the analysed files? */
  defined(name: string): boolean;
  /** Is the finding's lock held at a call to a releaser in another file (`xlog_wait(…, &log->l_icloglock)`)? */
  releasedByCallee(file: FileSummary, d: Diagnostic): boolean;
}

/** Verdict of one climb: every caller chain ends without a release (with the first callers), or why not. */
type Up = { t: 'leak'; sites: CallSite[] } | { t: 'backed' };

export function unbackedHolds(view: CallView, file: FileSummary, fn: FunctionSummary): Diagnostic[] {
  if (!fn.heldExits.length || fn.annotated || fn.catalogued) return [];
  const def = { file, fn };
  const direct = view.callersOf(def);
  if (!direct?.length) return [];
  // A counterpart in the tree (`*_start()` / `*_stop()`) may be what releases it.
  if (closingCounterparts(fn.name).some((n) => view.defined(n))) return [];
  const out: Diagnostic[] = [];
  for (const h of fn.heldExits) {
    // Put somewhere on another path (a list, an overwritten name): who releases it is not the callers' business.
    if (h.excuses.includes('handed-off')) continue;
    const up = climb(view, def, h, 0, new Set([fn]), new Map(), true);
    if (up.t !== 'leak') continue;
    const d = diagnostic(file, fn, h, up.sites);
    if (!view.releasedByCallee(file, d)) out.push(d);
  }
  return out;
}

/**
 * `passed`: every call on the way up is in a return statement (`return f(…);`), so the callers
 * above get F's result, and with it whatever that result says of the lock.
 */
function climb(view: CallView, d: Def, h: HeldExit, depth: number, seen: Set<FunctionSummary>, memo: Map<FunctionSummary, boolean>,
  passed: boolean): Up {
  const domain = domainOf(h.key);
  const sites = view.callersOf(d);
  // Callers not seen: they may release a lock that comes back with a returned object (writeback_iter()),
  // or that the returned value says is held (`return VM_FAULT_LOCKED;`, a trylock's true handed on).
  const told = h.returned || h.excuses.includes('said') || passed;
  if (!sites) return depth > 0 && !told && !opens(d.fn.name, view) ? { t: 'leak', sites: [] } : { t: 'backed' };
  if (sites.length === 0) return depth > 0 ? { t: 'leak', sites: [] } : { t: 'backed' };
  for (const s of sites) {
    const g = s.caller;
    if (seen.has(g) || depth + 1 > MAX_UP || s.call.held === undefined || g.annotated || g.catalogued) return { t: 'backed' };
    // A caller that releases one of the kind, or itself returns holding one (`idr_preload()`), may be the partner.
    if (releasesDomain(view, s.file, g, domain, memo) || g.returnsHeld.some((k) => domainOf(k) === domain)) return { t: 'backed' };
    seen.add(g);
    const up = climb(view, { file: s.file, fn: g }, h, depth + 1, seen, memo, passed && s.call.returned === true);
    seen.delete(g);
    if (up.t !== 'leak') return up;
  }
  return { t: 'leak', sites };
}

/** Closing words a partner appends to the opener's name (`idr_preload()` / `idr_preload_end()`). */
const SUFFIXES = ['end', 'done', 'finish', 'unlock', 'put', 'release', 'stop', 'exit'];

/** Named as opening something for a partner: a lock wrapper, an opening word, or a partner in the tree. */
function opens(name: string, view: CallView): boolean {
  return lockWrapperName(name) || /(^|_)(start|begin|get|grab|take|enter|prepare|acquire|lock|freeze|disable|pin|claim|open)(_|$)/.test(name)
    || [...closingCounterparts(name), ...SUFFIXES.map((x) => `${name}_${x}`)].some((n) => view.defined(n));
}

/**
 * Does caller `fn` release a lock of `domain`: itself, through a lock helper we cannot see into,
 * or through a callee that drops one handed to it (see releasesBelow)?
 */
function releasesDomain(view: CallView, file: FileSummary, fn: FunctionSummary, domain: string, memo: Map<FunctionSummary, boolean>): boolean {
  const known = memo.get(fn);
  if (known !== undefined) return known;
  const r = fn.releases.includes(domain) || opaqueRelease(view, fn) || fn.calls.some((c) => view.defsSeenFrom(file, c.callee)
    .some((x) => x.fn !== fn && releasesBelow(view, x, domain, 1)));
  memo.set(fn, r);
  return r;
}

/** '*' in its releases from a lock helper that is not defined in the analysed files (or a `&locked` out-flag). */
function opaqueRelease(view: CallView, fn: FunctionSummary): boolean {
  if (!fn.releases.includes('*')) return false;
  return fn.lockHelperCalls.length === 0 || fn.lockHelperCalls.some((n) => !view.defined(n));
}

/**
 * A callee drops a lock of `domain` it did not take (a candidate, or a release for its caller),
 * or passes it on to one that does, MAX_DOWN levels down. A callee that takes a lock of the domain
 * itself is not followed further: what its callees drop is likely its own.
 */
function releasesBelow(view: CallView, x: Def, domain: string, depth: number): boolean {
  const fn = x.fn;
  if (fn.candidates.some((c) => domainOf(c.key) === domain) || fn.releasesForCaller.some((r) => r.domain === domain)) return true;
  // Releases one of the kind and never takes one for sure (`__free_zspage()` unlocks pages locked before).
  if (fn.releases.includes(domain) && !fn.acquired.some((k) => domainOf(k) === domain)) return true;
  if (opaqueRelease(view, fn)) return true;
  if (depth >= MAX_DOWN || fn.acquired.some((k) => domainOf(k) === domain) || fn.releases.includes(domain)) return false;
  return fn.calls.some((c) => view.defsSeenFrom(x.file, c.callee).some((y) => y.fn !== fn && releasesBelow(view, y, domain, depth + 1)));
}

function diagnostic(file: FileSummary, fn: FunctionSummary, h: HeldExit, sites: CallSite[]): Diagnostic {
  const shown = sites.slice(0, 5);
  const where = (s: CallSite): string => `${s.caller.name}() at ${s.file === file ? 'line ' : `${s.file.path}:`}${s.call.line}`;
  const related: PathStep[] = [
    ...h.returns.map((l) => ({ line: l, column: 1, message: 'returns with the lock held' })),
    ...shown.map((s) => ({ line: s.call.line, column: 1, ...(s.file !== file ? { path: s.file.path } : {}),
      message: `${s.caller.name}() calls ${fn.name}() here; neither it nor its callers release a ${h.kind}` })),
  ];
  const a = h.acquire;
  return {
    ruleId: 'lock/held-at-exit', severity: 'warning',
    message: `\`${h.expr}\` acquired at line ${a.line} is still held when ${fn.name}() returns at line ${h.returns.join(', ')}, `
      + `and nothing releases it afterwards: its callers (${shown.map(where).join(', ')}${sites.length > shown.length ? ', …' : ''})`
      + ` and theirs release no ${h.kind}`,
    line: a.line, column: a.column, endLine: a.line, endColumn: a.column + Math.max(1, a.text.length),
    function: fn.name, lockKey: h.key, related,
    flow: [{ line: a.line, column: a.column, message: `acquires \`${h.expr}\`: ${a.text}` },
      ...h.returns.map((l) => ({ line: l, column: 1, message: `returns with \`${h.expr}\` held` }))],
  };
}
