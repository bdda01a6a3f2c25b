// The token's way in, one refusal at a time, each with its code and message: the Authorization
// header's count and size (bytes, not UTF-16 units), strict base64url, strict UTF-8, a payload
// that is a JSON object, the header's version, and the cross-check against the authorizer's claims
// (numbers as API Gateway renders them: decimal text only). Found by mutation testing
// (CONTRIBUTING.md, "Mutation testing"): the suite asserted only the status of most of these.
import { describe, expect, it } from 'vitest';
import {
  crossCheck,
  decodePayload,
  decodeToken,
  DEFAULT_MAX_TOKEN_BYTES,
  pickToken,
  TokenError,
  withTenant,
  type TokenErrorCode,
} from '../../src/lambda/token.js';

const b64 = (x: string | Uint8Array): string => Buffer.from(x).toString('base64url');
const HEADER = b64('{"alg":"RS256","typ":"JWT","version":"5"}');
const jwt = (payload: string | Uint8Array, header = HEADER): string => `${header}.${b64(payload)}.c2ln`;
const refused = (code: TokenErrorCode, message: string) => new TokenError(code, message);

describe('pickToken', () => {
  it('no header is no token; two are TOKEN_MULTIPLE, and so is a comma-joined value', () => {
    expect(pickToken([], 100)).toBeNull();
    expect(pickToken(['Bearer a', 'Bearer b'], 100)).toEqual(refused('TOKEN_MULTIPLE', '2 Authorization headers'));
    expect(pickToken(['a', 'b', 'c'], 100)).toEqual(refused('TOKEN_MULTIPLE', '3 Authorization headers'));
    expect(pickToken(['Bearer a.b.c, Bearer d.e.f'], 100)).toEqual(refused('TOKEN_MULTIPLE', 'comma-joined Authorization header values'));
  });

  it('the scheme is optional and case-insensitive; spaces and tabs around it are dropped', () => {
    expect(pickToken(['Bearer a.b.c'], 100)).toBe('a.b.c');
    expect(pickToken(['bEARER \t a.b.c  '], 100)).toBe('a.b.c');
    expect(pickToken(['  a.b.c\t'], 100)).toBe('a.b.c');
    expect(pickToken(['Bearera.b.c'], 100)).toBe('Bearera.b.c');
    expect(pickToken(['Basic a.b.c'], 100)).toBe('Basic a.b.c');
  });

  describe('the size limit counts UTF-8 bytes', () => {
    const tooLarge = (max: number) => refused('TOKEN_TOO_LARGE', `Authorization header longer than ${max} bytes`);

    it('exactly the limit passes; one byte more is refused', () => {
      expect(pickToken(['x'.repeat(30)], 30)).toBe('x'.repeat(30));
      expect(pickToken(['x'.repeat(31)], 30)).toEqual(tooLarge(30));
    });

    it('multibyte characters: fewer UTF-16 units than the limit, more bytes', () => {
      expect(pickToken(['é'.repeat(15)], 30)).toBe('é'.repeat(15)); // 30 bytes
      expect(pickToken(['é'.repeat(16)], 30)).toEqual(tooLarge(30)); // 32 bytes, 16 units
      expect(pickToken(['€'.repeat(10)], 30)).toBe('€'.repeat(10)); // 30 bytes in 10 units
      expect(pickToken(['€'.repeat(10) + 'x'], 30)).toEqual(tooLarge(30)); // 31 bytes in 11 units
    });

    it('the default is 16 KiB', () => {
      expect(DEFAULT_MAX_TOKEN_BYTES).toBe(16_384);
      expect(pickToken(['x'.repeat(16_384)], DEFAULT_MAX_TOKEN_BYTES)).toBe('x'.repeat(16_384));
      expect(pickToken(['x'.repeat(16_385)], DEFAULT_MAX_TOKEN_BYTES)).toEqual(tooLarge(16_384));
    });
  });
});

