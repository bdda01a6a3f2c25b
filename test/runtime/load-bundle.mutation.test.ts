// loadBundle refuses every bundle it must not use, each with its own code and a message naming
// what was wrong, and refuses to guess when the module answers outside the decision contract.
// Found by mutation testing (CONTRIBUTING.md, "Mutation testing"). The real compiled module runs
// throughout; where a test needs a module that misbehaves (no result, a malformed decision, extra
// entrypoints), the SDK's loaded policy is wrapped for that one test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeManifest } from '../../src/bundle/manifest.js';
import { revisionOf } from '../../src/bundle/revision.js';
import { bundleEntries, writeBundle } from '../../src/bundle/write.js';
import { buildBundle, compilePolicy } from '../../src/compile/compile.js';
import { RuntimeError, type RuntimeErrorCode } from '../../src/runtime/errors.js';
import { loadBundle, type LoadBundleOptions } from '../../src/runtime/load-bundle.js';
import * as sdk from '../../src/runtime/opa-sdk.js';
import { chk, input, policy, publicRoute, route } from '../support/ir-builders.js';

vi.mock('../../src/runtime/opa-sdk.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/runtime/opa-sdk.js')>();
  return { ...real, loadPolicySync: vi.fn(real.loadPolicySync) };
});

const IR = policy([publicRoute('GET /health'), route('GET /a', [chk.roles({ anyOf: ['admin'] })])]);
const SECRET = 'a-bundle-signing-secret-of-at-least-32-bytes';
const NOW = 1712345680000;

