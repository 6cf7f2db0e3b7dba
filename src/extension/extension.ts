// Entry point of the VS Code extension: a thin adapter over src/core. It creates the
// parser, the one analysis cache and the workspace index, registers each feature
// (one file each) and keeps every registration in context.subscriptions so that all
// of them, the decoration types and the WASM trees are released on deactivate.
// Activation: onLanguage:c only (package.json), never at start-up.
import * as vscode from 'vscode';
import { createCParser } from '../core/parse/parser';
import { loadWasm } from '../host/wasm';
import { AnalysisCache, isC } from './cache';
import { CATALOGUE_SETTINGS, readCatalogue, readSettings, type Settings } from './settings';
import { LockHighlights } from './highlights';
import { registerMatching } from './matching';
import { HeldLines } from './held';
import { Diagnostics } from './diagnostics';
import { WorkspaceIndex } from './workspaceIndex';
import { MigrationLens } from './codeLens';
import { Hovers } from './hovers';
import { StoreHints } from './inlayHints';
import { MigrationMapView } from './mapView';
import { WorkspaceCalls } from './callHierarchy';
import { registerPteFlow } from './pteFlow';
import { LEGEND, LockAndValueTokens } from './semanticTokens';

/** What the extension-host tests read (returned by activate). */
export interface HmmLensApi {
  cache: AnalysisCache;
  index: WorkspaceIndex;
  mapView: MigrationMapView;
  ready: Promise<unknown>;
}

export async function activate(context: vscode.ExtensionContext): Promise<HmmLensApi> {
  let settings: Settings = readSettings();
  const get = (): Settings => settings;
  const parser = await createCParser(loadWasm());
  const { catalogue, errors } = await readCatalogue();
  const log = vscode.window.createOutputChannel('HMM Lens');
  if (errors.length) log.appendLine(errors.join('\n'));

  const cache = new AnalysisCache(parser, catalogue, settings.debounceMs);
  const index = new WorkspaceIndex(parser, catalogue, cache);
  const diagnostics = new Diagnostics(cache, get);
  const held = new HeldLines(cache, get);
  const lens = new MigrationLens(cache, index, get);
  const hints = new StoreHints(cache, get);
  const mapView = new MigrationMapView(index);
  const C = { language: 'c' };
  const sub = context.subscriptions;
  sub.push(log, cache, index, diagnostics, held, lens, hints, mapView,
    vscode.languages.registerDocumentHighlightProvider(C, new LockHighlights(cache, get)),
    vscode.languages.registerCodeLensProvider(C, lens),
    vscode.languages.registerHoverProvider(C, new Hovers(cache, index, get)),
    vscode.languages.registerInlayHintsProvider(C, hints),
    vscode.languages.registerCallHierarchyProvider(C, new WorkspaceCalls(cache, index, get)),
    vscode.languages.registerDocumentSemanticTokensProvider(C, new LockAndValueTokens(cache, get), LEGEND),
    vscode.window.registerTreeDataProvider('hmmLens.migrationMap', mapView),
    registerMatching(cache),
    registerPteFlow(cache),
    vscode.commands.registerCommand('hmmLens.reindex', () => index.build()),
    vscode.commands.registerCommand('hmmLens.stats', () => ({
      documents: cache.all().map((d) => ({ uri: d.uri, ms: d.ms, fresh: d.fresh })), index: index.figures,
    })),
    index.onDidChange(() => {
      lens.refresh();
      mapView.refresh();
      diagnostics.setExtra(byUri(index.restoredFindings()));
    }),
    cache.onDidChange(() => { lens.refresh(); hints.refresh(); }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('hmmLens')) return;
      settings = readSettings();
      cache.setDebounce(settings.debounceMs);
      if (CATALOGUE_SETTINGS.some((k) => e.affectsConfiguration(`hmmLens.${k}`))) {
        await reloadCatalogue();
      }
      diagnostics.refresh();
      held.refresh();
      lens.refresh();
      hints.refresh();
    }),
  );
  const reloadCatalogue = async (): Promise<void> => {
    const r = await readCatalogue();
    if (r.errors.length) log.appendLine(r.errors.join('\n'));
    cache.setCatalogue(r.catalogue);
    index.setCatalogue(r.catalogue);
  };
  const configWatcher = vscode.workspace.createFileSystemWatcher('**/.hmm-lens.json');
  sub.push(configWatcher, configWatcher.onDidChange(reloadCatalogue), configWatcher.onDidCreate(reloadCatalogue),
    configWatcher.onDidDelete(reloadCatalogue));

  for (const d of vscode.workspace.textDocuments) if (isC(d)) cache.schedule(d, 0);
  const ready = settings.indexOnStart && settings.enabled.migrationMap ? index.build() : Promise.resolve(undefined);
  return { cache, index, mapView, ready };
}

export function deactivate(): void { /* everything is in context.subscriptions */ }

function byUri(m: Map<string, import('../core/model').Diagnostic[]>): Map<string, import('../core/model').Diagnostic[]> {
  return new Map([...m].map(([p, d]) => [vscode.Uri.file(p).toString(), d]));
}
