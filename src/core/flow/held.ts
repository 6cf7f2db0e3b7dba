// Held-lock ranges from per-line facts. The CFG has nodes on some lines only (a
// statement spread over lines, a blank line, a comment has none): a lock held at two
// consecutive node lines is held on the lines between them too, so ranges join there.
import type { HeldRange } from '../model';

export interface HeldAt { line: number; locks: { lock: string; kind: string }[] }

export function heldRanges(at: HeldAt[]): HeldRange[] {
  const lines = [...new Set(at.map((a) => a.line))].sort((a, b) => a - b);
  const index = new Map(lines.map((l, i) => [l, i]));
  const byLock = new Map<string, { lock: string; kind: string; idx: Set<number> }>();
  for (const a of at) {
    for (const l of a.locks) {
      const key = `${l.kind}\u0000${l.lock}`;
      let e = byLock.get(key);
      if (!e) byLock.set(key, (e = { ...l, idx: new Set() }));
      e.idx.add(index.get(a.line)!);
    }
  }
  const out: HeldRange[] = [];
  for (const { lock, kind, idx } of byLock.values()) {
    const sorted = [...idx].sort((a, b) => a - b);
    let start = sorted[0];
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && sorted[i] === sorted[i - 1] + 1) continue;
      out.push({ lock, kind, from: lines[start], to: lines[sorted[i - 1]] });
      if (i < sorted.length) start = sorted[i];
    }
  }
  return out.sort((a, b) => a.from - b.from || a.lock.localeCompare(b.lock));
}
