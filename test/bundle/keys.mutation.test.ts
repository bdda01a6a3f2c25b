// Which key material claimguard accepts for bundle signatures, and with which algorithms
// (signatures/keys.ts): each key kind's algorithm list (RSA, RSA-PSS, EC P-256/P-384/P-521, an HMAC
// secret at each length boundary, a certificate), every key it refuses with the code and whole
// message (empty and short secrets, small RSA and RSA-PSS keys, curves and key types no algorithm
// uses, unreadable PEM with its cause), and the algorithm a signing key signs with. Found by
// mutation testing (CONTRIBUTING.md, "Mutation testing").
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../src/bundle/errors.js';
import { signingKey, verificationKey, type KeyMaterial, type SigningAlgorithm } from '../../src/bundle/signatures/keys.js';
import { thrown } from '../support/thrown.js';
import { ecPair, rsaPair, type PemPair } from './keys.js';

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const pems = (kp: { publicKey: KeyObject; privateKey: KeyObject }): PemPair => ({
  privatePem: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  publicPem: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
});

let rsa: PemPair;
let smallRsa: PemPair;
let pss: PemPair;
let smallPss: PemPair;
let dsa: PemPair;
let ed25519: PemPair;
let p256: PemPair;
let p384: PemPair;
let p521: PemPair;
let k256: PemPair;

beforeAll(() => {
  rsa = rsaPair();
  smallRsa = rsaPair(1024);
  pss = pems(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }));
  smallPss = pems(generateKeyPairSync('rsa-pss', { modulusLength: 1024 }));
  dsa = pems(generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }));
  ed25519 = pems(generateKeyPairSync('ed25519'));
  p256 = ecPair('P-256');
  p384 = ecPair('P-384');
  p521 = ecPair('P-521');
  k256 = ecPair('secp256k1');
});

function refusal(fn: () => unknown): [string, string] {
  const e = thrown(fn);
  if (!(e instanceof BundleError)) throw new Error(`expected a BundleError, got ${String(e)}`);
  return [e.code, e.message];
}
const keyInvalid = (message: string): [string, string] => ['BUNDLE_KEY_INVALID', message];
/** What node:crypto itself says about unreadable key text. */
function nodeMessage(fn: () => unknown): string {
  const e = thrown(fn);
  return e.message;
}

/** The verification key's algorithms, and that the key is the one the material holds. */
function verifies(material: KeyMaterial, expected: KeyObject): string[] {
  const { key, algorithms, ...rest } = verificationKey(material);
  expect(rest).toStrictEqual({});
  expect(key.equals(expected)).toBe(true);
  return algorithms;
}

describe('verificationKey: the algorithms each key kind verifies', () => {
  it('an RSA public key: every RS* and PS* algorithm', () => {
    expect(verifies(rsa.publicPem, createPublicKey(rsa.publicPem))).toStrictEqual(RSA_ALGORITHMS);
  });

  it('an RSA private key (its public half is used, as OPA allows)', () => {
    expect(verifies(rsa.privatePem, createPublicKey(rsa.privatePem))).toStrictEqual(RSA_ALGORITHMS);
  });

  it('PEM as bytes is read as PEM, not as an HMAC secret', () => {
    expect(verifies(new TextEncoder().encode(rsa.publicPem), createPublicKey(rsa.publicPem))).toStrictEqual(RSA_ALGORITHMS);
  });

  it('an RSA-PSS key is refused up front, naming the fix: jose cannot use that key type on Node 20, so it could never verify', () => {
    expect(refusal(() => verificationKey(pss.publicPem))).toEqual(
      keyInvalid('the verification key is an RSA-PSS key (id-RSASSA-PSS), which jose cannot use on this Node version; use a plain RSA key (rsaEncryption), which verifies RS* and PS* signatures'),
    );
  });

  it.each<[string, () => PemPair, string]>([
    ['P-256', () => p256, 'ES256'],
    ['P-384', () => p384, 'ES384'],
    ['P-521', () => p521, 'ES512'],
  ])('an EC %s key: %s only', (_curve, pair, alg) => {
    expect(verifies(pair().publicPem, createPublicKey(pair().publicPem))).toStrictEqual([alg]);
  });

  it('an X.509 certificate: its public key, with that key\'s algorithms', (context) => {
    const cert = certificateFor(rsa.privatePem);
    if (cert === null) return context.skip('no openssl binary to make a certificate with');
    expect(verifies(cert, createPublicKey(rsa.publicPem))).toStrictEqual(RSA_ALGORITHMS);
    const ecCert = certificateFor(p384.privatePem);
    expect(verifies(ecCert ?? '', createPublicKey(p384.publicPem))).toStrictEqual(['ES384']);
  });
});

