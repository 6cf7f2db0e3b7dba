// hmm-lens command line: a thin adapter that reads files, runs src/core and
// prints. All output is assembled first and written once, so an error never
// leaves half a report behind.
import * as fs from 'node:fs';
import { createCParser } from '../core/parse/parser';
import { analyseFileWithSummary, withCrossFunctionFindings, type FileResult } from '../core/analyse';
import { buildCatalogue, parseWorkspaceConfig, type WorkspaceConfig } from '../core/locks/table';
import { toSarif } from '../core/report/sarif';
import { toText } from '../core/report/text';
import { SCHEMA_VERSION, type FileAnalysis } from '../core/model';
import { collectFiles, readText, findConfig, InputError } from './inputs';
import { loadWasm } from '../host/wasm';
import { mapWorkspace } from '../core/migrate/workspace';
import { mapToText } from '../core/migrate/map';
import { flagSites, knownFilter, sitesToText } from '../core/pte/sites';

declare const HMM_LENS_VERSION: string;
const VERSION = typeof HMM_LENS_VERSION === 'string' ? HMM_LENS_VERSION : '0.0.0-dev';

const USAGE = `usage: hmm-lens check [--format text|json|sarif] [--config FILE] PATH...
       hmm-lens annotate [--format json] [--config FILE] PATH...
       hmm-lens map [--format text|json] [--config FILE] PATH...
       hmm-lens flags [--format text|json] [NAME] PATH...
       hmm-lens --version | --help

check     report lock/, migrate/ and pte/ findings; exit 0 when none, 1 when some, 2 on bad usage or input
annotate  print the annotation model (lock pairs, migration role, bit flows per function), schemaVersion ${SCHEMA_VERSION}
map       print the migration map: related functions, their callers and callees, registered callbacks
flags     where each HMM_PFN_*, MIGRATE_PFN_* and page-table flag (or bit helper) is set, tested, cleared;
          NAME: a flag (MIGRATE_PFN_WRITE), a prefix (HMM_PFN_*) or a bit (dirty, soft-dirty, uffd-wp …)
PATH      C files, or directories searched recursively for .c and .h files
--config  workspace file extending the lock and migration catalogues (default: nearest .hmm-lens.json)`;

export interface CliResult { code: number; stdout: string; stderr: string }

interface Args { command: string; format: string; config?: string; paths: string[]; name?: string }

function parseArgs(argv: string[]): Args | string {
  const [command, ...rest] = argv;
  if (command !== 'check' && command !== 'annotate' && command !== 'map' && command !== 'flags') return `unknown command: ${command ?? '(none)'}`;
  const args: Args = { command, format: command === 'annotate' ? 'json' : 'text', paths: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i]);
    if (a === '--format' || a.startsWith('--format=')) {
      const v = value();
      if (!v) return '--format needs a value';
      args.format = v;
    } else if (a === '--config' || a.startsWith('--config=')) {
      const v = value();
      if (!v) return '--config needs a file';
      args.config = v;
    } else if (a === '--') {
      args.paths.push(...rest.slice(i + 1));
      break;
    } else if (a.startsWith('-')) return `unknown option: ${a}`;
    else args.paths.push(a);
  }
  const formats = command === 'check' ? ['text', 'json', 'sarif'] : command === 'map' || command === 'flags' ? ['text', 'json'] : ['json'];
  if (!formats.includes(args.format)) return `--format for ${command} must be ${formats.join(' or ')}`;
  // flags NAME PATH…: the first word is a NAME when it is not a path on disk and looks like one.
  if (command === 'flags' && args.paths.length > 1 && !fs.existsSync(args.paths[0]) && /^[A-Za-z_][\w-]*\*?$/.test(args.paths[0])) {
    args.name = args.paths.shift();
    // A typo (`flags mmx lib`) must not print an empty, successful listing.
    if (!knownFilter(args.name!)) return `no such path, and not a flag, helper or bit: ${args.name}`;
  }
  if (args.paths.length === 0) return 'no PATH given';
  return args;
}

