// The answer, verdict by verdict (src/authorizer/answer.ts): the whole IAM policy (one statement,
// `execute-api:Invoke`, Allow or Deny, on exactly the methodArn), the whole simple response, the
// principal (the token's `sub` only when it is a non-empty string, else `anonymous`), the context
// on every result, `Unauthorized` for what a refresh can cure and NO_DECISION for a fault. Built
// from verdicts written out here, including those the pipeline gives rarely (an allow without a
// route, a refusal before the bundle loaded). The last test answers with a second instance of
// answer.ts, evaluated inside it, so that its constants are built in a test. Found by mutation
// testing (CONTRIBUTING.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, policyResult, simpleResult } from '../../src/authorizer/answer.js';
import { AuthorizerError } from '../../src/authorizer/errors.js';
import type { Decision, Reason } from '../../src/decision/types.js';
import type { Verdict } from '../../src/lambda/pipeline.js';
import { thrown } from '../support/thrown.js';

const ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/42';
const ROUTE = 'GET /orders/{orderId}';

const ROLES: Reason = { id: 'st-role', code: 'ROLES_MISSING', reason: { message: 'wrong value', expectedToInclude: ['admin'], actualValue: ['customer'] } };
const MFA: Reason = { id: 'st-mfa', code: 'MFA_REQUIRED', reason: { message: 'MFA required' } };
const NO_ROUTE: Reason = { id: 'request', code: 'ROUTE_NOT_IN_POLICY', reason: { message: 'no route' } };

const allow = (token: Record<string, unknown> | null, route: string | null = ROUTE): Verdict => ({
  kind: 'allow',
  decision: { allow: true, status: 200, route, reasons: [], decisionId: 'd-allow', revision: 'rev-1', token },
});
const deny = (decision: Partial<Decision>, token: Record<string, unknown> | null = { sub: 'u1' }): Verdict => ({
  kind: 'deny',
  decision: { allow: false, status: 403, route: ROUTE, reasons: [], ...decision },
  decisionId: 'd-deny',
  revision: 'rev-2',
  token,
});

const policy = (principalId: string, effect: 'Allow' | 'Deny', context: Record<string, string>) => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: ARN }] },
  context,
});

const FORBIDDEN = { message: 'forbidden', claimValidationErrors: 'null' };

describe('allow', () => {
  it('one statement allowing exactly the methodArn; principal = sub; the context with the refusal a cached copy would give', async () => {
    const context = { decisionId: 'd-allow', revision: 'rev-1', route: ROUTE, ...FORBIDDEN };
    expect(policyResult(allow({ sub: 'u1' }), ARN)).toEqual(policy('u1', 'Allow', context));
    expect(simpleResult(allow({ sub: 'u1' }))).toEqual({ isAuthorized: true, context });
  });

  it("no route decided: route ''", async () => {
    const context = { decisionId: 'd-allow', revision: 'rev-1', route: '', ...FORBIDDEN };
    expect(policyResult(allow({ sub: 'u1' }, null), ARN)).toEqual(policy('u1', 'Allow', context));
    expect(simpleResult(allow(null, null))).toEqual({ isAuthorized: true, context });
  });

  it.each<[string, Record<string, unknown> | null]>([
    ['no token (a public route)', null],
    ['a token without sub', { iss: 'x' }],
    ['an empty sub', { sub: '' }],
    ['a numeric sub', { sub: 42 }],
    ['an object sub', { sub: { id: 'u1' } }],
    ['a sub that is true', { sub: true }],
  ])("%s: principal 'anonymous' (principalId must be a non-empty string)", async (_name, token) => {
    expect(ANONYMOUS).toBe('anonymous');
    expect(policyResult(allow(token), ARN).principalId).toBe('anonymous');
  });

  it('a one-character sub is the principal', async () => {
    expect(policyResult(allow({ sub: 'x' }), ARN).principalId).toBe('x');
  });
});

