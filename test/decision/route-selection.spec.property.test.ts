// Properties of the route-selection *rule* itself (docs/decision.md, "Which route decides"), not of
// one implementation: the differential tests cannot see a wrong rule that the reference and the
// module share. Every case here is a request API Gateway dispatched to a route the policy names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../../src/decision/checks.js';
import { checkInput, isObject } from '../../src/decision/input.js';
import { decide, evaluate } from '../../src/decision/evaluate.js';
import type { IRRoute, PolicyIR, Segment } from '../../src/policy/ir.js';
import { arbCase, arbLeafCheck, arbRouteTemplate, paramNamesOf, renderTemplate, type DecisionCase, type RouteTemplate } from '../arbitraries/index.js';
import { assertChunked } from '../support/breathe.js';

type Doc = Record<string, unknown>;

/** The policy route the input's routeKey names (API Gateway dispatched it), or undefined. */
function dispatched(ir: PolicyIR, input: unknown): IRRoute | undefined {
  const checked = checkInput(input);
  if ('code' in checked || checked.routeKey === null || checked.routeKey === '$default') return undefined;
  return ir.routes.find((r) => r.key === checked.routeKey && r.segments !== null);
}

/** Cases whose request names a policy route (the generator aims them so; the filter only drops policies without templates). */
const arbDispatched = (): fc.Arbitrary<DecisionCase & { route: IRRoute }> =>
  arbCase({}, { dispatched: true, malformedPercent: 0 })
    .map((c) => ({ ...c, route: dispatched(c.ir, c.input) }))
    .filter((c): c is DecisionCase & { route: IRRoute } => c.route !== undefined);

const shape = (r: IRRoute): string =>
  `${r.method} ${(r.segments ?? []).map((s) => (s.kind === 'literal' ? s.value : `{${s.kind}}`)).join('/')}`;

/** A route template that matches the input's request (its method or ANY; literals, params, a greedy tail). */
function arbTemplateMatching(input: unknown): fc.Arbitrary<RouteTemplate> {
  const request = (input as Doc)['request'] as Doc;
  const segments = String(request['path']).split('/').slice(1).filter((s) => s !== '');
  const method = String(request['method']);
  return fc
    .record({
      method: fc.constantFrom(...(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(method) ? [method, 'ANY'] : ['ANY'])),
      kinds: fc.array(fc.constantFrom('literal', 'literal', 'param'), { minLength: segments.length, maxLength: segments.length }),
      greedyFrom: fc.nat({ max: segments.length + 1 }),
    })
    .map(({ method: m, kinds, greedyFrom }) => {
      const out: Segment[] = [];
      for (let i = 0; i < segments.length; i++) {
        if (i === greedyFrom) {
          out.push({ kind: 'greedy', name: 'rest' });
          break;
        }
        out.push(kinds[i] === 'param' ? { kind: 'param', name: `p${i}` } : { kind: 'literal', value: segments[i]! });
      }
      return { method: m as RouteTemplate['method'], segments: out };
    });
}

const withRoute = (ir: PolicyIR, key: string, change: (r: IRRoute) => IRRoute): PolicyIR => ({
  ...ir,
  routes: ir.routes.map((r) => (r.key === key ? change(r) : r)),
});

describe('the dispatched route always decides', () => {
  it('making the dispatched route stricter (one more requirement, or protected instead of public) never turns a deny into an allow', async () => {
    await assertChunked(
      fc.property(
        arbDispatched().chain((c) => arbLeafCheck(paramNamesOf(c.route.segments)).map((extra) => ({ ...c, extra }))),
        ({ ir, input, route, extra }) => {
          const before = decide(ir, input);
          const stricter = withRoute(ir, route.key, (r) => ({ ...r, public: false, checks: [...r.checks, extra] }));
          const after = decide(stricter, input);
          if (!before.allow) expect(after.allow).toBe(false);
          // Stricter is also never looser on the status: an allow may become a deny, never the reverse.
          if (after.allow) expect(before.allow).toBe(true);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('adding a public route anywhere else never turns a deny into an allow', async () => {
    let matching = 0;
    await assertChunked(
      fc.property(arbDispatched().chain((c) => fc.tuple(fc.constant(c), fc.oneof(arbTemplateMatching(c.input), arbRouteTemplate(4)))), ([{ ir, input, route }, t]) => {
        const key = `${t.method} ${renderTemplate(t.segments)}`;
        const added: IRRoute = { key, method: t.method, segments: t.segments, public: true, checks: [], at: route.at };
        // Route keys and shapes are unique in a policy the loader accepts.
        fc.pre(!ir.routes.some((r) => r.key === key || shape(r) === shape(added)));
        const looser: PolicyIR = { ...ir, routes: [...ir.routes, added] };
        const after = evaluate(looser, input);
        if (after.match?.route === added || after.finer.some((f) => f.match.route === added)) matching++;
        if (!decide(ir, input).allow) expect(after.decision.allow).toBe(false);
      }),
      { numRuns: 250 },
    );
    // The public routes must often be the ones a path-matching rule would pick.
    expect(matching).toBeGreaterThan(40);
  });

  it('an allow means every requirement of the dispatched route passed, on the parameters API Gateway gave', async () => {
    let allowedProtected = 0;
    await assertChunked(
      fc.property(arbDispatched(), ({ ir, input, route }) => {
        const e = evaluate(ir, input);
        if (!e.decision.allow) return;
        expect(e.decision.route).toBe(route.key);
        if (route.public) return;
        const request = (input as Doc)['request'] as Doc;
        const token = (input as Doc)['token'];
        expect(isObject(token)).toBe(true);
        const params = isObject(request['pathParameters']) ? request['pathParameters'] : {};
        const outcomes = evaluateChecks(route.checks, { token: token as Doc, params, now: (input as Doc)['now'] as number });
        expect(outcomes.every((o) => o.pass)).toBe(true);
        allowedProtected++;
      }),
      { numRuns: 400 },
    );
    // Only worth something if protected dispatched routes do get allowed.
    expect(allowedProtected).toBeGreaterThan(20);
  });

  it('finer routes that applied match the request, are exactly the ones path matching ranks first, and passed on an allow', async () => {
    let finer = 0;
    await assertChunked(
      fc.property(arbDispatched(), ({ ir, input, route }) => {
        const e = evaluate(ir, input);
        if (e.finer.length === 0) return;
        finer++;
        expect(e.decision.finerRoutes).toEqual(e.finer.map((f) => f.match.route.key));
        expect(e.finer.map((f) => f.match.route)).not.toContain(route);
        // Path matching without the dispatched route picks them in this order, one after another.
        let rest = ir.routes.filter((r) => r !== route);
        const request = { ...((input as Doc)['request'] as Doc), routeKey: null };
        for (const f of e.finer) {
          expect(evaluate({ ...ir, routes: rest }, { ...(input as Doc), request }).match?.route).toBe(f.match.route);
          rest = rest.filter((r) => r !== f.match.route);
        }
        if (e.decision.allow) for (const f of e.finer) expect(f.outcomes.every((o) => o.pass)).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect(finer).toBeGreaterThan(5);
  });
});
