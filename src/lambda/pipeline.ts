// The one per-request pipeline behind every front (withAuthorization, the Middy middleware, the
// Lambda authorizer): event → request facts → token → decision → a verdict, each a named step
// over one RequestContext. Fronts turn the verdict into their own answer (an HTTP response, an IAM
// policy). Fail closed: every fault (unsupported event, missing or corrupt bundle, evaluation
// error, a bug here) is a `fault` verdict, never an allow; the pipeline never throws or rejects.
import { randomUUID } from 'node:crypto';
import type { Decision, DecisionInput } from '../decision/types.js';
import { RuntimeError } from '../runtime/errors.js';
import type { Authorizer } from '../runtime/load-bundle.js';
import { firstTime, type ColdStart } from './cold-start.js';
import type { EventFacts, EventOptions, RequestFacts } from './event.js';
import type { DecisionLogEntry, WrapperCode } from './log.js';
import { crossCheck, decodeToken, pickToken, TokenError, withTenant, type TokenPayload } from './token.js';
import { KeySetError, type Verifier } from './verify.js';

/** The decision a handler receives on allow: the policy's decision plus what it was made on. */
export interface AuthorizedDecision extends Decision {
  readonly decisionId: string;
  readonly revision: string;
  /** The token payload the decision saw (decoded, cross-checked or verified), or null. */
  readonly token: Readonly<TokenPayload> | null;
}

/** What the pipeline concludes; each front answers it in its own terms. */
export type Verdict =
  | { readonly kind: 'allow'; readonly decision: AuthorizedDecision }
  /** The policy denied: status 401 (a protected route, no token) or 403; `token` as for an allow. */
  | { readonly kind: 'deny'; readonly decision: Decision; readonly decisionId: string; readonly revision: string; readonly token: Readonly<TokenPayload> | null }
  /** The wrapper refused before deciding: 401 for a token a refresh can replace, 403 for an inconsistent event. */
  | { readonly kind: 'refuse'; readonly status: 401 | 403; readonly code: WrapperCode; readonly decisionId: string; readonly revision: string | null }
  /** A fault (500): nothing was decided, or what was decided cannot be trusted. */
  | { readonly kind: 'fault'; readonly code: WrapperCode; readonly decisionId: string };

/** Reads a front's event into request facts (API Gateway proxy events, authorizer events, …). */
export type ReadFacts = (event: unknown, options: EventOptions) => EventFacts;

/** One request's state while it moves through the steps. */
interface RequestContext {
  readonly decisionId: string;
  now: number;
  facts: RequestFacts | null;
  authorizer: Authorizer | null;
  /** The token the decision sees: verified, or decoded and cross-checked against the authorizer's claims. */
  token: TokenPayload | null;
  /** A token arrived that nobody checked (no authorizer claims, no `verify`): it does not count. */
  unverified: TokenError | null;
}

const codeOf = (e: unknown): WrapperCode => (e instanceof RuntimeError || e instanceof KeySetError ? e.code : 'INTERNAL_ERROR');
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function authorizeRequest(cold: ColdStart, event: unknown, read: ReadFacts): Verdict | Promise<Verdict> {
  const ctx: RequestContext = { decisionId: randomUUID(), now: Number.NaN, facts: null, authorizer: null, token: null, unverified: null };
  try {
    ctx.now = readClock(cold);
    const early = readFacts(cold, ctx, event, read);
    if (early !== null) return early;
    const out =
      cold.loaded !== null && (cold.verifying === null || cold.verifier !== null)
        ? decideLoaded(cold, ctx, cold.loaded, cold.verifier)
        : decideWhenLoaded(cold, ctx);
    return out instanceof Promise ? out.catch((e: unknown) => crashed(cold, ctx, e)) : out;
  } catch (e) {
    return crashed(cold, ctx, e);
  }
}

function readClock(cold: ColdStart): number {
  const now = cold.clock();
  // Number.isFinite is false for anything that is not a number (it does not coerce): one test covers both.
  if (!Number.isFinite(now)) throw new TypeError(`clock returned ${String(now)}, not epoch milliseconds`);
  return now;
}

/** Step 1: the event's facts, or why the request cannot go on (unsupported event, no `verify` for a Function URL). */
function readFacts(cold: ColdStart, ctx: RequestContext, event: unknown, read: ReadFacts): Verdict | null {
  const facts = read(event, cold.eventOptions);
  if ('unsupported' in facts) return fault(cold, ctx, 'EVENT_UNSUPPORTED', facts.unsupported);
  ctx.facts = facts;
  if (facts.source === 'function-url' && cold.verifying === null) {
    ctx.authorizer = cold.loaded;
    // Stryker disable next-line StringLiteral: a key of cold.said, only compared with itself; any text distinct from 'BUNDLE' behaves the same.
    const detail = firstTime(cold, 'VERIFY_REQUIRED')
      ? 'a Lambda Function URL event: no JWT authorizer checks its token, so `verify` must be configured; every such request is a 500 until it is'
      : undefined;
    return fault(cold, ctx, 'VERIFY_REQUIRED', detail);
  }
  return null;
}