describe('deny', () => {
  it('every reason a failed claim: Deny on the methodArn, `invalid claim` and the claimValidationErrors JSON', async () => {
    const context = {
      decisionId: 'd-deny',
      revision: 'rev-2',
      route: ROUTE,
      message: 'invalid claim',
      claimValidationErrors:
        '[{"id":"st-role","reason":{"message":"wrong value","expectedToInclude":["admin"],"actualValue":["customer"]}},{"id":"st-mfa","reason":{"message":"MFA required"}}]',
    };
    expect(policyResult(deny({ reasons: [ROLES, MFA] }), ARN)).toEqual(policy('u1', 'Deny', context));
    expect(simpleResult(deny({ reasons: [ROLES, MFA] }))).toEqual({ isAuthorized: false, context });
  });

  it.each<[string, Partial<Decision>, string]>([
    ['no policy route', { route: null, reasons: [NO_ROUTE] }, ''],
    ['a claim and a refusal of the request', { reasons: [ROLES, NO_ROUTE] }, ROUTE],
    ['no reason at all', { reasons: [] }, ROUTE],
  ])('any other refusal (%s): Deny, forbidden, claimValidationErrors null', async (_name, decision, route) => {
    const context = { decisionId: 'd-deny', revision: 'rev-2', route, ...FORBIDDEN };
    expect(policyResult(deny(decision), ARN)).toEqual(policy('u1', 'Deny', context));
    expect(simpleResult(deny(decision))).toEqual({ isAuthorized: false, context });
  });

  it("the principal of a deny is the verdict's token sub, or 'anonymous'", async () => {
    expect(policyResult(deny({ reasons: [ROLES] }, { sub: 'u9' }), ARN).principalId).toBe('u9');
    expect(policyResult(deny({ reasons: [ROLES] }, null), ARN).principalId).toBe('anonymous');
    expect(policyResult(deny({ reasons: [ROLES] }, { sub: '' }), ARN).principalId).toBe('anonymous');
  });

  it('a protected route without a token (status 401): exactly `Error("Unauthorized")`, no policy', async () => {
    for (const answer of [() => policyResult(deny({ status: 401, reasons: [] }, null), ARN), () => simpleResult(deny({ status: 401, reasons: [] }, null))]) {
      const e = thrown(answer);
      expect([e.constructor, e.message]).toEqual([Error, 'Unauthorized']);
    }
  });
});

describe('refusals before deciding', () => {
  it('401 (a token a refresh can replace): exactly `Error("Unauthorized")`', async () => {
    const verdict: Verdict = { kind: 'refuse', status: 401, code: 'TOKEN_MALFORMED', decisionId: 'd-r', revision: 'rev-3' };
    for (const answer of [() => policyResult(verdict, ARN), () => simpleResult(verdict)]) {
      const e = thrown(answer);
      expect([e.constructor, e.message]).toEqual([Error, 'Unauthorized']);
    }
  });

  it("403 (an inconsistent event): Deny, principal 'anonymous', route '', forbidden; revision '' when no bundle had loaded", async () => {
    const loaded: Verdict = { kind: 'refuse', status: 403, code: 'EVENT_INCONSISTENT', decisionId: 'd-i', revision: 'rev-4' };
    const unloaded: Verdict = { kind: 'refuse', status: 403, code: 'EVENT_INCONSISTENT', decisionId: 'd-j', revision: null };
    expect(policyResult(loaded, ARN)).toEqual(policy('anonymous', 'Deny', { decisionId: 'd-i', revision: 'rev-4', route: '', ...FORBIDDEN }));
    expect(simpleResult(unloaded)).toEqual({ isAuthorized: false, context: { decisionId: 'd-j', revision: '', route: '', ...FORBIDDEN } });
  });
});

describe('faults', () => {
  it('NO_DECISION naming the wrapper code and the decision-log line (API Gateway: 500), for both kinds', async () => {
    const verdict: Verdict = { kind: 'fault', code: 'BUNDLE_NOT_FOUND', decisionId: 'd-f' };
    for (const answer of [() => policyResult(verdict, ARN), () => simpleResult(verdict)]) {
      const e = thrown(answer);
      expect(e).toBeInstanceOf(AuthorizerError);
      expect([e.name, (e as InstanceType<typeof AuthorizerError>).code, e.message]).toEqual([
        'AuthorizerError',
        'NO_DECISION',
        'claimguard/authorizer made no decision (BUNDLE_NOT_FOUND); the decision log line d-f says why',
      ]);
    }
  });
});

describe("the module's constants, built inside a test", () => {
  it('a second instance of answer.ts, evaluated here, gives the same answers (anonymous, forbidden/null, Unauthorized)', async () => {
    // The query makes a second instance of answer.ts alone; its imports are the instances already loaded.
    const fresh = (await import('../../src/authorizer/answer.js?constants' as string)) as typeof import('../../src/authorizer/answer.js');
    expect(fresh.policyResult).not.toBe(policyResult);
    expect(fresh.ANONYMOUS).toBe('anonymous');
    const context = { decisionId: 'd-allow', revision: 'rev-1', route: ROUTE, ...FORBIDDEN };
    expect(fresh.policyResult(allow(null), ARN)).toEqual(policy('anonymous', 'Allow', context));
    expect(fresh.simpleResult(allow({ sub: 'u1' }))).toEqual({ isAuthorized: true, context });
    expect(fresh.policyResult(allow({ sub: '' }), ARN).principalId).toBe('anonymous');
    expect(fresh.policyResult(deny({ reasons: [NO_ROUTE] }), ARN).context).toEqual({ decisionId: 'd-deny', revision: 'rev-2', route: ROUTE, ...FORBIDDEN });
    const e = thrown(() => fresh.simpleResult(deny({ status: 401, reasons: [] }, null)));
    expect([e.constructor, e.message]).toEqual([Error, 'Unauthorized']);
  });
});
