// One structured decision-log line per request. The token is redacted: only the claims named in
// `include` are copied, and the raw token never is.
import type { ReasonCode } from '../decision/types.js';
import type { RuntimeErrorCode } from '../runtime/errors.js';
import type { TokenErrorCode } from './token.js';
import type { KeySetErrorCode } from './verify.js';

/** The codes the wrapper logs itself, beside the decision's reason codes. A closed set: switch on them. */
export type WrapperCode =
  | TokenErrorCode
  | RuntimeErrorCode // the bundle did not load, or decide() failed: 500
  | KeySetErrorCode // `verify`'s JWKS could not be fetched or used: 500
  | 'EVENT_UNSUPPORTED' // not an event shape the wrapper reads: 500
  | 'EVENT_INCONSISTENT' // a payload 1.0 event whose parameters cannot be what API Gateway matched: 403
  | 'VERIFY_REQUIRED' // a Function URL event (no JWT authorizer in front) and no `verify`: 500
  | 'VERIFY_SETUP_FAILED' // the `verify` key set could not be created: 500
  | 'INTERNAL_ERROR'; // anything else that threw (a bug, a throwing clock): 500

export interface DecisionLogOptions {
  /** Token claims copied into each line (e.g. `["sub", "tId"]`). Default: none. */
  readonly include?: readonly string[];
  /** Where lines go (one JSON document per call, no newline). Default: a line on stdout. */
  readonly sink?: (line: string) => void;
}

export interface DecisionLogEntry {
  readonly decisionId: string;
  /** ISO 8601, from the injected clock. */
  readonly time: string;
  /** The bundle's revision, or null when it did not load. */
  readonly revision: string | null;
  /** The policy route that decided (the dispatched one when the policy names it), or null. */
  readonly route: string | null;
  /** Finer policy routes whose requirements applied as well (only when there were any). */
  readonly finerRoutes?: readonly string[];
  readonly routeKey: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly allow: boolean;
  readonly status: 200 | 401 | 403 | 500;
  /** Reason codes: the decision's, preceded by the wrapper's own (`TOKEN_*`, `BUNDLE_*`, `EVENT_UNSUPPORTED`…). */
  readonly reasons: readonly (WrapperCode | ReasonCode)[];
  /** Why the wrapper itself refused or failed (never the token); absent when there is none. */
  readonly detail?: string | undefined;
  /** Microseconds spent in `decide()`; null when it did not run. */
  readonly evalMicros: number | null;
  readonly claims?: Readonly<Record<string, unknown>>;
}

export type LogWriter = (entry: DecisionLogEntry, token: Readonly<Record<string, unknown>> | null) => void;

const stdoutSink = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function createLogWriter(options: DecisionLogOptions | false | undefined): LogWriter | null {
  if (options === false) return null;
  const sink = options?.sink ?? stdoutSink;
  const include = options?.include ?? [];
  return (entry, token) => {
    try {
      let text = JSON.stringify(entry);
      if (include.length > 0 && token !== null) {
        const claims: Record<string, unknown> = {};
        for (const name of include) if (Object.hasOwn(token, name)) claims[name] = token[name];
        // Appended to the serialized entry (an object spread would cost more than the whole line).
        text = `${text.slice(0, -1)},"claims":${JSON.stringify(claims)}}`;
      }
      sink(text);
    } catch {
      // A broken log sink must not turn a decision into a crash; the decision stands.
    }
  };
}
