// OPA hashes structured bundle files over a canonical JSON text (Go's encoding/json of the value
// decoded with json.Number): sorted keys in byte order, no whitespace, number literals as written,
// strings escaped as Go escapes them with HTML escaping off.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, goJsonString } from '../../src/bundle/signatures/canonical.js';
import { fileDigest } from '../../src/bundle/signatures/digest.js';

describe('canonicalJson', () => {
  it.each<[string, string, string]>([
    ['sorts keys at every depth', '{"b":1,"a":{"d":[{"z":1,"y":2}],"c":null}}', '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}'],
    ['drops whitespace', ' {\n\t"a" : [ 1 , 2 ] ,\r\n "b":true } ', '{"a":[1,2],"b":true}'],
    ['keeps number literals as written (json.Number)', '[1.0,1e3,-0,123.45678911111111111111111111111111111,1E-7]', '[1.0,1e3,-0,123.45678911111111111111111111111111111,1E-7]'],
    ['keeps the last of duplicate keys', '{"a":1,"b":2,"a":3}', '{"a":3,"b":2}'],
    ['treats escaped and literal spellings of a key as one key', '{"\\u0061":1,"a":2}', '{"a":2}'],
    ['leaves <, >, & unescaped (HTML escaping off)', '"<foo></foo> & more"', '"<foo></foo> & more"'],
    ['escapes U+2028 and U+2029 as Go does', '"a\u2028b\\u2029c"', '"a\\u2028b\\u2029c"'],
    ['writes controls like Go 1.22+: short forms, else lowercase \\u00XX', '"\\b\\f\\n\\r\\t\\u0001\\u001F\\u007f"', '"\\b\\f\\n\\r\\t\\u0001\\u001f\u007f"'],
    ['unescapes what Go would not escape', '"\\u00e9\\/\\u20ac"', '"é/€"'],
    ['replaces a lone surrogate with U+FFFD (Go decodes it so)', '"x\\ud800y"', '"x\uFFFDy"'],
    ['orders keys by UTF-8 bytes, not UTF-16 units', '{"\uFB01":1,"\u{1F600}":2,"z":3}', '{"z":3,"\uFB01":1,"\u{1F600}":2}'],
    ['keeps empty containers', '{"a":{},"b":[]}', '{"a":{},"b":[]}'],
    ['reads a bare scalar', ' false ', 'false'],
  ])('%s', (_name, input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it('agrees with sorted JSON.stringify on plain data (no numbers with fractions, no separators)', () => {
    const value = { wasm: [{ module: '/policy.wasm', entrypoint: 'claimguard/decision' }], roots: ['claimguard'], rego_version: 1, revision: 'abc' };
    const sorted = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sorted) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
    expect(canonicalJson(JSON.stringify(value, null, 2))).toBe(JSON.stringify(sorted(value)));
  });

  it('refuses trailing input rather than hashing a prefix', () => {
    expect(() => canonicalJson('{} {}')).toThrow(SyntaxError);
  });

  it('goJsonString escapes exactly what Go escapes', () => {
    expect(goJsonString('"\\\u2028<&>')).toBe('"\\"\\\\\\u2028<&>"');
  });
});

describe('fileDigest', () => {
  const entry = (name: '/data.json' | '/.manifest' | '/policy.wasm', text: string) => ({ name, bytes: new TextEncoder().encode(text) });
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

  it('hashes data.json and .manifest over their canonical text, so formatting does not count', () => {
    expect(fileDigest(entry('/data.json', '{}\n'), 'SHA-256')).toBe(sha256('{}'));
    expect(fileDigest(entry('/.manifest', '{ "revision": "r", "roots": ["x"] }\n'), 'SHA-256')).toBe(sha256('{"revision":"r","roots":["x"]}'));
    expect(fileDigest(entry('/.manifest', '{"roots":["x"],"revision":"r"}'), 'SHA-256')).toBe(sha256('{"revision":"r","roots":["x"]}'));
  });

  it('hashes other files over their bytes', () => {
    expect(fileDigest(entry('/policy.wasm', '{ "a": 1 }'), 'SHA-256')).toBe(sha256('{ "a": 1 }'));
  });

  it('refuses a hash name it does not know (MD5 and SHA-1 included) rather than guessing', () => {
    for (const algorithm of ['MD5', 'SHA-1', 'sha256', '']) {
      expect(() => fileDigest(entry('/policy.wasm', 'x'), algorithm)).toThrow(new RangeError(`fileDigest: unsupported hash algorithm ${JSON.stringify(algorithm)}`));
    }
  });

  it('uses the named algorithm', () => {
    expect(fileDigest(entry('/policy.wasm', 'x'), 'SHA-512')).toBe(createHash('sha512').update('x').digest('hex'));
    expect(fileDigest(entry('/policy.wasm', 'x'), 'SHA-512-256')).toBe(createHash('sha512-256').update('x').digest('hex'));
  });
});
