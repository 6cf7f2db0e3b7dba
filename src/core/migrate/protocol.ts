// Protocol checks over one function's control-flow graph (rules migrate/*):
//   - after a successful setup (migrate_vma_setup, migrate_device_range/pfns, the
//     2017 mm_hmm_migrate*) every path reaches the finalize step on the same object;
//   - pages and finalize come after setup, pages before finalize, each once;
//   - an hmm_range_fault() snapshot is checked with mmu_interval_read_retry(), under a lock.
//
// How: a forward typestate analysis. A path state maps each migration object
// (the normalised object argument: `&args` → `args`) to where it is in the protocol,
// and remembers which variable holds a setup's result, which hold a known 0 and
// which hold the `cpages` count, so `if (ret) goto out` and `if (!args.cpages)`
// split the state. States are merged by value (no path enumeration) and capped.
//
// Invariants (each one a false positive we refuse to give):
//  - missing finalize is reported only for an object rooted in a local of this
//    function: a parameter's migration may be finalized by the caller;
//  - an object handed to a function we cannot see (other file, pointer) is no
//    longer tracked; to a same-file function, its summary says what it does;
//  - `cpages == 0` after setup means nothing was collected: nothing to finalize.
import type { Cfg, CfgNode, Event } from '../flow/cfg';
import { EXIT } from '../flow/cfg';
import { rootOf } from '../flow/expr';
import type { Diagnostic, PathStep } from '../model';
import { MIRROR_READ, type MigrationCatalogue, type MigrationProtocol, type ProtocolVerb } from './catalogue';
import { splitCallArgs } from './facts';

/** What a same-file function does to the migration objects it is given, by parameter index. */
export interface CalleeSummary { finalizes: Set<number>; pages: Set<number>; retries: boolean; alwaysZero: boolean }

export interface ProtocolInput {
  cfg: Cfg;
  name: string;
  /** The protocols and their verbs (built-in plus the workspace's). */
  catalogue: MigrationCatalogue;
  /** Same-file functions by name. */
  callees: Map<string, CalleeSummary>;
  /** Lock keys that may be held at a call `${line}:${callee}`; undefined when the lock analysis did not run. */
  heldAt?: (line: number, callee: string) => string[] | undefined;
  /** Roots of the arguments of calls through a pointer (`ops->migrate(&args)`), which the CFG does not name. */
  indirect?: Set<string>;
  maxStates?: number;
}

export interface ProtocolResult { diagnostics: Diagnostic[]; overBudget?: string }

type Stage = 'active' | 'paged' | 'done' | 'failed' | 'empty' | 'unknown';

interface Obj { stage: Stage; protocol: string; setup: { line: number; column: number; call: string } }

interface State {
  objs: Map<string, Obj>;
  /** Variable holding a setup's result → object key. */
  pending: Map<string, string>;
  /** Variables known to hold 0. */
  zero: Set<string>;
  /** Variables holding `key.cpages` → object key. */
  cpages: Map<string, string>;
  steps: PathStep[];
}

const MAX_STEPS_KEPT = 24;

