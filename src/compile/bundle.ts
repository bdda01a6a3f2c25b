// The bundle: a gzip'd ustar tarball laid out as `opa build` writes it (ABI doc §5):
// entries /data.json, /policy.wasm, /.manifest in that order, each with a leading "/", mode 0600,
// uid/gid 0, mtime 0. The gzip header carries mtime 0 and OS byte 255 (as Go's gzip writer), so
// the same inputs give the same bytes on every platform (for a given Node zlib).
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface BundleFiles {
  /** Written as compact JSON plus a newline; key order is the object's. */
  readonly manifest: object;
  /** Raw /data.json text; `{}\n` when omitted. */
  readonly dataJson?: string;
  readonly wasm: Uint8Array;
}

export interface ReadBundleResult {
  /** Parsed /.manifest (shape checks are the caller's: src/runtime/manifest.ts). */
  readonly manifest: unknown;
  readonly dataJson: string;
  readonly wasm: Uint8Array;
}

export type BundleErrorCode = 'BUNDLE_MALFORMED';

export class BundleError extends Error {
  override readonly name = 'BundleError';
  readonly code: BundleErrorCode = 'BUNDLE_MALFORMED';
}

export const BUNDLE_FILES = ['/data.json', '/policy.wasm', '/.manifest'] as const;
const MAX_UNCOMPRESSED = 512 * 1024 * 1024;
const BLOCK = 512;

export async function writeBundle(files: BundleFiles): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const entries: [string, Uint8Array][] = [
    ['/data.json', encoder.encode(files.dataJson ?? '{}\n')],
    ['/policy.wasm', files.wasm],
    ['/.manifest', encoder.encode(`${JSON.stringify(files.manifest)}\n`)],
  ];
  const tar = pack();
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    tar.on('data', (c: unknown) => chunks.push(c as Uint8Array));
    tar.on('end', () => resolve());
    tar.on('error', reject);
  });
  for (const [name, data] of entries) {
    tar.entry({ name, size: data.length, mode: 0o600, mtime: new Date(0), uid: 0, gid: 0, type: 'file' }, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  tar.finalize();
  await done;
  const gz = gzipSync(Buffer.concat(chunks), { level: 9 });
  // RFC 1952 header: bytes 4..7 mtime (zlib writes 0), byte 9 OS: fixed to 255 "unknown".
  gz[9] = 0xff;
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

const fail = (why: string): never => {
  throw new BundleError(`bundle: ${why}`);
};

function octal(block: Uint8Array, offset: number, length: number, field: string): number {
  const text = new TextDecoder().decode(block.subarray(offset, offset + length)).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]*$/.test(text)) fail(`tar header ${field} is not octal`);
  return text === '' ? 0 : parseInt(text, 8);
}

function cstr(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return new TextDecoder('utf-8', { fatal: true }).decode(nul < 0 ? field : field.subarray(0, nul));
}

/** Reads a claimguard bundle; rejects anything that is not exactly its layout with a BundleError. */
export function readBundle(bytes: Uint8Array): ReadBundleResult {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) fail('not gzip data');
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_UNCOMPRESSED });
  } catch (cause) {
    throw new BundleError(`bundle: corrupt gzip data (${(cause as Error).message})`, { cause });
  }
  const files = new Map<string, Uint8Array>();
  let pos = 0;
  let ended = false;
  while (pos + BLOCK <= tar.length) {
    const header = tar.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) {
      ended = true;
      break;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
    if (octal(header, 148, 8, 'checksum') !== sum) fail(`tar header checksum mismatch at offset ${pos}`);
    if (cstr(header, 257, 6) !== 'ustar') fail('not a ustar archive');
    const type = String.fromCharCode(header[156] as number);
    const prefix = cstr(header, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + cstr(header, 0, 100);
    if (type !== '0' && type !== '\0') fail(`entry ${JSON.stringify(name)} is not a regular file (type ${JSON.stringify(type)})`);
    const size = octal(header, 124, 12, 'size');
    const start = pos + BLOCK;
    if (start + size > tar.length) fail(`entry ${JSON.stringify(name)} is truncated`);
    const path = name.startsWith('/') ? name : `/${name}`;
    if (!(BUNDLE_FILES as readonly string[]).includes(path)) fail(`unexpected entry ${JSON.stringify(name)}`);
    if (files.has(path)) fail(`duplicate entry ${JSON.stringify(name)}`);
    files.set(path, new Uint8Array(tar.subarray(start, start + size)));
    pos = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (!ended) fail('tar archive is truncated (no end-of-archive block)');
  const get = (path: string): Uint8Array => files.get(path) ?? fail(`missing ${path}`);
  const text = (path: string): string => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(get(path));
    } catch (cause) {
      if (cause instanceof BundleError) throw cause;
      return fail(`${path} is not UTF-8`);
    }
  };
  const json = (path: string): unknown => {
    const t = text(path);
    try {
      return JSON.parse(t);
    } catch {
      return fail(`${path} is not valid JSON`);
    }
  };
  const manifest = json('/.manifest');
  const dataJson = text('/data.json');
  json('/data.json');
  const wasm = get('/policy.wasm');
  if (wasm.length < 8 || wasm[0] !== 0x00 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) fail('/policy.wasm is not a WebAssembly module');
  return { manifest, dataJson, wasm };
}
