// claimguardMiddleware on @middy/core 6: same decisions as withAuthorization; deny/fault short-circuit
// from `before`, the decision on `context.claimguard` on allow.
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { claimguardMiddleware, type ClaimguardContext } from '../../src/lambda/middy.js';
import { CONTEXT, logSink, NOW, referenceAuthorizer, v1Event, v2Event } from './fixtures.js';


const OK = { statusCode: 200, body: 'ok' };

function setup(authorizer: ReturnType<typeof referenceAuthorizer> | Promise<never> = referenceAuthorizer()) {
  const log = logSink();
  const inner = vi.fn(async (_event: unknown, context: Context) => ({ ...OK, who: (context as ClaimguardContext).claimguard.token?.sub }));
  const after = vi.fn();
  const handler = middy()
    .use(claimguardMiddleware({ authorizer, clock: () => NOW, log: { sink: log.sink } }))
    .use({ after })
    .handler(inner);
  return { handler, inner, after, log };
}

describe('claimguardMiddleware', () => {
  it('allow: the handler runs with the decision on context.claimguard', async () => {
    const { handler, inner, after } = setup();
    const result = await handler(v2Event('v2-get-order.json'), { ...CONTEXT });
    expect(result).toEqual({ ...OK, who: 'fa7a0841-b533-4478-9553-0fde890c3483' });
    expect((inner.mock.calls[0]![1] as ClaimguardContext).claimguard).toMatchObject({ allow: true, status: 200, route: 'GET /orders/{orderId}' });
    expect(after).toHaveBeenCalledOnce();
  });

  it('allow on payload 1.0', async () => {
    const { handler, inner } = setup();
    await handler(v1Event('v1-get-order.json'), { ...CONTEXT });
    expect(inner).toHaveBeenCalledOnce();
  });

  it('403 deny: the early response is claimguard’s, the handler and the after stack do not run', async () => {
    const { handler, inner, after, log } = setup();
    const result = await handler(v2Event('v2-delete-order-customer.json'), { ...CONTEXT });
    expect(result).toEqual({
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: '{"message":"invalid claim","claimValidationErrors":[{"id":"st-role","reason":{"message":"wrong value","expectedToInclude":["admin"],"actualValue":["customer"]}}]}',
    });
    expect(inner).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
    expect(log.lines).toHaveLength(1);
  });

  it('401 on a tampered token', async () => {
    const { handler, inner } = setup();
    const event = v2Event('v2-get-order.json');
    event.requestContext.authorizer.jwt.claims.sub = 'someone-else';
    expect(await handler(event, { ...CONTEXT })).toEqual({ statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"unauthorised"}' });
    expect(inner).not.toHaveBeenCalled();
  });

  it('a bundle that failed to load: 500, never the handler', async () => {
    const failed = Promise.reject(new Error('no bundle'));
    failed.catch(() => {});
    const { handler, inner } = setup(failed);
    expect(await handler(v2Event('v2-get-order.json'), { ...CONTEXT })).toMatchObject({ statusCode: 500, body: '{"message":"internal error"}' });
    expect(inner).not.toHaveBeenCalled();
  });

  it('an error the handler throws propagates as its own', async () => {
    const boom = new Error('db down');
    const handler = middy()
      .use(claimguardMiddleware({ authorizer: referenceAuthorizer(), clock: () => NOW, log: false }))
      .handler(async () => {
        throw boom;
      });
    await expect(handler(v2Event('v2-get-order.json'), { ...CONTEXT })).rejects.toBe(boom);
  });
});
