// claimguard/authorizer's cost per request with the key already cached (RS256 signature check with
// jose + event → facts → decide() → IAM policy or simple response + the decision-log line), beside
// withAuthorization on the same token: with the same `verify` (the same work behind another front)
// and behind a JWT authorizer (no signature check: API Gateway did it). jose's jwtVerify alone and
// decide() alone show where the time goes.
//
//   import { measureAuthorizer, formatAuthorizer } from './authorizer.js';   // bench/run.js
//   node bench/authorizer.js                                              // alone, after npm run build
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, SignJWT } from 'jose';
import { fmtNs, REPEATS } from './harness.js';
import { scenarioEvent } from './lambda.js';
import { INPUT, NOW, TOKEN } from './scenario.js';

const KID = 'd-1712345000000';
const ISSUER = TOKEN.iss;
const AUDIENCE = TOKEN.aud;

/** An HTTP API payload 2.0 authorizer event for the proxy event's request (what API Gateway sends the authorizer). */
export function httpApiAuthorizerEvent(proxy) {
  const { authorizer: _authorizer, ...requestContext } = proxy.requestContext;
  const { isBase64Encoded: _b, ...rest } = proxy;
  return {
    ...rest,
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/${proxy.requestContext.http.method}${proxy.rawPath.slice('/prod'.length)}`,
    identitySource: [proxy.headers.authorization, proxy.routeKey],
    cookies: [],
    requestContext,
  };
}

/** The REST API REQUEST authorizer event for the same request. */
export function restAuthorizerEvent(authorization) {
  const { method, path, pathParameters, routeKey } = INPUT.request;
  const resource = routeKey.slice(routeKey.indexOf(' ') + 1);
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/${method}${path}`,
    resource,
    path,
    httpMethod: method,
    headers: { Accept: 'application/json', Authorization: authorization, Host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'User-Agent': 'Mozilla/5.0' },
    multiValueHeaders: { Accept: ['application/json'], Authorization: [authorization], Host: ['abc123.execute-api.eu-west-1.amazonaws.com'], 'User-Agent': ['Mozilla/5.0'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters,
    stageVariables: null,
    requestContext: { accountId: '123456789012', apiId: 'abc123', stage: 'prod', resourcePath: resource, httpMethod: method, path: `/prod${path}`, requestId: 'bench' },
  };
}

/** A loopback JWKS endpoint; counts fetches (the bench checks the key stayed cached). */
async function startJwks(jwk) {
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/auth/jwt/jwks.json`, fetches: () => fetches, close: () => new Promise((r) => server.close(r)) };
}

/** Median ns per awaited call, candidates in alternating batches (machine drift hits all alike). */
async function interleavedAsync(candidates, iterations) {
  const names = Object.keys(candidates);
  for (const n of names) for (let i = 0; i < Math.min(iterations, 300); i++) await candidates[n]();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < REPEATS; r++) {
    for (const n of names) {
      const fn = candidates[n];
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) await fn();
      samples[n].push(Number(process.hrtime.bigint() - t0) / iterations);
    }
  }
  return Object.fromEntries(names.map((n) => [n, samples[n].sort((a, b) => a - b)[Math.floor(REPEATS / 2)]]));
}

/**
 * @param {{ authorizer: { decide(input: unknown): unknown }, createAuthorizer: Function, withAuthorization: Function, iterations?: number }} o
 */
export async function measureAuthorizer({ authorizer, createAuthorizer, withAuthorization, iterations = 2000 }) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const jwt = await new SignJWT(TOKEN).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT', version: '5' }).sign(privateKey);
  const authorization = `Bearer ${jwt}`;
  const jwks = await startJwks(jwk);
  try {
    const verify = { jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE };
    const log = { include: ['sub'], sink: () => {} };
    const gateway = createAuthorizer({ authorizer, clock: () => NOW, log, verify });
    const rest = restAuthorizerEvent(authorization);
    const proxy = scenarioEvent(TOKEN, jwt);
    const httpApi = httpApiAuthorizerEvent(proxy);
    const handler = async () => ({ statusCode: 204 });
    const behindJwt = withAuthorization(handler, { authorizer, clock: () => NOW, log });
    const withVerify = withAuthorization(handler, { authorizer, clock: () => NOW, log, verify });
    const { authorizer: _claims, ...unclaimed } = proxy.requestContext;
    const proxyNoClaims = { ...proxy, requestContext: unclaimed };
    const keys = createLocalJWKSet({ keys: [jwk] });
    const input = { request: { ...INPUT.request }, token: TOKEN, now: NOW };

    const restResult = await gateway(rest);
    if (restResult.policyDocument.Statement[0].Effect !== 'Allow') throw new Error(`bench REST authorizer denied: ${JSON.stringify(restResult)}`);
    if ((await gateway(httpApi)).isAuthorized !== true) throw new Error('bench HTTP API authorizer denied');
    if ((await withVerify(proxyNoClaims, {})).statusCode !== 204) throw new Error('bench withAuthorization (verify) denied');
    if ((await behindJwt(proxy, {})).statusCode !== 204) throw new Error('bench withAuthorization denied');

    const ns = await interleavedAsync(
      {
        restAuthorizer: () => gateway(rest),
        httpApiAuthorizer: () => gateway(httpApi),
        withAuthorizationVerify: () => withVerify(proxyNoClaims, {}),
        withAuthorizationBehindJwt: () => behindJwt(proxy, {}),
        joseVerify: () => jwtVerify(jwt, keys, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], currentDate: new Date(NOW) }),
        decide: async () => authorizer.decide(input),
      },
      iterations,
    );
    return { ns, jwksFetches: jwks.fetches() };
  } finally {
    await jwks.close();
  }
}

export function formatAuthorizer({ ns, jwksFetches }) {
  const row = (name, v, note = '') => `  ${name.padEnd(52)}${fmtNs(v).padEnd(12)}${note}`;
  return [
    `claimguard/authorizer per request, key cached (${jwksFetches} JWKS fetches in the run: one per cold start, two verifiers), 20-route policy, RS256, decision-log line built`,
    row('REST REQUEST event → IAM policy', ns.restAuthorizer, `${(ns.restAuthorizer / ns.withAuthorizationVerify).toFixed(2)}× withAuthorization + verify`),
    row('HTTP API 2.0 event → simple response', ns.httpApiAuthorizer, `${(ns.httpApiAuthorizer / ns.withAuthorizationVerify).toFixed(2)}× withAuthorization + verify`),
    row('withAuthorization with the same verify (2.0 proxy)', ns.withAuthorizationVerify),
    row('withAuthorization behind a JWT authorizer (no verify)', ns.withAuthorizationBehindJwt, 'API Gateway verified the signature'),
    row("of which: jose jwtVerify alone (RS256, cached key)", ns.joseVerify, `${((ns.joseVerify / ns.restAuthorizer) * 100).toFixed(0)}% of the REST authorizer`),
    row('of which: decide() alone', ns.decide),
    `  (the rest, REST − jwtVerify − decide, is a difference of medians: ${fmtNs(Math.max(0, ns.restAuthorizer - ns.joseVerify - ns.decide))}, mostly jose's remote key-set lookup and promise turns)`,
  ].join('\n');
}

async function main() {
  const { createAuthorizer } = await import('../lib/authorizer/index.js');
  const { withAuthorization, loadBundle } = await import('../lib/lambda/index.js');
  const { loadPolicy } = await import('../lib/policy/load.js');
  const { buildBundle } = await import('../lib/compile/compile.js');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { policyYaml } = await import('./scenario.js');
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-bench-'));
  writeFileSync(join(dir, 'policies.yaml'), policyYaml(20));
  const loaded = await loadPolicy(join(dir, 'policies.yaml'));
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const authorizer = await loadBundle((await buildBundle(loaded.ir)).bytes);
  console.log(formatAuthorizer(await measureAuthorizer({ authorizer, createAuthorizer, withAuthorization })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
