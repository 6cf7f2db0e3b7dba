// The cursor on an acquire highlights its releases, and the reverse (the editor's own
// document highlight: Write for the acquire, Read for a release).
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { Settings } from './settings';
import { lockSites, siteAt } from './lockSites';

export class LockHighlights implements vscode.DocumentHighlightProvider {
  constructor(private readonly cache: AnalysisCache, private readonly settings: () => Settings) {}

  provideDocumentHighlights(doc: vscode.TextDocument, pos: vscode.Position): vscode.DocumentHighlight[] | undefined {
    if (!this.settings().enabled.lockHighlights) return undefined;
    const a = this.cache.get(doc);
    if (!a) return undefined;
    const sites = lockSites(doc, a);
    const here = siteAt(sites, pos);
    if (!here || !here.partners.length) return undefined;
    const kind = (r: vscode.Range): vscode.DocumentHighlightKind =>
      (sites.find((s) => s.range.isEqual(r))?.role === 'acquire' ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read);
    return [here.range, ...here.partners].map((r) => new vscode.DocumentHighlight(r, kind(r)));
  }
}
