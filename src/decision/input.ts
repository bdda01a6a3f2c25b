// Validates the decision input document (DESIGN §3) before anything reads it.
// The evaluators must survive any JSON; a malformed input is a deny with code INPUT_INVALID.
import type { Reason } from './types.js';

export type JsonObject = Record<string, unknown>;

export const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Own-property read: `__proto__` and friends are data here, never the prototype chain. */
export const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

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
  if (
    !Number.isFinite(now) ||
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number, so this test only narrows the type.
    typeof now !== 'number'
  ) {
    return invalid('input.now must be a finite number');
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