/** The cold path: the first requests, while the bundle or the verifier is still loading (or failed). */
async function decideWhenLoaded(cold: ColdStart, ctx: RequestContext): Promise<Verdict> {
  let authorizer: Authorizer;
  try {
    authorizer = await cold.loading;
  } catch (e) {
    // Stryker disable next-line StringLiteral: a key of cold.said, only compared with itself; any text distinct from 'VERIFY_REQUIRED' behaves the same.
    const detail = firstTime(cold, 'BUNDLE')
      ? messageOf(e)
      : 'the bundle did not load (reason logged once, at the first request)';
    return fault(cold, ctx, codeOf(e), detail);
  }
  ctx.authorizer = authorizer;
  let verifier: Verifier | null = null;
  if (cold.verifying !== null) {
    try {
      verifier = await cold.verifying;
    } catch (e) {
      return fault(cold, ctx, 'VERIFY_SETUP_FAILED', messageOf(e));
    }
  }
  return decideLoaded(cold, ctx, authorizer, verifier);
}

/** Steps 2–3 once the bundle (and verifier) are ready. Synchronous unless `verify` checks a token. */
function decideLoaded(cold: ColdStart, ctx: RequestContext, authorizer: Authorizer, verifier: Verifier | null): Verdict | Promise<Verdict> {
  ctx.authorizer = authorizer;
  const facts = ctx.facts!;
  if (facts.inconsistent !== null) return refuse(cold, ctx, 403, 'EVENT_INCONSISTENT', facts.inconsistent);
  const token = takeToken(cold, ctx, facts, verifier);
  if (token === null) return decideRequest(cold, ctx);
  if (token instanceof TokenError) return refuse(cold, ctx, 401, token.code, token.message);
  return token.then(
    (t) => (t instanceof TokenError ? refuse(cold, ctx, 401, t.code, t.message) : decideRequest(cold, ctx)),
    (e: unknown) => (e instanceof KeySetError ? fault(cold, ctx, e.code, e.message) : crashed(cold, ctx, e)),
  );
}

/**
 * Step 2: the token the decision will see, into ctx.token (or none). A TokenError refuses the
 * request (401: a refreshed token can cure it); a promise when `verify` checks the signature.
 */
function takeToken(cold: ColdStart, ctx: RequestContext, facts: RequestFacts, verifier: Verifier | null): TokenError | null | Promise<TokenError | null> {
  const picked = pickToken(facts.authorization, cold.maxTokenBytes);
  if (picked === null || picked instanceof TokenError) return picked;
  if (facts.claims === null && verifier === null) {
    // Nobody checked this token: it must not count. A public route still passes without it.
    ctx.unverified = new TokenError('TOKEN_UNVERIFIED', 'a token arrived without authorizer claims to check it against');
    return null;
  }
  const decoded = decodeToken(picked);
  if (decoded instanceof TokenError) return decoded;
  if (facts.claims !== null) {
    const mismatch = crossCheck(decoded.payload, facts.claims);
    if (mismatch) return mismatch;
  }
  if (verifier === null) {
    ctx.token = withTenant(decoded.payload, decoded.version);
    return null;
  }
  return verifier(picked, ctx.now).then(
    (verified) => {
      ctx.token = withTenant(verified, decoded.version);
      return null;
    },
    (e: unknown) => {
      // A key set that cannot be fetched or used is a fault (500): no refreshed token cures it.
      if (e instanceof KeySetError) throw e;
      return new TokenError('TOKEN_SIGNATURE_INVALID', messageOf(e));
    },
  );
}

/** The decision names `routeKey` as the route that decided: the policy has it (a mismatch included). */
const names = (d: Decision, routeKey: string): boolean => d.route === routeKey || d.reasons[0]?.code === 'ROUTE_MISMATCH';

/**
 * decide() for the facts, for their routeKey — or, when the event cannot say whether the API's
 * route was `ANY` (payload 1.0) and the policy does not name `METHOD resource`, for `ANY resource`
 * when the policy names that: the dispatched route must decide, never path matching alone.
 */
function decideFacts(authorizer: Authorizer, ctx: RequestContext, facts: RequestFacts): Decision {
  const request = { method: facts.method, routeKey: facts.routeKey, path: facts.path, pathParameters: facts.pathParameters };
  const first = authorizer.decide({ request, token: ctx.token, now: ctx.now } satisfies DecisionInput);
  if (facts.anyRouteKey === null || facts.routeKey === null || names(first, facts.routeKey)) return first;
  const second = authorizer.decide({ request: { ...request, routeKey: facts.anyRouteKey }, token: ctx.token, now: ctx.now } satisfies DecisionInput);
  if (!names(second, facts.anyRouteKey)) return first;
  ctx.facts = { ...facts, routeKey: facts.anyRouteKey };
  return second;
}

