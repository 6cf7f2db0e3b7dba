// The migration pass of one parsed file: facts for classification (facts.ts) and
// the protocol checks (protocol.ts) of the functions that run a protocol step or
// an hmm_range_fault(). Called by analyse.ts while the tree is alive, and by the
// workspace map, which needs the facts only.
import type { Node } from '../parse/parser';
import { codeOnly } from '../parse/code';
import { buildCfg, declName } from '../flow/cfg';
import { normExpr, rootOf } from '../flow/expr';
import type { Catalogue } from '../locks/table';
import type { LoopMacroNote } from '../parse/mask';
import type { Diagnostic, Unanalysed } from '../model';
import { calleeSummaries, collectFacts, splitCallArgs, type FileFacts, type FunctionSpan } from './facts';
import { checkMirror, checkProtocol } from './protocol';

export interface MigrationPass { facts: FileFacts; diagnostics: Diagnostic[]; unanalysed: Unanalysed[] }


/** Where each function definition starts and ends, its name, linkage and parameters. */
export function spansOf(fns: Node[], maskText: string, header: boolean): FunctionSpan[] {
  return fns.map((fn) => {
    const body = fn.childForFieldName('body');
    const decl = fn.childForFieldName('declarator');
    return {
      name: declName(decl) ?? '<anonymous>',
      startLine: fn.startPosition.row + 1,
      endLine: fn.endPosition.row + 1,
      start: fn.startIndex,
      end: fn.endIndex,
      bodyStart: body?.startIndex ?? fn.endIndex,
      fileLocal: !header && /\bstatic\b/.test(maskText.slice(fn.startIndex, body?.startIndex ?? fn.endIndex)),
      params: paramsOf(decl),
    };
  });
}

function paramsOf(decl: Node | null): string[] {
  let cur = decl;
  for (let i = 0; cur && i < 6 && cur.type !== 'function_declarator'; i++) cur = cur.childForFieldName('declarator');
  const list = cur?.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren.filter((c): c is Node => c !== null && c.type === 'parameter_declaration')
    .map((p) => declName(p.childForFieldName('declarator')) ?? '');
}

export interface PassInput {
  path: string;
  text: string;
  maskText: string;
  fns: Node[];
  spans: FunctionSpan[];
  lineOf: (offset: number) => number;
  catalogue: Catalogue;
  loopMacros: Map<number, LoopMacroNote>;
  /** Calls per function from the file's reference scan, for files with no migration word. */
  callsOf: (span: FunctionSpan) => { name: string; line: number }[];
  /** Lock keys that may be held at a call, from the lock analysis of that function. */
  heldAt?: (fnStartLine: number, line: number, callee: string) => string[] | undefined;
  /** Facts only (the workspace map): no protocol check. */
  factsOnly?: boolean;
}

export function migrationPass(input: PassInput): MigrationPass {
  const { path, spans } = input;
  const mig = input.catalogue.migration;
  if (!mig.mention.test(input.text)) {
    // Nothing catalogued here: every function is `none` unless another file registers it.
    const functions = spans.map((s) => ({
      name: s.name, startLine: s.startLine, endLine: s.endLine, fileLocal: s.fileLocal, params: s.params,
      uses: [], calls: input.callsOf(s), arrays: [], opsUsed: [], alwaysZero: false, pageish: false,
    }));
    return { facts: { path, functions, registrations: [] }, diagnostics: [], unanalysed: [] };
  }
  const code = codeOnly(input.maskText);
  const facts = collectFacts(path, code, spans, input.lineOf, mig);
  const diagnostics: Diagnostic[] = [];
  const unanalysed: Unanalysed[] = [];
  if (input.factsOnly || !mig.checked.test(code)) return { facts, diagnostics, unanalysed };
  const zero = new Map(facts.functions.map((f) => [f.name, f.alwaysZero]));
  const callees = calleeSummaries(code, spans, mig.calleeVerbs, (n) => zero.get(n) ?? false);
  input.fns.forEach((fn, i) => {
    const span = spans[i];
    if (!mig.checked.test(code.slice(span.bodyStart, span.end))) return;
    if (fn.hasError) {
      unanalysed.push({ startLine: span.startLine, endLine: span.endLine, reason: `${span.name}(): migration protocol not checked: parse error` });
      return;
    }
    try {
      const cfg = buildCfg({ fn, catalogue: input.catalogue, loopMacros: input.loopMacros });
      const heldAt = input.heldAt ? (line: number, callee: string) => input.heldAt!(span.startLine, line, callee) : undefined;
      const indirect = pointerCallRoots(code.slice(span.bodyStart, span.end));
      const r = checkProtocol({ cfg, name: span.name, catalogue: mig, callees, heldAt, indirect });
      if (r.overBudget) unanalysed.push({ startLine: span.startLine, endLine: span.endLine, reason: `${span.name}(): ${r.overBudget}` });
      diagnostics.push(...r.diagnostics, ...checkMirror({ cfg, name: span.name, catalogue: mig, callees, heldAt }));
    } catch (e) {
      unanalysed.push({ startLine: span.startLine, endLine: span.endLine, reason: `${span.name}(): migration protocol not checked: internal error (${(e as Error).message})` });
    }
  });
  return { facts, diagnostics, unanalysed };
}

/**
 * Roots of the arguments of calls through a pointer (`c->ops->migrate(&args)`, `(*fn)(job)`):
 * the CFG names no callee there, so what they are given is taken as handed on.
 */
function pointerCallRoots(body: string): Set<string> {
  const out = new Set<string>();
  // `->f(…)`, `.f(…)` and `(*f)(…)`; not `(type *)(x)`, a cast.
  for (const m of body.matchAll(/(?:->|\.)\s*\w+\s*\(|\(\s*\*\s*\w+\s*\)\s*\(/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    for (const a of splitCallArgs(body, open)) {
      const root = rootOf(normExpr(a));
      if (root) out.add(root);
    }
  }
  return out;
}
