// Objects no caller can hold locked: what a function got itself from an allocator, or a new
// reference to a task's mm (catalogue FRESH_OBJECT_CALLS), or from a function that returns only
// such results (`damon_get_mm()` returns get_task_mm()'s).
//
// Why: a release of a lock the function never took is normally a caller's lock, and is left to
// the cross-function check, which gives up when callers are hidden (pointer, export). Not when
// the lock's object is one the function (or the caller that hands it down) made or looked up for
// itself: no caller can have locked it, so the acquire is missing (`mm = damon_get_mm(t); …
// mmap_read_unlock(mm);` with the mmap_read_lock() deleted).
//
// Read lexically from each function's text, comments blanked, so that functions the lock
// analysis skips (no lock word) still count: a getter, or a caller that only passes the object
// down. Strict by construction: a local qualifies only when every assignment to it is such a
// call or NULL, it is never written through its address or by an iterator macro, and it is never
// given to a call that may lock it (ARGUMENT_LOCKERS, an unknown lock helper).

import { ARGUMENT_LOCKERS } from '../locks/catalogue';

/** Where a local's every value comes from: the calls, and the line of the first. */
export interface Sources { calls: string[]; line: number }

export interface FreshShape {
  /** Pointer locals set only by calls (or NULL), by name. */
  sources: Map<string, Sources>;
  /** Every return gives NULL, an ERR_PTR() or the result of these calls (directly or through such a local). */
  returnsFrom?: string[];
  /** Per call (by `line:name`): each argument that is a bare parameter or sourced local, by index. */
  argNames: Map<string, Array<string | undefined>>;
}

/** `struct mm_struct *mm` / `struct folio *folio = …` at the start of a statement: pointer locals. */
const POINTER_DECL = /(?:^|[;{}])\s*(?:const\s+)?(?:(?:struct|union)\s+)?[A-Za-z_]\w*(?:\s+const)?\s*\*+\s*([A-Za-z_]\w*)\s*(?=[=;,])/gm;
const NULL_VALUE = /^(?:NULL|0|ERR_PTR\s*\(.*\))$/s;
/** A cast in front of a call (`(struct foo *)kmalloc(…)`). */
const CAST = /^\(\s*(?:(?:struct|union)\s+)?[A-Za-z_]\w*\s*\**\s*\)\s*/;

/**
 * The shape of one function whose body is `file[from, to)`: `params` its parameter names, `calls`
 * its calls (name, offset in the file, line), `isLocker` whether a callee may take a lock on what it
 * is given, `withReturns` whether to read what it returns, `lineAt` the file's offset-to-line.
 */
