// Call hierarchy over the workspace's migration map: incoming calls are the map's
// callers of a function, outgoing its calls to mapped functions and catalogued APIs.
// Functions outside the map have no hierarchy here (the index keeps only these calls).
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { WorkspaceIndex } from './workspaceIndex';
import type { Settings } from './settings';
import { callersOf, calleesOf } from './mapQueries';
import { modelLine, toRange, wordAt } from './positions';

export class MigrationCalls implements vscode.CallHierarchyProvider {
  constructor(private readonly cache: AnalysisCache, private readonly index: WorkspaceIndex, private readonly settings: () => Settings) {}

  prepareCallHierarchy(doc: vscode.TextDocument, pos: vscode.Position): vscode.CallHierarchyItem | undefined {
    if (!this.settings().enabled.callHierarchy) return undefined;
    const word = wordAt(doc, pos);
    const map = this.index.getMap();
    const a = this.cache.get(doc);
    // The function defined here (cursor on its name), else one the map knows by that name.
    const own = a?.analysis.functions.find((f) => f.name === word && modelLine(pos) >= f.startLine && modelLine(pos) <= f.endLine);
    if (own && a) return item(a.analysis.path, own.name, own.startLine);
    const known = map.functions.find((f) => f.name === word);
    return known ? item(known.path, known.name, known.line) : undefined;
  }

  provideCallHierarchyIncomingCalls(it: vscode.CallHierarchyItem): vscode.CallHierarchyIncomingCall[] {
    const map = this.index.getMap();
    const byCaller = new Map<string, { path: string; name: string; lines: number[] }>();
    for (const c of callersOf(map, it.uri.fsPath, it.name)) {
      const k = `${c.path}\0${c.name}`;
      const e = byCaller.get(k) ?? { path: c.path, name: c.name, lines: [] };
      e.lines.push(c.line);
      byCaller.set(k, e);
    }
    return [...byCaller.values()].map((c) => {
      const def = map.functions.find((f) => f.path === c.path && f.name === c.name);
      return new vscode.CallHierarchyIncomingCall(item(c.path, c.name, def?.line ?? c.lines[0]), c.lines.map((l) => toRange(undefined, l)));
    });
  }

  provideCallHierarchyOutgoingCalls(it: vscode.CallHierarchyItem): vscode.CallHierarchyOutgoingCall[] {
    const map = this.index.getMap();
    return calleesOf(map, it.uri.fsPath, it.name).map((c) => {
      const def = map.functions.find((f) => f.name === c.name && (!c.toPath || f.path === c.toPath));
      const target = def ? item(def.path, def.name, def.line) : item(it.uri.fsPath, c.name, c.line, 'catalogued API');
      return new vscode.CallHierarchyOutgoingCall(target, [toRange(undefined, c.line)]);
    });
  }
}

function item(file: string, name: string, line: number, detail = ''): vscode.CallHierarchyItem {
  const r = toRange(undefined, line);
  return new vscode.CallHierarchyItem(vscode.SymbolKind.Function, name, detail, vscode.Uri.file(file), r, r);
}
