// One file in, its annotation model out. Never throws: a function that cannot
// be parsed or analysed is listed in `unanalysed` with the reason.
import type { CParser, Node, Tree } from './parse/parser';
import { maskKernelSource, type AnnotationNote, type MaskResult } from './parse/mask';
import { firstBranchOnly } from './parse/preproc';
import { buildCfg, declName } from './flow/cfg';
import { analyseLocks, domainOf, fieldOf, lockHelper, type CalleeRelease, type LockFlowResult, type OutsideView } from './flow/lockflow';
import type { Catalogue } from './locks/table';
import type { FileAnalysis, FunctionAnalysis, Diagnostic, HeldRange, Unanalysed } from './model';
import { scanReferences, type NameUse } from './parse/refs';
import { lineOf, lineStarts } from './parse/lines';
import { argumentRoot, openerAssignments } from './interproc/opened';
import { argumentLocker, fileShapes, keptShape, type FreshShape } from './interproc/fresh';
import type { FileSummary, FunctionSummary, SummaryCall } from './interproc/summary';
import { CallIndex } from './interproc/handover';
import { HELPER_DOMAINS } from './locks/helpers';
import { closingCounterparts } from './locks/names';
import { migrationPass, spansOf } from './migrate/file';
import { classify } from './migrate/classify';
import type { FileFacts } from './migrate/facts';
import { addCalleeFlows, functionPte, interestOf, type FunctionPte } from './pte/flow';
import { LEDGER_MENTION } from './pte/ledger';
import { checkCarried, checkRestored } from './pte/roundtrip';

export interface AnalyseOptions {
  catalogue: Catalogue;
  /** The editor's incremental state (core/incremental.ts); the CLI has none. */
  session?: AnalyseSession;
  /** Per-function step budget of the lock analysis. */
  maxSteps?: number;
  /** Bit flows and the pte/ rules (default on; the benchmark turns them off to price them). */
  bitFlows?: boolean;
}

const CONTAINERS = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif',
  'preproc_elifdef', 'linkage_specification', 'declaration_list', 'ERROR']);

/**
 * What an editor keeps between two analyses of one document: a tree of the masked text
 * it keeps current with tree.edit (owned and deleted by the caller), and each function's
 * own results keyed by its position and text, so that an edit re-analyses only the
 * functions it touched. Everything that depends on other functions (second pass,
 * cross-function findings, migration roles, callee flows) is recomputed every time.
 */
export interface AnalyseSession {
  tree?: Tree;
  /** The pre-pass of this very text, when the caller already ran it (to diff and re-parse). */
  mask?: MaskResult;
  memo: FunctionMemo;
}

export interface FunctionMemo {
  locks: Map<string, FunctionOutcome>;
  /** Bit-flow facts, valid for the set of function names they were computed against (`pteNames`). */
  pte: Map<string, FunctionPte>;
  pteNames?: string;
  /** Functions analysed afresh (not found in the memo) by the last run: what the benchmark prints. */
  fresh: number;
}

export function newMemo(): FunctionMemo { return { locks: new Map(), pte: new Map(), fresh: 0 }; }

/** One file's analysis, and what it tells the cross-function check, the migration classifier and the round trip. */
export interface FileResult { analysis: FileAnalysis; summary: FileSummary; migration: FileFacts; pte: FilePte }

/** The page-table facts of a file's functions that touch a ledger name (pte/flow.ts). */
export interface FilePte { path: string; functions: FunctionPte[] }

/** The file alone: its own findings, without what its callers and callees in other files add. */
export function analyseFile(parser: CParser, path: string, text: string, opts: AnalyseOptions): FileAnalysis {
  const r = analyseFileWithSummary(parser, path, text, opts);
  return withRoundTrip([r], withMigrationRoles([r]))[0];
}

