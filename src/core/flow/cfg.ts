// Control-flow graph of one C function, built from the tree-sitter tree.
//
// The graph is plain data (no tree-sitter nodes), so the tree can be deleted
// as soon as the graph exists. Nodes carry the events the lock analysis needs,
// in evaluation order. It is built in continuation style: each statement is
// built knowing its successor, so gotos, breaks and scope-bound guards resolve
// without a second pass.
//
// Invariants:
//  - node 0 is ENTRY, node 1 is EXIT; every `return` goes through a RETURN node.
//  - a BRANCH node has succ [whenTrue, whenFalse]; every other node has 0..n succ.
//  - `#if/#ifdef` inside a body is a BRANCH on the directive's text, so two blocks
//    under the same condition are correlated like `if (x) … if (x) …`.
//  - guard()/scoped_guard() releases are explicit events on every edge leaving the scope.
import type { Node } from '../parse/parser';
import type { LockVerb, GuardClass } from '../locks/catalogue';
import type { Catalogue } from '../locks/table';
import type { LoopMacroNote } from '../parse/mask';
import { SCALAR_TYPE, normExpr, varsOf, constClass, oneLine, type ValueClass } from './expr';

export interface Site { line: number; column: number; text: string }

export type Event =
  | { t: 'lock'; verb: LockVerb; key: string; expr: string; site: Site; resultVar?: string; aliases?: string[]; inReturn: boolean;
      /** A `*_irqrestore` release's flags argument (LockVerb.restoresFlags). */
      flags?: string }
  | { t: 'guard'; op: 'acquire' | 'release'; cls: GuardClass; key: string; expr: string; site: Site }
  | { t: 'assign'; target: string; value: ValueClass | 'unknown' | 'uninit' | 'step'; rhs?: string; line: number;
      /** An iterator macro's turn: it assigns cursors, and leaves what they point into alone. */
      iter?: boolean }
  | { t: 'call'; name: string; args: string[]; addrOf: string[]; line: number;
      /** The callee takes over locks of this domain (all of them, or the one named by `expr`). */
      consumes?: { domain: string; expr?: string; also?: string[] };
      /** The callee keeps nothing it is given (a test, a read, a plain accessor, a call given one object): a locked object stays unparked. */
      readOnly?: boolean };

/** A branch condition after &&, ||, ! and likely() have been turned into edges. */
export interface Atom {
  /** Normalised text: key of the fact this test establishes. */
  key: string;
  /** When the test is about one value: `v`, `v == 0`, `v < 0`, `IS_ERR(v)`. */
  subject?: string;
  op?: 'truthy' | '==0' | '!=0' | '<0' | '>=0' | '>0' | '<=0' | 'IS_ERR' | 'IS_ERR_OR_NULL';
  /** Variables read: a fact dies when one is assigned. */
  vars: string[];
  /** No fact is kept (iterator loop conditions). */
  opaque?: boolean;
  /** The key is the `==` form of an `a != b` test: the test's value is the fact negated. */
  invert?: boolean;
}

export interface ReturnInfo { text: string; vars: string[]; value?: ValueClass; hasLockCall: boolean }

export interface CfgNode {
  id: number;
  kind: 'entry' | 'exit' | 'stmt' | 'branch' | 'return' | 'dead';
  line: number;
  column: number;
  events: Event[];
  succ: number[];
  atom?: Atom;
  ret?: ReturnInfo;
  /** Text recorded on the path when control passes here (`if (!ptep)`, `goto out`). */
  step?: string;
  /** Branch only: the statement's condition is the atom negated (`if (!ptep)`). */
  negated?: boolean;
  /** Branch only: the atom is one part of an && / || condition; its text, for messages. */
  part?: string;
  /** Branch only: lock keys released early in the true arm and in the false arm. */
  armReleases?: [string[], string[]];
  /** Branch only: part of a while/for/do loop's own exit test, which every turn re-tests by design. */
  loopTest?: boolean;
}

export interface Cfg {
  nodes: CfgNode[];
  params: string[];
  locals: Set<string>;
  /** Every variable some branch tests: a lock helper's result that is never tested is taken as success. */
  tested: Set<string>;
  /** Variables assigned a value that says "returned locked" (`ret = VM_FAULT_LOCKED`). */
  lockedVars: Set<string>;
  /** Locals that are objects on this function's stack (`struct mmu_notifier_range range;`, `XA_STATE(xas, …)`). */
  stackObjects: Set<string>;
  /** Variables set by a call that may hand back a locked object (`f = get_locked(…)`, `get_it(&f)`). */
  fromCalls: Set<string>;
  /** Declared type of each parameter and local (`struct zs_pool *pool` → `zs_pool`). */
  types: Map<string, string>;
  /** Locals declared `static`. */
  staticLocals: Set<string>;
  /** Parameters and locals declared as pointers or arrays (`types` holds only their base type). */
  pointers: Set<string>;
  /** The body has inline assembly (its outputs write variables no event shows). */
  hasAsm: boolean;
}

interface GuardScope { cls: GuardClass; key: string; expr: string; site: Site; block: number }

interface Ctx {
  breakTo?: number;
  continueTo?: number;
  guards: GuardScope[];
  breakDepth: number;
  continueDepth: number;
}

const ENTRY = 0;
export const EXIT = 1;

export interface BuildInput {
  fn: Node;
  catalogue: Catalogue;
  loopMacros: Map<number, LoopMacroNote>;
}

export function buildCfg(input: BuildInput): Cfg {
  return new Builder(input).build();
}

class Builder {
  private nodes: CfgNode[] = [];
  private labels = new Map<string, number>();
  private labelNodes = new Map<string, Node>();
  private synth = 0;
  readonly params: string[] = [];
  readonly locals = new Set<string>();
  private readonly lockedVars = new Set<string>();
  private readonly stackObjects = new Set<string>();
  private readonly fromCalls = new Set<string>();
  private readonly types = new Map<string, string>();
  /** Names declared as pointers or arrays (`types` keeps only the base type: `mempool_t *pool` is "mempool_t"). */
  private readonly pointers = new Set<string>();
  /** Locals declared `static`: they keep their value from one call to the next. */
  private readonly staticLocals = new Set<string>();
  /** The body has inline assembly, whose outputs write variables no event shows. */
  private hasAsm = false;
  /** `struct mm_struct *mm = current->mm;` never reassigned: lock keys use `current->mm`. */
  private readonly initFrom = new Map<string, string>();
  private readonly assignCount = new Map<string, number>();

