// Writes a bundle as `opa build` does: a gzip'd ustar tarball, entries in OPA's order (layout.ts),
// each with a leading "/", mode 0600, uid/gid 0, mtime 0. The gzip header carries mtime 0 and OS
// byte 255 (as Go's gzip writer), so the same inputs give the same bytes on every platform (for a
// given Node zlib). Only the compiler imports this file: the tar writer never reaches the Lambda.
import { gzipSync } from 'node:zlib';
import { packTar } from 'modern-tar';
import { DATA_JSON, ENTRY_ORDER, MANIFEST, POLICY_WASM, SIGNATURES_JSON, type BundleEntry } from './layout.js';

export interface BundleFiles {
  /** Written as compact JSON plus a newline; key order is the object's. */
  readonly manifest: object;
  /** Raw /data.json text; `{}\n` when omitted. */
  readonly dataJson?: string;
  readonly wasm: Uint8Array;
  /** The text of /.signatures.json (from signBundleEntries); omitted for an unsigned bundle. */
  readonly signatures?: string;
}

/** The entries a bundle of these files holds, in archive order: what a signature covers. */
export function bundleEntries(files: BundleFiles): BundleEntry[] {
  const encoder = new TextEncoder();
  const entries: BundleEntry[] = [
    { name: DATA_JSON, bytes: encoder.encode(files.dataJson ?? '{}\n') },
    { name: POLICY_WASM, bytes: files.wasm },
    { name: MANIFEST, bytes: encoder.encode(`${JSON.stringify(files.manifest)}\n`) },
  ];
  if (files.signatures !== undefined) entries.push({ name: SIGNATURES_JSON, bytes: encoder.encode(files.signatures) });
  return entries.sort((a, b) => ENTRY_ORDER.indexOf(a.name) - ENTRY_ORDER.indexOf(b.name));
}

export async function writeBundle(files: BundleFiles): Promise<Uint8Array> {
  const tar = await packTar(
    bundleEntries(files).map(({ name, bytes }) => ({
      header: { name, size: bytes.length, mode: 0o600, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', type: 'file' as const },
      body: bytes,
    })),
  );
  const gz = gzipSync(tar, { level: 9 });
  // RFC 1952 header: bytes 4..7 mtime (zlib writes 0), byte 9 OS: fixed to 255 "unknown".
  gz[9] = 0xff;
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}