/** Adds pte/bit-not-restored, which pairs an entry's encoder with its remover in any file of the set. */
function withRoundTrip(results: FileResult[], analyses: FileAnalysis[]): FileAnalysis[] {
  const found = checkRestored(results.map((r) => r.pte));
  return analyses.map((a) => {
    const more = found.get(a.path);
    if (!more?.length) return a;
    return { ...a, diagnostics: [...a.diagnostics, ...more].sort((x, y) => x.line - y.line || x.column - y.column) };
  });
}

/**
 * Each function's `migration` annotation, classified over the whole set (a callback is
 * registered in one file and defined in another).
 */
export function withMigrationRoles(results: FileResult[]): FileAnalysis[] {
  const roles = classify(results.map((r) => r.migration));
  return results.map(({ analysis }) => {
    const byLine = roles.get(analysis.path);
    const functions = analysis.functions.map((f) => {
      const m = byLine?.get(f.startLine);
      return m ? { ...f, migration: m } : f;
    });
    return { ...analysis, functions };
  });
}

/**
 * The findings of a set of files analysed together: each file's own, plus the
 * cross-function ones (interproc/handover.ts) that need callers from any file of the set.
 */
export function withCrossFunctionFindings(results: FileResult[]): FileAnalysis[] {
  const index = new CallIndex(results.map((r) => r.summary));
  const extra = index.check();
  const classified = withRoundTrip(results, withMigrationRoles(results));
  return results.map(({ summary }, i) => {
    const analysis = classified[i];
    // A release the file's own analysis already reports (a double release across loop turns) is not reported twice.
    const more = (extra.get(analysis.path) ?? []).filter((d) => !analysis.diagnostics.some((o) => o.line === d.line && o.ruleId === d.ruleId && o.lockKey === d.lockKey));
    // A lock held at exit that a callee in another file releases for its caller is not leaked.
    const own = analysis.diagnostics.filter((d) => !index.releasedByCallee(summary, d));
    if (!more.length && own.length === analysis.diagnostics.length) return analysis;
    const diagnostics = [...own, ...more].sort((a, b) => a.line - b.line || a.column - b.column);
    return { ...analysis, diagnostics };
  });
}

