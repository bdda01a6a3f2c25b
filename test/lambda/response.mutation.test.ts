// denyResponse (src/lambda/response.ts): the SuperTokens `invalid claim` body only when there are
// reasons and every one of them is a failed claim; anything else is a plain 403. Found by
// mutation testing (CONTRIBUTING.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import type { Decision, Reason } from '../../src/decision/types.js';
import { denyResponse } from '../../src/lambda/response.js';

const FORBIDDEN = { statusCode: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"forbidden"}' };
const roles: Reason = { id: 'st-role', code: 'ROLES_MISSING', reason: { message: 'wrong value', expectedToInclude: 'admin' } };
const noRoute: Reason = { id: 'request', code: 'ROUTE_NOT_IN_POLICY', reason: { message: 'no policy route matches the request' } };
const deny = (reasons: Reason[]): Decision => ({ allow: false, status: 403, route: null, reasons });

describe('denyResponse', () => {
  it('a 403 without reasons is forbidden, not an invalid claim with an empty list', () => {
    expect(denyResponse(deny([]))).toEqual(FORBIDDEN);
  });

  it('a failed claim beside a reason that is not a claim: forbidden (the frontend must not try to fix claims)', () => {
    expect(denyResponse(deny([roles, noRoute]))).toEqual(FORBIDDEN);
    expect(denyResponse(deny([noRoute, roles]))).toEqual(FORBIDDEN);
  });

  it('only failed claims: invalid claim, with each claim\'s id and reason', () => {
    expect(denyResponse(deny([roles]))).toEqual({
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'invalid claim', claimValidationErrors: [{ id: 'st-role', reason: roles.reason }] }),
    });
  });
});
