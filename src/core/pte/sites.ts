// Flag sites: where each HMM_PFN_*, MIGRATE_PFN_*, vm_flags bit, RMAP_EXCLUSIVE and
// page-table bit (_PAGE_*) is set, tested or cleared, and where the ledger's helpers
// (pte_mkdirty, pte_dirty, pte_mkclean …) do the same. Lexical, on the code-only text
// (comments, strings and # lines blanked, so #define lines are not sites), so a whole
// tree is scanned without parsing. `hmm-lens flags` prints them.
import { codeOnly } from '../parse/code';
import { lineOf, lineStarts } from '../parse/lines';
import { FLAGS, HELPERS, BITS, BIT_ALIASES, type Bit } from './ledger';

export type SiteOp = 'set' | 'test' | 'clear';

export interface FlagSite {
  /** The flag or helper named at the site. */
  name: string;
  bit?: Bit;
  /** Flag family (HMM_PFN, MIGRATE_PFN …), or "helper" for a ledger helper call. */
  family: string;
  op: SiteOp;
  line: number;
  column: number;
  /** The function the site is in; empty at file scope. */
  function: string;
  /** The source line, trimmed. */
  text: string;
}

const FLAG_BY_NAME = new Map(FLAGS.map((f) => [f.name, f]));
/** Every row of a helper (make_writable_device_private_entry writes write and device-private). */
const HELPER_ROWS = new Map<string, { bit: Bit; op: SiteOp }[]>();
for (const h of HELPERS) HELPER_ROWS.set(h.name, [...(HELPER_ROWS.get(h.name) ?? []), { bit: h.bit, op: h.op === 'read' ? 'test' : h.op }]);
// Not global: a /g regex keeps lastIndex between calls, which is state.
const NAMES_SOURCE = `\\b(${[...FLAG_BY_NAME.keys(), ...HELPER_ROWS.keys()].join('|')})\\b`;
const ANY_NAME = new RegExp(NAMES_SOURCE);

/** The bit a NAME filter stands for (`soft-dirty`, `anon-exclusive`), if it is one. */
function bitOf(filter: string): Bit | undefined {
  const b = filter.replace(/-/g, '_').toLowerCase();
  return (BITS as string[]).includes(b) ? (b as Bit) : BIT_ALIASES[b];
}

/** Is NAME something `flags` knows: a flag, a helper, a bit, or a prefix of one of them? */
export function knownFilter(filter: string): boolean {
  if (bitOf(filter)) return true;
  const names = [...FLAG_BY_NAME.keys(), ...HELPER_ROWS.keys()];
  return filter.endsWith('*') ? names.some((n) => n.startsWith(filter.slice(0, -1))) : names.includes(filter);
}

/** Does `name` pass the NAME filter (exact, a bit such as `dirty`, or a prefix ending in `*`)? */
export function siteMatches(filter: string | undefined, site: Pick<FlagSite, 'name' | 'bit'>): boolean {
  if (!filter) return true;
  if (filter.endsWith('*')) return site.name.startsWith(filter.slice(0, -1));
  const bit = bitOf(filter);
  if (bit) return site.bit === bit;
  return site.name === filter;
}

