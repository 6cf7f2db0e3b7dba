// The catalogue as lookup tables, built from the built-in data plus the
// user's workspace file (.hmm-lens.json). Pure: the caller reads the file.
import {
  LOCK_VERBS, GUARD_CLASSES, NORETURN_CALLS, NORETURN_IF_TRUE, TRUTH_WRAPPERS, LOCK_CONSUMERS, ACQUIRE_WRAPPERS,
  IN_PLACE_ITERATORS, PLAIN_ACCESSORS, READ_ONLY_CALL, KEEPS_ALONE, NUMBER_CALL, NUMBER_FIELD, PURE_TESTS, LOCKED_CALLBACKS, type LockedCallback,
  type LockVerb, type GuardClass, type HeldWhen, type LockOp, type LockOperand, type LockConsumer,
} from './catalogue';
import { escapeRegExp } from '../parse/regex';
import { KEYWORDS } from '../parse/refs';
import { PROTOCOLS, buildMigrationCatalogue, type MigrationApi, type MigrationCatalogue, type MigrationProtocol, type Phase } from '../migrate/catalogue';

export interface Catalogue {
  verbs: Map<string, LockVerb>;
  guards: Map<string, GuardClass>;
  noreturn: Set<string>;
  noreturnIfTrue: Set<string>;
  truthWrappers: Set<string>;
  consumers: Map<string, LockConsumer>;
  /** Functions that return with a lock held by contract (catalogue acquire verbs included). */
  acquireWrappers: Set<string>;
  /** Matches a function's text when it may contain any lock verb: cheap pre-filter. */
  mention: RegExp;
  /** Iterator macros that advance their first argument in place. */
  inPlaceIterators: RegExp;
  /** Calls whose result is never returned locked. */
  plainAccessors: Set<string>;
  /** Calls that only test, read or report what they are given: they keep no object. */
  readOnlyCalls: RegExp;
  /** Calls that keep an object given to them alone (see KEEPS_ALONE). */
  keepsAlone: RegExp;
  /** Calls whose result is a number or a truth value (see NUMBER_CALL). */
  numberCalls: RegExp;
  /** Fields named as numbers (see NUMBER_FIELD). */
  numberFields: RegExp;
  /** Tests that change nothing they are given the address of (see PURE_TESTS). */
  pureTests: RegExp;
  /** Calls that take a lock and hand it to a callback of theirs (`kref_put_mutex`). */
  lockedCallbacks: Map<string, LockedCallback>;
  /** The migration catalogue (built-in APIs and protocols plus the workspace's). */
  migration: MigrationCatalogue;
}

/** The workspace file's shape (documented in README.md, "Workspace file"). */
export interface WorkspaceConfig {
  locks?: Array<{
    name: string; op: LockOp; kind?: string; domain?: string;
    lock: { arg: number } | { ret: true } | { global: string };
    heldWhen?: HeldWhen;
  }>;
  guards?: Array<{ name: string; domain: string; kind?: string; global?: string }>;
  noreturn?: string[];
  /** Extra migration APIs: a driver's own wrappers, helpers or entry makers. */
  migration?: Array<{ name: string; use: MigrationApi['use']; kind?: MigrationApi['kind']; phase?: Phase; does?: string; versions?: string }>;
  /** Extra setup/pages/finalize protocols, checked like migrate_vma_setup/pages/finalize. */
  protocols?: Array<{ name: string; setup: string[]; pages?: string[]; finalize: string[]; objectArg?: number }>;
}

export interface ConfigResult { config: WorkspaceConfig; errors: string[] }

