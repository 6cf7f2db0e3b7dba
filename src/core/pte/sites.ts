// Flag sites: where each HMM_PFN_*, MIGRATE_PFN_*, vm_flags bit, RMAP_EXCLUSIVE and
// page-table bit (_PAGE_*) is set, tested or cleared, and where the ledger's helpers
// (pte_mkdirty, pte_dirty, pte_mkclean …) do the same. Lexical, on the code-only text
// (comments, strings and # lines blanked, so #define lines are not sites), so a whole
// tree is scanned without parsing. `hmm-lens flags` prints them.
import { codeOnly } from '../parse/code';
import { FLAGS, HELPERS, BITS, type Bit } from './ledger';

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
const HELPER_OP = new Map<string, { bit: Bit; op: SiteOp }>();
for (const h of HELPERS) if (!HELPER_OP.has(h.name)) HELPER_OP.set(h.name, { bit: h.bit, op: h.op === 'read' ? 'test' : h.op });
const NAMES = new RegExp(`\\b(${[...FLAG_BY_NAME.keys(), ...HELPER_OP.keys()].join('|')})\\b`, 'g');

/** Does `name` pass the NAME filter (exact, a bit such as `dirty`, or a prefix ending in `*`)? */
export function siteMatches(filter: string | undefined, site: Pick<FlagSite, 'name' | 'bit'>): boolean {
  if (!filter) return true;
  if (filter.endsWith('*')) return site.name.startsWith(filter.slice(0, -1));
  const bit = filter.replace(/-/g, '_').toLowerCase();
  if ((BITS as string[]).includes(bit) || bit === 'anon_exclusive') return site.bit === (bit === 'anon_exclusive' ? 'exclusive' : bit);
  return site.name === filter;
}

export function flagSites(text: string, filter?: string): FlagSite[] {
  // Most files of a tree name nothing of the ledger: test the raw text before blanking it.
  NAMES.lastIndex = 0;
  if (!NAMES.test(text)) return [];
  const code = codeOnly(text);
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const fns = functionSpans(code);
  const out: FlagSite[] = [];
  NAMES.lastIndex = 0;
  for (const m of code.matchAll(NAMES)) {
    const at = m.index ?? 0;
    const name = m[1];
    const flag = FLAG_BY_NAME.get(name);
    let site: Pick<FlagSite, 'bit' | 'family' | 'op'>;
    if (flag) {
      site = { ...(flag.bit ? { bit: flag.bit } : {}), family: flag.family, op: flagOp(code, at, at + name.length) };
    } else {
      // A helper counts only where it is called (not its own prototype's name alone).
      if (!/^\s*\(/.test(code.slice(at + name.length, at + name.length + 40))) continue;
      const h = HELPER_OP.get(name)!;
      site = { bit: h.bit, family: 'helper', op: h.op };
    }
    if (!siteMatches(filter, { name, bit: site.bit })) continue;
    const line = lineAt(starts, at);
    const fn = fns.find((f) => f.open < at && at < f.close);
    if (!flag && fn && fn.name === name) continue; // the helper's own definition
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
  // Step left over white space, other flags, `|` and `(`; right over white space, flags, `|` and `)`.
  let i = from - 1;
  for (;;) {
    while (i >= 0 && /\s/.test(code[i])) i--;
    if (code[i] === '(' || (code[i] === '|' && code[i - 1] !== '|' && code[i + 1] !== '=')) { i--; continue; }
    const word = /([A-Za-z_]\w*)$/.exec(code.slice(Math.max(0, i - 60), i + 1));
    if (word && FLAG_BY_NAME.has(word[1])) { i -= word[1].length; continue; }
    break;
  }
  let j = to;
  for (;;) {
    while (j < code.length && /\s/.test(code[j])) j++;
    if (code[j] === ')' || (code[j] === '|' && code[j + 1] !== '|' && code[j + 1] !== '=')) { j++; continue; }
    const word = /^[A-Za-z_]\w*/.exec(code.slice(j, j + 60));
    if (word && FLAG_BY_NAME.has(word[0])) { j += word[0].length; continue; }
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
        const head = code.slice(lastTop, i);
        const m = /([A-Za-z_]\w*)\s*\([^;{}]*\)\s*(?:[A-Za-z_]\w*(?:\([^()]*\))?\s*)*$/.exec(head);
        name = m && !/^(if|for|while|switch|return|sizeof)$/.test(m[1]) && !/=\s*$/.test(head.slice(0, m.index)) ? m[1] : '';
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

function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
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
