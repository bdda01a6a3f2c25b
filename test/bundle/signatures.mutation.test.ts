// Bundle signatures byte for byte and refusal by refusal (signatures/sign.ts, verify.ts, payload.ts,
// digest.ts): the whole /.signatures.json a signer writes (its JWS recomputed here with node:crypto),
// an empty key id or scope treated as unset, the object verification returns, the key id a signature
// names (header `kid` before payload `keyid`, an empty one not counting), every hash OPA names, and
// every refusal with its code and whole message — /.signatures.json and payload shapes, unreadable
// headers, algorithms the key does not verify, files added, missing, altered or not hashable.
// Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
import { createHash, createHmac, createPrivateKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose/jws/compact/sign';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../src/bundle/errors.js';
import type { BundleEntry } from '../../src/bundle/layout.js';
import { makeManifest } from '../../src/bundle/manifest.js';
import { decodePayload, decodeSignaturesFile, encodePayload, encodeSignaturesFile } from '../../src/bundle/signatures/payload.js';
import { signBundleEntries } from '../../src/bundle/signatures/sign.js';
import { verifyBundleSignature, type SignedBundle, type VerificationOptions } from '../../src/bundle/signatures/verify.js';
import { bundleEntries, type BundleFiles } from '../../src/bundle/write.js';
import { ecPair, rsaPair, type PemPair } from './keys.js';
import { rejection } from '../support/thrown.js';

const wasm = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x2a]);
const files: BundleFiles = { manifest: makeManifest('e'.repeat(64)), dataJson: '{ "b": [1, {"y": 2, "x": 3}], "a": "\u00e9" }\n', wasm };
const RSA_ALGORITHMS = 'RS256, RS384, RS512, PS256, PS384, PS512';
const ACCEPTED_HASHES = 'SHA-224, SHA-256, SHA-384, SHA-512, SHA-512-224, SHA-512-256';
const NODE_HASH: Readonly<Record<string, string>> = {
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA-512-224': 'sha512-224',
  'SHA-512-256': 'sha512-256',
};

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const b64u = (x: string | Uint8Array): string => Buffer.from(x).toString('base64url');
/** An independent canonical form for plain JSON: keys sorted recursively, compact. */
const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
const hashedText = (e: BundleEntry): string | Uint8Array => (e.name === '/policy.wasm' ? e.bytes : JSON.stringify(sortKeys(JSON.parse(new TextDecoder().decode(e.bytes)))));

interface Listed {
  name: string;
  hash: string;
  algorithm: string;
}
/** The `files` list for these entries, hashed here: the algorithm per file cycles through `algorithms`. */
function list(entries: readonly BundleEntry[], algorithms: readonly string[] = ['SHA-256']): Listed[] {
  return entries
    .filter((e) => e.name !== '/.signatures.json')
    .map((e, i) => {
      const algorithm = algorithms[i % algorithms.length] as string;
      return { name: e.name.slice(1), hash: createHash(NODE_HASH[algorithm] as string).update(hashedText(e)).digest('hex'), algorithm };
    });
}

let rsa: PemPair;
let otherRsa: PemPair;
let p256: PemPair;
let p384: PemPair;
let p521: PemPair;

beforeAll(() => {
  rsa = rsaPair();
  otherRsa = rsaPair();
  p256 = ecPair('P-256');
  p384 = ecPair('P-384');
  p521 = ecPair('P-521');
});

