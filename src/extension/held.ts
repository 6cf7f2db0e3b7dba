// Held-lock marking: a themable whole-line background (color hmmLens.heldLockBackground)
// on the lines where some lock is held, and the list of those locks for the hover.
import * as vscode from 'vscode';
import type { AnalysisCache, DocAnalysis } from './cache';
import type { Settings } from './settings';
import { lineRange } from './positions';

export interface HeldHere { lock: string; kind: string; from: number; to: number; fn: string }

/** Locks held at a model line (1-based). */
export function heldAt(a: DocAnalysis, line: number): HeldHere[] {
  const out: HeldHere[] = [];
  for (const fn of a.analysis.functions) {
    if (line < fn.startLine || line > fn.endLine) continue;
    for (const h of fn.held ?? []) if (line >= h.from && line <= h.to) out.push({ ...h, fn: fn.name });
  }
  return out;
}

export class HeldLines implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('hmmLens.heldLockBackground'),
    overviewRulerColor: new vscode.ThemeColor('hmmLens.heldLockBackground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly cache: AnalysisCache, private readonly settings: () => Settings) {
    this.subscriptions.push(
      cache.onDidChange((doc) => { for (const e of vscode.window.visibleTextEditors) if (e.document === doc) this.paint(e); }),
      vscode.window.onDidChangeVisibleTextEditors((eds) => eds.forEach((e) => this.paint(e))),
    );
    vscode.window.visibleTextEditors.forEach((e) => this.paint(e));
  }

  refresh(): void { vscode.window.visibleTextEditors.forEach((e) => this.paint(e)); }

  private paint(editor: vscode.TextEditor): void {
    const a = this.settings().enabled.heldLines ? this.cache.get(editor.document) : undefined;
    if (!a) { editor.setDecorations(this.type, []); return; }
    const lines = new Set<number>();
    for (const fn of a.analysis.functions) for (const h of fn.held ?? []) for (let l = h.from; l <= h.to; l++) lines.add(l);
    const doc = editor.document;
    editor.setDecorations(this.type, [...lines].filter((l) => l <= doc.lineCount).sort((x, y) => x - y).map((l) => lineRange(doc, l)));
  }

  dispose(): void {
    this.type.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
