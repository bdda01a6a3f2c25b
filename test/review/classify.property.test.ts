// The diff classifier is sound: on generated policies and generated edits (test/review/mutate.ts),
// when it calls the whole change `tightened`, no generated request turns a deny into an allow;
// `loosened`, no allow into a deny; `none`, no verdict changes at all. Decisions come from the
// reference evaluator (the bundle is held equal to it by the differential test). Requests are
// routed by method and path, as the diff assumes API Gateway routes them (API routes = policy
// routes). And the classifier is not vacuous: many changes get a one-way verdict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decision/evaluate.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { diffRoutes, overallEffect } from '../../src/review/diff.js';
import { arbInputFor, arbPolicyIR } from '../arbitraries/index.js';
import { breathe } from '../support/breathe.js';
import { arbPolicyChange } from './mutate.js';

/** By path only: the request API Gateway sends when the API's routes are the policy's. */
function byPath(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const doc = input as { request?: unknown };
  if (typeof doc.request !== 'object' || doc.request === null) return input;
  const { routeKey: _k, pathParameters: _p, ...request } = doc.request as Record<string, unknown>;
  return { ...doc, request };
}

const inputsFor = (base: PolicyIR, head: PolicyIR): fc.Arbitrary<unknown[]> =>
  fc.tuple(fc.array(arbInputFor(base, { malformedPercent: 0 }), { minLength: 20, maxLength: 20 }), fc.array(arbInputFor(head, { malformedPercent: 0 }), { minLength: 20, maxLength: 20 })).map(([a, b]) => [...a, ...b].map(byPath));

describe('diff classifier soundness', () => {
  it('tightened never lets a deny through, loosened never denies an allow, none changes nothing', async () => {
    const seen = { tightened: 0, loosened: 0, mixed: 0, none: 0 };
    await fc.assert(
      fc.asyncProperty(
        arbPolicyChange().chain(({ base, head }) => inputsFor(base, head).map((inputs) => ({ base, head, inputs }))),
        async ({ base, head, inputs }) => {
          await breathe();
          const effect = overallEffect(diffRoutes(base, head));
          seen[effect]++;
          for (const input of inputs) {
            const before = decide(base, input).allow;
            const after = decide(head, input).allow;
            if (effect === 'tightened' || effect === 'none') expect(!before && after, `deny → allow under "${effect}"\n${JSON.stringify(input)}`).toBe(false);
            if (effect === 'loosened' || effect === 'none') expect(before && !after, `allow → deny under "${effect}"\n${JSON.stringify(input)}`).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
    // Not vacuous: plenty of edits get a one-way verdict (about a third tighten, a fifth loosen).
    expect(seen.tightened).toBeGreaterThan(25);
    expect(seen.loosened).toBeGreaterThan(20);
  });

  it('a policy compared with itself is unchanged everywhere', async () => {
    await fc.assert(
      fc.asyncProperty(arbPolicyIR({ maxRoutes: 8, maxChecks: 3, maxAnyOfDepth: 2 }), async (base) => {
        await breathe();
        const routes = diffRoutes(base, base);
        expect(routes.every((r) => r.change === 'unchanged' && r.effect === 'none' && r.details.length === 0)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
