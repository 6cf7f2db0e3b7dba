// Offset-preserving pre-pass for kernel idioms that tree-sitter-c misparses.
// Invariant: the output has exactly the input's length and every '\n' stays
// where it was, so node offsets, rows and columns map 1:1 onto the original.
// Only spaces, parentheses, `long` and `while` are written.

/** A lock annotation removed from the text (`__acquires(&l)`), kept for the analysis. */
export interface AnnotationNote {
  offset: number;
  name: 'acquires' | 'releases' | 'must_hold' | 'cond_acquires' | 'cond_releases';
  /** Argument texts as written (one for most forms, two for `__cond_acquires(ret, l)`). */
  args: string[];
}

/** An iterator or scoped-guard macro rewritten to `while (...)`. */
export interface LoopMacroNote { offset: number; name: string; args: string[] }

export interface MaskResult {
  text: string;
  annotations: AnnotationNote[];
  /** Keyed by the offset of the `while` keyword written in place of the macro name. */
  loopMacros: Map<number, LoopMacroNote>;
}

/** Attribute words that sit between type and name and break the C grammar. */
const ATTRIBUTE_WORDS = [
  '__init', '__exit', '__initdata', '__initconst', '__exitdata', '__meminit', '__meminitdata',
  '__init_memblock', '__ref', '__refdata', '__user', '__iomem', '__percpu', '__rcu', '__force',
  '__bitwise', '__private', '__safe', '__nocast', '__always_inline', '__always_unused', '__maybe_unused',
  '__read_mostly', '__ro_after_init', '__must_check', '__cold', '__hot', '__weak', '__visible', '__used',
  '__latent_entropy', '__sched', '__lockfunc', '__noreturn', '__flatten', '__nocfi', '__kprobes',
  '__packed', '__randomize_layout', '__no_randomize_layout', '__page_aligned_bss', '__page_aligned_data',
  '____cacheline_aligned', '____cacheline_aligned_in_smp', '__cacheline_aligned', '__cacheline_aligned_in_smp',
  '__head', '__cpuidle', 'noinstr', '__attribute_const__', '__pure', '__malloc', '__nonstring',
  '__deprecated', '__net_init', '__net_exit', '__no_kcsan', '__no_sanitize_address', '__no_sanitize_or_inline',
  '__bpf_kfunc', '__ksym', 'notrace', 'asmlinkage', 'noinline', 'noinline_for_stack', '__noinline',
  '__init_or_module', '__mm_init', '__always_unused', '__noclone', '__fastcall', '__naked', '__no_profile',
  '__noscs', '__irq_entry', '__exception_irq_entry', '__softirq_entry', '__init_refok', '__devinit',
  '__devexit', '__cpuinit', '__initdata_memblock', '__lsm_ro_after_init', '__no_stack_protector',
  '__must_be_checked', 'inline_for_stack', '__section_init', '__no_kmsan_checks', '__nocapture',
];

/** Function-like attribute macros, blanked with their argument list. */
const ATTRIBUTE_CALLS = [
  '__printf', '__scanf', '__free', '__cleanup', '__aligned', '__counted_by', '__section', '__alias',
  '__alloc_size', '__realloc_size', '__assume_aligned', '__guarded_by', '__pt_guarded_by', '__diag_ignore',
  '__nonnull', '__access', '__designated_init', '__attribute_used__',
];

const ANNOTATIONS: Record<string, AnnotationNote['name']> = {
  __acquires: 'acquires', __releases: 'releases', __must_hold: 'must_hold',
  __cond_acquires: 'cond_acquires', __cond_releases: 'cond_releases',
};

/** Macros whose arguments include a type name: `struct` keywords there are blanked. */
const TYPE_ARG_FIRST = ['min_t', 'max_t', 'clamp_t', 'clamp_val_t', 'min3_t', 'cmp_int_t'];

const LOOP_MACRO_NAME = /(?:^for_|for_each|_foreach|^scoped_guard$|^scoped_cond_guard$)/;

/** Index of the ')' matching the '(' at `open`, or -1. Bounded to avoid runaway scans. */
function matchParen(text: string, open: number, limit = 20000): number {
  let depth = 0;
  const end = Math.min(text.length, open + limit);
  for (let i = open; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) { depth--; if (depth === 0) return i; }
    else if (c === 59 && depth <= 1 && text.charCodeAt(i - 1) === 10) return -1; // ran into code
  }
  return -1;
}

