// Objects no caller can hold locked: what a function got itself from an allocator, or a new
// reference to a task's mm (catalogue FRESH_OBJECT_CALLS), or from a function of the same file
// that returns only such results (`damon_get_mm()` returns get_task_mm()'s).
//
// Why: a release of a lock the function never took is normally a caller's lock, and is left to
// the cross-function check, which gives up when callers are hidden (pointer, export). Not when
// the lock's object is one the function (or the caller that hands it down) made or looked up for
// itself: no caller can have locked it, so the acquire is missing (`mm = damon_get_mm(t); …
// mmap_read_unlock(mm);` with the mmap_read_lock() deleted).
//
// Read lexically from each function's code-only text (parse/code.ts), so that functions the lock
// analysis skips (no lock word) still count: a getter, or a caller that only passes the object
// down. Strict by construction: a local qualifies only when every assignment to it is such a
// call or NULL, it is never written through its address or by an iterator macro, and it is never
// given to a call that may lock it (ARGUMENT_LOCKERS, an unknown lock helper).

import { lockHelper } from '../flow/lockflow';
import { ARGUMENT_LOCKERS, FRESH_OBJECT_CALLS, WRITES_EVERY_ARGUMENT, WRITES_FIRST_ARGUMENT } from '../locks/catalogue';
import { codeOnly } from '../parse/code';

/** Where a local's every value comes from: the calls, and the line of the first. */
export interface Sources { calls: string[]; line: number }

export interface FreshShape {
  /** Pointer locals set only by calls (or NULL), by name. */
  sources: Map<string, Sources>;
  /** Every return gives NULL, an ERR_PTR() or the result of these calls (directly or through such a local). */
  returnsFrom?: string[];
}

/** Does call `c` give a fresh object: a catalogue allocator or getter, or one of the file's `returners`? */
function freshCall(c: string, returners: ReadonlySet<string>): boolean {
  return FRESH_OBJECT_CALLS.includes(c) || returners.has(c);
}

/** Levels of same-file functions returning another's result followed to an allocator (`damon_get_mm()` → get_task_mm()). */
const FRESH_ROUNDS = 3;

/** Text every FRESH_OBJECT_CALLS name contains: a body without it calls none (a cheap first test). */
const FRESH_WORD = /alloc|task_mm|mm_access/;
/** A call of a FRESH_OBJECT_CALLS name (the second test, for bodies that pass the first). */
const FRESH_CALL = new RegExp(`\\b(?:${FRESH_OBJECT_CALLS.join('|')})\\s*\\(`);

/** One function of a file, as fileShapes() reads it. */
export interface ShapeInput {
  name: string;
  /** Its body: `file[from, to)`. */
  from: number;
  to: number;
  params: string[];
  calls: Array<{ name: string; offset: number; line: number }>;
  /** Whether it has no lock word (only such a function can be a getter of fresh objects). */
  lockFree: () => boolean;
}

/**
 * The shapes of a file's functions and its fresh returners (functions that give a fresh object:
 * every return is NULL, an ERR_PTR() or the result of a FRESH_OBJECT_CALLS call or of such a
 * function). Only bodies that name a fresh call or a returner found so far are read (most name
 * none); the others get no shape.
 */
