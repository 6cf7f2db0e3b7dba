// The workspace index in one pass over a directory's files, I/O handed in:
//   1. every file that names something of the migration catalogue is parsed and
//      its facts collected (facts.ts);
//   2. the files that name none are only scanned for the global functions step 1
//      found related or saw registered, and parsed when they name one (the callers
//      the map shows, and callbacks defined away from their registration);
//   3. everything is classified together (a callback registered in one file and
//      defined in another) and turned into the map.
// A file the reader rejects (binary, unreadable) is skipped and counted.
import type { CParser } from '../parse/parser';
import type { Catalogue } from '../locks/table';
import { migrationFactsOf } from '../analyse';
import { classify } from './classify';
import type { FileFacts } from './facts';
import { buildMap, type MigrationMap } from './map';

export interface WorkspaceInput {
  files: string[];
  /** The file's text, or undefined when it cannot be read as text. */
  read: (path: string) => string | undefined;
  parser: CParser;
  catalogue: Catalogue;
}

export interface WorkspaceMap extends MigrationMap { skipped: string[] }

export function mapWorkspace(input: WorkspaceInput): WorkspaceMap {
  const facts: FileFacts[] = [];
  const rest: string[] = [];
  const skipped: string[] = [];
  for (const f of input.files) {
    const text = input.read(f);
    if (text === undefined) { skipped.push(f); continue; }
    if (input.catalogue.migration.mention.test(text)) facts.push(migrationFactsOf(input.parser, f, text, input.catalogue));
    else if (f.endsWith('.c')) rest.push(f);
  }
  const wanted = wantedNames(facts);
  if (wanted.size) {
    for (const f of rest) {
      const text = input.read(f);
      if (text !== undefined && namesAny(text, wanted)) facts.push(migrationFactsOf(input.parser, f, text, input.catalogue));
    }
  }
  const map = buildMap(facts, classify(facts));
  return { ...map, files: input.files.length - skipped.length, skipped };
}

/**
 * The names a file with no migration word must name to matter: callbacks registered
 * elsewhere and defined away from their registration, and the global related functions
 * (their callers belong on the map).
 */
export function wantedNames(facts: FileFacts[]): Set<string> {
  const roles = classify(facts);
  const wanted = new Set<string>();
  for (const ff of facts) {
    // A callback registered here may be defined in a file with no migration word of its own.
    for (const r of ff.registrations) if (!ff.functions.some((fn) => fn.name === r.fn)) wanted.add(r.fn);
    for (const fn of ff.functions) if (!fn.fileLocal && (roles.get(ff.path)?.get(fn.startLine)?.role ?? 'none') !== 'none') wanted.add(fn.name);
  }
  return wanted;
}

/** Does the text name one of `names` as an identifier? */
export function namesAny(text: string, names: Set<string>): boolean {
  const re = /[A-Za-z_]\w*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) if (names.has(m[0])) return true;
  return false;
}
