// "Show PTE Flow": for the page-table value under the cursor, the chain of places its
// value comes from, the bit flows into it, and where it is stored, laid out in a peek.
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import { valueAt } from './pteValues';
import { modelLine, toRange, wordAt } from './positions';

export function registerPteFlow(cache: AnalysisCache): vscode.Disposable {
  // registerCommand, not registerTextEditorCommand: the latter drops the result (the tests read the lines).
  return vscode.commands.registerCommand('hmmLens.showPteFlow', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return [];
    const doc = editor.document;
    const a = cache.get(doc);
    const pos = editor.selection.active;
    const word = wordAt(doc, pos);
    const v = a && word ? valueAt(a, modelLine(pos), word) : undefined;
    if (!v) {
      void vscode.window.showInformationMessage('HMM Lens: put the cursor on a pte, entry or pfn-flag variable.');
      return [];
    }
    const lines = [...new Set([...v.value.defs.map((d) => d.line), ...v.flows.flatMap((f) => [f.from.line, f.to.line]),
      ...v.value.stores.map((s) => s.line)])].sort((x, y) => x - y);
    const locations = lines.map((l) => new vscode.Location(doc.uri, toRange(doc, l)));
    await vscode.commands.executeCommand('editor.action.peekLocations', doc.uri, pos, locations, 'peek');
    return lines;
  });
}