export function flagSites(text: string, filter?: string): FlagSite[] {
  // Most files of a tree name nothing of the ledger: test the raw text before blanking it.
  if (!ANY_NAME.test(text)) return [];
  const code = codeOnly(text);
  const starts = lineStarts(text);
  const fns = functionSpans(code);
  const out: FlagSite[] = [];
  const wanted = filter ? bitOf(filter) : undefined;
  for (const m of code.matchAll(new RegExp(NAMES_SOURCE, 'g'))) {
    const at = m.index ?? 0;
    const name = m[1];
    const flag = FLAG_BY_NAME.get(name);
    const fn = fns.find((f) => f.open < at && at < f.close);
    let site: Pick<FlagSite, 'bit' | 'family' | 'op'>;
    if (flag) {
      // At file scope only an initialiser uses a flag; `HMM_PFN_VALID = 1UL << 63` in an enum defines it.
      if (!fn && /^\s*=[^=]/.test(code.slice(at + name.length, at + name.length + 4))) continue;
      site = { ...(flag.bit ? { bit: flag.bit } : {}), family: flag.family, op: flagOp(code, at, at + name.length) };
    } else {
      // A helper counts only where a function calls it: not its prototype or definition
      // (at file scope), nor inside its own body.
      if (!fn || fn.name === name || !/^\s*\(/.test(code.slice(at + name.length, at + name.length + 40))) continue;
      const rows = HELPER_ROWS.get(name)!;
      const h = rows.find((r) => r.bit === wanted) ?? rows[0];
      site = { bit: h.bit, family: 'helper', op: h.op };
    }
    if (!siteMatches(filter, { name, bit: site.bit })) continue;
    const line = lineOf(starts, at);
    out.push({ name, ...site, line, column: at - starts[line - 1] + 1, function: fn?.name ?? '', text: text.slice(starts[line - 1], (starts[line] ?? text.length + 1) - 1).trim() });
  }
  return out;
}

/**
 * set, test or clear, by what surrounds the flag: `~FLAG` clears; `x & FLAG`, `FLAG & x`,
 * `(A | FLAG) & x` and comparisons test; anything else (`|=`, `= A | B`, `? FLAG : 0`,
 * an argument, a return) sets.
 */
function flagOp(code: string, from: number, to: number): SiteOp {
  // Step left over white space, other constants (ALL_CAPS: ledger flags or not), `|` and `(`;
  // right over white space, constants, `|` and `)`.
  let i = from - 1;
  for (;;) {
    while (i >= 0 && /\s/.test(code[i])) i--;
    if (code[i] === '(' || (code[i] === '|' && code[i - 1] !== '|' && code[i + 1] !== '=')) { i--; continue; }
    const word = /([A-Za-z_]\w*)$/.exec(code.slice(Math.max(0, i - 60), i + 1));
    if (word && CONSTANT.test(word[1])) { i -= word[1].length; continue; }
    if (word?.[1] === 'case') return 'test';
    break;
  }
  let j = to;
  for (;;) {
    while (j < code.length && /\s/.test(code[j])) j++;
    if (code[j] === ')' || (code[j] === '|' && code[j + 1] !== '|' && code[j + 1] !== '=')) { j++; continue; }
    const word = /^[A-Za-z_]\w*/.exec(code.slice(j, j + 60));
    if (word && CONSTANT.test(word[0])) { j += word[0].length; continue; }
    break;
  }
  const left = code[i];
  const left2 = code.slice(Math.max(0, i - 1), i + 1);
  const right2 = code.slice(j, j + 2);
  if (left === '~') return 'clear';
  if (left === '&' && left2 !== '&&') return 'test';
  if (code[j] === '&' && right2 !== '&&' && right2 !== '&=') return 'test';
  if (left2 === '==' || left2 === '!=' || right2 === '==' || right2 === '!=') return 'test';
  return 'set';
}

const CONSTANT = /^[A-Z][A-Z0-9_]*$/;

/**
 * The function a top-level `{` opens, read backwards from it: optional attribute words,
 * `)`, its matching `(`, the name. Linear (a regex here backtracked exponentially on
 * `BTF_ID_LIST_SINGLE(…)` before a struct initialiser). Not a function: `= {`, control words.
 */
function headName(code: string, brace: number, from: number): string {
  let i = brace - 1;
  const skipSpace = (): void => { while (i >= from && /\s/.test(code[i])) i--; };
  skipSpace();
  // Attribute words after the parameter list (`__acquires(x)` is masked upstream; plain words here).
  for (let k = 0; k < 8 && i >= from && /\w/.test(code[i]); k++) {
    while (i >= from && /\w/.test(code[i])) i--;
    skipSpace();
  }
  if (code[i] !== ')') return '';
  let depth = 0;
  for (; i >= from; i--) {
    if (code[i] === ')') depth++;
    else if (code[i] === '(') { depth--; if (depth === 0) break; }
    else if (code[i] === ';' || code[i] === '{' || code[i] === '}') return '';
  }
  if (i < from) return '';
  i--;
  skipSpace();
  const end = i + 1;
  while (i >= from && /\w/.test(code[i])) i--;
  const name = code.slice(i + 1, end);
  if (!/^[A-Za-z_]\w*$/.test(name) || /^(if|for|while|switch|return|sizeof)$/.test(name)) return '';
  return name;
}

/** Function bodies by brace depth: a top-level `{` after `name(…)` opens one. */
function functionSpans(code: string): { name: string; open: number; close: number }[] {
  const out: { name: string; open: number; close: number }[] = [];
  let depth = 0;
  let open = -1;
  let name = '';
  let lastTop = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '{') {
      if (depth === 0) {
        name = headName(code, i, lastTop);
        open = i;
      }
      depth++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) {
        if (name && open >= 0) out.push({ name, open, close: i });
        name = '';
        open = -1;
        lastTop = i + 1;
      }
    } else if (c === ';' && depth === 0) lastTop = i + 1;
  }
  return out;
}

/** Text listing, grouped by name: `  set   path:line  fn()  source`. */
export function sitesToText(files: { path: string; sites: FlagSite[] }[]): string {
  const byName = new Map<string, { path: string; s: FlagSite }[]>();
  for (const f of files) for (const s of f.sites) byName.set(s.name, [...(byName.get(s.name) ?? []), { path: f.path, s }]);
  const lines: string[] = [];
  let n = 0;
  for (const name of [...byName.keys()].sort()) {
    const list = byName.get(name)!;
    const first = list[0].s;
    lines.push(`${name} (${[first.bit, first.family].filter(Boolean).join(', ')}): ${count(list, 'set')} set, ${count(list, 'test')} tested, ${count(list, 'clear')} cleared`);
    for (const { path, s } of list) {
      n++;
      lines.push(`  ${s.op.padEnd(5)} ${path}:${s.line}  ${s.function ? `${s.function}()  ` : ''}${s.text.length > 90 ? `${s.text.slice(0, 89)}…` : s.text}`);
    }
  }
  const withSites = files.filter((f) => f.sites.length).length;
  lines.push(`${n} site${n === 1 ? '' : 's'} of ${byName.size} name${byName.size === 1 ? '' : 's'} in ${withSites} file${withSites === 1 ? '' : 's'} (${files.length} read)`);
  return `${lines.join('\n')}\n`;
}

const count = (list: { s: FlagSite }[], op: SiteOp): number => list.filter((x) => x.s.op === op).length;
