// The workspace index, built in the background: the migration map (roles, callers,
// callees, registrations), the page-table facts every file contributes to the
// cross-file round trip (pte/bit-not-restored), and the flag sites. Built once with a
// cancellable progress notification, then kept current: an open document's facts come
// from the analysis cache (its unsaved text), a changed file on disk is re-read.
// Files are read one at a time and only their facts are kept, never their text; the call
// graph's names are interned so each is kept once.
import * as vscode from 'vscode';
import type { CParser } from '../core/parse/parser';
import type { Catalogue } from '../core/locks/table';
import { migrationFactsOf } from '../core/analyse';
import type { FileFacts } from '../core/migrate/facts';
import type { MigrationMap } from '../core/migrate/map';
import { namesAny, wantedNames } from '../core/migrate/workspace';
import type { FlagSite } from '../core/pte/sites';
import type { Diagnostic } from '../core/model';
import { combineIndex, entryFromResult, indexEntryOf, type IndexEntry } from '../core/workspaceIndex';
import { NameTable, type FileCalls } from '../core/callGraph';
import type { AnalysisCache } from './cache';

const GLOB = '**/*.{c,h}';
const EXCLUDE = '**/{node_modules,.git,.vscode-host,.vscode-test}/**';

type FileEntry = IndexEntry;

export interface IndexFigures { files: number; ms: number; heapMB: number }

export class WorkspaceIndex implements vscode.Disposable {
  private readonly files = new Map<string, FileEntry>();
  private map: MigrationMap = { files: 0, functions: [], calls: [], registrations: [] };
  private restored = new Map<string, Diagnostic[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  private rebuildTimer?: ReturnType<typeof setTimeout>;
  private building?: vscode.CancellationTokenSource;
  ready = false;
  figures?: IndexFigures;
  /** Every function name of the index, once (the call graph refers to these strings). */
  private readonly names = new NameTable();

  constructor(private readonly parser: CParser, private catalogue: Catalogue, private readonly cache: AnalysisCache) {
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    this.subscriptions.push(watcher,
      watcher.onDidChange((u) => this.fromDisk(u)), watcher.onDidCreate((u) => this.fromDisk(u)),
      watcher.onDidDelete((u) => { this.files.delete(u.fsPath); this.scheduleRebuild(); }),
      cache.onDidChange((doc) => this.fromCache(doc)));
  }

  getMap(): MigrationMap { return this.map; }
  /** pte/bit-not-restored findings the whole workspace gives each file, by file path. */
  restoredFindings(): Map<string, Diagnostic[]> { return this.restored; }
  flagSitesNamed(name: string): (FlagSite & { path: string })[] {
    const out: (FlagSite & { path: string })[] = [];
    for (const [path, e] of this.files) for (const s of e.flags) if (s.name === name) out.push({ ...s, path });
    return out;
  }

  /** The call graph of one file (definitions and call sites), if indexed. */
  callsOf(path: string): FileCalls | undefined { return this.files.get(path)?.calls; }
  /** Every indexed file's call graph, for the call hierarchy. */
  *callFiles(): Iterable<[string, FileCalls]> { for (const [path, e] of this.files) yield [path, e.calls]; }

  setCatalogue(c: Catalogue): void { this.catalogue = c; void this.build(); }

  /** Index the whole workspace, with a progress notification the user can cancel. */
  async build(): Promise<IndexFigures | undefined> {
    this.building?.cancel();
    const source = (this.building = new vscode.CancellationTokenSource());
    this.names.clear(); // every file is read again: names of files gone since the last build go too
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'HMM Lens: indexing C files', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => source.cancel());
        const start = performance.now();
        const uris = await vscode.workspace.findFiles(GLOB, EXCLUDE, undefined, source.token);
        const rest: vscode.Uri[] = [];
        let done = 0;
        for (const uri of uris) {
          if (source.token.isCancellationRequested) return undefined;
          const text = await this.read(uri);
          if (text !== undefined) {
            this.files.set(uri.fsPath, this.entryOf(uri.fsPath, text));
            if (!this.files.get(uri.fsPath)!.mentions && uri.path.endsWith('.c')) rest.push(uri);
          }
          if (++done % 50 === 0) {
            progress.report({ message: `${done}/${uris.length} files`, increment: (50 / uris.length) * 100 });
            await new Promise((r) => setTimeout(r, 0)); // let the editor breathe
          }
        }
        // Second step (as in core/migrate/workspace.ts): files with no migration word matter when
        // they name a callback or a related global function.
        const wanted = wantedNames(this.allFacts());
        if (wanted.size) {
          for (const uri of rest) {
            if (source.token.isCancellationRequested) return undefined;
            const text = await this.read(uri);
            const e = this.files.get(uri.fsPath);
            if (text !== undefined && e && namesAny(text, wanted)) e.facts = migrationFactsOf(this.parser, uri.fsPath, text, this.catalogue);
          }
        }
        this.rebuild();
        this.ready = true;
        const mem = process.memoryUsage();
        this.figures = { files: uris.length, ms: performance.now() - start, heapMB: Math.round((mem.heapUsed + mem.external) / 1e6) };
        return this.figures;
      });
  }

  private entryOf(path: string, text: string): FileEntry {
    return indexEntryOf(this.parser, path, text, this.catalogue, this.names.intern);
  }

  private async read(uri: vscode.Uri): Promise<string | undefined> {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.includes(0)) return undefined; // binary
      return new TextDecoder().decode(bytes);
    } catch { return undefined; }
  }

  private async fromDisk(uri: vscode.Uri): Promise<void> {
    if (!this.ready || this.cache.peek(uri.toString())) return; // open documents come from the cache
    const text = await this.read(uri);
    if (text === undefined) this.files.delete(uri.fsPath);
    else this.files.set(uri.fsPath, this.entryOf(uri.fsPath, text));
    this.scheduleRebuild();
  }

  private fromCache(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    const a = this.cache.peek(doc.uri.toString());
    if (!a) return;
    const old = this.files.get(doc.uri.fsPath);
    this.files.set(doc.uri.fsPath, entryFromResult(a.result, doc.getText(), this.catalogue, !!old?.facts, this.names.intern));
    if (this.ready) this.scheduleRebuild();
  }

  private scheduleRebuild(): void {
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => this.rebuild(), 300);
  }

  private allFacts(): FileFacts[] {
    return [...this.files.values()].flatMap((e) => (e.facts ? [e.facts] : []));
  }

  private rebuild(): void {
    const r = combineIndex([...this.files.values()]);
    this.map = r.map;
    this.restored = r.restored;
    this.changed.fire();
  }

  dispose(): void {
    this.building?.cancel();
    this.building?.dispose();
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
