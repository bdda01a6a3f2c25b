// `claimguard build --signing-key` and `claimguard verify-bundle --verification-key`: the contract
// flags, OPA's /.signatures.json in the written bundle, and exit codes 0 / 1 (a bundle that must not
// be used) / 2 (usage, unreadable key or bundle).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';
import { runCli } from '../../src/cli/main.js';
import { ecPair, hmacSecret, rsaPair } from '../bundle/keys.js';
import { fakeIo } from './fake-io.js';

let dir: string;

beforeAll(() => {
  const rsa = rsaPair();
  const other = rsaPair();
  const ec = ecPair();
  // One directory for the whole file: the bundles built early are verified later.
  dir = mkdtempSync(join(tmpdir(), 'claimguard-sign-'));
  const files: Record<string, string> = {
    'policies.yaml': readFileSync(new URL('../../examples/orders-api/policies.yaml', import.meta.url), 'utf8'),
    'keys/rsa.pem': rsa.privatePem,
    'keys/rsa.pub': rsa.publicPem,
    'keys/other.pub': other.publicPem,
    'keys/ec.pem': ec.privatePem,
    'keys/ec.pub': ec.publicPem,
    'keys/hmac.key': hmacSecret(),
    'keys/short.key': 'not long enough',
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const io = fakeIo(dir);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('build --signing-key', () => {
  it('writes /.signatures.json (RS256, key id) and prints the signature line', async () => {
    const r = await cli('build', '--out', 'dist/rsa.tar.gz', '--signing-key', 'keys/rsa.pem', '--signing-alg', 'RS256', '--key-id', 'k1');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/\n {2}signature {4}RS256, key id k1 over data\.json, policy\.wasm, \.manifest\n/);
    const read = readBundle(readFileSync(join(dir, 'dist/rsa.tar.gz')));
    const jws = (JSON.parse(read.signatures!) as { signatures: [string] }).signatures[0];
    expect(JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
  });

  it('is reproducible with RS256: same policy, same key, same bytes', async () => {
    await cli('build', '--out', 'dist/a.tar.gz', '--signing-key', 'keys/rsa.pem');
    await cli('build', '--out', 'dist/b.tar.gz', '--signing-key', 'keys/rsa.pem');
    expect(readFileSync(join(dir, 'dist/a.tar.gz')).equals(readFileSync(join(dir, 'dist/b.tar.gz')))).toBe(true);
  });

  it.each<[string, string[], RegExp]>([
    ['a missing key file', ['--signing-key', 'keys/none.pem'], /cannot read signing key keys\/none\.pem \(ENOENT\)/],
    ['an HMAC secret too short', ['--signing-key', 'keys/short.key'], /keys\/short\.key: the signing key is not a PEM key, so it is an HMAC secret, and it is 15 bytes/],
    ['an algorithm the key cannot sign', ['--signing-key', 'keys/ec.pem', '--signing-alg', 'RS256'], /ec key on prime256v1, which cannot sign RS256 \(it can sign ES256\)/],
    ['an unknown algorithm', ['--signing-key', 'keys/rsa.pem', '--signing-alg', 'none'], /argument 'none' is invalid\. Allowed choices are RS256, ES256, HS256/],
    ['--key-id without a key', ['--key-id', 'k1'], /--key-id needs --signing-key/],
    ['--signing-alg without a key', ['--signing-alg', 'HS256'], /--signing-alg needs --signing-key/],
  ])('exits 2 on %s, writing nothing', async (_name, flags, message) => {
    const r = await cli('build', '--out', 'dist/never.tar.gz', ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(() => readFileSync(join(dir, 'dist/never.tar.gz'))).toThrow(/ENOENT/);
  });
});

describe('verify-bundle', () => {
  beforeAll(async () => {
    await cli('build', '--out', 'dist/signed.tar.gz', '--signing-key', 'keys/rsa.pem', '--key-id', 'k1');
    await cli('build', '--out', 'dist/ec.tar.gz', '--signing-key', 'keys/ec.pem');
    await cli('build', '--out', 'dist/hmac.tar.gz', '--signing-key', 'keys/hmac.key', '--scope', 'orders');
    await cli('build', '--out', 'dist/plain.tar.gz');
    const files = readBundle(readFileSync(join(dir, 'dist/signed.tar.gz')));
    const wasm = Uint8Array.from(files.wasm);
    wasm[100] = wasm[100]! ^ 0xff;
    writeFileSync(join(dir, 'dist/tampered.tar.gz'), await writeBundle({ manifest: files.manifest as object, wasm, signatures: files.signatures! }));
    writeFileSync(join(dir, 'dist/garbage.tar.gz'), 'not a bundle');
  });

  it('exits 0 and says who signed what', async () => {
    const r = await cli('verify-bundle', '--verification-key', 'keys/rsa.pub', 'dist/signed.tar.gz');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(
      /^✔ dist\/signed\.tar\.gz: signature verified\n {2}algorithm {4}RS256\n {2}key id {7}k1\n {2}scope {8}\(none\)\n {2}files {8}data\.json, policy\.wasm, \.manifest \(SHA-256\)\n {2}revision {5}[0-9a-f]{64}\n$/,
    );
  });

  it('verifies ES256 and HS256 (with its scope), and the default bundle path', async () => {
    expect((await cli('verify-bundle', '--verification-key', 'keys/ec.pub', 'dist/ec.tar.gz')).code).toBe(0);
    expect((await cli('verify-bundle', '--verification-key', 'keys/hmac.key', '--scope', 'orders', 'dist/hmac.tar.gz')).code).toBe(0);
    await cli('build', '--signing-key', 'keys/rsa.pem');
    const r = await cli('verify-bundle', '--verification-key', 'keys/rsa.pub');
    expect(r.out).toMatch(/^✔ dist\/bundle\.tar\.gz: signature verified/);
  });

  it.each<[string, string[], RegExp]>([
    ['another key', ['--verification-key', 'keys/other.pub', 'dist/signed.tar.gz'], /^✖ dist\/signed\.tar\.gz: BUNDLE_SIGNATURE_INVALID: bundle signature: the JWS does not verify with this key/],
    ['a key of another kind', ['--verification-key', 'keys/ec.pub', 'dist/signed.tar.gz'], /BUNDLE_SIGNATURE_INVALID: bundle signature: signed with RS256, and this verification key verifies only ES256/],
    ['another key id', ['--verification-key', 'keys/rsa.pub', '--key-id', 'k2', 'dist/signed.tar.gz'], /signed with key id "k1", expected "k2"/],
    ['a missing scope', ['--verification-key', 'keys/hmac.key', 'dist/hmac.tar.gz'], /signed for scope "orders", expected ""/],
    ['a tampered policy.wasm', ['--verification-key', 'keys/rsa.pub', 'dist/tampered.tar.gz'], /BUNDLE_TAMPERED: bundle signature: policy\.wasm does not match its signed SHA-256 digest/],
    ['an unsigned bundle', ['--verification-key', 'keys/rsa.pub', 'dist/plain.tar.gz'], /BUNDLE_SIGNATURE_MISSING/],
    ['a file that is no bundle', ['--verification-key', 'keys/rsa.pub', 'dist/garbage.tar.gz'], /BUNDLE_CORRUPT: bundle is not a readable claimguard bundle: bundle: not gzip data/],
  ])('exits 1 on %s', async (_name, argv, message) => {
    const r = await cli('verify-bundle', ...argv);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(message);
  });

  it.each<[string, string[], RegExp]>([
    ['no --verification-key', ['dist/signed.tar.gz'], /required option '--verification-key <file>' not specified/],
    ['an unreadable key file', ['--verification-key', 'keys/none.pub', 'dist/signed.tar.gz'], /cannot read verification key keys\/none\.pub \(ENOENT\)/],
    ['an unreadable bundle', ['--verification-key', 'keys/rsa.pub', 'dist/none.tar.gz'], /cannot read bundle dist\/none\.tar\.gz \(ENOENT\)/],
    ['a key that is no key', ['--verification-key', 'keys/short.key', 'dist/signed.tar.gz'], /keys\/short\.key: the verification key is not a PEM key, so it is an HMAC secret, and it is 15 bytes/],
  ])('exits 2 on %s', async (_name, argv, message) => {
    const r = await cli('verify-bundle', ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('development commands read signed bundles without verifying them (as opa eval / opa test)', () => {
  it('eval --bundle', async () => {
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ request: { method: 'GET', path: '/health' }, token: null, now: 0 }));
    const r = await cli('eval', '--input', 'in.json', '--bundle', 'dist/signed.tar.gz');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ allow: true, route: 'GET /health' });
  });
});
