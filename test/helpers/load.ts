// Shared test helpers: the repository root (tests run from out/test/*.js),
// one C parser per test file, fixture discovery and the compact view of an
// analysis that the *.expected.json files are written in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCParser, type CParser } from '../../src/core/parse/parser';
import { analyseFileWithSummary, withCrossFunctionFindings } from '../../src/core/analyse';
import { buildCatalogue, type WorkspaceConfig } from '../../src/core/locks/table';
import type { FileAnalysis, LockPair, Diagnostic } from '../../src/core/model';

/** Repository root: out/test/x.js → ../.. ; also right for test/helpers/x.ts under ts-node-like runners. */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'core'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(start, '../..');
}

export const FIXTURE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'locks');

let parserPromise: Promise<CParser> | undefined;

/** The C parser, created once per process (i.e. once per test file). */
export function getParser(): Promise<CParser> {
  parserPromise ??= createCParser({
    runtime: fs.readFileSync(path.join(REPO_ROOT, 'node_modules/web-tree-sitter/tree-sitter.wasm')),
    grammar: fs.readFileSync(path.join(REPO_ROOT, 'node_modules/tree-sitter-c/tree-sitter-c.wasm')),
  });
  return parserPromise;
}

/**
 * Analyses C text with the built-in catalogue (plus an optional workspace config), as
 * `hmm-lens check FILE` does: the file's own findings and the cross-function ones, the
 * file being the whole tree.
 */
export async function analyseText(file: string, text: string, config?: WorkspaceConfig): Promise<FileAnalysis> {
  return (await analyseTexts([[file, text]], config))[0];
}

/** Several files analysed together (callers in one, callees in another). */
export async function analyseTexts(files: [string, string][], config?: WorkspaceConfig): Promise<FileAnalysis[]> {
  const parser = await getParser();
  const catalogue = buildCatalogue(config);
  return withCrossFunctionFindings(files.map(([f, t]) => analyseFileWithSummary(parser, f, t, { catalogue })));
}

/** Fixture C files (sorted), as absolute paths. */
export function fixtureFiles(): string[] {
  return fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(FIXTURE_DIR, f));
}

// ---- the compact, reviewable form of the expected results ----------------

export interface CompactPair { lock: string; kind: string; acquire: number | null; releases: number[] }
export interface CompactDiag { ruleId: string; line: number; function: string }

export type GapPart = 'lines' | 'pairs' | 'diagnostics';

export interface ExpectedFunction {
  name: string;
  /** [startLine, endLine] of the function definition. */
  lines: [number, number];
  lockPairs: CompactPair[];
  diagnostics: CompactDiag[];
  /** Why the tool's output differs from the expectation (the case is run as a TODO). */
  knownGap?: string;
  /** Which parts the gap is in; all of them when absent. */
  gapIn?: GapPart[];
  /** Free-form reviewer note: what the function is about. */
  note?: string;
}

export interface ExpectedFile {
  file: string;
  functions: ExpectedFunction[];
}

export function readExpected(cFile: string): ExpectedFile {
  const p = cFile.replace(/\.c$/, '.expected.json');
  return JSON.parse(fs.readFileSync(p, 'utf8')) as ExpectedFile;
}

export function compactPair(p: LockPair): CompactPair {
  return { lock: p.lock, kind: p.kind, acquire: p.acquire ? p.acquire.line : null, releases: p.releases.map((r) => r.line) };
}

export function compactDiag(d: Diagnostic): CompactDiag {
  return { ruleId: d.ruleId, line: d.line, function: d.function };
}

const pairKey = (p: CompactPair): string =>
  `${p.kind} ${p.lock} acquire@${p.acquire ?? 'caller'} releases@[${[...p.releases].sort((a, b) => a - b).join(',')}]`;
const diagKey = (d: CompactDiag): string => `${d.ruleId} @${d.line} in ${d.function}`;

/**
 * Multiset comparison: lists what is missing from `actual` and what is extra in it.
 * Order does not matter; duplicates count.
 */
export function diffMultiset<T>(expected: T[], actual: T[], key: (x: T) => string): { missing: string[]; extra: string[] } {
  const left = new Map<string, number>();
  for (const a of actual.map(key)) left.set(a, (left.get(a) ?? 0) + 1);
  const missing: string[] = [];
  for (const e of expected.map(key)) {
    const n = left.get(e) ?? 0;
    if (n > 0) left.set(e, n - 1);
    else missing.push(e);
  }
  const extra: string[] = [];
  for (const [k, n] of left) for (let i = 0; i < n; i++) extra.push(k);
  return { missing, extra };
}

export function diffPairs(expected: CompactPair[], actual: CompactPair[]): { missing: string[]; extra: string[] } {
  return diffMultiset(expected, actual, pairKey);
}

export function diffDiags(expected: CompactDiag[], actual: CompactDiag[]): { missing: string[]; extra: string[] } {
  return diffMultiset(expected, actual, diagKey);
}

/** A failure message listing the differences, or undefined when there are none. */
export function describeDiff(what: string, d: { missing: string[]; extra: string[] }): string | undefined {
  if (!d.missing.length && !d.extra.length) return undefined;
  return [
    `${what} differ:`,
    ...d.missing.map((m) => `  missing: ${m}`),
    ...d.extra.map((x) => `  extra:   ${x}`),
  ].join('\n');
}
