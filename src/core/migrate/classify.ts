// Classification of every function of a set of files: migration-related or not,
// with one role, a phase where it applies, and the lines that show it.
//
// Roles by precedence (README "Migration roles"): api (defines a catalogued API,
// or is a file-local internal that such a definition reaches), callback (registered
// in a migration slot, or an op of a walk a migration function runs), caller (calls
// a protocol step), helper (pfn arrays / struct migrate_vma), entry (migration or
// device-private entries), hmm-mirror (HMM mirroring: not migration), none.
//
// Invariant: only a function's own text and the registrations that name it count.
// A function that reaches migration only through a callee (teardown calling an
// evict function) stays `none`: each role needs evidence at a line of its own.
import { CALLBACK_SLOTS, PHASE_ORDER, type MigrationRole, type Phase } from './catalogue';
import type { FileFacts, FunctionFacts, Registration } from './facts';

export interface Evidence { line: number; text: string; path?: string }

export interface MigrationInfo {
  related: boolean;
  role: MigrationRole;
  /** Protocol phases, comma-joined in protocol order ("setup,pages,finalize"). */
  phase?: string;
  evidence: Evidence[];
}

/** A function, as the workspace knows it. */
export interface FnRef { path: string; name: string; startLine: number }

const MAX_EVIDENCE = 12;
const SLOTS = new Map(CALLBACK_SLOTS.map((s) => [s.struct, s]));

interface Draft {
  fn: FunctionFacts;
  path: string;
  roles: Map<MigrationRole, { phases: Set<Phase>; evidence: Evidence[] }>;
}

const PRECEDENCE: MigrationRole[] = ['api', 'callback', 'caller', 'helper', 'entry', 'hmm-mirror'];

