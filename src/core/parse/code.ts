// Code-only view of a C file for lexical scans: comments, the insides of string
// and character literals, and preprocessor lines become spaces. Offsets and
// newlines are kept, so a match's offset is its offset in the original text.

export function codeOnly(text: string): string {
  // Blanked ranges are collected and applied once: a per-character copy of the file cost
  // more than the scan itself.
  const ranges: [number, number][] = [];
  const n = text.length;
  let lineStart = true;
  let directive = false;
  const blank = (from: number, to: number): void => { if (from < to) ranges.push([from, Math.min(to, n)]); };
  for (let i = 0; i < n;) {
    const c = text[i];
    if (c === '\n') {
      if (!(directive && text[i - 1] === '\\')) directive = false;
      lineStart = true;
      i++;
      continue;
    }
    if (directive) {
      // The rest of the line (a continued directive goes on at the next '\n' test).
      let e = text.indexOf('\n', i);
      if (e < 0) e = n;
      blank(i, e);
      i = e;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#' && lineStart) { directive = true; continue; }
    lineStart = false;
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
      continue;
    }
    i++;
  }
  if (!ranges.length) return text;
  const parts: string[] = [];
  let prev = 0;
  for (const [from, to] of ranges) {
    if (to <= prev) continue;
    const s = Math.max(from, prev);
    parts.push(text.slice(prev, s), spaces(text.slice(s, to)));
    prev = to;
  }
  parts.push(text.slice(prev));
  return parts.join('');
}

/** The same length of spaces, newlines kept. */
function spaces(s: string): string {
  return s.indexOf('\n') < 0 ? ' '.repeat(s.length) : s.split('\n').map((l) => ' '.repeat(l.length)).join('\n');
}
