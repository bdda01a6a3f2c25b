// Validates the decision input document (docs/decision.md) before anything reads it.
// The evaluators must survive any JSON; a malformed input is a deny with code INPUT_INVALID.
import type { Reason } from './types.js';

import { isObject, own, type JsonObject } from '../util/json.js';

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

const invalid = (message: string): Reason => ({ id: 'input', code: 'INPUT_INVALID', reason: { message } });

/** Returns the checked input, or the single reason it is refused. Checks run in this fixed order. */
export function checkInput(input: unknown): CheckedInput | Reason {
  if (!isObject(input)) return invalid('input must be an object');
  const request = own(input, 'request');
  if (!isObject(request)) return invalid('input.request must be an object');
  const method = own(request, 'method');
  if (typeof method !== 'string') return invalid('input.request.method must be a string');
  const path = own(request, 'path');
  if (typeof path !== 'string') return invalid('input.request.path must be a string');
  const routeKey = own(request, 'routeKey');
  if (!isMissing(routeKey) && typeof routeKey !== 'string') return invalid('input.request.routeKey must be a string');
  const pathParameters = own(request, 'pathParameters');
  if (!isMissing(pathParameters) && !isObject(pathParameters)) {
    return invalid('input.request.pathParameters must be an object');
  }
  const token = own(input, 'token');
  if (!isMissing(token) && !isObject(token)) return invalid('input.token must be an object or null');
  const now = own(input, 'now');
  // Only raw JSON text such as 1e400 can give a non-finite number; no clock reads that.
  if (typeof now !== 'number' || !Number.isFinite(now)) return invalid('input.now must be a finite number');
  return {
    method,
    path,
    routeKey: isMissing(routeKey) ? null : routeKey,
    pathParameters: isMissing(pathParameters) ? {} : pathParameters,
    token: isMissing(token) ? null : token,
    now,
  };
}
