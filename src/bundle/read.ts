// Reads a bundle: gunzip, then a strict ustar walk written here rather than a tar library, so the
// Lambda's import graph holds node:zlib and nothing else (the writer's tar-stream stays with the
// compiler). Only claimguard's layout is accepted: regular files named as in layout.ts, each once.
import { gunzipSync } from 'node:zlib';
import { BundleError } from './errors.js';
import { DATA_JSON, ENTRY_ORDER, MANIFEST, POLICY_WASM, SIGNATURES_JSON, type BundleEntry, type EntryName } from './layout.js';

export interface ReadBundleResult {
  /** Every entry, in archive order. Signatures are verified over these exact bytes. */
  readonly entries: readonly BundleEntry[];
  /** Parsed /.manifest (its shape is checked by checkManifest). */
  readonly manifest: unknown;
  readonly dataJson: string;
  readonly wasm: Uint8Array;
  /** The text of /.signatures.json, or null for an unsigned bundle. */
  readonly signatures: string | null;
}

const MAX_UNCOMPRESSED = 512 * 1024 * 1024;
const BLOCK = 512;

const fail = (why: string): never => {
  throw new BundleError('BUNDLE_MALFORMED', `bundle: ${why}`);
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function octal(block: Uint8Array, offset: number, length: number, field: string): number {
  let text = '';
  for (const b of block.subarray(offset, offset + length)) text += String.fromCharCode(b);
  text = text.replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]*$/.test(text)) fail(`tar header ${field} is not octal`);
  return text === '' ? 0 : parseInt(text, 8);
}

function cstr(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  try {
    return utf8.decode(nul < 0 ? field : field.subarray(0, nul));
  } catch {
    return fail(`tar header at offset ${offset} holds a name that is not UTF-8`);
  }
}

function untar(tar: Uint8Array): Map<EntryName, Uint8Array> {
  const files = new Map<EntryName, Uint8Array>();
  let pos = 0;
  while (pos + BLOCK <= tar.length) {
    const header = tar.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) return files;
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
    if (!(ENTRY_ORDER as readonly string[]).includes(path)) fail(`unexpected entry ${JSON.stringify(name)}`);
    if (files.has(path as EntryName)) fail(`duplicate entry ${JSON.stringify(name)}`);
    files.set(path as EntryName, new Uint8Array(tar.subarray(start, start + size)));
    pos = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return fail('tar archive is truncated (no end-of-archive block)');
}

/** Reads a claimguard bundle; anything that is not exactly its layout is a BundleError. */
export function readBundle(bytes: Uint8Array): ReadBundleResult {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) fail('not gzip data');
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_UNCOMPRESSED });
  } catch (cause) {
    // A decompression bomb is refused as it grows, before it can take the Lambda's memory.
    const why = (cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? `more than ${MAX_UNCOMPRESSED} bytes once uncompressed` : `corrupt gzip data (${(cause as Error).message})`;
    throw new BundleError('BUNDLE_MALFORMED', `bundle: ${why}`, { cause });
  }
  const files = untar(tar);
  const get = (path: EntryName): Uint8Array => files.get(path) ?? fail(`missing ${path}`);
  const text = (path: EntryName): string => {
    const data = get(path);
    try {
      return utf8.decode(data);
    } catch {
      return fail(`${path} is not UTF-8`);
    }
  };
  const json = (path: EntryName): unknown => {
    const t = text(path);
    try {
      return JSON.parse(t);
    } catch {
      return fail(`${path} is not valid JSON`);
    }
  };
  const manifest = json(MANIFEST);
  const dataJson = text(DATA_JSON);
  json(DATA_JSON);
  const wasm = get(POLICY_WASM);
  if (wasm.length < 8 || wasm[0] !== 0x00 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) fail('/policy.wasm is not a WebAssembly module');
  const signatures = files.has(SIGNATURES_JSON) ? text(SIGNATURES_JSON) : null;
  const entries = [...files].map(([name, data]): BundleEntry => ({ name, bytes: data }));
  return { entries, manifest, dataJson, wasm, signatures };
}