/** Splits top-level comma-separated arguments of text[open+1 .. close-1]. Returns [start, end) ranges. */
export function splitArgs(text: string, open: number, close: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { out.push([start, i]); start = i + 1; }
  }
  if (close > open + 1) out.push([start, close]);
  return out;
}

/** Replace [from, to) with spaces, keeping newlines. */
/**
 * The characters the pre-pass changes, applied in one go at the end. Sparse on purpose: a
 * file changes in a few hundred places, and copying it into a per-character array (and
 * joining it back) cost more than the whole scan, on every keystroke in the editor.
 */
class Patches {
  private readonly at = new Map<number, string>();
  constructor(private readonly text: string) {}
  set(i: number, c: string): void { this.at.set(i, c); }
  get(i: number): string { return this.at.get(i) ?? this.text[i]; }
  build(): string {
    if (this.at.size === 0) return this.text;
    const parts: string[] = [];
    let prev = 0;
    for (const i of [...this.at.keys()].sort((a, b) => a - b)) {
      parts.push(this.text.slice(prev, i), this.at.get(i)!);
      prev = i + 1;
    }
    parts.push(this.text.slice(prev));
    return parts.join('');
  }
}

function blank(buf: Patches, from: number, to: number): void {
  for (let i = from; i < to; i++) if (buf.get(i) !== '\n') buf.set(i, ' ');
}

function write(buf: Patches, at: number, s: string): void {
  for (let i = 0; i < s.length; i++) buf.set(at + i, s[i]);
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Next non-space index at or after i (skipping newlines and block/line comments). */
function skipSpace(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('/*', i)) { const e = text.indexOf('*/', i + 2); i = e < 0 ? text.length : e + 2; continue; }
    if (text.startsWith('//', i)) { const e = text.indexOf('\n', i); i = e < 0 ? text.length : e; continue; }
    return i;
  }
}

