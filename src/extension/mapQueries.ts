// Questions the editor asks of the migration map (core/migrate/map.ts): who calls a
// function, what it calls. A call whose target path is unknown (an API defined outside
// the workspace) matches by name.
import type { MapCall, MigrationMap } from '../core/migrate/map';

export interface CallRef { path: string; name: string; line: number }

export function callersOf(map: MigrationMap, path: string, name: string): CallRef[] {
  return map.calls.filter((c) => c.to.name === name && (c.to.path === undefined || c.to.path === path))
    .map((c) => ({ path: c.from.path, name: c.from.name, line: c.line }));
}

export function calleesOf(map: MigrationMap, path: string, name: string): (CallRef & { toPath?: string })[] {
  return map.calls.filter((c: MapCall) => c.from.name === name && c.from.path === path)
    .map((c) => ({ path: c.from.path, name: c.to.name, line: c.line, toPath: c.to.path }));
}