const OPS: LockOp[] = ['acquire', 'release', 'assert'];
const HELD: HeldWhen[] = ['always', 'nonzero', 'zero', 'nonnull'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses and validates the workspace file's text. Never throws. */
export function parseWorkspaceConfig(text: string, source = '.hmm-lens.json'): ConfigResult {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) {
    return { config: {}, errors: [`${source}: not valid JSON (${(e as Error).message})`] };
  }
  const errors: string[] = [];
  const config: WorkspaceConfig = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config, errors: [`${source}: expected a JSON object`] };
  }
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!['locks', 'guards', 'noreturn', 'migration', 'protocols', '$schema', 'comment'].includes(k)) errors.push(`${source}: unknown key "${k}"`);
  }
  if (obj.locks !== undefined) {
    if (!Array.isArray(obj.locks)) errors.push(`${source}: "locks" must be an array`);
    else {
      config.locks = [];
      obj.locks.forEach((l: unknown, i: number) => {
        const at = `${source}: locks[${i}]`;
        const e = l as Record<string, unknown>;
        if (typeof e !== 'object' || e === null) { errors.push(`${at}: expected an object`); return; }
        if (typeof e.name !== 'string' || !NAME.test(e.name)) { errors.push(`${at}: "name" must be a C identifier`); return; }
        if (!OPS.includes(e.op as LockOp)) { errors.push(`${at}: "op" must be one of ${OPS.join(', ')}`); return; }
        const lock = e.lock as Record<string, unknown> | undefined;
        let operand: LockOperand | undefined;
        if (lock && typeof lock.arg === 'number' && Number.isInteger(lock.arg) && lock.arg >= 0) operand = { arg: lock.arg };
        else if (lock && lock.ret === true) operand = { ret: true };
        else if (lock && typeof lock.global === 'string') operand = { global: lock.global };
        if (!operand) { errors.push(`${at}: "lock" must be {"arg": N}, {"ret": true} or {"global": "name"}`); return; }
        if (e.heldWhen !== undefined && !HELD.includes(e.heldWhen as HeldWhen)) {
          errors.push(`${at}: "heldWhen" must be one of ${HELD.join(', ')}`); return;
        }
        config.locks!.push({
          name: e.name, op: e.op as LockOp, lock: operand,
          kind: typeof e.kind === 'string' ? e.kind : undefined,
          domain: typeof e.domain === 'string' ? e.domain : undefined,
          heldWhen: e.heldWhen as HeldWhen | undefined,
        });
      });
    }
  }
  if (obj.guards !== undefined) {
    if (!Array.isArray(obj.guards)) errors.push(`${source}: "guards" must be an array`);
    else {
      config.guards = [];
      obj.guards.forEach((g: unknown, i: number) => {
        const e = g as Record<string, unknown>;
        if (typeof e?.name !== 'string' || typeof e.domain !== 'string') {
          errors.push(`${source}: guards[${i}]: needs "name" and "domain" strings`); return;
        }
        config.guards!.push({ name: e.name, domain: e.domain, kind: typeof e.kind === 'string' ? e.kind : undefined,
          global: typeof e.global === 'string' ? e.global : undefined });
      });
    }
  }
  if (obj.noreturn !== undefined) {
    if (!Array.isArray(obj.noreturn) || !obj.noreturn.every((n) => typeof n === 'string' && NAME.test(n))) {
      errors.push(`${source}: "noreturn" must be an array of C identifiers`);
    } else config.noreturn = obj.noreturn as string[];
  }
  parseMigration(obj, source, config, errors);
  return { config, errors };
}

const USES: MigrationApi['use'][] = ['caller', 'helper', 'entry', 'mirror'];
const KINDS: MigrationApi['kind'][] = ['function', 'flag', 'struct', 'type'];
const PHASES: Phase[] = ['setup', 'copy', 'pages', 'finalize', 'restore', 'free', 'fault'];
/** C words that cannot name a function (`if` would make every `if (` a catalogued call). */
const RESERVED = new Set([...KEYWORDS, 'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned',
  'struct', 'union', 'enum', 'const', 'static', 'extern', 'inline', 'register', 'typedef', 'break', 'continue', 'default']);
