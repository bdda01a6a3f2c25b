// Invariants of the reference evaluator over random policies and inputs aimed at them
// (test/arbitraries). Each property must hold for every generated case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, evaluate } from '../../src/decision/evaluate.js';
import { checkInput } from '../../src/decision/input.js';
import { REASON_CODES, type Decision, type ReasonCode } from '../../src/decision/types.js';
import type { Check, PolicyIR } from '../../src/policy/ir.js';
import { arbCase, jsonObject } from '../arbitraries/index.js';
import { assertChunked } from '../support/breathe.js';

const RUNS = { numRuns: 300 };
type Doc = Record<string, unknown>;

const CODES: readonly ReasonCode[] = REASON_CODES;
/** Codes that stand alone: they stop evaluation before any check runs. */
const ALONE: readonly ReasonCode[] = ['INPUT_INVALID', 'PATH_REJECTED', 'ROUTE_NOT_IN_POLICY', 'ROUTE_MISMATCH', 'TOKEN_MISSING'];

const isValidInput = (input: unknown): input is Doc => !('code' in checkInput(input));
const tokenOf = (input: Doc): Doc | null => {
  const t = Object.hasOwn(input, 'token') ? input['token'] : null;
  return t === null || t === undefined ? null : (t as Doc);
};
const routeOf = (ir: PolicyIR, d: Decision) => ir.routes.find((r) => r.key === d.route);
const leafIds = (checks: readonly Check[]): string[] =>
  checks.flatMap((c) => (c.kind === 'anyOf' ? c.branches.flatMap(leafIds) : [c.id]));

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const k of Object.keys(x)) deepFreeze((x as Record<string, unknown>)[k]);
  }
  return x;
}

