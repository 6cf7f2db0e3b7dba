// Offsets to 1-based lines: the one conversion every pass uses (analyse.ts for the parsed
// passes, pte/sites.ts for the lexical flag scan).

/** Offset of the first character of each line. */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

/** The 1-based line of `offset`, by binary search over `lineStarts()`. */
export function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
  return lo + 1;
}