export function analyseFileWithSummary(parser: CParser, path: string, text: string, opts: AnalyseOptions): FileResult {
  const result: FileAnalysis = { path, functions: [], diagnostics: [], unanalysed: [] };
  const summary: FileSummary = { path, functions: [], addressed: new Set(), inMacros: new Set(), blind: new Set() };
  let migration: FileFacts = { path, functions: [], registrations: [] };
  const pte: FilePte = { path, functions: [] };
  let mask: MaskResult;
  try {
    mask = opts.session?.mask ?? maskKernelSource(text);
  } catch (e) {
    result.unanalysed.push({ startLine: 1, endLine: lineCount(text), reason: `pre-pass failed: ${(e as Error).message}` });
    return { analysis: result, summary, migration, pte };
  }
  const refs = scanReferences(mask.text);
  summary.addressed = refs.addressed;
  summary.inMacros = refs.inMacros;
  const header = path.endsWith('.h');
  const starts = lineStarts(text);
  const outcomes: FunctionOutcome[] = [];
  const memo = opts.session?.memo;
  const nextLocks = new Map<string, FunctionOutcome>();
  const nextPte = new Map<string, FunctionPte>();
  let fresh = 0;
  /** Calls of this file's own functions (bit flows through callees); made when first needed. */
  let interest: RegExp | undefined;
  const isLocker = (n: string): boolean => argumentLocker(n, (x) => opts.catalogue.verbs.has(x));
  const withTree = <T>(fn: (tree: Tree) => T): T | undefined => (opts.session?.tree ? fn(opts.session.tree) : parser.withTree(mask.text, fn));
  const parsed = withTree((tree) => {
    const fns = functionsOf(tree.rootNode);
    const spans = spansOf(fns, mask.text, header);
    fns.forEach((fn, i) => {
      let o: FunctionOutcome;
      if (memo) {
        const key = memoKey(fn, text);
        const old = memo.locks.get(key);
        if (old) o = copyOutcome(old);
        else { o = analyseFunction(parser, fn, text, mask, opts); fresh++; }
        nextLocks.set(key, old ?? copyOutcome(o));
      } else o = analyseFunction(parser, fn, text, mask, opts);
      const calls = callsWithin(refs.calls, spans[i].bodyStart, spans[i].end, starts);
      // Only pointer parameters can carry an object whose lock a callee releases (`struct mm_struct *mm`).
      const header = text.slice(spans[i].start, spans[i].bodyStart);
      const pointers = spans[i].params.map((p) => (p && new RegExp(`\\*\\s*(?:const\\s+)?${p}\\b`).test(header) ? p : undefined));
      o.shape = { fileLocal: spans[i].fileLocal, calls, pointers, params: spans[i].params, bodyStart: spans[i].bodyStart, end: spans[i].end,
        lockFree: () => !opts.catalogue.mention.test(text.slice(spans[i].start, spans[i].end)) };
      outcomes.push(o);
    });
    const byStart = new Map(outcomes.map((o) => [o.fn.startLine, o]));
    const pass = migrationPass({
      path, text, maskText: mask.text, fns, spans, lineOf: (off) => lineOf(starts, off),
      catalogue: opts.catalogue, loopMacros: mask.loopMacros,
      callsOf: (s) => byStart.get(s.startLine)?.shape?.calls ?? [],
      heldAt: (fnLine, line, callee) => byStart.get(fnLine)?.outside?.calls.find((c) => c.line === line && c.callee === callee)?.held,
    });
    migration = pass.facts;
    result.diagnostics.push(...pass.diagnostics);
    result.unanalysed.push(...pass.unanalysed);
    // Bit flows, only where a ledger name appears (most functions have none), then in the
    // functions that call a same-file function whose result carries a flow (hmm_vma_handle_pmd()
    // names no ledger word, but calls pmd_to_hmm_pfn_flags()).
    const ptePass = (i: number): void => {
      const span = spans[i];
      try {
        interest ??= interestOf([...new Set(spans.map((x) => x.name).filter((x) => /^[A-Za-z_]\w*$/.test(x)))]);
        let f: FunctionPte;
        if (memo) {
          // Which calls count depends on the file's function names: a memo made for other names is void.
          const key = memoKey(fns[i], text);
          const old = memo.pteNames === interest.source ? memo.pte.get(key) : undefined;
          f = old ? { ...old, flows: [...old.flows] } : functionPte(fns[i], text, (off) => lineOf(starts, off), span.name, interest);
          nextPte.set(key, old ?? { ...f, flows: [...f.flows] });
        } else f = functionPte(fns[i], text, (off) => lineOf(starts, off), span.name, interest);
        pte.functions.push(f);
        result.diagnostics.push(...checkCarried(f));
        if (f.truncated) result.unanalysed.push({ startLine: span.startLine, endLine: span.endLine, reason: `${span.name}(): ${f.truncated}` });
      } catch (e) {
        result.unanalysed.push({ startLine: span.startLine, endLine: span.endLine, reason: `${span.name}(): bit flows not computed: internal error (${(e as Error).message})` });
      }
    };
    const bodyOf = (i: number): string => mask.text.slice(spans[i].bodyStart, spans[i].end);
    const rest: number[] = [];
    if (opts.bitFlows !== false) fns.forEach((_, i) => (LEDGER_MENTION.test(bodyOf(i)) ? ptePass(i) : rest.push(i)));
    const carriers = pte.functions.filter((f) => f.flows.some((fl) => fl.toReturn)).map((f) => f.name);
    if (carriers.length && rest.length) {
      const calls = new RegExp(`\\b(${carriers.join('|')})\\s*\\(`);
      for (const i of rest) if (calls.test(bodyOf(i))) ptePass(i);
    }
    addCalleeFlows(pte.functions);
    return true;
  });
  const releasers = new Map(outcomes.map((o) => [o.fn.name, o.callerReleases && [...new Set(o.callerReleases.map((r) => r.domain))]]));
  // Second pass, only where it can matter: a function with findings that calls a same-file
  // function which releases its caller's locks (`return hugetlb_no_page(…)` drops the vma lock).
  const calleeReleases = new Map<string, CalleeRelease[]>();
  for (const o of outcomes) if (o.callerReleases?.length) calleeReleases.set(o.fn.name, o.callerReleases);
  // A function that only passes its caller's lock on to such a releaser releases it too
  // (`svm_bo_settle()` → `svm_bo_finish()`): a few rounds cover the chains seen in practice.
  // Which lock is not followed through the chain (calls carry no arguments here): any of the domain,
  // except a global, which is the same object at every level (`mem_hotplug_done()` drops
  // mem_hotplug_lock, not the device_hotplug_lock its caller's caller holds).
  // …or re-takes one for it (`do_page_mkwrite()` returns with the folio locked again).
  const calleeAcquires = new Map<string, string[]>();
  for (const o of outcomes) {
    const domains = [...new Set((o.outside?.returnsHeld ?? []).map(domainOf))];
    if (domains.length) calleeAcquires.set(o.fn.name, domains);
  }
  const lineText = (line: number): string => mask.text.slice(starts[line - 1] ?? 0, starts[line] ?? mask.text.length);
  // What same-file openers (callees returning with a lock held) gave each function, read once for
  // the rounds below: the locals they filled, with the line of the first filling (`ci =
  // lock_cluster(si, off)`: a releaser given `ci` after it pairs with that callee, not with a
  // caller's lock), and the opener calls whose result names nothing (`folio_memcg_lock(folio);`:
  // they pair with the next releaser call of their domain, `__folio_memcg_unlock(from)`, whatever it
  // is given).
  const openedBy = new Map<FunctionOutcome, { names: Map<string, number>; unnamed: Set<string> }>();
  for (const o of outcomes) {
    const calls = (o.shape?.calls ?? []).filter((c) => calleeAcquires.has(c.name));
    if (calls.length === 0) continue;
    const assigned = openerAssignments(mask.text, starts[o.fn.startLine - 1] ?? 0, starts[o.fn.endLine] ?? mask.text.length,
      new Set(calls.map((c) => c.name)), (off) => lineOf(starts, off));
    const names = new Map<string, number>();
    for (const a of assigned) if (!names.has(a.target)) names.set(a.target, a.line);
    const unnamed = new Set(calls.filter((c) => !assigned.some((a) => a.opener === c.name && a.line === c.line && a.callLine === c.line))
      .map((c) => `${c.line}:${c.name}`));
    openedBy.set(o, { names, unnamed });
  }
  for (let round = 0; round < 3; round++) {
    let grew = false;
    for (const o of outcomes) {
      const own = calleeReleases.get(o.fn.name) ?? [];
      const taken = new Set((o.outside?.acquired ?? []).map(domainOf));
      const seen = new Set(own.map((r) => (r.global !== undefined && r.param === undefined ? `${r.domain}:${r.global}` : r.domain)));
      const add: CalleeRelease[] = [];
      const opened = openedBy.get(o);
      const unnamed = new Map<string, number>();
      for (const c of o.shape?.calls ?? []) {
        if (opened?.unnamed.has(`${c.line}:${c.name}`)) {
          for (const d of calleeAcquires.get(c.name) ?? []) unnamed.set(d, (unnamed.get(d) ?? 0) + 1);
        }
        for (const r of calleeReleases.get(c.name) ?? []) {
          const global = r.param === undefined ? r.global : undefined;
          const id = global !== undefined ? `${r.domain}:${global}` : r.domain;
          if (taken.has(r.domain) || seen.has(id) || seen.has(r.domain)) continue;
          const openedAt = r.param !== undefined && opened?.names.size ? opened.names.get(argumentRoot(lineText(c.line), c.name, r.param) ?? '') : undefined;
          if (openedAt !== undefined && openedAt < c.line) continue;
          const pending = unnamed.get(r.domain) ?? 0;
          if (pending > 0) { unnamed.set(r.domain, pending - 1); continue; }
          seen.add(id);
          add.push(global !== undefined ? { domain: r.domain, global } : { domain: r.domain });
        }
      }
      if (add.length) { calleeReleases.set(o.fn.name, [...own, ...add]); grew = true; }
    }
    if (!grew) break;
  }
  for (const o of outcomes) {
    // Also a function that seems to return a lock held: its summary says "leaves it held" to the
    // tree-wide rule (try_to_accept_memory_one() hands zone->lock to __accept_page(), which drops it).
    const matters = o.diagnostics.length > 0 || (o.outside?.returnsHeld.length ?? 0) > 0 || o.wantsCallees === true;
    if (!o.rerun || !matters || !o.calls?.some((c) => calleeReleases.has(c) || calleeAcquires.has(c))) continue;
    const again = o.rerun(calleeReleases, calleeAcquires);
    o.diagnostics = again.diagnostics;
    o.firm = again.firm;
    o.unsaid = again.unsaid;
    o.fn.lockPairs = again.pairs;
    setHeld(o.fn, again.held);
    o.outside = again.outside;
  }
  // Objects made here (interproc/fresh.ts): read from the text, after every function's own analysis.
  const shaped = outcomes.filter((o) => o.shape);
  const { shapes, returners } = fileShapes(text, shaped.map((o) => ({ name: o.fn.name, from: o.shape!.bodyStart, to: o.shape!.end,
    params: o.shape!.params, calls: o.shape!.calls, lockFree: o.shape!.lockFree })), isLocker, (off) => lineOf(starts, off),
    (n) => calleeAcquires.has(n));
  const freshOf = new Map(shaped.map((o, i) => [o, shapes[i] ?? NO_SHAPE]));
  const sameFile = new Set(outcomes.map((o) => o.fn.name));
  for (const out of outcomes) {
    result.functions.push(out.fn);
    if (out.shape) summary.functions.push(summarise(out, out.shape, freshOf.get(out) ?? NO_SHAPE, text, opts.catalogue, calleeReleases.get(out.fn.name), returners, sameFile));
    result.diagnostics.push(...out.diagnostics.filter((d) => (out.firm?.includes(d) || !releasedByCounterpart(d, out.fn.name, releasers))
      && !(out.unsaid?.includes(d) && releasedByCaller(d, out.fn.name, outcomes, calleeReleases))));
    if (out.unanalysed) {
      result.unanalysed.push(out.unanalysed);
      // The locks a function we could not analyse names: the cross-function check cannot rule it out.
      const body = text.slice(starts[out.fn.startLine - 1] ?? 0, starts[out.fn.endLine] ?? text.length);
      for (const k of lockArgsNamed(body)) summary.blind.add(k);
    }
  }
  if (!parsed) result.unanalysed.push({ startLine: 1, endLine: lineCount(text), reason: 'the parser gave no tree' });
  if (memo) { memo.locks = nextLocks; memo.pte = nextPte; memo.pteNames = interest?.source; memo.fresh = fresh; }
  const pteAt = new Map(pte.functions.map((f) => [f.startLine, f]));
  for (const f of result.functions) {
    const p = pteAt.get(f.startLine);
    f.bitFlows = (p?.flows ?? []).map(({ bit, direction, from, to, guarded, via }) => ({ bit, direction, from, to, guarded, ...(via ? { via } : {}) }));
    if (p?.values.length) f.pteValues = p.values;
  }
  result.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { analysis: result, summary, migration, pte };
}

