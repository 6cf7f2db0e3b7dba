// Settings (package.json "contributes.configuration") read in one place. The lock
// catalogue is the built-in one, extended by the workspace file .hmm-lens.json (the
// CLI's format) and by the hmmLens.locks/guards/noreturn/migrationApis/migrationProtocols
// settings, each in the format of its key in that file.
import * as vscode from 'vscode';
import { buildCatalogue, parseWorkspaceConfig, type Catalogue, type WorkspaceConfig } from '../core/locks/table';

export type Feature = 'lockHighlights' | 'heldLines' | 'diagnostics' | 'codeLens' | 'hovers' | 'inlayHints'
  | 'migrationMap' | 'callHierarchy' | 'semanticTokens';

export type RuleLevel = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface Settings {
  enabled: Record<Feature, boolean>;
  severity: Record<string, RuleLevel>;
  debounceMs: number;
  indexOnStart: boolean;
}

const FEATURES: Feature[] = ['lockHighlights', 'heldLines', 'diagnostics', 'codeLens', 'hovers', 'inlayHints',
  'migrationMap', 'callHierarchy', 'semanticTokens'];

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('hmmLens');
  const enabled = Object.fromEntries(FEATURES.map((f) => [f, c.get<boolean>(`${f}.enabled`, true)])) as Record<Feature, boolean>;
  return {
    enabled,
    severity: c.get<Record<string, RuleLevel>>('severity', {}),
    debounceMs: Math.max(0, c.get<number>('debounceMs', 250)),
    indexOnStart: c.get<boolean>('index.onStart', true),
  };
}

/** Settings that extend the catalogue, and the workspace-file key each one is written like. */
export const CATALOGUE_SETTINGS = ['locks', 'guards', 'noreturn', 'migrationApis', 'migrationProtocols'] as const;
const FILE_KEY: Record<(typeof CATALOGUE_SETTINGS)[number], keyof WorkspaceConfig> = {
  locks: 'locks', guards: 'guards', noreturn: 'noreturn', migrationApis: 'migration', migrationProtocols: 'protocols',
};

/** The catalogue: built-in + .hmm-lens.json of the first workspace folder + settings. Errors are returned, not thrown. */
export async function readCatalogue(): Promise<{ catalogue: Catalogue; errors: string[] }> {
  const errors: string[] = [];
  const merged: WorkspaceConfig = {};
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) {
    const uri = vscode.Uri.joinPath(folder.uri, '.hmm-lens.json');
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const r = parseWorkspaceConfig(new TextDecoder().decode(bytes), '.hmm-lens.json');
      errors.push(...r.errors);
      Object.assign(merged, r.config);
    } catch { /* no workspace file */ }
  }
  const c = vscode.workspace.getConfiguration('hmmLens');
  // Each setting alone, so an error names it; each adds to the file's entries of its key.
  for (const k of CATALOGUE_SETTINGS) {
    const key = FILE_KEY[k];
    const r = parseWorkspaceConfig(JSON.stringify({ [key]: c.get(k, []) }), `setting hmmLens.${k}`);
    errors.push(...r.errors);
    (merged as Record<string, unknown[]>)[key] = [...((merged[key] as unknown[] | undefined) ?? []), ...((r.config[key] as unknown[] | undefined) ?? [])];
  }
  return { catalogue: buildCatalogue(merged), errors };
}
