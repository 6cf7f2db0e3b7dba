// Seeded-bug (mutation) benchmark: how often does the lock analysis notice a
// lock bug that we put there on purpose?
//
// Why: findings on the unmodified kernel mostly measure false positives. To
// measure recall we need known bugs. The commonest real lock bugs are a missing
// unlock on some path and a missing lock, so each mutant deletes exactly one
// statement from a function that is clean today:
//   - a release statement (`spin_unlock(ptl);`, `pte_unmap_unlock(pte, ptl);`), or
//   - a plain acquire statement (`folio_lock(folio);`, `mmap_read_lock(mm);`).
//
// How:
//   1. Every .c file under <kernel>/mm/ is analysed as a whole. Candidate
//      functions have a lock pair with an acquire in the function and at least
//      one release, were analysed (no notAnalysed) and have no diagnostic.
//   2. Each mutant is the whole file with one statement deleted, re-analysed as
//      `hmm-lens check mm/` would see it: the file's own findings plus the
//      cross-function ones, every other file's summary as it was. A function that
//      already has a finding in the unmutated tree is skipped and counted.
//   3. Candidate statements come from the pairs (acquire.line, releases[].line,
//      callee name from the call text) of pairs whose acquire is in the function.
//      A statement qualifies only when its line(s) are exactly
//      `<whitespace>name(args);` (the call may span lines; a trailing comment is
//      allowed) and a statement starts there (not the tail of an expression).
//      Acquires written as conditions or assignments (`if (!spin_trylock(l))`,
//      `ptl = pmd_lock(..)`) do not qualify.
//   4. Deletion replaces the call with spaces but keeps its `;`, so an unbraced
//      `if (x)\n\tspin_unlock(l);` keeps its shape (empty statement) and lines stay.
//   5. A mutant is DETECTED when the mutated function then has a lock/ diagnostic
//      (the original has none).
//
// Output: counts, detection rate overall and per kind, runtime, up to 60
// misses; the full miss list goes to out/bench/mutation-misses.txt.
// MUTATE_LIMIT=N stops after N mutants; MUTATE_ONLY=regex mutates only the functions whose
// `<file> <name>` it matches (to look at one case; the figures are those of a full run).
// Always exits 0 once it has run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseFileWithSummary, type FileResult } from '../../src/core/analyse';
import { CallIndex } from '../../src/core/interproc/handover';
import type { FileSummary } from '../../src/core/interproc/summary';
import { buildCatalogue } from '../../src/core/locks/table';
import type { CParser } from '../../src/core/parse/parser';
import type { FunctionAnalysis } from '../../src/core/model';
import { kernelTree, filesUnder, loadParser, REPO_ROOT } from './kernel-tree';

type Kind = 'release' | 'acquire';

interface Mutant { kind: Kind; line: number; call: string; lock: string; lockKind: string; start: number; end: number }

interface Stats { mutants: number; detected: number }

const catalogue = buildCatalogue();

/** Offset of the start of each line (0-based index = line - 1). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * Does a statement start on line `line`? The last code before it (blank lines, comments and
 * directives skipped) must end a statement or open a block: `;`, `{`, `}`, `)` of an if/loop
 * head, `else`, `do`, or a label's `:`. The tail of an expression on its own line
 * (`x = a ?\n\tb :\n\tpte_offset_map_lock(…);`) is not a statement: deleting it would not compile.
 */
function startsStatement(text: string, starts: number[], line: number): boolean {
  for (let l = line - 1; l >= 1; l--) {
    const raw = text.slice(starts[l - 1], (starts[l] ?? text.length + 1) - 1);
    const code = raw.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '').trimEnd();
    const t = code.trim();
    if (!t || t.startsWith('#') || t.startsWith('*') || t.startsWith('/*') || t.endsWith('*/')) continue;
    if (/[;{})]$/.test(code) || /\b(?:else|do)$/.test(code)) return true;
    return /^\s*(?:case\b.*|default|[A-Za-z_]\w*)\s*:$/.test(code);
  }
  return true;
}

/**
 * When line `line` is exactly `<ws>callee(args);` (args may span lines) and starts a statement,
 * the [start, end) range of `callee(args)` (without the `;`), else undefined.
 */