/** Step 3: decide() on the facts and the token; synchronous. */
function decideRequest(cold: ColdStart, ctx: RequestContext): Verdict {
  const { facts, authorizer, token } = ctx as RequestContext & { facts: RequestFacts; authorizer: Authorizer };
  const t0 = performance.now();
  let decision: Decision;
  try {
    decision = decideFacts(authorizer, ctx, facts);
  } catch (e) {
    return fault(cold, ctx, codeOf(e), messageOf(e));
  }
  const evalMicros = Math.round((performance.now() - t0) * 10_000) / 10;
  const { decisionId } = ctx;
  const revision = authorizer.revision;
  if (ctx.unverified !== null && decision.status === 401) {
    // A protected route got a token nobody checked: a wiring fault (no authorizer on the route, no
    // `verify`). A 401 would make the frontend refresh and resend the same kind of token.
    log(cold, ctx, { allow: false, status: 500, decision, codes: [ctx.unverified.code], evalMicros, detail: ctx.unverified.message });
    return { kind: 'fault', code: ctx.unverified.code, decisionId };
  }
  // On a deny, the log says a token arrived that did not count; on an allow (a public route) it did not matter.
  const unverified = decision.allow ? null : ctx.unverified;
  log(cold, ctx, {
    allow: decision.allow,
    status: decision.status,
    decision,
    codes: unverified === null ? [] : [unverified.code],
    evalMicros,
    ...(unverified === null ? {} : { detail: unverified.message }),
  });
  if (!decision.allow) return { kind: 'deny', decision, decisionId, revision, token };
  // Spelled out: V8 (Node 20) takes a slow path for `{ ...obj, more }` (µs, not ns).
  const { allow, status, route, finerRoutes, reasons } = decision;
  const authorized: AuthorizedDecision =
    finerRoutes === undefined
      ? { allow, status, route, reasons, decisionId, revision, token }
      : { allow, status, route, finerRoutes, reasons, decisionId, revision, token };
  return { kind: 'allow', decision: authorized };
}

function refuse(cold: ColdStart, ctx: RequestContext, status: 401 | 403, code: WrapperCode, detail: string): Verdict {
  log(cold, ctx, { allow: false, status, decision: null, codes: [code], evalMicros: null, detail });
  // refuse() runs only from decideLoaded, after it set ctx.authorizer: the `?.` never meets null here.
  // Stryker disable next-line OptionalChaining: equivalent, see above
  return { kind: 'refuse', status, code, decisionId: ctx.decisionId, revision: ctx.authorizer?.revision ?? null };
}

function fault(cold: ColdStart, ctx: RequestContext, code: WrapperCode, detail: string | undefined): Verdict {
  log(cold, ctx, { allow: false, status: 500, decision: null, codes: [code], evalMicros: null, detail });
  return { kind: 'fault', code, decisionId: ctx.decisionId };
}

/** A bug here or a throwing clock: no decision, so no handler. */
function crashed(cold: ColdStart, ctx: RequestContext, e: unknown): Verdict {
  if (!Number.isFinite(ctx.now)) ctx.now = Date.now();
  ctx.facts = null;
  ctx.authorizer = null;
  return fault(cold, ctx, codeOf(e), messageOf(e));
}

// ---- the decision log: one line per request -------------------------------------------------

interface LogFields {
  readonly allow: boolean;
  readonly status: DecisionLogEntry['status'];
  /** The decision, when decide() ran. */
  readonly decision: Decision | null;
  /** The wrapper's own codes, logged before the decision's reason codes. */
  readonly codes: readonly WrapperCode[];
  readonly evalMicros: number | null;
  readonly detail?: string | undefined;
}

let lastNow = Number.NaN;
let lastTime = '';

function log(cold: ColdStart, ctx: RequestContext, f: LogFields): void {
  if (cold.writeLog === null) return;
  // Stryker disable next-line ConditionalExpression: a cache; formatting the same time again gives the same text.
  if (ctx.now !== lastNow) {
    lastNow = ctx.now;
    lastTime = new Date(ctx.now).toISOString();
  }
  const d = f.decision;
  const entry: DecisionLogEntry = {
    decisionId: ctx.decisionId,
    time: lastTime,
    revision: ctx.authorizer?.revision ?? null,
    route: d?.route ?? null,
    ...(d?.finerRoutes === undefined ? {} : { finerRoutes: d.finerRoutes }),
    routeKey: ctx.facts?.routeKey ?? null,
    method: ctx.facts?.method ?? null,
    path: ctx.facts?.path ?? null,
    allow: f.allow,
    status: f.status,
    reasons: d === null ? f.codes : [...f.codes, ...d.reasons.map((r) => r.code)],
    detail: f.detail,
    evalMicros: f.evalMicros,
  };
  // Claims are copied into the line (`log.include`) only from a token a decision was made on. (The
  // token is set only once it counts, and every line after that without a decision is a fault.)
  cold.writeLog(entry, f.decision === null ? null : ctx.token);
}
