// Token decoding: the nesting limit (decided by one iterative scan, before anything parses or
// serializes the payload recursively) and SuperTokens' tenant for tokens before version 4.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { withAuthorization } from '../../src/lambda/index.js';
import { decodeToken, MAX_TOKEN_DEPTH, nestsDeeperThan, TokenError, withTenant } from '../../src/lambda/token.js';
import { b64url, CONTEXT, logSink, NOW, payloadOf, referenceAuthorizer, splitToken, v2Event } from './fixtures.js';

/** Nesting depth of a JSON value, by recursion (fine for the small generated values here). */
const depthOf = (v: unknown): number =>
  typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0;

describe('nestsDeeperThan', () => {
  it('agrees with a recursive depth on any JSON text, strings holding brackets and escapes included', () => {
    const value = fc.jsonValue({ maxDepth: 8 });
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 9 }), (v, max) => {
        expect(nestsDeeperThan(JSON.stringify(v), max)).toBe(depthOf(v) > max);
      }),
      { numRuns: 1000 },
    );
  });

  it('brackets inside strings do not count', () => {
    expect(nestsDeeperThan(JSON.stringify({ a: '[[[[{{{{', b: '\\"[[' }), 1)).toBe(false);
  });
});

/** The sample token with one more claim nested so that the payload is `depth` levels deep. */
function tokenOfDepth(depth: number): string {
  const [h, p, s] = splitToken(v2Event('v2-get-order.json').headers.authorization!);
  const text = Buffer.from(p, 'base64url').toString('utf8');
  const deep = `${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`;
  return `${h}.${Buffer.from(`${text.slice(0, -1)},"deep":${deep}}`).toString('base64url')}.${s}`;
}

describe('the nesting limit', () => {
  it(`a payload ${MAX_TOKEN_DEPTH} levels deep decodes; one level more is TOKEN_MALFORMED`, () => {
    expect(decodeToken(tokenOfDepth(MAX_TOKEN_DEPTH))).not.toBeInstanceOf(TokenError);
    expect(decodeToken(tokenOfDepth(MAX_TOKEN_DEPTH + 1))).toMatchObject({ code: 'TOKEN_MALFORMED', message: expect.stringContaining(`${MAX_TOKEN_DEPTH}`) });
  });

  it.each([MAX_TOKEN_DEPTH + 1, 999, 5000])('depth %i through the wrapper: 401 TOKEN_MALFORMED before any decision', async (depth) => {
    const log = logSink();
    const authorizer = referenceAuthorizer();
    const handler = vi.fn(async () => ({ statusCode: 200 }));
    const wrapped = withAuthorization(handler, { authorizer, clock: () => NOW, log: { sink: log.sink } });
    const event = v2Event('v2-get-order.json');
    event.headers.authorization = `Bearer ${tokenOfDepth(depth)}`;
    expect(await wrapped(event, CONTEXT)).toMatchObject({ statusCode: 401 });
    expect(log.lines[0]).toMatchObject({ status: 401, reasons: ['TOKEN_MALFORMED'], evalMicros: null });
    expect(authorizer.inputs).toEqual([]);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('tenant of tokens before version 4 (supertokens-node: DEFAULT_TENANT_ID "public")', () => {
  /** The sample payload under a header naming `version` (or none), optionally without `tId`. */
  function token(version: string | undefined, edit: (p: Record<string, unknown>) => void = () => {}): string {
    const [, , s] = splitToken(v2Event('v2-get-order.json').headers.authorization!);
    const payload = payloadOf(v2Event('v2-get-order.json').headers.authorization!);
    edit(payload);
    const header = { kid: 'd-1712345000000', typ: 'JWT', alg: 'RS256', ...(version === undefined ? {} : { version }) };
    return `${b64url(header)}.${b64url(payload)}.${s}`;
  }

  it.each<[string, string | undefined, (p: Record<string, unknown>) => void, unknown]>([
    ['v3 without tId → public', '3', (p) => delete p.tId, 'public'],
    ['no version in the header (read as 3) → public', undefined, (p) => delete p.tId, 'public'],
    ['v3 claiming another tenant → public (the payload is not read for it)', '3', (p) => (p.tId = 'acme'), 'public'],
    ['v5 keeps its own tId', '5', (p) => (p.tId = 'acme'), 'acme'],
    ['v5 without tId stays without (a tenant requirement then fails)', '5', (p) => delete p.tId, undefined],
    ['a version that is not a decimal string: left as it is', 'five', (p) => delete p.tId, undefined],
  ])('%s', async (_name, version, edit, tenant) => {
    const authorizer = referenceAuthorizer();
    const handler = vi.fn(async () => ({ statusCode: 200 }));
    const wrapped = withAuthorization(handler, { authorizer, clock: () => NOW, log: false });
    const event = v2Event('v2-get-order.json');
    event.headers.authorization = `Bearer ${token(version, edit)}`;
    await wrapped(event, CONTEXT);
    const input = authorizer.inputs[0] as { token: Record<string, unknown> };
    expect(input.token.tId).toBe(tenant);
    expect(handler).toHaveBeenCalledOnce();
    const decision = (handler.mock.calls[0] as unknown[])[2] as { token: Record<string, unknown> };
    expect(decision.token.tId).toBe(tenant);
  });

  it('withTenant copies rather than mutates', () => {
    const payload = { sub: 'u1' };
    expect(withTenant(payload, 3)).toEqual({ sub: 'u1', tId: 'public' });
    expect(payload).toEqual({ sub: 'u1' });
    expect(withTenant(payload, 5)).toBe(payload);
  });

  it('a header that is not a JSON object is TOKEN_MALFORMED', () => {
    const [, p, s] = splitToken(v2Event('v2-get-order.json').headers.authorization!);
    expect(decodeToken(`${b64url('not json')}.${p}.${s}`)).toMatchObject({ code: 'TOKEN_MALFORMED' });
    expect(decodeToken(`${b64url([1])}.${p}.${s}`)).toMatchObject({ code: 'TOKEN_MALFORMED' });
  });
});
