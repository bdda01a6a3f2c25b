// The authorizer and withAuthorization agree: on generated policies (compiled to real bundles) and
// generated requests and tokens (signed RS256, verified by both with the same `verify`), the REST
// authorizer decides a REST REQUEST event as withAuthorization decides the payload 1.0 proxy event
// of the same request, and the HTTP API authorizer decides a payload 2.0 authorizer event as
// withAuthorization decides the 2.0 proxy event: the same allow (and route), the same 401, the
// same 403 body (rendered at the gateway from the authorizer context), the same 500.
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { arbCases } from '../arbitraries/index.js';
import { ACCESS_DENIED_TEMPLATE, AuthorizerError, createAuthorizer, type AuthorizerContext } from '../../src/authorizer/index.js';
import { buildBundle } from '../../src/compile/compile.js';
import { createAuthorize } from '../../src/lambda/authorize.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { loadBundle } from '../../src/runtime/load-bundle.js';
import { renderGatewayTemplate } from '../support/api-gateway.js';
import { breathe } from '../support/breathe.js';

const ISSUER = 'https://api.example.com/auth';
let privateKey: CryptoKey;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
});

type Obj = Record<string, unknown>;

/** What a caller experiences, whichever front decided. */
type Outcome =
  | { readonly kind: 'allow'; readonly route: string | null }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'forbidden'; readonly body: unknown; readonly bytes: string }
  | { readonly kind: 'fault' };

function fromHttpFront(outcome: Awaited<ReturnType<ReturnType<typeof createAuthorize>>>): Outcome {
  if (outcome.allow) return { kind: 'allow', route: outcome.decision.route };
  const { statusCode, body } = outcome.response;
  if (statusCode === 401) return { kind: 'unauthorized' };
  if (statusCode === 500) return { kind: 'fault' };
  // withAuthorization leaves the key out where the gateway template renders null.
  return { kind: 'forbidden', body: { claimValidationErrors: null, ...(JSON.parse(body) as Obj) }, bytes: body };
}

async function fromAuthorizer(run: () => Promise<{ context: AuthorizerContext; allow: boolean }>): Promise<Outcome> {
  try {
    const { context, allow } = await run();
    if (allow) return { kind: 'allow', route: context.route === '' ? null : context.route };
    const bytes = renderGatewayTemplate(ACCESS_DENIED_TEMPLATE, context);
    return { kind: 'forbidden', body: JSON.parse(bytes), bytes };
  } catch (e) {
    if (e instanceof Error && e.constructor === Error && e.message === 'Unauthorized') return { kind: 'unauthorized' };
    if (e instanceof AuthorizerError) return { kind: 'fault' };
    throw e;
  }
}

function expectAgreement(authorizer: Outcome, http: Outcome): void {
  if (authorizer.kind === 'forbidden' && http.kind === 'forbidden') {
    expect(authorizer.body).toEqual(http.body);
    // A failed claim: SuperTokens' body, byte for byte.
    if ((http.body as Obj).message === 'invalid claim') expect(authorizer.bytes).toBe(http.bytes);
    return;
  }
  expect(authorizer).toEqual(http);
}

/** Most tokens are valid for `verify` (so the policy decides); some keep what was generated. */
function tokenClaims(token: Obj, audience: string, now: number, keepAsGenerated: boolean): Obj {
  if (keepAsGenerated) return token;
  const out: Obj = {};
  for (const k of Object.keys(token)) Object.defineProperty(out, k, { value: token[k], enumerable: true, writable: true, configurable: true });
  const aud = out.aud;
  if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) out.aud = [audience];
  out.iss = ISSUER;
  out.iat = Math.floor(now / 1000) - 60;
  out.exp = Math.floor(now / 1000) + 3600;
  delete out.nbf;
  return out;
}

interface Request {
  readonly method: string;
  readonly routeKey: string;
  readonly path: string;
  readonly pathParameters?: unknown;
}