describe('verificationKey: an HMAC secret verifies each HS* whose minimum length it meets', () => {
  it.each<[number, string[]]>([
    [32, ['HS256']],
    [47, ['HS256']],
    [48, ['HS256', 'HS384']],
    [63, ['HS256', 'HS384']],
    [64, ['HS256', 'HS384', 'HS512']],
    [100, ['HS256', 'HS384', 'HS512']],
  ])('%i bytes: %j', (length, algorithms) => {
    const secret = 's'.repeat(length);
    const { key } = verificationKey(secret);
    expect(key.export()).toStrictEqual(Buffer.from(secret));
    expect(verifies(secret, key)).toStrictEqual(algorithms);
  });

  it('a string secret is its UTF-8 bytes: 16 "é" are 32 bytes, enough for HS256', () => {
    const secret = '\u00e9'.repeat(16);
    const { key, algorithms } = verificationKey(secret);
    expect(key.export()).toStrictEqual(Buffer.from(secret, 'utf8'));
    expect(algorithms).toStrictEqual(['HS256']);
  });

  it('a byte secret is used byte for byte', () => {
    const secret = randomBytes(48);
    const { key, algorithms } = verificationKey(new Uint8Array(secret));
    expect(key.export()).toStrictEqual(secret);
    expect(algorithms).toStrictEqual(['HS256', 'HS384']);
  });
});

