// Which of a function's locals hold a lock a same-file callee opened for it, read from the text.
//
// Why: a function that calls a same-file releaser normally passes its caller's lock on (the
// releaser chain in analyse.ts). Not when the releaser is given the result of a same-file
// callee that returns holding a lock (`ci = lock_cluster(si, off); … unlock_cluster(ci);`):
// that release pairs with the callee's acquire. Calls carry no arguments in the call index,
// so the argument is read from the (masked) line of the call, as the call index itself is lexical.

import { rootOf } from '../flow/expr';

/** `target = opener(…)`: the local, the opener, the line of the local and the line of the call. */
export interface OpenerAssignment { target: string; opener: string; line: number; callLine: number }

/**
 * Every assignment of a call of one of `openers` in `text[from, to)` (a function's body), lines by
 * `lineAt` (the file's one offset-to-line function).
 */
export function openerAssignments(text: string, from: number, to: number, openers: ReadonlySet<string>,
  lineAt: (offset: number) => number): OpenerAssignment[] {
  const out: OpenerAssignment[] = [];
  const body = text.slice(from, to);
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)(\s*=\s*)([A-Za-z_]\w*)\s*\(/g)) {
    if (!openers.has(m[3])) continue;
    const at = from + m.index!;
    out.push({ target: m[1], opener: m[3], line: lineAt(at), callLine: lineAt(at + m[1].length + m[2].length) });
  }
  return out;
}

/** The root of argument `index` of the first call of `name` in `line` (`unlock_cluster(ci)` → `ci`), if the call is on that line. */
export function argumentRoot(line: string, name: string, index: number): string | undefined {
  const m = new RegExp(`\\b${name}\\s*\\(`).exec(line);
  if (!m) return undefined;
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = m.index + m[0].length; i < line.length; i++) {
    const c = line[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === ')') { args.push(cur); break; }
    else if (c === ',' && depth === 0) { args.push(cur); cur = ''; continue; }
    cur += c;
  }
  const arg = args[index]?.trim().replace(/^&\s*/, '');
  return arg ? rootOf(arg) : undefined;
}
