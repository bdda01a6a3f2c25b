// The manifest claimguard writes, and every manifest it refuses, with the code and whole message
// (manifest.ts); the bundle writer's fixed tar and gzip fields (write.ts); the revision; the error
// class. Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BundleError } from '../../src/bundle/errors.js';
import { checkManifest, ENTRYPOINTS, makeManifest } from '../../src/bundle/manifest.js';
import { revisionOf } from '../../src/bundle/revision.js';
import { writeBundle } from '../../src/bundle/write.js';
import { ClaimguardError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

const WASM_ENTRIES = [
  { entrypoint: 'claimguard/decision', module: '/policy.wasm' },
  { entrypoint: 'claimguard/allow', module: '/policy.wasm' },
];
const valid = (): Record<string, unknown> => ({ revision: 'r1', roots: ['claimguard'], wasm: WASM_ENTRIES.map((w) => ({ ...w })), rego_version: 1 });

function refusal(value: unknown): [string, string] {
  const e = thrown(() => checkManifest(value));
  if (!(e instanceof BundleError)) throw new Error(`expected a BundleError, got ${String(e)}`);
  return [e.code, e.message];
}
const invalid = (why: string): [string, string] => ['BUNDLE_MANIFEST_INVALID', `bundle manifest: ${why}`];

describe('makeManifest', () => {
  it('writes OPA\'s field order, both entrypoints on /policy.wasm, rego_version 1, and no metadata unless given', () => {
    const m = makeManifest('abc');
    expect(m).toEqual({ revision: 'abc', roots: ['claimguard'], wasm: WASM_ENTRIES, rego_version: 1 });
    expect(Object.keys(m)).toEqual(['revision', 'roots', 'wasm', 'rego_version']);
    expect(ENTRYPOINTS).toEqual(['claimguard/decision', 'claimguard/allow']);
  });

  it('adds metadata last when given', () => {
    const m = makeManifest('abc', { policy: 'policies.yaml' });
    expect(Object.keys(m)).toEqual(['revision', 'roots', 'wasm', 'rego_version', 'metadata']);
    expect(m.metadata).toEqual({ policy: 'policies.yaml' });
  });

  it('what it writes, it accepts', () => {
    const m = JSON.parse(JSON.stringify(makeManifest('abc', { x: 1 }))) as unknown;
    expect(checkManifest(m)).toBe(m);
  });
});

describe('checkManifest refuses every other shape', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'not a JSON object'],
    ['a list', [valid()], 'not a JSON object'],
    ['a string', 'manifest', 'not a JSON object'],
    ['a number', 1, 'not a JSON object'],
  ])('%s', (_name, value, why) => {
    expect(refusal(value)).toEqual(invalid(why));
  });

  it.each<[string, (m: Record<string, unknown>) => void, string]>([
    ['no revision', (m) => { delete m.revision; }, '"revision" must be a non-empty string'],
    ['an empty revision', (m) => { m.revision = ''; }, '"revision" must be a non-empty string'],
    ['a number revision', (m) => { m.revision = 1; }, '"revision" must be a non-empty string'],
    ['no roots', (m) => { delete m.roots; }, '"roots" must be ["claimguard"]'],
    ['roots as a string', (m) => { m.roots = 'claimguard'; }, '"roots" must be ["claimguard"]'],
    ['no root', (m) => { m.roots = []; }, '"roots" must be ["claimguard"]'],
    ['a second root', (m) => { m.roots = ['claimguard', 'other']; }, '"roots" must be ["claimguard"]'],
    ['another root', (m) => { m.roots = ['other']; }, '"roots" must be ["claimguard"]'],
    ['the empty root (all of data)', (m) => { m.roots = ['']; }, '"roots" must be ["claimguard"]'],
    ['rego_version 0', (m) => { m.rego_version = 0; }, '"rego_version" must be 1'],
    ['rego_version "1"', (m) => { m.rego_version = '1'; }, '"rego_version" must be 1'],
    ['no rego_version', (m) => { delete m.rego_version; }, '"rego_version" must be 1'],
    ['no wasm list', (m) => { delete m.wasm; }, '"wasm" must be an array'],
    ['wasm as a map', (m) => { m.wasm = { entrypoint: 'claimguard/decision', module: '/policy.wasm' }; }, '"wasm" must be an array'],
    ['another module', (m) => { (m.wasm as Record<string, unknown>[])[1]!.module = '/other.wasm'; }, 'wasm entry module must be "/policy.wasm", got "/other.wasm"'],
    ['a module without its slash', (m) => { (m.wasm as Record<string, unknown>[])[0]!.module = 'policy.wasm'; }, 'wasm entry module must be "/policy.wasm", got "policy.wasm"'],
    ['a null wasm entry', (m) => { (m.wasm as unknown[])[0] = null; }, 'wasm entry module must be "/policy.wasm", got undefined'],
  ])('%s', (_name, change, why) => {
    const m = valid();
    change(m);
    expect(refusal(m)).toEqual(invalid(why));
  });

  it('the first problem is the one reported, in the order revision, roots, rego_version, wasm', () => {
    expect(refusal({ revision: '', roots: [], rego_version: 2 })).toEqual(invalid('"revision" must be a non-empty string'));
    expect(refusal({ revision: 'r', roots: [], rego_version: 2 })).toEqual(invalid('"roots" must be ["claimguard"]'));
    expect(refusal({ revision: 'r', roots: ['claimguard'], rego_version: 2 })).toEqual(invalid('"rego_version" must be 1'));
  });

  it.each<[string, unknown[]]>([
    ['one entrypoint', [WASM_ENTRIES[0]]],
    ['the two in the other order', [WASM_ENTRIES[1], WASM_ENTRIES[0]]],
    ['a third entrypoint', [...WASM_ENTRIES, { entrypoint: 'claimguard/extra', module: '/policy.wasm' }]],
    ['none', []],
    ['a renamed one', [WASM_ENTRIES[0], { entrypoint: 'claimguard/allowed', module: '/policy.wasm' }]],
  ])('entrypoints that are not claimguard\'s, in order: %s (BUNDLE_ENTRYPOINT_MISMATCH)', (_name, wasm) => {
    const m = { ...valid(), wasm };
    const names = wasm.map((w) => (w as { entrypoint: string }).entrypoint);
    expect(refusal(m)).toEqual([
      'BUNDLE_ENTRYPOINT_MISMATCH',
      `bundle entrypoints ${JSON.stringify(names)} are not ["claimguard/decision","claimguard/allow"]`,
    ]);
  });
});

