// Semantic tokens for what the TextMate grammar cannot tell: which identifiers are
// locks (the operands of this file's lock pairs: `ptl`, `folio`) and which are
// page-table values (`pte`, `swp_pte`, `mpfn`). Token types hmmLensLock and
// hmmLensPteValue (package.json semanticTokenTypes), both kinds of variable. Only code
// counts: the same name in a comment or a string literal is not coloured.
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { Settings } from './settings';

export const LEGEND = new vscode.SemanticTokensLegend(['hmmLensLock', 'hmmLensPteValue'], []);

export class LockAndValueTokens implements vscode.DocumentSemanticTokensProvider {
  constructor(private readonly cache: AnalysisCache, private readonly settings: () => Settings) {}

  provideDocumentSemanticTokens(doc: vscode.TextDocument): vscode.SemanticTokens | undefined {
    if (!this.settings().enabled.semanticTokens) return undefined;
    const a = this.cache.get(doc);
    if (!a) return undefined;
    const builder = new vscode.SemanticTokensBuilder(LEGEND);
    const seen = new Set<string>();
    // Names in comments and strings are words, not the lock or the value: scan the code-only view.
    let code: string[] | undefined;
    for (const fn of a.analysis.functions) {
      const locks = new Set(fn.lockPairs.map((p) => p.lock).filter((l) => /^[A-Za-z_]\w*$/.test(l)));
      const values = new Set((fn.pteValues ?? []).map((v) => v.name).filter((n) => /^[A-Za-z_]\w*$/.test(n)));
      if (!locks.size && !values.size) continue;
      for (let line = fn.startLine - 1; line < Math.min(fn.endLine, doc.lineCount); line++) {
        code ??= this.cache.codeLines(doc, a);
        const text = code[line] ?? '';
        for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
          const type = locks.has(m[0]) ? 0 : values.has(m[0]) ? 1 : -1;
          const k = `${line}:${m.index}`;
          if (type < 0 || seen.has(k)) continue;
          seen.add(k);
          builder.push(line, m.index!, m[0].length, type, 0);
        }
      }
    }
    return builder.build();
  }
}
