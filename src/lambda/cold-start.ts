// What a Lambda sets up once per cold start, shared by every request and by every front
// (withAuthorization, the Middy middleware, the Lambda authorizer): the bundle (loading starts at
// once), the token verifier, the clock, the decision log and the event-reading options. A failure
// to load surfaces per request as a 500 (logged once), never as an allow.
import { isAbsolute, resolve } from 'node:path';
import type { KeyMaterial } from '../bundle/signatures/keys.js';
import { loadBundle, type Authorizer, type LoadBundleOptions } from '../runtime/load-bundle.js';
import type { EventOptions } from './event.js';
import { createLogWriter, type DecisionLogOptions, type LogWriter } from './log.js';
import { normaliseBasePath } from './path.js';
import { DEFAULT_MAX_TOKEN_BYTES } from './token.js';
import { checkVerifyOptions, createVerifier, type Verifier, type VerifyOptions } from './verify.js';

export const DEFAULT_BUNDLE = 'dist/bundle.tar.gz';

/** What every front takes: the bundle, how tokens are checked, the clock and the log. */
export interface CoreOptions {
  /**
   * The bundle: its bytes, or a file path. A relative path (and the default `dist/bundle.tar.gz`)
   * is resolved against `LAMBDA_TASK_ROOT` when set (the function's code root, `/var/task`), else
   * against `process.cwd()`. Loaded once per cold start.
   */
  readonly bundle?: string | Uint8Array;
  /** An already-loaded authorizer (or its promise), to share one bundle between handlers; wins over `bundle`. */
  readonly authorizer?: Authorizer | Promise<Authorizer>;
  /** Refuse a bundle whose revision is not exactly this (pin the reviewed artifact). */
  readonly expectedRevision?: string;
  /**
   * Refuse the bundle unless its OPA signature (/.signatures.json) verifies with this key: PEM
   * public key or certificate text/bytes, or the HMAC secret. See docs/bundles.md.
   */
  readonly bundleVerificationKey?: KeyMaterial;
  /** With `bundleVerificationKey`: refuse a signature that names another key id. */
  readonly bundleKeyId?: string;
  /** Epoch milliseconds; `now` of the decision input and jose's current time. Default `Date.now`. */
  readonly clock?: () => number;
  /** Verify the token's signature, expiry, issuer and audience with jose (docs/lambda.md). */
  readonly verify?: VerifyOptions;
  /** Longest Authorization header accepted, in bytes (default 16 KiB); longer → 401. */
  readonly maxTokenBytes?: number;
  /** Decision log settings; `false` turns the log off. */
  readonly log?: DecisionLogOptions | false;
  /**
   * The API mapping key of a custom domain (`v1`, `orders/v1`), when it appears in front of the
   * paths your events carry (see docs/lambda-events.md); it is then removed before matching.
   */
  readonly basePath?: string;
}

export interface ColdStart {
  readonly clock: () => number;
  readonly maxTokenBytes: number;
  readonly eventOptions: EventOptions;
  readonly writeLog: LogWriter | null;
  /** Settles to the loaded bundle, or rejects with why it did not load. */
  readonly loading: Promise<Authorizer>;
  /** null when no `verify` is configured. */
  readonly verifying: Promise<Verifier> | null;
  /** Set once loading succeeded, so requests after the first take the synchronous path. */
  loaded: Authorizer | null;
  verifier: Verifier | null;
  /** Reasons said once per cold start (a bundle that did not load, a missing `verify`). */
  readonly said: Set<string>;
}

export function bundlePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), path);
}

function loadOptions(options: CoreOptions): LoadBundleOptions {
  // loadBundle takes an undefined option as unset.
  return { expectedRevision: options.expectedRevision, verificationKey: options.bundleVerificationKey, keyId: options.bundleKeyId };
}

/** Promises that fail are marked handled here: their failure surfaces per request. */
const handled = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => {});
  return p;
};

/** Starts everything a front needs; throws now (at cold start) on options that can never work. */
export function startColdStart(options: CoreOptions): ColdStart {
  if (options.verify) checkVerifyOptions(options.verify);
  const eventOptions: EventOptions = { basePath: normaliseBasePath(options.basePath) };
  const loading = handled(
    options.authorizer !== undefined
      ? Promise.resolve(options.authorizer)
      : loadBundle(typeof options.bundle === 'object' ? options.bundle : bundlePath(options.bundle ?? DEFAULT_BUNDLE), loadOptions(options)),
  );
  const verifying = options.verify ? handled(createVerifier(options.verify)) : null;
  const cold: ColdStart = {
    clock: options.clock ?? Date.now,
    maxTokenBytes: options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES,
    eventOptions,
    writeLog: createLogWriter(options.log),
    loading,
    verifying,
    loaded: null,
    verifier: null,
    said: new Set(),
  };
  loading.then((a) => (cold.loaded = a), () => {});
  verifying?.then((v) => (cold.verifier = v), () => {});
  return cold;
}

/** True the first time `key` is asked about in this cold start. */
export function firstTime(cold: ColdStart, key: string): boolean {
  if (cold.said.has(key)) return false;
  cold.said.add(key);
  return true;
}
