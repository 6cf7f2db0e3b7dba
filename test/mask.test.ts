// maskKernelSource(): the offset-preserving pre-pass. Its contract is that
// positions map 1:1 onto the original (same length, every newline in place),
// and that the kernel idioms tree-sitter-c misparses come out parseable.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { maskKernelSource } from '../src/core/parse/mask';
import type { Node } from '../src/core/parse/parser';
import { getParser, fixtureFiles, REPO_ROOT, analyseText } from './helpers/load';

function newlineOffsets(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) out.push(i);
  return out;
}

/** The pre-pass's invariant, with a message that says where it broke. */
function assertOffsetsKept(input: string, what: string): string {
  const { text } = maskKernelSource(input);
  assert.equal(text.length, input.length, `${what}: length changed`);
  assert.deepEqual(newlineOffsets(text), newlineOffsets(input), `${what}: a newline moved, appeared or vanished`);
  // Blanks, parentheses, `0` and identifier characters (`while`, `long`, a moved syscall name) only.
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== input[i] && !/^[ ()\w]$/.test(text[i])) {
      assert.fail(`${what}: unexpected character ${JSON.stringify(text[i])} written at offset ${i}`);
    }
  }
  return text;
}

async function parseErrors(text: string): Promise<{ hasError: boolean; functions: string[] }> {
  const parser = await getParser();
  const r = parser.withTree(text, (tree) => {
    const functions: string[] = [];
    const walk = (n: Node): void => {
      if (n.type === 'function_definition') {
        let d: Node | null = n.childForFieldName('declarator');
        while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
        functions.push(d?.text ?? '?');
      }
      for (const c of n.namedChildren) if (c) walk(c);
    };
    walk(tree.rootNode);
    return { hasError: tree.rootNode.hasError, functions };
  });
  assert.ok(r, 'the parser gave no tree');
  return r;
}

describe('length and newlines are preserved', () => {
  const files = [...fixtureFiles(), path.join(REPO_ROOT, 'samples', 'collect.c')];
  for (const f of files) {
    test(path.relative(REPO_ROOT, f), () => {
      const input = fs.readFileSync(f, 'utf8');
      assertOffsetsKept(input, path.basename(f));
    });
  }

  const tricky: [string, string][] = [
    ['empty input', ''],
    ['only newlines', '\n\n\n'],
    ['CRLF line ends', 'static int __init f(void)\r\n{\r\n\tlist_for_each_entry(p, &l, lru) {\r\n\t\tx++;\r\n\t}\r\n\treturn 0;\r\n}\r\n'],
    ['annotation spanning lines', 'void f(spinlock_t *l)\n\t__acquires(\n\t\t&l->x)\n{\n}\n'],
    ['unterminated annotation', 'void f(void) __acquires(&l\n{\n}\n'],
    ['unterminated iterator', '\tlist_for_each_entry(pos, head,\n'],
    ['iterator whose arguments span lines', '\tlist_for_each_entry_safe(folio, next,\n\t\t\t\t &list, lru) {\n\t}\n'],
    ['SYSCALL_DEFINE over two lines', 'SYSCALL_DEFINE3(x, int, a,\n\t\tchar __user *, b, long, c)\n{\n\treturn 0;\n}\n'],
    ['SYSCALL_DEFINE0', 'SYSCALL_DEFINE0(getx)\n{\n\treturn 0;\n}\n'],
    ['non-ASCII text and a surrogate pair', '/* Jérôme 😀 */\nstatic int __init f(void) { return 0; }\n'],
    ['words inside comments and strings', '/* __init list_for_each_entry(a, b, c) { */\nchar *s = "__acquires(&l) SYSCALL_DEFINE1(x, int, a)";\n'],
    ['macro definitions', '#define for_each_thing(x) \\\n\tfor ((x) = 0; (x) < 4; (x)++)\n#define __my_attr __init\n'],
    ['struct in every position', 'struct page *p = container_of(x, struct page, lru);\nint n = sizeof(struct page);\nstruct folio *f = list_first_entry(&l, struct folio,\n\tlru);\n'],
    ['min_t with a struct type', 'x = min_t(unsigned long, a, b);\ny = max_t(struct foo *, c, d);\n'],
    ['tabs and form feeds', '\f\tstatic\t__always_inline\tint\tf(void)\t{\treturn 0;\t}\n'],
  ];
  for (const [name, input] of tricky) {
    test(`tricky input: ${name}`, () => { assertOffsetsKept(input, name); });
  }
});

