// The decision (src/decision/evaluate.ts) over the policy table that src/compile/encode wrote: the
// input checks in the reference's order, the path's canonical form, route selection, then the
// checks of every applying route with the reference's reasons. No managed allocations: table
// memory, the runtime's values, and buffers on the ABI heap (which the host resets before every
// evaluation). The files beside this one each do one part:
//   state.ts   the evaluation's state        table.ts   reading the table (format.ts: its layout)
//   path.ts    the path and its segments     route.ts   which routes apply
//   params.ts  path parameters               checks.ts  the requirement checks
//   output.ts  writing decisions and reasons hash.ts    the indexes' hashes
import { DEBUG } from "../debug";
import { ENTRYPOINT_ALLOW } from "../entrypoints";
import { bufAscii, bufLen, bufSetLen } from "../buf";
import { TAG_NUMBER, TAG_OBJECT, TAG_STRING, numberF64, stringLen, stringPtr, valueTag } from "../value";
import { Eval, PARAMS_CAPTURED, resetEval } from "./state";
import * as F from "./format";
import { constId, isPublic, routeProgram } from "./table";
import { splitPath } from "./path";
import { MISMATCH, NO_ROUTE, finerRecord, methodSlot, selectRoute } from "./route";
import { COUNT, member, present, runProgram } from "./checks";
import { emitConst, head } from "./output";

export { policyInit } from "./table";

/** Input member by a single-string constant (C_K_*); 0 when absent. */
// @ts-ignore: decorator
@inline function field(obj: usize, k: u32): usize {
  return member(obj, constId(k));
}
/** Like field, with JSON null read as absent (`isMissing`). */
// @ts-ignore: decorator
@inline function presentField(obj: usize, k: u32): usize {
  return present(obj, constId(k));
}

/** A decision fixed in the table (an input refusal, a route problem): always a deny. */
function fixed(k: u32): bool {
  emitConst(k);
  return false;
}

function allow(): bool {
  head(F.C_HEAD_ALLOW);
  emitConst(F.C_TAIL_ALLOW);
  return true;
}

/** Runs a protected route's checks on its own parameters; true when one reports a reason. */
function runRoute(rec: usize, params: u32): bool {
  if (isPublic(rec)) return false;
  Eval.route = rec;
  Eval.paramMode = params;
  return (runProgram(routeProgram(rec)) & COUNT) != 0;
}

/** Writes the decision for `input` (a value address, 0 when there is none); true when it allows. */
function decide(input: usize): bool {
  // checkInput, in its order
  if (input == 0 || valueTag(input) != TAG_OBJECT) return fixed(F.C_INPUT_NOT_OBJECT);
  const request = field(input, F.C_K_REQUEST);
  if (request == 0 || valueTag(request) != TAG_OBJECT) return fixed(F.C_REQUEST_NOT_OBJECT);
  const method = field(request, F.C_K_METHOD);
  if (method == 0 || valueTag(method) != TAG_STRING) return fixed(F.C_METHOD_NOT_STRING);
  const path = field(request, F.C_K_PATH);
  if (path == 0 || valueTag(path) != TAG_STRING) return fixed(F.C_PATH_NOT_STRING);
  const routeKey = presentField(request, F.C_K_ROUTE_KEY);
  if (routeKey != 0 && valueTag(routeKey) != TAG_STRING) return fixed(F.C_ROUTE_KEY_NOT_STRING);
  const pathParams = presentField(request, F.C_K_PATH_PARAMETERS);
  if (pathParams != 0 && valueTag(pathParams) != TAG_OBJECT) return fixed(F.C_PATH_PARAMETERS_NOT_OBJECT);
  const token = presentField(input, F.C_K_TOKEN);
  if (token != 0 && valueTag(token) != TAG_OBJECT) return fixed(F.C_TOKEN_NOT_OBJECT);
  const now = field(input, F.C_K_NOW);
  if (now == 0 || valueTag(now) != TAG_NUMBER || !isFinite(numberF64(now))) return fixed(F.C_NOW_NOT_NUMBER);

  if (!splitPath(stringPtr(path), stringLen(path))) return fixed(F.C_PATH_REJECTED);

  Eval.method = methodSlot(stringPtr(method), stringLen(method));
  Eval.pathParameters = pathParams;
  const selected = selectRoute(routeKey);
  if (selected == MISMATCH) return fixed(F.C_ROUTE_MISMATCH);
  if (selected == NO_ROUTE) return fixed(F.C_ROUTE_NOT_IN_POLICY);

  // Public routes need no token; any protected applying route needs one and its checks to pass.
  let anyProtected = !isPublic(Eval.dispatched);
  for (let i: u32 = 0; i < Eval.finerCount && !anyProtected; i++) anyProtected = !isPublic(finerRecord(i));
  if (!anyProtected) return allow();
  if (token == 0) {
    head(F.C_HEAD_UNAUTHORIZED);
    emitConst(F.C_TAIL_TOKEN_MISSING);
    return false;
  }
  Eval.token = token;
  Eval.now = numberF64(now);

  // Silently first (output.ts): the reference allows exactly when no applying route reports a reason.
  Eval.silent = true;
  Eval.reasons = 0;
  let denied = runRoute(Eval.dispatched, Eval.dispatchedParams);
  for (let i: u32 = 0; i < Eval.finerCount && !denied; i++) denied = runRoute(finerRecord(i), PARAMS_CAPTURED);
  if (!denied) return allow();
  if (Eval.allowOnly) return false;

  // Loudly: every reason, the finer routes' only where not already listed.
  head(F.C_HEAD_DENY);
  emitConst(F.C_REASONS_HEAD);
  Eval.silent = false;
  Eval.reasons = 0;
  Eval.dedup = Eval.finerCount != 0;
  runRoute(Eval.dispatched, Eval.dispatchedParams);
  Eval.finerPhase = true;
  for (let i: u32 = 0; i < Eval.finerCount; i++) runRoute(finerRecord(i), PARAMS_CAPTURED);
  if (DEBUG) assert(Eval.reasons != 0, "decide: the silent pass denied, the loud pass wrote no reason");
  emitConst(F.C_DECISION_TAIL);
  return false;
}

/**
 * Appends the result of `entrypoint` for `input` (a value address, 0 when the input is undefined)
 * to the buffer `out`: `claimguard/decision` → the decision object, `claimguard/allow` → a boolean.
 */
export function policyEval(entrypoint: u32, input: usize, out: usize): void {
  resetEval(entrypoint == ENTRYPOINT_ALLOW, out);
  if (!Eval.allowOnly) {
    decide(input);
    return;
  }
  // The boolean alone: fixed decisions are written and taken back; reasons are never written.
  const start = bufLen(out);
  const allow = decide(input);
  bufSetLen(out, start);
  bufAscii(out, allow ? "true" : "false");
}
