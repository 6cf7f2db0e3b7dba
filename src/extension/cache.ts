// The one analysis cache of the extension: one DocumentAnalyser (core/incremental.ts)
// per open C document, re-run on change after a debounce. Providers call get(), which
// answers from the cache when the version matches and analyses at once otherwise (a
// provider asked before the debounce fired); they never parse themselves.
// Invariant: every DocumentAnalyser is disposed (its tree lives in WASM memory) when
// its document closes, when the catalogue changes, and when the extension stops.
import * as vscode from 'vscode';
import type { CParser } from '../core/parse/parser';
import type { Catalogue } from '../core/locks/table';
import { DocumentAnalyser } from '../core/incremental';
import { withCrossFunctionFindings, type FileResult } from '../core/analyse';
import type { FileAnalysis } from '../core/model';
import { codeOnly } from '../core/parse/code';

export interface DocAnalysis {
  uri: string;
  version: number;
  /** Facts for the workspace index and the pte helpers. */
  result: FileResult;
  /** The file as `hmm-lens check FILE` sees it: own and cross-function findings, migration roles. */
  analysis: FileAnalysis;
  /** Milliseconds the last analysis took, and how many functions it analysed afresh. */
  ms: number;
  fresh: number;
  /** The code-only view's lines (comments, strings, directives blanked), made on first use. */
  code?: string[];
}

export function isC(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'c' || /\.[ch]$/.test(doc.uri.path);
}

export class AnalysisCache implements vscode.Disposable {
  private readonly analysers = new Map<string, DocumentAnalyser>();
  private readonly entries = new Map<string, DocAnalysis>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fired after a document's analysis is refreshed. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly parser: CParser, private catalogue: Catalogue, private debounceMs: number) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => { if (isC(e.document) && e.contentChanges.length) this.schedule(e.document); }),
      vscode.workspace.onDidOpenTextDocument((d) => { if (isC(d)) this.schedule(d, 0); }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
      this.changed,
    );
  }

  /** The analysis of this version of the document (computed now if the cache has none). */
  get(doc: vscode.TextDocument): DocAnalysis | undefined {
    if (!isC(doc)) return undefined;
    const key = doc.uri.toString();
    const hit = this.entries.get(key);
    if (hit && hit.version === doc.version) return hit;
    return this.analyse(doc);
  }

  /** The cached analysis whatever its version (the workspace index reads it without forcing a run). */
  peek(uri: string): DocAnalysis | undefined { return this.entries.get(uri); }

  all(): DocAnalysis[] { return [...this.entries.values()]; }

  /** The code-only lines of an analysed document (see DocAnalysis.code), from its cache entry. */
  codeLines(doc: vscode.TextDocument, a: DocAnalysis): string[] {
    if (a.version !== doc.version) return codeOnly(doc.getText()).split('\n');
    return (a.code ??= codeOnly(doc.getText()).split('\n'));
  }

  /** The catalogue the cached analyses ran with (hovers read its migration docs). */
  get catalogueInUse(): Catalogue { return this.catalogue; }

  setCatalogue(catalogue: Catalogue): void {
    this.catalogue = catalogue;
    for (const a of this.analysers.values()) a.dispose();
    this.analysers.clear();
    this.entries.clear();
    for (const d of vscode.workspace.textDocuments) if (isC(d)) this.schedule(d, 0);
  }

  setDebounce(ms: number): void { this.debounceMs = ms; }

  schedule(doc: vscode.TextDocument, delay = this.debounceMs): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!doc.isClosed) this.get(doc);
    }, delay));
  }

  private analyse(doc: vscode.TextDocument): DocAnalysis | undefined {
    const key = doc.uri.toString();
    let analyser = this.analysers.get(key);
    if (!analyser) this.analysers.set(key, (analyser = new DocumentAnalyser(this.parser, { catalogue: this.catalogue })));
    const path = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
    const start = performance.now();
    let entry: DocAnalysis;
    try {
      const result = analyser.analyse(path, doc.getText());
      const [analysis] = withCrossFunctionFindings([result]);
      entry = { uri: key, version: doc.version, result, analysis, ms: performance.now() - start, fresh: analyser.freshFunctions };
    } catch (e) {
      // Core never throws by contract; if it does, the document is shown as not analysed.
      const analysis: FileAnalysis = { path, functions: [], diagnostics: [], unanalysed: [{ startLine: 1, endLine: doc.lineCount, reason: `internal error: ${(e as Error).message}` }] };
      entry = { uri: key, version: doc.version, result: { analysis, summary: { path, functions: [], addressed: new Set(), inMacros: new Set(), blind: new Set() }, migration: { path, functions: [], registrations: [] }, pte: { path, functions: [] } }, analysis, ms: 0, fresh: 0 };
    }
    this.entries.set(key, entry);
    this.changed.fire(doc);
    return entry;
  }

  private forget(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.analysers.get(key)?.dispose();
    this.analysers.delete(key);
    this.entries.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const a of this.analysers.values()) a.dispose();
    this.analysers.clear();
    this.entries.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