export function freshShape(file: string, from: number, to: number, params: string[],
  calls: Array<{ name: string; offset: number; line: number }>, isLocker: (name: string) => boolean,
  withReturns: boolean, lineAt: (offset: number) => number): FreshShape {
  const text = blankComments(file.slice(from, to));
  const bodyOffset = from;
  const sources = new Map<string, Sources>();
  const given = new Map<string, string[]>();
  const argsAt = new Map<number, string[] | undefined>();
  const argsOf = (c: { name: string; offset: number }): string[] | undefined => {
    if (!argsAt.has(c.offset)) argsAt.set(c.offset, splitArgs(text, c.offset - bodyOffset + c.name.length));
    return argsAt.get(c.offset);
  };
  for (const c of calls) {
    for (const a of argsOf(c) ?? []) for (const w of a.match(/[A-Za-z_]\w*/g) ?? []) push(given, w, c.name);
  }
  // Iterator macros assign their cursors (`list_for_each_entry(v, …)`): every name in their arguments.
  const iterated = new Set<string>();
  const unary = text.replace(/&&/g, '  ');
  for (const m of text.matchAll(/\b\w*(?:for_each|foreach)\w*(?=\s*\()/g)) {
    for (const a of splitArgs(text, m.index! + m[0].length) ?? []) for (const w of a.match(/[A-Za-z_]\w*/g) ?? []) iterated.add(w);
  }
  for (const m of text.matchAll(POINTER_DECL)) {
    const v = m[1];
    if (sources.has(v) || params.includes(v) || iterated.has(v) || /\bstatic\s*$/.test(text.slice(Math.max(0, m.index! - 40), m.index! + 1))) continue;
    const s = sourcesOf(text, unary, v, given.get(v) ?? [], isLocker, (off) => lineAt(from + off));
    if (s) sources.set(v, s);
  }
  const argNames = new Map<string, Array<string | undefined>>();
  for (const c of calls) {
    const args = argsOf(c);
    if (!args) continue;
    const names = args.map((a) => {
      const t = a.trim();
      return /^[A-Za-z_]\w*$/.test(t) && (params.includes(t) || sources.has(t)) ? t : undefined;
    });
    if (names.some((n) => n !== undefined)) argNames.set(`${c.line}:${c.name}`, names);
  }
  return { sources, argNames, ...(withReturns ? { returnsFrom: returnSources(text, sources) } : {}) };
}

/** Every value of pointer local `v`, when each is a call's result or NULL and nothing else writes it. */
function sourcesOf(text: string, unary: string, v: string, givenTo: string[], isLocker: (name: string) => boolean,
  lineAt: (offset: number) => number): Sources | undefined {
  // Written through its address (`get(&v)`) or stepped.
  // (`unary` is the text with `&&` blanked: only a unary `&` takes an address; `&v->lru` is a field's.)
  if (new RegExp(`(?<![\\w)\\]]\\s*)&\\s*${v}\\b(?!\\s*(?:->|\\.|\\[))|\\b${v}\\s*(?:\\+\\+|--|(?:[-+*/%&|^]|<<|>>)=)|(?:\\+\\+|--)\\s*${v}\\b`)
    .test(unary)) return undefined;
  if (givenTo.some(isLocker)) return undefined;
  const calls: string[] = [];
  let line = 0;
  for (const m of text.matchAll(new RegExp(`(?<![\\w.>])${v}\\s*=(?!=)([^;]*);`, 'g'))) {
    const rhs = m[1].trim().replace(CAST, '');
    if (NULL_VALUE.test(rhs)) continue;
    const call = /^([A-Za-z_]\w*)\s*\(/.exec(rhs);
    if (!call || splitArgs(rhs, call[1].length)?.end !== rhs.length) return undefined;
    if (!calls.includes(call[1])) calls.push(call[1]);
    if (!line) line = lineAt(m.index!);
  }
  return calls.length ? { calls, line } : undefined;
}

/** The calls whose results are all a function returns besides NULL and ERR_PTR()s, if that is all. */
function returnSources(text: string, sources: Map<string, Sources>): string[] | undefined {
  const out = new Set<string>();
  for (const m of text.matchAll(/\breturn\b([^;]*);/g)) {
    let e = m[1].trim();
    while (e.startsWith('(') && splitArgs(e, 0)?.end === e.length) e = e.slice(1, -1).trim();
    e = e.replace(CAST, '');
    if (NULL_VALUE.test(e)) continue;
    const call = /^([A-Za-z_]\w*)\s*\(/.exec(e);
    if (call && splitArgs(e, call[1].length)?.end === e.length) { out.add(call[1]); continue; }
    const local = /^[A-Za-z_]\w*$/.test(e) ? sources.get(e) : undefined;
    if (!local) return undefined;
    for (const c of local.calls) out.add(c);
  }
  return out.size ? [...out] : undefined;
}

/** The top-level arguments of the call whose name ends at `at` in `text` (`end`: past its `)`). */
function splitArgs(text: string, at: number): (string[] & { end?: number }) | undefined {
  let i = at;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] !== '(') return undefined;
  const args: string[] & { end?: number } = [];
  let depth = 0;
  let cur = '';
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '\'') {
      const close = skipQuoted(text, i);
      cur += text.slice(i, close + 1);
      i = close;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ')') {
      if (cur.trim() || args.length) args.push(cur);
      args.end = i + 1;
      return args;
    } else if (c === ',' && depth === 0) { args.push(cur); cur = ''; continue; }
    else if (c === ';') return undefined;
    cur += c;
  }
  return undefined;
}

function skipQuoted(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === q || text[j] === '\n') return j;
  }
  return text.length - 1;
}

/** Comments replaced by spaces (newlines kept), so offsets and lines stay. */
function blankComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

/** Lock helpers a callee given the object may be: the catalogue's known ones, or a lock word in the name. */
export function argumentLocker(name: string, lockHelper: (n: string) => boolean, isVerb: (n: string) => boolean): boolean {
  return ARGUMENT_LOCKERS.includes(name) || (lockHelper(name) && !isVerb(name));
}