  constructor(private readonly input: BuildInput) {}

  build(): Cfg {
    const fn = this.input.fn;
    const body = fn.childForFieldName('body');
    this.node('entry', fn);
    const exit = this.node('exit', body ?? fn);
    exit.line = (body ?? fn).endPosition.row + 1;
    this.collectParams(fn.childForFieldName('declarator'));
    if (body) {
      this.collectLabels(body);
      const end = this.returnNode(body, undefined, true);
      this.nodes[ENTRY].succ = [this.stmt(body, end, { guards: [], breakDepth: 0, continueDepth: 0 })];
    } else {
      this.nodes[ENTRY].succ = [EXIT];
    }
    this.canonicaliseLockKeys();
    const tested = new Set<string>();
    for (const n of this.nodes) {
      if (n.atom?.subject) tested.add(n.atom.subject);
      for (const v of n.atom?.vars ?? []) tested.add(v);
      // `if (!(ret & VM_FAULT_LOCKED))`: ret carries "returned locked".
      if (n.atom && /\bVM_FAULT_LOCKED\b/.test(n.atom.key)) for (const v of n.atom.vars) this.lockedVars.add(v);
    }
    // `start_pte = pte;` then `if (!start_pte)`: testing the copy tests the original.
    for (let round = 0; round < 2; round++) {
      for (const n of this.nodes) {
        for (const e of n.events) if (e.t === 'assign' && e.rhs && tested.has(e.target) && /^[A-Za-z_]\w*$/.test(e.rhs)) tested.add(e.rhs);
      }
    }
    for (const n of this.nodes) if (n.kind === 'branch') n.armReleases = [this.armReleases(n.succ[0]), this.armReleases(n.succ[1])];
    return { nodes: this.nodes, params: this.params, locals: this.locals, tested, lockedVars: this.lockedVars,
      stackObjects: this.stackObjects, fromCalls: this.fromCalls, types: this.types,
      staticLocals: this.staticLocals, hasAsm: this.hasAsm, pointers: this.pointers };
  }

  private canonicaliseLockKeys(): void {
    const alias = new Map<string, string>();
    for (const [v, rhs] of this.initFrom) if ((this.assignCount.get(v) ?? 0) === 1) alias.set(v, rhs);
    if (alias.size === 0) return;
    for (const n of this.nodes) {
      for (const e of n.events) {
        if (e.t !== 'lock' && e.t !== 'guard') continue;
        const root = /^[A-Za-z_]\w*/.exec(e.key.slice(e.key.indexOf(':') + 1))?.[0];
        const to = root ? alias.get(root) : undefined;
        if (root && to) {
          const expr = e.key.slice(e.key.indexOf(':') + 1);
          e.key = `${e.key.slice(0, e.key.indexOf(':'))}:${to}${expr.slice(root.length)}`;
        }
      }
    }
  }

  /** Lock keys released within the first straight-line nodes from `start` (an arm of a branch). */
  private armReleases(start: number): string[] {
    const out: string[] = [];
    let id = start;
    for (let i = 0; i < 8; i++) {
      const n = this.nodes[id];
      if (!n || n.kind !== 'stmt') break;
      for (const e of n.events) if (e.t === 'lock' && e.verb.op === 'release') out.push(e.key);
      if (n.succ.length !== 1) break;
      id = n.succ[0];
    }
    return out;
  }

  // ---- nodes ---------------------------------------------------------------

  private node(kind: CfgNode['kind'], at: Node, events: Event[] = [], succ: number[] = []): CfgNode {
    const n: CfgNode = {
      id: this.nodes.length, kind, line: at.startPosition.row + 1, column: at.startPosition.column + 1, events, succ,
    };
    this.nodes.push(n);
    return n;
  }

  private seq(at: Node, events: Event[], next: number, step?: string): number {
    if (events.length === 0 && !step) return next;
    const n = this.node('stmt', at, events, [next]);
    if (step) n.step = step;
    return n.id;
  }

  private returnNode(at: Node, expr: Node | undefined, fallOff: boolean): number {
    const n = this.node('return', at, [], [EXIT]);
    if (fallOff) { n.line = at.endPosition.row + 1; n.column = at.endPosition.column; n.step = 'end of function'; }
    if (expr) {
      const text = expr.text;
      n.ret = { text: oneLine(text), vars: varsOf(text), value: constClass(text), hasLockCall: false };
      n.step = `return ${oneLine(text, 60)}`;
    } else if (!fallOff) {
      n.step = 'return';
    }
    return n.id;
  }

  // ---- declarations --------------------------------------------------------

  private collectParams(decl: Node | null): void {
    let d = decl;
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const list = d?.childForFieldName('parameters');
    if (!list) return;
    for (const p of list.namedChildren) {
      if (!p || p.type !== 'parameter_declaration') continue;
      const decl = p.childForFieldName('declarator');
      const name = declName(decl);
      if (name) this.params.push(name);
      this.noteType(name, p.childForFieldName('type'));
      if (name && decl && decl.type !== 'identifier') this.pointers.add(name);
    }
  }

  private noteType(name: string | undefined, type: Node | null): void {
    if (name && type) this.types.set(name, type.text.replace(/^(struct|union)\s+/, '').replace(/\s+/g, ' '));
  }

