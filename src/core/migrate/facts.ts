// What one file says about migration, found lexically on its code-only text:
// per function, the catalogued names it uses and every call it makes; per file,
// the callbacks registered through struct initialisers (`.migrate_to_ram = f`).
//
// Why lexical: classification needs every function, also those the parser could
// not analyse, and the workspace map runs over whole driver trees; a name scan is
// exact enough for "uses X at line N" and never fails on odd syntax. The tree is
// only used for where functions start and end (spans) by the caller.
import { CALLBACK_SLOTS, PAGE_SIGNATURE, type MigrationApi, type MigrationCatalogue } from './catalogue';
import { KEYWORDS } from '../parse/refs';
import { normExpr, rootOf } from '../flow/expr';

export interface FunctionSpan {
  name: string;
  startLine: number;
  endLine: number;
  /** Offsets of the whole definition and of its body's `{`. */
  start: number;
  end: number;
  bodyStart: number;
  fileLocal: boolean;
  params: string[];
}

/** A catalogued name used in a body, with the catalogue's entry for it (as it was when the facts were collected). */
export interface Use { name: string; line: number; call: boolean; api: MigrationApi }

export interface FunctionFacts {
  name: string;
  startLine: number;
  endLine: number;
  fileLocal: boolean;
  params: string[];
  /** The catalogued API function this function defines, if any. */
  defines?: MigrationApi;
  /** Catalogued names used in the body (calls, flags, types), in text order. */
  uses: Use[];
  /** Every call in the body (for the call graph and same-file reachability). */
  calls: { name: string; line: number }[];
  /** `->src` / `->dst` of a struct migrate_vma, or a struct migrate_vma parameter. */
  arrays: { line: number; text: string }[];
  /** File-scope registration variables (ops structs) named in the body. */
  opsUsed: string[];
  /** Every `return` returns a literal 0 (and there is at least one). */
  alwaysZero: boolean;
  /** The signature handles pages, pfns or DMA addresses (catalogue PAGE_SIGNATURE). */
  pageish: boolean;
}

export interface Registration {
  line: number;
  struct: string;
  /** The initialised variable (`nouveau_dmem_pagemap_ops`) or the assigned-to base (`walk`). */
  variable: string;
  field: string;
  fn: string;
  /** The function the initialiser is in, when it is not at file scope. */
  inFunction?: string;
}

export interface FileFacts {
  path: string;
  functions: FunctionFacts[];
  registrations: Registration[];
}

const SLOT_BY_STRUCT = new Map(CALLBACK_SLOTS.map((s) => [s.struct, s]));
/** Fields that name their struct on their own (in one slot only), for `ops.field = fn;` assignments. */
const FIELD_ONLY = new Map<string, string>(
  CALLBACK_SLOTS.flatMap((s) => s.fields.filter((f) => f !== '*' && f !== 'done' && f !== 'release' && f !== 'invalidate'
    && CALLBACK_SLOTS.filter((o) => o.fields.includes(f)).length === 1).map((f): [string, string] => [f, s.struct])),
);


/** Facts of one file from its code-only text (see parse/code.ts) and its function spans. */
export function collectFacts(path: string, code: string, spans: FunctionSpan[], lineOf: (offset: number) => number,
  catalogue: MigrationCatalogue): FileFacts {
  const registrations = findRegistrations(code, spans, lineOf);
  const opsVars = new Set(registrations.filter((r) => !r.inFunction).map((r) => r.variable));
  const functions = spans.map((s) => functionFacts(code, s, opsVars, lineOf, catalogue));
  return { path, functions, registrations };
}

function functionFacts(code: string, s: FunctionSpan, opsVars: Set<string>, lineOf: (o: number) => number,
  catalogue: MigrationCatalogue): FunctionFacts {
  const uses: Use[] = [];
  const calls: { name: string; line: number }[] = [];
  const opsUsed = new Set<string>();
  const body = code.slice(s.bodyStart, s.end);
  const ident = /[A-Za-z_]\w*/g;
  let m: RegExpExecArray | null;
  while ((m = ident.exec(body)) !== null) {
    const name = m[0];
    let k = m.index + name.length;
    while (k < body.length && /\s/.test(body[k])) k++;
    const call = body[k] === '(';
    // `cc->migrate_pfn` is a field, not the catalogue's migrate_pfn().
    let b = m.index - 1;
    while (b >= 0 && /\s/.test(body[b])) b--;
    if (body[b] === '.' || (body[b] === '>' && body[b - 1] === '-')) continue;
    if (call && !KEYWORDS.has(name)) calls.push({ name, line: lineOf(s.bodyStart + m.index) });
    const api = catalogue.api(name, call);
    if (api) uses.push({ name, line: lineOf(s.bodyStart + m.index), call, api });
    else if (opsVars.has(name)) opsUsed.add(name);
  }
  // struct migrate_vma in the signature or body, and its src/dst arrays.
  const arrays: { line: number; text: string }[] = [];
  const whole = code.slice(s.start, s.end);
  for (const d of whole.matchAll(/struct\s+(migrate_vma|hmm_migrate)\s*(\*?)\s*(\w+)/g)) {
    const v = d[3];
    const at = s.start + (d.index ?? 0);
    if (at < s.bodyStart) arrays.push({ line: lineOf(at), text: `takes a struct ${d[1]} (${v})` });
    const access = new RegExp(`\\b${v}\\s*(?:->|\\.)\\s*(src|dst)\\b`, 'g');
    for (const a of body.matchAll(access)) {
      arrays.push({ line: lineOf(s.bodyStart + (a.index ?? 0)), text: `uses ${v}->${a[1]}[]` });
      break;
    }
  }
  const own = catalogue.api(s.name, true);
  const returns = [...body.matchAll(/\breturn\b([^;]*);/g)].map((r) => r[1].replace(/[\s()]/g, ''));
  return {
    name: s.name, startLine: s.startLine, endLine: s.endLine, fileLocal: s.fileLocal, params: s.params,
    defines: own?.kind === 'function' ? own : undefined, uses, calls, arrays, opsUsed: [...opsUsed], alwaysZero: returns.length > 0 && returns.every((r) => r === '0'),
    pageish: PAGE_SIGNATURE.test(code.slice(s.start, s.bodyStart)),
  };
}

