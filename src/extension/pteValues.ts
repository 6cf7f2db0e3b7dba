// Page-table values of a document, as the hover, the inlay hints and "Show PTE Flow" see
// them: a name at a line resolves to the value of the function that line is in.
import type { DocAnalysis } from './cache';
import type { BitFlow, PteValue } from '../core/model';
import { storedBits, type StoredBits } from '../core/pte/stored';

export interface ValueHere { fn: string; value: PteValue; flows: BitFlow[] }

export function valueAt(a: DocAnalysis, line: number, name: string): ValueHere | undefined {
  for (const fn of a.analysis.functions) {
    if (line < fn.startLine || line > fn.endLine) continue;
    const value = fn.pteValues?.find((v) => v.name === name);
    if (!value) return undefined;
    const lines = new Set([...value.defs, ...value.stores].map((s) => s.line));
    const flows = (fn.bitFlows ?? []).filter((f) => lines.has(f.to.line) || lines.has(f.from.line));
    return { fn: fn.name, value, flows };
  }
  return undefined;
}

/** Every store of the document and the bits its value carries. */
export function storesOf(a: DocAnalysis): (StoredBits & { fn: string })[] {
  return a.result.pte.functions.flatMap((f) => storedBits(f).map((s) => ({ ...s, fn: f.name })));
}
