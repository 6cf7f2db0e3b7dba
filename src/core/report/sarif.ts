// SARIF 2.1.0 rendering of findings: pure data in, a JSON-ready object out.
import type { FileAnalysis, PathStep } from '../model';
import { RULES } from '../rules';

export interface SarifOptions { toolVersion: string; /** file path → URI as it should appear */ uriOf?: (path: string) => string }

type Json = Record<string, unknown>;

export function toSarif(files: FileAnalysis[], opts: SarifOptions): Json {
  const uriOf = opts.uriOf ?? ((p: string) => p.split('\\').join('/'));
  const loc = (path: string, line: number, column: number, message?: string, endLine?: number, endColumn?: number): Json => ({
    physicalLocation: {
      artifactLocation: { uri: uriOf(path) },
      region: { startLine: line, startColumn: column, ...(endLine ? { endLine, endColumn } : {}) },
    },
    ...(message ? { message: { text: message } } : {}),
  });
  const results: Json[] = [];
  const notifications: Json[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const ruleIndex = RULES.findIndex((r) => r.id === d.ruleId);
      results.push({
        ruleId: d.ruleId,
        ...(ruleIndex >= 0 ? { ruleIndex } : {}),
        level: d.severity,
        message: { text: d.message },
        locations: [loc(f.path, d.line, d.column, undefined, d.endLine, d.endColumn)],
        relatedLocations: d.related.map((r: PathStep, i: number) => ({ id: i + 1, ...loc(r.path ?? f.path, r.line, r.column, r.message) })),
        codeFlows: d.flow.length ? [{
          threadFlows: [{ locations: d.flow.map((s: PathStep) => ({ location: loc(s.path ?? f.path, s.line, s.column, s.message) })) }],
        }] : [],
        partialFingerprints: { function: `${d.function}:${d.ruleId}:${d.message.replace(/\d+/g, 'N')}` },
      });
    }
    for (const u of f.unanalysed) {
      notifications.push({
        level: 'note',
        message: { text: u.reason },
        locations: [loc(f.path, u.startLine, 1, undefined, u.endLine, 1)],
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'hmm-lens',
          version: opts.toolVersion,
          rules: RULES.map((r) => ({
            id: r.id, name: r.name,
            shortDescription: { text: r.short }, fullDescription: { text: r.full },
            defaultConfiguration: { level: r.level },
          })),
        },
      },
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      results,
    }],
  };
}
