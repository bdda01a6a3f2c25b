// The generators themselves: every IR is one the loader could produce (schema + route-key rules),
// every input is plain JSON, and together they reach every outcome the evaluator has.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/decision/evaluate.js';
import type { ReasonCode } from '../../src/decision/types.js';
import type { Check, PolicyIR } from '../../src/policy/ir.js';
import { assertChunked, breathe } from '../support/breathe.js';
import { arbCase, arbCases, arbPolicyIR, paramNamesOf, templateShape, vocab } from './index.js';

const PARAM_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

function checkIR(ir: PolicyIR): void {
  expect(ir.version).toBe(1);
  expect(ir.routes.length).toBeGreaterThanOrEqual(1);
  expect(ir.routes.length).toBeLessThanOrEqual(30);
  expect(new Set(ir.routes.map((r) => r.key)).size).toBe(ir.routes.length);
  const templated = ir.routes.filter((r) => r.segments !== null);
  expect(new Set(templated.map((r) => templateShape({ method: r.method!, segments: r.segments! }))).size).toBe(templated.length);
  for (const r of ir.routes) {
    if (r.key === '$default') {
      expect(r.method).toBeNull();
      expect(r.segments).toBeNull();
    } else {
      const segs = r.segments!;
      segs.forEach((s, i) => {
        if (s.kind === 'greedy') expect(i).toBe(segs.length - 1);
        if (s.kind !== 'literal') expect(s.name).toMatch(PARAM_NAME);
      });
      const names = paramNamesOf(segs);
      expect(new Set(names).size).toBe(names.length);
    }
    if (r.public) expect(r.checks).toEqual([]);
    const params = new Set(paramNamesOf(r.segments));
    const visit = (checks: readonly Check[]): void => {
      for (const c of checks) {
        expect(typeof c.path).toBe('string');
        expect(c.path.length).toBeGreaterThan(0);
        expect(c.at.line).toBeGreaterThan(0);
        switch (c.kind) {
          case 'anyOf':
            expect(c.branches.length).toBeGreaterThan(0);
            for (const b of c.branches) expect(b.length).toBeGreaterThan(0);
            c.branches.forEach(visit);
            break;
          case 'roles':
          case 'permissions':
            expect(c.anyOf ?? c.allOf ?? c.noneOf).not.toBeNull();
            for (const l of [c.anyOf, c.allOf, c.noneOf]) if (l) expect(l.length).toBeGreaterThan(0);
            if (c.maxAgeSeconds !== null) expect(Number.isInteger(c.maxAgeSeconds) && c.maxAgeSeconds >= 1).toBe(true);
            break;
          case 'mfa':
            if (c.factors) {
              expect((c.factors.anyOf === null) !== (c.factors.allOf === null)).toBe(true);
              for (const f of c.factors.anyOf ?? c.factors.allOf ?? []) expect(vocab.FACTORS).toContain(f);
            } else {
              expect(c.maxAgeSeconds).toBeNull();
            }
            break;
          case 'tenant':
            expect((c.anyOf === null) !== (c.equalsPathParam === null)).toBe(true);
            if (c.equalsPathParam !== null) expect(params.has(c.equalsPathParam)).toBe(true);
            break;
          case 'subject':
            expect(params.has(c.equalsPathParam)).toBe(true);
            break;
          case 'claim':
            expect(c.id.length).toBeGreaterThan(0);
            if (c.op === 'anyOf') expect(c.values.length).toBeGreaterThan(0);
            break;
          default:
            break;
        }
      }
    };
    visit(r.checks);
  }
}

/** Plain JSON: no undefined, functions, -0, NaN or ±Infinity anywhere, and stringify is stable. */
function checkJson(x: unknown): void {
  const bad: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) bad.push(`${at}: ${v}`);
    } else if (Array.isArray(v)) {
      v.forEach((e, i) => walk(e, `${at}[${i}]`));
    } else if (typeof v === 'object' && v !== null) {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) bad.push(`${at}: not a plain object`);
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], `${at}.${k}`);
    } else if (typeof v !== 'string' && typeof v !== 'boolean' && v !== null) {
      bad.push(`${at}: ${typeof v}`);
    }
  };
  walk(x, '$');
  expect(bad).toEqual([]);
  const text = JSON.stringify(x);
  expect(JSON.stringify(JSON.parse(text))).toBe(text);
}

