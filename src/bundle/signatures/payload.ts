// The shapes OPA gives bundle signatures (docs/bundles.md "Signature format"):
//   /.signatures.json  {"signatures": ["<compact JWS>"]}       (exactly one JWS; `plugin` unset)
//   JWS header         {"alg": …, "typ": "JWT", "kid"?: key id}
//   JWS payload        {"files": [{"name", "hash", "algorithm"}], "keyid"?: key id, "scope"?: scope}
import type { SignedFile } from './digest.js';
import { isObject } from '../../util/json.js';

export interface SignaturePayload {
  readonly files: readonly SignedFile[];
  /** OPA's deprecated key-id claim, written beside the header's `kid` as OPA does. */
  readonly keyid?: string | undefined;
  readonly scope?: string | undefined;
}

/** The payload bytes, fields in the order Go's encoder writes them (sorted map keys; struct order inside files). */
export function encodePayload(payload: SignaturePayload): Uint8Array {
  const files = payload.files.map(({ name, hash, algorithm }) => ({ name, hash, algorithm }));
  // JSON.stringify leaves out a member whose value is undefined: an unset keyid or scope is not written.
  return new TextEncoder().encode(JSON.stringify({ files, keyid: payload.keyid, scope: payload.scope }));
}

/** /.signatures.json as OPA writes it (Go's MarshalIndent with a one-space indent, no newline). */
export const encodeSignaturesFile = (jws: string): string => JSON.stringify({ signatures: [jws] }, null, 1);


/** The one JWS of /.signatures.json, or why there is none usable. */
export function decodeSignaturesFile(text: string): { jws: string } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: '/.signatures.json is not valid JSON' };
  }
  if (!isObject(value)) return { problem: '/.signatures.json is not a JSON object' };
  if (value.plugin !== undefined && value.plugin !== '') {
    return { problem: `/.signatures.json names the signing plugin ${JSON.stringify(value.plugin)}; only OPA's default JWS signatures are verified` };
  }
  const list = value.signatures;
  if (!Array.isArray(list) || list.length === 0) return { problem: '/.signatures.json holds no signature' };
  if (list.length > 1) return { problem: `/.signatures.json holds ${list.length} signatures; exactly one is supported (as in OPA)` };
  const [jws] = list;
  if (typeof jws !== 'string') return { problem: '/.signatures.json: the signature is not a string' };
  return { jws };
}

/** The verified payload's fields, or why it is not a bundle-signature payload. */
export function decodePayload(bytes: Uint8Array): SignaturePayload | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { problem: 'the signed payload is not JSON' };
  }
  if (!isObject(value) || !Array.isArray(value.files)) return { problem: 'the signed payload has no "files" list' };
  const files: SignedFile[] = [];
  for (const f of value.files) {
    if (!isObject(f) || typeof f.name !== 'string' || typeof f.hash !== 'string' || typeof f.algorithm !== 'string') {
      return { problem: 'a "files" item of the signed payload is not {name, hash, algorithm} strings' };
    }
    files.push({ name: f.name, hash: f.hash, algorithm: f.algorithm });
  }
  for (const key of ['keyid', 'scope'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') return { problem: `"${key}" of the signed payload is not a string` };
  }
  return {
    files,
    ...(typeof value.keyid === 'string' ? { keyid: value.keyid } : {}),
    ...(typeof value.scope === 'string' ? { scope: value.scope } : {}),
  };
}