/**
 * `owner.field` (or a bare name) of each argument of a lock-like call in `body`, lexically:
 * `spin_lock_irqsave(&observed.lock, flags)` gives `observed.lock` and `flags`.
 */
function lockArgsNamed(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/\b\w*(?:lock|mutex|sem|rcu)\w*\s*\(([^;{}]*)\)/gi)) {
    for (const arg of m[1].split(',')) {
      const parts = arg.replace(/[&*()\s]/g, '').replace(/\[[^\]]*\]/g, '').split(/->|\./);
      if (parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) out.push(parts.slice(-2).join('.'));
    }
  }
  return out;
}

/** Calls lexically inside [from, to), with their line and offset. */
function callsWithin(calls: NameUse[], from: number, to: number, starts: number[]): { name: string; line: number; offset: number }[] {
  const out: { name: string; line: number; offset: number }[] = [];
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (calls[mid].offset < from) lo = mid + 1; else hi = mid; }
  for (let i = lo; i < calls.length && calls[i].offset < to; i++) out.push({ name: calls[i].name, line: lineOf(starts, calls[i].offset), offset: calls[i].offset });
  return out;
}

/**
 * The function as its callers' check sees it. Lock state at a call comes from the lock
 * analysis; a function with no lock verb holds nothing at its calls; one that could not
 * be analysed leaves the state unknown.
 */