/** Classifies every function of `files`; the result is keyed by `path` then function start line. */
export function classify(files: FileFacts[]): Map<string, Map<number, MigrationInfo>> {
  const drafts: Draft[] = [];
  const byFile = new Map<string, Draft[]>();
  const globalDefs = new Map<string, Draft[]>();
  for (const f of files) {
    const list = f.functions.map((fn): Draft => ({ fn, path: f.path, roles: new Map() }));
    byFile.set(f.path, list);
    drafts.push(...list);
    for (const d of list) if (!d.fn.fileLocal) globalDefs.set(d.fn.name, [...(globalDefs.get(d.fn.name) ?? []), d]);
  }
  const add = (d: Draft, role: MigrationRole, e: Evidence, phase?: Phase): void => {
    let r = d.roles.get(role);
    if (!r) d.roles.set(role, r = { phases: new Set(), evidence: [] });
    if (phase) r.phases.add(phase);
    if (r.evidence.length < MAX_EVIDENCE && !r.evidence.some((x) => x.line === e.line && x.text === e.text && x.path === e.path)) r.evidence.push(e);
  };

  // 1. A function's own text: definitions, calls, flags, pfn arrays.
  for (const d of drafts) {
    const own = d.fn.defines;
    if (own) {
      add(d, own.use === 'mirror' ? 'hmm-mirror' : 'api', { line: d.fn.startLine, text: `defines ${own.name}() (${own.era})` }, own.phase);
    }
    for (const u of d.fn.uses) {
      const api = u.api;
      // A function's name counts only when called (compaction's local `migrate_pfn` is not migrate_pfn()).
      if ( api.name === d.fn.name || (api.kind === 'function' && !u.call)) continue;
      const what = u.call ? `calls ${u.name}()` : `uses ${u.name}`;
      if (api.use === 'caller' && u.call) add(d, 'caller', { line: u.line, text: what }, api.phase);
      else if (api.use === 'helper') add(d, 'helper', { line: u.line, text: what }, api.phase);
      else if (api.use === 'entry' && u.call) add(d, 'entry', { line: u.line, text: what }, api.phase);
      else if (api.use === 'mirror') add(d, 'hmm-mirror', { line: u.line, text: what }, 'fault');
    }
    // Filling dst[] is the copy step (allocate, lock, copy, publish with migrate_pfn()).
    for (const a of d.fn.arrays) add(d, 'helper', a, /->dst\[\]/.test(a.text) ? 'copy' : undefined);
  }

  // 3. Callbacks, through registrations (also in another file), decided by their slot or user.
  const resolve = (path: string, name: string): Draft[] => {
    const local = byFile.get(path)?.filter((d) => d.fn.name === name) ?? [];
    return local.length ? local : globalDefs.get(name) ?? [];
  };
  for (let round = 0; round < 2; round++) {
    for (const f of files) {
      for (const r of f.registrations) {
        const slot = SLOTS.get(r.struct);
        if (!slot) continue;
        let role: MigrationRole | undefined;
        if (slot.kind === 'migration') role = 'callback';
        else if (slot.kind === 'mirror') role = 'hmm-mirror';
        else role = userRole(r, byFile.get(f.path) ?? []);
        if (!role) continue;
        const phase = slot.phase?.[r.field] ?? slot.phase?.['*'];
        for (const d of resolve(f.path, r.fn)) {
          add(d, role, { line: r.line, text: `registered as ${r.struct}.${r.field} in ${r.variable}`, path: f.path === d.path ? undefined : f.path },
            slot.kind === 'mirror' ? undefined : role === 'hmm-mirror' ? 'fault' : phase);
        }
      }
    }
  }

  // 4. Machinery internals: file-local functions a definition of a catalogued API reaches.
  for (const list of byFile.values()) {
    const byName = new Map(list.map((d) => [d.fn.name, d]));
    const callers = callSites(list);
    // Only a file that defines a catalogued API is machinery; its walk ops are roots too.
    if (!list.some((d) => [...d.roles.values()].some((r) => r.evidence.some((e) => e.text.startsWith('defines '))))) continue;
    for (const rootRole of ['api', 'hmm-mirror'] as const) {
      const roots = list.filter((d) => d.roles.get(rootRole)?.evidence.some((e) => e.text.startsWith('defines '))
        || (rootRole === 'hmm-mirror' && d.roles.has('hmm-mirror') && d.roles.get('hmm-mirror')!.evidence.some((e) => e.text.startsWith('registered ')))
        || (rootRole === 'api' && d.roles.get('callback')?.evidence.some((e) => e.text.startsWith('registered '))));
      const inside = new Set(roots.map((d) => d.fn.name));
      const queue = [...roots];
      while (queue.length) {
        const d = queue.shift()!;
        for (const c of d.fn.calls) {
          const t = byName.get(c.name);
          if (!t || inside.has(t.fn.name) || !t.fn.fileLocal) continue;
          // Called only from inside the machinery, or shows migration evidence of its own.
          const onlyInside = (callers.get(t.fn.name) ?? []).every((c) => inside.has(c.d.fn.name) || c.d.fn.name === t.fn.name);
          const evident = rootRole === 'api' ? ['caller', 'helper', 'entry'].some((r) => t.roles.has(r as MigrationRole)) : t.roles.has('hmm-mirror');
          if (!onlyInside && !evident) continue;
          inside.add(t.fn.name);
          // The step of the machinery it serves (migrate_device_unmap() is setup, even though its
          // error path restores ptes with remove_migration_ptes()).
          const phases = new Set([...(d.roles.get(rootRole)?.phases ?? []), ...(d.roles.get('callback')?.phases ?? [])]);
          add(t, rootRole, { line: c.line, text: `${rootRole === 'api' ? 'machinery' : 'mirror'} internal: called by ${d.fn.name}()`, path: d.path === t.path ? undefined : d.path }, [...phases][0]);
          queue.push(t);
        }
      }
    }
  }

  // 5. Copy plumbing: a driver's copy helper splits its work into file-local pieces (the
  // DMA/GART mapping, the destination page's get and put) that name no catalogue entry.
  // A static function with a page/pfn/DMA signature all of whose same-file callers are
  // copy helpers is one too (a predicate such as dmirror_is_private_zone() is not); the
  // evidence is the call line, as for machinery internals. Repeated until nothing changes
  // (bounded: each round adds at least one function or stops).
  for (const list of byFile.values()) {
    const callers = callSites(list);
    const isCopyHelper = (d: Draft): boolean => PRECEDENCE.find((r) => d.roles.has(r)) === 'helper' && d.roles.get('helper')!.phases.has('copy');
    for (let changed = true; changed;) {
      changed = false;
      for (const t of list) {
        const by = (callers.get(t.fn.name) ?? []).filter((c) => c.d.fn.name !== t.fn.name);
        if (!t.fn.fileLocal || !t.fn.pageish || t.roles.size || !by.length || !by.every((c) => isCopyHelper(c.d))) continue;
        for (const c of by) add(t, 'helper', { line: c.line, text: `copy plumbing: called by copy helper ${c.d.fn.name}()` }, 'copy');
        changed = true;
      }
    }
  }

  const out = new Map<string, Map<number, MigrationInfo>>();
  for (const [path, list] of byFile) {
    const m = new Map<number, MigrationInfo>();
    for (const d of list) m.set(d.fn.startLine, decide(d));
    out.set(path, m);
  }
  return out;
}

