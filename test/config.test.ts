// The workspace file (.hmm-lens.json): parseWorkspaceConfig() validates its
// shape with messages that say where and what; buildCatalogue() adds its verbs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkspaceConfig, buildCatalogue } from '../src/core/locks/table';
import { analyseText } from './helpers/load';

/** The single error for `value`, checked against `pattern`; the config must carry none of the bad entry. */
function oneError(value: unknown, pattern: RegExp, source?: string): string {
  const r = parseWorkspaceConfig(typeof value === 'string' ? value : JSON.stringify(value), source);
  assert.equal(r.errors.length, 1, `expected one error, got: ${JSON.stringify(r.errors)}`);
  assert.match(r.errors[0], pattern);
  return r.errors[0];
}

describe('parseWorkspaceConfig: bad shapes', () => {
  test('not JSON', () => {
    oneError('{ "locks": [', /^\.hmm-lens\.json: not valid JSON/);
  });

  test('not an object', () => {
    oneError([], /^\.hmm-lens\.json: expected a JSON object/);
    oneError('"locks"', /expected a JSON object/);
    oneError('null', /expected a JSON object/);
  });

  test('the source name given is used in messages', () => {
    oneError('[1', /^\/ws\/team\/\.hmm-lens\.json: not valid JSON/, '/ws/team/.hmm-lens.json');
  });

  test('unknown top-level key', () => {
    oneError({ lock: [] }, /unknown key "lock"/);
  });

  test('"locks" is not an array', () => {
    oneError({ locks: { name: 'x' } }, /"locks" must be an array/);
  });

  test('a lock entry that is not an object', () => {
    oneError({ locks: ['my_lock'] }, /locks\[0\]: expected an object/);
    oneError({ locks: [null] }, /locks\[0\]: expected an object/);
  });

  test('bad names', () => {
    oneError({ locks: [{ op: 'acquire', lock: { arg: 0 } }] }, /locks\[0\]: "name" must be a C identifier/);
    oneError({ locks: [{ name: 'my-lock', op: 'acquire', lock: { arg: 0 } }] }, /"name" must be a C identifier/);
    oneError({ locks: [{ name: '1lock', op: 'acquire', lock: { arg: 0 } }] }, /"name" must be a C identifier/);
  });

  test('bad op, with the index of the entry', () => {
    const msg = oneError({
      locks: [
        { name: 'ok_lock', op: 'acquire', lock: { arg: 0 } },
        { name: 'bad_lock', op: 'lock', lock: { arg: 0 } },
      ],
    }, /locks\[1\]: "op" must be one of/);
    for (const op of ['acquire', 'release', 'assert']) assert.ok(msg.includes(op), `${msg} does not list ${op}`);
  });

  test('bad lock operand', () => {
    const re = /locks\[0\]: "lock" must be \{"arg": N\}, \{"ret": true\} or \{"global": "name"\}/;
    oneError({ locks: [{ name: 'a', op: 'acquire' }] }, re);
    oneError({ locks: [{ name: 'a', op: 'acquire', lock: { arg: -1 } }] }, re);
    oneError({ locks: [{ name: 'a', op: 'acquire', lock: { arg: 1.5 } }] }, re);
    oneError({ locks: [{ name: 'a', op: 'acquire', lock: { arg: '0' } }] }, re);
    oneError({ locks: [{ name: 'a', op: 'acquire', lock: { ret: 'yes' } }] }, re);
    oneError({ locks: [{ name: 'a', op: 'acquire', lock: 0 }] }, re);
  });

  test('bad heldWhen', () => {
    const msg = oneError({ locks: [{ name: 'a', op: 'acquire', lock: { arg: 0 }, heldWhen: 'sometimes' }] },
      /locks\[0\]: "heldWhen" must be one of/);
    for (const h of ['always', 'nonzero', 'zero', 'nonnull']) assert.ok(msg.includes(h));
  });

  test('bad guards and noreturn', () => {
    oneError({ guards: {} }, /"guards" must be an array/);
    oneError({ guards: [{ name: 'my_guard' }] }, /guards\[0\]: needs "name" and "domain"/);
    oneError({ noreturn: 'my_panic' }, /"noreturn" must be an array of C identifiers/);
    oneError({ noreturn: ['ok', 'not ok'] }, /"noreturn" must be an array of C identifiers/);
  });

  test('several problems are all reported', () => {
    const r = parseWorkspaceConfig(JSON.stringify({
      extra: 1,
      locks: [{ name: 'a', op: 'x', lock: { arg: 0 } }, { name: 'b', op: 'release', lock: {} }],
    }));
    assert.equal(r.errors.length, 3, JSON.stringify(r.errors));
    assert.match(r.errors.join('\n'), /unknown key "extra"/);
    assert.match(r.errors.join('\n'), /locks\[0\]/);
    assert.match(r.errors.join('\n'), /locks\[1\]/);
  });
});

