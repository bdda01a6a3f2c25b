// Everything one evaluation reads and writes besides its input and the table: reset by
// resetEval at the start of every decision, never read across decisions. Memory it points to
// (segments, finer routes, reason spans) lives on the ABI heap, which the host resets between
// evaluations. True constants are in format.ts (generated) and beside the code that uses them;
// the table's section addresses, set once at module start, are in table.ts.

/** How the route whose checks run gets its path parameters. */
export const PARAMS_NONE: u32 = 0; // `$default` fallback: no parameters
export const PARAMS_GIVEN: u32 = 1; // routeKey hit: request.pathParameters, as API Gateway sent them
export const PARAMS_CAPTURED: u32 = 2; // matched by path: captured from the request's segments

/** The one evaluation in progress. */
export namespace Eval {
  // The output.
  /** The buffer the decision is appended to. */
  export let out: usize = 0;
  /** Entrypoint `claimguard/allow`: the boolean alone, so reasons are never written. */
  export let allowOnly: bool = false;

  // The request.
  export let token: usize = 0;
  /** Epoch milliseconds. */
  export let now: f64 = 0;
  /** The request method's slot (format.ts METHOD_*), -1 when it is none of the policy's methods. */
  export let method: i32 = -1;
  /** The path's segments (path.ts Segment records) and the address just past the path. */
  export let segments: usize = 0;
  export let segmentCount: u32 = 0;
  export let pathEnd: usize = 0;
  /** request.pathParameters, 0 when absent. */
  export let pathParameters: usize = 0;

  // The routes that apply.
  /** The record of the route the decision names (`route`, the HOLE_ROUTE of templates). */
  export let dispatched: usize = 0;
  /** PARAMS_*: how the dispatched route's checks get their parameters. */
  export let dispatchedParams: u32 = PARAMS_NONE;
  /** Route ids (+ 1) of the finer routes that apply beside a routeKey hit, in rank order. */
  export let finers: usize = 0;
  export let finerCount: u32 = 0;
  export let finerCap: u32 = 0;

  // The route whose checks run.
  export let route: usize = 0;
  /** PARAMS_* */
  export let paramMode: u32 = PARAMS_NONE;
  /** The path parameter the last findParam found (HOLE_PARAM of templates). */
  export let paramPtr: usize = 0;
  export let paramLen: u32 = 0;

  // Reasons (output.ts has the protocol).
  /** The silent pass: failures are counted, nothing is written. */
  export let silent: bool = true;
  /** Reasons counted (silent) or written (loud) so far in this pass. */
  export let reasons: u32 = 0;
  /** Finer routes applied: reasons are remembered so a finer route's duplicates are left out. */
  export let dedup: bool = false;
  /** The loud pass has moved on to the finer routes. */
  export let finerPhase: bool = false;
  /** (offset in out, length) of every reason written while dedup is on. */
  export let spans: usize = 0;
  export let spanCount: u32 = 0;
  export let spanCap: u32 = 0;
}

/** Starts an evaluation that writes to `out`. */
export function resetEval(allowOnly: bool, out: usize): void {
  Eval.out = out;
  Eval.allowOnly = allowOnly;
  Eval.token = 0;
  Eval.now = 0;
  Eval.method = -1;
  Eval.segments = 0;
  Eval.segmentCount = 0;
  Eval.pathEnd = 0;
  Eval.pathParameters = 0;
  Eval.dispatched = 0;
  Eval.dispatchedParams = PARAMS_NONE;
  Eval.finers = 0;
  Eval.finerCount = 0;
  Eval.finerCap = 0;
  Eval.route = 0;
  Eval.paramMode = PARAMS_NONE;
  Eval.paramPtr = 0;
  Eval.paramLen = 0;
  Eval.silent = true;
  Eval.reasons = 0;
  Eval.dedup = false;
  Eval.finerPhase = false;
  Eval.spans = 0;
  Eval.spanCount = 0;
  Eval.spanCap = 0;
}
