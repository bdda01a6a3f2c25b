// readBundle's strict ustar walk, field by field (read.ts). The archives here are written by a
// small header writer of this test's own, so each field can hold what a general tar writer would
// never put there: padded or empty numbers, a prefix, a lone end block, a name with no NUL. Every
// refusal is pinned whole (code and message): a bundle that is not exactly claimguard's layout
// must never be half-read. Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BundleError } from '../../src/bundle/errors.js';
import { readBundle } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';
import { thrown } from '../support/thrown.js';

const WASM = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const MANIFEST = `${JSON.stringify({ revision: 'r', roots: ['claimguard'], wasm: [], rego_version: 1 })}\n`;

interface Header {
  readonly name: string;
  readonly size: number;
  /** The size field's text, in place of the octal that `size` would give. */
  readonly sizeField?: string;
  readonly type?: string;
  readonly magic?: string;
  /** The prefix field: text, or raw bytes. */
  readonly prefix?: string | Uint8Array;
  /** The checksum field's text, in place of the correct one. */
  readonly checksumField?: string;
  /** Raw bytes for the name field (up to 100), in place of `name`. */
  readonly nameBytes?: Uint8Array;
}

/** One 512-byte ustar header, written field by field. */
function header(h: Header): Uint8Array {
  const block = new Uint8Array(512);
  const put = (offset: number, text: string): void => block.set(Buffer.from(text, 'latin1'), offset);
  if (h.nameBytes) block.set(h.nameBytes, 0);
  else block.set(Buffer.from(h.name, 'utf8'), 0);
  put(100, '0000600\0');
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, h.sizeField ?? `${h.size.toString(8).padStart(11, '0')}\0`);
  put(136, '00000000000\0');
  put(156, h.type ?? '0');
  put(257, h.magic ?? 'ustar\u000000');
  if (h.prefix !== undefined) block.set(typeof h.prefix === 'string' ? Buffer.from(h.prefix, 'utf8') : h.prefix, 345);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  put(148, h.checksumField ?? `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

type Entry = [name: string, body: string | Uint8Array, extra?: Partial<Header>];

/** The tar bytes of these entries, then `endBlocks` zero blocks. */
function tar(entries: readonly Entry[], endBlocks = 2): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, body, extra] of entries) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    parts.push(header({ name, size: bytes.length, ...extra }));
    const padded = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
    padded.set(bytes);
    parts.push(padded);
  }
  parts.push(new Uint8Array(512 * endBlocks));
  return Buffer.concat(parts);
}

const good = (): Entry[] => [['/data.json', '{}\n'], ['/policy.wasm', WASM], ['/.manifest', MANIFEST]];
const gz = (bytes: Uint8Array): Uint8Array => gzipSync(bytes);

function refusal(bytes: Uint8Array): [string, string] {
  const e = thrown(() => readBundle(bytes));
  if (!(e instanceof BundleError)) throw new Error(`expected a BundleError, got ${String(e)}`);
  return [e.code, e.message];
}
const malformed = (why: string): [string, string] => ['BUNDLE_MALFORMED', `bundle: ${why}`];

describe('the archive this test writes is one readBundle reads', () => {
  it('three entries, two end blocks', () => {
    const read = readBundle(gz(tar(good())));
    expect(read.entries.map((e) => e.name)).toEqual(['/data.json', '/policy.wasm', '/.manifest']);
    expect(read.dataJson).toBe('{}\n');
    expect(read.wasm).toEqual(WASM);
  });

  it('one end block is enough (ustar asks for two; one already marks the end)', () => {
    expect(readBundle(gz(tar(good(), 1))).entries).toHaveLength(3);
  });
});

describe('gzip', () => {
  it('fewer than 18 bytes is no gzip data, even with the magic bytes', () => {
    expect(refusal(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0]))).toEqual(malformed('not gzip data'));
  });

  it('18 bytes with the magic bytes is read as gzip, and reported as corrupt', () => {
    const [code, message] = refusal(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(code).toBe('BUNDLE_MALFORMED');
    expect(message).toMatch(/^bundle: corrupt gzip data \(.+\)$/);
  });

  it.each([
    ['the first magic byte wrong', 0, 0x1e],
    ['the second magic byte wrong', 1, 0x8c],
  ])('%s: not gzip data', async (_name, index, value) => {
    const bytes = await writeBundle({ manifest: JSON.parse(MANIFEST) as object, wasm: WASM });
    bytes[index] = value;
    expect(refusal(bytes)).toEqual(malformed('not gzip data'));
  });

  it('a decompression bomb is refused once it passes 512 MiB, before it is all inflated', () => {
    // 513 gzip members of 1 MiB of zeros each: 0.5 MB on the wire, 513 MiB once inflated.
    const member = gzipSync(new Uint8Array(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 513 }, () => member));
    const e = thrown(() => readBundle(bomb)) as BundleError;
    expect([e.code, e.message]).toEqual(['BUNDLE_MALFORMED', 'bundle: more than 536870912 bytes once uncompressed']);
    expect((e.cause as { code?: string }).code).toBe('ERR_BUFFER_TOO_LARGE');
  });

  it('corrupt data names zlib\'s reason, and keeps it as the cause', () => {
    const bytes = gz(tar(good()));
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0xff; // the CRC-32 of the trailer
    const e = thrown(() => readBundle(bytes)) as BundleError;
    expect(e.code).toBe('BUNDLE_MALFORMED');
    expect(e.message).toBe(`bundle: corrupt gzip data (${(e.cause as Error).message})`);
    expect((e.cause as Error).message).toMatch(/check/i);
  });
});

describe('tar headers', () => {
  it('a checksum that does not add up names the header\'s offset', () => {
    const entries = good();
    entries[1] = ['/policy.wasm', WASM, { checksumField: '000001\0 ' }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('tar header checksum mismatch at offset 1024'));
  });

  it('a checksum that is not octal', () => {
    expect(refusal(gz(tar([['/data.json', '{}\n', { checksumField: '0009x9\0 ' }]])))).toEqual(malformed('tar header checksum is not octal'));
  });

  it('numbers padded with spaces and NULs on either side are read (older tar writers pad so)', () => {
    const entries = good();
    entries[0] = ['/data.json', '{}\n', { sizeField: '         3 \0' }];
    entries[1] = ['/policy.wasm', WASM, { sizeField: '10\0\0\0\0\0\0\0\0\0\0' }];
    const read = readBundle(gz(tar(entries)));
    expect(read.dataJson).toBe('{}\n');
    expect(read.wasm).toEqual(WASM);
  });

  it('an empty size field is 0: an empty file', () => {
    const entries = good();
    entries[0] = ['/data.json', '', { sizeField: '\0'.repeat(12) }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('/data.json is not valid JSON'));
  });

  it.each([
    ['a digit beyond 7', '00000000008\0'],
    ['a letter', '0000000001a\0'],
    ['a space inside', '0000 000010\0'],
    ['a sign', '+0000000010\0'],
  ])('a size with %s is not octal', (_name, sizeField) => {
    const entries = good();
    entries[1] = ['/policy.wasm', WASM, { sizeField }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('tar header size is not octal'));
  });

  it('a magic that is not "ustar"', () => {
    expect(refusal(gz(tar([['/data.json', '{}\n', { magic: 'ustaR\u000000' }]])))).toEqual(malformed('not a ustar archive'));
    expect(refusal(gz(tar([['/data.json', '{}\n', { magic: 'ustar!00' }]])))).toEqual(malformed('not a ustar archive'));
  });

  it('type "\\0" is a regular file (the pre-POSIX spelling); other types are refused by name', () => {
    const entries = good();
    entries[0] = ['/data.json', '{}\n', { type: '\0' }];
    expect(readBundle(gz(tar(entries))).dataJson).toBe('{}\n');
    entries[0] = ['/data.json', '{}\n', { type: '5' }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('entry "/data.json" is not a regular file (type "5")'));
    entries[0] = ['/data.json', '{}\n', { type: '1' }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('entry "/data.json" is not a regular file (type "1")'));
  });

  it('the prefix field is part of the name', () => {
    const entries = good();
    entries[0] = ['data.json', '{}\n', { prefix: 'evil' }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('unexpected entry "evil/data.json"'));
  });

  it('a name that fills its whole field (no NUL) is read whole', () => {
    const name = 'x'.repeat(100);
    expect(refusal(gz(tar([[name, '{}\n']])))).toEqual(malformed(`unexpected entry "${name}"`));
  });

  it('a name that is not UTF-8 names the field it is in', () => {
    const entries = good();
    entries[0] = ['', '{}\n', { nameBytes: Uint8Array.from([0x2f, 0xc3, 0x28]) }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('tar header at offset 0 holds a name that is not UTF-8'));
    entries[0] = ['data.json', '{}\n', { prefix: Uint8Array.from([0x64, 0xff]) }];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('tar header at offset 345 holds a name that is not UTF-8'));
  });
});

describe('the archive\'s end', () => {
  it('an entry whose data runs past the archive is truncated', () => {
    const bytes = tar(good(), 0);
    expect(refusal(gz(bytes.subarray(0, bytes.length - 512 + 10)))).toEqual(malformed('entry "/.manifest" is truncated'));
  });

  it('data that ends exactly at the archive\'s end, with no end block, is a truncated archive', () => {
    // The last entry's data fills its blocks exactly; nothing follows it.
    const entries = good();
    entries[2] = ['/.manifest', MANIFEST.replace('\n', ' '.repeat(512 - MANIFEST.length) + '\n')];
    expect(refusal(gz(tar(entries, 0)))).toEqual(malformed('tar archive is truncated (no end-of-archive block)'));
  });

  it('a partial block after the last entry is no end block', () => {
    expect(refusal(gz(Buffer.concat([tar(good(), 0), new Uint8Array(511)])))).toEqual(malformed('tar archive is truncated (no end-of-archive block)'));
  });

  it('entries after the end block are not read', () => {
    const bytes = Buffer.concat([tar(good(), 1), tar([['/policy.rego', 'package x']], 2)]);
    expect(readBundle(gz(bytes)).entries).toHaveLength(3);
  });
});

describe('the entries', () => {
  it('a missing entry is named', () => {
    expect(refusal(gz(tar(good().slice(1))))).toEqual(malformed('missing /data.json'));
  });

  it('an unexpected entry and a duplicate are named as written', () => {
    expect(refusal(gz(tar([...good(), ['policy.rego', 'package x']])))).toEqual(malformed('unexpected entry "policy.rego"'));
    expect(refusal(gz(tar([...good(), ['policy.wasm', WASM]])))).toEqual(malformed('duplicate entry "policy.wasm"'));
  });

  it.each([
    ['/.manifest', 'is not UTF-8', (e: Entry[]) => { e[2] = ['/.manifest', Uint8Array.from([0x7b, 0xff, 0x7d])]; }],
    ['/data.json', 'is not UTF-8', (e: Entry[]) => { e[0] = ['/data.json', Uint8Array.from([0xc0, 0x80])]; }],
    ['/.manifest', 'is not valid JSON', (e: Entry[]) => { e[2] = ['/.manifest', '{"revision":']; }],
    ['/data.json', 'is not valid JSON', (e: Entry[]) => { e[0] = ['/data.json', '{} {}']; }],
  ])('%s %s', (name, why, change) => {
    const entries = good();
    change(entries);
    expect(refusal(gz(tar(entries)))).toEqual(malformed(`${name} ${why}`));
  });

  it('data.json is kept as its text, whatever its JSON', () => {
    const entries = good();
    entries[0] = ['/data.json', ' { "a" : [1, 2] }\n\n'];
    expect(readBundle(gz(tar(entries))).dataJson).toBe(' { "a" : [1, 2] }\n\n');
  });

  it.each([
    ['7 bytes', WASM.subarray(0, 7)],
    ['a wrong first byte', Uint8Array.from([0x01, 0x61, 0x73, 0x6d, 1, 0, 0, 0])],
    ['a wrong second byte', Uint8Array.from([0x00, 0x62, 0x73, 0x6d, 1, 0, 0, 0])],
    ['a wrong third byte', Uint8Array.from([0x00, 0x61, 0x74, 0x6d, 1, 0, 0, 0])],
    ['a wrong fourth byte', Uint8Array.from([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0])],
  ])('a policy.wasm of %s is no WebAssembly module', (_name, wasm) => {
    const entries = good();
    entries[1] = ['/policy.wasm', wasm];
    expect(refusal(gz(tar(entries)))).toEqual(malformed('/policy.wasm is not a WebAssembly module'));
  });

  it('the bytes of each entry are its own copy, not a view into the archive', () => {
    const read = readBundle(gz(tar(good())));
    expect(read.wasm.buffer.byteLength).toBe(WASM.length);
    expect(read.entries.map((e) => e.bytes.byteOffset)).toEqual([0, 0, 0]);
  });
});
