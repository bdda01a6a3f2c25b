// The longest safe result TTL for claimguard/authorizer: the rules on hand-built policies, and the
// claim it makes checked on generated ones — wherever the HTTP API TTL is above 0, every request
// API Gateway would answer from one cache entry (same token, same dispatched route) is decided
// exactly as the one that filled it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorizerCaching, MAX_RESULT_TTL_SECONDS } from '../../src/deploy/authorizer-cache.js';
import { decide } from '../../src/decision/evaluate.js';
import type { Check, IRRoute } from '../../src/policy/ir.js';
import { arbPolicyIR, genPathFor, genToken } from '../arbitraries/index.js';
import { BASE_NOW, REQUEST_METHODS } from '../arbitraries/vocab.js';
import { chk, policy, publicRoute, route } from '../support/ir-builders.js';

describe('authorizerCaching', () => {
  it('no freshness requirement, no path parameter: claimguard\'s ceiling, API Gateway\'s default 300 s', () => {
    const c = authorizerCaching(policy([publicRoute('GET /health'), route('GET /me', [chk.roles({ anyOf: ['user'] })]), route('$default', [chk.emailVerified()])]));
    expect(c.httpApi).toMatchObject({ seconds: 300, at: null, limitedBy: expect.stringMatching(/ceiling/) });
    expect(c.rest.seconds).toBe(300);
    expect(MAX_RESULT_TTL_SECONDS).toBe(300);
  });

  it('the smallest maxAgeSeconds of a protected route bounds both, wherever it is written (anyOf branches too)', () => {
    const c = authorizerCaching(
      policy([
        route('GET /me', [chk.emailVerified(3600), chk.anyOf([chk.roles({ anyOf: ['a'] })], [chk.mfa({ anyOf: ['totp'] }, 120)])]),
        route('GET /settings', [chk.permissions({ anyOf: ['x'], maxAgeSeconds: 240 })]),
      ]),
    );
    expect(c.httpApi).toMatchObject({ seconds: 120, limitedBy: expect.stringMatching(/require\.mfa has maxAgeSeconds 120/) });
    expect(c.rest.seconds).toBe(120);
  });

  it('a public route cannot limit it (it has no requirements), nor can a protected one without maxAgeSeconds', () => {
    const c = authorizerCaching(policy([publicRoute('GET /health'), route('GET /me', [chk.roles({ anyOf: ['a'] })])]));
    expect(c.httpApi.seconds).toBe(300);
  });

  it.each<[string, Check]>([
    ['subject', chk.subject('userId')],
    ['tenant', chk.tenantParam('userId')],
    ['subject in an anyOf branch', chk.anyOf([chk.roles({ anyOf: ['admin'] })], [chk.subject('userId')])],
  ])('HTTP API: a protected route deciding on a path parameter (%s) forces 0: the route key does not tell its values apart', (_name, check) => {
    const c = authorizerCaching(policy([route('GET /users/{userId}', [check]), route('GET /me', [chk.emailVerified(60)])]));
    expect(c.httpApi).toMatchObject({ seconds: 0, limitedBy: expect.stringMatching(/"GET \/users\/\{userId\}" decides on its path parameter userId/) });
  });

  it.each(['GET /orders/{orderId}', 'ANY /admin/{proxy+}'])('REST: a protected route with path parameters (%s) forces 0: the cached policy names one method ARN', (key) => {
    const c = authorizerCaching(policy([route(key, [chk.roles({ anyOf: ['a'] })])]));
    expect(c.rest).toMatchObject({ seconds: 0, limitedBy: expect.stringMatching(/has path parameters/) });
    expect(c.httpApi.seconds).toBe(300);
  });

  it('REST: public parameterized routes do not count (the authorizer is not on them)', () => {
    expect(authorizerCaching(policy([publicRoute('GET /products/{sku}'), route('GET /me', [chk.roles({ anyOf: ['a'] })])])).rest.seconds).toBe(300);
  });

  it('generated policies: between 0 and 300, never above a protected route\'s maxAgeSeconds; REST 0 exactly when a protected route has parameters', () => {
    fc.assert(
      fc.property(arbPolicyIR({ maxRoutes: 8 }), (ir) => {
        const c = authorizerCaching(ir);
        const leaves = (checks: readonly Check[]): Check[] => checks.flatMap((x) => (x.kind === 'anyOf' ? x.branches.flatMap(leaves) : [x]));
        const protectedRoutes = ir.routes.filter((r) => !r.public);
        for (const t of [c.rest, c.httpApi]) {
          expect(t.seconds).toBeGreaterThanOrEqual(0);
          expect(t.seconds).toBeLessThanOrEqual(300);
          for (const x of protectedRoutes.flatMap((r) => leaves(r.checks))) {
            if ('maxAgeSeconds' in x && x.maxAgeSeconds !== null) expect(t.seconds).toBeLessThanOrEqual(x.maxAgeSeconds);
          }
        }
        const parameterized = protectedRoutes.some((r) => (r.segments ?? []).some((s) => s.kind !== 'literal'));
        expect(c.rest.seconds === 0).toBe(parameterized);
      }),
      { numRuns: 150 },
    );
  });

  it('generated policies: where the HTTP API TTL is above 0, one cache entry answers every request it is reused for exactly as it was decided', () => {
    let compared = 0;
    const canonical = (p: string) => !/[%\\]|\/\.{1,2}(\/|$)|\/\/|[\u0000-\u001f\u007f-\u009f]/.test(p);
    fc.assert(
      fc.property(arbPolicyIR({ maxRoutes: 8 }), fc.gen(), (ir, g) => {
        if (authorizerCaching(ir).httpApi.seconds === 0) return;
        // A request API Gateway dispatches to `r` is one whose best match is `r` (one route per policy route).
        const dispatchable = (r: IRRoute, method: string, path: string) => decide(ir, { request: { method, path }, token: null, now: BASE_NOW }).route === r.key;
        for (const r of ir.routes.filter((x) => !x.public && x.segments !== null)) {
          const method = r.method === 'ANY' || r.method === null ? REQUEST_METHODS[g(() => fc.nat({ max: REQUEST_METHODS.length - 1 }))]! : r.method;
          const a = genPathFor(g, r.segments!, 0);
          const b = genPathFor(g, r.segments!, 0);
          if (![a, b].every((x) => canonical(x.path) && dispatchable(r, method, x.path))) continue;
          const token = genToken(g, r, a.params, BASE_NOW);
          const first = decide(ir, { request: { method, routeKey: r.key, path: a.path, pathParameters: a.params }, token, now: BASE_NOW });
          const reused = decide(ir, { request: { method, routeKey: r.key, path: b.path, pathParameters: b.params }, token, now: BASE_NOW });
          expect(reused).toEqual(first);
          compared++;
        }
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
