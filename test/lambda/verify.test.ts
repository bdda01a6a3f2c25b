// `verify`: signature, issuer and audience checked with jose against a locally generated RS256 key
// pair — local JWKS and remote JWKS (served from 127.0.0.1).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withAuthorization, type AuthorizationOptions } from '../../src/lambda/index.js';
import { AUDIENCE, CONTEXT, ISSUER, logSink, NOW, payloadOf, referenceAuthorizer, v2Event } from './fixtures.js';


let privateKey: CryptoKey;
let otherKey: CryptoKey;
let jwks: JSONWebKeySet;
let jwksUrl: string;
let close: () => void;
let jwksHits = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const server = createServer((_req, res) => {
    jwksHits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/jwt/jwks.json`;
  close = () => server.close();
});
afterAll(() => close());

/** The sample event, its header token re-issued with a real signature (same claims). */
async function signedEvent(edit: (p: JWTPayload) => void = () => {}, key: CryptoKey = privateKey) {
  const event = v2Event('v2-get-order.json');
  const payload = payloadOf(event.headers.authorization!) as JWTPayload;
  edit(payload);
  const token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT', version: '5' }).sign(key);
  event.headers.authorization = `Bearer ${token}`;
  return event;
}

function setup(verify: NonNullable<AuthorizationOptions['verify']>) {
  const log = logSink();
  const handler = vi.fn(async () => ({ statusCode: 200, body: 'ok' }));
  const wrapped = withAuthorization(handler, { authorizer: referenceAuthorizer(), clock: () => NOW, verify, log: { sink: log.sink } });
  return { wrapped, handler, log };
}

const UNAUTHORISED = { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"unauthorised"}' };

describe('verify with a local JWKS', () => {
  const verify = () => ({ jwks, issuer: ISSUER, audience: AUDIENCE });

  it('a correctly signed token passes (and still cross-checks against the authorizer)', async () => {
    const { wrapped, handler } = setup(verify());
    expect(await wrapped(await signedEvent(), CONTEXT)).toEqual({ statusCode: 200, body: 'ok' });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('with verify, a route without authorizer context is still served: jose is the check', async () => {
    const { wrapped, handler } = setup(verify());
    const event = await signedEvent();
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
    await wrapped(event, CONTEXT);
    expect(handler).toHaveBeenCalledOnce();
  });

  it.each<[string, (p: JWTPayload) => void, CryptoKey | undefined]>([
    ['signed by another key', () => {}, undefined],
    ['wrong audience', (p) => (p.aud = 'someone-else'), privateKey],
    ['wrong issuer', (p) => (p.iss = 'https://evil.example.com/auth'), privateKey],
    ['expired at the injected clock', (p) => ((p.exp = NOW / 1000 - 10), (p.iat = NOW / 1000 - 3610)), privateKey],
  ])('401 when the token is %s', async (_name, edit, key) => {
    const { wrapped, handler, log } = setup(verify());
    const event = await signedEvent(edit, key ?? otherKey);
    // keep the authorizer map in step so the cross-check is not what refuses it
    const p = payloadOf(event.headers.authorization!);
    event.requestContext.authorizer.jwt.claims.exp = String(p.exp);
    event.requestContext.authorizer.jwt.claims.iat = String(p.iat);
    expect(await wrapped(event, CONTEXT)).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ status: 401, reasons: ['TOKEN_SIGNATURE_INVALID'] });
  });

  it('a verified version 3 token (no tId) is in tenant "public", as supertokens-node reads it', async () => {
    const { wrapped, handler } = setup(verify());
    const event = v2Event('v2-get-order.json');
    const payload = payloadOf(event.headers.authorization!) as JWTPayload;
    delete payload.tId;
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT', version: '3' }).sign(privateKey);
    event.headers.authorization = `Bearer ${token}`;
    await wrapped(event, CONTEXT);
    expect(handler).toHaveBeenCalledOnce();
    expect((handler.mock.calls[0] as unknown[])[2]).toMatchObject({ token: { tId: 'public', sub: payload.sub } });
  });

  it('the escalation the cross-check cannot see (roles edited, same session) is caught by the signature', async () => {
    const { wrapped, handler } = setup(verify());
    const event = await signedEvent();
    const [h, , s] = event.headers.authorization!.slice(7).split('.');
    const forged = { ...payloadOf(event.headers.authorization!), 'st-role': { v: ['admin'], t: 1712345678901 } };
    event.headers.authorization = `Bearer ${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`;
    expect(await wrapped(event, CONTEXT)).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
  });

  it.each<[string, NonNullable<AuthorizationOptions['verify']>]>([
    ['no key source', { issuer: ISSUER, audience: AUDIENCE }],
    ['two key sources', { jwks: { keys: [] }, jwksUrl: 'https://x.example.com/jwks.json', issuer: ISSUER, audience: AUDIENCE }],
    ['a malformed jwksUrl', { jwksUrl: 'not a url', issuer: ISSUER, audience: AUDIENCE }],
    ['an empty audience', { jwks: { keys: [] }, issuer: ISSUER, audience: [] }],
    ['an empty issuer', { jwks: { keys: [] }, issuer: '', audience: AUDIENCE }],
  ])('a verify config with %s throws at wrap time', (_name, verify) => {
    expect(() => setup(verify)).toThrow(TypeError);
  });
});

describe('verify with a remote JWKS', () => {
  it('fetches the key set once and reuses it', async () => {
    const { wrapped, handler } = setup({ jwksUrl, issuer: ISSUER, audience: [AUDIENCE, 'other'] });
    jwksHits = 0;
    for (let i = 0; i < 3; i++) await wrapped(await signedEvent(), CONTEXT);
    expect(handler).toHaveBeenCalledTimes(3);
    expect(jwksHits).toBe(1);
  });
});

describe('a JWKS that cannot be used', () => {
  it('is a 500 (JWKS_UNAVAILABLE), not a 401 the frontend would refresh on forever', async () => {
    const down = createServer((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}/auth/jwt/jwks.json`;
    try {
      const { wrapped, handler, log } = setup({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE });
      const response = await wrapped(await signedEvent(), CONTEXT);
      expect(response).toMatchObject({ statusCode: 500, body: '{"message":"internal error"}' });
      expect(handler).not.toHaveBeenCalled();
      expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['JWKS_UNAVAILABLE'], detail: expect.stringMatching(/Expected 200 OK/) });
    } finally {
      down.close();
    }
  });
});
