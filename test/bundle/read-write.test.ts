import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packTar } from 'modern-tar';
import { BundleError } from '../../src/bundle/errors.js';
import { readBundle } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';

const manifest = { revision: 'abc', roots: ['claimguard'], wasm: [{ entrypoint: 'claimguard/decision', module: '/policy.wasm' }], rego_version: 1 };
const wasm = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Lists tar entries: [name, mode, uid, gid, mtime, type, size, magic+version]. */
function entries(tar: Uint8Array): [string, number, number, number, number, string, number, string][] {
  const out: [string, number, number, number, number, string, number, string][] = [];
  const str = (b: Uint8Array, o: number, n: number): string => Buffer.from(b.subarray(o, o + n)).toString('latin1').replace(/\0.*$/s, '');
  const oct = (b: Uint8Array, o: number, n: number): number => parseInt(str(b, o, n).trim() || '0', 8);
  for (let p = 0; p + 512 <= tar.length; ) {
    const h = tar.subarray(p, p + 512);
    if (h.every((x) => x === 0)) break;
    const size = oct(h, 124, 12);
    out.push([str(h, 0, 100), oct(h, 100, 8), oct(h, 108, 8), oct(h, 116, 8), oct(h, 136, 12), String.fromCharCode(h[156] as number), size, Buffer.from(h.subarray(257, 265)).toString('latin1')]);
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** A tarball written by a general tar writer, for layouts claimguard would never write. */
async function rawBundle(files: [string, string | Uint8Array, Partial<{ type: 'file' | 'symlink'; linkname: string }>?][]): Promise<Uint8Array> {
  const tar = await packTar(
    files.map(([name, data, extra]) => {
      const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      return { header: { name, size: extra?.type === 'symlink' ? 0 : body.length, ...extra }, body: extra?.type === 'symlink' ? undefined : body };
    }),
  );
  return gzipSync(tar);
}

describe('writeBundle', () => {
  it('writes gzip + ustar with OPA layout: order, leading /, mode 0600, uid/gid 0, mtime 0', async () => {
    const bytes = await writeBundle({ manifest, wasm });
    expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
    const list = entries(gunzipSync(bytes));
    expect(list).toEqual([
      ['/data.json', 0o600, 0, 0, 0, '0', 3, 'ustar\x0000'],
      ['/policy.wasm', 0o600, 0, 0, 0, '0', 8, 'ustar\x0000'],
      ['/.manifest', 0o600, 0, 0, 0, '0', JSON.stringify(manifest).length + 1, 'ustar\x0000'],
    ]);
  });

  it('round-trips through readBundle; manifest is compact JSON + newline; data.json defaults to {}\\n', async () => {
    const read = readBundle(await writeBundle({ manifest, wasm }));
    expect(read).toMatchObject({ manifest, dataJson: '{}\n', wasm, signatures: null });
    expect(read.entries.map((e) => e.name)).toEqual(['/data.json', '/policy.wasm', '/.manifest']);
    const withData = readBundle(await writeBundle({ manifest, wasm, dataJson: '{"a":1}\n' }));
    expect(withData.dataJson).toBe('{"a":1}\n');
  });

  it('is byte-for-byte deterministic', async () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7919) & 0xff);
    big.set(wasm);
    const a = await writeBundle({ manifest, wasm: big });
    const b = await writeBundle({ manifest: { ...manifest }, wasm: big.slice() });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(readBundle(a).wasm).equals(big)).toBe(true);
  });
});

describe('readBundle rejects malformed bundles', () => {
  const good = (): [string, string | Uint8Array][] => [['/data.json', '{}\n'], ['/policy.wasm', wasm], ['/.manifest', JSON.stringify(manifest) + '\n']];

  it.each<[string, () => Promise<Uint8Array> | Uint8Array, RegExp]>([
    ['not gzip', () => new TextEncoder().encode('hello world, not gzip'), /not gzip/],
    ['corrupt gzip', async () => { const b = await writeBundle({ manifest, wasm }); return b.slice(0, b.length - 10); }, /corrupt gzip/],
    ['not tar', () => gzipSync(Buffer.alloc(1024, 1)), /checksum|ustar/],
    ['truncated tar', async () => gzipSync(gunzipSync(await writeBundle({ manifest, wasm })).subarray(0, 1024 + 100)), /truncated/],
    ['missing manifest', () => rawBundle(good().slice(0, 2)), /missing \/\.manifest/],
    ['missing wasm', () => rawBundle([good()[0]!, good()[2]!]), /missing \/policy\.wasm/],
    ['missing data.json', () => rawBundle(good().slice(1)), /missing \/data\.json/],
    ['duplicate entry', () => rawBundle([...good(), ['/policy.wasm', wasm]]), /duplicate/],
    ['duplicate signatures', () => rawBundle([...good(), ['/.signatures.json', '{}'], ['.signatures.json', '{}']]), /duplicate/],
    ['signatures not UTF-8', () => rawBundle([...good(), ['/.signatures.json', Uint8Array.from([0xff, 0xfe])]]), /\.signatures\.json is not UTF-8/],
    ['unexpected entry', () => rawBundle([...good(), ['/policy.rego', 'package x']]), /unexpected entry/],
    ['symlink', () => rawBundle([...good().slice(0, 2), ['/.manifest', '', { type: 'symlink', linkname: '/etc/passwd' }]]), /not a regular file/],
    ['manifest not JSON', () => rawBundle([good()[0]!, good()[1]!, ['/.manifest', '{nope']]), /\.manifest is not valid JSON/],
    ['data not JSON', () => rawBundle([['/data.json', '{'], good()[1]!, good()[2]!]), /data\.json is not valid JSON/],
    ['wasm not wasm', () => rawBundle([good()[0]!, ['/policy.wasm', 'MZ'], good()[2]!]), /not a WebAssembly module/],
  ])('%s', async (_name, make, message) => {
    const bytes = await make();
    expect(() => readBundle(bytes)).toThrow(BundleError);
    expect(() => readBundle(bytes)).toThrow(message);
    expect(() => readBundle(bytes)).toThrow(expect.objectContaining({ code: 'BUNDLE_MALFORMED' }));
  });

  it('keeps /.signatures.json as text and every entry in archive order', async () => {
    const read = readBundle(await writeBundle({ manifest, wasm, signatures: '{"signatures":[]}' }));
    expect(read.signatures).toBe('{"signatures":[]}');
    expect(read.entries.map((e) => e.name)).toEqual(['/data.json', '/policy.wasm', '/.signatures.json', '/.manifest']);
  });

  it('accepts entries written without the leading slash (as some tar tools do)', async () => {
    const bytes = await rawBundle(good().map(([n, d]) => [n.slice(1), d] as [string, string | Uint8Array]));
    expect(readBundle(bytes).manifest).toEqual(manifest);
  });
});
