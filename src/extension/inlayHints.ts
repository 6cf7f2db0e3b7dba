// Inlay hints at the end of each store of a page-table value or pfn word
// (set_pte_at(…, swp_pte), migrate->src[i] = mpfn): the bits the stored value carries.
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { Settings } from './settings';
import { storesOf } from './pteValues';
import { storedLabel } from '../core/pte/stored';

export class StoreHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly cache: AnalysisCache, private readonly settings: () => Settings) {}

  refresh(): void { this.changed.fire(); }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!this.settings().enabled.inlayHints) return [];
    const a = this.cache.get(doc);
    if (!a) return [];
    const out: vscode.InlayHint[] = [];
    for (const s of storesOf(a)) {
      const line = s.line - 1;
      if (line < range.start.line || line > range.end.line || line >= doc.lineCount) continue;
      const hint = new vscode.InlayHint(doc.lineAt(line).range.end, ` ⟵ ${s.value} carries ${storedLabel(s)}`, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = `Bits set on ${s.value} (and the values it was built from) before this store, in ${s.fn}()`;
      out.push(hint);
    }
    return out;
  }

  dispose(): void { this.changed.dispose(); }
}