export function checkProtocol(input: ProtocolInput): ProtocolResult {
  const diagnostics = new Map<string, Diagnostic>();
  const { cfg } = input;
  const verbs = input.catalogue.verbs;
  const maxStates = input.maxStates ?? 256;
  const seen: Map<string, State>[] = cfg.nodes.map(() => new Map());
  const work: [number, State][] = [[0, { objs: new Map(), pending: new Map(), zero: new Set(), cpages: new Map(), steps: [] }]];
  // Objects this function sets up itself: only they can be used "before setup" (an object set up
  // by other means, as migrate_device_coherent_folio() does through an internal, is not ours to judge).
  const setUpHere = objectsOf(cfg, 'setup', verbs);
  // …or objects no other call is given and nothing assigns whole (`struct migrate_vma args = {…}`
  // then migrate_vma_pages(&args) alone): nothing else can have set them up.
  const touched = new Set(cfg.nodes.flatMap((n) => n.events.flatMap((e) => {
    if (e.t === 'call' && !verbs.has(e.name) && !input.catalogue.reads(e.name)) return e.args.map((a) => rootOf(a) ?? '');
    if (e.t === 'assign' && e.value !== 'uninit' && !(e.rhs ?? '').startsWith('{')) return [e.target];
    return [];
  })));
  // A local that points into something else (`args = &ctx->args`, `src = chunk->src_pfns`) is not
  // owned here (a begin/end pair of functions may share it), unless this function finalizes it
  // itself on some path: then it took the job of finishing it.
  const aliases = new Set(cfg.nodes.flatMap((n) => n.events.flatMap((e) =>
    (e.t === 'assign' && e.rhs && /^[A-Za-z_]\w*(->|\.)/.test(e.rhs.replace(/^&/, '')) ? [e.target] : []))));
  const finalizedHere = objectsOf(cfg, 'finalize', verbs);
  const local = (key: string): boolean => {
    const root = rootOf(key);
    return !!root && cfg.locals.has(root) && !cfg.params.includes(root) && (!aliases.has(root) || finalizedHere.has(key))
      && !input.indirect?.has(root)
      && !key.includes('[') && (setUpHere.has(key) || (key === root && !touched.has(root)));
  };
  const report = (id: string, d: Omit<Diagnostic, 'function' | 'endLine' | 'endColumn'> & { endColumn?: number }): void => {
    if (!diagnostics.has(id)) diagnostics.set(id, { ...d, function: input.name, endLine: d.line, endColumn: d.endColumn ?? d.column + 1 });
  };
  let budget = maxStates * cfg.nodes.length;
  while (work.length) {
    if (--budget < 0) return { diagnostics: [], overBudget: 'migration protocol not analysed: over budget' };
    const [id, s] = work.pop()!;
    const node = cfg.nodes[id];
    const k = serialise(s);
    if (seen[id].has(k)) continue;
    if (seen[id].size >= maxStates) return { diagnostics: [], overBudget: 'migration protocol not analysed: too many states' };
    seen[id].set(k, s);
    if (id === EXIT) {
      const untested = new Set(s.pending.values()); // tested by a switch or not at all: cannot tell
      for (const [key, o] of s.objs) {
        if ((o.stage !== 'active' && o.stage !== 'paged') || !local(key) || untested.has(key)) continue;
        const fin = input.catalogue.protocols.find((p) => p.name === o.protocol)?.finalize[0] ?? 'finalize';
        report(`fin:${o.setup.line}:${key}`, {
          ruleId: 'migrate/missing-finalize', severity: 'warning', line: o.setup.line, column: o.setup.column,
          message: `A path after a successful ${o.setup.call} leaves ${input.name}() without ${fin}(${key}): the collected pages stay locked behind migration entries`,
          related: [], flow: [...s.steps, { line: node.line, column: 1, message: `leaves ${input.name}() with ${key} ${o.stage === 'paged' ? 'migrated but not finalized' : 'set up but not finalized'}` }],
        });
      }
      continue;
    }
    let cur = s;
    for (const e of node.events) cur = apply(cur, e, node, input, local, report);
    const succ = node.succ;
    if (node.kind === 'branch' && node.atom && succ.length === 2) {
      const [t, f] = branchStates(cur, node, input);
      if (t) work.push([succ[0], withStep(t, node, true)]);
      if (f) work.push([succ[1], withStep(f, node, false)]);
    } else {
      for (const n of succ) work.push([n, cur]);
    }
  }
  return { diagnostics: [...diagnostics.values()] };
}

/** The objects this function gives to one protocol step anywhere in its body. */
function objectsOf(cfg: Cfg, step: 'setup' | 'pages' | 'finalize', verbs: Map<string, ProtocolVerb>): Set<string> {
  return new Set(cfg.nodes.flatMap((n) => n.events.flatMap((e) => {
    const v = e.t === 'call' ? verbs.get(e.name) : undefined;
    return e.t === 'call' && v?.step === step && e.args[v.p.objectArg] ? [e.args[v.p.objectArg]] : [];
  })));
}