function plainCallStatement(text: string, starts: number[], line: number, callee: string): [number, number] | undefined {
  let i = starts[line - 1];
  if (i === undefined || !startsStatement(text, starts, line)) return undefined;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const start = i;
  if (!text.startsWith(callee, i)) return undefined;
  i += callee.length;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== '(') return undefined;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") { // skip a literal
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) break;
  }
  if (depth !== 0) return undefined;
  const end = i + 1;
  i = end;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== ';') return undefined;
  // Only whitespace or a comment may follow on the line.
  const eol = text.indexOf('\n', i);
  const rest = text.slice(i + 1, eol < 0 ? text.length : eol).trim();
  if (rest && !rest.startsWith('//') && !(rest.startsWith('/*') && rest.endsWith('*/'))) return undefined;
  return [start, end];
}

function candidates(fn: FunctionAnalysis, text: string, starts: number[], rejected: Record<Kind, number>): Mutant[] {
  const out = new Map<string, Mutant>();
  const consider = (kind: Kind, line: number, call: string, lock: string, lockKind: string): void => {
    const callee = call.slice(0, call.indexOf('(')).trim();
    const key = `${line}:${callee}`;
    if (!callee || out.has(key) || line < fn.startLine || line > fn.endLine) return;
    const range = plainCallStatement(text, starts, line, callee);
    if (!range) { rejected[kind]++; return; }
    out.set(key, { kind, line, call, lock, lockKind, start: range[0], end: range[1] });
  };
  for (const p of fn.lockPairs) {
    if (!p.acquire) continue; // the caller's lock: deleting its release is not a bug we can see
    consider('acquire', p.acquire.line, p.acquire.call, p.lock, p.kind);
    for (const r of p.releases) consider('release', r.line, r.call, p.lock, p.kind);
  }
  return [...out.values()];
}

/**
 * lock/ findings inside `fn` when `text` is file `index` of the tree: the file's own
 * findings plus the cross-function ones, with every other file's summary as it was.
 */
function lockFindings(parser: CParser, tree: FileSummary[], index: number, rel: string, text: string, fn: FunctionAnalysis,
  why: string[] = []): number {
  const r = analyseFileWithSummary(parser, rel, text, { catalogue });
  const inFn = (d: { ruleId: string; function: string; line: number }): boolean => d.ruleId.startsWith('lock/')
    && d.function === fn.name && d.line >= fn.startLine && d.line <= fn.endLine;
  const files = tree.slice();
  files[index] = r.summary;
  const callIndex = new CallIndex(files);
  const local = r.analysis.diagnostics.filter((d) => inFn(d) && !callIndex.releasedByCallee(r.summary, d)).length;
  if (local) return local;
  const mine = (f: FileSummary, g: { name: string; startLine: number }): boolean => f === r.summary && g.name === fn.name && g.startLine === fn.startLine;
  const cross = callIndex.check(mine, (_g, c, v) => why.push(`${c.expr} [${c.root}${c.closing ? ', closing name' : ''}${c.takenAt !== undefined ? `, taken at ${c.takenAt}` : ''}]: ${v.t === 'free' ? 'reported' : `${v.t}, ${v.why}`}`));
  if (!why.length) {
    const g = r.summary.functions.find((x) => mine(r.summary, x));
    why.push(`no cross-function candidate; acquired here: ${g?.acquired.join(', ') || 'nothing'}`);
  }
  return (cross.get(rel) ?? []).filter(inFn).length;
}