const isName = (v: unknown): v is string => typeof v === 'string' && NAME.test(v) && !RESERVED.has(v);
const names = (v: unknown): v is string[] => Array.isArray(v) && v.every(isName);
const API_KEYS = ['name', 'use', 'kind', 'phase', 'does', 'versions'];
const PROTOCOL_KEYS = ['name', 'setup', 'pages', 'finalize', 'objectArg'];
const BUILTIN_VERB = new Map(PROTOCOLS.flatMap((p) => [...p.setup, ...p.pages, ...p.finalize].map((v): [string, string] => [v, p.name])));

/** The keys of `e` that are not in `known`, as an error text, or undefined. */
function unknownKeys(e: Record<string, unknown>, known: string[]): string | undefined {
  const bad = Object.keys(e).filter((k) => !known.includes(k));
  return bad.length ? `unknown key${bad.length > 1 ? 's' : ''} ${bad.map((k) => `"${k}"`).join(', ')} (known: ${known.join(', ')})` : undefined;
}

/** The "migration" and "protocols" keys; a bad entry is reported and skipped. */
function parseMigration(obj: Record<string, unknown>, source: string, config: WorkspaceConfig, errors: string[]): void {
  if (obj.migration !== undefined) {
    if (!Array.isArray(obj.migration)) errors.push(`${source}: "migration" must be an array`);
    else {
      config.migration = [];
      obj.migration.forEach((m: unknown, i: number) => {
        const at = `${source}: migration[${i}]`;
        const e = m as Record<string, unknown>;
        if (typeof e !== 'object' || e === null) { errors.push(`${at}: expected an object`); return; }
        if (!isName(e.name)) { errors.push(`${at}: "name" must be a C identifier (not a C keyword)`); return; }
        const unknown = unknownKeys(e, API_KEYS);
        if (unknown) { errors.push(`${at}: ${unknown}`); return; }
        if ((e.does !== undefined && typeof e.does !== 'string') || (e.versions !== undefined && typeof e.versions !== 'string')) {
          errors.push(`${at}: "does" and "versions" must be strings`); return;
        }
        if (!USES.includes(e.use as MigrationApi['use'])) { errors.push(`${at}: "use" must be one of ${USES.join(', ')}`); return; }
        if (e.kind !== undefined && !KINDS.includes(e.kind as MigrationApi['kind'])) { errors.push(`${at}: "kind" must be one of ${KINDS.join(', ')}`); return; }
        if (e.phase !== undefined && !PHASES.includes(e.phase as Phase)) { errors.push(`${at}: "phase" must be one of ${PHASES.join(', ')}`); return; }
        config.migration!.push({ name: e.name, use: e.use as MigrationApi['use'], kind: e.kind as MigrationApi['kind'] | undefined,
          phase: e.phase as Phase | undefined, does: typeof e.does === 'string' ? e.does : undefined,
          versions: typeof e.versions === 'string' ? e.versions : undefined });
      });
    }
  }
  if (obj.protocols !== undefined) {
    if (!Array.isArray(obj.protocols)) errors.push(`${source}: "protocols" must be an array`);
    else {
      config.protocols = [];
      // A verb belongs to one step of one protocol: taking a built-in one (or one used twice) would
      // silently re-route every real driver's calls.
      const verbOf = new Map(BUILTIN_VERB);
      obj.protocols.forEach((p: unknown, i: number) => {
        const at = `${source}: protocols[${i}]`;
        const e = p as Record<string, unknown>;
        if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || !e.name.trim()) { errors.push(`${at}: needs a non-empty "name" string`); return; }
        const unknown = unknownKeys(e, PROTOCOL_KEYS);
        if (unknown) { errors.push(`${at}: ${unknown}`); return; }
        if (config.protocols!.some((q) => q.name === e.name) || PROTOCOLS.some((q) => q.name === e.name)) {
          errors.push(`${at}: a protocol named "${e.name}" exists already`); return;
        }
        if (!names(e.setup) || !e.setup.length || !names(e.finalize) || !e.finalize.length || (e.pages !== undefined && !names(e.pages))) {
          errors.push(`${at}: "setup" and "finalize" must be non-empty arrays of C identifiers, "pages" an array of them`); return;
        }
        const verbs = [...e.setup, ...((e.pages as string[] | undefined) ?? []), ...e.finalize];
        const taken = verbs.find((v, k) => verbOf.has(v) || verbs.indexOf(v) !== k);
        if (taken) {
          errors.push(`${at}: "${taken}" is already a step of ${verbOf.has(taken) ? `protocol ${verbOf.get(taken)}` : 'this protocol'}`); return;
        }
        for (const v of verbs) verbOf.set(v, e.name);
        if (e.objectArg !== undefined && !(typeof e.objectArg === 'number' && Number.isInteger(e.objectArg) && e.objectArg >= 0)) {
          errors.push(`${at}: "objectArg" must be an argument index (0, 1, ...)`); return;
        }
        config.protocols!.push({ name: e.name, setup: e.setup, pages: (e.pages as string[] | undefined) ?? [], finalize: e.finalize,
          objectArg: e.objectArg as number | undefined });
      });
    }
  }
}