function apply(s: State, e: Event, node: CfgNode, input: ProtocolInput, local: (k: string) => boolean,
  report: (id: string, d: Omit<Diagnostic, 'function' | 'endLine' | 'endColumn'>) => void): State {
  if (e.t === 'assign') {
    const rhsRoot = e.rhs ? rootOf(e.rhs) : undefined;
    if (!s.pending.has(e.target) && !s.zero.has(e.target) && !s.cpages.has(e.target) && ![...s.objs.keys()].some((k) => rootOf(k) === e.target || rootOf(k) === rhsRoot)
      && !(e.value === 'zero' || (e.rhs && collectedOf(e.rhs, input.catalogue.protocols)) || (e.rhs && calleeOf(e.rhs)))) return s;
    const n = copy(s);
    // A setup's result goes to `ret`: the next test of `ret` says whether it worked.
    const setupCall = e.rhs ? calleeOf(e.rhs) : undefined;
    const verb = setupCall ? input.catalogue.verbs.get(setupCall) : undefined;
    n.zero.delete(e.target);
    n.cpages.delete(e.target);
    n.pending.delete(e.target);
    if (verb?.step === 'setup' && e.rhs) {
      const key = objectOf(e.rhs, verb.p.objectArg);
      const o = key ? n.objs.get(key) : undefined;
      // `ret = setup(…)` is the result; `ok = setup(…) == 0` is not: that object is no longer judged.
      if (key && o?.stage === 'active') {
        if (isWholeCall(e.rhs)) n.pending.set(e.target, key);
        else n.objs.set(key, { ...o, stage: 'unknown' });
      }
    } else if (e.value === 'zero' || (setupCall && input.callees.get(setupCall)?.alwaysZero)) n.zero.add(e.target);
    else if (e.rhs) {
      const m = collectedOf(e.rhs, input.catalogue.protocols);
      if (m && n.objs.has(m)) n.cpages.set(e.target, m);
    }
    for (const k of [...n.objs.keys()]) if (rootOf(k) === e.target) n.objs.delete(k);
    // The object (or its owner) stored somewhere (`dev->pending = job`, `p = &args`): someone else may
    // finish it. Reading a field (`cpages = args.cpages`) stores nothing.
    if (e.rhs && e.target !== e.rhs) {
      for (const [k, o] of n.objs) if ((e.rhs === k || e.rhs === rootOf(k)) && o.stage !== 'unknown') n.objs.set(k, { ...o, stage: 'unknown' });
    }
    return n;
  }
  if (e.t !== 'call') return s;
  const verb = input.catalogue.verbs.get(e.name);
  if (verb) {
    const key = e.args[verb.p.objectArg];
    // `&args[i]`: one key for every index; not tracked.
    if (!key || key.includes('[')) return s;
    const n = copy(s);
    const o = n.objs.get(key);
    const site = { line: e.line, column: node.line === e.line ? node.column : 1, call: `${e.name}() on ${key}` };
    if (verb.step === 'setup') {
      // The untested result counts as success; an assignment or a test of it refines that.
      n.objs.set(key, { stage: 'active', protocol: verb.p.name, setup: site });
      n.steps = pushStep(n.steps, { line: e.line, column: site.column, message: `${e.name}() sets up ${key}` });
      return n;
    }
    if (o?.stage === 'unknown') return n;
    const stage = o?.stage;
    if (verb.step === 'pages') {
      if (stage === 'done') {
        report(`order:${e.line}`, { ruleId: 'migrate/out-of-order', severity: 'warning', line: e.line, column: site.column,
          message: `${e.name}(${key}) after ${verb.p.finalize[0]}(${key}) on this path: the migration is already over`,
          related: [], flow: [...n.steps, { line: e.line, column: site.column, message: `${e.name}(${key}) after finalize` }] });
      } else if (stage === 'paged') {
        report(`twice:${e.line}`, { ruleId: 'migrate/twice', severity: 'warning', line: e.line, column: site.column,
          message: `${e.name}(${key}) a second time on this path`,
          related: [], flow: [...n.steps, { line: e.line, column: site.column, message: `${e.name}(${key}) again` }] });
      } else if ((stage === undefined || stage === 'failed') && local(key)) {
        report(`order:${e.line}`, { ruleId: 'migrate/out-of-order', severity: 'warning', line: e.line, column: site.column,
          message: `${e.name}(${key}) on a path where ${verb.p.setup[0]}(${key}) ${stage === 'failed' ? 'failed' : 'was not called'}`,
          related: [], flow: [...(n.steps.length ? n.steps : [noSetup(input, key)]), { line: e.line, column: site.column, message: `${e.name}(${key}) without setup` }] });
      }
      if (o) n.objs.set(key, { ...o, stage: stage === 'active' ? 'paged' : stage! });
      n.steps = pushStep(n.steps, { line: e.line, column: site.column, message: `${e.name}(${key})` });
      return n;
    }
    // finalize
    if (stage === 'done') {
      report(`twice:${e.line}`, { ruleId: 'migrate/twice', severity: 'warning', line: e.line, column: site.column,
        message: `${e.name}(${key}) a second time on this path: pages already unlocked and released would be released again`,
        related: [], flow: [...n.steps, { line: e.line, column: site.column, message: `${e.name}(${key}) again` }] });
    } else if (stage === undefined && local(key)) {
      report(`order:${e.line}`, { ruleId: 'migrate/out-of-order', severity: 'warning', line: e.line, column: site.column,
        message: `${e.name}(${key}) on a path where ${verb.p.setup[0]}(${key}) was not called: it walks src[] entries nobody filled`,
        related: [], flow: [...(n.steps.length ? n.steps : [noSetup(input, key)]), { line: e.line, column: site.column, message: `${e.name}(${key}) without setup` }] });
    }
    if (o) n.objs.set(key, { ...o, stage: 'done' });
    n.steps = pushStep(n.steps, { line: e.line, column: site.column, message: `${e.name}(${key}) ends the migration` });
    return n;
  }
  // Another call given a tracked object: a same-file callee's summary, else it may do anything.
  if (input.catalogue.reads(e.name)) return s;
  // [object, argument index]: -1 when the argument is only related (`&job->work`, `job`, `args.dst`).
  const given: [string, number][] = [];
  e.args.forEach((a, i) => {
    for (const k of s.objs.keys()) {
      if (a === k) given.push([k, i]);
      else if (rootOf(a) === rootOf(k)) given.push([k, -1]);
    }
  });
  if (!given.length) return s;
  const n = copy(s);
  const callee = input.callees.get(e.name);
  for (const [key, i] of given) {
    const o = n.objs.get(key)!;
    if (o.stage === 'unknown') continue;
    // The summary says "finalizes (or pages) on some path", not on all: from here on, nothing is judged.
    // Only an exact argument to a same-file callee that does neither keeps the object tracked.
    if (!callee || i < 0 || e.args[i] !== key || callee.finalizes.has(i) || callee.pages.has(i)) {
      n.objs.set(key, { ...o, stage: 'unknown' });
      n.steps = pushStep(n.steps, { line: e.line, column: 1, message: `${e.name}() is given ${key}` });
    }
  }
  return n;
}