describe('reference evaluator invariants', () => {
  it('never throws, never mutates its arguments, and returns a well-formed decision', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        deepFreeze(ir);
        deepFreeze(input);
        const d = decide(ir, input);
        expect(typeof d.allow).toBe('boolean');
        expect([200, 401, 403]).toContain(d.status);
        expect(d.route === null || ir.routes.some((r) => r.key === d.route)).toBe(true);
        for (const r of d.reasons) {
          expect(CODES).toContain(r.code);
          expect(typeof r.id).toBe('string');
          expect(typeof r.reason.message).toBe('string');
        }
      }),
      RUNS,
    );
  });

  it('allow ⇔ no reasons ⇔ status 200', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        const d = decide(ir, input);
        expect(d.reasons.length === 0).toBe(d.allow);
        expect(d.status === 200).toBe(d.allow);
      }),
      RUNS,
    );
  });

  it('status 401 ⇔ exactly TOKEN_MISSING ⇔ a protected route matched and the token is null or absent', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        const d = decide(ir, input);
        const onlyTokenMissing = d.reasons.length === 1 && d.reasons[0]!.code === 'TOKEN_MISSING';
        expect(d.status === 401).toBe(onlyTokenMissing);
        expect(d.reasons.some((r) => r.code === 'TOKEN_MISSING')).toBe(onlyTokenMissing);
        if (isValidInput(input) && d.route !== null) {
          const protectedNoToken = !routeOf(ir, d)!.public && tokenOf(input) === null;
          expect(d.status === 401).toBe(protectedNoToken);
        }
      }),
      RUNS,
    );
  });

  it('pre-check codes stand alone, with route null except TOKEN_MISSING; reason ids name the applied routes’ claims', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        const d = decide(ir, input);
        const alone = d.reasons.filter((r) => ALONE.includes(r.code));
        if (alone.length > 0) {
          expect(d.reasons).toHaveLength(1);
          expect(d.route === null).toBe(alone[0]!.code !== 'TOKEN_MISSING');
        } else if (!d.allow) {
          const applied = [d.route, ...(d.finerRoutes ?? [])].map((k) => ir.routes.find((r) => r.key === k)!);
          const ids = new Set(applied.flatMap((r) => leafIds(r.checks)));
          for (const r of d.reasons) expect(ids.has(r.id)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('the decision survives a JSON round trip unchanged, and so does deciding on the round-tripped input', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        const d = decide(ir, input);
        const text = JSON.stringify(d);
        expect(JSON.stringify(JSON.parse(text))).toBe(text);
        const irText = JSON.stringify(ir);
        const again = decide(JSON.parse(irText) as PolicyIR, input === undefined ? undefined : JSON.parse(JSON.stringify(input)));
        expect(JSON.stringify(again)).toBe(text);
      }),
      RUNS,
    );
  });

  it('evaluate(): decision reasons are the outcomes’ reasons in order (finer routes adding only new ones); allow ⇔ every outcome passed', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        const e = evaluate(ir, input);
        const all = [e.outcomes, ...e.finer.map((f) => f.outcomes)];
        for (const o of all.flat()) expect(o.pass).toBe(o.reasons.length === 0);
        if (all.some((os) => os.length > 0)) {
          const expected = e.outcomes.flatMap((o) => o.reasons);
          for (const r of e.finer.flatMap((f) => f.outcomes.flatMap((o) => o.reasons))) {
            if (!expected.some((x) => JSON.stringify(x) === JSON.stringify(r))) expected.push(r);
          }
          expect(e.decision.reasons).toEqual(expected);
          expect(e.decision.allow).toBe(all.every((os) => os.every((o) => o.pass)));
        }
        expect(e.decision.route).toBe(e.match?.route.key ?? null);
        expect(e.decision.finerRoutes ?? []).toEqual(e.finer.map((f) => f.match.route.key));
      }),
      RUNS,
    );
  });

  it('a matched public route with no finer protected route always allows, whatever the token', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        const d = decide(ir, input);
        const r = routeOf(ir, d);
        const finer = (d.finerRoutes ?? []).map((k) => ir.routes.find((x) => x.key === k)!);
        if (r?.public && finer.every((f) => f.public)) {
          expect(d).toEqual({ allow: true, status: 200, route: r.key, ...(d.finerRoutes && { finerRoutes: d.finerRoutes }), reasons: [] });
        }
      }),
      RUNS,
    );
  });

  it('route selection depends on the request only, never on the token or the clock', async () => {
    await assertChunked(
      fc.property(arbCase(), fc.constantFrom<Doc['token']>(null, {}, { sub: 'x' }), fc.integer(), ({ ir, input }, token, now) => {
        fc.pre(isValidInput(input));
        expect(decide(ir, { ...input, token, now }).route).toBe(decide(ir, input).route);
      }),
      RUNS,
    );
  });

  it('the order of routes in the IR does not matter (route shapes are unique)', async () => {
    await assertChunked(
      fc.property(arbCase(), fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), ({ ir, input }, keys) => {
        const shuffled = ir.routes.map((r, i) => [keys[i]!, i, r] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , r]) => r);
        expect(decide({ ...ir, routes: shuffled }, input)).toEqual(decide(ir, input));
      }),
      RUNS,
    );
  });

  it('removing a claim (or making it null) never turns a deny into an allow', async () => {
    await assertChunked(
      fc.property(arbCase(), fc.nat(), fc.boolean(), ({ ir, input }, pick, toNull) => {
        fc.pre(isValidInput(input));
        const token = tokenOf(input);
        fc.pre(token !== null && Object.keys(token).length > 0);
        const keys = Object.keys(token);
        const victim = keys[pick % keys.length]!;
        const smaller = jsonObject(toNull ? keys.map((k) => [k, k === victim ? null : token[k]]) : keys.filter((k) => k !== victim).map((k) => [k, token[k]]));
        const before = decide(ir, input);
        const after = decide(ir, { ...input, token: smaller });
        if (!before.allow) expect(after.allow).toBe(false);
      }),
      RUNS,
    );
  });

  it('removing a completed MFA factor never turns a deny into an allow', async () => {
    await assertChunked(
      fc.property(arbCase(), fc.nat(), ({ ir, input }, pick) => {
        fc.pre(isValidInput(input));
        const token = tokenOf(input);
        const mfa = token?.['st-mfa'] as Doc | undefined;
        const c = mfa?.['c'];
        fc.pre(typeof c === 'object' && c !== null && !Array.isArray(c) && Object.keys(c).length > 0);
        const keys = Object.keys(c as Doc);
        const victim = keys[pick % keys.length]!;
        const fewer = jsonObject(keys.filter((k) => k !== victim).map((k) => [k, (c as Doc)[k]]));
        const after = decide(ir, { ...input, token: jsonObject([...Object.entries(token!), ['st-mfa', { ...mfa, c: fewer }]]) });
        if (!decide(ir, input).allow) expect(after.allow).toBe(false);
      }),
      RUNS,
    );
  });

  it('an earlier clock never turns an allow into a deny (claims only age)', async () => {
    await assertChunked(
      fc.property(arbCase(), fc.constantFrom(0.5, 1, 999, 1000, 1001, 60_000, 300_000, 86_400_000), ({ ir, input }, delta) => {
        fc.pre(isValidInput(input));
        const now = input['now'] as number;
        if (decide(ir, input).allow) expect(decide(ir, { ...input, now: now - delta }).allow).toBe(true);
      }),
      RUNS,
    );
  });

  it('a claim no check reads changes nothing', async () => {
    await assertChunked(
      fc.property(arbCase(), fc.jsonValue(), ({ ir, input }, value) => {
        fc.pre(isValidInput(input));
        const token = tokenOf(input);
        fc.pre(token !== null);
        const more = jsonObject([...Object.entries(token), ['x-unread-claim', value]]);
        expect(decide(ir, { ...input, token: more })).toEqual(decide(ir, input));
      }),
      RUNS,
    );
  });

  it('a routeKey naming a policy route (not $default) decides, unless the path is refused or cannot be that route’s', async () => {
    await assertChunked(
      fc.property(arbCase(), ({ ir, input }) => {
        fc.pre(isValidInput(input));
        const request = input['request'] as Doc;
        const key = request['routeKey'];
        fc.pre(typeof key === 'string' && key !== '$default' && ir.routes.some((r) => r.key === key && r.segments !== null));
        const e = evaluate(ir, input);
        const code = e.decision.reasons[0]?.code;
        if (code === 'PATH_REJECTED' || code === 'ROUTE_MISMATCH') {
          expect(e.decision.route).toBeNull();
          return;
        }
        expect(e.decision.route).toBe(key);
        // Finer routes can only join the dispatched one, and only routes matched by method + path.
        for (const f of e.finer) expect(f.match.route.method === request['method'] || f.match.route.method === 'ANY').toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
