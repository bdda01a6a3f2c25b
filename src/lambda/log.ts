// One structured decision-log line per request. The token is redacted: only the claims named in
// `include` are copied, and the raw token never is.

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
  /** The policy route that matched, or null. */
  readonly route: string | null;
  readonly routeKey: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly allow: boolean;
  readonly status: 200 | 401 | 403 | 500;
  /** Reason codes: the decision's, preceded by the wrapper's own (`TOKEN_*`, `BUNDLE_*`, `EVENT_UNSUPPORTED`…). */
  readonly reasons: readonly string[];
  /** Why the wrapper itself refused or failed (never the token). */
  readonly detail?: string;
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