function summarise(o: FunctionOutcome, shape: FunctionShape, made: FreshShape, text: string, catalogue: Catalogue,
  releases: CalleeRelease[] = [], returners: ReadonlySet<string> = new Set(), sameFile: ReadonlySet<string> = new Set()): FunctionSummary {
  const fn = o.fn;
  const seen = new Map((o.outside?.calls ?? []).map((c) => [`${c.line}:${c.callee}`, c]));
  const kept = keptShape(made, text, shape.calls, shape.pointers, returners, sameFile);
  const calls: SummaryCall[] = shape.calls.map(({ name, line }) => {
    const c: SummaryCall = seen.get(`${line}:${name}`)
      ?? (fn.notAnalysed || o.outside ? { callee: name, line } : { callee: name, line, held: [], released: [] });
    const argNames = kept.args.get(`${line}:${name}`);
    if (argNames) c.argNames = argNames;
    return c;
  });
  return {
    name: fn.name, startLine: fn.startLine, endLine: fn.endLine, fileLocal: shape.fileLocal, calls,
    acquired: o.outside?.acquired ?? [],
    catalogued: catalogue.verbs.has(fn.name) || catalogue.consumers.has(fn.name),
    releasesForCaller: releases,
    annotated: o.annotated ?? false, candidates: o.outside?.candidates ?? [], returnsHeld: o.outside?.returnsHeld ?? [],
    returnsHeldAs: o.outside?.returnsHeldAs ?? [],
    owners: o.outside?.owners ?? { taken: [], handed: [], opened: [] },
    fresh: kept.fresh.size ? kept.fresh : undefined,
    lockHelperCalls: [...new Set(shape.calls.map((c) => c.name).filter((n) => (lockHelper(n) || HELPER_DOMAINS.has(n)) && !catalogue.verbs.has(n)))],
  };
}

