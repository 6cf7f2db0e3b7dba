// "Go to Matching Lock/Unlock": from an acquire to its releases and back; run again,
// it cycles through the partners in line order (from the site it started at).
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import { lockSites, siteAt } from './lockSites';

export function registerMatching(cache: AnalysisCache): vscode.Disposable {
  // The cycle: the site the user started from, and which partner comes next.
  let cycle: { uri: string; origin: vscode.Range; ring: vscode.Range[]; next: number } | undefined;
  return vscode.commands.registerCommand('hmmLens.goToMatchingLock', () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const doc = editor.document;
    const a = cache.get(doc);
    if (!a) return undefined;
    const pos = editor.selection.active;
    const uri = doc.uri.toString();
    if (!cycle || cycle.uri !== uri || !cycle.ring.some((r) => r.contains(pos))) {
      const sites = lockSites(doc, a);
      const here = siteAt(sites, pos);
      if (!here || !here.partners.length) {
        void vscode.window.setStatusBarMessage('HMM Lens: no lock or unlock with a partner here', 3000);
        cycle = undefined;
        return undefined;
      }
      cycle = { uri, origin: here.range, ring: [here.range, ...here.partners], next: 1 };
    }
    const target = cycle.ring[cycle.next % cycle.ring.length];
    cycle.next = (cycle.next + 1) % cycle.ring.length;
    editor.selection = new vscode.Selection(target.start, target.start);
    editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return { line: target.start.line + 1, character: target.start.character + 1 };
  });
}