/** Same-file call sites by callee name: who calls it, and at which line. */
function callSites(list: Draft[]): Map<string, { d: Draft; line: number }[]> {
  const out = new Map<string, { d: Draft; line: number }[]>();
  for (const d of list) for (const c of d.fn.calls) (out.get(c.name) ?? out.set(c.name, []).get(c.name)!).push({ d, line: c.line });
  return out;
}

/** The role a walk op takes from the function that walks with it: migration, mirror, or nothing. */
function userRole(r: Registration, list: Draft[]): MigrationRole | undefined {
  const users = list.filter((d) => d.fn.name === r.inFunction || d.fn.opsUsed.includes(r.variable));
  if (users.some((u) => u.roles.has('hmm-mirror') && !u.roles.has('api') && !u.roles.has('caller'))) return 'hmm-mirror';
  if (users.some((u) => ['api', 'caller', 'helper', 'callback'].some((x) => u.roles.has(x as MigrationRole)))) return 'callback';
  if (/migrat/i.test(r.variable)) return 'callback';
  return undefined;
}

function decide(d: Draft): MigrationInfo {
  let role = PRECEDENCE.find((r) => d.roles.has(r)) ?? 'none';
  // The mirror walk is HMM, not migration (issue 3), even where it waits on a migration
  // entry (hmm_vma_handle_pte() calls migration_entry_wait()): an op or internal of the
  // mirror walk stays hmm-mirror over caller/helper/entry; the other lines stay as evidence.
  const mirrorWalk = d.roles.get('hmm-mirror')?.evidence.some((e) => /^(registered |mirror internal)/.test(e.text));
  if (mirrorWalk && (role === 'caller' || role === 'helper' || role === 'entry')) role = 'hmm-mirror';
  if (role === 'none') return { related: false, role, evidence: [] };
  const mine = d.roles.get(role)!;
  const evidence = [...mine.evidence];
  // Keep the other roles' lines too (a callback that also calls setup shows both).
  for (const r of PRECEDENCE) {
    if (r === role) continue;
    for (const e of d.roles.get(r)?.evidence ?? []) if (evidence.length < MAX_EVIDENCE) evidence.push(e);
  }
  // The role's phases; a callback that runs protocol steps itself (a migrate_to_ram doing
  // setup, pages and finalize) shows those too: "setup,pages,finalize,restore".
  const phases = new Set(mine.phases);
  if (role === 'callback') for (const p of d.roles.get('caller')?.phases ?? []) phases.add(p);
  // Entries are made and read far outside migration (fork, mprotect, zap): no phase for them.
  const phase = role === 'entry' ? '' : PHASE_ORDER.filter((p) => phases.has(p)).join(',');
  return {
    related: role !== 'hmm-mirror',
    role,
    ...(phase ? { phase } : {}),
    evidence: evidence.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.line - b.line),
  };
}
