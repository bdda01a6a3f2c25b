// Validates the decision input document (docs/decision.md) before anything reads it.
// The evaluators must survive any JSON; a malformed input is a deny with code INPUT_INVALID.
import { isObject, own, type JsonObject } from '../util/json.js';
import type { Reason } from './types.js';
import { INPUT_INVALID } from './vocabulary.js';

export { isObject, own, type JsonObject };

/** A claim that is absent or JSON null counts as missing. */
export const isMissing = (x: unknown): x is undefined | null => x === undefined || x === null;

export interface CheckedInput {
  readonly method: string;
  readonly path: string;
  readonly routeKey: string | null;
  readonly pathParameters: JsonObject;
  readonly token: JsonObject | null;
  readonly now: number;
}

const M = INPUT_INVALID.messages;
const invalid = (message: string): Reason => ({ id: INPUT_INVALID.id, code: INPUT_INVALID.code, reason: { message } });

/** Returns the checked input, or the single reason it is refused. Checks run in this fixed order. */
export function checkInput(input: unknown): CheckedInput | Reason {
  if (!isObject(input)) return invalid(M.input);
  const request = own(input, 'request');
  if (!isObject(request)) return invalid(M.request);
  const method = own(request, 'method');
  if (typeof method !== 'string') return invalid(M.method);
  const path = own(request, 'path');
  if (typeof path !== 'string') return invalid(M.path);
  const routeKey = own(request, 'routeKey');
  if (!isMissing(routeKey) && typeof routeKey !== 'string') return invalid(M.routeKey);
  const pathParameters = own(request, 'pathParameters');
  if (!isMissing(pathParameters) && !isObject(pathParameters)) {
    return invalid(M.pathParameters);
  }
  const token = own(input, 'token');
  if (!isMissing(token) && !isObject(token)) return invalid(M.token);
  const now = own(input, 'now');
  // Only raw JSON text such as 1e400 can give a non-finite number; no clock reads that.
  if (
    !Number.isFinite(now) ||
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number, so this test only narrows the type.
    typeof now !== 'number'
  ) {
    return invalid(M.now);
  }
  return {
    method,
    path,
    routeKey: isMissing(routeKey) ? null : routeKey,
    pathParameters: isMissing(pathParameters) ? {} : pathParameters,
    token: isMissing(token) ? null : token,
    now,
  };
}
