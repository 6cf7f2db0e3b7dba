// Call hierarchy across the workspace: every function of every indexed C file
// (core/callGraph.ts, kept by the workspace index), not only the migration map.
// A catalogued migration API that the workspace calls but does not define
// (migrate_vma_setup() in a driver tree) is an item too, so "who calls
// migrate_vma_setup" works in a driver tree. An item is found again from its
// file, name and line; nothing else is stored in it.
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { WorkspaceIndex } from './workspaceIndex';
import type { Settings } from './settings';
import { definitionsOf, definitionsOfAll, incomingCalls, outgoingCalls, type CallSite, type DefRef, type FnDef } from '../core/callGraph';
import { modelLine, toPosition, wordAt, wordRangeAt } from './positions';

const API_DETAIL = 'catalogued migration API, not defined in the workspace';

export class WorkspaceCalls implements vscode.CallHierarchyProvider {
  constructor(private readonly cache: AnalysisCache, private readonly index: WorkspaceIndex, private readonly settings: () => Settings) {}

  prepareCallHierarchy(doc: vscode.TextDocument, pos: vscode.Position): vscode.CallHierarchyItem | undefined {
    if (!this.settings().enabled.callHierarchy) return undefined;
    const word = wordAt(doc, pos);
    if (!word) return undefined;
    const wordStart = wordRangeAt(doc, pos)?.start.character ?? pos.character;
    const path = doc.uri.fsPath;
    const line = modelLine(pos);
    // The definition whose name is under the cursor, else the one a call under the cursor reaches.
    const here = this.index.callsOf(path)?.defs.find((d) => d.name === word && d.line === line);
    if (here) return item({ path, def: here });
    const target = definitionsOf(this.index.callFiles(), word, path)[0];
    if (target) return item(target);
    if (this.cache.catalogueInUse.migration.api(word, true)?.kind === 'function') {
      return item({ path, def: { name: word, line, column: wordStart, endLine: line, local: false } }, API_DETAIL);
    }
    return undefined;
  }

  provideCallHierarchyIncomingCalls(it: vscode.CallHierarchyItem): vscode.CallHierarchyIncomingCall[] {
    const target = this.refOf(it);
    return incomingCalls(this.index.callFiles(), target)
      .map((c) => new vscode.CallHierarchyIncomingCall(item(c.caller), c.sites.map((s) => siteRange(s, target.def.name))));
  }

  provideCallHierarchyOutgoingCalls(it: vscode.CallHierarchyItem): vscode.CallHierarchyOutgoingCall[] {
    const from = this.refOf(it);
    const file = this.index.callsOf(from.path);
    if (!file || it.detail === API_DETAIL) return [];
    const out: vscode.CallHierarchyOutgoingCall[] = [];
    const callees = outgoingCalls(file, from.def);
    const defs = definitionsOfAll(this.index.callFiles(), new Set(callees.map((c) => c.name)), from.path);
    for (const c of callees) {
      const ranges = c.sites.map((s) => siteRange(s, c.name));
      const def = defs.get(c.name)?.[0];
      if (def) out.push(new vscode.CallHierarchyOutgoingCall(item(def), ranges));
      else if (this.cache.catalogueInUse.migration.api(c.name, true)?.kind === 'function') {
        const s = c.sites[0];
        out.push(new vscode.CallHierarchyOutgoingCall(
          item({ path: from.path, def: { name: c.name, line: s.line, column: s.column, endLine: s.line, local: false } }, API_DETAIL), ranges));
      }
    }
    return out;
  }

  /** The definition an item stands for (an API item, or a file not indexed yet: a global of that name). */
  private refOf(it: vscode.CallHierarchyItem): DefRef {
    const path = it.uri.fsPath;
    const line = it.selectionRange.start.line + 1;
    const def = it.detail === API_DETAIL ? undefined : this.index.callsOf(path)?.defs.find((d) => d.name === it.name && d.line === line);
    return { path, def: def ?? { name: it.name, line, column: it.selectionRange.start.character, endLine: line, local: false } };
  }
}

function item(ref: DefRef, detail = ''): vscode.CallHierarchyItem {
  const d: FnDef = ref.def;
  const selection = new vscode.Range(toPosition(d.line, d.column + 1), toPosition(d.line, d.column + 1 + d.name.length));
  const whole = new vscode.Range(selection.start, toPosition(Math.max(d.endLine, d.line) + 1, 1));
  return new vscode.CallHierarchyItem(vscode.SymbolKind.Function, d.name, detail || (d.local ? 'static' : ''),
    vscode.Uri.file(ref.path), whole.contains(selection) ? whole : selection, selection);
}

function siteRange(s: CallSite, name: string): vscode.Range {
  return new vscode.Range(toPosition(s.line, s.column + 1), toPosition(s.line, s.column + 1 + name.length));
}
