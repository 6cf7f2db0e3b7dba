// The round-trip rules (pte/*), on the facts of flow.ts.
//
// pte/bit-not-carried (one function): a function that takes a present pte out of the
// table (ptep_get_and_clear, ptep_clear_flush, pmdp_invalidate …), builds an entry and
// stores it, reads a bit of that old pte which the entry kind can carry, and that bit
// never reaches an entry from the old pte: no encode flow from a present read (directly,
// or through a pfn-flag word as MIGRATE_PFN_WRITE does), and no unconditional write of it
// into an entry. Reads on other values (fork's and mprotect's pte, which stays present)
// do not count; the same bit carried only from a device-private entry on the other
// branch does not make up for it.
//
// pte/bit-not-restored (across files): a function carries a bit into an entry kind; the
// function that removes that kind (it reads the kind's own bits back into a present pte
// it builds, and does not itself make that kind) never reads that bit back. Both ends
// are named. With no remover among the inputs nothing is said.
import type { Diagnostic } from '../model';
import { BIT_LABEL, ERA_BITS, SET_ON_NEW_PTE, carriable, type Bit, type EntryKind, type Level } from './ledger';
import type { FunctionPte, Write } from './flow';

const KIND_LABEL: Record<EntryKind, string> = {
  migration: 'migration entry', device_private: 'device-private entry', device_exclusive: 'device-exclusive entry', swap: 'swap entry',
};
const plural = (kind: EntryKind): string => `${KIND_LABEL[kind].replace(/y$/, 'ie')}s`;

function diag(ruleId: string, at: { line: number; column?: number; expr: string }, fn: string, message: string, related: Diagnostic['related']): Diagnostic {
  const column = at.column ?? 1;
  return { ruleId, severity: 'warning', message, line: at.line, column, endLine: at.line, endColumn: column + at.expr.length, function: fn, related, flow: related };
}

/** Bits kind `k` can carry in this function's kernel era (ERA_BITS). */
function carriableHere(f: FunctionPte, k: EntryKind): Set<Bit> {
  const can = carriable(k);
  for (const era of ERA_BITS) {
    if (era.entry !== k || f.calls.some((c) => era.evidence.includes(c.name))) continue;
    for (const b of era.bits) can.delete(b);
  }
  return can;
}

/** A write no read of its bit leads to: the function always does it. */
function unconditional(f: FunctionPte, w: Write): boolean {
  return !f.flows.some((fl) => fl.bit === w.bit && fl.to.line === w.line && fl.to.expr === w.expr);
}

/** Bits that reach an entry from the old pte (or that an entry always gets). */
function carriedFromOld(f: FunctionPte): Set<Bit> {
  const out = new Set<Bit>();
  const old = (side: string): boolean => side === 'present' || side === 'page' || side === 'vma';
  for (const fl of f.flows) {
    if (fl.direction !== 'encode') continue;
    if (old(fl.fromSide)) out.add(fl.bit);
    // pte_write() → MIGRATE_PFN_WRITE, then mpfn & MIGRATE_PFN_WRITE → make_writable_migration_entry().
    if (fl.fromSide === 'pfnflag' && f.flows.some((c) => c.bit === fl.bit && c.direction === 'convert' && old(c.fromSide) && c.toSide === 'pfnflag')) out.add(fl.bit);
  }
  for (const w of f.writes) if (w.side === 'entry' && w.op === 'set' && unconditional(f, w)) out.add(w.bit);
  return out;
}

/** pte/bit-not-carried for one function. */
export function checkCarried(f: FunctionPte): Diagnostic[] {
  // The kinds it builds; a plain swap entry (try_to_unmap_one()) shows only as swap-pte bit writers.
  const kinds: EntryKind[] = f.made.filter((k) => k !== 'swap');
  if (!kinds.length && f.writes.some((w) => w.side === 'entry' && w.op === 'set' && w.entry === 'swap')) kinds.push('swap');
  if (!kinds.length || !f.storesEntry || !f.stores.length || !f.cleared.length) return [];
  const can = new Map(kinds.map((k) => [k, carriableHere(f, k)]));
  const carried = carriedFromOld(f);
  const out: Diagnostic[] = [];
  // The last read of each bit (the one nearest the store; earlier ones often feed the folio).
  const last = new Map<Bit, (typeof f.reads)[number]>();
  for (const r of f.reads) {
    // A bit of the old pte, or the page's anon-exclusive state (which the pte's entry must keep);
    // not an assertion's argument (WARN_ON_ONCE(pte_write(pte)) checks, it does not use).
    const old = (r.side === 'present' && !!r.on && f.cleared.includes(r.on)) || (r.side === 'page' && r.bit === 'exclusive');
    if (!old || r.assert || carried.has(r.bit) || ![...can.values()].some((c) => c.has(r.bit))) continue;
    last.set(r.bit, r);
  }
  for (const r of [...last.values()].sort((a, b) => a.line - b.line)) {
    const store = f.stores.find((s) => s.line > r.line) ?? f.stores[f.stores.length - 1];
    const kind = KIND_LABEL[kinds.find((k) => can.get(k)!.has(r.bit))!];
    out.push(diag('pte/bit-not-carried', r, f.name,
      `${f.name}() reads ${BIT_LABEL[r.bit]} from the old pte (\`${r.expr}\`) but never carries it into the ${kind} it stores at line ${store.line}: `
      + `the bit is lost while the entry is in place`,
      [{ line: r.line, column: 1, message: `reads ${BIT_LABEL[r.bit]}: ${r.expr}` },
        { line: store.line, column: 1, message: `stores the ${kind} without ${BIT_LABEL[r.bit]}: ${store.expr}` }]));
  }
  return out;
}

