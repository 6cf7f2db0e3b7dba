// One open document's analysis, kept current edit after edit (the editor's engine).
// Between two runs it keeps the tree of the masked text and each function's results
// (AnalyseSession): the next text is diffed against the last one (common prefix and
// suffix of the masked texts, so a change the pre-pass spreads, such as an opened
// comment, is covered), the tree is edited and re-parsed incrementally, and only the
// functions whose position or text changed are analysed again.
// The caller owns the instance and must call dispose(): the tree lives in WASM memory.
import type { CParser, Tree } from './parse/parser';
import { analyseFileWithSummary, newMemo, type AnalyseOptions, type AnalyseSession, type FileResult } from './analyse';
import { maskKernelSource, type MaskResult } from './parse/mask';
import { lineOf, lineStarts } from './parse/lines';

export interface EditPoint { index: number; row: number; column: number }

export class DocumentAnalyser {
  private tree?: Tree;
  private masked?: string;
  private readonly session: AnalyseSession = { memo: newMemo() };

  constructor(private readonly parser: CParser, private readonly opts: Omit<AnalyseOptions, 'session'>) {}

  /** Functions analysed afresh by the last run (the rest came from the memo). */
  get freshFunctions(): number { return this.session.memo.fresh; }

  analyse(path: string, text: string): FileResult {
    let mask: MaskResult | undefined;
    try { mask = maskKernelSource(text); } catch { mask = undefined; }
    if (mask) this.reparse(mask.text);
    this.session.tree = mask ? this.tree : undefined;
    this.session.mask = mask;
    return analyseFileWithSummary(this.parser, path, text, { ...this.opts, session: this.session });
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.session.tree = undefined;
    this.session.memo = newMemo();
  }

  private reparse(masked: string): void {
    const old = this.tree;
    if (old && this.masked !== undefined) {
      if (masked === this.masked) return;
      const e = diff(this.masked, masked);
      old.edit({
        startIndex: e.start.index, oldEndIndex: e.oldEnd.index, newEndIndex: e.newEnd.index,
        startPosition: { row: e.start.row, column: e.start.column },
        oldEndPosition: { row: e.oldEnd.row, column: e.oldEnd.column },
        newEndPosition: { row: e.newEnd.row, column: e.newEnd.column },
      });
    }
    const next = this.parser.raw.parse(masked, old ?? null) ?? undefined;
    old?.delete();
    this.tree = next;
    this.masked = next ? masked : undefined;
  }
}

/** The one edit that turns `a` into `b`: their common prefix and suffix left alone. */
export function diff(a: string, b: string): { start: EditPoint; oldEnd: EditPoint; newEnd: EditPoint } {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  const startsA = lineStarts(a);
  return { start: pointAt(startsA, p), oldEnd: pointAt(startsA, a.length - s), newEnd: pointAt(lineStarts(b), b.length - s) };
}

/** Row and column (in UTF-16 units, as web-tree-sitter counts them for a JS string) of an index. */
function pointAt(starts: number[], index: number): EditPoint {
  const row = lineOf(starts, index) - 1;
  return { index, row, column: index - starts[row] };
}
