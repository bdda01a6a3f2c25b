// The request path shared by `withAuthorization` and the middy middleware:
// event → facts → token → decision input → decide() → allow, or the answer to send instead.
// Fail closed: every fault (unsupported event, missing or corrupt bundle, evaluation error, a bug
// here) ends in 500 and never in an allow.
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { Decision, DecisionInput } from '../decision/types.js';
import type { KeyMaterial } from '../bundle/signatures/keys.js';
import { RuntimeError } from '../runtime/errors.js';
import { loadBundle, type Authorizer, type LoadBundleOptions } from '../runtime/load-bundle.js';
import { readEvent, type EventOptions, type RequestFacts } from './event.js';
import { createLogWriter, type DecisionLogEntry, type DecisionLogOptions, type WrapperCode } from './log.js';
import { normaliseBasePath } from './path.js';
import { denyResponse, forbidden, internalError, unauthorised, type ClaimguardResponse } from './response.js';
import {
  crossCheck,
  decodeToken,
  DEFAULT_MAX_TOKEN_BYTES,
  pickToken,
  TokenError,
  withTenant,
  type TokenPayload,
} from './token.js';
import { checkVerifyOptions, createVerifier, type Verifier, type VerifyOptions } from './verify.js';

export const DEFAULT_BUNDLE = 'dist/bundle.tar.gz';

export interface AuthorizationOptions {
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
  /**
   * Also verify the token's signature, expiry, issuer and audience with jose. Required for Lambda
   * Function URL events, which no JWT authorizer checked: without it they are answered 500.
   */
  readonly verify?: VerifyOptions;
  /**
   * The API mapping key of a custom domain (`v1`, `orders/v1`), when it appears in front of the
   * paths your events carry (see docs/lambda-events.md); it is then removed before matching.
   */
  readonly basePath?: string;
  /** Longest Authorization header accepted, in bytes (default 16 KiB); longer → 401. */
  readonly maxTokenBytes?: number;
  /** Decision log settings; `false` turns the log off. */
  readonly log?: DecisionLogOptions | false;
}

/** The decision the handler receives: the policy's decision plus what it was made on. */
export interface AuthorizedDecision extends Decision {
  readonly decisionId: string;
  readonly revision: string;
  /** The token payload the decision saw (decoded, cross-checked), or null. */
  readonly token: Readonly<TokenPayload> | null;
}

export type AuthorizationOutcome =
  | { readonly allow: true; readonly decision: AuthorizedDecision }
  | { readonly allow: false; readonly response: ClaimguardResponse };

/** Synchronous once the bundle is loaded (unless `verify` checks a token); a promise otherwise. Never throws or rejects. */
export type Authorize = (event: unknown) => AuthorizationOutcome | Promise<AuthorizationOutcome>;

export function bundlePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), path);
}

const codeOf = (e: unknown): WrapperCode => (e instanceof RuntimeError ? e.code : 'INTERNAL_ERROR');

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function loadOptions(options: AuthorizationOptions): LoadBundleOptions {
  return {
    ...(options.expectedRevision === undefined ? {} : { expectedRevision: options.expectedRevision }),
    ...(options.bundleVerificationKey === undefined ? {} : { verificationKey: options.bundleVerificationKey }),
    ...(options.bundleKeyId === undefined ? {} : { keyId: options.bundleKeyId }),
  };
}

/** Starts loading now (cold start) and marks the promise handled: a failure surfaces per request, as 500. */
function startLoading(options: AuthorizationOptions): Promise<Authorizer> {
  const p =
    options.authorizer !== undefined
      ? Promise.resolve(options.authorizer)
      : loadBundle(typeof options.bundle === 'object' ? options.bundle : bundlePath(options.bundle ?? DEFAULT_BUNDLE), loadOptions(options));
  p.catch(() => {});
  return p;
}

