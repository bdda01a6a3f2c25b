// The cold start (src/lambda/cold-start.ts): once the bundle (and the `verify` key set) are ready,
// requests are answered synchronously, as createAuthorize promises. Found by mutation testing
// (CONTRIBUTING.md, "Mutation testing").
import type { JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthorize } from '../../src/lambda/authorize.js';
import { AUDIENCE, ISSUER, NOW, referenceAuthorizer, v2Event } from './fixtures.js';

/** Lets the cold start's own continuations (loaded, verifier) run. */
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

function publicEvent() {
  const event = v2Event('v2-health-public.json');
  delete (event.headers as Record<string, string | undefined>)['authorization'];
  return event;
}

describe('after the cold start', () => {
  it('the first request waits for the bundle; once it loaded, requests are decided synchronously', async () => {
    const authorize = createAuthorize({ authorizer: Promise.resolve(referenceAuthorizer()), clock: () => NOW, log: false });
    const first = authorize(v2Event('v2-get-order.json'));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ allow: true });
    await settle();
    const later = authorize(v2Event('v2-get-order.json'));
    expect(later).not.toBeInstanceOf(Promise);
    expect(later).toMatchObject({ allow: true, decision: { route: 'GET /orders/{orderId}' } });
  });

  it('with `verify`, once its key set is ready, a request without a token is decided synchronously', async () => {
    const jwks: JSONWebKeySet = { keys: [] };
    const authorize = createAuthorize({ authorizer: referenceAuthorizer(), clock: () => NOW, log: false, verify: { jwks, issuer: ISSUER, audience: AUDIENCE } });
    expect(await authorize(publicEvent())).toMatchObject({ allow: true });
    await settle();
    const later = authorize(publicEvent());
    expect(later).not.toBeInstanceOf(Promise);
    expect(later).toMatchObject({ allow: true, decision: { route: 'GET /health', token: null } });
  });
});
