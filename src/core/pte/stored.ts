// What a stored page-table value carries: for each store of a pte/pmd value or a
// pfn-flag word (set_pte_at(…, swp_pte), migrate->src[i] = mpfn), the bits set (or
// cleared) on it before the store, following the locals it was built from
// (`swp_pte = swp_entry_to_pte(entry)` carries what `entry` was given). Lexical like
// flow.ts: every write above the store counts, so a bit set on one branch is listed.
// The editor shows this as an inlay hint at the store.
import type { FunctionPte, PteValue } from './flow';
import { BIT_LABEL, BITS, type Bit } from './ledger';
import { escapeRegExp } from '../parse/regex';

export interface StoredBits {
  line: number;
  /** The stored value's name (`swp_pte`). */
  value: string;
  /** The store as written (`set_pte_at(mm, addr, ptep, swp_pte)`). */
  expr: string;
  set: Bit[];
  cleared: Bit[];
}

export function storedBits(fn: FunctionPte): StoredBits[] {
  const byName = new Map(fn.values.map((v) => [v.name, v]));
  const out: StoredBits[] = [];
  for (const v of fn.values) {
    for (const store of v.stores) {
      const set = new Set<Bit>();
      const cleared = new Set<Bit>();
      collect(fn, byName, v, store.line, set, cleared, new Set());
      if (!set.size && !cleared.size) continue;
      out.push({ line: store.line, value: v.name, expr: store.expr, set: order(set), cleared: order(cleared) });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Writes to `v` above `before`, and those of the locals its definitions above `before` read. */
function collect(fn: FunctionPte, byName: Map<string, PteValue>, v: PteValue, before: number,
  set: Set<Bit>, cleared: Set<Bit>, seen: Set<string>): void {
  if (seen.has(v.name)) return;
  seen.add(v.name);
  for (const w of fn.writes) {
    if (w.target !== v.name || w.line > before) continue;
    (w.op === 'set' ? set : cleared).add(w.bit);
  }
  for (const d of v.defs) {
    if (d.line > before) continue;
    for (const other of byName.values()) {
      if (other !== v && new RegExp(`\\b${escapeRegExp(other.name)}\\b`).test(d.expr.slice(d.expr.indexOf('=') + 1))) {
        collect(fn, byName, other, d.line, set, cleared, seen);
      }
    }
  }
}

function order(bits: Set<Bit>): Bit[] { return BITS.filter((b) => bits.has(b)); }

/** "write, young, soft-dirty; clears dirty" */
export function storedLabel(s: StoredBits): string {
  const parts: string[] = [];
  if (s.set.length) parts.push(s.set.map((b) => BIT_LABEL[b]).join(', '));
  if (s.cleared.length) parts.push(`clears ${s.cleared.map((b) => BIT_LABEL[b]).join(', ')}`);
  return parts.join('; ');
}
