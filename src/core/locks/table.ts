// The catalogue as lookup tables, built from the built-in data plus the
// user's workspace file (.hmm-lens.json). Pure: the caller reads the file.
import {
  LOCK_VERBS, GUARD_CLASSES, NORETURN_CALLS, NORETURN_IF_TRUE, TRUTH_WRAPPERS, LOCK_CONSUMERS, ACQUIRE_WRAPPERS,
  IN_PLACE_ITERATORS, PLAIN_ACCESSORS, READ_ONLY_CALL, LOCKED_CALLBACKS, type LockedCallback,
  type LockVerb, type GuardClass, type HeldWhen, type LockOp, type LockOperand, type LockConsumer,
} from './catalogue';
import { escapeRegExp } from '../parse/regex';

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
  /** Calls that take a lock and hand it to a callback of theirs (`kref_put_mutex`). */
  lockedCallbacks: Map<string, LockedCallback>;
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
    if (!['locks', 'guards', 'noreturn', '$schema', 'comment'].includes(k)) errors.push(`${source}: unknown key "${k}"`);
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
  return { config, errors };
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
    lockedCallbacks: new Map(LOCKED_CALLBACKS.map((c) => [c.name, c])),
  };
}
