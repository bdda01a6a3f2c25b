// Reasons and decisions precomputed as JSON text at compile time. A reason becomes a template:
// interned fragments around holes for what is only known per request (the claim seen, a computed
// age, a path parameter, the route key)
//   {"id":…   ,"code":…,"reason":{"message":   "…"   ,"expectedToInclude":[…]   ,"actualValue":  <hole>   }}
// so that equal fragments are stored once across checks and routes, and the module copies the
// fragments and writes only the holes. The concatenation is exactly JSON.stringify's text of the
// reference's reason object (the rows in test/compile/decide.table.test.ts compare text). The
// reasons of each requirement kind are in checks.ts; the fixed decisions are here.
import type { JsonValue } from '../../policy/ir.js';
import { CLAIM_INVALID, INPUT_INVALID, MESSAGES, REQUEST_REASONS, type ReasonCode } from '../../decision/vocabulary.js';
import type { DecisionConst } from './format.js';

/** What the module writes into a hole. */
export type Hole =
  | { readonly hole: 'value' } // the claim (or part of it) as seen in the input, as JSON
  | { readonly hole: 'number' } // a computed age, JSON number (non-finite → null)
  | { readonly hole: 'param' } // the path parameter's value, as a JSON string
  | { readonly hole: 'route' }; // the matched route key, as a JSON string

export const VALUE: Hole = { hole: 'value' };
export const NUMBER: Hole = { hole: 'number' };
export const PARAM: Hole = { hole: 'param' };
export const ROUTE: Hole = { hole: 'route' };

const HOLES: ReadonlySet<unknown> = new Set([VALUE, NUMBER, PARAM, ROUTE]);
/** By identity: a policy value shaped like `{ hole: 'value' }` is data, not a hole. */
export const isHole = (x: unknown): x is Hole => HOLES.has(x);

export type Piece = string | Hole;
export type Template = readonly Piece[];

const J = (x: unknown): string => JSON.stringify(x);

/** `{ id, code, reason: { message, ...props } }` as fragments; a hole value leaves `,"key":` before it. */
export function reason(
  id: string,
  code: ReasonCode,
  message: string,
  props: readonly (readonly [string, JsonValue | Hole])[] = [],
): Piece[] {
  // Split where sharing pays: ids, code heads and messages each recur across many reasons.
  const out: Piece[] = [`{"id":${J(id)}`, `,"code":${J(code)},"reason":{"message":`, J(message)];
  for (const [k, v] of props) {
    if (isHole(v)) out.push(`,${J(k)}:`, v);
    else out.push(`,${J(k)}:${J(v)}`);
  }
  out.push('}}');
  return out;
}

/** The reference's `wrongType`; `withActual: false` is its `t === null ? undefined : t` branch. */
export const wrongType = (id: string, expectedType: string, withActual = true): Piece[] =>
  reason(
    id,
    CLAIM_INVALID,
    MESSAGES.wrongType,
    withActual ? [['expectedType', expectedType], ['actualValue', VALUE]] : [['expectedType', expectedType]],
  );

/** A reason given before any requirement runs (evaluate.ts). */
const requestReason = (r: (typeof REQUEST_REASONS)[keyof typeof REQUEST_REASONS]): Piece[] => reason(r.id, r.code, r.message);

// Whole decisions (evaluate.ts). `reasons` stays open after REASONS_HEAD: the module appends the
// failed checks' reasons, comma-separated, then DECISION_TAIL.
const DENY_NO_ROUTE = '{"allow":false,"status":403,"route":null,"reasons":[';
const TAIL = ']}';
const fixedDeny = (r: Piece[]): Piece[] => [DENY_NO_ROUTE, ...r, TAIL];
const invalid = (message: string): Piece[] => fixedDeny(reason(INPUT_INVALID.id, INPUT_INVALID.code, message));
const M = INPUT_INVALID.messages;

/** Templates of the table's fixed decisions (format.ts DECISION_CONSTS). */
export const DECISION_TEMPLATES: Readonly<Record<DecisionConst, Template>> = {
  INPUT_NOT_OBJECT: invalid(M.input),
  REQUEST_NOT_OBJECT: invalid(M.request),
  METHOD_NOT_STRING: invalid(M.method),
  PATH_NOT_STRING: invalid(M.path),
  ROUTE_KEY_NOT_STRING: invalid(M.routeKey),
  PATH_PARAMETERS_NOT_OBJECT: invalid(M.pathParameters),
  TOKEN_NOT_OBJECT: invalid(M.token),
  NOW_NOT_NUMBER: invalid(M.now),
  PATH_REJECTED: fixedDeny(requestReason(REQUEST_REASONS.pathRejected)),
  ROUTE_NOT_IN_POLICY: fixedDeny(requestReason(REQUEST_REASONS.routeNotInPolicy)),
  ROUTE_MISMATCH: fixedDeny(requestReason(REQUEST_REASONS.routeMismatch)),
  // A decision with a route: head, then (only when finer routes applied) `,"finerRoutes":[…]`
  // written by the module, then a tail.
  HEAD_ALLOW: ['{"allow":true,"status":200,"route":', ROUTE],
  HEAD_DENY: ['{"allow":false,"status":403,"route":', ROUTE],
  HEAD_UNAUTHORIZED: ['{"allow":false,"status":401,"route":', ROUTE],
  FINER_HEAD: [',"finerRoutes":['],
  TAIL_ALLOW: [',"reasons":[]}'],
  REASONS_HEAD: [',"reasons":['],
  DECISION_TAIL: [TAIL],
  TAIL_TOKEN_MISSING: [',"reasons":[', ...requestReason(REQUEST_REASONS.tokenMissing), TAIL],
};