const resourceOf = (routeKey: string): string => routeKey.slice(routeKey.indexOf(' ') + 1);
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function events(r: Request, authorization: string | null) {
  const methodArn = `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/${r.method}${r.path}`;
  const params = 'pathParameters' in r ? { pathParameters: r.pathParameters } : {};
  const v1Headers = authorization === null ? {} : { headers: { Authorization: authorization }, multiValueHeaders: { Authorization: [authorization] } };
  const resource = resourceOf(r.routeKey);
  const rc1 = { accountId: '123456789012', apiId: 'abc123', stage: 'prod', resourcePath: resource, httpMethod: r.method, path: `/prod${r.path}` };
  const rest = json({ type: 'REQUEST', methodArn, resource, path: r.path, httpMethod: r.method, ...v1Headers, ...params, requestContext: rc1 });
  const proxy1 = json({ resource, path: r.path, httpMethod: r.method, ...v1Headers, ...params, requestContext: rc1, body: null, isBase64Encoded: false });
  const rawPath = `/prod${r.path}`;
  const rc2 = {
    accountId: '123456789012',
    apiId: 'abc123',
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    http: { method: r.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
    routeKey: r.routeKey,
    stage: 'prod',
  };
  const headers2 = authorization === null ? {} : { authorization };
  const identitySource = authorization === null ? [r.routeKey] : [authorization, r.routeKey];
  const v2 = { version: '2.0', routeKey: r.routeKey, rawPath, rawQueryString: '', headers: headers2, ...params };
  const httpApi = json({ ...v2, type: 'REQUEST', routeArn: methodArn, identitySource, requestContext: rc2 });
  const proxy2 = json({ ...v2, requestContext: rc2, isBase64Encoded: false });
  return { rest, proxy1, httpApi, proxy2 };
}

describe('createAuthorizer and withAuthorization agree on generated cases', () => {
  it('REST (payload 1.0) and HTTP API (payload 2.0), on real bundles', async () => {
    let decided = 0;
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        arbCases({ min: 4, max: 10 }, { maxRoutes: 8 }, { dispatched: true, malformedPercent: 0, noTokenPercent: 8 }),
        fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 10, maxLength: 10 }),
        async ({ ir, inputs }: { ir: PolicyIR; inputs: readonly unknown[] }, dice: number[]) => {
          const authorizer = await loadBundle((await buildBundle(ir)).bytes);
          const audience = ir.audience ?? 'jwtAuthorizers';
          for (const [i, input] of (inputs as { request: Request; token?: Obj | null; now: number }[]).entries()) {
            const verify = { jwks, issuer: ISSUER, audience };
            const options = { authorizer, clock: () => input.now, log: false as const, verify };
            const gateway = createAuthorizer(options);
            const http = createAuthorize(options);
            let authorization: string | null = null;
            if (input.token !== undefined && input.token !== null) {
              const claims = tokenClaims(input.token, audience, input.now, (dice[i] ?? 0) < 10);
              authorization = `Bearer ${await new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT', version: '5' }).sign(privateKey)}`;
            }
            const e = events(input.request, authorization);
            const rest = await fromAuthorizer(async () => {
              const r = await gateway(e.rest);
              return { context: r.context as AuthorizerContext, allow: (r as { policyDocument: { Statement: { Effect: string; Resource: string }[] } }).policyDocument.Statement[0]!.Effect === 'Allow' };
            });
            const viaHttp1 = fromHttpFront(await http(e.proxy1));
            expectAgreement(rest, viaHttp1);
            const httpApi = await fromAuthorizer(async () => {
              const r = (await gateway(e.httpApi)) as { isAuthorized: boolean; context: AuthorizerContext };
              return { context: r.context, allow: r.isAuthorized };
            });
            const viaHttp2 = fromHttpFront(await http(e.proxy2));
            expectAgreement(httpApi, viaHttp2);
            for (const o of [viaHttp1, viaHttp2]) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
            decided++;
            await breathe();
          }
        },
      ),
      { numRuns: 40 },
    );
    // The generated cases reach every outcome (otherwise the property says little).
    expect(decided).toBeGreaterThan(100);
    for (const kind of ['allow', 'unauthorized', 'forbidden']) expect(kinds.get(kind) ?? 0, `${kind} outcomes`).toBeGreaterThan(5);
  }, 120_000);
});