describe('arbPolicyIR', () => {
  it('produces IRs the loader could produce', async () => {
    await assertChunked(fc.property(arbPolicyIR(), checkIR), { numRuns: 150 }, 25);
  });

  it('produces JSON-serializable IRs', () => {
    fc.assert(fc.property(arbPolicyIR(), checkJson), { numRuns: 50 });
  });
});

describe('arbInputFor', () => {
  it('produces plain JSON documents', async () => {
    await assertChunked(fc.property(arbCase(), ({ input }) => checkJson(input)), { numRuns: 300 }, 50);
  });

  it('reaches every outcome of the evaluator (fixed seed)', async () => {
    const seen = new Set<string>();
    let protectedAllow = 0;
    let protectedDeny = 0;
    // A fixed corpus, sampled in slices with a turn of the event loop between them.
    const cases: { ir: PolicyIR; input: unknown }[] = [];
    for (let slice = 0; slice < 8; slice++) {
      for (const { ir, inputs } of fc.sample(arbCases({ min: 8, max: 8 }), { numRuns: 50, seed: 20240405 + slice })) {
        for (const input of inputs) cases.push({ ir, input });
      }
      await breathe();
    }
    for (const { ir, input } of cases) {
      await breathe();
      const e = evaluate(ir, input);
      const d = e.decision;
      for (const r of d.reasons) seen.add(r.code);
      if (d.route === '$default') seen.add('route:$default');
      if (e.match?.route.segments?.some((s) => s.kind === 'greedy')) seen.add('route:greedy');
      const req = (input as { request?: { routeKey?: unknown } } | null)?.request;
      if (typeof req?.routeKey === 'string' && req.routeKey === d.route) seen.add('hit:routeKey');
      if (e.match && !e.match.route.public && e.outcomes.length > 0) d.allow ? protectedAllow++ : protectedDeny++;
      for (const o of e.outcomes) if (o.check.kind === 'anyOf') seen.add(o.pass ? 'anyOf:pass' : 'anyOf:fail');
      // A scalar claim against an object `equals` with as many keys (`7` vs `{}`): a comparison
      // that took any value for an object would call them equal.
      for (const o of e.outcomes) {
        const c = o.check;
        if (c.kind !== 'claim' || c.op !== 'equals' || typeof c.value !== 'object' || c.value === null || Array.isArray(c.value)) continue;
        const seenValue: unknown = o.seen;
        if (seenValue !== null && seenValue !== undefined && typeof seenValue !== 'object' && Object.keys(seenValue).length === Object.keys(c.value).length) {
          seen.add('claim:scalar-vs-object');
        }
      }
    }
    const codes: ReasonCode[] = [
      'INPUT_INVALID', 'PATH_REJECTED', 'ROUTE_NOT_IN_POLICY', 'ROUTE_MISMATCH', 'TOKEN_MISSING', 'CLAIM_INVALID', 'AUDIENCE_MISMATCH',
      'ISSUER_MISMATCH', 'EMAIL_NOT_VERIFIED', 'EMAIL_VERIFICATION_EXPIRED', 'ROLES_MISSING', 'ROLE_FORBIDDEN',
      'ROLES_EXPIRED', 'PERMISSIONS_MISSING', 'PERMISSION_FORBIDDEN', 'PERMISSIONS_EXPIRED', 'MFA_REQUIRED',
      'MFA_FACTOR_MISSING', 'MFA_FACTOR_EXPIRED', 'TENANT_MISMATCH', 'SUBJECT_MISMATCH', 'CLAIM_MISMATCH',
    ];
    for (const k of [...codes, 'route:$default', 'route:greedy', 'hit:routeKey', 'anyOf:pass', 'anyOf:fail', 'claim:scalar-vs-object']) expect(seen).toContain(k);
    // "Checks pass about half the time": protected routes with a token allow 30–70 % of the time.
    const rate = protectedAllow / (protectedAllow + protectedDeny);
    expect(rate).toBeGreaterThan(0.3);
    expect(rate).toBeLessThan(0.7);
  });
});
