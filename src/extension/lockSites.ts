// Lock pairs of a document as editor ranges: each acquire and release call site with
// the pair(s) it belongs to. Shared by the highlight provider and the matching command.
import * as vscode from 'vscode';
import type { DocAnalysis } from './cache';
import { callRange } from './positions';

export interface LockSite { range: vscode.Range; role: 'acquire' | 'release'; partners: vscode.Range[] }

export function lockSites(doc: vscode.TextDocument, a: DocAnalysis): LockSite[] {
  const sites = new Map<string, LockSite>();
  const key = (r: vscode.Range): string => `${r.start.line}:${r.start.character}`;
  const add = (range: vscode.Range, role: LockSite['role'], partners: vscode.Range[]): void => {
    const k = key(range);
    const s = sites.get(k);
    const others = partners.filter((p) => !p.isEqual(range));
    if (!s) sites.set(k, { range, role, partners: others });
    else for (const p of others) if (!s.partners.some((q) => q.isEqual(p))) s.partners.push(p);
  };
  for (const fn of a.analysis.functions) {
    for (const pair of fn.lockPairs) {
      const acq = pair.acquire ? callRange(doc, pair.acquire.line, pair.acquire.call) : undefined;
      const rels = pair.releases.map((r) => callRange(doc, r.line, r.call)).filter((r): r is vscode.Range => !!r);
      if (acq) add(acq, 'acquire', rels);
      for (const r of rels) add(r, 'release', acq ? [acq] : []);
    }
  }
  for (const s of sites.values()) s.partners.sort((x, y) => x.start.compareTo(y.start));
  return [...sites.values()];
}

/** The site whose call name contains the position (or, failing that, the only site on its line). */
export function siteAt(sites: LockSite[], pos: vscode.Position): LockSite | undefined {
  const exact = sites.find((s) => s.range.contains(pos));
  if (exact) return exact;
  const onLine = sites.filter((s) => s.range.start.line === pos.line);
  return onLine.length === 1 ? onLine[0] : undefined;
}
