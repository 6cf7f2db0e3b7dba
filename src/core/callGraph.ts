// The workspace call graph for the editor's call hierarchy: every function
// definition of every C file and every call in it, found lexically.
//
// Why lexical: the hierarchy must cover the whole workspace (all of drivers/gpu,
// not only the files that name the migration catalogue), and parsing 7,000 files
// with tree-sitter for it would cost more than the rest of the index. Kernel style
// makes a one-pass scan exact enough: a definition is `name(…) … {` at brace depth
// 0 with no `=` since the last `;`/`}`, and a function's closing `}` sits in column
// 0 (used to resynchronise after #ifdef'd braces that do not balance).
//
// Invariants:
//  - pure: text in, facts out; names go through the caller's `intern`, so an index
//    of thousands of files keeps each name once and no file's text stays alive
//    through a substring of it;
//  - never throws and always terminates (one forward pass);
//  - a call is a name followed by `(` inside a definition's body, outside comments,
//    strings and preprocessor lines, and not a field (`ops->fault(…)`).
import { KEYWORDS, afterMember, isIdentPart, isIdentStart } from './parse/refs';

export interface FnDef {
  name: string;
  /** 1-based lines of the name and of the closing brace. */
  line: number;
  column: number;
  endLine: number;
  /** `static`: callable only from its own file. */
  local: boolean;
}

export interface FileCalls {
  defs: FnDef[];
  /** Callee names, each once per file. */
  names: string[];
  /** Four numbers per call: index into `names`, 1-based line, 0-based column, index into `defs` (the caller). */
  sites: Int32Array;
}

/** Annotations written like calls before a definition's `{` or its name. */
const NOT_A_NAME = new Set(['__attribute__', '__acquires', '__releases', '__must_hold', '__cond_acquires', '__printf',
  '__scanf', '__attribute', '__aligned', '__realloc_size', '__section', '__alloc_size', '__diagnose_as', '__assume_aligned', '__counted_by', 'asm', '__asm__']);

/** `SYSCALL_DEFINEn(name, …)`: named by its first argument, as the parse pre-pass names it. */
const SYSCALL = /^(?:COMPAT_)?SYSCALL_DEFINE\d$/;

/** Type words: `void (*f(int))(void)` must not be named `void`. */
const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', 'bool', '_Bool',
  'struct', 'union', 'enum', 'const', 'volatile', 'inline', 'extern', 'register', 'restrict']);

/** Copies a name out of the text it was sliced from (a slice keeps the whole text alive). */
export function flatName(s: string): string { return s.length < 13 ? s : s.split('').join(''); }

/** The names of one index, each kept once; `intern` is what fileCallsOf() takes. */
export class NameTable {
  private readonly names = new Map<string, string>();
  readonly intern = (name: string): string => {
    let v = this.names.get(name);
    if (v === undefined) { v = flatName(name); this.names.set(v, v); }
    return v;
  };
  get size(): number { return this.names.size; }
  clear(): void { this.names.clear(); }
}

/**
 * The definitions and calls of one file. `header`: a `.h` file, whose `static inline`
 * functions every file that includes it can call (so they are not file-local).
 */
export function fileCallsOf(text: string, intern: (name: string) => string = flatName, header = false): FileCalls {
  const defs: FnDef[] = [];
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const sites: number[] = [];
  const n = text.length;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  let inDirective = false;
  let depth = 0;
  let paren = 0;
  // Since the last top-level `;`, `}` or `=`: the first name followed by `(`, whether a `(…)` closed, `static`, `=`.
  let candidate: { name: string; line: number; column: number } | undefined;
  let closedParen = false;
  let isStatic = false;
  let assigned = false;
  let named = true;
  let nextComment = -1; // where the next `/*` starts, found once per comment (not once per directive line)
  let current = -1; // index in defs of the definition whose body we are in
  // A string or character literal: its end, or the newline that ends an unterminated one (left
  // for the loop, which counts it); a backslash-newline inside is counted here.
  const literal = (from: number, quote: number): number => {
    let j = from + 1;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === quote) return j + 1;
      if (d === 10) return j;
      if (d === 92) {
        if (text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10) j++;
        if (text.charCodeAt(j + 1) === 10) { line++; lineStart = j + 2; }
        j++;
      }
    }
    return j;
  };
  const resetHeader = (): void => { candidate = undefined; closedParen = false; isStatic = false; assigned = false; paren = 0; };
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (!(inDirective && continued(text, i))) inDirective = false;
      line++; lineStart = i + 1; atLineStart = true; i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12) { i++; continue; }
    if (c === 35 && atLineStart) { inDirective = true; atLineStart = false; i++; continue; }
    atLineStart = false;
    if (c === 47 && text.charCodeAt(i + 1) === 42) { // /* … */: count its lines
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text.charCodeAt(k) === 10) { line++; lineStart = k + 1; }
      i = stop;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) { const e = text.indexOf('\n', i); i = e < 0 ? n : e; continue; }
    if (inDirective) { // a directive's words are neither definitions nor calls: skip to its line's end
      const e = text.indexOf('\n', i);
      const stop = e < 0 ? n : e;
      if (nextComment < i) nextComment = text.indexOf('/*', i) >>> 0; // none: 2^32-1, past any text
      if (nextComment >= stop) { i = stop; continue; } // (register headers are mostly this)
      if (c === 34 || c === 39) i = literal(i, c);
      else i++;
      continue;
    }
    if (c === 34 || c === 39) { i = literal(i, c); continue; }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      let k = j;
      while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13)) k++;
      const called = text.charCodeAt(k) === 40;
      if (depth === 0) {
        if (word === 'static') isStatic = true;
        else if (called && !candidate && !NOT_A_NAME.has(word) && !KEYWORDS.has(word) && !TYPE_WORDS.has(word)
          && (paren === 0 || (paren === 1 && prevChar(text, i) === 42))) { // `void (*ctor(int))(void *)`: `ctor`
          candidate = { name: word, line, column: i - lineStart };
          named = !SYSCALL.test(word);
        } else if (candidate && !named && paren === 1) { // SYSCALL_DEFINE3(mbind, …): the function is `mbind`
          candidate = { name: word, line, column: i - lineStart };
          named = true;
        }
      } else if (called && current >= 0 && !KEYWORDS.has(word) && !afterMember(text, i)) {
        let idx = nameIndex.get(word);
        if (idx === undefined) { idx = names.length; names.push(intern(word)); nameIndex.set(word, idx); }
        sites.push(idx, line, i - lineStart, current);
      }
      i = j;
      continue;
    }
    if (depth === 0) {
      if (c === 40) paren++;
      else if (c === 41) { if (paren > 0 && --paren === 0 && candidate) closedParen = true; }
      else if (c === 59 || c === 125) resetHeader(); // ';' or a stray '}'
      else if (c === 61 && paren === 0) assigned = true; // '=' (an initialiser follows, not a body)
      else if (c === 123) { // '{'
        if (candidate && closedParen && !assigned && paren === 0) {
          defs.push({ name: intern(candidate.name), line: candidate.line, column: candidate.column, endLine: line, local: isStatic && !header });
          current = defs.length - 1;
        } else current = -1;
        depth = 1;
        resetHeader();
      }
      i++;
      continue;
    }
    if (c === 123) {
      // A `{` in column 0 inside a body: braces did not balance (#ifdef); start over at top level.
      if (i === lineStart) { closeDef(defs, current, line); current = -1; depth = 0; continue; }
      depth++;
    } else if (c === 125) {
      if (--depth === 0 || i === lineStart) { closeDef(defs, current, line); current = -1; depth = 0; resetHeader(); }
    }
    i++;
  }
  closeDef(defs, current, line);
  return { defs, names, sites: Int32Array.from(sites) };
}

