// Payload 1.0 events (REST APIs, HTTP API 1.0) carry `httpMethod` and `resource` but not whether
// the API's route was `ANY` (a REST `x-amazon-apigateway-any-method`, the common `/{proxy+}`
// Lambda proxy). The dispatched route must still always decide: when the policy names
// `ANY resource` and not `METHOD resource`, that is the route, with every finer one beside it —
// never path matching alone, where a finer public route would stand in for the catch-all.
import { describe, expect, it, vi } from 'vitest';
import { withAuthorization, type AuthorizedDecision } from '../../src/lambda/index.js';
import { chk, policy, publicRoute, route } from '../support/ir-builders.js';
import { AUDIENCE, CONTEXT, logSink, NOW, referenceAuthorizer, v1Event } from './fixtures.js';

const OK = { statusCode: 200, body: 'ok' };
const admin = chk.roles({ anyOf: ['admin'] });

function call(routes: Parameters<typeof policy>[0], method: string, resource: string, pathParameters: Record<string, string>) {
  const authorizer = referenceAuthorizer(policy(routes, { audience: AUDIENCE }));
  const log = logSink();
  const handler = vi.fn(async (_e: unknown, _c: unknown, _d: AuthorizedDecision) => OK);
  const wrapped = withAuthorization(handler, { authorizer, clock: () => NOW, log: { sink: log.sink } });
  const event = v1Event('v1-get-order.json'); // a customer's token, verified by a REST JWT authorizer
  event.httpMethod = method;
  event.resource = resource;
  event.pathParameters = pathParameters;
  return { result: wrapped(event, CONTEXT), handler, authorizer, log };
}

describe('payload 1.0 on an ANY route', () => {
  it('the ANY /{proxy+} integration decides, with the finer public route beside it: no bypass', async () => {
    const { result, handler, authorizer, log } = call([route('ANY /{proxy+}', [admin]), publicRoute('GET /docs/{rest+}')], 'GET', '/{proxy+}', { proxy: 'docs/x' });
    expect((await result).statusCode).toBe(403);
    expect(handler).not.toHaveBeenCalled();
    expect(authorizer.inputs.at(-1)).toMatchObject({ request: { method: 'GET', routeKey: 'ANY /{proxy+}', path: '/docs/x' } });
    expect(log.lines[0]).toMatchObject({ route: 'ANY /{proxy+}', finerRoutes: ['GET /docs/{rest+}'], routeKey: 'ANY /{proxy+}', status: 403, reasons: ['ROLES_MISSING'] });
  });

  it('a policy naming METHOD resource keeps it (one decision)', async () => {
    const { result, handler, authorizer } = call([publicRoute('GET /{proxy+}'), route('ANY /{proxy+}', [admin])], 'GET', '/{proxy+}', { proxy: 'docs/x' });
    expect((await result).statusCode).toBe(200);
    expect(handler).toHaveBeenCalledOnce();
    expect(authorizer.inputs).toHaveLength(1);
    expect(authorizer.inputs[0]).toMatchObject({ request: { routeKey: 'GET /{proxy+}' } });
  });

  it('a resource the policy names under neither key is matched by path, as before', async () => {
    const { result, authorizer, log } = call([publicRoute('GET /{page}'), route('ANY /{proxy+}', [admin])], 'GET', '/status', {});
    expect((await result).statusCode).toBe(200);
    expect(authorizer.inputs.map((i) => (i as { request: { routeKey: string } }).request.routeKey)).toEqual(['GET /status', 'ANY /status']);
    expect(log.lines[0]).toMatchObject({ route: 'GET /{page}', routeKey: 'GET /status' });
  });
});
