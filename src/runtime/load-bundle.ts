// Loads dist/bundle.tar.gz once and answers decisions through the official OPA SDK, exactly as an
// OPA host would. Anything unexpected is a RuntimeError: the caller must treat it as "no decision".
import { readFile } from 'node:fs/promises';
import { BundleError } from '../bundle/errors.js';
import { checkManifest, ENTRYPOINTS, type BundleManifest } from '../bundle/manifest.js';
import { readBundle, type ReadBundleResult } from '../bundle/read.js';
import { revisionOf } from '../bundle/revision.js';
import type { KeyMaterial } from '../bundle/signatures/keys.js';
import type { Decision } from '../decision/types.js';
import { RuntimeError } from './errors.js';
import { loadPolicySync, type LoadedPolicy } from './opa-sdk.js';

export interface Authorizer {
  /** The bundle's revision (SHA-256 of policy.wasm), for decision logs. */
  readonly revision: string;
  readonly manifest: BundleManifest;
  /** Entrypoint `claimguard/decision`. Throws RuntimeError('DECISION_FAILED') rather than guess. */
  decide(input: unknown): Decision;
  /** Entrypoint `claimguard/allow`. */
  allow(input: unknown): boolean;
}

export interface LoadBundleOptions {
  /** Refuse the bundle unless its revision is exactly this (pin what was reviewed). */
  readonly expectedRevision?: string | undefined;
  /**
   * Refuse the bundle unless its /.signatures.json verifies with this key: a PEM public key or
   * certificate (RSA or EC), or the HMAC secret. Unsigned, tampered or wrong-key bundles are
   * refused. Without a key, a signed bundle is refused too (as OPA does), unless `skipVerification`.
   */
  readonly verificationKey?: KeyMaterial | undefined;
  /** With `verificationKey`: refuse a signature that names another key id. */
  readonly keyId?: string | undefined;
  /** With `verificationKey`: the scope the signature must carry (default: none). */
  readonly scope?: string | undefined;
  /** Load a signed bundle without checking its signature (development tools, like `opa eval`). */
  readonly skipVerification?: boolean;
}

async function readSource(source: Uint8Array | string): Promise<Uint8Array> {
  if (typeof source !== 'string') return source;
  try {
    return await readFile(source);
  } catch (cause) {
    throw new RuntimeError('BUNDLE_NOT_FOUND', `cannot read bundle ${source}`, { cause });
  }
}

const isDecision = (x: unknown): x is Decision => {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Record<string, unknown>;
  return (
    typeof d.allow === 'boolean' &&
    (d.status === 200 || d.status === 401 || d.status === 403) &&
    (d.allow === (d.status === 200)) &&
    (typeof d.route === 'string' || d.route === null) &&
    Array.isArray(d.reasons) &&
    (d.allow === (d.reasons.length === 0))
  );
};

/** A BundleError as the runtime's error, with the same code (BUNDLE_MALFORMED is BUNDLE_CORRUPT). */
function asRuntimeError(cause: unknown): unknown {
  if (!(cause instanceof BundleError)) return cause;
  if (cause.code === 'BUNDLE_MALFORMED') return new RuntimeError('BUNDLE_CORRUPT', `bundle is not a readable claimguard bundle: ${cause.message}`, { cause });
  return new RuntimeError(cause.code, cause.message, { cause });
}

async function checkSignature(files: ReadBundleResult, options: LoadBundleOptions): Promise<void> {
  if (options.verificationKey === undefined) {
    if (options.keyId !== undefined || options.scope !== undefined) throw new TypeError('loadBundle: `keyId` and `scope` need a `verificationKey`');
    if (files.signatures !== null && options.skipVerification !== true) {
      throw new RuntimeError(
        'BUNDLE_SIGNATURE_UNEXPECTED',
        'the bundle is signed (/.signatures.json) but no verification key is configured: set the verification key to check it',
      );
    }
    return;
  }
  if (options.skipVerification === true) throw new TypeError('loadBundle: `skipVerification` contradicts `verificationKey`');
  // Imported here: jose is loaded only by deployments that verify signatures.
  const { verifyBundleSignature } = await import('../bundle/signatures/verify.js');
  await verifyBundleSignature(files, { key: options.verificationKey, keyId: options.keyId, scope: options.scope });
}

export async function loadBundle(source: Uint8Array | string, options: LoadBundleOptions = {}): Promise<Authorizer> {
  const bytes = await readSource(source);
  let files: ReadBundleResult;
  let manifest: BundleManifest;
  try {
    files = readBundle(bytes);
    // The signature first: nothing else in the bundle is trusted before it verifies.
    await checkSignature(files, options);
    manifest = checkManifest(files.manifest);
  } catch (cause) {
    throw asRuntimeError(cause);
  }
  const revision = revisionOf(files.wasm);
  if (manifest.revision !== revision) {
    throw new RuntimeError(
      'BUNDLE_REVISION_MISMATCH',
      `bundle manifest revision ${manifest.revision} does not match policy.wasm (${revision}): the bundle was altered`,
    );
  }
  if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
    throw new RuntimeError('BUNDLE_REVISION_MISMATCH', `bundle revision ${revision} is not the expected ${options.expectedRevision}`);
  }
  let policy: LoadedPolicy;
  try {
    // loadPolicySync, not loadPolicy: the async loader touches globalThis.Response and pulls in
    // Node's fetch (~30 ms of cold start).
    policy = loadPolicySync(files.wasm);
  } catch (cause) {
    throw new RuntimeError('WASM_LOAD_FAILED', `policy.wasm does not load: ${String(cause)}`, { cause });
  }
  const ids = policy.entrypoints as Record<string, number>;
  if (ENTRYPOINTS.some((ep, i) => ids[ep] !== i) || Object.keys(ids).length !== ENTRYPOINTS.length) {
    throw new RuntimeError('BUNDLE_ENTRYPOINT_MISMATCH', `policy.wasm entrypoints ${JSON.stringify(ids)} are not claimguard's`);
  }

  const evaluate = (input: unknown, entrypoint: number): unknown => {
    let results: unknown;
    try {
      results = policy.evaluate(input, entrypoint);
    } catch (cause) {
      throw new RuntimeError('DECISION_FAILED', `policy evaluation failed: ${String(cause)}`, { cause });
    }
    if (!Array.isArray(results) || results.length !== 1) {
      throw new RuntimeError('DECISION_FAILED', 'policy returned no result (undefined decision)');
    }
    return (results[0] as { result?: unknown }).result;
  };

  return {
    revision,
    manifest,
    decide(input) {
      const result = evaluate(input, 0);
      if (!isDecision(result)) throw new RuntimeError('DECISION_FAILED', 'policy returned a malformed decision');
      return result;
    },
    allow(input) {
      const result = evaluate(input, 1);
      if (typeof result !== 'boolean') throw new RuntimeError('DECISION_FAILED', 'policy returned a non-boolean allow');
      return result;
    },
  };
}