  /**
   * Labels, and the declared type of every local, noted here once for the whole build: statements
   * are built from the last to the first, so a call's arguments are met before their declarations
   * (plainValue needs the types). A local's first declaration wins, over a parameter of its name too.
   */
  private collectLabels(body: Node): void {
    const typed = new Set<string>();
    const walk = (n: Node): void => {
      if (n.type === 'labeled_statement') {
        const l = n.childForFieldName('label');
        if (l) this.labelNodes.set(l.text, n);
      } else if (n.type === 'declaration') {
        const type = n.childForFieldName('type');
        const isStatic = n.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
        for (const c of n.namedChildren) {
          const decl = c?.type === 'init_declarator' ? c.childForFieldName('declarator')
            : c?.type === 'identifier' || c?.type === 'pointer_declarator' || c?.type === 'array_declarator' ? c : null;
          const name = declName(decl);
          if (!decl || !name) continue;
          if (!typed.has(name)) { typed.add(name); this.noteType(name, type); }
          if (decl.type !== 'identifier') this.pointers.add(name);
          if (isStatic) this.staticLocals.add(name);
        }
      } else if (n.type === 'gnu_asm_expression' || n.type === 'asm_statement') {
        this.hasAsm = true;
      }
      for (const c of n.namedChildren) if (c && c.type !== 'function_definition') walk(c);
    };
    walk(body);
  }

  private labelEntry(name: string): number {
    let id = this.labels.get(name);
    if (id === undefined) {
      const at = this.labelNodes.get(name) ?? this.input.fn;
      const n = this.node('stmt', at, [], []);
      n.step = `label ${name}:`;
      id = n.id;
      this.labels.set(name, id);
      // A goto to a label that does not exist in this function: treat as leaving.
      if (!this.labelNodes.has(name)) n.succ = [EXIT];
    }
    return id;
  }

  // ---- statements ----------------------------------------------------------

  private stmt(s: Node, next: number, ctx: Ctx): number {
    switch (s.type) {
      case 'compound_statement': return this.block(s, s.namedChildren, next, ctx);
      case 'expression_statement': return this.exprStmt(s, next);
      case 'declaration': return this.seq(s, this.declEvents(s), next);
      case 'if_statement': {
        const cond = s.childForFieldName('condition');
        const cons = s.childForFieldName('consequence');
        const alt = s.childForFieldName('alternative');
        const thenEntry = cons ? this.stmt(cons, next, ctx) : next;
        const altStmt = alt?.namedChildren.find((c) => c !== null) ?? null;
        const elseEntry = altStmt ? this.stmt(altStmt, next, ctx) : next;
        return cond ? this.cond(cond, thenEntry, elseEntry, `if ${oneLine(cond.text, 70)}`) : thenEntry;
      }
      case 'while_statement': return this.whileStmt(s, next, ctx);
      case 'do_statement': {
        const head = this.node('stmt', s);
        const cond = s.childForFieldName('condition');
        const condEntry = cond ? this.loopCond(() => this.cond(cond, head.id, next, `while ${oneLine(cond.text, 60)}`)) : next;
        const body = s.childForFieldName('body');
        const loopCtx = this.loopCtx(ctx, next, condEntry);
        head.succ = [body ? this.stmt(body, condEntry, loopCtx) : condEntry];
        return head.id;
      }
      case 'for_statement': {
        const head = this.node('stmt', s);
        const update = s.childForFieldName('update');
        const updEntry = this.seq(s, update ? this.events(update) : [], head.id);
        const body = s.childForFieldName('body');
        const bodyEntry = body ? this.stmt(body, updEntry, this.loopCtx(ctx, next, updEntry)) : updEntry;
        const cond = s.childForFieldName('condition');
        head.succ = [cond ? this.loopCond(() => this.cond(cond, bodyEntry, next, `for (${oneLine(cond.text, 60)})`)) : bodyEntry];
        const init = s.childForFieldName('initializer');
        const initEvents = !init ? [] : init.type === 'declaration' ? this.declEvents(init) : this.events(init);
        return this.seq(s, initEvents, head.id);
      }
      case 'switch_statement': return this.switchStmt(s, next, ctx);
      case 'case_statement': return this.block(s, caseBody(s), next, ctx);
      case 'break_statement':
        return this.jump(s, ctx.breakTo ?? next, ctx.guards.slice(ctx.breakDepth), 'break');
      case 'continue_statement':
        return this.jump(s, ctx.continueTo ?? next, ctx.guards.slice(ctx.continueDepth), 'continue');
      case 'return_statement': {
        const expr = s.namedChildren.find((c) => c !== null) ?? undefined;
        const raw = expr ? this.rawEvents(expr) : [];
        const evs = named(raw);
        for (const e of evs) if (e.t === 'lock') e.inReturn = true;
        const ret = this.returnNode(s, expr, false);
        if (expr) this.nodes[ret].ret!.hasLockCall = raw.some((e) => e.t === 'lock');
        const rel = this.releaseChain(s, ctx.guards, ret);
        return this.seq(s, evs, rel);
      }
      case 'goto_statement': {
        const label = s.childForFieldName('label')?.text ?? '';
        const target = this.labelEntry(label);
        const enclosing = this.enclosingBlocks(this.labelNodes.get(label));
        const leaving = ctx.guards.filter((g) => !enclosing.has(g.block));
        return this.jump(s, target, leaving, `goto ${label}`);
      }
      case 'labeled_statement': {
        const name = s.childForFieldName('label')?.text ?? '';
        const entry = this.labelEntry(name);
        const inner = s.namedChildren.filter((c): c is Node => c !== null && c.type !== 'statement_identifier');
        this.nodes[entry].succ = [inner.length ? this.block(s, inner, next, ctx, false) : next];
        return entry;
      }
      case 'attributed_statement': {
        const inner = s.namedChildren.filter((c): c is Node => c !== null && c.type !== 'attribute_declaration');
        return this.block(s, inner, next, ctx, false);
      }
      case 'preproc_if': case 'preproc_ifdef': case 'preproc_elif': case 'preproc_elifdef': case 'preproc_else':
        return this.preproc(s, next, ctx);
      case 'comment': case 'preproc_def': case 'preproc_function_def': case 'preproc_call': case 'preproc_include':
      case 'type_definition': case 'struct_specifier': case 'enum_specifier': case 'union_specifier':
        return next;
      default:
        return this.seq(s, this.events(s), next);
    }
  }

  private loopCtx(ctx: Ctx, breakTo: number, continueTo: number): Ctx {
    return { ...ctx, breakTo, continueTo, breakDepth: ctx.guards.length, continueDepth: ctx.guards.length };
  }