/** The migration catalogue of a workspace file's "migration" and "protocols". */
function migrationOf(config: WorkspaceConfig): MigrationCatalogue {
  const apis = (config.migration ?? []).map((m): MigrationApi => ({
    name: m.name, kind: m.kind ?? 'function', use: m.use, era: 'all', phase: m.phase,
    doc: { does: m.does ?? 'Declared in the workspace file (.hmm-lens.json or the hmmLens.migrationApis setting).', versions: m.versions ?? 'this workspace' },
  }));
  const protocols = (config.protocols ?? []).map((p): MigrationProtocol => ({
    name: p.name, setup: p.setup, pages: p.pages ?? [], finalize: p.finalize, objectArg: p.objectArg ?? 0, success: 'zero',
  }));
  return buildMigrationCatalogue({ apis, protocols });
}

export function buildCatalogue(config: WorkspaceConfig = {}): Catalogue {
  const verbs = new Map<string, LockVerb>();
  for (const v of LOCK_VERBS) verbs.set(v.name, v);
  for (const l of config.locks ?? []) {
    const domain = l.domain ?? 'custom';
    verbs.set(l.name, {
      name: l.name, op: l.op, domain, kind: l.kind ?? domain, lock: l.lock,
      ...(l.op === 'acquire' ? { heldWhen: l.heldWhen ?? 'always' } : {}),
    });
  }
  const guards = new Map<string, GuardClass>();
  for (const g of GUARD_CLASSES) guards.set(g.name, g);
  for (const g of config.guards ?? []) guards.set(g.name, { name: g.name, domain: g.domain, kind: g.kind ?? g.domain, global: g.global });
  const words = [...verbs.keys(), ...LOCKED_CALLBACKS.map((c) => c.name), 'guard', 'scoped_guard', 'scoped_cond_guard', '__acquires', '__releases', '__must_hold'];
  return {
    verbs,
    guards,
    noreturn: new Set([...NORETURN_CALLS, ...(config.noreturn ?? [])]),
    noreturnIfTrue: new Set(NORETURN_IF_TRUE),
    truthWrappers: new Set(TRUTH_WRAPPERS),
    consumers: new Map(LOCK_CONSUMERS.map((c) => [c.name, c])),
    acquireWrappers: new Set([...ACQUIRE_WRAPPERS,
      ...[...verbs.values()].filter((v) => v.op === 'acquire' || v.op === 'relock').map((v) => v.name)]),
    mention: new RegExp(`\\b(?:${words.map(escapeRegExp).join('|')})\\b`),
    inPlaceIterators: IN_PLACE_ITERATORS,
    plainAccessors: new Set(PLAIN_ACCESSORS),
    readOnlyCalls: READ_ONLY_CALL,
    keepsAlone: KEEPS_ALONE,
    numberCalls: NUMBER_CALL,
    numberFields: NUMBER_FIELD,
    pureTests: PURE_TESTS,
    lockedCallbacks: new Map(LOCKED_CALLBACKS.map((c) => [c.name, c])),
    migration: migrationOf(config),
  };
}
