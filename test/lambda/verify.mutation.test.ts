// `verify` (src/lambda/verify.ts) below the wrapper: the option errors a cold start reports (with
// their messages), a key set that cannot be used as a KeySetError naming its source and carrying
// jose's error as its cause, a remote key set kept for the whole cold start (not jose's 10 minutes),
// and issuer/audience lists copied when the verifier is made. Found by mutation testing
// (CONTRIBUTING.md, "Mutation testing"); verify.test.ts covers the wrapper's answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkVerifyOptions, createVerifier, KeySetError, type VerifyOptions } from '../../src/lambda/verify.js';
import { AUDIENCE, ISSUER, NOW } from './fixtures.js';
import { rejection } from '../support/thrown.js';

let privateKey: CryptoKey;
let jwks: JSONWebKeySet;
let token: string;

/** A server answering every request with `status` and the key set; counts its hits. */
async function jwksServer(status: number): Promise<{ url: string; hits: () => number; close: () => void }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(status === 200 ? JSON.stringify(jwks) : '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/jwt/jwks.json`;
  return { url, hits: () => hits, close: () => server.close() };
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  token = await new SignJWT({ sub: 'u1', iat: NOW / 1000 - 2, exp: NOW / 1000 + 3600 })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(privateKey);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('checkVerifyOptions: what a cold start refuses, and says', () => {
  const source = 'verify: set exactly one of `jwks` and `jwksUrl`';
  const names = 'verify: `issuer` and `audience` must be set';

  it.each<[string, VerifyOptions, string]>([
    ['no key source', { issuer: ISSUER, audience: AUDIENCE }, source],
    ['two key sources', { jwks: { keys: [] }, jwksUrl: 'https://x.example.com/jwks.json', issuer: ISSUER, audience: AUDIENCE }, source],
    ['an empty issuer', { jwks: { keys: [] }, issuer: '', audience: AUDIENCE }, names],
    ['an issuer list holding an empty issuer', { jwks: { keys: [] }, issuer: [ISSUER, ''], audience: AUDIENCE }, names],
    ['an audience list holding an empty audience', { jwks: { keys: [] }, issuer: ISSUER, audience: [''] }, names],
    ['an empty audience list', { jwks: { keys: [] }, issuer: ISSUER, audience: [] }, names],
  ])('%s: a TypeError that says so', (_name, options, message) => {
    expect(() => checkVerifyOptions(options)).toThrow(new TypeError(message));
  });
});

describe('a key set that cannot be used', () => {
  it('KeySetError is named as such (logs and stack traces show it)', () => {
    const e = new KeySetError('JWKS_UNAVAILABLE', 'x');
    expect(e.name).toBe('KeySetError');
    expect(String(e)).toBe('KeySetError: x');
  });

  it('remote: a KeySetError naming the URL, with jose\'s error as its cause', async () => {
    const down = await jwksServer(503);
    try {
      const verifier = await createVerifier({ jwksUrl: down.url, issuer: ISSUER, audience: AUDIENCE });
      const e = await rejection(verifier(token, NOW));
      expect(e).toBeInstanceOf(KeySetError);
      expect((e as KeySetError).code).toBe('JWKS_UNAVAILABLE');
      expect(e.cause).toBeInstanceOf(Error);
      expect(e.message).toBe(`the JWKS at ${down.url} cannot be used: ${(e.cause as Error).message}`);
      expect((e.cause as Error).message).toMatch(/Expected 200 OK/);
    } finally {
      down.close();
    }
  });

  it('local: a KeySetError naming the local JWKS, when its key cannot be imported', async () => {
    const verifier = await createVerifier({ jwks: { keys: [{ kty: 'RSA', kid: 'k1', alg: 'RS256' }] }, issuer: ISSUER, audience: AUDIENCE });
    const e = await rejection(verifier(token, NOW));
    expect(e).toBeInstanceOf(KeySetError);
    expect(e.message).toBe(`the local JWKS cannot be used: ${(e.cause as Error).message}`);
  });
});

describe('createVerifier', () => {
  it('keeps a remote key set for the whole cold start: an hour later it is not fetched again', async () => {
    const up = await jwksServer(200);
    try {
      const verifier = await createVerifier({ jwksUrl: up.url, issuer: ISSUER, audience: AUDIENCE });
      expect(await verifier(token, NOW)).toMatchObject({ sub: 'u1' });
      const fetched = up.hits(); // the cold-start fetch (and none more for this token)
      const wall = Date.now();
      vi.spyOn(Date, 'now').mockReturnValue(wall + 3_600_000); // past jose's own 10-minute cache
      expect(await verifier(token, NOW)).toMatchObject({ sub: 'u1' });
      expect(up.hits()).toBe(fetched);
      expect(fetched).toBe(1);
    } finally {
      up.close();
    }
  });

  it('takes issuer and audience lists as they were when it was made: a caller editing its arrays later changes nothing', async () => {
    const issuers = [ISSUER];
    const audiences = ['other', AUDIENCE];
    const verifier = await createVerifier({ jwks, issuer: issuers, audience: audiences });
    issuers[0] = 'https://evil.example.com/auth';
    audiences.length = 0;
    expect(await verifier(token, NOW)).toMatchObject({ sub: 'u1', iss: ISSUER, aud: AUDIENCE });
  });
});
