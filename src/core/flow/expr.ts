// Pure helpers on expression text: normalisation for lock identity and the
// identifiers an expression depends on (to invalidate facts on assignment).

/** `&(p->lock)` → `p->lock`, `& ptl` → `ptl`: lock identity ignores & and parentheses. */
export function normExpr(text: string): string {
  let s = text.replace(/\s+/g, '');
  for (;;) {
    const before = s;
    if (s.startsWith('&')) s = s.slice(1);
    if (s.startsWith('(') && s.endsWith(')') && balancedInner(s)) s = s.slice(1, -1);
    if (s === before) return s;
  }
}

function balancedInner(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') { depth--; if (depth === 0 && i < s.length - 1) return false; }
  }
  return true;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Identifiers an expression reads, leaving out field names (after -> or .). */
export function varsOf(text: string): string[] {
  const out: string[] = [];
  IDENT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IDENT.exec(text)) !== null) {
    const prev = text.slice(Math.max(0, m.index - 2), m.index).replace(/\s/g, '');
    if (prev.endsWith('.') || prev.endsWith('->')) continue;
    if (!out.includes(m[0])) out.push(m[0]);
  }
  return out;
}

/** Leading identifier of a normalised expression: `mm->page_table_lock` → `mm`, `*ptlp` → `ptlp`. */
export function rootOf(expr: string): string | undefined {
  const m = /^[*(\s]*([A-Za-z_][A-Za-z0-9_]*)/.exec(expr);
  return m?.[1];
}

/** The last identifier of an expression: `&pvmw->ptl` → `ptl`, `RCU` → `RCU`. */
export function lastName(expr: string): string {
  return /([A-Za-z_]\w*)[^A-Za-z_]*$/.exec(expr)?.[1] ?? expr;
}

/** Does assigning `target` change what `expr` denotes? */
export function dependsOn(expr: string, target: string): boolean {
  if (expr === target) return true;
  if (expr.startsWith(target) && /^(->|\.|\[)/.test(expr.slice(target.length))) return true;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(target)) return varsOf(expr).includes(target);
  return false;
}

/** Declared types that are plain values (a flag, a count, an enum), not objects. */
export const SCALAR_TYPE = /^(?:const )?(?:(?:un)?signed )?(?:bool|_Bool|char|short|int|long|long long|unsigned|signed|short int|long int|(?:__)?[us](?:8|16|32|64)|u_(?:char|short|int|long)|\w+_t|enum \w+)$/;

export type ValueClass = 'zero' | 'nonzero' | 'neg';

/** Constant class of an expression's text, or undefined when not a constant. */
export function constClass(text: string): ValueClass | undefined {
  const s = text.replace(/[\s()]/g, '');
  if (s === '0' || s === 'NULL' || s === 'false' || s === '0UL' || s === '0L' || s === '0U') return 'zero';
  if (s === 'true' || /^[1-9][0-9]*[UL]*$/.test(s) || /^0x[0-9a-fA-F]*[1-9a-fA-F][0-9a-fA-F]*[UL]*$/.test(s)) return 'nonzero';
  if (/^-(E[A-Z0-9]+|[1-9][0-9]*)$/.test(s)) return 'neg';
  if (/^VM_FAULT_[A-Z_]+$/.test(s) || /^(SWAP|MIGRATEPAGE|FAULT)_[A-Z_]+$/.test(s)) return undefined;
  return undefined;
}

/** One line of source for messages: collapsed white space, bounded length. */
export function oneLine(text: string, max = 100): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
