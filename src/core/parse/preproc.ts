// Second-chance text for a function that still has parse errors after the
// kernel mask: inside [start, end) keep only the first branch of each
// #if/#ifdef group (the #else branch of `#if 0`), blank every directive line,
// and blank everything outside the range. Length and newlines are preserved,
// so positions still map 1:1 onto the original file. Lossy by design: the
// result is only used when the full text cannot be parsed.

export function firstBranchOnly(text: string, start: number, end: number): string {
  const out = text.split('');
  for (let i = 0; i < start; i++) if (out[i] !== '\n') out[i] = ' ';
  for (let i = end; i < out.length; i++) if (out[i] !== '\n') out[i] = ' ';
  // Each level: is this branch kept, and has a branch of the group been kept yet?
  const stack: { keep: boolean; done: boolean }[] = [];
  const live = (): boolean => stack.every((l) => l.keep);
  let i = start;
  while (i < end) {
    let eol = text.indexOf('\n', i);
    if (eol < 0 || eol > end) eol = end;
    const line = text.slice(i, eol);
    const m = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/.exec(line);
    let blankLine = !live();
    if (m) {
      blankLine = true;
      const d = m[1];
      if (d === 'if' || d === 'ifdef' || d === 'ifndef') {
        const zero = d === 'if' && /^\s*0\s*($|\/[*/])/.test(m[2]);
        stack.push({ keep: !zero, done: !zero });
      } else if (stack.length && (d === 'elif' || d === 'else')) {
        const top = stack[stack.length - 1];
        top.keep = !top.done;
        top.done = true;
      } else if (d === 'endif') stack.pop();
      // Directive continuation lines (`\` at end) are blanked with it.
      while (text[eol - 1] === '\\' && eol < end) {
        const nx = text.indexOf('\n', eol + 1);
        eol = nx < 0 || nx > end ? end : nx;
      }
    }
    if (blankLine) for (let k = i; k < eol; k++) if (out[k] !== '\n') out[k] = ' ';
    i = eol + 1;
  }
  return out.join('');
}
