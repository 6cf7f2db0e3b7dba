// The annotation model: plain data produced by src/core and consumed by the CLI
// (text/json/sarif) and, later, the editor. Lines are 1-based, columns 1-based.
// Changing a field's meaning requires bumping SCHEMA_VERSION (README documents it).

import type { MigrationInfo } from './migrate/classify';
import type { BitFlow, PteValue } from './pte/flow';

export type { MigrationInfo, BitFlow, PteValue };

export const SCHEMA_VERSION = 1;

export interface Position { line: number; column: number }

/** A call site: where it is and the call text as written (trimmed, one line). */
export interface CallSite { line: number; column: number; call: string }

export interface ReleaseRef { line: number; call: string }

export interface LockPair {
  /** Normalised lock expression, e.g. "ptl", "mm->page_table_lock", "rcu". */
  lock: string;
  /** Lock kind from the catalogue, e.g. "spinlock", "folio_lock". */
  kind: string;
  /** null when the release pairs with an acquire done by a caller. */
  acquire: { line: number; call: string } | null;
  releases: ReleaseRef[];
}

/** A lock held over lines [from, to] (1-based, inclusive) on some path through the function. */
export interface HeldRange { lock: string; kind: string; from: number; to: number }

export type Severity = 'error' | 'warning' | 'note';

export interface PathStep {
  line: number; column: number; message: string;
  /** Set when the step is in another file than the diagnostic (a caller, for cross-function findings). */
  path?: string;
}

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Function the finding is in (empty at file scope). */
  function: string;
  /** The lock's identity, "domain:expression" (e.g. "spin:ptl"), for lock/ rules. */
  lockKey?: string;
  /** Other places that explain the finding (acquire site, previous release…). */
  related: PathStep[];
  /** The path that shows it (the proof): acquire, branches and gotos taken, exit/release. */
  flow: PathStep[];
}

export interface FunctionAnalysis {
  name: string;
  startLine: number;
  endLine: number;
  lockPairs: LockPair[];
  /** Where each lock is held (optional: only functions that take or drop a lock). */
  held?: HeldRange[];
  /** Role in page migration (README "Migration roles"). */
  migration?: MigrationInfo;
  /** Page-table bits that flow from a read to a write of the same bit (README "Bit flows"). */
  bitFlows?: BitFlow[];
  /** Page-table values and pfn-flag words: where each comes from and where it is stored. */
  pteValues?: PteValue[];
  /** Why locks were not analysed here (parse error, over budget), else absent. */
  notAnalysed?: string;
}

export interface Unanalysed { startLine: number; endLine: number; reason: string }

export interface FileAnalysis {
  path: string;
  functions: FunctionAnalysis[];
  diagnostics: Diagnostic[];
  /** Regions (functions, mostly) that could not be analysed, with the reason. */
  unanalysed: Unanalysed[];
}

export interface AnnotationModel {
  schemaVersion: number;
  files: FileAnalysis[];
}