function findRegistrations(code: string, spans: FunctionSpan[], lineOf: (o: number) => number): Registration[] {
  const out: Registration[] = [];
  const inFunction = (offset: number): string | undefined => spans.find((s) => s.bodyStart <= offset && offset < s.end)?.name;
  // `struct dev_pagemap_ops foo_ops = { .migrate_to_ram = foo_fault, … };`
  for (const m of code.matchAll(/\bstruct\s+(\w+)\s+(?:(?:const|__read_mostly|__ro_after_init)\s+)*(\w+)\s*(?:\[[^\]]*\]\s*)?=\s*\{/g)) {
    const slot = SLOT_BY_STRUCT.get(m[1]);
    if (!slot) continue;
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchingBrace(code, open);
    const init = code.slice(open, close);
    for (const f of init.matchAll(/\.\s*(\w+)\s*=\s*&?\s*(\w+)\s*(?=[,}\s])/g)) {
      if (!(slot.fields.includes('*') || slot.fields.includes(f[1]))) continue;
      if (/^(NULL|0|true|false)$/.test(f[2]) || /^[A-Z0-9_]+$/.test(f[2])) continue;
      const at = open + (f.index ?? 0);
      out.push({ line: lineOf(at), struct: slot.struct, variable: m[2], field: f[1], fn: f[2], inFunction: inFunction(at) });
    }
  }
  // `walk.pmd_entry = hmm_collect_walk_pmd;`, `pgmap->ops->migrate_to_ram = fn;` (older code)
  for (const m of code.matchAll(/\b(\w+)\s*(?:\.|->)\s*(\w+)\s*=\s*&?\s*(\w+)\s*;/g)) {
    const struct = FIELD_ONLY.get(m[2]);
    if (!struct || /^(NULL|0)$/.test(m[3])) continue;
    const at = m.index ?? 0;
    out.push({ line: lineOf(at), struct, variable: m[1], field: m[2], fn: m[3], inFunction: inFunction(at) });
  }
  return out;
}

function matchingBrace(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i + 1;
  }
  return code.length;
}


/** Calls in a function's body whose arguments name one of its parameters: what its summary is made of. */
export interface ParamCall { callee: string; args: string[] }

/**
 * Per function of one file: the parameter indexes it finalizes or pages (directly or
 * through same-file calls), whether it checks mmu_interval_read_retry, and whether it
 * always returns 0. Lexical, like the rest of this file; three rounds cover the chains seen.
 */
export function calleeSummaries(code: string, spans: FunctionSpan[], verbs: { finalize: Set<string>; pages: Set<string>; retry: Set<string> },
  alwaysZero: (name: string) => boolean): Map<string, { finalizes: Set<number>; pages: Set<number>; retries: boolean; alwaysZero: boolean }> {
  const out = new Map<string, { finalizes: Set<number>; pages: Set<number>; retries: boolean; alwaysZero: boolean }>();
  const calls = new Map<string, ParamCall[]>();
  for (const s of spans) {
    const list: ParamCall[] = [];
    const body = code.slice(s.bodyStart, s.end);
    for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      if (KEYWORDS.has(m[1])) continue;
      const open = (m.index ?? 0) + m[0].length - 1;
      list.push({ callee: m[1], args: splitCallArgs(body, open) });
    }
    calls.set(s.name, list);
    out.set(s.name, { finalizes: new Set(), pages: new Set(), retries: false, alwaysZero: alwaysZero(s.name) });
  }
  // The argument is the parameter itself (`args`, `&args`), not a part of it.
  const rootIndex = (s: FunctionSpan, arg: string): number => {
    const a = normExpr(arg);
    return a === rootOf(a) ? s.params.indexOf(a) : -1;
  };
  for (let round = 0; round < 3; round++) {
    for (const s of spans) {
      const me = out.get(s.name)!;
      for (const c of calls.get(s.name) ?? []) {
        if (verbs.retry.has(c.callee) || out.get(c.callee)?.retries) me.retries = true;
        const other = out.get(c.callee);
        c.args.forEach((a, j) => {
          const i = rootIndex(s, a);
          if (i < 0) return;
          if ((verbs.finalize.has(c.callee) && j === 0) || other?.finalizes.has(j)) me.finalizes.add(i);
          if ((verbs.pages.has(c.callee) && j === 0) || other?.pages.has(j)) me.pages.add(i);
        });
      }
    }
  }
  return out;
}

/** The top-level arguments of the call whose `(` is at `open`, white space removed. */
export function splitCallArgs(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length && i < open + 2000; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) { args.push(text.slice(start, i).replace(/\s+/g, '')); break; }
    } else if (c === ',' && depth === 1) { args.push(text.slice(start, i).replace(/\s+/g, '')); start = i + 1; }
  }
  return args.filter((a) => a.length > 0);
}