/** The two successor states of a branch, undefined where the test cannot go that way. */
function branchStates(s: State, node: CfgNode, input: ProtocolInput): [State | undefined, State | undefined] {
  const atom = node.atom!;
  // `if (migrate_vma_setup(&args))`, `if (migrate_vma_setup(&args) < 0)`: the test is the setup's result.
  const call = node.events.filter((e): e is Extract<Event, { t: 'call' }> => e.t === 'call' && input.catalogue.verbs.get(e.name)?.step === 'setup').pop();
  if (call) {
    const key = call.args[input.catalogue.verbs.get(call.name)!.p.objectArg];
    const m = /^([A-Za-z_]\w*)\((.*)\)(<0|!=0|==0|>=0)?$/.exec(atom.key.replace(/\s+/g, ''));
    if (key && m && m[1] === call.name && s.objs.get(key)?.stage === 'active') {
      const failWhenTrue = !m[3] || m[3] === '<0' || m[3] === '!=0';
      return failWhenTrue ? [setStage(s, key, 'failed'), s] : [s, setStage(s, key, 'failed')];
    }
  }
  const subj = atom.subject;
  if (!subj) return [s, s];
  const truthyMeansNonZero = atom.op === 'truthy' || atom.op === '!=0' || atom.op === '<0' || atom.op === '>0';
  const trueMeansZero = atom.op === '==0';
  if (!truthyMeansNonZero && !trueMeansZero && atom.op !== '>=0' && atom.op !== '<=0') return [s, s];
  // A variable known to be 0 (`ret = helper_that_returns_0()`): the non-zero arm is dead.
  if (s.zero.has(subj)) {
    if (truthyMeansNonZero) return [undefined, s];
    if (trueMeansZero || atom.op === '>=0' || atom.op === '<=0') return [s, undefined];
  }
  const pendingKey = s.pending.get(subj);
  if (pendingKey) {
    const ok = dropPending(s, subj);
    const failed = setStage(ok, pendingKey, 'failed');
    if (atom.op === 'truthy' || atom.op === '!=0' || atom.op === '<0') return [failed, ok];
    if (atom.op === '==0' || atom.op === '>=0') return [ok, failed];
    return [s, s];
  }
  // `if (!args.cpages)`, `if (cpages == 0)`: nothing collected, nothing to finalize.
  const key = collectedOf(subj, input.catalogue.protocols) ?? s.cpages.get(subj);
  if (key && s.objs.get(key)?.stage === 'active') {
    const empty = setStage(s, key, 'empty');
    if (atom.op === 'truthy' || atom.op === '!=0' || atom.op === '>0') return [s, empty];
    if (atom.op === '==0' || atom.op === '<=0') return [empty, s];
  }
  void input;
  return [s, s];
}

