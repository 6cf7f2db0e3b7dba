// What the editor's workspace index keeps per file and how it is combined, as pure
// functions (the extension does the I/O and the scheduling; the benchmark calls the same
// code). Per file: its flag sites, its page-table facts (files that name a ledger word:
// the cross-file round trip) and its migration facts (files that name the catalogue).
import type { CParser } from './parse/parser';
import type { Catalogue } from './locks/table';
import { analyseFileWithSummary, migrationFactsOf, type FilePte, type FileResult } from './analyse';
import { classify } from './migrate/classify';
import type { FileFacts } from './migrate/facts';
import { buildMap, type MigrationMap } from './migrate/map';
import { LEDGER_MENTION } from './pte/ledger';
import { flagSites, type FlagSite } from './pte/sites';
import { checkRestored } from './pte/roundtrip';
import type { Diagnostic } from './model';
import { fileCallsOf, flatName, type FileCalls } from './callGraph';

export interface IndexEntry { facts?: FileFacts; pte?: FilePte; flags: FlagSite[]; mentions: boolean; calls: FileCalls }

/** Keeps each function name once across the index (see callGraph.ts). */
export type Intern = (name: string) => string;

export function indexEntryOf(parser: CParser, path: string, text: string, catalogue: Catalogue, intern: Intern = flatName): IndexEntry {
  // The full analysis gives both the page-table facts and the migration facts.
  if (LEDGER_MENTION.test(text)) return entryFromResult(analyseFileWithSummary(parser, path, text, { catalogue }), text, catalogue, false, intern);
  const mentions = catalogue.migration.mention.test(text);
  return { flags: flagSites(text), mentions, facts: mentions ? migrationFactsOf(parser, path, text, catalogue) : undefined,
    calls: fileCallsOf(text, intern, path.endsWith('.h')) };
}

/**
 * The entry of a file already analysed in full (an open document in the editor). Its
 * migration facts count when it names the catalogue, or when `keepFacts` says the map
 * wanted it anyway (it defines a callback registered elsewhere).
 */
export function entryFromResult(r: FileResult, text: string, catalogue: Catalogue, keepFacts = false, intern: Intern = flatName): IndexEntry {
  const mentions = catalogue.migration.mention.test(text);
  return { mentions, flags: flagSites(text), pte: r.pte, facts: mentions || keepFacts ? r.migration : undefined, calls: fileCallsOf(text, intern, r.analysis.path.endsWith('.h')) };
}

export interface IndexResult { map: MigrationMap; restored: Map<string, Diagnostic[]> }

export function combineIndex(entries: IndexEntry[]): IndexResult {
  const facts = entries.flatMap((e) => (e.facts ? [e.facts] : []));
  return {
    map: { ...buildMap(facts, classify(facts)), files: entries.length },
    restored: checkRestored(entries.flatMap((e) => (e.pte ? [e.pte] : []))),
  };
}
