// The per-request pipeline (src/lambda/pipeline.ts) on the paths the front-level suites only saw by
// status: synchronous once the bundle (and verifier) are ready, a bug on the cold path still a
// fault and never a rejection, a `verify` key set that cannot be built, a token nobody checked on
// a denied route, a ROUTE_MISMATCH that ends the search for the dispatched route, the decision log's
// time, evalMicros and claims. Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
// The cold start is built by hand where a test needs its state (loaded, verifier ready) fixed.
import type { JSONWebKeySet } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Decision } from '../../src/decision/types.js';
import { startColdStart, type ColdStart } from '../../src/lambda/cold-start.js';
import { readEvent, type RequestFacts } from '../../src/lambda/event.js';
import { createLogWriter } from '../../src/lambda/log.js';
import { authorizeRequest, type Verdict } from '../../src/lambda/pipeline.js';
import type { Verifier } from '../../src/lambda/verify.js';
import type { Authorizer } from '../../src/runtime/load-bundle.js';
import { chk, policy, publicRoute, route } from '../support/ir-builders.js';
import { AUDIENCE, ISSUER, logSink, NOW, payloadOf, referenceAuthorizer, v2Event } from './fixtures.js';

const TIME = new Date(NOW).toISOString();
const UNVERIFIED = 'a token arrived without authorizer claims to check it against';

/** A cold start whose bundle is loaded (unless overridden), logging to `lines` with `sub` included. */
function coldStart(over: Partial<ColdStart> = {}, authorizer: Authorizer = referenceAuthorizer()) {
  const log = logSink();
  const cold: ColdStart = {
    clock: () => NOW,
    maxTokenBytes: 16_384,
    eventOptions: { basePath: '' },
    writeLog: createLogWriter({ sink: log.sink, include: ['sub'] }),
    loading: Promise.resolve(authorizer),
    verifying: null,
    loaded: authorizer,
    verifier: null,
    said: new Set(),
    ...over,
  };
  return { cold, lines: log.lines };
}

/** A reader that hands over fixed facts (the pipeline takes any front's reader). */
const factsReader = (facts: RequestFacts) => () => facts;

const facts = (over: Partial<RequestFacts>): RequestFacts => ({
  payload: '1.0',
  source: 'api-gateway',
  method: 'GET',
  routeKey: null,
  path: '/',
  pathParameters: null,
  authorization: [],
  claims: null,
  inconsistent: null,
  anyRouteKey: null,
  ...over,
});