async function main(): Promise<void> {
  const tree = kernelTree();
  const limit = Number(process.env.MUTATE_LIMIT) || Infinity;
  const only = process.env.MUTATE_ONLY ? new RegExp(process.env.MUTATE_ONLY) : undefined;
  const parser = await loadParser();
  const t0 = Date.now();
  const stats: Record<Kind, Stats> = { release: { mutants: 0, detected: 0 }, acquire: { mutants: 0, detected: 0 } };
  const rejected: Record<Kind, number> = { release: 0, acquire: 0 };
  const skipped = { notAnalysed: 0, fileFinding: 0, noPlainStatement: 0 };
  const misses: string[] = [];
  // The whole of mm/ (headers too: their static inlines call and are called) is the tree
  // the cross-function check sees, as `hmm-lens check mm/` does.
  const treeFiles = filesUnder(path.join(tree, 'mm'), /\.[ch]$/);
  const files = treeFiles.filter((f) => f.endsWith('.c'));
  const results: FileResult[] = treeFiles.map((f) => analyseFileWithSummary(parser, path.relative(tree, f), fs.readFileSync(f, 'utf8'), { catalogue }));
  const summaries = results.map((r) => r.summary);
  const baselineIndex = new CallIndex(summaries);
  const baseline = baselineIndex.check();
  let functions = 0;

  outer:
  for (const file of files) {
    const rel = path.relative(tree, file);
    const index = treeFiles.indexOf(file);
    const text = fs.readFileSync(file, 'utf8');
    const whole = results[index].analysis;
    const findings = [...whole.diagnostics.filter((d) => !baselineIndex.releasedByCallee(results[index].summary, d)), ...(baseline.get(rel) ?? [])];
    const starts = lineStarts(text);
    for (const fn of whole.functions) {
      if (only && !only.test(`${rel} ${fn.name}`)) continue;
      if (!fn.lockPairs.some((p) => p.acquire && p.releases.length)) continue;
      if (fn.notAnalysed) { skipped.notAnalysed++; continue; }
      if (findings.some((d) => d.line >= fn.startLine && d.line <= fn.endLine)) { skipped.fileFinding++; continue; }
      const muts = candidates(fn, text, starts, rejected);
      if (!muts.length) { skipped.noPlainStatement++; continue; }
      functions++;
      for (const m of muts) {
        if (stats.release.mutants + stats.acquire.mutants >= limit) break outer;
        const mutated = text.slice(0, m.start) + ' '.repeat(m.end - m.start) + text.slice(m.end);
        const why: string[] = [];
        const found = lockFindings(parser, summaries, index, rel, mutated, fn, why) > 0;
        stats[m.kind].mutants++;
        if (found) stats[m.kind].detected++;
        else misses.push(`${rel}:${m.line} ${fn.name}: deleted ${m.kind} \`${m.call}\` [${m.lockKind} ${m.lock}]`
          + (m.kind === 'acquire' ? ` (${why.join('; ')})` : ''));
      }
    }
  }

  const secs = (Date.now() - t0) / 1000;
  const pct = (s: Stats): string => (s.mutants ? ((100 * s.detected) / s.mutants).toFixed(1) : '-');
  const all: Stats = { mutants: stats.release.mutants + stats.acquire.mutants, detected: stats.release.detected + stats.acquire.detected };
  const out: string[] = [
    `mutation benchmark on ${path.join(tree, 'mm')} (${files.length} .c files)${Number.isFinite(limit) ? `, MUTATE_LIMIT=${limit}` : ''}`,
    `functions mutated:          ${functions}`,
    `functions skipped:          ${skipped.notAnalysed} not analysed, ${skipped.fileFinding} with a finding already, `
      + `${skipped.noPlainStatement} without a plain lock/unlock statement`,
    `statements not plain:       ${rejected.release} releases, ${rejected.acquire} acquires (not mutated)`,
    '',
    'kind       mutants  detected  rate',
    `release    ${String(stats.release.mutants).padStart(7)}  ${String(stats.release.detected).padStart(8)}  ${pct(stats.release)}%`,
    `acquire    ${String(stats.acquire.mutants).padStart(7)}  ${String(stats.acquire.detected).padStart(8)}  ${pct(stats.acquire)}%`,
    `all        ${String(all.mutants).padStart(7)}  ${String(all.detected).padStart(8)}  ${pct(all)}%`,
    '',
    `runtime: ${secs.toFixed(1)} s`,
    '',
    `misses (${misses.length}${misses.length > 60 ? ', first 60' : ''}):`,
    ...misses.slice(0, 60).map((m) => `  ${m}`),
  ];
  const missFile = path.join(REPO_ROOT, 'out/bench/mutation-misses.txt');
  fs.mkdirSync(path.dirname(missFile), { recursive: true });
  fs.writeFileSync(missFile, misses.join('\n') + (misses.length ? '\n' : ''));
  out.push(`full miss list: ${path.relative(process.cwd(), missFile)}`);
  out.push(`mutation detection: ${pct(all)}% (${all.detected}/${all.mutants})`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`mutate: ${(e as Error)?.stack ?? e}\n`);
  process.exit(2);
});