export function createAuthorize(options: AuthorizationOptions = {}): Authorize {
  const loading = startLoading(options);
  if (options.verify) checkVerifyOptions(options.verify); // a wiring mistake: throw now, at cold start
  const verifying: Promise<Verifier> | null = options.verify ? createVerifier(options.verify) : null;
  verifying?.catch(() => {});
  const clock = options.clock ?? Date.now;
  const maxTokenBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  const eventOptions: EventOptions = { basePath: normaliseBasePath(options.basePath) }; // throws now on a malformed one
  /** Said once per cold start: every Function URL request is a 500 until `verify` is configured. */
  let verifyRequiredSaid = false;
  const writeLog = createLogWriter(options.log);
  let lastNow = Number.NaN;
  let lastTime = '';

  const log = (
    decisionId: string,
    now: number,
    facts: RequestFacts | null,
    revision: string | null,
    result: Pick<DecisionLogEntry, 'allow' | 'status' | 'route' | 'reasons'> & { readonly finerRoutes?: readonly string[] | undefined },
    evalMicros: number | null,
    token: TokenPayload | null,
    detail?: string,
  ): void => {
    if (writeLog === null) return;
    if (now !== lastNow) {
      lastNow = now;
      lastTime = new Date(now).toISOString();
    }
    const entry: DecisionLogEntry = {
      decisionId,
      time: lastTime,
      revision,
      route: result.route,
      ...(result.finerRoutes === undefined ? {} : { finerRoutes: result.finerRoutes }),
      routeKey: facts?.routeKey ?? null,
      method: facts?.method ?? null,
      path: facts?.path ?? null,
      allow: result.allow,
      status: result.status,
      reasons: result.reasons,
      ...(detail === undefined ? {} : { detail }),
      evalMicros,
    };
    writeLog(entry, token);
  };

  const fail = (
    decisionId: string,
    now: number,
    facts: RequestFacts | null,
    revision: string | null,
    code: WrapperCode,
    detail: string | undefined,
  ): AuthorizationOutcome => {
    log(decisionId, now, facts, revision, { allow: false, status: 500, route: null, reasons: [code] }, null, null, detail);
    return { allow: false, response: internalError() };
  };

  const refuse = (
    decisionId: string,
    now: number,
    facts: RequestFacts,
    revision: string,
    err: TokenError,
  ): AuthorizationOutcome => {
    log(decisionId, now, facts, revision, { allow: false, status: 401, route: null, reasons: [err.code] }, null, null, err.message);
    return { allow: false, response: unauthorised() };
  };

  /** One request's state while it is decided. */
  interface Pending {
    readonly decisionId: string;
    readonly now: number;
    readonly facts: RequestFacts;
    readonly authorizer: Authorizer;
    token: TokenPayload | null;
    unverified: TokenError | null;
  }

  /** decide() and the answer; synchronous. */
  const finish = (r: Pending): AuthorizationOutcome => {
    const { decisionId, now, facts, authorizer, token } = r;
    const revision = authorizer.revision;
    const input: DecisionInput = {
      request: { method: facts.method, routeKey: facts.routeKey, path: facts.path, pathParameters: facts.pathParameters },
      token,
      now,
    };
    const t0 = performance.now();
    let decision: Decision;
    try {
      decision = authorizer.decide(input);
    } catch (e) {
      return fail(decisionId, now, facts, revision, codeOf(e), messageOf(e));
    }
    const evalMicros = Math.round((performance.now() - t0) * 10_000) / 10;
    const codes: DecisionLogEntry['reasons'][number][] = decision.reasons.map((x) => x.code);
    if (r.unverified !== null && !decision.allow) {
      codes.unshift(r.unverified.code);
      if (decision.status === 401) {
        // A protected route got a token nobody checked: a wiring fault (no authorizer on the route,
        // no `verify`). A 401 would make the frontend refresh and resend the same kind of token.
        log(decisionId, now, facts, revision, { allow: false, status: 500, route: decision.route, finerRoutes: decision.finerRoutes, reasons: codes }, evalMicros, null, r.unverified.message);
        return { allow: false, response: internalError() };
      }
      log(decisionId, now, facts, revision, { allow: false, status: decision.status, route: decision.route, finerRoutes: decision.finerRoutes, reasons: codes }, evalMicros, null, r.unverified.message);
      return { allow: false, response: denyResponse(decision) };
    }
    log(decisionId, now, facts, revision, { allow: decision.allow, status: decision.status, route: decision.route, finerRoutes: decision.finerRoutes, reasons: codes }, evalMicros, token);
    if (!decision.allow) return { allow: false, response: denyResponse(decision) };
    // Spelled out: V8 (Node 20) takes a slow path for `{ ...obj, more }` (µs, not ns).
    const { allow, status, route, finerRoutes, reasons } = decision;
    const authorized: AuthorizedDecision =
      finerRoutes === undefined
        ? { allow, status, route, reasons, decisionId, revision, token }
        : { allow, status, route, finerRoutes, reasons, decisionId, revision, token };
    return { allow: true, decision: authorized };
  };

  /** Everything after the bundle (and verifier) are loaded. Synchronous unless `verify` checks a token. */
  const decideLoaded = (
    decisionId: string,
    now: number,
    facts: RequestFacts,
    authorizer: Authorizer,
    verifier: Verifier | null,
  ): AuthorizationOutcome | Promise<AuthorizationOutcome> => {
    const revision = authorizer.revision;
    if (facts.inconsistent !== null) {
      log(decisionId, now, facts, revision, { allow: false, status: 403, route: null, reasons: ['EVENT_INCONSISTENT'] }, null, null, facts.inconsistent);
      return { allow: false, response: forbidden() };
    }
    const r: Pending = { decisionId, now, facts, authorizer, token: null, unverified: null };
    const picked = pickToken(facts.authorization, maxTokenBytes);
    if (picked instanceof TokenError) return refuse(decisionId, now, facts, revision, picked);
    if (picked === null) return finish(r);
    if (facts.claims === null && verifier === null) {
      // Nobody checked this token: it must not count. A public route still passes without it.
      r.unverified = new TokenError('TOKEN_UNVERIFIED', 'a token arrived without authorizer claims to check it against');
      return finish(r);
    }
    const decoded = decodeToken(picked);
    if (decoded instanceof TokenError) return refuse(decisionId, now, facts, revision, decoded);
    if (facts.claims !== null) {
      const mismatch = crossCheck(decoded.payload, facts.claims);
      if (mismatch) return refuse(decisionId, now, facts, revision, mismatch);
    }
    if (verifier === null) {
      r.token = withTenant(decoded.payload, decoded.version);
      return finish(r);
    }
    return verifier(picked, now).then(
      (verified) => {
        r.token = withTenant(verified, decoded.version);
        return finish(r);
      },
      (e: unknown) => refuse(decisionId, now, facts, revision, new TokenError('TOKEN_SIGNATURE_INVALID', messageOf(e))),
    );
  };

  // Once loaded, requests take the synchronous path (no await on the load promise).
  let loaded: Authorizer | null = null;
  let verifier: Verifier | null = null;
  loading.then((a) => (loaded = a), () => {});
  verifying?.then((v) => (verifier = v), () => {});

  // A bundle that does not load fails every request; why is logged once, with the first of them.
  let loadFailureLogged = false;

  /** Cold path: the first requests, while the bundle or the verifier is still loading (or failed). */
  const decideWhenLoaded = async (decisionId: string, now: number, facts: RequestFacts): Promise<AuthorizationOutcome> => {
    let authorizer: Authorizer;
    try {
      authorizer = await loading;
    } catch (e) {
      const detail = loadFailureLogged ? 'the bundle did not load (reason logged once, at the first request)' : messageOf(e);
      loadFailureLogged = true;
      return fail(decisionId, now, facts, null, codeOf(e), detail);
    }
    let v: Verifier | null = null;
    if (verifying !== null) {
      try {
        v = await verifying;
      } catch (e) {
        return fail(decisionId, now, facts, authorizer.revision, 'VERIFY_SETUP_FAILED', messageOf(e));
      }
    }
    return decideLoaded(decisionId, now, facts, authorizer, v);
  };

  const crashed = (decisionId: string, now: number, e: unknown): AuthorizationOutcome =>
    // A bug here or a throwing clock: no decision, so no handler.
    fail(decisionId, Number.isFinite(now) ? now : Date.now(), null, null, codeOf(e), messageOf(e));

  return (event) => {
    const decisionId = randomUUID();
    let now = Number.NaN;
    try {
      now = clock();
      if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError(`clock returned ${String(now)}, not epoch milliseconds`);
      const facts = readEvent(event, eventOptions);
      if ('unsupported' in facts) return fail(decisionId, now, null, null, 'EVENT_UNSUPPORTED', facts.unsupported);
      if (facts.source === 'function-url' && verifying === null) {
        const detail = verifyRequiredSaid
          ? undefined
          : 'a Lambda Function URL event: no JWT authorizer checks its token, so `verify` must be configured; every such request is a 500 until it is';
        verifyRequiredSaid = true;
        return fail(decisionId, now, facts, loaded?.revision ?? null, 'VERIFY_REQUIRED', detail);
      }
      const outcome =
        loaded !== null && (verifying === null || verifier !== null)
          ? decideLoaded(decisionId, now, facts, loaded, verifier)
          : decideWhenLoaded(decisionId, now, facts);
      return outcome instanceof Promise ? outcome.catch((e: unknown) => crashed(decisionId, now, e)) : outcome;
    } catch (e) {
      return crashed(decisionId, now, e);
    }
  };
}
