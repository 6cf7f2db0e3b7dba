// CodeLens above each migration-related function: its role, its phases, and how many
// callers the workspace index knows (clicking opens them in a peek).
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { Settings } from './settings';
import type { WorkspaceIndex } from './workspaceIndex';
import { toPosition, toRange } from './positions';
import { callersOf } from './mapQueries';

export class MigrationLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly cache: AnalysisCache, private readonly index: WorkspaceIndex, private readonly settings: () => Settings) {}

  refresh(): void { this.changed.fire(); }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.settings().enabled.codeLens) return [];
    const a = this.cache.get(doc);
    if (!a) return [];
    const out: vscode.CodeLens[] = [];
    const map = this.index.getMap();
    for (const fn of a.analysis.functions) {
      // The workspace knows more than the file (a callback registered elsewhere); the file is newer.
      const mapped = map.functions.find((f) => f.path === a.analysis.path && f.name === fn.name);
      const local = fn.migration && fn.migration.role !== 'none' ? fn.migration : undefined;
      const role = local?.role ?? mapped?.role;
      if (!role) continue;
      const phase = local?.phase ?? mapped?.phase;
      const m = { role, evidence: local?.evidence ?? [] };
      const callers = callersOf(map, a.analysis.path, fn.name);
      const phases = phase ? ` · ${phase.split(',').join(', ')}` : '';
      const count = this.index.ready ? ` · ${callers.length} caller${callers.length === 1 ? '' : 's'}` : '';
      const title = `migration: ${m.role}${phases}${count}`;
      const at = toPosition(fn.startLine);
      const locations = callers.map((c) => new vscode.Location(vscode.Uri.file(c.path), toRange(undefined, c.line)));
      out.push(new vscode.CodeLens(new vscode.Range(at, at), {
        title, tooltip: m.evidence.map((e) => `line ${e.line}: ${e.text}`).join('\n') || 'Migration role (HMM Lens)',
        command: locations.length ? 'editor.action.showReferences' : '',
        arguments: locations.length ? [doc.uri, at, locations] : undefined,
      }));
    }
    return out;
  }

  dispose(): void { this.changed.dispose(); }
}