function functionsOf(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    for (let i = 0; i < n.namedChildCount; i++) {
      const c = n.namedChild(i);
      if (!c) continue;
      if (c.type === 'function_definition') out.push(c);
      else if (CONTAINERS.has(c.type)) walk(c);
    }
  };
  walk(root);
  return out;
}

const NO_SHAPE: FreshShape = { sources: new Map() };

/** What the file's text says of a function beside its lock analysis: for the cross-function check. */
interface FunctionShape {
  fileLocal: boolean;
  calls: { name: string; line: number; offset: number }[];
  /** The parameters, in order, where declared as pointers (the others undefined). */
  pointers: Array<string | undefined>;
  params: string[];
  /** The body, `text[bodyStart, end)`, for what interproc/fresh.ts reads of it. */
  bodyStart: number;
  end: number;
  /** No lock word in the function (computed when asked). */
  lockFree: () => boolean;
}

export interface FunctionOutcome {
  fn: FunctionAnalysis; diagnostics: Diagnostic[]; unanalysed?: Unanalysed;
  callerReleases?: CalleeRelease[];
  outside?: OutsideView;
  annotated?: boolean;
  shape?: FunctionShape;
  /** Names this function calls, and a re-run of its lock analysis with callee summaries. */
  calls?: string[];
  rerun?: (calleeReleases: Map<string, CalleeRelease[]>, calleeAcquires: Map<string, string[]>) => LockFlowResult;
  /** Findings a counterpart function does not excuse (LockFlowResult.firm). */
  firm?: Diagnostic[];
  /** Findings a same-file caller's release excuses (LockFlowResult.unsaid). */
  unsaid?: Diagnostic[];
  /** See LockFlowResult.wantsCallees. */
  wantsCallees?: boolean;
}

