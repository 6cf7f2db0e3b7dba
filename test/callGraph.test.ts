// The workspace call graph (core/callGraph.ts) on test/fixtures/callgraph/: every
// definition with its lines and linkage, and the callers and callees the call
// hierarchy shows, against expected.json beside the fixtures. Also: what the lexical
// scan must survive (unbalanced #ifdef braces, unterminated comments, no input).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { definitionsOf, fileCallsOf, incomingCalls, outgoingCalls, type FileCalls } from '../src/core/callGraph';
import { REPO_ROOT } from './helpers/load';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'callgraph');
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as {
  defs: Record<string, [string, number, number, boolean][]>;
  incoming: Record<string, [string, string, number[]][]>;
  outgoing: Record<string, string[]>;
};
const files = new Map<string, FileCalls>(Object.keys(expected.defs)
  .map((f) => [f, fileCallsOf(fs.readFileSync(path.join(DIR, f), 'utf8'), undefined, f.endsWith('.h'))]));

const ref = (key: string): { path: string; def: FileCalls['defs'][number] } => {
  const [file, name] = key.split(':');
  const def = files.get(file)!.defs.find((d) => d.name === name);
  assert.ok(def, `${key} not defined`);
  return { path: file, def };
};

describe('call graph of test/fixtures/callgraph', () => {
  for (const [file, defs] of Object.entries(expected.defs)) {
    test(`${file}: definitions, lines and linkage`, () => {
      assert.deepEqual(files.get(file)!.defs.map((d) => [d.name, d.line, d.endLine, d.local]), defs);
    });
  }
  for (const [key, callers] of Object.entries(expected.incoming)) {
    test(`incoming calls of ${key}`, () => {
      const got = incomingCalls(files, ref(key)).map((c) => [c.caller.path, c.caller.def.name, c.sites.map((s) => s.line)]);
      assert.deepEqual(got, callers);
    });
  }
  for (const [key, callees] of Object.entries(expected.outgoing)) {
    test(`outgoing calls of ${key}`, () => {
      const r = ref(key);
      assert.deepEqual(outgoingCalls(files.get(r.path)!, r.def).map((c) => c.name), callees);
    });
  }
  test('a call resolves to the static function of its own file first', () => {
    assert.deepEqual(definitionsOf(files, 'gpu_copy', 'gpu_user.c').map((d) => [d.path, d.def.line]), [['gpu_user.c', 5]]);
    assert.deepEqual(definitionsOf(files, 'gpu_migrate', 'gpu_user.c').map((d) => [d.path, d.def.line]), [['gpu_core.c', 23]]);
    // A static function of another file is not reachable by name.
    assert.deepEqual(definitionsOf(files, 'gpu_page_free', 'gpu_user.c'), []);
  });
  test('call sites carry the callee name\'s column', () => {
    const core = files.get('gpu_core.c')!;
    const line = fs.readFileSync(path.join(DIR, 'gpu_core.c'), 'utf8').split('\n')[27];
    const site = outgoingCalls(core, core.defs[1])[0].sites[0];
    assert.equal(line.slice(site.column, site.column + 'migrate_vma_setup'.length), 'migrate_vma_setup');
  });
});

/** Definitions as name@line-endLine and calls as name@line:column (0-based), for the cases below. */
function shape(text: string): string[] {
  const r = fileCallsOf(text);
  const out = r.defs.map((d) => `${d.name}@${d.line}-${d.endLine}`);
  for (let i = 0; i < r.sites.length; i += 4) out.push(`${r.names[r.sites[i]]}@${r.sites[i + 1]}:${r.sites[i + 2]}`);
  return out;
}

describe('call graph: odd input', () => {
  test('empty text, an unterminated comment or string, stray braces', () => {
    assert.deepEqual(shape(''), []);
    assert.deepEqual(shape('/* never closed\nint f(void) { g(); }'), []);
    assert.deepEqual(shape('int f(void) { "never closed\n\tg();\n}\n'), ['f@1-3', 'g@2:1']);
    assert.deepEqual(shape('}}}} int g(void) { return h(); }'), ['g@1-1', 'h@1:26']);
    assert.deepEqual(shape('{{{{'), []);
    assert.deepEqual(shape('f('), []);
  });
  test('lines stay right after a backslash-newline in a string and an apostrophe in a directive', () => {
    assert.deepEqual(shape('int foo(void)\n{\n\tp("abc\\\ndef");\n\tbar();\n}\n'), ['foo@1-6', 'p@3:1', 'bar@5:1']);
    assert.deepEqual(shape('#if 0\nThis isn\'t code /* x */\n#endif\nint foo(void)\n{\n\tbar();\n}\n'), ['foo@4-7', 'bar@6:1']);
  });
  test('a macro continued with backslash-CRLF is one directive', () => {
    assert.deepEqual(shape('#define MK(n) \\\r\nstatic int n(void) \\\r\n{ return g(); }\r\nint f(void)\r\n{\r\n\th();\r\n}\r\n'),
      ['f@4-7', 'h@6:1']);
  });
  test('a function returning a function pointer is named, not its return type', () => {
    assert.deepEqual(shape('static inline void (*ctor(int shift))(void *)\n{\n\treturn pick(shift);\n}\n'), ['ctor@1-4', 'pick@3:8']);
  });
  test('a global defined in two files: each file\'s calls go to its own', () => {
    const a = fileCallsOf('int helper(void)\n{\n\treturn 0;\n}\nint user_a(void)\n{\n\treturn helper();\n}\n');
    const b = fileCallsOf('int helper(void)\n{\n\treturn 1;\n}\nint user_b(void)\n{\n\treturn helper();\n}\n');
    const graph = new Map([['a.c', a], ['b.c', b]]);
    assert.deepEqual(incomingCalls(graph, { path: 'a.c', def: a.defs[0] }).map((c) => `${c.caller.path}:${c.caller.def.name}`), ['a.c:user_a']);
    assert.deepEqual(definitionsOf(graph, 'helper', 'b.c').map((d) => d.path), ['b.c']);
  });
  test('a definition after unbalanced #ifdef braces is found again (column-0 closing brace)', () => {
    const t = 'void a(void)\n{\n#ifdef X\n\tif (x) {\n#else\n\tif (y) {\n#endif\n\t\tb();\n\t}\n}\n\nvoid c(void)\n{\n\td();\n}\n';
    assert.deepEqual(fileCallsOf(t).defs.map((d) => [d.name, d.line, d.endLine]), [['a', 1, 10], ['c', 12, 15]]);
  });
});
