// Seeded dropped bits: how often deleting one bit's carry or restore in real kernel code
// gets a pte/ finding the original did not have.
//
// Why: the pte/ rules must find a dropped bit on either side of the round trip without
// crying wolf on the shipped code (the original's findings are the baseline, printed).
// The four files that install and remove migration entries in linux 6.12 are analysed
// together, as `hmm-lens check` would: mm/migrate.c, mm/migrate_device.c, mm/rmap.c and
// mm/huge_memory.c. Mutants: every one-line statement that writes a bit into an entry
// from the old present pte (an encode flow of a function that takes that pte out of the
// table), and every one-line statement that sets a bit back into the present pte from an
// entry (a decode flow of a function that builds and stores a present pte and does not
// make that entry kind; young counts when cleared, as a new pte is young). Each is
// replaced by an empty statement `;`, so an unbraced `if` keeps its shape. Kernel source
// is read at run time, never committed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseFileWithSummary, withCrossFunctionFindings, type FileResult } from '../../src/core/analyse';
import { buildCatalogue } from '../../src/core/locks/table';
import { kernelTree, loadParser } from './kernel-tree';

const FILES = ['mm/migrate.c', 'mm/migrate_device.c', 'mm/rmap.c', 'mm/huge_memory.c'];

interface Mutant { file: string; line: number; fn: string; bit: string; side: 'carry' | 'restore'; text: string }

async function main(): Promise<void> {
  const tree = kernelTree();
  const parser = await loadParser();
  const catalogue = buildCatalogue();
  const texts = FILES.map((f) => fs.readFileSync(path.join(tree, f), 'utf8'));
  const run = (files: string[]): { results: FileResult[]; findings: Set<string> } => {
    const results = FILES.map((f, i) => analyseFileWithSummary(parser, f, files[i], { catalogue }));
    const findings = new Set(withCrossFunctionFindings(results)
      .flatMap((a) => a.diagnostics.filter((d) => d.ruleId.startsWith('pte/')).map((d) => `${a.path}:${d.line}:${d.ruleId}:${d.function}`)));
    return { results, findings };
  };
  const t0 = Date.now();
  const base = run(texts);

  // The mutants, from the original's own flows.
  const mutants: Mutant[] = [];
  const seen = new Set<string>();
  base.results.forEach((r, i) => {
    const lines = texts[i].split('\n');
    for (const fn of r.pte.functions) {
      // A remover builds and stores a present pte and does not make the kind it reads (so not
      // the split of a pmd migration entry, whose decodes are present-to-present in truth).
      for (const fl of fn.flows) {
        if (fl.via) continue;
        const kind = fl.fromEntry && fl.fromEntry !== 'swap' ? fl.fromEntry : 'migration';
        const remover = fn.buildsPresent && fn.stores.length > 0 && !fn.made.includes(kind);
        const carry = fl.direction === 'encode' && fn.cleared.length > 0 && (fl.fromSide === 'present' || fl.fromSide === 'page');
        // Restoring means setting the bit back (young: clearing it, as a new pte is young).
        const restore = fl.direction === 'decode' && remover && (fl.toOp === 'set' || fl.bit === 'young');
        if (!carry && !restore) continue;
        const text = lines[fl.to.line - 1] ?? '';
        // One whole statement on the line: `x = f(x);` or `flags |= FLAG;`.
        if (!/^\s*[\w>.-]+\s*[|]?=\s*[^;]*;\s*$/.test(text)) continue;
        const key = `${FILES[i]}:${fl.to.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        mutants.push({ file: FILES[i], line: fl.to.line, fn: fn.name, bit: fl.bit, side: carry ? 'carry' : 'restore', text: text.trim() });
      }
    }
  });

  const misses: Mutant[] = [];
  for (const m of mutants) {
    const i = FILES.indexOf(m.file);
    const lines = texts[i].split('\n');
    lines[m.line - 1] = lines[m.line - 1].replace(/\S.*$/, ';');
    const files = [...texts];
    files[i] = lines.join('\n');
    const got = run(files).findings;
    const fresh = [...got].filter((k) => !base.findings.has(k));
    if (!fresh.length) misses.push(m);
  }
  const found = mutants.length - misses.length;
  const by = (side: Mutant['side']): string => {
    const all = mutants.filter((m) => m.side === side);
    const hit = all.length - misses.filter((m) => m.side === side).length;
    return `${hit}/${all.length}`;
  };
  const out = [
    `kernel tree: ${tree}; files: ${FILES.join(' ')}`,
    `pte/ findings on the originals: ${base.findings.size}${[...base.findings].map((k) => `\n  ${k}`).join('')}`,
    `mutants: ${mutants.length} (carries ${mutants.filter((m) => m.side === 'carry').length}, restores ${mutants.filter((m) => m.side === 'restore').length})`,
    `dropped-bit detection: ${mutants.length ? ((100 * found) / mutants.length).toFixed(1) : '0'}% (${found}/${mutants.length}); carries ${by('carry')}, restores ${by('restore')}`,
    `misses:${misses.length ? '' : ' none'}`,
    ...misses.map((m) => `  ${m.file}:${m.line} ${m.fn}() [${m.side} ${m.bit}] ${m.text}`),
    `time: ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`pte-mutate: ${(e as Error)?.stack ?? e}\n`);
  process.exit(2);
});