describe('rewrites', () => {
  test('attribute words are blanked', async () => {
    const input = 'static int __init hmm_init(void)\n{\n\treturn 0;\n}\n'
      + 'static __always_inline void f(__always_unused int depth, int __user *p, void __iomem *io)\n{\n}\n'
      + 'static unsigned long limit __read_mostly = 64;\n';
    const { text } = maskKernelSource(input);
    for (const w of ['__init', '__always_inline', '__always_unused', '__user', '__iomem', '__read_mostly']) {
      assert.ok(!text.includes(w), `${w} is still there`);
    }
    assert.ok(text.startsWith('static int        hmm_init(void)'), text.split('\n')[0]);
    // Words that merely contain an attribute word are left alone.
    assert.equal(maskKernelSource('int __initialise(void);\nint my__init;\n').text, 'int __initialise(void);\nint my__init;\n');
    const parsed = await parseErrors(text);
    assert.equal(parsed.hasError, false);
    assert.deepEqual(parsed.functions, ['hmm_init', 'f']);
  });

  test('list_for_each_entry(a, b, c) { becomes while(...) with a loopMacros note', async () => {
    const input = 'void f(void)\n{\n\tlist_for_each_entry(a, b, c) {\n\t\tn++;\n\t}\n}\n';
    const at = input.indexOf('list_for_each_entry');
    const { text, loopMacros } = maskKernelSource(input);
    const name = 'list_for_each_entry';
    assert.equal(text.slice(at, at + name.length), `while${' '.repeat(name.length - 5)}`);
    assert.equal(text.slice(at + name.length), input.slice(at + name.length), 'the arguments and the body are untouched');
    assert.equal(text.slice(0, at), input.slice(0, at));
    assert.deepEqual(loopMacros.get(at), { offset: at, name, args: ['a', 'b', 'c'] });
    assert.equal(loopMacros.size, 1);
    const parsed = await parseErrors(text);
    assert.equal(parsed.hasError, false);
  });

  test('other iterators and scoped_guard are noted; brace-less bodies parse', async () => {
    const input = [
      'void f(struct mm_struct *mm)',
      '{',
      '\tfor_each_vma(vmi, vma)',
      '\t\tn++;',
      '\txa_for_each(&x->xa, index, entry) {',
      '\t\tkfree(entry);',
      '\t}',
      '\tscoped_guard(spinlock, &q->lock)',
      '\t\tq->n++;',
      '\tvma_interval_tree_foreach(vma, root, 0, ULONG_MAX) {',
      '\t}',
      '}',
      '',
    ].join('\n');
    const { text, loopMacros } = maskKernelSource(input);
    const notes = [...loopMacros.values()].sort((a, b) => a.offset - b.offset);
    assert.deepEqual(notes.map((n) => n.name), ['for_each_vma', 'xa_for_each', 'scoped_guard', 'vma_interval_tree_foreach']);
    assert.deepEqual(notes[1].args, ['&x->xa', 'index', 'entry']);
    assert.deepEqual(notes[2].args, ['spinlock', '&q->lock']);
    for (const n of notes) {
      assert.equal(text.slice(n.offset, n.offset + 5), 'while');
      assert.equal(input.slice(n.offset, n.offset + n.name.length), n.name, 'offset points at the macro name');
    }
    assert.equal((await parseErrors(text)).hasError, false);
  });

  test('iterator-like names that are not loop statements are left alone', () => {
    const input = '#define for_each_thing(x) for ((x) = 0; (x) < 4; (x)++)\n'
      + 'void f(void)\n{\n\tn = count_for_each(a, b);\n\tfor_each_online_cpu_do(fn);\n}\n';
    const { text, loopMacros } = maskKernelSource(input);
    assert.equal(loopMacros.size, 0);
    assert.equal(text, input);
  });

  test('__acquires(&l) is recorded in annotations and blanked', () => {
    const input = 'static void f(struct s *a)\n\t__acquires(&a->lock) __releases(b)\n{\n}\n'
      + 'static int g(struct mm_struct *mm)\n\t__must_hold(&mm->lock)\n{\n\treturn 0;\n}\n';
    const { text, annotations } = maskKernelSource(input);
    assert.deepEqual(annotations, [
      { offset: input.indexOf('__acquires'), name: 'acquires', args: ['&a->lock'] },
      { offset: input.indexOf('__releases'), name: 'releases', args: ['b'] },
      { offset: input.indexOf('__must_hold'), name: 'must_hold', args: ['&mm->lock'] },
    ]);
    const line2 = text.split('\n')[1];
    assert.match(line2, /^\t +$/, `annotation line not blank: ${JSON.stringify(line2)}`);
    assert.ok(!text.includes('__must_hold') && !text.includes('&mm->lock'));
  });

  test('an annotated prototype is not mistaken for a function', async () => {
    const input = 'void lock_it(spinlock_t *l) __acquires(l);\nint x;\n';
    const { text, annotations } = maskKernelSource(input);
    assert.equal(annotations.length, 1);
    const parsed = await parseErrors(text);
    assert.equal(parsed.hasError, false);
    assert.deepEqual(parsed.functions, []);
  });

  test('SYSCALL_DEFINE3 parses to a function named after the syscall', async () => {
    const input = 'SYSCALL_DEFINE3(move_pages_ex, pid_t, pid, unsigned long, nr_pages,\n\t\tconst void __user * __user *, pages)\n{\n\tint ret;\n\n'
      + '\tmutex_lock(&m);\n\tret = do_it(pid, nr_pages, pages);\n\tmutex_unlock(&m);\n\treturn ret;\n}\n';
    const { text } = maskKernelSource(input);
    assert.ok(text.startsWith('long move_pages_ex('), text.split('\n')[0]);
    const parsed = await parseErrors(text);
    assert.equal(parsed.hasError, false);
    assert.deepEqual(parsed.functions, ['move_pages_ex']);
    const analysis = await analyseText('syscall.c', input);
    assert.deepEqual(analysis.functions.map((f) => [f.name, f.startLine, f.endLine]), [['move_pages_ex', 1, 10]]);
    assert.deepEqual(analysis.functions[0].lockPairs.map((p) => [p.lock, p.acquire?.line, p.releases.map((r) => r.line)]),
      [['m', 6, [8]]]);
  });

  test('container_of(p, struct page, lru) parses without ERROR', async () => {
    const input = 'static void f(struct list_head *p)\n{\n\tstruct page *page = container_of(p, struct page, lru);\n'
      + '\tstruct folio *folio = list_first_entry(&l, struct folio, lru);\n\tsize_t n = sizeof(struct page);\n}\n';
    const { text } = maskKernelSource(input);
    assert.match(text, /container_of\(p, +page, lru\)/);
    assert.match(text, /sizeof\(struct page\)/, 'sizeof(struct T) is valid C and stays');
    assert.match(text, /^\tstruct page \*page/m, 'declarations keep their struct keyword');
    const parsed = await parseErrors(text);
    assert.equal(parsed.hasError, false);
    assert.deepEqual(parsed.functions, ['f']);
  });

  test('min_t(type, a, b): the type argument becomes a constant', async () => {
    const input = 'int f(int a, int b)\n{\n\treturn min_t(unsigned long, a, b);\n}\n';
    const { text } = maskKernelSource(input);
    assert.match(text, /min_t\(0 {12}, a, b\)/);
    assert.equal((await parseErrors(text)).hasError, false);
  });
});

test('a bare file-scope macro line with no `;` (NOKPROBE_SYMBOL) no longer swallows the next function', async () => {
  const src = `static int handler(struct kprobe *kp)
{
	return 0;
}
NOKPROBE_SYMBOL(handler)

static void *seq_start_locked(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&attr_lock);
	return seq_list_start(&attr_list, *pos);
}

BPF_CALL_1(bpf_helper, int, x)
{
	return x;
}
`;
  const text = assertOffsetsKept(src, 'bare macro line');
  assert.ok(!text.includes('NOKPROBE_SYMBOL'), 'the bare macro line is blanked');
  assert.ok(text.includes('BPF_CALL_1(bpf_helper, int, x)'), 'a macro that opens a body is kept');
  const f = await analyseText('probe.c', src);
  const fn = f.functions.find((x) => x.name === 'seq_start_locked');
  assert.ok(fn && !fn.notAnalysed, 'the function after the macro line is analysed');
  assert.equal(fn.lockPairs.length, 1);
});
