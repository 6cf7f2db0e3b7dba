// Value flow of page-table bits inside one function: which reads of a bit (on the
// old pte, an entry, a pfn-flag word, the vma, the page) reach which writes of the
// same bit, and where page-table values come from and are stored.
//
// A write's sources are the reads of its bit in the conditions that guard it (if,
// else, ?:, the left side of && / ||, loop and switch heads) and in its own
// arguments; a local assigned from such reads (`anon_exclusive = … PageAnonExclusive(page)`)
// carries them to where it is tested. Carriers are flow-insensitive: every
// assignment of the function counts wherever the local is used, so both versions of
// a branch are kept. Gotos do not change what guards a write (guards are lexical).
import type { Node } from '../parse/parser';
import { oneLine } from '../flow/expr';
import {
  ASSERTIONS, CLEARING_SOURCES, ENTRY_MAKERS, ENTRY_TESTS, ENTRY_TO_PTE, FLAGS, HELPERS, PMD_MARK, PRESENT_BUILDERS,
  VALUE_SINKS, VALUE_SOURCES, PFN_ARRAYS, PFN_WORDS, VALUE_TYPES,
  entryMade, entryTest, flagRow, helperRows,
  type Bit, type EntryKind, type Level, type Side,
} from './ledger';

export interface Site { line: number; expr: string }

export type Direction = 'encode' | 'decode' | 'convert';

/** The annotation model's bit flow (README "bitFlows"). */
export interface BitFlow {
  bit: Bit;
  direction: Direction;
  from: Site;
  to: Site;
  /** The read is a test that guards the write (`if (pte_soft_dirty(pte)) swp = pte_swp_mksoft_dirty(swp)`). */
  guarded: boolean;
  /** Set when the flow happens inside a same-file callee whose result is used here (`pte_to_hmm_pfn_flags`). */
  via?: string;
}

/** A page-table value or pfn-flag word of the function: where it comes from and where it goes. */
export interface PteValue { name: string; defs: Site[]; stores: Site[] }

/** A read of a bit; `on` is the root of the value read (`pte` in `pte_write(pte)`). */
interface Read { bit: Bit; side: Side; entry?: EntryKind; line: number; column?: number; expr: string; on?: string; assert?: boolean }
export interface Write {
  bit: Bit; side: Side; op: 'set' | 'clear'; entry?: EntryKind; line: number; column?: number; expr: string; inReturn?: boolean;
  /** The local the written value is assigned to (`pte` in `pte = pte_mkdirty(pte)`). */
  target?: string;
}

/** A flow with what the round-trip rules need besides the model's fields. */
export interface FlowFact extends BitFlow {
  fromSide: Side; toSide: Side; fromEntry?: EntryKind; toEntry?: EntryKind; toOp: 'set' | 'clear'; toReturn?: boolean; toTarget?: string;
}

export interface FunctionPte {
  name: string;
  startLine: number;
  endLine: number;
  flows: FlowFact[];
  values: PteValue[];
  /** Every read of a ledger bit, and every write. */
  reads: Read[];
  writes: Write[];
  /** Entry kinds it builds (make_*_entry), and the ones it tests or reads. */
  made: EntryKind[];
  tested: EntryKind[];
  /** pmd when it stores or builds pmds (set_pmd_at, swp_entry_to_pmd). */
  level: Level;
  /** Calls that store a page-table value (set_pte_at …). */
  stores: Site[];
  /** It builds a present pte or pmd from a page or pfn (mk_pte, pfn_pte, mk_huge_pmd …). */
  buildsPresent: boolean;
  /** It turns an entry into the stored pte form (swp_entry_to_pte/pmd). */
  storesEntry: boolean;
  /** Locals assigned a pte taken out of the table (ptep_get_and_clear, pmdp_invalidate …). */
  cleared: string[];
  /** Calls by name, for flows through same-file callees (addCalleeFlows). */
  calls: { name: string; line: number; expr: string }[];
  /** Why the walk stopped early (nesting or flow cap), else absent. */
  truncated?: string;
}

const MAX_DEPTH = 400;
const MAX_FLOWS = 2000;
const SINKS = new Map(VALUE_SINKS.map((s) => [s.name, s]));
const SOURCES = new Set(VALUE_SOURCES);