/**
 * hmm_range_fault() checks. `retry-missing`: the function starts the sequence, faults its
 * own range and never checks it (nor through a same-file callee), the range handed to no
 * one else. `retry-unlocked`: it checks, but with no lock held at the check.
 */
export function checkMirror(input: ProtocolInput): Diagnostic[] {
  const { cfg } = input;
  const calls = cfg.nodes.flatMap((n) => n.events.filter((e): e is Extract<Event, { t: 'call' }> => e.t === 'call').map((e) => ({ e, n })));
  const faults = calls.filter((c) => MIRROR_READ.fault.includes(c.e.name));
  if (!faults.length) return [];
  const out: Diagnostic[] = [];
  const begins = calls.some((c) => MIRROR_READ.begin.includes(c.e.name));
  const retries = calls.filter((c) => MIRROR_READ.retry.includes(c.e.name) || input.callees.get(c.e.name)?.retries);
  const mk = (line: number, ruleId: string, message: string, flow: PathStep[]): Diagnostic =>
    ({ ruleId, severity: 'warning', message, line, column: 1, endLine: line, endColumn: 2, function: input.name, related: [], flow });
  if (begins && !retries.length) {
    for (const f of faults) {
      const range = f.e.args[0];
      const root = range ? rootOf(range) : undefined;
      if (!root || !cfg.locals.has(root) || cfg.params.includes(root)) continue;
      // Handed on (stored, returned, passed to anything but the mirror API): someone else may check it.
      const escapes = calls.some((c) => !MIRROR_READ.fault.includes(c.e.name) && !MIRROR_READ.begin.includes(c.e.name)
        && !MIRROR_READ.keepsRange.test(c.e.name) && c.e.args.some((a) => rootOf(a) === root))
        || cfg.nodes.some((n) => n.events.some((e) => e.t === 'assign' && e.rhs !== undefined && rootOf(e.rhs) === root && e.target !== root)
          || (n.ret?.vars.includes(root) ?? false));
      if (escapes) continue;
      out.push(mk(f.e.line, 'migrate/retry-missing',
        `${input.name}() starts an interval sequence and calls hmm_range_fault(${range}) but never checks mmu_interval_read_retry(): the pfns may be stale when the device page table is updated`,
        [{ line: f.e.line, column: 1, message: `hmm_range_fault(${range})` }, { line: cfg.nodes[EXIT].line, column: 1, message: 'no mmu_interval_read_retry() in this function' }]));
    }
  }
  // A same-file lock wrapper (`svmm_lock(s)`) takes a lock the lock analysis does not see.
  const wrapsLock = calls.some((c) => /lock/i.test(c.e.name) && !MIRROR_READ.keepsRange.test(c.e.name));
  if (input.heldAt && !wrapsLock) {
    for (const r of retries) {
      if (!MIRROR_READ.retry.includes(r.e.name)) continue;
      const held = input.heldAt(r.e.line, r.e.name);
      if (!held || held.some((k) => !MIRROR_READ.notDriverLock.test(k))) continue;
      out.push(mk(r.e.line, 'migrate/retry-unlocked',
        `mmu_interval_read_retry() is checked in ${input.name}() with no driver lock held: an invalidation can run between the check and the device page-table update`,
        [{ line: faults[0].e.line, column: 1, message: `hmm_range_fault(${faults[0].e.args[0] ?? ''})` }, { line: r.e.line, column: 1, message: 'retry check with no lock held' }]));
    }
  }
  return out;
}

