// Which of a function's locals hold a lock a same-file callee opened for it, read from the text.
//
// Why: a function that calls a same-file releaser normally passes its caller's lock on (the
// releaser chain in analyse.ts). Not when the releaser is given the result of a same-file
// callee that returns holding a lock (`ci = lock_cluster(si, off); … unlock_cluster(ci);`):
// that release pairs with the callee's acquire. Calls carry no arguments in the call index,
// so the argument is read from the (masked) line of the call, as the call index itself is lexical.

import { rootOf } from '../flow/expr';

/**
 * Names assigned from a call of one of `openers` in `body`, which starts at line `firstLine`, with
 * the line of the first such assignment (`ci = lock_cluster(si, off)` → `ci`). Only a releaser call
 * after that line is given what the opener returned (`unlock_hbucket(b); b = lock_hbucket(t, 0);`
 * drops the caller's `b` first).
 */
export function openedNames(body: string, firstLine: number, openers: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  if (openers.size === 0) return out;
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*\(/g)) {
    if (!openers.has(m[2]) || out.has(m[1])) continue;
    let line = firstLine;
    for (let i = body.indexOf('\n'); i >= 0 && i < m.index!; i = body.indexOf('\n', i + 1)) line++;
    out.set(m[1], line);
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