/** Direction by the sides of the two ends; undefined = not a flow worth listing (present → present). */
export function directionOf(from: Side, to: Side): Direction | undefined {
  if (to === 'entry') return 'encode';
  if (from === 'entry' && (to === 'present' || to === 'page')) return 'decode';
  if (to === 'pfnflag' || from === 'pfnflag') return 'convert';
  if (from === 'vma' && to === 'present') return 'convert';
  return undefined;
}

/**
 * The words that make a statement worth walking: the ledger, value sources and sinks, flags,
 * pfn arrays and `extra` (the file's own function names, for flows through callees). Built
 * once per file by the caller.
 */
export function interestOf(extra: string[]): RegExp {
  return new RegExp(`\\b(${[...INTEREST_WORDS, ...extra].join('|')})\\b`);
}

const INTEREST_WORDS = [...new Set([
  ...HELPERS.map((r) => r.name), ...FLAGS.map((f) => f.name), ...ENTRY_MAKERS.map((m) => m.name), ...ENTRY_TESTS.map((t) => t.name),
  ...VALUE_SOURCES, ...VALUE_SINKS.map((v) => v.name), ...PFN_WORDS,
])];

/** Statement-level nodes a walk may skip when their text names nothing of interest. */
const SKIPPABLE = new Set(['expression_statement', 'declaration', 'return_statement', 'if_statement', 'for_statement',
  'while_statement', 'do_statement', 'switch_statement', 'case_statement', 'compound_statement', 'labeled_statement']);

