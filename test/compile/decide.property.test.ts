// Differential property: on the hand-written policies of decide-fixtures.ts, the wasm module and
// the reference evaluator decide alike for generated inputs: any JSON in any field, paths from a
// pool of awkward segments, route keys from the policy and beside it, claims of every shape.
// The module here is the debug build (runtime-harness.ts): the runtime's invariant assertions run
// on every input, and one failing aborts the evaluation. (The broad differential over generated
// policies, through the shipped artifact, is differential.property.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyIR } from '../../src/policy/ir.js';
import { NOW, checksPolicy, finer, routing, values } from './decide-fixtures.js';
import { asSent, compileIR, referenceDecision } from './policy-wasm.js';

const SEGMENTS = ['orders', 'special', 'admin', 'users', 'profile', 'files', 'x', 'lit', 't', 'acme', 'dup', 'mix', 'proto',
  'proto2', 'café', 'ü', 'tie', 'any', 'shape', 'a', 'health', 'c', 'p', '1', '42', '.', '..', '', '.x', '😀', '\u0085',
  '\u00a0', '%41', 'a\\b', '\u0000', '\ud800', '__proto__', 'anyOf nested', 'ev-age', 'roles-any', 'mfa-all-age', 'subject'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY', 'get', 'BREW', ''];
const CLAIMS = ['aud', 'iss', 'st-ev', 'st-role', 'st-perm', 'st-mfa', 'tId', 'sub', 'x', 'v', '__proto__'];

const keysOf = (ir: PolicyIR): string[] => ir.routes.map((r) => r.key);

function arbInput(ir: PolicyIR): fc.Arbitrary<unknown> {
  const path = fc.oneof(
    fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 6 }).map((s) => '/' + s.join('/')),
    fc.constantFrom(...keysOf(ir)).map((k) => (k.split(' ')[1] ?? '/').replace(/\{[^}]*\}/g, 'v')),
    fc.string(),
  );
  const claimValue = fc.oneof(fc.constantFrom(...values), fc.jsonValue({ maxDepth: 2 }));
  const token = fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...CLAIMS), claimValue, { maxKeys: 6 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, [], 'token', 0) },
  );
  const request = fc.record(
    {
      method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
      path: fc.oneof({ weight: 10, arbitrary: path }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
      routeKey: fc.oneof(
        fc.constantFrom(...keysOf(ir), '$default', 'ANY /{proxy+}', 'GET /nope', null),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      pathParameters: fc.oneof(
        fc.dictionary(fc.constantFrom('orderId', 'id', 'userId', 'a', 'b', 'c', 'p', 'q', 't', 'path', 'one', 'two', '__proto__'),
          fc.oneof(fc.constantFrom('1', '42', 'acme', 'p', 'v'), fc.jsonValue({ maxDepth: 1 }))),
        fc.constantFrom(null, [], 'x'),
      ),
    },
    { requiredKeys: [] },
  );
  const now = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(NOW, NOW + 1, 0, 1.5, -1) },
    { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  );
  return fc.oneof(
    { weight: 20, arbitrary: fc.record({ request, token, now }, { requiredKeys: ['request', 'now'] }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

describe.each([
  ['routing', routing],
  ['finer', finer],
  ['checks', checksPolicy],
] as const)('wasm = reference on generated inputs: %s policy', (_name, ir) => {
  const wasm = compileIR(ir, { debug: true });
  it('decision and allow entrypoints (debug build: invariants checked)', () => {
    fc.assert(
      fc.property(arbInput(ir), (doc) => {
        const want = referenceDecision(ir, asSent(doc));
        expect(JSON.stringify(wasm.decide(doc))).toBe(JSON.stringify(want));
        expect(wasm.allow(doc)).toBe((want as { allow: boolean }).allow);
      }),
      { numRuns: 3000 },
    );
  });
});