/** The sample public event without any token. */
function publicEvent() {
  const event = v2Event('v2-health-public.json');
  delete (event.headers as Record<string, string | undefined>)['authorization'];
  return event;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('synchronous once ready', () => {
  it('with the bundle loaded and no `verify`, a request is decided without a promise', () => {
    const { cold, lines } = coldStart();
    const verdict = authorizeRequest(cold, v2Event('v2-get-order.json'), readEvent);
    expect(verdict).not.toBeInstanceOf(Promise);
    expect(verdict).toMatchObject({ kind: 'allow', decision: { route: 'GET /orders/{orderId}', revision: 'ref-0' } });
    expect(lines).toHaveLength(1);
  });

  it('with `verify` ready, a request without a token is decided without a promise; while it is not ready, it waits', async () => {
    const verifier: Verifier = () => Promise.reject(new Error('no token reaches the verifier here'));
    const ready = coldStart({ verifying: Promise.resolve(verifier), verifier });
    const now = authorizeRequest(ready.cold, publicEvent(), readEvent);
    expect(now).not.toBeInstanceOf(Promise);
    expect(now).toMatchObject({ kind: 'allow', decision: { route: 'GET /health', token: null } });

    const pending = coldStart({ verifying: Promise.resolve(verifier), verifier: null });
    const later = authorizeRequest(pending.cold, publicEvent(), readEvent);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toMatchObject({ kind: 'allow', decision: { route: 'GET /health' } });
  });
});

describe('faults while the bundle or the verifier loads', () => {
  it('a bug after the bundle loaded (a decide() outside its contract) is a fault with the injected time, never a rejection', async () => {
    const broken = referenceAuthorizer();
    broken.decide = () => undefined as unknown as Decision;
    const { cold, lines } = coldStart({ loaded: null }, broken);
    const verdict = authorizeRequest(cold, v2Event('v2-get-order.json'), readEvent);
    expect(verdict).toBeInstanceOf(Promise);
    const settled = await verdict;
    expect(settled).toEqual({ kind: 'fault', code: 'INTERNAL_ERROR', decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // What a crash logs: no route, facts or revision it could vouch for; the clock it had read.
    expect(lines).toEqual([
      {
        decisionId: (settled as { decisionId: string }).decisionId,
        time: TIME,
        revision: null,
        route: null,
        routeKey: null,
        method: null,
        path: null,
        allow: false,
        status: 500,
        reasons: ['INTERNAL_ERROR'],
        detail: expect.stringMatching(/undefined/),
        evalMicros: null,
      },
    ]);
  });

  it('a `verify` key set that cannot be created is a 500 VERIFY_SETUP_FAILED with jose\'s reason', async () => {
    const log = logSink();
    const cold = startColdStart({
      authorizer: referenceAuthorizer(),
      clock: () => NOW,
      verify: { jwks: {} as JSONWebKeySet, issuer: ISSUER, audience: AUDIENCE },
      log: { sink: log.sink },
    });
    for (let i = 0; i < 2; i++) {
      const verdict = await authorizeRequest(cold, v2Event('v2-get-order.json'), readEvent);
      expect(verdict).toEqual({ kind: 'fault', code: 'VERIFY_SETUP_FAILED', decisionId: expect.any(String) });
    }
    expect(log.lines.map((l) => [l.status, l.reasons, l.detail, l.revision])).toEqual([
      [500, ['VERIFY_SETUP_FAILED'], 'JSON Web Key Set malformed', 'ref-0'],
      [500, ['VERIFY_SETUP_FAILED'], 'JSON Web Key Set malformed', 'ref-0'],
    ]);
  });

  it.each<[unknown, string]>([
    [Number.NaN, 'clock returned NaN, not epoch milliseconds'],
    [Number.POSITIVE_INFINITY, 'clock returned Infinity, not epoch milliseconds'],
    ['1712345680000', 'clock returned 1712345680000, not epoch milliseconds'],
  ])('a clock returning %j is a fault that says what the clock returned', (value, detail) => {
    const { cold, lines } = coldStart({ clock: () => value as number });
    expect(authorizeRequest(cold, publicEvent(), readEvent)).toEqual({ kind: 'fault', code: 'INTERNAL_ERROR', decisionId: expect.any(String) });
    expect(lines).toEqual([expect.objectContaining({ status: 500, reasons: ['INTERNAL_ERROR'], detail })]);
  });
});

describe('a token nobody checked', () => {
  /** The sample token, on an event whose route has no JWT authorizer, and no `verify`. */
  function unauthorizedEvent(rawPath?: string) {
    const event = v2Event(rawPath === undefined ? 'v2-get-order.json' : 'v2-default-route.json');
    if (rawPath !== undefined) event.rawPath = rawPath;
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
    return event;
  }

  it('on a denied route: the deny stands, and the log says a token arrived that did not count', () => {
    const { cold, lines } = coldStart();
    const verdict = authorizeRequest(cold, unauthorizedEvent('/invoices/7'), readEvent) as Verdict;
    expect(verdict).toMatchObject({ kind: 'deny', token: null, decision: { status: 403, reasons: [{ code: 'ROUTE_NOT_IN_POLICY' }] } });
    expect(lines).toEqual([
      expect.objectContaining({ allow: false, status: 403, reasons: ['TOKEN_UNVERIFIED', 'ROUTE_NOT_IN_POLICY'], detail: UNVERIFIED }),
    ]);
    expect(lines[0]).not.toHaveProperty('claims');
  });

  it('on a protected route: a 500 logged as a refusal (allow false), with the policy\'s route and the reason', () => {
    const { cold, lines } = coldStart();
    const verdict = authorizeRequest(cold, unauthorizedEvent(), readEvent);
    expect(verdict).toEqual({ kind: 'fault', code: 'TOKEN_UNVERIFIED', decisionId: expect.any(String) });
    expect(lines).toEqual([
      expect.objectContaining({
        allow: false,
        status: 500,
        route: 'GET /orders/{orderId}',
        reasons: ['TOKEN_UNVERIFIED', 'TOKEN_MISSING'],
        detail: UNVERIFIED,
        evalMicros: expect.any(Number),
      }),
    ]);
  });

  it('on a public route: allowed, and nothing about the token is logged', () => {
    const { cold, lines } = coldStart();
    const event = v2Event('v2-health-public.json');
    event.headers['authorization'] = v2Event('v2-get-order.json').headers.authorization;
    expect(authorizeRequest(cold, event, readEvent)).toMatchObject({ kind: 'allow', decision: { token: null } });
    expect(lines[0]).toMatchObject({ allow: true, status: 200, reasons: [] });
    expect(lines[0]).not.toHaveProperty('detail');
  });
});

describe('which route decides (payload 1.0 ANY fallback)', () => {
  const admin = chk.roles({ anyOf: ['admin'] });

  it('a ROUTE_MISMATCH on METHOD resource is the policy naming it: one decision, no ANY retry', () => {
    const authorizer = referenceAuthorizer(policy([route('GET /orders/{orderId}', [admin]), publicRoute('ANY /orders/{orderId}')], { audience: AUDIENCE }));
    const { cold, lines } = coldStart({}, authorizer);
    const read = factsReader(facts({ routeKey: 'GET /orders/{orderId}', anyRouteKey: 'ANY /orders/{orderId}', path: '/orders' }));
    expect(authorizeRequest(cold, {}, read)).toMatchObject({ kind: 'deny', decision: { status: 403, reasons: [{ code: 'ROUTE_MISMATCH' }] } });
    expect(authorizer.inputs).toHaveLength(1);
    expect(lines[0]).toMatchObject({ routeKey: 'GET /orders/{orderId}', reasons: ['ROUTE_MISMATCH'] });
  });

  it('without a routeKey nothing routed the request: the path alone decides, never an ANY key', () => {
    const authorizer = referenceAuthorizer(policy([publicRoute('GET /health'), route('ANY /{proxy+}', [admin])], { audience: AUDIENCE }));
    const { cold, lines } = coldStart({}, authorizer);
    const read = factsReader(facts({ routeKey: null, anyRouteKey: 'ANY /{proxy+}', path: '/health' }));
    expect(authorizeRequest(cold, {}, read)).toMatchObject({ kind: 'allow', decision: { route: 'GET /health' } });
    expect(authorizer.inputs).toHaveLength(1);
    expect(lines[0]).toMatchObject({ routeKey: null, route: 'GET /health' });
  });
});

describe('what an allow hands over', () => {
  it('the policy\'s decision as it is: no finerRoutes key when the policy had none', () => {
    const { cold } = coldStart();
    const event = v2Event('v2-get-order.json');
    const verdict = authorizeRequest(cold, event, readEvent) as Verdict & { kind: 'allow' };
    expect(verdict.kind).toBe('allow');
    expect(verdict.decision).toStrictEqual({
      allow: true,
      status: 200,
      route: 'GET /orders/{orderId}',
      reasons: [],
      decisionId: expect.any(String),
      revision: 'ref-0',
      token: payloadOf(event.headers.authorization!),
    });
  });
});

describe('the decision log', () => {
  it('time is the injected clock\'s, request by request', () => {
    let now = NOW;
    const { cold, lines } = coldStart({ clock: () => now });
    authorizeRequest(cold, publicEvent(), readEvent);
    now = NOW + 1500;
    authorizeRequest(cold, publicEvent(), readEvent);
    authorizeRequest(cold, publicEvent(), readEvent);
    expect(lines.map((l) => l.time)).toEqual([TIME, '2024-04-05T19:34:41.500Z', '2024-04-05T19:34:41.500Z']);
  });

  it('evalMicros is the time decide() took, in microseconds to one decimal', () => {
    // performance.now() in milliseconds, advanced only by decide().
    let ms = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => ms);
    const authorizer = referenceAuthorizer();
    const decide = authorizer.decide.bind(authorizer);
    const takes = [0.25, 1.23456];
    authorizer.decide = (input) => {
      ms += takes.shift()!;
      return decide(input);
    };
    const { cold, lines } = coldStart({}, authorizer);
    authorizeRequest(cold, publicEvent(), readEvent);
    authorizeRequest(cold, publicEvent(), readEvent);
    expect(lines.map((l) => l.evalMicros)).toEqual([250, 1234.6]);
  });

  it('claims are copied only from a token a decision was made on: not when decide() failed after the token was read', () => {
    const authorizer = referenceAuthorizer();
    authorizer.decide = () => {
      throw new Error('wasm trap');
    };
    const { cold, lines } = coldStart({}, authorizer);
    expect(authorizeRequest(cold, v2Event('v2-get-order.json'), readEvent)).toEqual({ kind: 'fault', code: 'INTERNAL_ERROR', decisionId: expect.any(String) });
    expect(lines).toEqual([expect.objectContaining({ status: 500, reasons: ['INTERNAL_ERROR'], detail: 'wasm trap' })]);
    expect(lines[0]).not.toHaveProperty('claims');
    // The same token on a working bundle is logged with its `sub` (include: ['sub']).
    const ok = coldStart();
    authorizeRequest(ok.cold, v2Event('v2-get-order.json'), readEvent);
    expect(ok.lines[0]).toMatchObject({ claims: { sub: 'fa7a0841-b533-4478-9553-0fde890c3483' } });
  });
});