export function functionPte(fn: Node, text: string, lineOf: (offset: number) => number, name: string, interest?: RegExp): FunctionPte {
  const body = fn.childForFieldName('body');
  const out: FunctionPte = {
    name, startLine: fn.startPosition.row + 1, endLine: fn.endPosition.row + 1,
    flows: [], values: [], reads: [], writes: [], made: [], tested: [], level: 'pte', stores: [], buildsPresent: false, storesEntry: false, cleared: [], calls: [],
  };
  if (!body) return out;
  const src = (n: Node): string => oneLine(text.slice(n.startIndex, n.endIndex));
  const line = (n: Node): number => lineOf(n.startIndex);
  const col = (n: Node): number => n.startPosition.column + 1;
  const made = new Set<EntryKind>();
  const tested = new Set<EntryKind>();
  const carriers = new Map<string, Read[]>();
  const values = new Map<string, PteValue>();
  const valueVars = new Set<string>();
  const seen = new Set<string>();
  const cleared = new Set<string>();
  const returned = new Set<string>();

  // ---- reads within an expression (no side effects on the result) ----
  const readsIn = (n: Node | null, acc: Read[] = [], depth = 0): Read[] => {
    if (!n || depth > 200) return acc;
    if (n.type === 'call_expression') {
      const callee = calleeName(n);
      for (const r of helperRows(callee)) if (r.op === 'read') acc.push({ bit: r.bit, side: r.side, entry: r.entry, line: line(n), column: col(n), expr: src(n) });
    } else if (n.type === 'binary_expression' && n.childForFieldName('operator')?.type === '&') {
      for (const side of [n.childForFieldName('left'), n.childForFieldName('right')]) {
        for (const f of flagsIn(side)) if (f.bit) acc.push({ bit: f.bit, side: f.side, line: line(n), column: col(n), expr: src(n) });
      }
    } else if (n.type === 'identifier') {
      for (const r of carriers.get(n.text) ?? []) acc.push(r);
    }
    for (const c of n.namedChildren) if (c) readsIn(c, acc, depth + 1);
    return acc;
  };

  const flagsIn = (n: Node | null): { bit?: Bit; side: Side }[] => {
    if (!n) return [];
    if (n.type === 'identifier') { const f = flagRow(n.text); return f ? [f] : []; }
    if (n.type === 'parenthesized_expression' || (n.type === 'binary_expression' && n.childForFieldName('operator')?.type === '|')) {
      return n.namedChildren.flatMap((c) => flagsIn(c));
    }
    return [];
  };

  /** Reads in the conditions of the if statements that enclose `n` within the body. */
  const guardReads = (n: Node): Read[] => {
    const acc: Read[] = [];
    for (let c: Node = n, p = n.parent; p && p.id !== body.id; c = p, p = p.parent) {
      if (p.type === 'if_statement' && p.childForFieldName('condition')?.id !== c.id) readsIn(p.childForFieldName('condition'), acc);
    }
    return acc;
  };

  // ---- carriers: locals assigned from reads, flow-insensitively, two rounds for chains ----
  const assignments: { lhs: Node; rhs: Node }[] = [];
  for (const n of body.descendantsOfType(['assignment_expression', 'init_declarator'])) {
    if (!n) continue;
    if (n.type === 'assignment_expression' && n.childForFieldName('operator')?.type !== '=') continue;
    const lhs = n.childForFieldName(n.type === 'init_declarator' ? 'declarator' : 'left');
    const rhs = n.childForFieldName(n.type === 'init_declarator' ? 'value' : 'right');
    if (lhs && rhs && (n.type === 'assignment_expression' || lhs.type === 'identifier')) assignments.push({ lhs, rhs });
  }
  for (let round = 0; round < 2; round++) {
    for (const { lhs, rhs } of assignments) {
      if (lhs.type !== 'identifier' || hasWrite(rhs)) continue;
      // `if (pmd_dirty(old_pmd)) { dirty = true; … }`: a flag set under a test carries the test.
      const rs = /^(true|1)$/.test(rhs.text.trim()) ? guardReads(rhs) : readsIn(rhs);
      if (!rs.length) continue;
      const have = carriers.get(lhs.text) ?? [];
      for (const r of rs) if (!have.some((h) => h.line === r.line && h.expr === r.expr && h.bit === r.bit)) have.push(r);
      carriers.set(lhs.text, have);
    }
  }

  const addWrite = (w: Write, sources: Read[], guardSet: Set<Read>): void => {
    out.writes.push(w);
    for (const r of sources) {
      if (r.bit !== w.bit) continue;
      if (out.flows.length >= MAX_FLOWS) { out.truncated ??= `bit flows cut at ${MAX_FLOWS} flows`; return; }
      const direction = directionOf(r.side, w.side);
      if (!direction) continue;
      const key = `${w.bit}|${r.line}|${r.expr}|${w.line}|${w.expr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.flows.push({
        bit: w.bit, direction, from: { line: r.line, expr: r.expr }, to: { line: w.line, expr: w.expr }, guarded: guardSet.has(r),
        fromSide: r.side, toSide: w.side, toOp: w.op, ...(r.entry ? { fromEntry: r.entry } : {}), ...(w.entry ? { toEntry: w.entry } : {}),
        ...(w.inReturn ? { toReturn: true } : {}), ...(w.target ? { toTarget: w.target } : {}),
      });
    }
  };

  const value = (name: string): PteValue => {
    let v = values.get(name);
    if (!v) values.set(name, v = { name, defs: [], stores: [] });
    return v;
  };

  const noteAssign = (lhs: Node, rhs: Node, whole: Node): void => {
    const target = oneLine(src(lhs), 60);
    const isArray = PFN_ARRAYS.test(target);
    const simple = lhs.type === 'identifier';
    if (isArray) {
      value(target.replace(/\[.*$/, '[]')).defs.push({ line: line(lhs), expr: src(whole) });
      return;
    }
    if (!simple) return;
    const callee = rhs.type === 'call_expression' ? calleeName(rhs) : '';
    if (CLEARING_SOURCES.test(callee) && !cleared.has(lhs.text)) cleared.add(lhs.text);
    const pteish = valueVars.has(lhs.text) || SOURCES.has(callee) || helperRows(callee).some((r) => r.op !== 'read') || !!entryMade(callee)
      || flagsIn(rhs).length > 0 || hasFlag(rhs);
    if (pteish) value(lhs.text).defs.push({ line: line(lhs), expr: src(whole) });
  };

  // Declared page-table values (pte_t pte; swp_entry_t entry; hmm_pfn_t *pfns).
  for (const d of body.descendantsOfType('declaration')) {
    if (!d) continue;
    const type = d.childForFieldName('type');
    if (!type || !VALUE_TYPES.test(type.text)) continue;
    for (const c of d.namedChildren) {
      const id = c && declaredName(c);
      if (id) valueVars.add(id);
    }
  }

  // Locals that matter besides the file-wide words: page-table values and carriers.
  const locals = [...valueVars, ...carriers.keys()];
  const localRe = locals.length ? new RegExp(`\\b(${locals.join('|')})\\b`) : undefined;
  const worth = (n: Node): boolean => {
    if (!interest || !SKIPPABLE.has(n.type)) return true;
    const t = text.slice(n.startIndex, n.endIndex);
    return interest.test(t) || (localRe?.test(t) ?? false);
  };

  const walk = (n: Node | null, guards: Read[], depth = 0): void => {
    if (!n) return;
    // Before the interest test: `return pte;` names nothing of interest but says what the result is.
    if (n.type === 'return_statement') {
      const v = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
      if (v?.type === 'identifier') returned.add(v.text);
    }
    if (!worth(n)) return;
    if (depth > MAX_DEPTH) { out.truncated ??= `bit flows cut at nesting depth ${MAX_DEPTH}`; return; }
    const guardSet = new Set(guards);
    switch (n.type) {
      case 'if_statement':
      case 'while_statement':
      case 'switch_statement':
      case 'do_statement': {
        const cond = n.childForFieldName('condition');
        walk(cond, guards, depth + 1);
        const g = [...guards, ...readsIn(cond)];
        for (const c of n.namedChildren) if (c && c.id !== cond?.id) walk(c, g, depth + 1);
        return;
      }
      case 'for_statement': {
        const cond = n.childForFieldName('condition');
        const g = [...guards, ...readsIn(cond)];
        for (const c of n.namedChildren) if (c) walk(c, c.id === cond?.id ? guards : g, depth + 1);
        return;
      }
      case 'conditional_expression': {
        const cond = n.childForFieldName('condition');
        walk(cond, guards, depth + 1);
        const g = [...guards, ...readsIn(cond)];
        walk(n.childForFieldName('consequence'), g, depth + 1);
        walk(n.childForFieldName('alternative'), g, depth + 1);
        return;
      }
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.type;
        if (op === '&&' || op === '||') {
          const left = n.childForFieldName('left');
          walk(left, guards, depth + 1);
          walk(n.childForFieldName('right'), [...guards, ...readsIn(left)], depth + 1);
          return;
        }
        if (op === '&') {
          // A flag tested here is a read, not a set; only walk into non-flag operands.
          for (const c of [n.childForFieldName('left'), n.childForFieldName('right')]) if (c && !flagsIn(c).length) walk(c, guards, depth + 1);
          recordReads(n);
          return;
        }
        break;
      }
      case 'call_expression': {
        const callee = calleeName(n);
        const args = n.childForFieldName('arguments');
        recordReads(n, true);
        if (callee) out.calls.push({ name: callee, line: line(n), expr: src(n) });
        const kind = entryMade(callee);
        if (kind) made.add(kind);
        const test = entryTest(callee);
        if (test) tested.add(test.entry);
        for (const r of helperRows(callee)) {
          if (r.op === 'read') { if (r.entry && r.entry !== 'swap') tested.add(r.entry); continue; }
          addWrite({ bit: r.bit, side: r.side, op: r.op, entry: r.entry, line: line(n), column: col(n), expr: src(n), inReturn: inReturn(n), target: targetOf(n) },
            [...guards, ...readsIn(args)], guardSet);
        }
        if (PRESENT_BUILDERS.test(callee)) out.buildsPresent = true;
        if (ENTRY_TO_PTE.test(callee)) out.storesEntry = true;
        if (PMD_MARK.test(callee)) out.level = 'pmd';
        const sink = SINKS.get(callee);
        if (sink) {
          out.stores.push({ line: line(n), expr: src(n) });
          const a = args?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment')[sink.arg];
          if (a?.type === 'identifier') value(a.text).stores.push({ line: line(n), expr: src(n) });
        }
        break;
      }
      case 'assignment_expression': {
        const lhs = n.childForFieldName('left');
        const rhs = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.type;
        if (lhs && rhs) {
          noteAssign(lhs, rhs, n);
          if (op === '&=') {
            // `x &= ~FLAG` clears the flag.
            for (const f of clearedFlags(rhs)) if (f.bit) addWrite({ bit: f.bit, side: f.side, op: 'clear', line: line(n), column: col(n), expr: src(n) }, guards, guardSet);
            return;
          }
          const t = oneLine(src(lhs), 60);
          // `*hmm_pfn = pfn | cpu_flags` stores cpu_flags; a flag constant is not a value.
          if (PFN_ARRAYS.test(t)) {
            for (const id of new Set(rhs.text.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
              if ((values.has(id) || valueVars.has(id)) && !flagRow(id)) value(id).stores.push({ line: line(n), expr: src(n) });
            }
          }
        }
        break;
      }
      case 'init_declarator': {
        const lhs = n.childForFieldName('declarator');
        const rhs = n.childForFieldName('value');
        if (lhs && rhs) noteAssign(lhs.type === 'identifier' ? lhs : (declaredNode(lhs) ?? lhs), rhs, n);
        break;
      }
      case 'identifier': {
        // A flag named outside a test or a clear is set: `mpfn |= MIGRATE_PFN_WRITE`,
        // `pte_write(pte) ? MIGRATE_PFN_WRITE : 0`, `rmap_flags |= RMAP_EXCLUSIVE`.
        const f = flagRow(n.text);
        if (f?.bit && !underNot(n)) {
          const st = statementOf(n);
          const target = st.type === 'assignment_expression' && st.childForFieldName('left')?.type === 'identifier' ? st.childForFieldName('left')!.text : undefined;
          addWrite({ bit: f.bit, side: f.side, op: 'set', line: line(n), column: col(n), expr: src(st), inReturn: inReturn(n), target }, guards, guardSet);
        }
        return;
      }
      case 'comment':
        return;
    }
    for (const c of n.namedChildren) if (c) walk(c, guards, depth + 1);
  };

  const recorded = new Set<number>();
  function recordReads(n: Node, callOnly = false): void {
    if (recorded.has(n.id)) return;
    recorded.add(n.id);
    if (callOnly) {
      const first = n.childForFieldName('arguments')?.namedChildren.find((c) => c !== null && c.type !== 'comment');
      const on = first ? /^[\s(*&]*([A-Za-z_]\w*)/.exec(first.text)?.[1] : undefined;
      const assert = underAssertion(n);
      for (const r of helperRows(calleeName(n))) {
        if (r.op === 'read') out.reads.push({ bit: r.bit, side: r.side, entry: r.entry, line: line(n), column: col(n), expr: src(n), on, ...(assert ? { assert } : {}) });
      }
      return;
    }
    for (const side of [n.childForFieldName('left'), n.childForFieldName('right')]) {
      for (const f of flagsIn(side)) if (f.bit) out.reads.push({ bit: f.bit, side: f.side, line: line(n), column: col(n), expr: src(n) });
    }
  }

  walk(body, []);
  out.made = [...made];
  out.tested = [...tested];
  out.cleared = [...cleared];
  // A write to the local the function returns is its result too (`pte = pte_mkdirty(pte); … return pte;`).
  for (const fl of out.flows) if (!fl.toReturn && fl.toTarget && returned.has(fl.toTarget)) fl.toReturn = true;
  for (const w of out.writes) if (!w.inReturn && w.target && returned.has(w.target)) w.inReturn = true;
  out.values = [...values.values()].filter((v) => v.defs.length || v.stores.length);
  return out;
}

/** Is the read an assertion's argument (`WARN_ON_ONCE(pte_write(pte))`), not a use of the bit? */
function underAssertion(n: Node): boolean {
  for (let p = n.parent, i = 0; p && i < 12; p = p.parent, i++) {
    if (p.type === 'call_expression' && ASSERTIONS.test(calleeName(p))) return true;
    if (/statement$/.test(p.type)) return false;
  }
  return false;
}

/** The local a helper's result is assigned to (`pte = pte_mkdirty(pte)` → pte), through parentheses. */
function targetOf(n: Node): string | undefined {
  let c = n;
  let p = n.parent;
  while (p && (p.type === 'parenthesized_expression' || p.type === 'call_expression' || p.type === 'argument_list')) { c = p; p = p.parent; }
  if (p?.type === 'assignment_expression' && p.childForFieldName('right')?.id === c.id) {
    const l = p.childForFieldName('left');
    return l?.type === 'identifier' ? l.text : undefined;
  }
  if (p?.type === 'init_declarator' && p.childForFieldName('value')?.id === c.id) return p.childForFieldName('declarator')?.text;
  return undefined;
}

/** Is the node inside a return statement (its value is the function's result)? */
function inReturn(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'return_statement') return true;
    if (/statement$|^compound_statement$|^function_definition$/.test(p.type)) return false;
  }
  return false;
}

/**
 * Flows through same-file callees: where a function's result carries a flow
 * (pte_to_hmm_pfn_flags() returns HMM_PFN_WRITE when pte_write()), each call of it
 * shows that flow at the call line, marked `via`. One level: a callee's own `via`
 * flows are not passed on.
 */
export function addCalleeFlows(functions: FunctionPte[]): void {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const returned = new Map(functions.map((f) => [f.name, f.flows.filter((fl) => fl.toReturn && !fl.via)]));
  for (const f of functions) {
    for (const c of f.calls) {
      const g = byName.get(c.name);
      if (!g || g === f) continue;
      for (const fl of returned.get(g.name) ?? []) {
        if (f.flows.some((x) => x.via === g.name && x.bit === fl.bit && x.from.line === c.line && x.from.expr.endsWith(fl.from.expr))) continue;
        f.flows.push({ ...fl, from: { line: c.line, expr: `${c.expr}: ${fl.from.expr}` }, to: { line: c.line, expr: `${c.expr}: ${fl.to.expr}` }, via: g.name, toReturn: undefined, toTarget: undefined });
      }
    }
  }
}

function calleeName(call: Node): string {
  const f = call.childForFieldName('function');
  return f?.type === 'identifier' ? f.text : '';
}

/** Does the expression write a ledger bit (a set/clear helper or a flag outside a test)? */
function hasWrite(n: Node): boolean {
  if (n.type === 'call_expression' && helperRows(calleeName(n)).some((r) => r.op !== 'read')) return true;
  if (n.type === 'conditional_expression') {
    for (const c of [n.childForFieldName('consequence'), n.childForFieldName('alternative')]) if (c && hasFlag(c)) return true;
  }
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.type === '|' && hasFlag(n)) return true;
  for (const c of n.namedChildren) if (c && c.type !== 'binary_expression' && hasWrite(c)) return true;
  return false;
}

/** Every flag constant named in the subtree (flags of no bit included). */
function flagRowsIn(n: Node, acc: NonNullable<ReturnType<typeof flagRow>>[] = []): NonNullable<ReturnType<typeof flagRow>>[] {
  if (n.type === 'identifier') { const row = flagRow(n.text); if (row) acc.push(row); return acc; }
  for (const c of n.namedChildren) if (c) flagRowsIn(c, acc);
  return acc;
}

/** Does the subtree name a flag that stands for a bit? */
const hasFlag = (n: Node): boolean => flagRowsIn(n).some((r) => r.bit);

/** The flags a `~…` mask names (`x &= ~HMM_PFN_WRITE` clears them); none for any other value. */
const clearedFlags = (rhs: Node): NonNullable<ReturnType<typeof flagRow>>[] =>
  (rhs.type === 'unary_expression' && rhs.text.trim().startsWith('~') ? flagRowsIn(rhs) : []);

/** Under `~` (a mask being cleared) or `!`: not a set. */
function underNot(n: Node): boolean {
  for (let p = n.parent, i = 0; p && i < 4; p = p.parent, i++) {
    if (p.type === 'unary_expression' && /^[~!]/.test(p.text.trim())) return true;
    if (p.type !== 'parenthesized_expression' && p.type !== 'binary_expression') return false;
  }
  return false;
}

function statementOf(n: Node): Node {
  let cur = n;
  for (let i = 0; i < 8 && cur.parent; i++) {
    if (/statement$|^declaration$|^init_declarator$|^return_statement$/.test(cur.type)) return cur;
    if (cur.type === 'assignment_expression' || cur.type === 'argument_list') return cur.type === 'argument_list' ? cur.parent ?? cur : cur;
    cur = cur.parent;
  }
  return cur;
}

function declaredNode(n: Node): Node | undefined {
  let cur: Node | null = n;
  for (let i = 0; cur && i < 6; i++) {
    if (cur.type === 'identifier') return cur;
    cur = cur.childForFieldName('declarator');
  }
  return undefined;
}

function declaredName(n: Node): string | undefined {
  if (n.type === 'identifier') return n.text;
  // A pointer (pte_t *ptep) points into the page table; it is not a value.
  if (n.type === 'init_declarator') return n.childForFieldName('declarator')?.type === 'identifier' ? declaredNode(n)?.text : undefined;
  if (n.type === 'array_declarator') return declaredNode(n)?.text;
  return undefined;
}