  private jump(at: Node, target: number, leaving: GuardScope[], step: string): number {
    const n = this.node('stmt', at, [], [this.releaseChain(at, leaving, target)]);
    n.step = step;
    return n.id;
  }

  /** Releases for guards (innermost first) before continuing to `next`. */
  private releaseChain(at: Node, guards: GuardScope[], next: number): number {
    let cur = next;
    for (const g of guards) {
      const site: Site = { line: at.startPosition.row + 1, column: at.startPosition.column + 1, text: 'end of guard scope' };
      cur = this.node('stmt', at, [{ t: 'guard', op: 'release', cls: g.cls, key: g.key, expr: g.expr, site }], [cur]).id;
    }
    return cur;
  }

  private enclosingBlocks(n: Node | undefined): Set<number> {
    const out = new Set<number>();
    for (let p = n?.parent ?? null; p; p = p.parent) out.add(p.startIndex);
    return out;
  }

  /** A statement list; guard(...) statements hold their lock until the list ends. */
  private block(at: Node, children: (Node | null)[], next: number, ctx: Ctx, scope = true): number {
    const stmts = children.filter((c): c is Node => c !== null && c.type !== 'comment');
    const guards: (GuardScope | undefined)[] = stmts.map((s) => (scope ? this.guardOf(s, at.startIndex) : undefined));
    const blockGuards = guards.filter((g): g is GuardScope => g !== undefined);
    const endNode = scope && at.type === 'compound_statement' ? at.lastChild ?? at : at;
    let cur = blockGuards.length ? this.releaseChain(endNode, [...blockGuards].reverse(), next) : next;
    for (let j = stmts.length - 1; j >= 0; j--) {
      const active = guards.slice(0, j).filter((g): g is GuardScope => g !== undefined).reverse();
      const g = guards[j];
      if (g) {
        cur = this.node('stmt', stmts[j], [{ t: 'guard', op: 'acquire', cls: g.cls, key: g.key, expr: g.expr, site: g.site }], [cur]).id;
      } else {
        cur = this.stmt(stmts[j], cur, { ...ctx, guards: [...active, ...ctx.guards] });
      }
    }
    return cur;
  }

  private guardOf(s: Node, block: number): GuardScope | undefined {
    if (s.type !== 'expression_statement') return undefined;
    const call = s.namedChildren[0];
    if (!call || call.type !== 'call_expression') return undefined;
    const inner = call.childForFieldName('function');
    if (!inner || inner.type !== 'call_expression') return undefined;
    if (inner.childForFieldName('function')?.text !== 'guard') return undefined;
    const clsName = inner.childForFieldName('arguments')?.namedChildren[0]?.text ?? '';
    const cls = this.input.catalogue.guards.get(clsName);
    if (!cls) return undefined;
    const arg = call.childForFieldName('arguments')?.namedChildren[0];
    const expr = cls.global ?? normExpr(arg?.text ?? '');
    return { cls, key: `${cls.domain}:${expr}`, expr, site: siteOf(s), block };
  }

  /**
   * `pte = (mm == &init_mm) ? pte_offset_kernel(…) : pte_offset_map_lock(…)`: a lock call in
   * one arm of ?: becomes a real branch, so `if (mm != &init_mm) pte_unmap_unlock(…)` correlates.
   */
  private ternaryAssign(target: string, value: Node, next: number, aliases: string[] = []): number | undefined {
    const v = stripParens(value);
    if (v.type !== 'conditional_expression') return undefined;
    const c = v.childForFieldName('condition');
    const a = v.childForFieldName('consequence');
    const b = v.childForFieldName('alternative');
    if (!c || !a || !b || !this.input.catalogue.mention.test(v.text)) return undefined;
    const arm = (x: Node): number => {
      const out: Event[] = [];
      this.assignInto(out, target, x, '=');
      for (const ev of out) if (ev.t === 'lock' && ev.resultVar === target) (ev.aliases ??= []).push(...aliases);
      return this.seq(x, named(out), next);
    };
    return this.cond(c, arm(a), arm(b), `${oneLine(c.text, 60)} ?`);
  }

  private exprStmt(s: Node, next: number): number {
    const e = s.namedChildren[0];
    if (!e) return next;
    const macro = /^([A-Z][A-Z0-9_]*)\s*\(\s*([A-Za-z_]\w*)\s*[,)]/.exec(s.text);
    if (macro && /STATE|ITERATOR|WALK|DEFINE|HEAD/.test(macro[1])) { this.stackObjects.add(macro[2]); this.locals.add(macro[2]); }
    if (e.type === 'assignment_expression' && e.childForFieldName('operator')?.text === '=') {
      // `a = b = c ? x : lock(…)`: peel the chain, build the ?: as a branch, then the outer copies.
      const targets: string[] = [];
      let cur: Node | null = e;
      while (cur && cur.type === 'assignment_expression' && cur.childForFieldName('operator')?.text === '=') {
        targets.push(normExpr(cur.childForFieldName('left')?.text ?? ''));
        cur = stripParens(cur.childForFieldName('right') ?? cur);
      }
      const inner = targets[targets.length - 1];
      const copies: Event[] = targets.slice(0, -1).reverse().map((t) => ({
        t: 'assign', target: t, value: 'unknown', rhs: inner, line: e.startPosition.row + 1,
      }));
      const built = cur ? this.ternaryAssign(inner, cur, this.seq(s, copies, next), targets.slice(0, -1)) : undefined;
      if (built !== undefined) return built;
    }
    if (e.type === 'call_expression') {
      const name = e.childForFieldName('function')?.text ?? '';
      if (this.input.catalogue.noreturn.has(name)) {
        const evs = this.events(e.childForFieldName('arguments') ?? e);
        const dead = this.node('dead', s);
        dead.step = `${name}() does not return`;
        return this.seq(s, evs, dead.id);
      }
      if (this.input.catalogue.noreturnIfTrue.has(name)) {
        const arg = e.childForFieldName('arguments')?.namedChildren[0];
        if (arg) {
          const dead = this.node('dead', s);
          dead.step = `${name}() does not return`;
          return this.cond(arg, dead.id, next, `${name}(${oneLine(arg.text, 50)})`);
        }
      }
    }
    return this.seq(s, this.events(e), next);
  }

