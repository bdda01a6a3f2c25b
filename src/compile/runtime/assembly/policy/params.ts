// The path parameters a check reads (pathParam in src/decision/route-select.ts): the dispatched
// route's come from request.pathParameters as API Gateway sent them; a route matched by path (a
// finer route, or the best match without a routeKey hit) reads what its own template captured.
import { TAG_STRING, objectGet, stringLen, stringPtr, valueTag } from "../value";
import { Eval, PARAMS_CAPTURED, PARAMS_GIVEN } from "./state";
import * as F from "./format";
import { routeParam, routeParamCount, str, strLen } from "./table";
import { segmentLen, segmentStart } from "./path";

/** Sets Eval.paramPtr/Len to the current route's parameter `name` (a string id); false when absent. */
export function findParam(name: u32): bool {
  if (Eval.paramMode == PARAMS_GIVEN) {
    if (Eval.pathParameters == 0) return false;
    const v = objectGet(Eval.pathParameters, str(name), strLen(name));
    if (v == 0 || valueTag(v) != TAG_STRING) return false;
    Eval.paramPtr = stringPtr(v);
    Eval.paramLen = stringLen(v);
    return true;
  }
  if (Eval.paramMode == PARAMS_CAPTURED) {
    // Names are interned, so equal names have equal ids; the last one written wins, as in matchTemplate.
    const rec = Eval.route;
    for (let j = <i32>routeParamCount(rec) - 1; j >= 0; j--) {
      const e = routeParam(rec, <u32>j);
      if (load<u32>(e, F.PARAM_ENTRY_NAME) != name) continue;
      const at = load<u32>(e, F.PARAM_ENTRY_SEGMENT);
      const segment = at & ~F.PARAM_GREEDY;
      Eval.paramPtr = segmentStart(segment);
      // `{name+}` captures the rest of the path, slashes included.
      Eval.paramLen = (at & F.PARAM_GREEDY) != 0 ? <u32>(Eval.pathEnd - Eval.paramPtr) : segmentLen(segment);
      return true;
    }
  }
  return false;
}