/**
 * `zone_pcp_disable()` returns with pcp_batch_high_lock held on purpose: `zone_pcp_enable()`
 * in the same file releases it. A lock held at exit is not reported when a counterpart
 * function (same name, opening word swapped for a closing one) releases a lock of that domain.
 */
function releasedByCounterpart(d: Diagnostic, fnName: string, releasers: Map<string, string[] | undefined>): boolean {
  if (d.ruleId !== 'lock/held-at-exit' || !d.lockKey) return false;
  const domain = domainOf(d.lockKey);
  return closingCounterparts(fnName).some((other) => releasers.get(other)?.includes(domain));
}

/**
 * A function returning 0 with a lock held and -E… without, whose name does not say it hands out a
 * lock (see LockFlowResult.unsaid), is still the killable contract when a same-file caller drops a
 * lock of that kind it did not take, itself or through a same-file releaser (`ret =
 * dev_wait_ready(d); if (ret) return ret; … mutex_unlock(&d->lock);`).
 */
function releasedByCaller(d: Diagnostic, fnName: string, outcomes: FunctionOutcome[], calleeReleases: Map<string, CalleeRelease[]>): boolean {
  if (!d.lockKey) return false;
  const domain = domainOf(d.lockKey);
  const field = fieldOf(d.lockKey);
  return outcomes.some((o) => o.fn.name !== fnName && o.shape?.calls.some((c) => c.name === fnName) && (
    o.fn.lockPairs.some((p) => p.acquire === null && fieldOf(p.lock) === field)
    || o.shape.calls.some((c) => calleeReleases.get(c.name)?.some((r) => r.domain === domain))));
}

