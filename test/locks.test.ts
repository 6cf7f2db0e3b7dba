// Runs every fixture under test/fixtures/locks/ and compares the analysis,
// function by function, with <name>.expected.json: where each function is,
// its lock pairs (lock, kind, acquire line, release lines) and its findings
// (rule, line, function). Missing and extra entries both fail.
//
// A case whose expectation the tool does not meet yet carries "knownGap" (the
// reason) and optionally "gapIn" (which parts: lines, pairs, diagnostics); it
// still runs, as a TODO, so its output shows what is wrong without failing.
import { test, describe, before, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis } from '../src/core/model';
import { RULES } from '../src/core/rules';
import {
  analyseText, fixtureFiles, readExpected, compactPair, compactDiag, diffPairs, diffDiags, describeDiff,
  type ExpectedFunction, type ExpectedFile, type GapPart,
} from './helpers/load';

const RULE_IDS = RULES.map((r) => r.id);

function checkShape(file: string, fns: ExpectedFunction[]): void {
  const seen = new Set<string>();
  for (const f of fns) {
    assert.equal(typeof f.name, 'string', `${file}: a function has no name`);
    assert.ok(!seen.has(f.name), `${file}: ${f.name} is listed twice`);
    seen.add(f.name);
    assert.ok(Array.isArray(f.lines) && f.lines.length === 2 && f.lines[0] <= f.lines[1], `${file}: ${f.name}: bad "lines"`);
    assert.ok(Array.isArray(f.lockPairs), `${file}: ${f.name}: "lockPairs" must be an array`);
    for (const p of f.lockPairs) {
      assert.ok(typeof p.lock === 'string' && typeof p.kind === 'string', `${file}: ${f.name}: a pair needs lock and kind`);
      assert.ok(p.acquire === null || Number.isInteger(p.acquire), `${file}: ${f.name}: pair acquire must be a line or null`);
      assert.ok(Array.isArray(p.releases) && p.releases.every(Number.isInteger), `${file}: ${f.name}: pair releases must be lines`);
    }
    assert.ok(Array.isArray(f.diagnostics), `${file}: ${f.name}: "diagnostics" must be an array`);
    for (const d of f.diagnostics) {
      assert.ok(RULE_IDS.includes(d.ruleId), `${file}: ${f.name}: unknown rule ${d.ruleId}`);
      assert.equal(d.function, f.name, `${file}: ${f.name}: a diagnostic names function ${d.function}`);
      assert.ok(d.line >= f.lines[0] && d.line <= f.lines[1], `${file}: ${f.name}: diagnostic line ${d.line} is outside the function`);
    }
    if (f.gapIn) assert.ok(f.knownGap, `${file}: ${f.name}: "gapIn" without "knownGap"`);
    if (f.knownGap !== undefined) assert.ok(f.knownGap.length > 10, `${file}: ${f.name}: "knownGap" must say why`);
  }
}

/** Test options for one part of one function: a TODO with the gap's reason when the part is a known gap. */
function partOptions(f: ExpectedFunction, part: GapPart): { todo?: string } {
  if (!f.knownGap) return {};
  if (f.gapIn && !f.gapIn.includes(part)) return {};
  return { todo: `known gap: ${f.knownGap}` };
}

/** A TODO case that now passes: say so, so that its marker gets removed. */
function gapFixed(t: TestContext, f: ExpectedFunction, part: GapPart): void {
  if (partOptions(f, part).todo) t.diagnostic(`known gap no longer reproduces: remove "knownGap"/"gapIn" (${part}) from ${f.name}`);
}

const files = fixtureFiles();

test('there are fixtures, each with an expected file', () => {
  assert.ok(files.length >= 7, `only ${files.length} fixtures`);
  for (const f of files) {
    assert.ok(fs.existsSync(f.replace(/\.c$/, '.expected.json')), `${path.basename(f)} has no .expected.json`);
  }
});

for (const file of files) {
  const base = path.basename(file);
  let expected: ExpectedFile;
  try {
    expected = readExpected(file);
  } catch (e) {
    test(`${base}: expected file can be read`, () => { assert.fail((e as Error).message); });
    continue;
  }

  describe(base, () => {
    let analysis: FileAnalysis;
    before(async () => {
      analysis = await analyseText(base, fs.readFileSync(file, 'utf8'));
    });

    test('expected file is well formed', () => {
      assert.equal(expected.file, base);
      assert.ok(expected.functions.length > 0);
      checkShape(base, expected.functions);
    });

    test('every region was analysed', () => {
      assert.deepEqual(analysis.unanalysed, []);
      for (const fn of analysis.functions) assert.equal(fn.notAnalysed, undefined, `${fn.name}: ${fn.notAnalysed}`);
    });

    test('no function is found that is not expected', () => {
      const names = new Set(expected.functions.map((f) => f.name));
      const extra = analysis.functions.map((f) => f.name).filter((n) => !names.has(n));
      assert.deepEqual(extra, [], `unexpected functions: ${extra.join(', ')}`);
    });

    test('every finding is in an expected function', () => {
      const names = new Set(expected.functions.map((f) => f.name));
      const stray = analysis.diagnostics.filter((d) => !names.has(d.function)).map((d) => `${d.ruleId}@${d.line} in "${d.function}"`);
      assert.deepEqual(stray, []);
    });

    for (const fx of expected.functions) {
      const actualFn = () => {
        const found = analysis.functions.filter((f) => f.name === fx.name);
        assert.equal(found.length, 1, `${fx.name}() found ${found.length} times`);
        return found[0];
      };

      test(`${fx.name}: found at lines ${fx.lines[0]}-${fx.lines[1]}`, partOptions(fx, 'lines'), (t) => {
        const fn = actualFn();
        assert.deepEqual([fn.startLine, fn.endLine], fx.lines);
        gapFixed(t, fx, 'lines');
      });

      test(`${fx.name}: lock pairs`, partOptions(fx, 'pairs'), (t) => {
        const fn = actualFn();
        const msg = describeDiff(`${fx.name}() lock pairs`, diffPairs(fx.lockPairs, fn.lockPairs.map(compactPair)));
        assert.ok(!msg, msg);
        gapFixed(t, fx, 'pairs');
      });

      test(`${fx.name}: diagnostics`, partOptions(fx, 'diagnostics'), (t) => {
        actualFn();
        const got = analysis.diagnostics.filter((d) => d.function === fx.name).map(compactDiag);
        const msg = describeDiff(`${fx.name}() diagnostics`, diffDiags(fx.diagnostics, got));
        assert.ok(!msg, msg);
        gapFixed(t, fx, 'diagnostics');
      });
    }
  });
}