interface Placed { path: string; fn: FunctionPte }

/** Entry kinds an encoding write goes into: its own, else what the function makes, else what it tests. */
function kindsOfWrite(w: Write, f: FunctionPte): EntryKind[] {
  if (w.entry && w.entry !== 'swap') return [w.entry];
  const made = f.made.filter((k) => k !== 'swap');
  if (made.length) return made;
  return f.tested.filter((k) => k !== 'swap');
}

/** The kinds a function removes: it decodes a kind's own bits into a present pte it builds, and does not make that kind. */
export function removes(f: FunctionPte): EntryKind[] {
  if (!f.buildsPresent || !f.stores.length) return [];
  const kinds = new Set<EntryKind>();
  for (const fl of f.flows) if (fl.direction === 'decode' && fl.fromEntry && fl.fromEntry !== 'swap' && !f.made.includes(fl.fromEntry)) kinds.add(fl.fromEntry);
  return [...kinds];
}

/**
 * Bits a remover reads back from entries of `kind` into the present pte it builds (or the
 * page's anon-exclusive state). A bit passed on into another entry (remove_migration_pte()
 * making a device-private entry for a device page) is not restored to the CPU.
 */
function restored(f: FunctionPte, kind: EntryKind): Set<Bit> {
  // Setting it back (or, for a bit a new pte already has, clearing it when the entry says so);
  // `else pte = pte_clear_soft_dirty(pte)` alone does not restore soft-dirty.
  const out = new Set(f.flows.filter((fl) => fl.direction === 'decode' && (fl.fromEntry === kind || fl.fromEntry === 'swap')
    && (fl.toOp === 'set' || SET_ON_NEW_PTE.includes(fl.bit))).map((fl) => fl.bit));
  // A bit it always sets on the new pte (a driver that maps everything dirty and young) is not lost.
  for (const w of f.writes) if ((w.side === 'present' || w.side === 'page') && w.op === 'set' && unconditional(f, w)) out.add(w.bit);
  return out;
}

/** pte/bit-not-restored over a set of files; findings keyed by path. */
export function checkRestored(files: { path: string; functions: FunctionPte[] }[]): Map<string, Diagnostic[]> {
  const removers = new Map<string, Placed[]>();
  const encoders: { at: Placed; w: Write; kind: EntryKind; level: Level }[] = [];
  for (const file of files) {
    for (const fn of file.functions) {
      for (const k of removes(fn)) {
        const key = `${k}|${fn.level}`;
        removers.set(key, [...(removers.get(key) ?? []), { path: file.path, fn }]);
      }
      for (const w of fn.writes) {
        if (w.side !== 'entry' || w.op !== 'set') continue;
        for (const kind of kindsOfWrite(w, fn)) encoders.push({ at: { path: file.path, fn }, w, kind, level: fn.level });
      }
    }
  }
  const out = new Map<string, Diagnostic[]>();
  const said = new Set<string>();
  for (const e of encoders) {
    for (const r of removers.get(`${e.kind}|${e.level}`) ?? []) {
      if (r.fn === e.at.fn || restored(r.fn, e.kind).has(e.w.bit)) continue;
      const key = `${e.at.path}|${e.at.fn.name}|${e.w.bit}|${e.kind}|${r.path}|${r.fn.name}`;
      if (said.has(key)) continue;
      said.add(key);
      const kind = KIND_LABEL[e.kind];
      const d = diag('pte/bit-not-restored', e.w, e.at.fn.name,
        `${e.at.fn.name}() carries ${BIT_LABEL[e.w.bit]} into the ${kind} (\`${e.w.expr}\`), but ${r.fn.name}(), which removes ${plural(e.kind)}, `
        + `never reads it back: the bit is lost when the entry is removed`,
        [{ line: e.w.line, column: 1, message: `carries ${BIT_LABEL[e.w.bit]} into the ${kind}: ${e.w.expr}` },
          { line: r.fn.startLine, column: 1, message: `${r.fn.name}() removes ${plural(e.kind)} without reading ${BIT_LABEL[e.w.bit]} back`, ...(r.path !== e.at.path ? { path: r.path } : {}) }]);
      out.set(e.at.path, [...(out.get(e.at.path) ?? []), d]);
    }
  }
  return out;
}