/** A compact JWS made with jose, as a signer other than claimguard could write it. */
async function jws(payload: Uint8Array | object, key: KeyObject | Uint8Array, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): Promise<string> {
  const bytes = payload instanceof Uint8Array ? payload : utf8(JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader(header as { alg: string }).sign(key);
}
const file = (token: string): string => JSON.stringify({ signatures: [token] });
const rsaKey = (): KeyObject => createPrivateKey(rsa.privatePem);

async function refusal(bundle: SignedBundle, options: VerificationOptions): Promise<{ code: string; message: string; cause: unknown }> {
  const e = await rejection(verifyBundleSignature(bundle, options));
  if (!(e instanceof BundleError)) throw e;
  return { code: e.code, message: e.message, cause: e.cause };
}
const refused = async (bundle: SignedBundle, options: VerificationOptions): Promise<[string, string]> => {
  const { code, message } = await refusal(bundle, options);
  return [code, message];
};
const invalid = (why: string): [string, string] => ['BUNDLE_SIGNATURE_INVALID', `bundle signature: ${why}`];
const tampered = (why: string): [string, string] => ['BUNDLE_TAMPERED', `bundle signature: ${why}`];

describe('signBundleEntries writes exactly this', () => {
  /** The /.signatures.json text for a header and payload, signed by `sign` over "header.payload". */
  const expectedFile = (header: object, payload: object, sign: (input: string) => string): string => {
    const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
    return `{\n "signatures": [\n  "${input}.${sign(input)}"\n ]\n}`;
  };
  const hmac = (secret: string) => (input: string): string => createHmac('sha256', secret).update(input).digest('base64url');

  it('HS256 with a key id and a scope: kid in the header, keyid and scope after files in the payload', async () => {
    const secret = 'k'.repeat(48);
    const entries = bundleEntries(files);
    const listed = list(entries);
    expect(await signBundleEntries(entries, { key: secret, keyId: 'prod-1', scope: 'write' })).toStrictEqual({
      signatures: expectedFile({ alg: 'HS256', typ: 'JWT', kid: 'prod-1' }, { files: listed, keyid: 'prod-1', scope: 'write' }, hmac(secret)),
      algorithm: 'HS256',
      keyId: 'prod-1',
      files: listed,
    });
  });

  it('an empty key id and an empty scope are unset: no kid, no keyid, no scope, keyId null', async () => {
    const secret = 'k'.repeat(32);
    const entries = bundleEntries(files);
    expect(await signBundleEntries(entries, { key: secret, keyId: '', scope: '' })).toStrictEqual({
      signatures: expectedFile({ alg: 'HS256', typ: 'JWT' }, { files: list(entries) }, hmac(secret)),
      algorithm: 'HS256',
      keyId: null,
      files: list(entries),
    });
  });

  it('a scope without a key id', async () => {
    const secret = 'k'.repeat(40);
    const entries = bundleEntries(files);
    expect((await signBundleEntries(entries, { key: secret, scope: 'deploy' })).signatures).toBe(
      expectedFile({ alg: 'HS256', typ: 'JWT' }, { files: list(entries), scope: 'deploy' }, hmac(secret)),
    );
  });

  it('RS256 (PKCS#1 v1.5 is deterministic), leaving out an old /.signatures.json entry', async () => {
    const entries = bundleEntries({ ...files, signatures: '{"signatures":["old"]}' });
    expect(entries.map((e) => e.name)).toContain('/.signatures.json');
    const listed = list(entries);
    expect(listed.map((f) => f.name)).toEqual(['data.json', 'policy.wasm', '.manifest']);
    expect(await signBundleEntries(entries, { key: rsa.privatePem, keyId: 'r' })).toStrictEqual({
      signatures: expectedFile({ alg: 'RS256', typ: 'JWT', kid: 'r' }, { files: listed, keyid: 'r' }, (input) => nodeSign('sha256', Buffer.from(input), rsa.privatePem).toString('base64url')),
      algorithm: 'RS256',
      keyId: 'r',
      files: listed,
    });
  });

  it('ES256: header and payload as written, and a signature node:crypto verifies', async () => {
    const entries = bundleEntries(files);
    const result = await signBundleEntries(entries, { key: p256.privatePem });
    const [token] = (JSON.parse(result.signatures) as { signatures: string[] }).signatures as [string];
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(header).toBe(b64u(JSON.stringify({ alg: 'ES256', typ: 'JWT' })));
    expect(payload).toBe(b64u(JSON.stringify({ files: list(entries) })));
    expect(nodeVerify('sha256', Buffer.from(`${header}.${payload}`), { key: p256.publicPem, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(result.signatures).toBe(`{\n "signatures": [\n  "${token}"\n ]\n}`);
    expect({ ...result, signatures: '' }).toStrictEqual({ signatures: '', algorithm: 'ES256', keyId: null, files: list(entries) });
  });
});

describe('what verification returns', () => {
  it('a claimguard signature with key id and scope, verified with both expected', async () => {
    const entries = bundleEntries(files);
    const { signatures } = await signBundleEntries(entries, { key: rsa.privatePem, keyId: 'prod', scope: 'write' });
    expect(await verifyBundleSignature({ entries: [...entries, { name: '/.signatures.json', bytes: utf8(signatures) }], signatures }, { key: rsa.publicPem, keyId: 'prod', scope: 'write' })).toStrictEqual({
      algorithm: 'RS256',
      keyId: 'prod',
      scope: 'write',
      files: list(entries),
    });
  });

  it.each<[string, () => { key: KeyObject | Uint8Array; verify: string }, string]>([
    ['PS384 from an RSA key', () => ({ key: rsaKey(), verify: rsa.publicPem }), 'PS384'],
    ['RS512 from an RSA key', () => ({ key: rsaKey(), verify: rsa.publicPem }), 'RS512'],
    ['ES384 from an EC P-384 key', () => ({ key: createPrivateKey(p384.privatePem), verify: p384.publicPem }), 'ES384'],
    ['ES512 from an EC P-521 key', () => ({ key: createPrivateKey(p521.privatePem), verify: p521.publicPem }), 'ES512'],
    ['HS384 from a 48-byte secret', () => ({ key: utf8('h'.repeat(48)), verify: 'h'.repeat(48) }), 'HS384'],
    ['HS512 from a 64-byte secret', () => ({ key: utf8('h'.repeat(64)), verify: 'h'.repeat(64) }), 'HS512'],
  ])('%s', async (_name, keys, alg) => {
    const entries = bundleEntries(files);
    const { key, verify } = keys();
    const signatures = file(await jws({ files: list(entries) }, key, { alg }));
    expect(await verifyBundleSignature({ entries, signatures }, { key: verify })).toStrictEqual({ algorithm: alg, keyId: null, scope: null, files: list(entries) });
  });

  it('every hash OPA names but MD5 and SHA-1, and uppercase hex digests', async () => {
    const entries = bundleEntries(files);
    for (const algorithms of [['SHA-224', 'SHA-384', 'SHA-512-224'], ['SHA-512', 'SHA-512-256', 'SHA-256']]) {
      const listed = list(entries, algorithms).map((f) => ({ ...f, hash: f.hash.toUpperCase() }));
      const signatures = file(await jws({ files: listed }, rsaKey()));
      expect(await verifyBundleSignature({ entries, signatures }, { key: rsa.publicPem })).toStrictEqual({ algorithm: 'RS256', keyId: null, scope: null, files: listed });
    }
  });

  it('an empty scope in the payload is the same as none, and is returned as none (null), as an empty key id is', async () => {
    const entries = bundleEntries(files);
    const signatures = file(await jws({ files: list(entries), scope: '', keyid: '' }, rsaKey()));
    const expected = { algorithm: 'RS256', keyId: null, scope: null, files: list(entries) };
    await expect(verifyBundleSignature({ entries, signatures }, { key: rsa.publicPem })).resolves.toStrictEqual(expected);
    await expect(verifyBundleSignature({ entries, signatures }, { key: rsa.publicPem, scope: '' })).resolves.toStrictEqual(expected);
  });
});

describe('the key id a signature names: the header\'s kid, else the payload\'s keyid; empty ones do not count', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string | null]>([
    ['kid and keyid differ: kid', { kid: 'head' }, { keyid: 'body' }, 'head'],
    ['kid only', { kid: 'head' }, {}, 'head'],
    ['keyid only', {}, { keyid: 'body' }, 'body'],
    ['an empty kid falls back to keyid', { kid: '' }, { keyid: 'body' }, 'body'],
    ['a kid that is not a string falls back to keyid', { kid: 7 }, { keyid: 'body' }, 'body'],
    ['both empty: none', { kid: '' }, { keyid: '' }, null],
    ['neither: none', {}, {}, null],
  ])('%s', async (_name, header, payload, named) => {
    const entries = bundleEntries(files);
    const signatures = file(await jws({ files: list(entries), ...payload }, rsaKey(), { alg: 'RS256', typ: 'JWT', ...header }));
    const expected = { algorithm: 'RS256', keyId: named, scope: null, files: list(entries) };
    expect(await verifyBundleSignature({ entries, signatures }, { key: rsa.publicPem })).toStrictEqual(expected);
    if (named === null) expect(await verifyBundleSignature({ entries, signatures }, { key: rsa.publicPem, keyId: 'other' })).toStrictEqual(expected);
    else {
      expect(await verifyBundleSignature({ entries, signatures }, { key: rsa.publicPem, keyId: named })).toStrictEqual(expected);
      expect(await refused({ entries, signatures }, { key: rsa.publicPem, keyId: 'other' })).toEqual(invalid(`signed with key id ${JSON.stringify(named)}, expected "other"`));
    }
  });
});

describe('verification refuses, with the whole reason', () => {
  it('no /.signatures.json while a key is configured', async () => {
    expect(await refused({ entries: bundleEntries(files), signatures: null }, { key: rsa.publicPem })).toEqual([
      'BUNDLE_SIGNATURE_MISSING',
      'bundle signature: the bundle has no /.signatures.json, and a verification key is configured',
    ]);
  });

  it.each<[string, string, string]>([
    ['not JSON', '{"signatures":', '/.signatures.json is not valid JSON'],
    ['an array', '[]', '/.signatures.json is not a JSON object'],
    ['a plugin', '{"plugin":"kms","signatures":["a.b.c"]}', '/.signatures.json names the signing plugin "kms"; only OPA\'s default JWS signatures are verified'],
    ['no signature', '{"signatures":[]}', '/.signatures.json holds no signature'],
    ['two signatures', '{"signatures":["a.b.c","a.b.c"]}', '/.signatures.json holds 2 signatures; exactly one is supported (as in OPA)'],
    ['a signature that is not a string', '{"signatures":[1]}', '/.signatures.json: the signature is not a string'],
  ])('/.signatures.json %s', async (_name, signatures, why) => {
    expect(await refused({ entries: bundleEntries(files), signatures }, { key: rsa.publicPem })).toEqual(invalid(why));
  });

  it.each<[string, string]>([
    ['no dots', 'garbage'],
    ['a header that is not JSON', `${b64u('{alg')}.${b64u('{}')}.c2ln`],
  ])('a JWS header that is not readable (%s), with jose\'s reason as the cause', async (_name, token) => {
    const { code, message, cause } = await refusal({ entries: bundleEntries(files), signatures: file(token) }, { key: rsa.publicPem });
    expect([code, message]).toEqual(invalid('the JWS header is not readable'));
    expect(cause).toBeInstanceOf(Error);
  });

  it.each<[string, object]>([
    ['no alg', { typ: 'JWT' }],
    ['an alg that is not a string', { alg: 256, typ: 'JWT' }],
  ])('a header with %s: signed with (none)', async (_name, header) => {
    const token = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify({ files: list(bundleEntries(files)) }))}.c2ln`;
    expect(await refused({ entries: bundleEntries(files), signatures: file(token) }, { key: rsa.publicPem })).toEqual(invalid(`signed with (none), and this verification key verifies only ${RSA_ALGORITHMS}`));
  });

  it.each<[string, () => Promise<string>, () => string, string]>([
    ['HS256 for an RSA key', async () => jws({ files: [] }, utf8('h'.repeat(32)), { alg: 'HS256' }), () => rsa.publicPem, `signed with HS256, and this verification key verifies only ${RSA_ALGORITHMS}`],
    ['HS384 for a 47-byte secret', async () => jws({ files: [] }, utf8('h'.repeat(47)), { alg: 'HS384' }), () => 'h'.repeat(47), 'signed with HS384, and this verification key verifies only HS256'],
    ['HS512 for a 63-byte secret', async () => jws({ files: [] }, utf8('h'.repeat(63)), { alg: 'HS512' }), () => 'h'.repeat(63), 'signed with HS512, and this verification key verifies only HS256, HS384'],
    ['ES256 for a P-384 key', async () => jws({ files: [] }, createPrivateKey(p256.privatePem), { alg: 'ES256' }), () => p384.publicPem, 'signed with ES256, and this verification key verifies only ES384'],
  ])('an algorithm the key does not verify: %s', async (_name, token, key, why) => {
    expect(await refused({ entries: bundleEntries(files), signatures: file(await token()) }, { key: key() })).toEqual(invalid(why));
  });

  it('a signature by another key names jose\'s reason and keeps it as the cause', async () => {
    const entries = bundleEntries(files);
    const { signatures } = await signBundleEntries(entries, { key: rsa.privatePem });
    const { code, message, cause } = await refusal({ entries, signatures }, { key: otherRsa.publicPem });
    expect((cause as Error).message).toBe('signature verification failed');
    expect([code, message]).toEqual(invalid('the JWS does not verify with this key (signature verification failed): signed with another key, or altered'));
  });

  it.each<[string, () => Uint8Array | object, string]>([
    ['not JSON', () => utf8('files: []'), 'the signed payload is not JSON'],
    ['a keyid that is not a string', () => ({ files: list(bundleEntries(files)), keyid: 5 }), '"keyid" of the signed payload is not a string'],
    ['a scope that is not a string', () => ({ files: list(bundleEntries(files)), scope: ['write'] }), '"scope" of the signed payload is not a string'],
    ['no files list', () => ({ keyid: 'k' }), 'the signed payload has no "files" list'],
    ['a files item without a hash', () => ({ files: [{ name: 'data.json', algorithm: 'SHA-256' }] }), 'a "files" item of the signed payload is not {name, hash, algorithm} strings'],
  ])('a payload that is %s', async (_name, payload, why) => {
    const signatures = file(await jws(payload(), rsaKey()));
    expect(await refused({ entries: bundleEntries(files), signatures }, { key: rsa.publicPem })).toEqual(invalid(why));
  });

  it.each<[string, string | undefined, string | undefined, string]>([
    ['signed for a scope, none expected', 'write', undefined, 'signed for scope "write", expected ""'],
    ['signed for none, a scope expected', undefined, 'write', 'signed for scope "", expected "write"'],
    ['signed for another scope', 'write', 'read', 'signed for scope "write", expected "read"'],
  ])('%s', async (_name, signedScope, expectedScope, why) => {
    const entries = bundleEntries(files);
    const { signatures } = await signBundleEntries(entries, { key: rsa.privatePem, ...(signedScope === undefined ? {} : { scope: signedScope }) });
    expect(await refused({ entries, signatures }, { key: rsa.publicPem, ...(expectedScope === undefined ? {} : { scope: expectedScope }) })).toEqual(invalid(why));
  });

  it.each<[string, (listed: Listed[]) => object[], string]>([
    ['a file listed twice', (l) => [...l, l[1] as Listed], 'policy.wasm is listed twice in the signed files'],
    ['SHA-1 digests', (l) => l.map((f) => (f.name === '.manifest' ? { ...f, algorithm: 'SHA-1' } : f)), `.manifest is hashed with "SHA-1"; accepted: ${ACCEPTED_HASHES}`],
    ['a hash name in lowercase', (l) => l.map((f) => (f.name === 'data.json' ? { ...f, algorithm: 'sha256' } : f)), `data.json is hashed with "sha256"; accepted: ${ACCEPTED_HASHES}`],
  ])('a signed files list with %s', async (_name, alter, why) => {
    const entries = bundleEntries(files);
    const signatures = file(await jws({ files: alter(list(entries)) }, rsaKey()));
    expect(await refused({ entries, signatures }, { key: rsa.publicPem })).toEqual(invalid(why));
  });
});

describe('verification refuses a bundle whose files are not the signed ones (BUNDLE_TAMPERED)', () => {
  it('a file the signature does not list', async () => {
    const entries = bundleEntries(files);
    const signatures = file(await jws({ files: list(entries).filter((f) => f.name !== '.manifest') }, rsaKey()));
    expect(await refused({ entries, signatures }, { key: rsa.publicPem })).toEqual(tampered('.manifest is in the bundle but not in the signature'));
  });

  it('signed files the bundle lacks are all named, comma-separated', async () => {
    const entries = bundleEntries(files);
    const extra = [{ name: 'a.rego', hash: '00', algorithm: 'SHA-256' }, { name: 'b.rego', hash: '00', algorithm: 'SHA-256' }];
    const signatures = file(await jws({ files: [...list(entries), ...extra] }, rsaKey()));
    expect(await refused({ entries, signatures }, { key: rsa.publicPem })).toEqual(tampered('signed file(s) a.rego, b.rego missing from the bundle'));
  });

  it('an altered file names the algorithm of its signed digest', async () => {
    const signatures = file(await jws({ files: list(bundleEntries(files), ['SHA-384']) }, rsaKey()));
    const altered = bundleEntries({ ...files, wasm: Uint8Array.from([...wasm.subarray(0, -1), 0x2b]) });
    expect(await refused({ entries: altered, signatures }, { key: rsa.publicPem })).toEqual(tampered('policy.wasm does not match its signed SHA-384 digest'));
  });

  it.each<[string, Uint8Array]>([
    ['not JSON', utf8('not json\n')],
    ['not UTF-8 (a JSON string holding byte 0xff)', Uint8Array.from([0x22, 0xff, 0x22])],
  ])('a data.json that is %s, signed over its raw bytes, cannot be hashed as OPA hashes it', async (_name, bytes) => {
    const entries = bundleEntries(files).map((e): BundleEntry => (e.name === '/data.json' ? { name: e.name, bytes } : e));
    const listed = list(entries.filter((e) => e.name !== '/data.json'));
    const signatures = file(await jws({ files: [{ name: 'data.json', hash: createHash('sha256').update(bytes).digest('hex'), algorithm: 'SHA-256' }, ...listed] }, rsaKey()));
    expect(await refused({ entries, signatures }, { key: rsa.publicPem })).toEqual(tampered('data.json cannot be hashed as the signature requires (not canonical JSON)'));
  });
});

describe('payload.ts on its own', () => {
  it('encodePayload writes files items as {name, hash, algorithm}, then keyid, then scope, whatever the input order', () => {
    const item = { algorithm: 'SHA-256', hash: 'ab', name: 'data.json', extra: true };
    const text = new TextDecoder().decode(encodePayload({ scope: 's', keyid: 'k', files: [item] }));
    expect(text).toBe('{"files":[{"name":"data.json","hash":"ab","algorithm":"SHA-256"}],"keyid":"k","scope":"s"}');
  });

  it('encodePayload leaves out an unset keyid or scope, and keeps an empty one', () => {
    const text = (p: Parameters<typeof encodePayload>[0]): string => new TextDecoder().decode(encodePayload(p));
    expect(text({ files: [] })).toBe('{"files":[]}');
    expect(text({ files: [], scope: 'x' })).toBe('{"files":[],"scope":"x"}');
    expect(text({ files: [], keyid: '' })).toBe('{"files":[],"keyid":""}');
  });

  it('encodeSignaturesFile indents one space and ends without a newline', () => {
    expect(encodeSignaturesFile('h.p.s')).toBe('{\n "signatures": [\n  "h.p.s"\n ]\n}');
  });

  it.each<[string, string, ReturnType<typeof decodeSignaturesFile>]>([
    ['one signature', '{"signatures":["h.p.s"]}', { jws: 'h.p.s' }],
    ['an empty plugin (as OPA writes it)', '{"signatures":["h.p.s"],"plugin":""}', { jws: 'h.p.s' }],
    ['not JSON', 'eyJ', { problem: '/.signatures.json is not valid JSON' }],
    ['an array', '[]', { problem: '/.signatures.json is not a JSON object' }],
    ['a string', '"x"', { problem: '/.signatures.json is not a JSON object' }],
    ['null', 'null', { problem: '/.signatures.json is not a JSON object' }],
    ['a plugin that is not a string', '{"signatures":["h.p.s"],"plugin":5}', { problem: '/.signatures.json names the signing plugin 5; only OPA\'s default JWS signatures are verified' }],
    ['a null plugin', '{"signatures":["h.p.s"],"plugin":null}', { problem: '/.signatures.json names the signing plugin null; only OPA\'s default JWS signatures are verified' }],
    ['no signatures member', '{}', { problem: '/.signatures.json holds no signature' }],
    ['signatures that are a string', '{"signatures":"h.p.s"}', { problem: '/.signatures.json holds no signature' }],
    ['three signatures', '{"signatures":["a","b","c"]}', { problem: '/.signatures.json holds 3 signatures; exactly one is supported (as in OPA)' }],
    ['a null signature', '{"signatures":[null]}', { problem: '/.signatures.json: the signature is not a string' }],
  ])('decodeSignaturesFile: %s', (_name, text, expected) => {
    expect(decodeSignaturesFile(text)).toStrictEqual(expected);
  });

  const f = { name: 'data.json', hash: 'ab', algorithm: 'SHA-256' };
  it.each<[string, Uint8Array, ReturnType<typeof decodePayload>]>([
    ['files only', utf8(JSON.stringify({ files: [f] })), { files: [f] }],
    ['extra members dropped, keyid and scope kept', utf8(JSON.stringify({ scope: 's', other: 1, files: [{ ...f, extra: 1 }], keyid: 'k' })), { files: [f], keyid: 'k', scope: 's' }],
    ['an empty keyid kept as written', utf8(JSON.stringify({ files: [], keyid: '' })), { files: [], keyid: '' }],
    ['not UTF-8, even inside a string', Uint8Array.from([...utf8('{"files":[],"x":"'), 0xff, ...utf8('"}')]), { problem: 'the signed payload is not JSON' }],
    ['an array', utf8('[]'), { problem: 'the signed payload has no "files" list' }],
    ['null', utf8('null'), { problem: 'the signed payload has no "files" list' }],
    ['files that are an object', utf8('{"files":{}}'), { problem: 'the signed payload has no "files" list' }],
    ['a files item that is a string', utf8('{"files":["data.json"]}'), { problem: 'a "files" item of the signed payload is not {name, hash, algorithm} strings' }],
    ['a files item that is null', utf8('{"files":[null]}'), { problem: 'a "files" item of the signed payload is not {name, hash, algorithm} strings' }],
    ['a files item with a numeric name', utf8(JSON.stringify({ files: [{ ...f, name: 1 }] })), { problem: 'a "files" item of the signed payload is not {name, hash, algorithm} strings' }],
    ['a files item with a numeric hash', utf8(JSON.stringify({ files: [{ ...f, hash: 1 }] })), { problem: 'a "files" item of the signed payload is not {name, hash, algorithm} strings' }],
    ['a files item without an algorithm', utf8(JSON.stringify({ files: [{ name: f.name, hash: f.hash }] })), { problem: 'a "files" item of the signed payload is not {name, hash, algorithm} strings' }],
    ['a null keyid', utf8('{"files":[],"keyid":null}'), { problem: '"keyid" of the signed payload is not a string' }],
    ['a numeric scope', utf8('{"files":[],"scope":1}'), { problem: '"scope" of the signed payload is not a string' }],
  ])('decodePayload: %s', (_name, bytes, expected) => {
    expect(decodePayload(bytes)).toStrictEqual(expected);
  });
});
