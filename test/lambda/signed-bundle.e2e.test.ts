// Signed bundles end to end: `buildBundle` signs as `claimguard build --signing-key` does, and
// `withAuthorization({ bundle, bundleVerificationKey })` loads through the same loader the Lambda
// uses. A bundle it cannot vouch for answers 500 to every request, never calls the handler, and
// says why once.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';
import { buildBundle, type BuiltBundle } from '../../src/compile/compile.js';
import { loadBundle, RuntimeError, withAuthorization, type AuthorizationOptions } from '../../src/lambda/index.js';
import { loadPolicy } from '../../src/policy/load.js';
import { ecPair, hmacSecret, rsaPair, type PemPair } from '../bundle/keys.js';
import { CONTEXT, logSink, NOW, v2Event } from './fixtures.js';

const OK = { statusCode: 200, body: 'ok' };
const INTERNAL = { statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"internal error"}' };

let rsa: PemPair;
let unsigned: BuiltBundle;
let signed: BuiltBundle;

beforeAll(async () => {
  rsa = rsaPair();
  const loaded = await loadPolicy(new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  unsigned = await buildBundle(loaded.ir);
  signed = await buildBundle(loaded.ir, { signing: { key: rsa.privatePem, keyId: 'orders-2024' } });
});

function wrap(options: Partial<AuthorizationOptions>) {
  const log = logSink();
  const handler = vi.fn(async () => OK);
  const wrapped = withAuthorization(handler, { clock: () => NOW, log: { sink: log.sink }, ...options });
  return { log, handler, call: (name: string) => wrapped(v2Event(name) as never, CONTEXT) };
}

describe('a signed bundle with its verification key', () => {
  it('decides as the unsigned bundle does (same revision)', async () => {
    expect(signed.compiled.revision).toBe(unsigned.compiled.revision);
    const { call, handler } = wrap({ bundle: signed.bytes, bundleVerificationKey: rsa.publicPem, bundleKeyId: 'orders-2024' });
    expect(await call('v2-delete-order-admin.json')).toEqual(OK);
    expect((await call('v2-delete-order-customer.json')).statusCode).toBe(403);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('accepts the key as bytes, as read from a file', async () => {
    const { call } = wrap({ bundle: signed.bytes, bundleVerificationKey: new TextEncoder().encode(rsa.publicPem) });
    expect(await call('v2-get-order.json')).toEqual(OK);
  });

  it('ES256 and HS256 signatures verify too', async () => {
    const ec = ecPair();
    const secret = hmacSecret();
    const loaded = await loadPolicy(new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('policy');
    for (const [key, verify] of [[ec.privatePem, ec.publicPem], [secret, secret]] as const) {
      const bundle = await buildBundle(loaded.ir, { signing: { key } });
      const { call } = wrap({ bundle: bundle.bytes, bundleVerificationKey: verify });
      expect(await call('v2-get-order.json')).toEqual(OK);
    }
  });
});

describe('bundles it cannot vouch for: every request 500, never the handler, the reason logged once', () => {
  const other = (): PemPair => rsaPair();
  const variants: [string, () => Promise<Partial<AuthorizationOptions>>, string, RegExp][] = [
    ['unsigned bundle, key configured', async () => ({ bundle: unsigned.bytes, bundleVerificationKey: rsa.publicPem }), 'BUNDLE_SIGNATURE_MISSING', /no \/\.signatures\.json/],
    ['signed with another key', async () => ({ bundle: signed.bytes, bundleVerificationKey: other().publicPem }), 'BUNDLE_SIGNATURE_INVALID', /does not verify with this key/],
    ['signed under another key id', async () => ({ bundle: signed.bytes, bundleVerificationKey: rsa.publicPem, bundleKeyId: 'orders-2025' }), 'BUNDLE_SIGNATURE_INVALID', /key id "orders-2024", expected "orders-2025"/],
    [
      'policy.wasm swapped for another policy, signature kept',
      async () => {
        const files = readBundle(signed.bytes);
        const wasm = Uint8Array.from(files.wasm);
        wasm[wasm.length - 1] = wasm[wasm.length - 1]! ^ 1;
        // A consistent forgery: manifest revision recomputed for the new module.
        const { revisionOf } = await import('../../src/bundle/revision.js');
        const manifest = { ...(files.manifest as object), revision: revisionOf(wasm) };
        return { bundle: await writeBundle({ manifest, wasm, signatures: files.signatures! }), bundleVerificationKey: rsa.publicPem };
      },
      'BUNDLE_TAMPERED',
      /policy\.wasm does not match/,
    ],
    ['signed, no key configured (as OPA)', async () => ({ bundle: signed.bytes }), 'BUNDLE_SIGNATURE_UNEXPECTED', /no verification key is configured/],
    ['a verification key that is no key', async () => ({ bundle: signed.bytes, bundleVerificationKey: 'secret' }), 'BUNDLE_KEY_INVALID', /HS256 needs at least 32/],
  ];

  it.each(variants)('%s', async (_name, make, code, reason) => {
    const { call, handler, log } = wrap(await make());
    for (const name of ['v2-get-order.json', 'v2-health-public.json', 'v2-delete-order-admin.json']) expect(await call(name)).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines.map((l) => [l.status, l.reasons])).toEqual([
      [500, [code]],
      [500, [code]],
      [500, [code]],
    ]);
    expect(log.lines[0]!.detail).toMatch(reason);
    expect(log.lines.slice(1).map((l) => l.detail)).toEqual([
      'the bundle did not load (reason logged once, at the first request)',
      'the bundle did not load (reason logged once, at the first request)',
    ]);
  });
});

describe('loadBundle options', () => {
  it('skipVerification loads a signed bundle without its key (development tools)', async () => {
    const authorizer = await loadBundle(signed.bytes, { skipVerification: true });
    expect(authorizer.revision).toBe(signed.compiled.revision);
  });

  it('refuses contradictory options', async () => {
    await expect(loadBundle(signed.bytes, { skipVerification: true, verificationKey: rsa.publicPem })).rejects.toThrow(TypeError);
    await expect(loadBundle(signed.bytes, { keyId: 'x' })).rejects.toThrow(/need a `verificationKey`/);
  });

  it('raises RuntimeErrors with the bundle module codes', async () => {
    await expect(loadBundle(unsigned.bytes, { verificationKey: rsa.publicPem })).rejects.toSatisfy(
      (e: unknown) => e instanceof RuntimeError && e.code === 'BUNDLE_SIGNATURE_MISSING' && e.cause !== undefined,
    );
  });
});
