// Shared fixtures for the authorizer tests: the orders-api bundle built once per file, RS256 keys
// and SuperTokens-shaped tokens signed with them, a JWKS served from a loopback HTTP server that a
// test can rotate, break or slow down, and the authorizer events of test/authorizer/events.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { buildBundle, type BuiltBundle } from '../../src/compile/compile.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { HttpApiAuthorizerEvent, RestAuthorizerEvent } from '../../src/authorizer/index.js';
import { payloadOf, v2Event } from '../lambda/fixtures.js';

export { AUDIENCE, ISSUER, NOW, logSink } from '../lambda/fixtures.js';

/** The orders-api example policy, compiled exactly as `claimguard build` does. */
export async function ordersBundle(): Promise<BuiltBundle> {
  const loaded = await loadPolicy(new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return buildBundle(loaded.ir);
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Claims of the sample tokens (examples/orders-api/events): a customer and an admin with TOTP. */
export const CUSTOMER: Readonly<Record<string, unknown>> = payloadOf(v2Event('v2-get-order.json').headers.authorization!);
export const ADMIN: Readonly<Record<string, unknown>> = payloadOf(v2Event('v2-delete-order-admin.json').headers.authorization!);

/** A SuperTokens v5 access token with these claims, as `Bearer …`. */
export async function bearer(claims: Readonly<Record<string, unknown>>, key: SigningKey, header: Record<string, unknown> = {}): Promise<string> {
  const jwt = await new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT', version: '5', ...header }).sign(key.privateKey);
  return `Bearer ${jwt}`;
}

const EVENTS = new URL('./events/', import.meta.url);
const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, EVENTS), 'utf8')) as T;

type Obj = Record<string, unknown>;

/** The REST REQUEST fixture with this Authorization header (null: none). */
export function restEvent(authorization: string | null, edit: (e: RestAuthorizerEvent) => void = () => {}): RestAuthorizerEvent {
  const e = load<RestAuthorizerEvent>('rest-request-get-order.json');
  const headers = e.headers as Obj;
  const multi = e.multiValueHeaders as Obj;
  if (authorization === null) {
    delete headers.Authorization;
    delete multi.Authorization;
  } else {
    headers.Authorization = authorization;
    multi.Authorization = [authorization];
  }
  edit(e);
  return e;
}

/** A REST REQUEST event for another method and resource: the fields API Gateway fills from the match. */
export function restRequest(authorization: string | null, method: string, resource: string, path: string, pathParameters: Record<string, string> | null): RestAuthorizerEvent {
  return restEvent(authorization, (e) => {
    e.httpMethod = method;
    e.resource = resource;
    e.path = path;
    e.pathParameters = pathParameters;
    e.methodArn = `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/${method}${path}`;
    e.requestContext.httpMethod = method;
    e.requestContext.resourcePath = resource;
    e.requestContext.path = `/prod${path}`;
  });
}

/** The HTTP API payload 2.0 fixture with this Authorization header; identity sources as recommended. */
export function httpApiEvent(authorization: string | null, edit: (e: HttpApiAuthorizerEvent) => void = () => {}): HttpApiAuthorizerEvent {
  const e = load<HttpApiAuthorizerEvent>('http-api-v2-get-order.json');
  const headers = e.headers as Obj;
  if (authorization === null) delete headers.authorization;
  else headers.authorization = authorization;
  edit(e);
  e.identitySource = authorization === null ? [e.routeKey] : [authorization, e.routeKey];
  return e;
}

/** An HTTP API payload 2.0 event for another route. */
export function httpApiRequest(authorization: string | null, method: string, routeKey: string, path: string, pathParameters: Record<string, string> | null): HttpApiAuthorizerEvent {
  return httpApiEvent(authorization, (e) => {
    e.routeKey = routeKey;
    e.requestContext.routeKey = routeKey;
    e.rawPath = `/prod${path}`;
    e.requestContext.http.method = method;
    e.requestContext.http.path = `/prod${path}`;
    e.routeArn = `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/${method}${path}`;
    if (pathParameters === null) delete e.pathParameters;
    else e.pathParameters = pathParameters;
  });
}

export function fixture<T = Obj>(name: string): T {
  return load<T>(name);
}

/** How the loopback issuer answers `GET …/jwt/jwks.json`. */
export type JwksMode = 'ok' | 'error-500' | 'not-json' | 'not-a-key-set';

export interface JwksServer {
  readonly url: string;
  /** Requests served so far. */
  hits: number;
  keys: JWK[];
  mode: JwksMode;
  close(): Promise<void>;
}

/** SuperTokens' JWKS endpoint (`{apiDomain}{apiBasePath}/jwt/jwks.json`) on 127.0.0.1. */
export async function jwksServer(keys: JWK[]): Promise<JwksServer> {
  const state = { hits: 0, keys, mode: 'ok' as JwksMode };
  const server: Server = createServer((_req, res) => {
    state.hits++;
    switch (state.mode) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: state.keys }));
        return;
      case 'error-500':
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"internal error"}');
        return;
      case 'not-json':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>maintenance</html>');
        return;
      case 'not-a-key-set':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"keys":"none"}');
        return;
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/jwt/jwks.json`;
  return Object.assign(state, {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