describe('writeBundle\'s fixed fields', () => {
  const manifest = makeManifest('r');
  const wasm = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

  it('every header has empty owner names, and the archive ends with two zero blocks', async () => {
    const tar = gunzipSync(await writeBundle({ manifest, wasm }));
    const field = (h: Buffer, o: number, n: number): string => h.subarray(o, o + n).toString('latin1').replace(/\0+$/, '');
    for (const offset of [0, 1024, 2048]) {
      const h = tar.subarray(offset, offset + 512);
      expect([field(h, 265, 32), field(h, 297, 32)]).toEqual(['', '']);
    }
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });

  it('is gzip at its best compression, with OS byte 255', async () => {
    const bytes = await writeBundle({ manifest, wasm: new Uint8Array(4096).map((_, i) => (i * 31) % 7) });
    const expected = gzipSync(gunzipSync(bytes), { level: 9 });
    expected[9] = 0xff;
    expect(Buffer.from(bytes).equals(expected)).toBe(true);
    expect(gzipSync(gunzipSync(bytes), { level: 1 }).length).toBeGreaterThan(bytes.length);
  });
});

describe('revisionOf and BundleError', () => {
  it('the revision is the SHA-256 hex of the module', () => {
    const wasm = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 7]);
    expect(revisionOf(wasm)).toBe(createHash('sha256').update(wasm).digest('hex'));
    expect(revisionOf(wasm)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a BundleError is a ClaimguardError named BundleError, with its code and cause', () => {
    const cause = new Error('inner');
    const e = new BundleError('BUNDLE_TAMPERED', 'm', { cause });
    expect(e).toBeInstanceOf(ClaimguardError);
    expect([e.name, e.code, e.message, e.cause]).toEqual(['BundleError', 'BUNDLE_TAMPERED', 'm', cause]);
  });
});
