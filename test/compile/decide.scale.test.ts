// The encoder at scale and at its edges: same IR → same bytes; IR it cannot honour is refused;
// a 10,000-route policy decides like the reference for routes at both ends of the table.
import { describe, expect, it } from 'vitest';
import { PolicyEncodeError, encodePolicyTable } from '../../src/compile/encode/index.js';
import { designInput, syntheticPolicy } from '../../scripts/measure-decide.js';
import { chk, input, policy, route } from '../support/ir-builders.js';
import { routing } from './decide-fixtures.js';
import { asSent, compileIR, referenceDecision } from './policy-wasm.js';

describe('policy table encoding', () => {
  it('is deterministic, and shares equal checks between routes', () => {
    const a = encodePolicyTable(routing);
    const b = encodePolicyTable(JSON.parse(JSON.stringify(routing)));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const one = encodePolicyTable(policy([route('GET /a', [chk.emailVerified(), chk.roles({ anyOf: ['admin'] })])]));
    const two = encodePolicyTable(
      policy([
        route('GET /a', [chk.emailVerified(), chk.roles({ anyOf: ['admin'] })]),
        route('GET /b', [chk.emailVerified(), chk.roles({ anyOf: ['admin'] })]),
      ]),
    );
    // The second route adds its key, record, index and trie entries, not a second copy of its checks.
    expect(two.length - one.length).toBeLessThan(160);
  });

  it('keeps claim values that differ only in key order, type or sign apart', () => {
    const ir = policy([
      route('GET /a', [chk.claimEquals('x', { a: 1, b: 2 })]),
      route('GET /b', [chk.claimEquals('x', { b: 2, a: 1 })]),
      route('GET /c', [chk.claimEquals('x', '1')]),
      route('GET /d', [chk.claimEquals('x', 1)]),
      route('GET /e', [chk.claimEquals('x', { hole: 'value' })]),
    ]);
    const wasm = compileIR(ir);
    for (const path of ['/a', '/b', '/c', '/d', '/e']) {
      for (const x of [{ a: 1, b: 2 }, '1', 1, 2, { hole: 'value' }]) {
        const doc = input('GET', path, { token: { x }, now: 1 });
        expect(JSON.stringify(wasm.decide(doc))).toBe(JSON.stringify(referenceDecision(ir, asSent(doc))));
      }
    }
  });

  it('refuses IR it cannot honour', () => {
    const bad = policy([
      { ...route('GET /{p+}/x'), segments: [{ kind: 'greedy', name: 'p' }, { kind: 'literal', value: 'x' }] },
    ]);
    expect(() => encodePolicyTable(bad)).toThrow(PolicyEncodeError);
    expect(() => encodePolicyTable(policy([{ ...route('GET /a'), method: 'TRACE' as 'GET' }]))).toThrow(/unknown method/);
    // One route to API Gateway (the loader's ROUTE_DUPLICATE): the trie could hold only one of them.
    expect(() => encodePolicyTable(policy([route('GET /shape/{one}'), route('GET /shape/{two}')]))).toThrow(/same method and template as GET \/shape\/\{one\}/);
  });
});

describe('10,000 routes', () => {
  const ir = syntheticPolicy(10_000);
  const wasm = compileIR(ir);
  const owners = ir.routes.filter((r) => r.key.endsWith('/{id}/owner'));
  it.each([
    ['first owner route by path', owners[0]!, null],
    ['last owner route by path', owners.at(-1)!, null],
    ['last owner route by routeKey', owners.at(-1)!, 'key'],
  ] as const)('%s', (_name, r, by) => {
    const path = r.key.split(' ')[1]!.replace('{id}', '42');
    for (const doc of [
      designInput(by ? r.key : null, path, 'GET'),
      { ...designInput(by ? r.key : null, path, 'GET'), token: { sub: 'x', aud: 'jwtAuthorizers', 'st-ev': { v: true } } },
      designInput(null, path.replace('/owner', '/owner/extra'), 'DELETE'),
      designInput(null, path.replace('/owner', ''), 'DELETE'),
    ]) {
      expect(JSON.stringify(wasm.decide(doc))).toBe(JSON.stringify(referenceDecision(ir, asSent(doc))));
    }
  });
});

describe('IR the compiler refuses', () => {
  it('an anyOf without branches (it could never pass and would report no reason)', () => {
    const ir = policy([route('GET /x', [chk.anyOf()])]);
    expect(() => encodePolicyTable(ir)).toThrow(PolicyEncodeError);
    expect((referenceDecision(ir, input('GET', '/x', { token: {} })) as { allow: boolean }).allow).toBe(false);
  });
});