export async function runCli(argv: string[]): Promise<CliResult> {
  if (argv[0] === '--version') return { code: 0, stdout: `${VERSION}\n`, stderr: '' };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    return { code: argv.length === 0 ? 2 : 0, stdout: argv.length ? `${USAGE}\n` : '', stderr: argv.length ? '' : `${USAGE}\n` };
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') return { code: 2, stdout: '', stderr: `hmm-lens: ${args}\n${USAGE}\n` };
  try {
    const configPath = findConfig(args.config, args.paths[0]);
    let config: WorkspaceConfig = {};
    if (configPath) {
      const parsed = parseWorkspaceConfig(readText(configPath), configPath);
      if (parsed.errors.length) throw new InputError(parsed.errors.join('\n'));
      config = parsed.config;
    }
    const files = collectFiles(args.paths);
    const parser = await createCParser(loadWasm());
    const catalogue = buildCatalogue(config);
    if (args.command === 'map') {
      // Files are read one at a time, twice at most (see core/migrate/workspace.ts); a binary one is skipped.
      const read = (f: string): string | undefined => { try { return readText(f); } catch { return undefined; } };
      const map = mapWorkspace({ files, read, parser, catalogue });
      return { code: 0, stdout: args.format === 'json' ? `${JSON.stringify(map, null, 2)}\n` : mapToText(map), stderr: '' };
    }
    if (args.command === 'flags') {
      // Lexical, one file at a time; a binary file is skipped like in the map.
      const found = files.map((path) => {
        let text: string | undefined;
        try { text = readText(path); } catch { text = undefined; }
        return { path, sites: text === undefined ? [] : flagSites(text, args.name) };
      });
      const stdout = args.format === 'json'
        ? `${JSON.stringify({ name: args.name ?? null, sites: found.flatMap((f) => f.sites.map((s) => ({ path: f.path, ...s }))) }, null, 2)}\n`
        : sitesToText(found);
      return { code: 0, stdout, stderr: '' };
    }
    // One file's text at a time; nothing is printed until every input has been read and analysed.
    const results: FileResult[] = files.map((f) => analyseFileWithSummary(parser, f, readText(f), { catalogue }));
    const analyses: FileAnalysis[] = withCrossFunctionFindings(results);
    const findings = analyses.reduce((n, a) => n + a.diagnostics.length, 0);
    const code = args.command === 'check' && findings > 0 ? 1 : 0;
    return { code, stdout: render(args, analyses), stderr: '' };
  } catch (e) {
    if (e instanceof InputError) return { code: 2, stdout: '', stderr: `hmm-lens: ${e.message}\n` };
    return { code: 2, stdout: '', stderr: `hmm-lens: internal error: ${(e as Error).stack ?? e}\n` };
  }
}

function render(args: Args, analyses: FileAnalysis[]): string {
  if (args.command === 'annotate') {
    return `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, files: analyses }, null, 2)}\n`;
  }
  if (args.format === 'sarif') return `${JSON.stringify(toSarif(analyses, { toolVersion: VERSION }), null, 2)}\n`;
  if (args.format === 'json') {
    return `${JSON.stringify({
      schemaVersion: SCHEMA_VERSION,
      findings: analyses.flatMap((a) => a.diagnostics.map((d) => ({ path: a.path, ...d }))),
      unanalysed: analyses.flatMap((a) => a.unanalysed.map((u) => ({ path: a.path, ...u }))),
    }, null, 2)}\n`;
  }
  return toText(analyses);
}

/** Process entry: run, write both streams, set the exit code. */
export function main(argv: string[]): void {
  runCli(argv).then((r) => {
    if (r.stdout) fs.writeSync(1, r.stdout);
    if (r.stderr) fs.writeSync(2, r.stderr);
    process.exitCode = r.code;
  }, (e: unknown) => {
    fs.writeSync(2, `hmm-lens: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = 2;
  });
}