const dir = mkdtempSync(join(tmpdir(), 'claimguard-rt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let compiled: ReturnType<typeof compilePolicy>;
let unsigned: Uint8Array;
let signed: Uint8Array;

beforeAll(async () => {
  compiled = compilePolicy(IR);
  unsigned = (await buildBundle(IR)).bytes;
  signed = (await buildBundle(IR, { signing: { key: SECRET, keyId: 'k1' } })).bytes;
});

afterEach(() => {
  vi.mocked(sdk.loadPolicySync).mockReset();
  vi.mocked(sdk.loadPolicySync).mockImplementation(realLoad);
});

const realLoad = vi.mocked(sdk.loadPolicySync).getMockImplementation()!;

async function refusal(source: Uint8Array | string, options?: LoadBundleOptions): Promise<{ code: RuntimeErrorCode; message: string; cause: unknown }> {
  try {
    await loadBundle(source, options);
  } catch (e) {
    if (e instanceof RuntimeError) return { code: e.code, message: e.message, cause: e.cause };
    throw e;
  }
  throw new Error('loadBundle accepted the bundle');
}

/** A bundle around `wasm` whose manifest is `manifest` (default: claimguard's, with the right revision). */
const bundleOf = (wasm: Uint8Array, manifest: object = makeManifest(revisionOf(wasm))) => writeBundle({ manifest, wasm });

describe('bundles that are refused before the module loads', () => {
  it('a missing file: BUNDLE_NOT_FOUND, naming the path, with the read error as cause', async () => {
    const path = join(dir, 'nope.tar.gz');
    const r = await refusal(path);
    expect([r.code, r.message]).toEqual(['BUNDLE_NOT_FOUND', `cannot read bundle ${path}`]);
    expect((r.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('a file that is read from disk loads like the same bytes', async () => {
    const path = join(dir, 'bundle.tar.gz');
    writeFileSync(path, unsigned);
    expect((await loadBundle(path)).revision).toBe(compiled.revision);
  });

  it('bytes that are not a bundle: BUNDLE_CORRUPT, with the reader\'s reason', async () => {
    const r = await refusal(new TextEncoder().encode('definitely not a gzip stream'));
    expect([r.code, r.message]).toEqual(['BUNDLE_CORRUPT', 'bundle is not a readable claimguard bundle: bundle: not gzip data']);
    expect(r.cause).toMatchObject({ name: 'BundleError', code: 'BUNDLE_MALFORMED' });
  });

  it('a manifest of another shape keeps the bundle module\'s code and message', async () => {
    const r = await refusal(await bundleOf(compiled.wasm, { ...makeManifest(compiled.revision), roots: ['other'] }));
    expect([r.code, r.message]).toEqual(['BUNDLE_MANIFEST_INVALID', 'bundle manifest: "roots" must be ["claimguard"]']);
    expect(r.cause).toMatchObject({ name: 'BundleError', code: 'BUNDLE_MANIFEST_INVALID' });
  });

  it('a manifest revision that is not the module\'s: the bundle was altered', async () => {
    const r = await refusal(await bundleOf(compiled.wasm, makeManifest('0'.repeat(64))));
    expect([r.code, r.message]).toEqual([
      'BUNDLE_REVISION_MISMATCH',
      `bundle manifest revision ${'0'.repeat(64)} does not match policy.wasm (${compiled.revision}): the bundle was altered`,
    ]);
  });

  it('a revision other than the pinned one', async () => {
    const r = await refusal(unsigned, { expectedRevision: 'f'.repeat(64) });
    expect([r.code, r.message]).toEqual(['BUNDLE_REVISION_MISMATCH', `bundle revision ${compiled.revision} is not the expected ${'f'.repeat(64)}`]);
    expect((await loadBundle(unsigned, { expectedRevision: compiled.revision })).revision).toBe(compiled.revision);
  });

  it('a module that is not valid WebAssembly: WASM_LOAD_FAILED, with the engine\'s error as cause', async () => {
    const broken = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff]);
    const r = await refusal(await bundleOf(broken));
    expect(r.code).toBe('WASM_LOAD_FAILED');
    expect(r.message).toBe(`policy.wasm does not load: ${String(r.cause)}`);
    expect(r.cause).toBeInstanceOf(Error);
  });
});

describe('signatures', () => {
  it('a signed bundle without a verification key is refused, as OPA does', async () => {
    const r = await refusal(signed);
    expect([r.code, r.message]).toEqual([
      'BUNDLE_SIGNATURE_UNEXPECTED',
      'the bundle is signed (/.signatures.json) but no verification key is configured: set the verification key to check it',
    ]);
  });

  it('skipVerification loads it unchecked; the key verifies it; a key id or scope must match', async () => {
    expect((await loadBundle(signed, { skipVerification: true })).revision).toBe(compiled.revision);
    expect((await loadBundle(signed, { verificationKey: SECRET })).revision).toBe(compiled.revision);
    expect((await loadBundle(signed, { verificationKey: SECRET, keyId: 'k1' })).revision).toBe(compiled.revision);
    const wrongKid = await refusal(signed, { verificationKey: SECRET, keyId: 'k2' });
    expect([wrongKid.code, wrongKid.message]).toEqual(['BUNDLE_SIGNATURE_INVALID', 'bundle signature: signed with key id "k1", expected "k2"']);
    const wrongScope = await refusal(signed, { verificationKey: SECRET, scope: 'write' });
    expect([wrongScope.code, wrongScope.message]).toEqual(['BUNDLE_SIGNATURE_INVALID', 'bundle signature: signed for scope "", expected "write"']);
  });

  it('a verification key and an unsigned bundle: BUNDLE_SIGNATURE_MISSING', async () => {
    const r = await refusal(unsigned, { verificationKey: SECRET });
    expect([r.code, r.message]).toEqual([
      'BUNDLE_SIGNATURE_MISSING',
      'bundle signature: the bundle has no /.signatures.json, and a verification key is configured',
    ]);
  });

  it('an unsigned bundle loads without a key, with skipVerification too', async () => {
    expect((await loadBundle(unsigned)).revision).toBe(compiled.revision);
    expect((await loadBundle(unsigned, { skipVerification: true })).revision).toBe(compiled.revision);
  });

  it('options that contradict each other are a programming error, not a bundle problem', async () => {
    await expect(loadBundle(unsigned, { keyId: 'k1' })).rejects.toThrow(new TypeError('loadBundle: `keyId` and `scope` need a `verificationKey`'));
    await expect(loadBundle(unsigned, { scope: 's' })).rejects.toThrow(new TypeError('loadBundle: `keyId` and `scope` need a `verificationKey`'));
    await expect(loadBundle(signed, { verificationKey: SECRET, skipVerification: true })).rejects.toThrow(
      new TypeError('loadBundle: `skipVerification` contradicts `verificationKey`'),
    );
  });

  it('the signature is checked before the manifest: a tampered manifest is BUNDLE_TAMPERED, not a manifest error', async () => {
    const { signBundleEntries } = await import('../../src/bundle/signatures/sign.js');
    const files = { manifest: makeManifest(compiled.revision), dataJson: '{}\n', wasm: compiled.wasm };
    const { signatures } = await signBundleEntries(bundleEntries(files), { key: SECRET });
    const tampered = await writeBundle({ ...files, manifest: { ...files.manifest, roots: ['other'] }, signatures });
    const r = await refusal(tampered, { verificationKey: SECRET });
    expect([r.code, r.message]).toEqual(['BUNDLE_TAMPERED', 'bundle signature: .manifest does not match its signed SHA-256 digest']);
  });
});

/** Loads `unsigned` with the SDK's policy wrapped: `entrypoints` and `evaluate` replaced as given. */
function withModule(patch: { entrypoints?: Record<string, number>; evaluate?: (input: unknown, entrypoint: number) => unknown }) {
  vi.mocked(sdk.loadPolicySync).mockImplementation((wasm, memory) => {
    const real = realLoad(wasm, memory);
    return new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'entrypoints' && patch.entrypoints) return patch.entrypoints;
        if (prop === 'evaluate' && patch.evaluate) return patch.evaluate;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  });
  return loadBundle(unsigned);
}

describe('a module outside claimguard\'s entrypoints is refused', () => {
  it.each([
    ['swapped', { 'claimguard/decision': 1, 'claimguard/allow': 0 }],
    ['one missing', { 'claimguard/decision': 0 }],
    ['one more', { 'claimguard/decision': 0, 'claimguard/allow': 1, 'claimguard/debug': 2 }],
    ['renamed', { 'claimguard/decision': 0, 'other/allow': 1 }],
  ])('%s', async (_name, entrypoints) => {
    const r = await withModule({ entrypoints }).then(
      () => null,
      (e: unknown) => e as RuntimeError,
    );
    expect([r?.code, r?.message]).toEqual(['BUNDLE_ENTRYPOINT_MISMATCH', `policy.wasm entrypoints ${JSON.stringify(entrypoints)} are not claimguard's`]);
  });

  it('the real module names exactly the two, in order', async () => {
    const authorizer = await loadBundle(unsigned);
    expect(authorizer.manifest).toEqual(makeManifest(compiled.revision));
    expect(authorizer.decide(input('GET', '/health', { now: NOW }))).toEqual({ allow: true, status: 200, route: 'GET /health', reasons: [] });
    expect(authorizer.allow(input('GET', '/a', { token: { 'st-role': { v: ['admin'] } }, now: NOW }))).toBe(true);
    expect(authorizer.allow(input('GET', '/a', { token: {}, now: NOW }))).toBe(false);
  });
});

describe('answers outside the decision contract are DECISION_FAILED, never a guess', () => {
  const failure = (f: () => unknown): { code: string; message: string } | null => {
    try {
      f();
      return null;
    } catch (e) {
      return { code: (e as RuntimeError).code, message: (e as RuntimeError).message };
    }
  };

  it('evaluation that throws (an input the SDK cannot serialize), with the cause kept', async () => {
    const authorizer = await loadBundle(unsigned);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    let thrown: unknown;
    try {
      authorizer.decide(cyclic);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RuntimeError);
    const e = thrown as RuntimeError;
    expect(e.code).toBe('DECISION_FAILED');
    expect(e.message).toBe(`policy evaluation failed: ${String(e.cause)}`);
    expect(e.cause).toBeInstanceOf(TypeError);
    expect(failure(() => authorizer.allow(cyclic))?.code).toBe('DECISION_FAILED');
  });

  it.each([
    ['an empty result set', []],
    ['two results', [{ result: true }, { result: true }]],
    ['not a list', { result: true }],
    ['undefined', undefined],
  ])('%s', async (_name, results) => {
    const authorizer = await withModule({ evaluate: () => results });
    const expected = { code: 'DECISION_FAILED', message: 'policy returned no result (undefined decision)' };
    expect(failure(() => authorizer.decide({}))).toEqual(expected);
    expect(failure(() => authorizer.allow({}))).toEqual(expected);
  });

  const good = { allow: false, status: 403, route: 'GET /a', reasons: [{ id: 'st-role', code: 'ROLES_MISSING', reason: {} }] };
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'allow'],
    ['allow not a boolean', { ...good, allow: 0 }],
    ['status not 200, 401 or 403', { ...good, status: 500 }],
    ['status 200 with allow false', { ...good, status: 200 }],
    ['status 403 with allow true and no reasons', { ...good, allow: true, reasons: [] }],
    ['route neither a string nor null', { ...good, route: 7 }],
    ['route missing', { allow: false, status: 403, reasons: good.reasons }],
    ['reasons not a list', { ...good, reasons: {} }],
    ['a deny without reasons', { ...good, reasons: [] }],
    ['an allow with reasons', { ...good, allow: true, status: 200 }],
  ])('a decision that is %s', async (_name, result) => {
    const authorizer = await withModule({ evaluate: () => [{ result }] });
    expect(failure(() => authorizer.decide({}))).toEqual({ code: 'DECISION_FAILED', message: 'policy returned a malformed decision' });
  });

  it.each<[string, unknown]>([
    ['a 401', { allow: false, status: 401, route: 'GET /a', reasons: [{ id: 'token', code: 'TOKEN_MISSING', reason: {} }] }],
    ['a 200 on no route', { allow: true, status: 200, route: null, reasons: [] }],
    ['a 403', good],
  ])('a well-formed decision passes through as it is: %s', async (_name, result) => {
    const authorizer = await withModule({ evaluate: (_input, entrypoint) => [{ result: entrypoint === 0 ? result : true }] });
    expect(authorizer.decide({})).toBe(result);
  });

  it.each<[string, unknown]>([
    ['a number', 1],
    ['a decision', good],
    ['null', null],
  ])('allow that is %s', async (_name, result) => {
    const authorizer = await withModule({ evaluate: () => [{ result }] });
    expect(failure(() => authorizer.allow({}))).toEqual({ code: 'DECISION_FAILED', message: 'policy returned a non-boolean allow' });
  });

  it('decide asks entrypoint 0 and allow entrypoint 1', async () => {
    const asked: number[] = [];
    const authorizer = await withModule({
      evaluate: (_input, entrypoint) => {
        asked.push(entrypoint);
        return [{ result: entrypoint === 0 ? good : false }];
      },
    });
    authorizer.decide({});
    authorizer.allow({});
    expect(asked).toEqual([0, 1]);
  });
});
