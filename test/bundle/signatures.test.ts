// Bundle signatures in OPA's format: the exact shapes written, and every way verification refuses.
import { createHash } from 'node:crypto';
import { CompactSign } from 'jose/jws/compact/sign';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError, type BundleErrorCode } from '../../src/bundle/errors.js';
import type { BundleEntry } from '../../src/bundle/layout.js';
import { makeManifest } from '../../src/bundle/manifest.js';
import { readBundle } from '../../src/bundle/read.js';
import { signBundleEntries, type SigningOptions } from '../../src/bundle/signatures/sign.js';
import { verifyBundleSignature, type VerificationOptions } from '../../src/bundle/signatures/verify.js';
import { bundleEntries, writeBundle, type BundleFiles } from '../../src/bundle/write.js';
import { ecPair, hmacSecret, rsaPair, type PemPair } from './keys.js';

const wasm = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x2a]);
const files: BundleFiles = { manifest: makeManifest('f'.repeat(64)), dataJson: '{}\n', wasm };
const b64 = (s: string): unknown => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
const sha256 = (x: string | Uint8Array): string => createHash('sha256').update(x).digest('hex');
/** An independent canonical form for plain JSON: keys sorted recursively, compact. */
const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
const sortedJson = (bytes: Uint8Array): string => JSON.stringify(sortKeys(JSON.parse(new TextDecoder().decode(bytes))));

let rsa: PemPair;
let otherRsa: PemPair;
let ec: PemPair;
let secret: string;
let short: PemPair;

beforeAll(() => {
  short = rsaPair(1024);
  rsa = rsaPair();
  otherRsa = rsaPair();
  ec = ecPair();
  secret = hmacSecret();
});

async function signed(options: SigningOptions, base: BundleFiles = files): Promise<{ entries: BundleEntry[]; signatures: string }> {
  const { signatures } = await signBundleEntries(bundleEntries(base), options);
  return { entries: bundleEntries({ ...base, signatures }), signatures };
}

async function refusal(bundle: { entries: readonly BundleEntry[]; signatures: string | null }, options: VerificationOptions): Promise<[BundleErrorCode, string]> {
  try {
    await verifyBundleSignature(bundle, options);
  } catch (e) {
    if (e instanceof BundleError) return [e.code, e.message];
    throw e;
  }
  throw new Error('verification passed');
}

