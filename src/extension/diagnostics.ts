// lock/, migrate/ and pte/ findings in the Problems panel. The path that proves a
// finding (acquire, branches taken, exit) and its other places (the other end of a
// round trip, a caller) become related information, each step clickable.
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { Settings, RuleLevel } from './settings';
import type { Diagnostic } from '../core/model';
import { toRange } from './positions';

const LEVEL: Record<Exclude<RuleLevel, 'off'>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint,
};

export class Diagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('hmm-lens');
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Findings other files add to a document (pte/bit-not-restored across the workspace), by uri. */
  private extra = new Map<string, Diagnostic[]>();

  constructor(private readonly cache: AnalysisCache, private readonly settings: () => Settings) {
    this.subscriptions.push(cache.onDidChange((doc) => this.publish(doc)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)));
  }

  setExtra(extra: Map<string, Diagnostic[]>): void {
    this.extra = extra;
    this.refresh();
  }

  refresh(): void {
    this.collection.clear();
    for (const d of vscode.workspace.textDocuments) if (this.cache.peek(d.uri.toString())) this.publish(d);
  }

  publish(doc: vscode.TextDocument): void {
    const s = this.settings();
    const a = this.cache.get(doc);
    if (!a || !s.enabled.diagnostics) { this.collection.delete(doc.uri); return; }
    const own = a.analysis.diagnostics;
    const more = (this.extra.get(doc.uri.toString()) ?? [])
      .filter((x) => !own.some((d) => d.ruleId === x.ruleId && d.line === x.line && d.message === x.message));
    const out: vscode.Diagnostic[] = [];
    for (const d of [...own, ...more]) {
      const level = s.severity[d.ruleId] ?? (d.severity === 'error' ? 'error' : d.severity === 'note' ? 'information' : 'warning');
      if (level === 'off') continue;
      const v = new vscode.Diagnostic(toRange(doc, d.line, d.column, d.endLine, d.endColumn), d.message, LEVEL[level]);
      v.source = 'HMM Lens';
      v.code = d.ruleId;
      // The proof first (acquire, branches, exit), then the other places not already on it.
      const steps = [...d.flow, ...d.related.filter((r) => !d.flow.some((f) => f.line === r.line && f.path === r.path))];
      v.relatedInformation = steps.map((st) => new vscode.DiagnosticRelatedInformation(
        new vscode.Location(st.path ? vscode.Uri.file(st.path) : doc.uri, toRange(undefined, st.line, st.column)),
        st.message));
      out.push(v);
    }
    this.collection.set(doc.uri, out);
  }

  dispose(): void {
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