describe('decodeToken', () => {
  const payload = '{"sub":"u1","st-role":{"v":["admin"],"t":1}}';

  it('decodes the payload and reads the header\'s version', () => {
    expect(decodeToken(jwt(payload))).toEqual({ payload: JSON.parse(payload), version: 5 });
    expect(decodePayload(jwt(payload))).toEqual(JSON.parse(payload));
  });

  it.each([
    ['two segments', 'aaaa.bbbb'],
    ['an empty signature', 'aaaa.bbbb.'],
    ['four segments', 'aaaa.bbbb.cccc.dddd'],
    ['no dot at all', 'aaaabbbb'],
    ['an empty string', ''],
  ])('%s: not three segments', (_name, token) => {
    expect(decodeToken(token)).toEqual(refused('TOKEN_MALFORMED', 'token is not three dot-separated segments'));
    expect(decodePayload(token)).toEqual(refused('TOKEN_MALFORMED', 'token is not three dot-separated segments'));
  });

  describe('base64url, strictly', () => {
    // `{"a":"?>?"}` is `eyJhIjoiPz4_In0` in base64url and `eyJhIjoiPz4/In0` in base64: Node's
    // base64url decoder reads both, and the same bytes come out.
    const notB64 = refused('TOKEN_MALFORMED', 'token segment is not base64url');
    const text = '{"a":"?>?"}';

    it('the base64url form decodes', () => {
      expect(b64(text)).toBe('eyJhIjoiPz4_In0');
      expect(decodeToken(`${HEADER}.eyJhIjoiPz4_In0.c2ln`)).toEqual({ payload: { a: '?>?' }, version: 5 });
    });

    it.each([
      ['"/" of standard base64', 'eyJhIjoiPz4/In0'],
      ['"+" of standard base64', b64('{"a":"ü>"}').replace(/-/g, '+')],
      ['"=" padding', `${b64('{"a":1}')}=`],
      ['a character outside the alphabet', 'eyJhIjoiPz4*In0'],
      ['a space inside', 'eyJhIjoi Pz4_In0'],
      ['a length of 4n + 1', `${b64('{"a":123}')}A`],
      ['an empty payload', ''],
    ])('refuses %s', (_name, segment) => {
      expect(decodeToken(`${HEADER}.${segment}.c2ln`)).toEqual(notB64);
    });

    it('a length of 4n + 1 is refused even where skipped characters would make the byte count fit', () => {
      // `{   }` is 7 characters of base64url (5 bytes); two characters Node skips make 9, and 9
      // characters (4n + 1) are 5 bytes by the length rule: only the 4n + 1 check refuses it.
      expect(b64('{   }')).toBe('eyAgIH0');
      expect(Buffer.from('eyAgIH0!!', 'base64url')).toHaveLength(5);
      expect(decodeToken(`${HEADER}.eyAgIH0!!.c2ln`)).toEqual(notB64);
      expect(decodeToken(`eyAgIH0!!.${b64(payload)}.c2ln`)).toEqual(refused('TOKEN_MALFORMED', 'token header is not a base64url JSON object'));
    });

    it('the "+" case really differs from its base64url form only by the alphabet', () => {
      const url = b64('{"a":"ü>"}');
      expect(url).toMatch(/-/);
      expect(Buffer.from(url.replace(/-/g, '+'), 'base64url').toString()).toBe('{"a":"ü>"}');
    });

    it('the header segment is checked the same way', () => {
      const stdHeader = Buffer.from('{"alg":"RS256","x":"?>?"}').toString('base64');
      expect(stdHeader).toMatch(/\//);
      expect(decodeToken(`${stdHeader}.${b64(payload)}.c2ln`)).toEqual(refused('TOKEN_MALFORMED', 'token header is not a base64url JSON object'));
    });
  });

  it('a payload that is not UTF-8 is refused, not decoded with replacement characters', () => {
    const bytes = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    expect(decodeToken(jwt(bytes))).toEqual(refused('TOKEN_MALFORMED', 'token payload is not UTF-8 JSON'));
    const overlong = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
    expect(decodeToken(jwt(overlong))).toEqual(refused('TOKEN_MALFORMED', 'token payload is not UTF-8 JSON'));
  });

  it.each([
    ['not JSON', '{"sub":', 'token payload is not UTF-8 JSON'],
    ['a list', '[{"sub":"u1"}]', 'token payload is not a JSON object'],
    ['null', 'null', 'token payload is not a JSON object'],
    ['a string', '"u1"', 'token payload is not a JSON object'],
    ['a number', '7', 'token payload is not a JSON object'],
  ])('a payload that is %s', (_name, text, message) => {
    expect(decodeToken(jwt(text))).toEqual(refused('TOKEN_MALFORMED', message));
  });

  it.each([
    ['not JSON', b64('{"alg":')],
    ['a list', b64('["RS256"]')],
    ['not UTF-8', b64(Buffer.from([0x7b, 0xff, 0x7d]))],
    ['empty', ''],
  ])('a header that is %s', (_name, header) => {
    expect(decodeToken(jwt(payload, header))).toEqual(refused('TOKEN_MALFORMED', 'token header is not a base64url JSON object'));
  });

  it.each<[string, unknown, number]>([
    ['"5"', '5', 5],
    ['"4"', '4', 4],
    ['"05"', '05', 5],
    ['absent (read as 3)', undefined, 3],
    ['5 as a number', 5, Number.NaN],
    ['"v5"', 'v5', Number.NaN],
    ['""', '', Number.NaN],
    ['" 5"', ' 5', Number.NaN],
    ['"5 "', '5 ', Number.NaN],
    ['"5.0"', '5.0', Number.NaN],
  ])('header version %s', (_name, version, expected) => {
    // Distinct header texts per row (the header cache is keyed by the segment).
    const header = b64(JSON.stringify({ alg: 'RS256', kid: `k-${String(version)}-${typeof version}`, ...(version === undefined ? {} : { version }) }));
    const decoded = decodeToken(jwt(payload, header));
    expect(decoded).not.toBeInstanceOf(TokenError);
    expect((decoded as { version: number }).version).toBe(expected);
    // Read twice (the second time from the cache): the same answer.
    expect((decodeToken(jwt(payload, header)) as { version: number }).version).toBe(expected);
  });
});

describe('withTenant', () => {
  it('tokens before version 4 are in the tenant public, whatever they say; newer ones are left alone', () => {
    expect(withTenant({ sub: 'u1' }, 3)).toEqual({ sub: 'u1', tId: 'public' });
    expect(withTenant({ sub: 'u1', tId: 'acme' }, 2)).toEqual({ sub: 'u1', tId: 'public' });
    expect(withTenant({ sub: 'u1', tId: 'acme' }, 4)).toEqual({ sub: 'u1', tId: 'acme' });
    expect(withTenant({ sub: 'u1' }, Number.NaN)).toEqual({ sub: 'u1' });
  });

  it('returns the payload itself when nothing changes, a copy when the tenant is set', () => {
    const inPublic = { sub: 'u1', tId: 'public' };
    expect(withTenant(inPublic, 3)).toBe(inPublic);
    const v5 = { sub: 'u1' };
    expect(withTenant(v5, 5)).toBe(v5);
    const acme = { sub: 'u1', tId: 'acme' };
    const moved = withTenant(acme, 3);
    expect(moved).not.toBe(acme);
    expect(acme.tId).toBe('acme');
  });
});

describe('crossCheck against the authorizer\'s claims', () => {
  const token: Record<string, unknown> = { sub: 'u1', iat: 1712345678, exp: 1712349278, sessionHandle: 'h-1' };
  const claims: Record<string, unknown> = { sub: 'u1', iat: '1712345678', exp: '1712349278', sessionHandle: 'h-1' };
  const differs = (name: string) => refused('TOKEN_CLAIMS_MISMATCH', `claim "${name}" of the token differs from the authorizer's`);

  it('agrees when every cross-checked claim matches (numbers as decimal text or as numbers)', () => {
    expect(crossCheck(token, claims)).toBeNull();
    expect(crossCheck(token, { ...claims, iat: 1712345678, exp: 1712349278 })).toBeNull();
    expect(crossCheck({}, {})).toBeNull();
  });

  it.each(['sub', 'iat', 'exp', 'sessionHandle'])('names the claim that differs: %s', (name) => {
    expect(crossCheck(token, { ...claims, [name]: 'other' })).toEqual(differs(name));
    const { [name]: _dropped, ...withoutIt } = claims;
    expect(crossCheck(token, withoutIt)).toEqual(differs(name));
    const { [name]: _gone, ...tokenWithout } = token;
    expect(crossCheck(tokenWithout, claims)).toEqual(differs(name));
  });

  it.each([
    ['1.712345678e9', true],
    ['1712345678.0', true],
    ['1712345678E0', true],
    ['0x661053CE', false],
    [' 1712345678', false],
    ['1712345678 ', false],
    ['+1712345678', false],
    ['1712345678x', false],
    ['x1712345678', false],
    ['', false],
    ['1712345679', false],
  ])('iat reported as %j agrees: %s', (reported, agrees) => {
    expect(crossCheck(token, { ...claims, iat: reported })).toEqual(agrees ? null : differs('iat'));
  });

  it('a number is reported as a number or as decimal text, never inside a list or an object that prints as it', () => {
    expect(crossCheck(token, { ...claims, iat: ['1712345678'] })).toEqual(differs('iat'));
    expect(crossCheck(token, { ...claims, iat: [1712345678] })).toEqual(differs('iat'));
    expect(crossCheck(token, { ...claims, exp: { toString: () => '1712349278' } })).toEqual(differs('exp'));
  });

  it('a negative number and a fraction compare as numbers too', () => {
    expect(crossCheck({ iat: -5 }, { iat: '-5' })).toBeNull();
    expect(crossCheck({ sub: 'u', iat: -5.5 }, { sub: 'u', iat: '-5.5' })).toBeNull();
    expect(crossCheck({ sub: 'u', iat: 5 }, { sub: 'u', iat: '-5' })).toEqual(differs('iat'));
  });

  it('a string claim must be reported as the same string; a number reported as a number must be equal', () => {
    expect(crossCheck({ sub: '42' }, { sub: 42 })).toEqual(differs('sub'));
    expect(crossCheck({ sub: 'u1', iat: 5 }, { sub: 'u1', iat: 6 })).toEqual(differs('iat'));
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['true', true],
    ['an object', { v: 1 }],
    ['a list', ['u1']],
  ])('a token claim that is %s never agrees, whatever is reported', (_name, value) => {
    expect(crossCheck({ ...token, sub: value }, { ...claims, sub: value })).toEqual(differs('sub'));
    expect(crossCheck({ ...token, sub: value }, { ...claims, sub: String(value) })).toEqual(differs('sub'));
  });

  it('only own properties count, on either side', () => {
    const inherited = Object.create({ sub: 'u1' }) as Record<string, unknown>;
    expect(crossCheck({}, inherited)).toBeNull();
    expect(crossCheck(inherited, {})).toBeNull();
    expect(crossCheck({ sub: 'u1' }, inherited)).toEqual(differs('sub'));
  });
});