export function maskKernelSource(text: string): MaskResult {
  const buf = new Patches(text);
  const annotations: AnnotationNote[] = [];
  const loopMacros = new Map<number, LoopMacroNote>();
  const words = new Set(ATTRIBUTE_WORDS);
  const calls = new Set(ATTRIBUTE_CALLS);
  const typeFirst = new Set(TYPE_ARG_FIRST);

  // One scan over identifiers; each rule looks only at the identifier and what follows it.
  const ident = /[A-Za-z_][A-Za-z0-9_]*/g;
  let m: RegExpExecArray | null;
  while ((m = ident.exec(text)) !== null) {
    const name = m[0];
    const at = m.index;
    const end = at + name.length;
    if (at > 0 && (isIdentChar(text.charCodeAt(at - 1)))) continue;
    if (name.length < 3) continue;

    if (words.has(name)) { blank(buf, at, end); continue; }
    if (name === 'static' && /^\s+(DEFINE|DECLARE)_\w+\s*\([^;()]*,/.test(text.slice(end, end + 200))) {
      // `static DEFINE_RATELIMIT_STATE(rs, a, b);` inside a body: without `static` it is a call statement.
      blank(buf, at, end);
      continue;
    }

    const open = text[end] === '(' ? end : (text[end] === ' ' && text[end + 1] === '(' ? end + 1 : -1);
    if (open < 0) {
      if (name === 'struct' || name === 'union' || name === 'enum') maskTypeArg(text, buf, at, end);
      continue;
    }

    if (name in ANNOTATIONS) {
      const close = matchParen(text, open);
      if (close < 0) continue;
      annotations.push({
        offset: at, name: ANNOTATIONS[name],
        args: splitArgs(text, open, close).map(([s, e]) => text.slice(s, e).trim()),
      });
      blank(buf, at, close + 1);
      ident.lastIndex = close + 1;
      continue;
    }
    if (calls.has(name)) {
      const close = matchParen(text, open);
      if (close >= 0) { blank(buf, at, close + 1); ident.lastIndex = close + 1; }
      continue;
    }
    if (typeFirst.has(name)) {
      const close = matchParen(text, open);
      if (close < 0) continue;
      const args = splitArgs(text, open, close);
      if (args.length >= 2) { blank(buf, args[0][0], args[0][1]); buf.set(args[0][0], '0'); }
      continue;
    }
    if (/^(COMPAT_)?SYSCALL_DEFINE[0-6]$/.test(name)) { maskSyscall(text, buf, at, name, open); continue; }
    if (maskBareMacroLine(text, buf, at, name, open)) { ident.lastIndex = open + 1; continue; }
    if (name.length >= 5 && LOOP_MACRO_NAME.test(name)) {
      // Only statement position: first token on its line, and not a call followed by ';'.
      let j = at - 1;
      while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
      if (j >= 0 && text[j] !== '\n' && text[j] !== '{' && text[j] !== '}' && text[j] !== ';' && text[j] !== ')') continue;
      if (j >= 0 && text[j] === ')' && !/\b(if|else|for|while)\b/.test(text.slice(Math.max(0, j - 200), j))) continue;
      const close = matchParen(text, open);
      if (close < 0) continue;
      const after = skipSpace(text, close + 1);
      if (text[after] === ';' || text[after] === ',' || text[after] === ')') continue;
      write(buf, at, 'while');
      blank(buf, at + 5, end);
      loopMacros.set(at, {
        offset: at, name,
        args: splitArgs(text, open, close).map(([s, e]) => text.slice(s, e).trim()),
      });
    }
  }
  return { text: buf.build(), annotations, loopMacros };
}

/**
 * `NOKPROBE_SYMBOL(fn)` alone on a line at file scope, with no `;`: tree-sitter glues it to the
 * next function's header and that function is lost. Blanked when the macro starts at column 0,
 * is all capitals, and neither `;`, `{` nor `,` follows it (a `DEFINE_X(a)\n{` header stays).
 */
function maskBareMacroLine(text: string, buf: Patches, at: number, name: string, open: number): boolean {
  if (at > 0 && text[at - 1] !== '\n') return false;
  if (!/^[A-Z][A-Z0-9_]+$/.test(name) || (at > 1 && text[at - 2] === '\\')) return false;
  const close = matchParen(text, open);
  if (close < 0) return false;
  const eol = text.indexOf('\n', close);
  if (text.slice(close + 1, eol < 0 ? text.length : eol).trim() !== '') return false;
  const next = skipSpace(text, close + 1);
  if (next < text.length && (text[next] === ';' || text[next] === '{' || text[next] === ',')) return false;
  blank(buf, at, close + 1);
  return true;
}

/** `container_of(p, struct T, m)`: blank `struct` when it stands alone as a macro argument. */
function maskTypeArg(text: string, buf: Patches, at: number, end: number): void {
  let b = at - 1;
  while (b >= 0 && /\s/.test(text[b])) b--; // the argument may start a continuation line
  if (b < 0 || (text[b] !== ',' && text[b] !== '(')) return;
  // Must be `struct Name` followed by ',' or ')' — a type used as a value.
  const rest = /^\s+[A-Za-z_][A-Za-z0-9_]*\s*[,)]/.exec(text.slice(end, end + 80));
  if (!rest) return;
  if (text[b] === '(') {
    // `sizeof(struct T)` and casts parse fine; only macro calls need help.
    let k = b - 1;
    while (k >= 0 && text[k] === ' ') k--;
    let s = k;
    while (s >= 0 && isIdentChar(text.charCodeAt(s))) s--;
    const callee = text.slice(s + 1, k + 1);
    if (!callee || callee === 'sizeof' || callee === 'typeof' || callee === '__typeof__' || callee === 'alignof'
      || callee === '_Alignof' || callee === '__alignof__' || callee === 'offsetof') return;
  }
  blank(buf, at, end);
}

/**
 * `SYSCALL_DEFINE3(name, T1, a1, T2, a2)` → `long name(  T1  a1, T2  a2)`, same length.
 * The name moves left (same line); the commas between a type and its name become spaces.
 */
function maskSyscall(text: string, buf: Patches, at: number, _name: string, open: number): void {
  const close = matchParen(text, open);
  if (close < 0) return;
  const args = splitArgs(text, open, close);
  if (args.length < 1) return;
  const fname = text.slice(args[0][0], args[0][1]).trim();
  const nameEnd = args.length > 1 ? args[0][1] + 1 : close;
  blank(buf, at, nameEnd);
  write(buf, at, `long ${fname}(`);
  for (let k = 1; k < args.length - 1; k += 2) buf.set(args[k][1], ' ');
}