describe('verificationKey refuses', () => {
  it.each<[string, KeyMaterial]>([
    ['an empty string', ''],
    ['empty bytes', new Uint8Array(0)],
  ])('%s', (_name, material) => {
    expect(refusal(() => verificationKey(material))).toEqual(
      keyInvalid('the verification key is empty (a PEM key, or an HMAC secret of at least 32 bytes, is needed)'),
    );
  });

  it.each<[string, KeyMaterial, number]>([
    ['31 characters', 's'.repeat(31), 31],
    ['1 byte', Uint8Array.of(7), 1],
    ['10 bytes (not their decimal spelling)', new Uint8Array(10), 10],
  ])('an HMAC secret of %s', (_name, material, length) => {
    expect(refusal(() => verificationKey(material))).toEqual(
      keyInvalid(`the verification key is not a PEM key, so it is an HMAC secret, and it is ${length} bytes: HS256 needs at least 32 (RFC 7518 §3.2)`),
    );
  });

  it.each<[string, () => string]>([
    ['an RSA', () => smallRsa.publicPem],
    ['an RSA-PSS', () => smallPss.publicPem],
  ])('%s key of 1024 bits', (_name, pem) => {
    expect(refusal(() => verificationKey(pem()))).toEqual(keyInvalid('the verification key is a 1024-bit RSA key; at least 2048 bits are required'));
  });

  it.each<[string, () => string, string]>([
    ['an EC key on a curve no JWS algorithm uses (secp256k1)', () => k256.publicPem, 'ec'],
    ['an Ed25519 key', () => ed25519.publicPem, 'ed25519'],
    ['a DSA key (its 1024 bits are no RSA size problem)', () => dsa.publicPem, 'dsa'],
  ])('%s', (_name, pem, type) => {
    expect(refusal(() => verificationKey(pem()))).toEqual(keyInvalid(`the verification key is a ${type} key, which no bundle signature algorithm uses`));
  });

  it.each<[string, string]>([
    ['a garbled public key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'],
    ['a garbled certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
  ])('%s, naming node\'s reason and keeping it as the cause', (_name, pem) => {
    const e = thrown(() => verificationKey(pem));
    const reason = nodeMessage(() => createPublicKey(pem));
    expect(e).toBeInstanceOf(BundleError);
    expect([(e as BundleError).code, e.message]).toEqual(keyInvalid(`the verification key is not a readable PEM public key or certificate: ${reason}`));
    expect((e.cause as Error).message).toBe(reason);
  });

  it('a refusal about the key itself has no cause', () => {
    expect(thrown(() => verificationKey('short')).cause).toBeUndefined();
  });
});

describe('signingKey: the algorithm a key signs with', () => {
  it.each<[string, () => KeyMaterial, SigningAlgorithm | undefined, SigningAlgorithm]>([
    ['an RSA key signs RS256 by default', () => rsa.privatePem, undefined, 'RS256'],
    ['an RSA key asked for RS256', () => rsa.privatePem, 'RS256', 'RS256'],
    ['RSA PEM as bytes', () => new TextEncoder().encode(rsa.privatePem), undefined, 'RS256'],
    ['an EC P-256 key signs ES256 by default', () => p256.privatePem, undefined, 'ES256'],
    ['an EC P-256 key asked for ES256', () => p256.privatePem, 'ES256', 'ES256'],
  ])('%s', (_name, material, algorithm, expected) => {
    const { key, ...rest } = signingKey(material(), algorithm);
    expect(rest).toStrictEqual({ algorithm: expected });
    const pem = material();
    expect(key.equals(createPrivateKey(typeof pem === 'string' ? pem : Buffer.from(pem).toString()))).toBe(true);
  });

  it.each<[number, SigningAlgorithm | undefined]>([
    [32, undefined],
    [64, undefined],
    [64, 'HS256'],
  ])('a %i-byte secret signs HS256 (asked for %s; HS384/HS512 are not signing algorithms)', (length, algorithm) => {
    const secret = randomBytes(length);
    const { key, ...rest } = signingKey(new Uint8Array(secret), algorithm);
    expect(rest).toStrictEqual({ algorithm: 'HS256' });
    expect(key.export()).toStrictEqual(secret);
  });
});

describe('signingKey refuses', () => {
  it.each<[string, () => KeyMaterial, SigningAlgorithm | undefined, string]>([
    ['an RSA key asked for ES256', () => rsa.privatePem, 'ES256', 'the signing key is a rsa key, which cannot sign ES256 (it can sign RS256)'],
    ['an RSA key asked for HS256', () => rsa.privatePem, 'HS256', 'the signing key is a rsa key, which cannot sign HS256 (it can sign RS256)'],
    ['an RSA key asked for RS384 (RSA verifies it, but claimguard signs only RS256)', () => rsa.privatePem, 'RS384' as SigningAlgorithm, 'the signing key is a rsa key, which cannot sign RS384 (it can sign RS256)'],
    ['an EC P-256 key asked for RS256', () => p256.privatePem, 'RS256', 'the signing key is a ec key on prime256v1, which cannot sign RS256 (it can sign ES256)'],
    ['an EC P-384 key', () => p384.privatePem, undefined, 'the signing key is a ec key on secp384r1, which cannot sign with any of RS256, ES256, HS256'],
    ['an EC P-384 key asked for ES256', () => p384.privatePem, 'ES256', 'the signing key is a ec key on secp384r1, which cannot sign ES256'],
    ['an RSA-PSS key (PS* are not signing algorithms)', () => pss.privatePem, undefined, 'the signing key is a rsa-pss key, which cannot sign with any of RS256, ES256, HS256'],
    ['an Ed25519 key', () => ed25519.privatePem, undefined, 'the signing key is a ed25519 key, which cannot sign with any of RS256, ES256, HS256'],
    ['a DSA key', () => dsa.privatePem, undefined, 'the signing key is a dsa key, which cannot sign with any of RS256, ES256, HS256'],
    ['a secret asked for RS256', () => 's'.repeat(64), 'RS256', 'the signing key is an HMAC secret, which cannot sign RS256 (it can sign HS256)'],
    ['a secret asked for ES256', () => 's'.repeat(32), 'ES256', 'the signing key is an HMAC secret, which cannot sign ES256 (it can sign HS256)'],
    ['a 1024-bit RSA-PSS key', () => smallPss.privatePem, undefined, 'the signing key is a 1024-bit RSA key; at least 2048 bits are required'],
    ['an empty key', () => '', undefined, 'the signing key is empty (a PEM key, or an HMAC secret of at least 32 bytes, is needed)'],
    ['a 31-byte secret', () => 's'.repeat(31), 'HS256', 'the signing key is not a PEM key, so it is an HMAC secret, and it is 31 bytes: HS256 needs at least 32 (RFC 7518 §3.2)'],
  ])('%s', (_name, material, algorithm, message) => {
    expect(refusal(() => signingKey(material(), algorithm))).toEqual(keyInvalid(message));
  });

  it.each<[string, () => string]>([
    ['a public key', () => rsa.publicPem],
    ['a garbled private key', () => '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'],
  ])('%s, naming node\'s reason and keeping it as the cause', (_name, pem) => {
    const e = thrown(() => signingKey(pem()));
    const reason = nodeMessage(() => createPrivateKey(pem()));
    expect(e).toBeInstanceOf(BundleError);
    expect([(e as BundleError).code, e.message]).toEqual(keyInvalid(`the signing key is not a readable, unencrypted PEM private key: ${reason}`));
    expect((e.cause as Error).message).toBe(reason);
  });
});

/** A self-signed certificate for a private key, made with the openssl binary; null when there is none. */
function certificateFor(privatePem: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-cert-'));
  try {
    writeFileSync(join(dir, 'key.pem'), privatePem, { mode: 0o600 });
    return execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-subj', '/CN=claimguard test', '-days', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