  private whileStmt(s: Node, next: number, ctx: Ctx): number {
    const macro = this.input.loopMacros.get(s.startIndex);
    const body = s.childForFieldName('body');
    if (macro && (macro.name === 'scoped_guard' || macro.name === 'scoped_cond_guard')) {
      const cls = this.input.catalogue.guards.get(macro.args[0] ?? '');
      const lockArg = macro.name === 'scoped_guard' ? macro.args[1] : macro.args[2];
      if (!cls) return body ? this.stmt(body, next, ctx) : next;
      const expr = cls.global ?? normExpr(lockArg ?? '');
      const g: GuardScope = { cls, key: `${cls.domain}:${expr}`, expr, site: siteOf(s), block: s.startIndex };
      const after = this.releaseChain(body?.type === 'compound_statement' ? body.lastChild ?? body : body ?? s, [g], next);
      const inner: Ctx = { ...ctx, guards: [g, ...ctx.guards], breakTo: after, breakDepth: ctx.guards.length + 1,
        continueTo: after, continueDepth: ctx.guards.length + 1 };
      const bodyEntry = body ? this.stmt(body, after, inner) : after;
      const acq = this.node('stmt', s, [{ t: 'guard', op: 'acquire', cls, key: g.key, expr, site: g.site }], [bodyEntry]);
      if (macro.name === 'scoped_cond_guard') {
        return this.branch(s, { key: `$scoped${this.synth++}`, vars: [], opaque: true }, acq.id, next, 'scoped_cond_guard');
      }
      return acq.id;
    }
    const head = this.node('stmt', s);
    const bodyEntry = body ? this.stmt(body, head.id, this.loopCtx(ctx, next, head.id)) : head.id;
    const cond = s.childForFieldName('condition');
    if (macro) {
      // Iterator macro: each turn assigns the cursor arguments; the exit test is unknown.
      const inPlace = this.input.catalogue.inPlaceIterators.test(macro.name);
      const kills: Event[] = macro.args.filter((a, i) => /^[A-Za-z_]\w*$/.test(a) && !(inPlace && i === 0))
        .map((a) => ({ t: 'assign', target: a, value: 'unknown', line: s.startPosition.row + 1, iter: true }));
      const br = this.branch(s, { key: `$loop${this.synth++}`, vars: [], opaque: true }, bodyEntry, next, `${macro.name}(…)`);
      head.succ = [this.seq(s, kills, br)];
    } else {
      head.succ = [cond ? this.loopCond(() => this.cond(cond, bodyEntry, next, `while ${oneLine(cond.text, 60)}`)) : bodyEntry];
    }
    return head.id;
  }

  private switchStmt(s: Node, next: number, ctx: Ctx): number {
    const cond = s.childForFieldName('condition');
    const body = s.childForFieldName('body');
    const cases = (body?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type !== 'comment');
    const inner: Ctx = { ...ctx, breakTo: next, breakDepth: ctx.guards.length };
    const targets: number[] = [];
    let hasDefault = false;
    let cur = next;
    for (let j = cases.length - 1; j >= 0; j--) {
      const c = cases[j];
      if (c.type !== 'case_statement') { cur = this.stmt(c, cur, inner); continue; }
      const value = c.childForFieldName('value');
      if (!value) hasDefault = true;
      cur = this.block(c, caseBody(c), cur, inner);
      const lbl = this.node('stmt', c, [], [cur]);
      lbl.step = value ? `case ${oneLine(value.text, 40)}:` : 'default:';
      cur = lbl.id;
      targets.unshift(cur);
    }
    if (!hasDefault) targets.push(next);
    const dispatch = this.node('stmt', s, cond ? this.events(cond) : [], targets.length ? targets : [next]);
    dispatch.step = `switch ${oneLine(cond?.text ?? '', 50)}`;
    return dispatch.id;
  }

  /** `#if A … #elif B … #else … #endif` inside a body: branches on the directive text. */
  private preproc(s: Node, next: number, ctx: Ctx): number {
    const alt = s.childForFieldName('alternative');
    const skip = new Set([alt?.startIndex, s.childForFieldName('condition')?.startIndex, s.childForFieldName('name')?.startIndex]);
    const body = s.namedChildren.filter((c): c is Node => c !== null && !skip.has(c.startIndex));
    const thenEntry = this.block(s, body, next, ctx, false);
    if (s.type === 'preproc_else') return thenEntry;
    const elseEntry = alt ? this.preproc(alt, next, ctx) : next;
    let key: string;
    let negate = false;
    if (s.type === 'preproc_ifdef' || s.type === 'preproc_elifdef') {
      negate = /ndef/.test(s.child(0)?.type ?? '');
      key = `defined(${s.childForFieldName('name')?.text ?? ''})`;
    } else {
      key = (s.childForFieldName('condition')?.text ?? '').replace(/\s+/g, ' ').trim();
      const c = constClass(key);
      if (c === 'zero') return elseEntry;
      if (c === 'nonzero') return thenEntry;
    }
    const atom: Atom = { key: `#if ${key}`, vars: [] };
    const label = s.type === 'preproc_ifdef' || s.type === 'preproc_elifdef'
      ? `#${negate ? 'ifndef' : 'ifdef'} ${s.childForFieldName('name')?.text ?? ''}` : `#if ${key}`;
    // The atom is "defined(X)"; for #ifndef the statement's condition is its negation.
    return negate ? this.branch(s, atom, elseEntry, thenEntry, label, [], true) : this.branch(s, atom, thenEntry, elseEntry, label);
  }

  // ---- conditions ----------------------------------------------------------

