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
const files = new Map<string, FileCalls>(Object.keys(expected.defs).map((f) => [f, fileCallsOf(fs.readFileSync(path.join(DIR, f), 'utf8'))]));

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

describe('call graph: odd input', () => {
  test('empty text, an unterminated comment or string, stray braces', () => {
    for (const t of ['', '/* never closed', 'int f(void) { "never closed', '}}}} int g(void) { return h(); }', '{{{{', 'f(']) {
      const r = fileCallsOf(t);
      assert.ok(Array.isArray(r.defs) && r.sites.length % 4 === 0);
    }
    assert.deepEqual(fileCallsOf('}}}} int g(void) { return h(); }').defs.map((d) => d.name), ['g']);
  });
  test('a definition after unbalanced #ifdef braces is found again (column-0 closing brace)', () => {
    const t = 'void a(void)\n{\n#ifdef X\n\tif (x) {\n#else\n\tif (y) {\n#endif\n\t\tb();\n\t}\n}\n\nvoid c(void)\n{\n\td();\n}\n';
    assert.deepEqual(fileCallsOf(t).defs.map((d) => [d.name, d.line, d.endLine]), [['a', 1, 10], ['c', 12, 15]]);
  });
});
