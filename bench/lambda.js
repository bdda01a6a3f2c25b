// The Lambda wrapper's own cost per request (event → facts → token decode + cross-check → input →
// decide() → decision log line → response), measured beside decide() alone on the same input, so
// overhead = wrapper − decide. Target: ≤ 10 µs.
//
//   import { measureLambdaOverhead } from './lambda.js';
//   const r = await measureLambdaOverhead({ authorizer, withAuthorization });   // from lib/ after build
//
// Standalone: `npx tsx bench/lambda.js` (uses src/ directly).
import { INPUT, NOW, TOKEN } from './scenario.js';
import { REPEATS, fmtNs } from './harness.js';

const b64url = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');

/**
 * A payload 2.0 event for the scenario's target route, as API Gateway delivers it behind the JWT
 * authorizer. `jwt`: the signed token of `token` (default: an unsigned stand-in of the same size).
 */
export function scenarioEvent(token = TOKEN, jwt = `${b64url({ kid: 'd-1712345000000', typ: 'JWT', version: '5', alg: 'RS256' })}.${b64url(token)}.${'s'.repeat(342)}`) {
  const claims = {};
  for (const [k, v] of Object.entries(token)) if (v !== null) claims[k] = typeof v === 'object' ? 'map[…]' : String(v);
  return {
    version: '2.0',
    routeKey: INPUT.request.routeKey,
    rawPath: `/prod${INPUT.request.path}`,
    rawQueryString: '',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${jwt}`,
      'content-length': '0',
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'Mozilla/5.0',
      'x-amzn-trace-id': 'Root=1-66104a2e-5a4b3c2d1e0f9a8b7c6d5e4f',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: { jwt: { claims, scopes: null } },
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: INPUT.request.method, path: `/prod${INPUT.request.path}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      requestId: 'VjH3_gXyDoEEMZw=',
      routeKey: INPUT.request.routeKey,
      stage: 'prod',
      time: '05/Apr/2024:19:34:40 +0000',
      timeEpoch: NOW,
    },
    pathParameters: INPUT.request.pathParameters,
    isBase64Encoded: false,
  };
}

/** Median ns per awaited call over REPEATS batches (the wrapper is async, as Lambda calls it). */
async function measureAsync(fn, iterations) {
  for (let i = 0; i < Math.min(iterations, 2000); i++) await fn();
  const samples = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * @param {{ authorizer: { decide(input: unknown): { allow: boolean } }, withAuthorization: Function, iterations?: number }} o
 * @returns {Promise<{ decideNs: number, wrapperNs: number, wrapperNoLogNs: number, awaitNs: number, overheadNs: number, overheadNoLogNs: number }>}
 */
export async function measureLambdaOverhead({ authorizer, withAuthorization, iterations = 20_000 }) {
  const event = scenarioEvent();
  const context = {};
  const result = { statusCode: 204 };
  const handler = async () => result;
  const opts = { authorizer, clock: () => NOW };
  // The log line is built and stringified as in production; only the stdout write is left out.
  const logged = withAuthorization(handler, { ...opts, log: { include: ['sub'], sink: () => {} } });
  const silent = withAuthorization(handler, { ...opts, log: false });

  const first = await logged(event, context);
  if (first !== result) throw new Error(`bench scenario was not allowed: ${JSON.stringify(first)}`);

  // decide() alone, on the input document the wrapper builds (same token object, same shape).
  const input = { request: { ...INPUT.request }, token: TOKEN, now: NOW };
  const decideNs = await measureAsync(() => authorizer.decide(input), iterations);
  const awaitNs = await measureAsync(() => handler(), iterations);
  const wrapperNs = await measureAsync(() => logged(event, context), iterations);
  const wrapperNoLogNs = await measureAsync(() => silent(event, context), iterations);
  return {
    decideNs,
    wrapperNs,
    wrapperNoLogNs,
    awaitNs,
    overheadNs: wrapperNs - decideNs,
    overheadNoLogNs: wrapperNoLogNs - decideNs,
  };
}

export function formatLambdaOverhead(r) {
  return [
    `decide() alone                 ${fmtNs(r.decideNs)}`,
    `withAuthorization (log line)   ${fmtNs(r.wrapperNs)}   overhead ${fmtNs(r.overheadNs)}  (target ≤ 10 µs)`,
    `withAuthorization (log: false) ${fmtNs(r.wrapperNoLogNs)}   overhead ${fmtNs(r.overheadNoLogNs)}`,
    `(an awaited no-op handler costs ${fmtNs(r.awaitNs)} of that)`,
  ].join('\n');
}

async function main() {
  const { withAuthorization } = await import('../src/lambda/index.ts');
  const { loadPolicy } = await import('../src/policy/load.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { policyYaml } = await import('./scenario.js');
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-bench-'));
  writeFileSync(join(dir, 'policies.yaml'), policyYaml(20));
  const loaded = await loadPolicy(join(dir, 'policies.yaml'));
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const { buildBundle } = await import('../src/compile/compile.ts');
  const { loadBundle } = await import('../src/runtime/load-bundle.ts');
  const authorizer = await loadBundle((await buildBundle(loaded.ir)).bytes);
  console.log('Lambda wrapper overhead, 20-route policy, wasm bundle');
  console.log(formatLambdaOverhead(await measureLambdaOverhead({ authorizer, withAuthorization })));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