function closeDef(defs: FnDef[], current: number, line: number): void {
  if (current >= 0) defs[current].endLine = line;
}

/** The last non-blank character before `i`. */
function prevChar(text: string, i: number): number {
  let k = i - 1;
  while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
  return k >= 0 ? text.charCodeAt(k) : -1;
}

/** The newline at `i` ends a line that ends with a backslash (before `\n` or `\r\n`). */
function continued(text: string, i: number): boolean {
  const k = text.charCodeAt(i - 1) === 13 ? i - 2 : i - 1;
  return text.charCodeAt(k) === 92;
}


/** A function of the workspace: its file and definition. */
export interface DefRef { path: string; def: FnDef }

export interface CallSite { line: number; column: number }

/** The definitions named `name`; those of `fromPath` first (a static one there hides the others). */
export function definitionsOf(files: Iterable<[string, FileCalls]>, name: string, fromPath?: string): DefRef[] {
  return definitionsOfAll(files, new Set([name]), fromPath).get(name) ?? [];
}

/** definitionsOf() for several names in one pass over the files (a function's callees). */
export function definitionsOfAll(files: Iterable<[string, FileCalls]>, names: Set<string>, fromPath?: string): Map<string, DefRef[]> {
  const local = new Map<string, DefRef[]>();
  const global = new Map<string, DefRef[]>();
  for (const [path, f] of files) {
    for (const def of f.defs) {
      if (!names.has(def.name)) continue;
      const into = path === fromPath ? local : !def.local ? global : undefined;
      into?.set(def.name, [...(into.get(def.name) ?? []), { path, def }]);
    }
  }
  const out = new Map<string, DefRef[]>();
  for (const n of names) {
    const found = local.get(n) ?? global.get(n);
    if (found) out.set(n, found);
  }
  return out;
}

/**
 * Who calls `target`: per calling definition, the call sites. A static target is called
 * only from its own file; a global one (or a header's `static inline`) from every file that
 * does not define its own function of that name, as definitionsOf() resolves a call.
 */
export function incomingCalls(files: Iterable<[string, FileCalls]>, target: DefRef): { caller: DefRef; sites: CallSite[] }[] {
  const out: { caller: DefRef; sites: CallSite[] }[] = [];
  for (const [path, f] of files) {
    if (target.def.local && path !== target.path) continue;
    const idx = f.names.indexOf(target.def.name);
    if (idx < 0) continue;
    if (path !== target.path && f.defs.some((d) => d.name === target.def.name)) continue;
    const byCaller = new Map<number, CallSite[]>();
    for (let s = 0; s < f.sites.length; s += 4) {
      if (f.sites[s] !== idx) continue;
      const list = byCaller.get(f.sites[s + 3]) ?? [];
      list.push({ line: f.sites[s + 1], column: f.sites[s + 2] });
      byCaller.set(f.sites[s + 3], list);
    }
    for (const [d, sites] of byCaller) out.push({ caller: { path, def: f.defs[d] }, sites });
  }
  return out;
}

/** What `from` calls, per callee name in first-call order, with the call sites. */
export function outgoingCalls(file: FileCalls, from: FnDef): { name: string; sites: CallSite[] }[] {
  const d = file.defs.indexOf(from);
  const byName = new Map<number, CallSite[]>();
  for (let s = 0; s < file.sites.length; s += 4) {
    if (file.sites[s + 3] !== d) continue;
    const list = byName.get(file.sites[s]) ?? [];
    list.push({ line: file.sites[s + 1], column: file.sites[s + 2] });
    byName.set(file.sites[s], list);
  }
  return [...byName].map(([i, sites]) => ({ name: file.names[i], sites }));
}