/** First step of a path on which the object was never set up: the function's entry. */
function noSetup(input: ProtocolInput, key: string): PathStep {
  return { line: input.cfg.nodes[0].line, column: 1, message: `${input.name}() starts; ${key} is not set up on this path` };
}

function withStep(s: State, node: CfgNode, taken: boolean): State {
  if (!node.step) return s;
  const truth = taken !== !!node.negated;
  return { ...s, steps: pushStep(s.steps, { line: node.line, column: node.column, message: `${node.step} is ${truth ? 'true' : 'false'}` }) };
}

function pushStep(steps: PathStep[], p: PathStep): PathStep[] {
  const next = [...steps, p];
  return next.length > MAX_STEPS_KEPT ? next.slice(next.length - MAX_STEPS_KEPT) : next;
}

function setStage(s: State, key: string, stage: Stage): State {
  const n = copy(s);
  const o = n.objs.get(key);
  if (o) n.objs.set(key, { ...o, stage });
  return n;
}

function dropPending(s: State, v: string): State {
  const n = copy(s);
  n.pending.delete(v);
  return n;
}

function copy(s: State): State {
  return { objs: new Map(s.objs), pending: new Map(s.pending), zero: new Set(s.zero), cpages: new Map(s.cpages), steps: s.steps };
}

/** States that differ only in their proof path are one state. */
function serialise(s: State): string {
  const objs = [...s.objs].map(([k, o]) => `${k}=${o.stage}@${o.setup.line}`).sort().join(',');
  return `${objs}|${[...s.pending].sort().join(',')}|${[...s.zero].sort().join(',')}|${[...s.cpages].sort().join(',')}`;
}

/** `args.cpages`, `migrate->cpages` → the object whose collected count it is (the protocols' collectedField). */
function collectedOf(expr: string, protocols: MigrationProtocol[]): string | undefined {
  for (const p of protocols) {
    if (!p.collectedField) continue;
    const m = new RegExp(`^(.+?)(?:->|\\.)${p.collectedField}$`).exec(expr);
    if (m) return m[1];
  }
  return undefined;
}

/** The text is one call and nothing more: `f(a, b)`, not `f(a) == 0`. */
function isWholeCall(text: string): boolean {
  const open = text.indexOf('(');
  if (open < 0 || !/^[A-Za-z_]\w*$/.test(text.slice(0, open))) return false;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i === text.length - 1;
  }
  return false;
}

function calleeOf(rhs: string): string | undefined {
  return /^([A-Za-z_]\w*)\(/.exec(rhs)?.[1];
}

/** The normalised object argument of `verb(args…)` written as text. */
function objectOf(callText: string, index: number): string | undefined {
  const a = splitCallArgs(callText, callText.indexOf('('))[index];
  return a ? a.replace(/^&/, '').replace(/^\((.*)\)$/, '$1') : undefined;
}
