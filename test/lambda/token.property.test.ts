// Properties of the token path: whatever arrives in the Authorization header, the wrapper never
// throws, never answers 500, and calls the handler only for a token whose cross-checked claims are
// exactly the authorizer's.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { withAuthorization } from '../../src/lambda/index.js';
import { crossCheck, decodePayload, TokenError } from '../../src/lambda/token.js';
import { b64url, CONTEXT, NOW, payloadOf, referenceAuthorizer, splitToken, v2Event, withPayload } from './fixtures.js';

const OK = { statusCode: 200, body: 'ok' };
const sample = v2Event('v2-get-order.json');
const samplePayload = payloadOf(sample.headers.authorization!);
const [h0, , s0] = splitToken(sample.headers.authorization!);

function wrapped() {
  const handler = vi.fn(async () => OK);
  return { handler, call: withAuthorization(handler, { authorizer: referenceAuthorizer(), clock: () => NOW, log: false }) };
}

describe('token properties', () => {
  it('any header value: 401 or an allow with a matching token, never a throw or a 500', async () => {
    const { handler, call } = wrapped();
    const header = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.base64String().map((p) => `Bearer ${h0}.${p}.${s0}`),
      fc.jsonValue().map((v) => `Bearer ${h0}.${b64url(v)}.${s0}`),
      fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/), { maxLength: 5 }).map((parts) => parts.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        handler.mockClear();
        const event = v2Event('v2-get-order.json');
        event.headers.authorization = value;
        const result = (await call(event, CONTEXT)) as { statusCode: number };
        expect([200, 401, 403]).toContain(result.statusCode);
        if (handler.mock.calls.length > 0) {
          const token = decodePayload(value.replace(/^\s*bearer\s+/i, '').trim());
          expect(token).not.toBeInstanceOf(TokenError);
          expect(crossCheck(token as Record<string, unknown>, event.requestContext.authorizer.jwt.claims)).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('changing any cross-checked claim in the header token is always a 401, handler never called', async () => {
    const { handler, call } = wrapped();
    const claim = fc.constantFrom('sub', 'iat', 'exp', 'sessionHandle');
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.constant(undefined), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(claim, value, async (name, v) => {
        fc.pre(v !== samplePayload[name] && !(typeof v === 'string' && v === String(samplePayload[name])));
        const event = v2Event('v2-get-order.json');
        const payload: Record<string, unknown> = { ...samplePayload };
        if (v === undefined) delete payload[name];
        else payload[name] = v;
        event.headers.authorization = withPayload(sample.headers.authorization!, payload);
        expect(await call(event, CONTEXT)).toMatchObject({ statusCode: 401 });
        expect(handler).not.toHaveBeenCalled();
      }),
      { numRuns: 300 },
    );
  });
});