function analyseFunction(parser: CParser, fn: Node, text: string, mask: MaskResult, opts: AnalyseOptions): FunctionOutcome {
  const name = declName(fn.childForFieldName('declarator')) ?? '<anonymous>';
  const startLine = fn.startPosition.row + 1;
  const endLine = fn.endPosition.row + 1;
  const info: FunctionAnalysis = { name, startLine, endLine, lockPairs: [] };
  const original = text.slice(fn.startIndex, fn.endIndex);
  if (!opts.catalogue.mention.test(original)) return { fn: info, diagnostics: [] };
  const bodyStart = fn.childForFieldName('body')?.startIndex ?? fn.endIndex;
  const annotations = mask.annotations
    .filter((a: AnnotationNote) => a.offset >= fn.startIndex && a.offset < bodyStart)
    .map((a) => ({ name: a.name, args: a.args }));

  const run = (node: Node): FunctionOutcome => {
    const cfg = buildCfg({ fn: node, catalogue: opts.catalogue, loopMacros: mask.loopMacros });
    const acquireWrapper = opts.catalogue.acquireWrappers.has(name);
    const wrapperDomain = opts.catalogue.verbs.get(name)?.domain;
    const lockedCallbacks = opts.catalogue.lockedCallbacks;
    const r = analyseLocks(cfg, { name, annotations, maxSteps: opts.maxSteps, acquireWrapper, wrapperDomain, lockedCallbacks });
    if (r.overBudget) return skip(r.overBudget);
    info.lockPairs = r.pairs;
    setHeld(info, r.held);
    const calls = [...new Set(cfg.nodes.flatMap((n) => n.events.flatMap((e) => (e.t === 'call' ? [e.name] : []))))];
    return {
      fn: info, diagnostics: r.diagnostics, firm: r.firm, unsaid: r.unsaid, callerReleases: r.callerReleases, calls, wantsCallees: r.wantsCallees,
      outside: r.outside, annotated: annotations.length > 0,
      rerun: (calleeReleases, calleeAcquires) => analyseLocks(cfg, {
        name, annotations, maxSteps: opts.maxSteps, acquireWrapper, wrapperDomain, calleeReleases, calleeAcquires, lockedCallbacks,
      }),
    };
  };
  const skip = (reason: string): FunctionOutcome => {
    info.notAnalysed = reason;
    return { fn: info, diagnostics: [], unanalysed: { startLine, endLine, reason: `${name}(): ${reason}` } };
  };

  try {
    if (!fn.hasError) return run(fn);
    // Second chance: the function alone, first #if branches only.
    const retry = firstBranchOnly(mask.text, fn.startIndex, fn.endIndex);
    const outcome = parser.withTree(retry, (tree) => {
      const again = functionsOf(tree.rootNode).find((f) => f.startIndex === fn.startIndex);
      if (!again || again.hasError) return skip(`not analysed: parse error near line ${firstErrorLine(again ?? fn)}`);
      return run(again);
    });
    return outcome ?? skip('not analysed: the parser gave no tree');
  } catch (e) {
    return skip(`not analysed: internal error (${(e as Error).message})`);
  }
}

/** A function's memo key: where it starts and its text (its results hold lines and columns, no offsets). */
function memoKey(fn: Node, text: string): string {
  return `${fn.startPosition.row}:${fn.startPosition.column}\n${text.slice(fn.startIndex, fn.endIndex)}`;
}

/** The later passes assign to an outcome's fields (second pass, held ranges, flows): they get a copy. */
function copyOutcome(o: FunctionOutcome): FunctionOutcome {
  return { ...o, fn: { ...o.fn }, diagnostics: [...o.diagnostics] };
}

function setHeld(fn: FunctionAnalysis, held: HeldRange[] | undefined): void {
  if (held?.length) fn.held = held;
  else delete fn.held;
}

function firstErrorLine(n: Node): number {
  const stack: Node[] = [n];
  while (stack.length) {
    const c = stack.pop()!;
    if (c.type === 'ERROR' || c.isMissing) return c.startPosition.row + 1;
    if (!c.hasError) continue;
    for (let i = c.childCount - 1; i >= 0; i--) { const k = c.child(i); if (k) stack.push(k); }
  }
  return n.startPosition.row + 1;
}

function lineCount(text: string): number {
  return lineStarts(text).length;
}

/**
 * Migration facts of one file without the lock analysis: what the workspace map needs.
 * Never throws: a file that cannot be read as C gives no functions.
 */
export function migrationFactsOf(parser: CParser, path: string, text: string, catalogue: Catalogue): FileFacts {
  const empty: FileFacts = { path, functions: [], registrations: [] };
  try {
    const mask = maskKernelSource(text);
    const refs = scanReferences(mask.text);
    const starts = lineStarts(text);
    return parser.withTree(mask.text, (tree) => {
      const fns = functionsOf(tree.rootNode);
      return migrationPass({
        path, text, maskText: mask.text, fns, spans: spansOf(fns, mask.text, path.endsWith('.h')),
        lineOf: (off) => lineOf(starts, off), catalogue, loopMacros: mask.loopMacros, factsOnly: true,
        callsOf: (s) => callsWithin(refs.calls, s.bodyStart, s.end, starts),
      }).facts;
    }) ?? empty;
  } catch {
    return empty;
  }
}
