// Should jose ever refuse a key that signingKey accepted (a jose version with stricter rules), the
// build fails with BUNDLE_KEY_INVALID naming the algorithm and jose's reason, never with a bare
// jose error. No real key reaches this path today, so jose's signer is replaced here by one that
// refuses. Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
import { describe, expect, it, vi } from 'vitest';
import { BundleError } from '../../src/bundle/errors.js';
import { signBundleEntries } from '../../src/bundle/signatures/sign.js';
import { bundleEntries } from '../../src/bundle/write.js';
import { makeManifest } from '../../src/bundle/manifest.js';
import { hmacSecret } from './keys.js';
import { rejection } from '../support/thrown.js';

const refusal = vi.hoisted(() => new Error('the key is not allowed'));

vi.mock('jose/jws/compact/sign', () => ({
  CompactSign: class {
    setProtectedHeader(): this {
      return this;
    }
    sign(): Promise<string> {
      return Promise.reject(refusal);
    }
  },
}));

describe('a signer that refuses the key', () => {
  it('is BUNDLE_KEY_INVALID with the algorithm and jose\'s reason, and keeps the cause', async () => {
    const entries = bundleEntries({ manifest: makeManifest('r'), wasm: Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) });
    const e = await rejection(signBundleEntries(entries, { key: hmacSecret() }));
    expect(e).toBeInstanceOf(BundleError);
    const { code, message, cause } = e as BundleError;
    expect([code, message, cause]).toEqual(['BUNDLE_KEY_INVALID', 'the signing key cannot sign HS256: the key is not allowed', refusal]);
  });
});