describe('parseWorkspaceConfig: good shapes', () => {
  test('an empty object is a valid config', () => {
    assert.deepEqual(parseWorkspaceConfig('{}'), { config: {}, errors: [] });
  });

  test('all fields are kept', () => {
    const r = parseWorkspaceConfig(JSON.stringify({
      $schema: 'https://example.invalid/hmm-lens.schema.json',
      comment: 'team locks',
      locks: [
        { name: 'my_lock', op: 'acquire', lock: { arg: 0 }, domain: 'spin' },
        { name: 'my_trylock', op: 'acquire', lock: { arg: 0 }, domain: 'spin', kind: 'my', heldWhen: 'nonzero' },
        { name: 'my_get_locked', op: 'acquire', lock: { ret: true }, heldWhen: 'nonnull' },
        { name: 'my_enter', op: 'acquire', lock: { global: 'my_mode' } },
        { name: 'my_unlock', op: 'release', lock: { arg: 0 }, domain: 'spin' },
        { name: 'my_assert_held', op: 'assert', lock: { arg: 0 }, domain: 'spin' },
      ],
      guards: [{ name: 'my_guard', domain: 'spin', kind: 'spinlock' }],
      noreturn: ['my_die'],
    }));
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.locks?.length, 6);
    assert.deepEqual(r.config.locks?.[1], { name: 'my_trylock', op: 'acquire', lock: { arg: 0 }, domain: 'spin', kind: 'my', heldWhen: 'nonzero' });
    assert.deepEqual(r.config.locks?.[2].lock, { ret: true });
    assert.deepEqual(r.config.locks?.[3].lock, { global: 'my_mode' });
    assert.equal(r.config.guards?.[0].name, 'my_guard');
    assert.deepEqual(r.config.noreturn, ['my_die']);
  });
});

describe('buildCatalogue', () => {
  test('the built-in catalogue knows the kernel verbs', () => {
    const c = buildCatalogue();
    for (const v of ['spin_lock', 'spin_unlock', 'pte_offset_map_lock', 'pte_unmap_unlock', 'pmd_lock', 'trylock_page',
      'folio_trylock', 'mutex_lock_killable', 'arch_enter_lazy_mmu_mode', 'mmu_notifier_invalidate_range_end']) {
      assert.ok(c.verbs.has(v), `${v} missing`);
    }
    assert.ok(!c.verbs.has('my_lock'));
    assert.ok(c.guards.has('mutex') && c.guards.has('rcu'));
  });

  test('config verbs, guards and noreturn calls are added', () => {
    const { config, errors } = parseWorkspaceConfig(JSON.stringify({
      locks: [
        { name: 'my_lock', op: 'acquire', lock: { arg: 0 }, domain: 'spin' },
        { name: 'my_unlock', op: 'release', lock: { arg: 0 }, domain: 'spin' },
        { name: 'my_trylock', op: 'acquire', lock: { arg: 0 }, heldWhen: 'nonzero' },
      ],
      guards: [{ name: 'my_guard', domain: 'spin' }],
      noreturn: ['my_die'],
    }));
    assert.deepEqual(errors, []);
    const c = buildCatalogue(config);
    const lock = c.verbs.get('my_lock');
    assert.ok(lock);
    assert.equal(lock.op, 'acquire');
    assert.equal(lock.domain, 'spin');
    assert.deepEqual(lock.lock, { arg: 0 });
    assert.equal(lock.heldWhen, 'always', 'an acquire without heldWhen always holds');
    assert.equal(c.verbs.get('my_unlock')?.op, 'release');
    assert.equal(c.verbs.get('my_unlock')?.heldWhen, undefined);
    const trylock = c.verbs.get('my_trylock');
    assert.equal(trylock?.heldWhen, 'nonzero');
    assert.equal(trylock?.domain, 'custom', 'the default domain');
    assert.equal(trylock?.kind, 'custom', 'kind defaults to the domain');
    assert.equal(c.guards.get('my_guard')?.domain, 'spin');
    assert.ok(c.noreturn.has('my_die'));
    assert.ok(c.verbs.has('spin_lock'), 'built-ins stay');
    assert.ok(c.mention.test('\tmy_lock(&d->lock);'), 'the pre-filter sees the new verb');
    assert.ok(!c.mention.test('\tnot_my_lockx(&d->lock);'));
  });

  test('the added verbs pair, report and honour noreturn in an analysis', async () => {
    const config = parseWorkspaceConfig(JSON.stringify({
      locks: [
        { name: 'my_lock', op: 'acquire', lock: { arg: 0 }, domain: 'spin' },
        { name: 'my_unlock', op: 'release', lock: { arg: 0 }, domain: 'spin' },
      ],
      noreturn: ['my_die'],
    })).config;
    const src = [
      'static int f(struct d *d, int x)',   // 1
      '{',
      '\tmy_lock(&d->lock);',              // 3
      '\tif (x > 3)',
      '\t\treturn -EINVAL;',
      '\tmy_unlock(&d->lock);',            // 6
      '\treturn 0;',
      '}',
      'static void g(struct d *d, int x)', // 9
      '{',
      '\tmy_lock(&d->lock);',              // 11
      '\tif (x)',
      '\t\tmy_die();',
      '\tspin_unlock(&d->lock);',          // 14: same domain as my_lock
      '}',
      '',
    ].join('\n');
    const a = await analyseText('custom.c', src, config);
    assert.deepEqual(a.diagnostics.map((d) => [d.ruleId, d.line, d.function]), [['lock/held-at-exit', 3, 'f']]);
    const pairs = Object.fromEntries(a.functions.map((fn) =>
      [fn.name, fn.lockPairs.map((p) => [p.lock, p.acquire?.line ?? null, p.releases.map((r) => r.line)])]));
    assert.deepEqual(pairs, { f: [['d->lock', 3, [6]]], g: [['d->lock', 11, [14]]] });
    // Without the config, nothing is known about my_lock.
    const plain = await analyseText('custom.c', src);
    assert.deepEqual(plain.diagnostics, []);
  });
});
