// The handler's error mapping, edge by edge (src/authorizer/index.ts, errors.ts): createAuthorizer
// refuses every options value without `verify` with VERIFY_REQUIRED and its whole message (never a
// TypeError of its own), an event that cannot be read is rethrown with its own code and message,
// and only an unreadable event is: a fault the pipeline found first (a broken clock) stays
// NO_DECISION even when the event is also one claimguard cannot decide for. Found by mutation
// testing (CONTRIBUTING.md, "Mutation testing"): authorizer.test.ts pins the codes, not these edges.
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthorizerError, ClaimguardError, createAuthorizer, type AuthorizerOptions } from '../../src/authorizer/index.js';
import type { BuiltBundle } from '../../src/compile/compile.js';
import { AUDIENCE, bearer, CUSTOMER, fixture, ISSUER, logSink, NOW, ordersBundle, restEvent, signingKey, type SigningKey } from './fixtures.js';
import { rejection, thrown } from '../support/thrown.js';

let built: BuiltBundle;
let k1: SigningKey;

beforeAll(async () => {
  [built, k1] = await Promise.all([ordersBundle(), signingKey('k1')]);
});

function setup(options: Partial<AuthorizerOptions> = {}) {
  const log = logSink();
  const handler = createAuthorizer({
    bundle: built.bytes,
    clock: () => NOW,
    log: { sink: log.sink },
    verify: { jwks: { keys: [k1.jwk] }, issuer: ISSUER, audience: AUDIENCE },
    ...options,
  });
  return { handler, log };
}


const shape = (e: Error) => ({ class: e.constructor, name: e.name, code: (e as AuthorizerError).code, message: e.message });

describe('createAuthorizer without `verify`', () => {
  const VERIFY_REQUIRED = {
    class: AuthorizerError,
    name: 'AuthorizerError',
    code: 'VERIFY_REQUIRED',
    message:
      'createAuthorizer needs `verify` ({ jwksUrl | jwks, issuer, audience }): no JWT authorizer stands in front of a Lambda authorizer, so it checks the token itself',
  };

  it.each<[string, unknown]>([
    ['no options at all', undefined],
    ['null', null],
    ['a string', 'dist/bundle.tar.gz'],
    ['options without verify', { bundle: 'dist/bundle.tar.gz' }],
  ])('%s: VERIFY_REQUIRED at cold start, with the message naming what to give', (_name, options) => {
    const e = thrown(() => createAuthorizer(options as AuthorizerOptions));
    expect(shape(e)).toEqual(VERIFY_REQUIRED);
    expect(e).toBeInstanceOf(ClaimguardError);
  });
});

describe('events that cannot be read: their own code and message, prefixed', () => {
  it.each<[string, unknown, string, string]>([
    ['null', null, 'EVENT_UNSUPPORTED', 'the event is not an object'],
    ['an array', [], 'EVENT_UNSUPPORTED', 'the event is not an object'],
    ['a REST event whose methodArn is an array', { ...restEvent(null), methodArn: [restEvent(null).methodArn] }, 'EVENT_UNSUPPORTED', 'a REQUEST authorizer event without an execute-api methodArn'],
  ])('%s', async (_name, event, code, message) => {
    const { handler, log } = setup();
    const e = await rejection(handler(event));
    expect(shape(e)).toEqual({ class: AuthorizerError, name: 'AuthorizerError', code, message: `claimguard/authorizer: ${message}` });
    expect(log.lines).toEqual([expect.objectContaining({ status: 500, reasons: ['EVENT_UNSUPPORTED'], detail: message })]);
  });

  it('a TOKEN event: TOKEN_AUTHORIZER, never a 401', async () => {
    const { handler } = setup();
    const event = fixture<Record<string, unknown>>('rest-token.json');
    event.authorizationToken = await bearer(CUSTOMER, k1);
    const e = await rejection(handler(event));
    expect(shape(e)).toMatchObject({ class: AuthorizerError, name: 'AuthorizerError', code: 'TOKEN_AUTHORIZER' });
    expect(e.message).toMatch(/^claimguard\/authorizer: a TOKEN authorizer event: /);
  });
});

describe('a fault found before the event was read stays NO_DECISION', () => {
  it('a clock that is not a number, with a TOKEN event: NO_DECISION (INTERNAL_ERROR), the log line named; not TOKEN_AUTHORIZER', async () => {
    const { handler, log } = setup({ clock: () => Number.NaN });
    const e = await rejection(handler(fixture('rest-token.json')));
    const line = log.lines[0]!;
    expect(line).toMatchObject({ status: 500, reasons: ['INTERNAL_ERROR'] });
    expect(shape(e)).toEqual({
      class: AuthorizerError,
      name: 'AuthorizerError',
      code: 'NO_DECISION',
      message: `claimguard/authorizer made no decision (INTERNAL_ERROR); the decision log line ${line.decisionId as string} says why`,
    });
  });

  it('the second reading only names the problem: an event that reads as a valid one the second time is still NO_DECISION, never a TypeError', async () => {
    // `type` reads WEBSOCKET until the pipeline has logged its verdict, REQUEST after: the first
    // reading refuses the event, the second accepts it.
    let logged = false;
    const log = logSink();
    const { handler } = setup({
      log: {
        sink: (line: string) => {
          logged = true;
          log.sink(line);
        },
      },
    });
    const event = restEvent(await bearer(CUSTOMER, k1));
    Object.defineProperty(event, 'type', { get: () => (logged ? 'REQUEST' : 'WEBSOCKET'), enumerable: true });
    const e = await rejection(handler(event));
    expect(shape(e)).toEqual({
      class: AuthorizerError,
      name: 'AuthorizerError',
      code: 'NO_DECISION',
      message: `claimguard/authorizer made no decision (EVENT_UNSUPPORTED); the decision log line ${log.lines[0]!.decisionId as string} says why`,
    });
  });
});
