// The decision contract (docs/decision.md): what the reference evaluator and the wasm module both return.
import type { JsonValue } from '../policy/ir.js';
import type { ReasonCode } from './vocabulary.js';

export { REASON_CODES, type ReasonCode } from './vocabulary.js';

/** Shaped like SuperTokens' claim-validator reasons: `message` plus expectation and actual value. */
export interface ReasonDetail {
  readonly message: string;
  readonly [key: string]: JsonValue | undefined;
}

export interface Reason {
  /** The token claim key (`st-mfa`, `aud`, …), or `input`, `request.path`, `request`, `token`. */
  readonly id: string;
  readonly code: ReasonCode;
  readonly reason: ReasonDetail;
}

export interface Decision {
  readonly allow: boolean;
  /** 200 allow, 401 protected route without token, 403 every other deny. */
  readonly status: 200 | 401 | 403;
  /** The policy route that decides: the one API Gateway dispatched (routeKey), else the best match by path; null when none. */
  readonly route: string | null;
  /**
   * Present only when the dispatched route (routeKey) has strictly more specific policy routes that
   * match the request too: their keys, most specific first. Their requirements applied as well.
   */
  readonly finerRoutes?: readonly string[];
  readonly reasons: readonly Reason[];
}

/** The input document (docs/decision.md). Typed loosely on purpose: evaluators must survive any JSON. */
export interface DecisionInput {
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly routeKey?: string | null;
    readonly pathParameters?: Readonly<Record<string, string | undefined>> | null;
  };
  readonly token?: Readonly<Record<string, unknown>> | null;
  readonly now: number;
}
