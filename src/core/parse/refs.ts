// Cheap lexical scan of a file for the cross-function check: which names are
// called where, and which names are used in a way that hides their callers.
//
// Why lexical: the cross-function check needs every call of a function, also
// in functions the lock analysis skips (no lock verb in them). Comments and
// string literals are skipped; everything else is taken at face value, which
// errs towards "this function may be called from somewhere we cannot see".

export interface NameUse { name: string; offset: number }

export interface FileRefs {
  /** `name(` outside preprocessor lines, in text order. */
  calls: NameUse[];
  /** Names used other than as a call (`.fault = foo_fault`, `foo(cb)`, `&fn`): maybe called through a pointer. */
  addressed: Set<string>;
  /** Names written in a preprocessor line (`#define X(a) foo(a)`): callers we cannot see. */
  inMacros: Set<string>;
}

/** C keywords and builtins that look like calls (`if (`, `sizeof (`). */
export const KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'defined',
  'do', 'else', 'case', 'goto', 'alignof', '_Alignof', '__alignof__', 'offsetof', 'asm', '__asm__', 'volatile',
  '__volatile__', '__attribute__', '__builtin_expect']);

export function scanReferences(text: string): FileRefs {
  const calls: NameUse[] = [];
  const addressed = new Set<string>();
  const inMacros = new Set<string>();
  let lineStart = true;
  let inDirective = false;
  const n = text.length;
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    if (c === 10) { // newline: a directive ends unless the line ended with a backslash
      if (!(inDirective && text.charCodeAt(i - 1) === 92)) inDirective = false;
      lineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) { i++; continue; }
    if (c === 35 && lineStart) { inDirective = true; lineStart = false; i++; continue; } // '#'
    lineStart = false;
    if (c === 47 && text.charCodeAt(i + 1) === 42) { // /* … */
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      // A block comment may span lines: keep directive continuation as the text has it.
      i = stop;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) { // // …
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === 34 || c === 39) { // string or char literal
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== c && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const name = text.slice(i, j);
      if (inDirective) inMacros.add(name);
      else if (!KEYWORDS.has(name)) {
        let k = j;
        while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 10)) k++;
        if (text.charCodeAt(k) === 40) calls.push({ name, offset: i });
        else if (!afterMember(text, i)) addressed.add(name);
      }
      i = j;
      continue;
    }
    i++;
  }
  return { calls, addressed, inMacros };
}

export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** `p->name`, `s.name`: a field, not a use of a function called `name`. */
export function afterMember(text: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
  return text[k] === '.' || (text[k] === '>' && text[k - 1] === '-');
}
