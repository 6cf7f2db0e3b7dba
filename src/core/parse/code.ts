// Code-only view of a C file for lexical scans: comments, the insides of string
// and character literals, and preprocessor lines become spaces. Offsets and
// newlines are kept, so a match's offset is its offset in the original text.

export function codeOnly(text: string): string {
  const out = text.split('');
  const n = text.length;
  let lineStart = true;
  let directive = false;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  for (let i = 0; i < n;) {
    const c = text[i];
    if (c === '\n') {
      if (!(directive && text[i - 1] === '\\')) directive = false;
      lineStart = true;
      i++;
      continue;
    }
    if (directive) { out[i] = ' '; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#' && lineStart) { directive = true; out[i] = ' '; i++; continue; }
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
  return out.join('');
}