export function fileShapes(file: string, fns: ShapeInput[], isLocker: (name: string) => boolean,
  lineAt: (offset: number) => number, opener: (name: string) => boolean): { shapes: Array<FreshShape | undefined>; returners: Set<string> } {
  const shapes: Array<FreshShape | undefined> = fns.map(() => undefined);
  const returners = new Set<string>();
  // Not a getter that calls a same-file function returning with a lock held (`foo_setup(f)` locks
  // f->lock): what it returns may come back locked.
  const getter = (i: number): boolean => shapes[i]!.returnsFrom!.every((c) => freshCall(c, returners)) && !fns[i].calls.some((c) => opener(c.name));
  let names: RegExp | undefined;
  for (let round = 0; round <= FRESH_ROUNDS; round++) {
    let read = false;
    fns.forEach((f, i) => {
      if (shapes[i]) return;
      const body = file.slice(f.from, f.to);
      if (names ? !names.test(body) : !(FRESH_WORD.test(body) && FRESH_CALL.test(body))) return;
      shapes[i] = freshShape(file, f.from, f.to, f.params, f.calls, isLocker, f.lockFree(), lineAt);
      read = true;
    });
    // Returners among all shapes read so far, to a fixed point: one read in an earlier round may
    // return what a returner found only now returns (a getter of a getter).
    const found: string[] = [];
    for (let more = read; more;) {
      more = false;
      shapes.forEach((sh, i) => {
        if (sh?.returnsFrom && !returners.has(fns[i].name) && getter(i)) { returners.add(fns[i].name); found.push(fns[i].name); more = true; }
      });
    }
    if (!found.length) break;
    names = new RegExp(`\\b(?:${found.join('|')})\\s*\\(`);
  }
  // A name defined twice (under #ifdef) counts only when every definition is fresh.
  fns.forEach((f, i) => { if (returners.has(f.name) && !(shapes[i]?.returnsFrom && getter(i))) returners.delete(f.name); });
  return { shapes, returners };
}

/**
 * What the cross-function check keeps of a function's shape, given the file's fresh returners: its
 * fresh locals only, and per call (`line:name`) its arguments that are pointer parameters (`params`,
 * written `#i` for the i-th parameter of the function) or fresh locals (by name), as one
 * comma-joined string (empty places for the rest; absent when none), read from `file`. Parameters handed on are kept only for calls of the file's own functions
 * (`sameFile`): the chains from a releaser up to a caller with a fresh object run within a file,
 * and the arguments of every call of a whole tree would cost a tenth more memory.
 */
export function keptShape(sh: FreshShape, file: string, calls: Array<{ name: string; offset: number; line: number }>,
  params: Array<string | undefined>, returners: ReadonlySet<string>, sameFile: ReadonlySet<string>): { fresh: Map<string, Sources>; args: Map<string, string> } {
  const fresh = new Map<string, Sources>();
  for (const [v, src] of sh.sources) {
    if (src.calls.every((c) => freshCall(c, returners))) fresh.set(unshared(v), { calls: src.calls.map(unshared), line: src.line });
  }
  const args = new Map<string, string>();
  const clashed = new Set<string>();
  const seen = new Map<string, string>();
  for (const c of calls) {
    const own = sameFile.has(c.name);
    if (!own && !fresh.size) continue;
    const names = (splitArgs(file, c.offset + c.name.length) ?? []).map((a) => {
      const t = a.trim();
      const p = own ? params.indexOf(t) : -1;
      return p >= 0 ? `#${p}` : fresh.has(t) ? t : '';
    });
    const key = `${c.line}:${c.name}`;
    const joined = names.join(',');
    // Two calls of one function on one line with other arguments: which is which is not kept, so neither.
    const before = seen.get(key);
    seen.set(key, joined);
    if (before !== undefined && before !== joined) { args.delete(key); clashed.add(key); }
    if (!clashed.has(key) && names.some((n) => n)) args.set(key, unshared(joined));
  }
  return { fresh, args };
}

/**
 * A copy of `s` that does not keep the string it was cut from: V8 may hand out a cut of a long string
 * as a view of it, and a view kept in a summary would keep the whole file's text alive.
 */
export function unshared(s: string): string {
  return (' ' + s).slice(1);
}

