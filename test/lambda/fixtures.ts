// Shared fixtures for the Lambda runtime tests: the orders-api policy as IR, the real-shaped event
// samples of examples/orders-api/events, token helpers, and an Authorizer backed by the reference
// evaluator (same contract as the wasm bundle; the e2e file runs the real bundle).
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { decide } from '../../src/decision/evaluate.js';
import type { Decision } from '../../src/decision/types.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import type { Authorizer } from '../../src/runtime/load-bundle.js';
import type { BundleManifest } from '../../src/bundle/manifest.js';
import { chk, policy, publicRoute, route } from '../support/ir-builders.js';

/** 2024-04-05T19:34:40Z: two seconds after the sample tokens were issued. */
export const NOW = 1712345680000;
export const AUDIENCE = 'jwtAuthorizers';
export const ISSUER = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/auth';

/** The orders-api policy (examples/orders-api), as the loader would normalise it. */
export const ORDERS_IR: PolicyIR = policy(
  [
    publicRoute('GET /health'),
    route('GET /orders/{orderId}', [chk.audience(AUDIENCE), chk.emailVerified(), chk.roles({ anyOf: ['customer', 'admin'] })]),
    route('DELETE /orders/{orderId}', [chk.audience(AUDIENCE), chk.emailVerified(), chk.roles({ allOf: ['admin'] }), chk.mfa()]),
    route('GET /users/{userId}/profile', [
      chk.audience(AUDIENCE),
      chk.emailVerified(),
      chk.anyOf([chk.roles({ anyOf: ['admin'] })], [chk.subject('userId')]),
    ]),
    route('ANY /admin/{proxy+}', [
      chk.audience(AUDIENCE),
      chk.emailVerified(),
      chk.roles({ anyOf: ['admin'] }),
      chk.mfa({ allOf: ['totp'] }, 300),
    ]),
  ],
  { audience: AUDIENCE },
);

/** An Authorizer with the bundle's contract, deciding with the reference evaluator over a JSON round trip. */
export function referenceAuthorizer(ir: PolicyIR = ORDERS_IR, revision = 'ref-0'): Authorizer & { inputs: unknown[] } {
  const inputs: unknown[] = [];
  const manifest = { revision, roots: ['claimguard'], wasm: [], rego_version: 1 } as unknown as BundleManifest;
  return {
    revision,
    manifest,
    inputs,
    decide(input: unknown): Decision {
      const copy: unknown = JSON.parse(JSON.stringify(input));
      inputs.push(copy);
      return decide(ir, copy);
    },
    allow(input: unknown): boolean {
      return decide(ir, JSON.parse(JSON.stringify(input))).allow;
    },
  };
}

const EVENTS = new URL('../../examples/orders-api/events/', import.meta.url);

export type V2Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type V1Event = APIGatewayProxyEvent;

/** A fresh, mutable copy of an event sample. */
export function v2Event(name: string): V2Event {
  return JSON.parse(readFileSync(new URL(name, EVENTS), 'utf8')) as V2Event;
}
export function v1Event(name: string): V1Event {
  return JSON.parse(readFileSync(new URL(name, EVENTS), 'utf8')) as V1Event;
}

export const b64url = (x: unknown): string =>
  Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

/** The token's three segments. */
export function splitToken(authorization: string): [string, string, string] {
  const [h, p, s] = authorization.replace(/^Bearer /, '').split('.');
  return [h!, p!, s!];
}

export function payloadOf(authorization: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(splitToken(authorization)[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The header's token with its payload replaced (signature kept: the tamperer cannot re-sign). */
export function withPayload(authorization: string, payload: unknown): string {
  const [h, , s] = splitToken(authorization);
  return `Bearer ${h}.${typeof payload === 'string' ? payload : b64url(payload)}.${s}`;
}

/** Collects decision-log lines. */
export function logSink(): { lines: Record<string, unknown>[]; sink: (line: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

export const CONTEXT = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'orders-api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api',
  memoryLimitInMB: '512',
  awsRequestId: '6f9c2b1a-0d3e-4c5f-8a7b-9e8d7c6b5a4f',
  logGroupName: '/aws/lambda/orders-api',
  logStreamName: '2024/04/05/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 3000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};
