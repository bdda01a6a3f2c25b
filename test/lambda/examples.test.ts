// examples/orders-api runs as documented: its handler on every sample event, with the example's own
// policies.yaml (loaded by the policy loader) deciding, and the fixtures' IR agreeing with that file.
import { readdirSync } from 'node:fs';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decide } from '../../src/decision/evaluate.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { CONTEXT, NOW, ORDERS_IR, referenceAuthorizer, v2Event } from './fixtures.js';

// The example imports the package entry points; here they are this repository's sources.
vi.mock('claimguard/lambda', () => import('../../src/lambda/index.js'));
const loadBundle = vi.hoisted(() => vi.fn());
vi.mock('../../src/runtime/load-bundle.js', () => ({ loadBundle }));

let ir: PolicyIR;
let handler: (e: APIGatewayProxyEventV2WithJWTAuthorizer, c: typeof CONTEXT) => Promise<unknown>;

beforeAll(async () => {
  const loaded = await loadPolicy(new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  ir = loaded.ir;
  loadBundle.mockResolvedValue(referenceAuthorizer(ir));
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  // Not a literal specifier: tsc resolves `claimguard/lambda` to lib/ (the built package), which a
  // type check before `npm run build` does not have; vitest maps it to src/ above.
  const example = new URL('../../examples/orders-api/handler.ts', import.meta.url).href;
  handler = ((await import(example)) as { handler: typeof handler }).handler;
});

const json = { 'content-type': 'application/json' };

describe('examples/orders-api/handler.ts', () => {
  it.each<[string, unknown]>([
    ['v2-get-order.json', { statusCode: 200, headers: json, body: '{"orderId":"42","customer":"fa7a0841-b533-4478-9553-0fde890c3483"}' }],
    ['v2-default-route.json', { statusCode: 200, headers: json, body: '{"customer":"fa7a0841-b533-4478-9553-0fde890c3483"}' }],
    ['v2-delete-order-admin.json', { statusCode: 204 }],
    ['v2-health-public.json', { statusCode: 200, headers: json, body: '{"status":"ok"}' }],
    ['v2-get-order-no-token.json', { statusCode: 401, headers: json, body: '{"message":"unauthorised"}' }],
    [
      'v2-delete-order-customer.json',
      {
        statusCode: 403,
        headers: json,
        body: '{"message":"invalid claim","claimValidationErrors":[{"id":"st-role","reason":{"message":"wrong value","expectedToInclude":["admin"],"actualValue":["customer"]}}]}',
      },
    ],
    ['v1-get-order.json', { statusCode: 200, headers: json, body: '{"orderId":"42","customer":"fa7a0841-b533-4478-9553-0fde890c3483"}' }],
  ])('%s', async (name, expected) => {
    expect(await handler(v2Event(name), CONTEXT)).toEqual(expected);
  });

  it('loads the bundle from dist/bundle.tar.gz under the task root, once', () => {
    expect(loadBundle).toHaveBeenCalledOnce();
    expect(String(loadBundle.mock.calls[0]![0])).toMatch(/\/dist\/bundle\.tar\.gz$/);
  });
});

describe('the test fixtures’ IR is the example policy', () => {
  const events = readdirSync(new URL('../../examples/orders-api/events/', import.meta.url)).filter((f) => f.startsWith('v2-'));
  it.each(events)('same decision for %s, and for its path under each policy route', (name) => {
    const event = v2Event(name);
    const token = event.headers.authorization ? JSON.parse(Buffer.from(event.headers.authorization.split('.')[1]!, 'base64url').toString()) : null;
    for (const routeKey of [event.routeKey, '$default', ...ORDERS_IR.routes.map((r) => r.key)]) {
      const input = { request: { method: event.requestContext.http.method, routeKey, path: '/orders/42', pathParameters: { orderId: '42' } }, token, now: NOW };
      expect(decide(ORDERS_IR, input)).toEqual(decide(ir, input));
    }
  });
});