describe('signing writes what opa build --signing-key writes', () => {
  it('/.signatures.json holds one compact JWS, indented one space, no newline', async () => {
    const { signatures } = await signed({ key: rsa.privatePem });
    expect(signatures).toMatch(/^\{\n "signatures": \[\n  "[\w-]+\.[\w-]+\.[\w-]+"\n \]\n\}$/);
  });

  it('header {alg, typ: JWT, kid}; payload files (name without "/", SHA-256, canonical JSON for .manifest/data.json), keyid, scope', async () => {
    const { signatures } = await signed({ key: rsa.privatePem, keyId: 'prod-1', scope: 'write' });
    const jws = (JSON.parse(signatures) as { signatures: [string] }).signatures[0];
    const [header, payload] = jws.split('.') as [string, string];
    expect(b64(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'prod-1' });
    const manifestCanonical = JSON.stringify({ rego_version: 1, revision: 'f'.repeat(64), roots: ['claimguard'], wasm: makeManifest('x').wasm });
    expect(Buffer.from(payload, 'base64url').toString()).toBe(
      JSON.stringify({
        files: [
          { name: 'data.json', hash: sha256('{}'), algorithm: 'SHA-256' },
          { name: 'policy.wasm', hash: sha256(wasm), algorithm: 'SHA-256' },
          { name: '.manifest', hash: sha256(manifestCanonical), algorithm: 'SHA-256' },
        ],
        keyid: 'prod-1',
        scope: 'write',
      }),
    );
  });

  it('without a key id or scope the payload holds only files, and the header no kid', async () => {
    const { signatures } = await signed({ key: secret });
    const [header, payload] = (JSON.parse(signatures) as { signatures: [string] }).signatures[0].split('.') as [string, string];
    expect(b64(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(b64(payload) as object)).toEqual(['files']);
  });

  it('the signed bundle is laid out as OPA writes it: /.signatures.json before /.manifest', async () => {
    const { signatures } = await signed({ key: rsa.privatePem });
    const read = readBundle(await writeBundle({ ...files, signatures }));
    expect(read.entries.map((e) => e.name)).toEqual(['/data.json', '/policy.wasm', '/.signatures.json', '/.manifest']);
    expect(read.signatures).toBe(signatures);
  });

  it.each<[string, () => SigningOptions, string]>([
    ['RSA key → RS256', () => ({ key: rsa.privatePem }), 'RS256'],
    ['EC P-256 key → ES256', () => ({ key: ec.privatePem }), 'ES256'],
    ['secret → HS256', () => ({ key: secret }), 'HS256'],
    ['key as bytes', () => ({ key: new TextEncoder().encode(rsa.privatePem), algorithm: 'RS256' }), 'RS256'],
  ])('%s, and it verifies', async (_name, options, alg) => {
    const bundle = await signed(options());
    const material = options().key;
    const verifyKey = material === secret ? secret : material === ec.privatePem ? ec.publicPem : rsa.publicPem;
    const verified = await verifyBundleSignature(bundle, { key: verifyKey });
    expect(verified).toMatchObject({ algorithm: alg, keyId: null, scope: null });
    expect(verified.files.map((f) => f.name)).toEqual(['data.json', 'policy.wasm', '.manifest']);
  });

  it.each<[string, () => SigningOptions, RegExp]>([
    ['an HMAC secret shorter than 32 bytes', () => ({ key: 'short secret' }), /HS256 needs at least 32/],
    ['an RSA key asked to sign ES256', () => ({ key: rsa.privatePem, algorithm: 'ES256' }), /rsa key, which cannot sign ES256 \(it can sign RS256\)/],
    ['an EC P-384 key (no ES384 signing)', () => ({ key: ecPair('P-384').privatePem }), /cannot sign with any of RS256, ES256, HS256/],
    ['a public key', () => ({ key: rsa.publicPem }), /not a readable, unencrypted PEM private key/],
    ['a 1024-bit RSA key', () => ({ key: short.privatePem }), /the signing key is a 1024-bit RSA key; at least 2048 bits are required/],
    ['a secret asked to sign RS256', () => ({ key: secret, algorithm: 'RS256' }), /HMAC secret, which cannot sign RS256/],
  ])('refuses %s (BUNDLE_KEY_INVALID)', async (_name, options, message) => {
    await expect(signBundleEntries(bundleEntries(files), options())).rejects.toThrow(message);
    await expect(signBundleEntries(bundleEntries(files), options())).rejects.toMatchObject({ code: 'BUNDLE_KEY_INVALID' });
  });
});

describe('verification refuses every bundle it cannot vouch for', () => {
  it('a verification key and an unsigned bundle: BUNDLE_SIGNATURE_MISSING', async () => {
    expect((await refusal({ entries: bundleEntries(files), signatures: null }, { key: rsa.publicPem }))[0]).toBe('BUNDLE_SIGNATURE_MISSING');
  });

  it('another key of the same kind: BUNDLE_SIGNATURE_INVALID', async () => {
    const [code, message] = await refusal(await signed({ key: rsa.privatePem }), { key: otherRsa.publicPem });
    expect(code).toBe('BUNDLE_SIGNATURE_INVALID');
    expect(message).toMatch(/does not verify with this key/);
  });

  it('another HMAC secret: BUNDLE_SIGNATURE_INVALID', async () => {
    expect((await refusal(await signed({ key: secret }), { key: hmacSecret() }))[0]).toBe('BUNDLE_SIGNATURE_INVALID');
  });

  it('a key of another kind (algorithm confusion): BUNDLE_SIGNATURE_INVALID before any JWS check', async () => {
    const [code, message] = await refusal(await signed({ key: rsa.privatePem }), { key: ec.publicPem });
    expect(code).toBe('BUNDLE_SIGNATURE_INVALID');
    expect(message).toMatch(/signed with RS256, and this verification key verifies only ES256/);
    // The RSA public key's PEM text used as an HMAC secret must not verify an HS256 signature made with it.
    const { createSecretKey } = await import('node:crypto');
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify({ files: list() })))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(createSecretKey(Buffer.from(rsa.publicPem)));
    const [code2, message2] = await refusal({ entries: bundleEntries(files), signatures: JSON.stringify({ signatures: [forged] }) }, { key: rsa.publicPem });
    expect(code2).toBe('BUNDLE_SIGNATURE_INVALID');
    expect(message2).toMatch(/signed with HS256, and this verification key verifies only RS256/);
  });

  it('a signature naming another key id: refused when a key id is expected, accepted otherwise', async () => {
    const bundle = await signed({ key: rsa.privatePem, keyId: 'old' });
    expect(await refusal(bundle, { key: rsa.publicPem, keyId: 'new' })).toEqual(['BUNDLE_SIGNATURE_INVALID', 'bundle signature: signed with key id "old", expected "new"']);
    await expect(verifyBundleSignature(bundle, { key: rsa.publicPem, keyId: 'old' })).resolves.toMatchObject({ keyId: 'old' });
    await expect(verifyBundleSignature(await signed({ key: rsa.privatePem }), { key: rsa.publicPem, keyId: 'new' })).resolves.toMatchObject({ keyId: null });
  });

  it('scope must match exactly, in both directions (as OPA)', async () => {
    const scoped = await signed({ key: rsa.privatePem, scope: 'write' });
    expect((await refusal(scoped, { key: rsa.publicPem }))[1]).toMatch(/signed for scope "write", expected ""/);
    expect((await refusal(scoped, { key: rsa.publicPem, scope: 'read' }))[0]).toBe('BUNDLE_SIGNATURE_INVALID');
    expect((await refusal(await signed({ key: rsa.privatePem }), { key: rsa.publicPem, scope: 'write' }))[0]).toBe('BUNDLE_SIGNATURE_INVALID');
    await expect(verifyBundleSignature(scoped, { key: rsa.publicPem, scope: 'write' })).resolves.toMatchObject({ scope: 'write' });
  });

  it.each<[string, (wasm: Uint8Array) => BundleFiles, RegExp]>([
    ['policy.wasm altered', (w) => ({ ...files, wasm: Uint8Array.from([...w.subarray(0, -1), 0x2b]) }), /policy\.wasm does not match its signed SHA-256 digest/],
    ['manifest altered', () => ({ ...files, manifest: makeManifest('0'.repeat(64)) }), /\.manifest does not match/],
    ['data.json altered', () => ({ ...files, dataJson: '{"claimguard":{"allow":true}}\n' }), /data\.json does not match/],
  ])('%s after signing, old signature kept: BUNDLE_TAMPERED', async (_name, alter, message) => {
    const { signatures } = await signed({ key: rsa.privatePem });
    const tampered = readBundle(await writeBundle({ ...alter(wasm), signatures }));
    const [code, text] = await refusal(tampered, { key: rsa.publicPem });
    expect(code).toBe('BUNDLE_TAMPERED');
    expect(text).toMatch(message);
  });

  it('the manifest rewritten with other whitespace and key order still verifies (OPA hashes its canonical form)', async () => {
    const { signatures } = await signed({ key: rsa.privatePem });
    const reordered = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reordered) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)])) : v;
    const entries = bundleEntries({ ...files, signatures }).map((e) =>
      e.name === '/.manifest' ? { ...e, bytes: new TextEncoder().encode(`${JSON.stringify(reordered(JSON.parse(new TextDecoder().decode(e.bytes))), null, 3)}\n\n`) } : e,
    );
    await expect(verifyBundleSignature({ entries, signatures }, { key: rsa.publicPem })).resolves.toBeDefined();
  });

  /** A JWS over a hand-made payload with the right key: what a signer other than claimguard could write. */
  async function craft(payload: object, header: object = { alg: 'RS256', typ: 'JWT' }): Promise<string> {
    const { createPrivateKey } = await import('node:crypto');
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as { alg: string }).sign(createPrivateKey(rsa.privatePem));
    return JSON.stringify({ signatures: [jws] });
  }
  function list(over: Partial<Record<string, object | null>> = {}): object[] {
    return bundleEntries(files)
      .map((e) => ({ name: e.name.slice(1), hash: sha256(e.name === '/policy.wasm' ? e.bytes : sortedJson(e.bytes)), algorithm: 'SHA-256' }))
      .flatMap((f) => (over[f.name] === null ? [] : [{ ...f, ...over[f.name] }]));
  }

  it('a correct hand-made signature verifies (uppercase hex, SHA-512 per file, keyid only in the payload)', async () => {
    const files512 = bundleEntries(files).map((e) => ({ name: e.name.slice(1), algorithm: 'SHA-512', hash: '' }));
    const hashed = files512.map((f) => {
      const entry = bundleEntries(files).find((e) => e.name === `/${f.name}`)!;
      const text = f.name === 'policy.wasm' ? entry.bytes : sortedJson(entry.bytes);
      return { ...f, hash: createHash('sha512').update(text).digest('hex').toUpperCase() };
    });
    const signatures = await craft({ files: hashed, keyid: 'payload-only' });
    await expect(verifyBundleSignature({ entries: bundleEntries(files), signatures }, { key: rsa.publicPem, keyId: 'payload-only' })).resolves.toMatchObject({ keyId: 'payload-only' });
    expect((await refusal({ entries: bundleEntries(files), signatures }, { key: rsa.publicPem, keyId: 'other' }))[0]).toBe('BUNDLE_SIGNATURE_INVALID');
  });

  it.each<[string, () => Promise<string>, BundleErrorCode, RegExp]>([
    ['a file missing from the signature', () => craft({ files: list({ 'data.json': null }) }), 'BUNDLE_TAMPERED', /data\.json is in the bundle but not in the signature/],
    ['a signed file missing from the bundle', () => craft({ files: [...list(), { name: 'policy.rego', hash: '00', algorithm: 'SHA-256' }] }), 'BUNDLE_TAMPERED', /policy\.rego missing from the bundle/],
    ['a file listed twice', () => craft({ files: [...list(), ...list()] }), 'BUNDLE_SIGNATURE_INVALID', /data\.json is listed twice/],
    ['MD5 digests (OPA accepts them; claimguard does not)', () => craft({ files: list({ 'policy.wasm': { algorithm: 'MD5', hash: createHash('md5').update(wasm).digest('hex') } }) }), 'BUNDLE_SIGNATURE_INVALID', /"MD5"; accepted: SHA-224/],
    ['no files list', () => craft({ keyid: 'x' }), 'BUNDLE_SIGNATURE_INVALID', /no "files" list/],
    ['a files item that is not {name, hash, algorithm}', () => craft({ files: [{ name: 'data.json' }] }), 'BUNDLE_SIGNATURE_INVALID', /not \{name, hash, algorithm\}/],
    ['alg none', async () => JSON.stringify({ signatures: [`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ files: list() })).toString('base64url')}.`] }), 'BUNDLE_SIGNATURE_INVALID', /signed with none/],
    ['two signatures', async () => { const one = JSON.parse(await craft({ files: list() })) as { signatures: string[] }; return JSON.stringify({ signatures: [...one.signatures, ...one.signatures] }); }, 'BUNDLE_SIGNATURE_INVALID', /2 signatures; exactly one/],
    ['no signature', async () => '{"signatures":[]}', 'BUNDLE_SIGNATURE_INVALID', /holds no signature/],
    ['a signing plugin', async () => { const one = JSON.parse(await craft({ files: list() })) as object; return JSON.stringify({ ...one, plugin: 'kms' }); }, 'BUNDLE_SIGNATURE_INVALID', /plugin "kms"/],
    ['not JSON', async () => 'eyJ…', 'BUNDLE_SIGNATURE_INVALID', /not valid JSON/],
    ['a payload edited after signing', async () => { const [h, , s] = (JSON.parse(await craft({ files: list() })) as { signatures: [string] }).signatures[0].split('.'); return JSON.stringify({ signatures: [`${h}.${Buffer.from(JSON.stringify({ files: list() }) + ' ').toString('base64url')}.${s}`] }); }, 'BUNDLE_SIGNATURE_INVALID', /does not verify/],
  ])('%s', async (_name, make, code, message) => {
    const [got, text] = await refusal({ entries: bundleEntries(files), signatures: await make() }, { key: rsa.publicPem });
    expect(got).toBe(code);
    expect(text).toMatch(message);
  });

  it.each<[string, () => string, RegExp]>([
    ['a short HMAC secret', () => 'too short', /HS256 needs at least 32/],
    ['a 1024-bit RSA key', () => short.publicPem, /the verification key is a 1024-bit RSA key/],
    ['a garbled PEM', () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /not a readable PEM public key/],
  ])('a verification key that is %s: BUNDLE_KEY_INVALID, whatever the bundle', async (_name, key, message) => {
    const [code, text] = await refusal({ entries: bundleEntries(files), signatures: null }, { key: key() });
    expect(code).toBe('BUNDLE_KEY_INVALID');
    expect(text).toMatch(message);
  });

  it('accepts a certificate and a private key as the verification key (as OPA does)', async () => {
    const bundle = await signed({ key: rsa.privatePem });
    await expect(verifyBundleSignature(bundle, { key: rsa.privatePem })).resolves.toBeDefined();
  });
});