  /** Builds a loop's exit test with `make` and marks the branch nodes it made as `loopTest`. */
  private loopCond(make: () => number): number {
    const first = this.nodes.length;
    const entry = make();
    for (let i = first; i < this.nodes.length; i++) {
      const n = this.nodes[i];
      if (n.kind !== 'branch') continue;
      n.loopTest = true;
      // A call in the exit test (`while (!kthread_should_stop())`) may answer otherwise next turn: what
      // this turn learnt of it must not keep the paths that went round from ever leaving the loop.
      // Not a lock verb's own test (`while (!spin_trylock(l))`): its outcome is what the lock state follows.
      if (n.atom && /[A-Za-z_]\w*\s*\(/.test(n.atom.key) && !n.events.some((e) => e.t === 'lock')) n.atom = { ...n.atom, opaque: true };
    }
    return entry;
  }

  private branch(at: Node, atom: Atom, t: number, f: number, step: string, events: Event[] = [],
    negated = false, part?: string): number {
    const n = this.node('branch', at, events, [t, f]);
    n.atom = atom;
    n.step = step;
    if (negated) n.negated = true;
    if (part) n.part = part;
    return n.id;
  }

  /** Builds the test of `e`, going to t when it is true and f when false. */
  private cond(e: Node, t: number, f: number, step: string, neg = false, whole = true): number {
    switch (e.type) {
      case 'parenthesized_expression': {
        const inner = e.namedChildren.find((c) => c !== null && c.type !== 'comment');
        return inner ? this.cond(inner, t, f, step, neg, whole) : t;
      }
      case 'unary_expression':
        if (e.childForFieldName('operator')?.text === '!') {
          const arg = e.childForFieldName('argument');
          if (arg) return this.cond(arg, f, t, step, !neg, whole);
        }
        break;
      case 'binary_expression': {
        const op = e.childForFieldName('operator')?.text;
        const l = e.childForFieldName('left');
        const r = e.childForFieldName('right');
        if (l && r && op === '&&') return this.cond(l, this.cond(r, t, f, step, neg, false), f, step, neg, false);
        if (l && r && op === '||') return this.cond(l, t, this.cond(r, t, f, step, neg, false), step, neg, false);
        break;
      }
      case 'comma_expression': {
        const l = e.childForFieldName('left');
        const r = e.childForFieldName('right');
        if (l && r) return this.seq(l, this.events(l), this.cond(r, t, f, step, neg, whole));
        break;
      }
      case 'call_expression': {
        const name = e.childForFieldName('function')?.text ?? '';
        const args = e.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? [];
        if (this.input.catalogue.truthWrappers.has(name) && args.length >= 1) return this.cond(args[0], t, f, step, neg, whole);
        if (name === '__cond_lock' && args.length === 2) return this.cond(args[1], t, f, step, neg, whole);
        break;
      }
      case 'true': return t;
      case 'false': return f;
      case 'number_literal': return constClass(e.text) === 'zero' ? f : t;
      default: break;
    }
    // A value test: first evaluate the expression's events, then branch on its value.
    const events = this.events(e);
    const atom = this.atomOf(e, events);
    return this.branch(e, atom, t, f, step, events, neg && whole, whole ? undefined : oneLine(e.text, 60));
  }

  private atomOf(e: Node, events: Event[]): Atom {
    const text = normExpr(e.text);
    // The tested value is a lock call's result: name it so the fact can be kept.
    const lastLock = events.length ? events[events.length - 1] : undefined;
    const call = stripParens(e);
    const cmp = call.type === 'binary_expression' ? call : undefined;
    const left = cmp ? stripParens(cmp.childForFieldName('left') ?? cmp) : call;
    const right = cmp ? cmp.childForFieldName('right') : undefined;
    const op = cmp?.childForFieldName('operator')?.text;
    const rightClass = right ? constClass(right.text) : undefined;
    const subjectNode = left;
    let subject: string | undefined;
    if (lastLock && lastLock.t === 'lock' && ((lastLock.verb.heldWhen && lastLock.verb.heldWhen !== 'always') || lastLock.verb.releasedWhen)
      && (subjectNode.type === 'call_expression' || subjectNode.type === 'assignment_expression')) {
      if (!lastLock.resultVar) lastLock.resultVar = `$c${this.synth++}`;
      subject = lastLock.resultVar;
    } else if (subjectNode.type === 'assignment_expression') {
      subject = normExpr(subjectNode.childForFieldName('left')?.text ?? '');
    } else if (isValueExpr(subjectNode)) {
      subject = normExpr(subjectNode.text);
    } else if (subjectNode.type === 'call_expression' && !cmp) {
      const fname = subjectNode.childForFieldName('function')?.text;
      const a0 = subjectNode.childForFieldName('arguments')?.namedChildren[0];
      if ((fname === 'IS_ERR' || fname === 'IS_ERR_OR_NULL') && a0 && isValueExpr(stripParens(a0))) {
        const s = normExpr(a0.text);
        return { key: text, subject: s, op: fname, vars: varsOf(s) };
      }
    }
    const generic = (): Atom => {
      if (op === '!=' && cmp) {
        // `a != b` shares its fact with `a == b`, negated.
        const l = (cmp.childForFieldName('left')?.text ?? '').replace(/\s+/g, '');
        const r = (cmp.childForFieldName('right')?.text ?? '').replace(/\s+/g, '');
        return { key: `${l}==${r}`, vars: varsOf(e.text), invert: true };
      }
      return { key: text, vars: varsOf(e.text) };
    };
    if (!subject) return generic();
    if (!cmp) return { key: text, subject, op: 'truthy', vars: varsOf(subject).concat(varsOf(e.text)) };
    const opMap: Record<string, Atom['op']> = rightClass === 'zero'
      ? { '==': '==0', '!=': '!=0', '<': '<0', '>=': '>=0', '>': '>0', '<=': '<=0' }
      : {};
    const aop = op ? opMap[op] : undefined;
    return aop ? { key: text, subject, op: aop, vars: varsOf(e.text) } : generic();
  }

  // ---- events --------------------------------------------------------------

  private declEvents(d: Node): Event[] {
    const out: Event[] = [];
    const type = d.childForFieldName('type');
    const isStruct = type?.type === 'struct_specifier' || type?.type === 'union_specifier'
      || (type?.type === 'type_identifier' && !/_t$/.test(type.text));
    if (isStruct) {
      for (const c of d.namedChildren) {
        const decl = c?.type === 'init_declarator' ? c.childForFieldName('declarator') : c;
        if (decl?.type === 'identifier') this.stackObjects.add(decl.text);
      }
    }
    // `XA_STATE(xas, &mapping->i_pages, index);` declares xas on the stack.
    const macro = /^([A-Z][A-Z0-9_]*)\s*\(\s*([A-Za-z_]\w*)\s*[,)]/.exec(d.text);
    if (macro && /STATE|ITERATOR|WALK|DEFINE|HEAD/.test(macro[1])) { this.stackObjects.add(macro[2]); this.locals.add(macro[2]); }
    for (const c of d.namedChildren) {
      if (!c) continue;
      if (c.type === 'init_declarator') {
        const name = declName(c.childForFieldName('declarator'));
        const value = c.childForFieldName('value');
        if (name) this.locals.add(name);
        if (!value || !name) continue;
        if (/^[A-Za-z_]\w*(->\w+)+$/.test(value.text.replace(/\s+/g, ''))) this.initFrom.set(name, value.text.replace(/\s+/g, ''));
        this.assignInto(out, name, value, '=');
      } else if (c.type === 'identifier' || c.type === 'pointer_declarator' || c.type === 'array_declarator') {
        const name = declName(c);
        if (name) {
          this.locals.add(name);
          if (c.type !== 'array_declarator') out.push({ t: 'assign', target: name, value: 'uninit', line: c.startPosition.row + 1 });
        }
      }
    }
    return named(out);
  }

  /** Events of an expression, in evaluation order (arguments before the call). */
  events(e: Node): Event[] {
    return named(this.rawEvents(e));
  }

  private rawEvents(e: Node): Event[] {
    const out: Event[] = [];
    this.walkExpr(e, out);
    return out;
  }

  private assignInto(out: Event[], target: string, value: Node, op: string): void {
    this.assignCount.set(target, (this.assignCount.get(target) ?? 0) + 1);
    const before = out.length;
    this.walkExpr(value, out);
    const v = stripParens(value);
    const produced = out.slice(before);
    const last = produced[produced.length - 1];
    if (/\bVM_FAULT_LOCKED\b/.test(value.text)) this.lockedVars.add(target);
    if (op === '=' && v.type === 'assignment_expression') {
      // `start_pte = pte = pte_offset_map_lock(…)`: both names carry the lock helper's result.
      const inner = normExpr(v.childForFieldName('left')?.text ?? '');
      if (last?.t === 'lock' && last.resultVar === inner) (last.aliases ??= []).push(target);
      out.push({ t: 'assign', target, value: 'unknown', rhs: inner, line: value.startPosition.row + 1 });
      return;
    }
    if (op === '=' && v.type === 'call_expression' && last?.t === 'lock'
      && last.site.line === v.startPosition.row + 1 && last.site.column === v.startPosition.column + 1 && !last.resultVar) {
      // `ptl = pmd_lock(mm, pmd)`: the lock event itself assigns its result.
      last.resultVar = target;
      if ('ret' in last.verb.lock) { last.expr = target; last.key = `${last.verb.domain}:${target}`; }
      return;
    }
    const cls = op === '=' ? constClass(value.text) : undefined;
    // `f = filemap_lock_folio(…)`, `f = get(…, FGP_LOCK)`: a locking call may return the object locked.
    const callee = v.type === 'call_expression' ? v.childForFieldName('function')?.text : undefined;
    if (callee && !this.input.catalogue.plainAccessors.has(callee) && /lock/i.test(v.text)) this.fromCalls.add(target);
    // `totals[fg] += class_stat_read(class, fg)` is `totals[fg] = totals[fg] + …`: arithmetic, which
    // keeps no object (see storesObject), not the call's result stored as it is. Not a bitwise one:
    // `slots[i] |= obj_to_handle(o)` encodes the object, as `= obj_to_handle(o) | TAG` does.
    // (Without brackets round the value: only whether it is arithmetic is read from it.)
    const rhs = /^(?:[-+*/%]|<<|>>)=$/.test(op) ? `${target} ${op.slice(0, -1)} ${normExpr(value.text)}` : normExpr(value.text);
    out.push({ t: 'assign', target, value: cls ?? 'unknown', rhs, line: value.startPosition.row + 1 });
  }

  private walkExpr(e: Node, out: Event[]): void {
    switch (e.type) {
      case 'call_expression': return this.callEvents(e, out);
      case 'assignment_expression': {
        const left = e.childForFieldName('left');
        const right = e.childForFieldName('right');
        const op = e.childForFieldName('operator')?.text ?? '=';
        if (left && left.type !== 'identifier') this.walkExpr(left, out);
        if (left && right) this.assignInto(out, normExpr(left.text), right, op);
        return;
      }
      case 'update_expression': {
        const arg = e.childForFieldName('argument');
        if (arg) this.assignCount.set(normExpr(arg.text), 99);
        if (arg) out.push({ t: 'assign', target: normExpr(arg.text), value: 'step', line: e.startPosition.row + 1 });
        return;
      }
      case 'sizeof_expression': case 'alignof_expression': case 'offsetof_expression':
      case 'string_literal': case 'concatenated_string': case 'comment': case 'number_literal': case 'char_literal':
        return;
      default:
        for (const c of e.namedChildren) if (c) this.walkExpr(c, out);
    }
  }

  /** Lock events whose lock is an unnamed return value are dropped once the statement is built. */
  private callEvents(e: Node, out: Event[]): void {
    const fnNode = e.childForFieldName('function');
    const argList = e.childForFieldName('arguments');
    const args = argList?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
    if (fnNode && fnNode.type !== 'identifier') this.walkExpr(fnNode, out);
    for (const a of args) this.walkExpr(a, out);
    const name = fnNode?.type === 'identifier' ? fnNode.text : '';
    if (!name) return;
    const verb = this.input.catalogue.verbs.get(name);
    const line = e.startPosition.row + 1;
    if (verb) {
      const site = siteOf(e);
      const lock = verb.lock;
      let expr: string;
      if ('global' in lock) expr = lock.global;
      else if ('arg' in lock) {
        const a = args[lock.arg];
        if (!a) return;
        if (verb.ifArgTrue !== undefined && !/^(true|1)$/.test(args[verb.ifArgTrue]?.text.trim() ?? '')) {
          // `unlock` not literally true: literally false is a plain call; a variable may drop the lock.
          const literalFalse = /^(false|0)$/.test(args[verb.ifArgTrue]?.text.trim() ?? '');
          out.push({ t: 'call', name, line, args: args.map((x) => normExpr(x.text)), addrOf: [],
            ...(literalFalse ? {} : { consumes: { domain: verb.domain, expr: normExpr(a.text) } }) });
          return;
        }
        expr = normExpr(a.text);
        if (verb.outParam && !a.text.trim().startsWith('&')) expr = `*${expr}`;
        if (lock.field) expr = `${expr}->${lock.field}`;
      } else expr = `$ret${this.synth++}`; // replaced by the assignment target, if any
      const flags = verb.restoresFlags !== undefined ? args[verb.restoresFlags] : undefined;
      out.push({ t: 'lock', verb, key: `${verb.domain}:${expr}`, expr, site, inReturn: false, ...(flags ? { flags: normExpr(flags.text) } : {}) });
      return;
    }
    const consumer = this.input.catalogue.consumers.get(name);
    const consumedArg = consumer?.arg !== undefined ? args[consumer.arg] : undefined;
    const addrOf = this.input.catalogue.pureTests.test(name) ? []
      : args.filter((a) => a.type === 'pointer_expression' && a.child(0)?.type === '&').map((a) => normExpr(a.text));
    for (const a of addrOf) this.fromCalls.add(a);
    out.push({
      t: 'call', name, line,
      args: args.map((a) => normExpr(a.text)),
      addrOf,
      ...(consumer ? { consumes: { domain: consumer.domain, ...(consumedArg ? { expr: normExpr(consumedArg.text) } : {}),
        ...(consumer.also ? { also: consumer.also } : {}) } } : {}),
      ...(this.keepsNothing(name, args) ? { readOnly: true } : {}),
    });
  }

  /**
   * The callee cannot keep what it is given: a reader, or a call given one object and no place to
   * put it (KEEPS_ALONE), whatever plain values come with it (`vmpressure_event(vmpr, level, true, s)`).
   */
  private keepsNothing(name: string, args: Node[]): boolean {
    const c = this.input.catalogue;
    if (c.readOnlyCalls.test(name) || c.plainAccessors.has(name)) return true;
    if (c.keepsAlone.test(name)) return false;
    if (args.length <= 1) return true;
    // Plain values beside exactly one object; a call given plain values only (`finish(id, DONE)`)
    // is left as it was: it may act on a global (drop a global lock).
    let objects = 0;
    for (const a of args) if (!this.plainValue(a) && ++objects > 1) return false;
    return objects === 1;
  }

  /**
   * Nowhere to keep an object: a literal, an upper-case constant, a variable of a scalar type or its
   * address (`&dirty`: an out-parameter for a flag), a call that yields a number or a truth value
   * (NUMBER_CALL: `folio_pfn(folio)`), a field named as a number (NUMBER_FIELD), and arithmetic or
   * tests of such values. Not `p + 1` with a pointer `p`: the pointer variable itself is no plain value.
   */
  private plainValue(a: Node, depth = 0): boolean {
    if (a.type === 'number_literal' || a.type === 'char_literal' || a.type === 'true' || a.type === 'false' || a.type === 'null') return true;
    if (a.type === 'identifier') return /^[A-Z][A-Z0-9_]*$/.test(a.text) || scalarVar(a.text, this.types, this.pointers);
    if (depth > 4) return false;
    if (a.type === 'pointer_expression') {
      const arg = a.childForFieldName('argument');
      return a.child(0)?.type === '&' && arg?.type === 'identifier' && scalarVar(arg.text, this.types, this.pointers);
    }
    // `sc->gfp_mask`, `cc->nr_migratepages`: a field named as a number holds one.
    if (a.type === 'field_expression') return this.input.catalogue.numberFields.test(a.childForFieldName('field')?.text ?? '');
    if (a.type === 'call_expression') {
      const fn = a.childForFieldName('function');
      return fn?.type === 'identifier' && this.input.catalogue.numberCalls.test(fn.text);
    }
    if (a.type === 'parenthesized_expression' || a.type === 'unary_expression' || a.type === 'binary_expression') {
      const kids = a.namedChildren;
      return kids.length > 0 && kids.every((k) => k !== null && this.plainValue(k, depth + 1));
    }
    return false;
  }
}

/**
 * `v` is declared with a scalar type (a flag, a count, an enum) and not as a pointer or array:
 * it holds a plain value, never an object. `types` and `pointers` as in Cfg.
 */
export function scalarVar(v: string, types: ReadonlyMap<string, string>, pointers: ReadonlySet<string>): boolean {
  return !pointers.has(v) && SCALAR_TYPE.test(types.get(v) ?? '');
}

/** Drops lock events on an unnamed return value (`folio_lruvec_lock(folio);` used for effect). */
function named(events: Event[]): Event[] {
  return events.some((e) => e.t === 'lock' && e.expr.startsWith('$ret'))
    ? events.filter((e) => !(e.t === 'lock' && e.expr.startsWith('$ret'))) : events;
}

function siteOf(n: Node): Site {
  return { line: n.startPosition.row + 1, column: n.startPosition.column + 1, text: oneLine(n.text) };
}

function stripParens(n: Node): Node {
  let cur = n;
  while (cur.type === 'parenthesized_expression') {
    const inner = cur.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

function isValueExpr(n: Node): boolean {
  return n.type === 'identifier' || n.type === 'field_expression' || n.type === 'subscript_expression'
    || (n.type === 'pointer_expression' && n.child(0)?.type === '*');
}

function caseBody(c: Node): (Node | null)[] {
  const value = c.childForFieldName('value');
  return c.namedChildren.filter((x) => x !== null && (!value || x.startIndex !== value.startIndex));
}

/** The declared name inside `*p`, `p[4]`, `(*fn)(…)`. */
export function declName(d: Node | null): string | undefined {
  let cur = d;
  for (let i = 0; cur && i < 8; i++) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier') return cur.text;
    const inner = cur.childForFieldName('declarator');
    if (inner) { cur = inner; continue; }
    cur = cur.namedChildren.find((c) => c !== null && (c.type === 'identifier' || c.type.endsWith('declarator'))) ?? null;
  }
  return undefined;
}
