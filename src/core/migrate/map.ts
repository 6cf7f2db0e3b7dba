// The workspace map: the migration-related (and HMM mirror) functions of a set of
// files, who calls them, what they call, and where their callbacks are registered.
// Built from the facts of every file in one pass (facts.ts) and their roles (classify.ts).
import type { FileFacts } from './facts';
import type { MigrationInfo } from './classify';

export interface MapFunction { path: string; name: string; line: number; role: string; phase?: string; related: boolean }
/** A call from `from` (any function) to `to` (a mapped function, or a catalogued API defined outside the set). */
export interface MapCall { from: { path: string; name: string }; to: { path?: string; name: string }; line: number }
export interface MapRegistration { path: string; line: number; struct: string; variable: string; field: string; fn: string; fnPath?: string }

export interface MigrationMap {
  files: number;
  functions: MapFunction[];
  calls: MapCall[];
  registrations: MapRegistration[];
}

export function buildMap(files: FileFacts[], roles: Map<string, Map<number, MigrationInfo>>): MigrationMap {
  const functions: MapFunction[] = [];
  const mapped = new Set<string>(); // `${path}\0${name}`
  const globalDefs = new Map<string, string[]>();
  const localDefs = new Map<string, Set<string>>();
  for (const f of files) {
    const locals = new Set<string>();
    for (const fn of f.functions) {
      if (fn.fileLocal) locals.add(fn.name);
      else globalDefs.set(fn.name, [...(globalDefs.get(fn.name) ?? []), f.path]);
      const m = roles.get(f.path)?.get(fn.startLine);
      if (!m || m.role === 'none') continue;
      functions.push({ path: f.path, name: fn.name, line: fn.startLine, role: m.role, ...(m.phase ? { phase: m.phase } : {}), related: m.related });
      mapped.add(`${f.path}\0${fn.name}`);
    }
    localDefs.set(f.path, locals);
  }
  /** Where a call from `path` to `name` lands: the same file's definition first, else a global one. */
  const resolve = (path: string, name: string): string[] => {
    if (localDefs.get(path)?.has(name) || mapped.has(`${path}\0${name}`)) return [path];
    return globalDefs.get(name) ?? [];
  };
  const calls: MapCall[] = [];
  for (const f of files) {
    for (const fn of f.functions) {
      const seen = new Set<string>();
      for (const c of fn.calls) {
        if (seen.has(c.name)) continue;
        const targets = resolve(f.path, c.name).filter((p) => mapped.has(`${p}\0${c.name}`));
        const api = fn.uses.find((u) => u.call && u.name === c.name)?.api;
        if (targets.length) {
          seen.add(c.name);
          for (const p of targets) calls.push({ from: { path: f.path, name: fn.name }, to: { path: p, name: c.name }, line: c.line });
        } else if (api && api.kind === 'function' && !resolve(f.path, c.name).length) {
          seen.add(c.name);
          calls.push({ from: { path: f.path, name: fn.name }, to: { name: c.name }, line: c.line });
        }
      }
    }
  }
  const registrations: MapRegistration[] = [];
  for (const f of files) {
    for (const r of f.registrations) {
      const at = resolve(f.path, r.fn).find((p) => mapped.has(`${p}\0${r.fn}`));
      if (!at) continue;
      registrations.push({ path: f.path, line: r.line, struct: r.struct, variable: r.variable, field: r.field, fn: r.fn, ...(at !== f.path ? { fnPath: at } : {}) });
    }
  }
  return { files: files.length, functions, calls, registrations };
}

/** The map as text: per file, each function with its role, callers, callees and registrations. */
export function mapToText(map: MigrationMap): string {
  const lines: string[] = [];
  const byFile = new Map<string, MapFunction[]>();
  for (const f of map.functions) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
  const key = (path: string | undefined, name: string): string => `${path ?? ''}\0${name}`;
  const callers = new Map<string, MapCall[]>();
  const callees = new Map<string, MapCall[]>();
  for (const c of map.calls) {
    if (c.to.path) callers.set(key(c.to.path, c.to.name), [...(callers.get(key(c.to.path, c.to.name)) ?? []), c]);
    callees.set(key(c.from.path, c.from.name), [...(callees.get(key(c.from.path, c.from.name)) ?? []), c]);
  }
  const regs = new Map<string, typeof map.registrations>();
  for (const r of map.registrations) regs.set(key(r.fnPath ?? r.path, r.fn), [...(regs.get(key(r.fnPath ?? r.path, r.fn)) ?? []), r]);
  for (const [path, fns] of [...byFile].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(path);
    for (const f of fns.sort((a, b) => a.line - b.line)) {
      lines.push(`  ${f.name}() :${f.line}  ${f.role}${f.phase ? ` [${f.phase}]` : ''}${f.related ? '' : ' (HMM, not migration)'}`);
      for (const r of regs.get(key(f.path, f.name)) ?? []) lines.push(`    registered as ${r.struct}.${r.field} in ${r.variable} (${r.path}:${r.line})`);
      const out = (callees.get(key(f.path, f.name)) ?? []).map((c) => `${c.to.name}()${c.to.path && c.to.path !== f.path ? ` [${c.to.path}]` : ''}`);
      if (out.length) lines.push(`    calls: ${[...new Set(out)].join(', ')}`);
      const inn = (callers.get(key(f.path, f.name)) ?? []).map((c) => `${c.from.name}()${c.from.path !== f.path ? ` [${c.from.path}:${c.line}]` : ` :${c.line}`}`);
      if (inn.length) lines.push(`    called by: ${[...new Set(inn)].join(', ')}`);
    }
  }
  const related = map.functions.filter((f) => f.related).length;
  lines.push(`${map.files} file(s) read, ${related} migration-related function(s), ${map.functions.length - related} HMM mirror function(s), ${map.calls.length} call(s), ${map.registrations.length} registration(s)`);
  return `${lines.join('\n')}\n`;
}