/** `struct mm_struct *mm` / `struct folio *folio = …` at the start of a line (kernel style): pointer locals. */
const POINTER_DECL = /^[ \t]*(?:const\s+)?(?:(?:struct|union)\s+)?[A-Za-z_]\w*(?:\s+const)?\s*\*+\s*([A-Za-z_]\w*)\s*(?=[=;,])/gm;
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
  const text = codeOnly(file.slice(from, to));
  const sources = new Map<string, Sources>();
  // Iterator macros assign their cursors (`list_for_each_entry(v, …)`): every name in their arguments.
  const iterated = new Set<string>();
  for (const m of text.matchAll(/for_?each\w*/g)) {
    for (const a of splitArgs(text, m.index! + m[0].length) ?? []) for (const w of a.match(/[A-Za-z_]\w*/g) ?? []) iterated.add(w);
  }
  let unary: string | undefined;
  let given: Array<{ name: string; args: string[] }> | undefined;
  let assigned: Map<string, Array<{ rhs: string; at: number }>> | undefined;
  for (const m of text.matchAll(POINTER_DECL)) {
    const v = m[1];
    if (sources.has(v) || params.includes(v) || iterated.has(v) || /\bstatic\s*$/.test(text.slice(Math.max(0, m.index! - 40), m.index! + 1))) continue;
    // Every plain assignment of the body, by target, read once.
    if (!assigned) {
      assigned = new Map();
      for (const a of text.matchAll(/(?<![\w.>])([A-Za-z_]\w*)\s*=(?!=)([^;]*);/g)) {
        const list = assigned.get(a[1]);
        if (list) list.push({ rhs: a[2], at: a.index! }); else assigned.set(a[1], [{ rhs: a[2], at: a.index! }]);
      }
    }
    const s = sourcesOf(assigned.get(v) ?? [], (off) => lineAt(from + off));
    if (!s) continue;
    // Written through its address (`get(&v)`, `(void **)&v`) or stepped. (`&&` blanked: only a unary
    // `&` takes an address; `&v->lru` is a field's.)
    unary ??= text.replace(/&&/g, '  ');
    if (new RegExp(`(?<![\\w\\]]\\s*)&\\s*${v}\\b(?!\\s*(?:->|\\.|\\[))|\\b${v}\\s*(?:\\+\\+|--|(?:[-+*/%&|^]|<<|>>)=)|(?:\\+\\+|--)\\s*${v}\\b`).test(unary)) continue;
    given ??= calls.map((c) => ({ name: c.name, args: (splitArgs(text, c.offset - from + c.name.length) ?? []).map((a) => a.trim()) }));
    // Copied to another local that a lock call is given (`p = f; mutex_lock(&p->lock);`): the lock
    // may be taken under that name. (Stored elsewhere, `vma->anon_vma = anon_vma`, is publishing it.)
    const aliases = [...text.matchAll(new RegExp(`(?<![\\w.>])([A-Za-z_]\\w*)\\s*=\\s*${v}\\s*;`, 'g'))].map((a) => a[1]);
    if (aliases.length && given.some((c) => /lock/i.test(c.name) && c.args.some((a) => aliases.some((n) => new RegExp(`\\b${n}\\b`).test(a))))) continue;
    // Given to a call that may lock it, or to a macro that may assign it (`swap(mm, other)`).
    if (given.some((c) => (isLocker(c.name) && c.args.some((a) => new RegExp(`\\b${v}\\b`).test(a)))
      || (WRITES_FIRST_ARGUMENT.test(c.name) && c.args[0] === v) || (WRITES_EVERY_ARGUMENT.test(c.name) && c.args.includes(v)))) continue;
    sources.set(v, s);
  }
  return { sources, ...(withReturns ? { returnsFrom: returnSources(text, sources) } : {}) };
}

/** Every value of a pointer local (its `assignments`), when each is a call's result or NULL. */
function sourcesOf(assignments: Array<{ rhs: string; at: number }>, lineAt: (offset: number) => number): Sources | undefined {
  const calls: string[] = [];
  let line = 0;
  for (const a of assignments) {
    const rhs = a.rhs.trim().replace(CAST, '');
    if (NULL_VALUE.test(rhs)) continue;
    const call = /^([A-Za-z_]\w*)\s*\(/.exec(rhs);
    if (!call || splitArgs(rhs, call[1].length)?.end !== rhs.length) return undefined;
    if (!calls.includes(call[1])) calls.push(call[1]);
    if (!line) line = lineAt(a.at);
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
  let start = i + 1;
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '\'') i = skipQuoted(text, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ')') {
      const last = text.slice(start, i);
      if (last.trim() || args.length) args.push(last);
      args.end = i + 1;
      return args;
    } else if (c === ',' && depth === 0) { args.push(text.slice(start, i)); start = i + 1; }
    else if (c === ';') return undefined;
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

/** Lock helpers a callee given the object may be: the catalogue's known ones, or a lock word in the name. */
export function argumentLocker(name: string, isVerb: (n: string) => boolean): boolean {
  return ARGUMENT_LOCKERS.includes(name) || (lockHelper(name) && !isVerb(name));
}
