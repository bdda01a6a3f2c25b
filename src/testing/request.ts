// From a case to decision inputs (docs/decision.md). A case without a pinned routeKey runs twice:
//  - by path: { method, path } only, so the bundle's own route index picks the route and captures
//    the parameters (the part of the artifact most worth testing: ranking, greedy, ANY, $default);
//  - as API Gateway sends it: routeKey = the policy route API Gateway would select for that path
//    (API routes = policy routes), pathParameters as API Gateway captures them.
// Both must meet the expectation, and each must equal the reference evaluator's decision.
// A case that pins `routeKey` (object form) runs once, exactly as written.
import { splitPath } from '../decision/path.js';
import { matchByPath } from '../decision/route-select.js';
import type { DecisionInput } from '../decision/types.js';
import type { PolicyIR } from '../policy/ir.js';
import { HTTP_METHODS } from '../policy/route-key.js';
import { didYouMean } from '../policy/suggest.js';
import type { Expectation, TestCase, TestRequest } from './suite.js';

export type InputMode = 'by-path' | 'as-gateway' | 'pinned';

export interface CaseInput {
  readonly mode: InputMode;
  readonly input: DecisionInput;
}

/** `DELETE /orders/42` → method and path (everything after the first space). */
export function parseRequestLine(line: string): { method: string; path: string } {
  const space = line.indexOf(' ');
  return { method: line.slice(0, space), path: line.slice(space + 1) };
}

/** Methods a request can have: a policy's route methods without `ANY`, which only routes use. */
export const REQUEST_METHODS: readonly string[] = HTTP_METHODS.filter((m) => m !== 'ANY');

/**
 * Why a case's method cannot be what API Gateway sends, or null. A typo (`DELTE`) would otherwise
 * match no method route and land on `ANY` or `$default`: a silent, misleading verdict.
 */
export function methodProblem(method: string): string | null {
  if (REQUEST_METHODS.includes(method)) return null;
  return `unknown HTTP method "${method}"${didYouMean(method, REQUEST_METHODS)}: use one of ${REQUEST_METHODS.join(', ')}`;
}

/** The route API Gateway would pick for the request, with its captured parameters; null when none. */
export function gatewayRoute(ir: PolicyIR, method: string, path: string): { routeKey: string; pathParameters: Record<string, string> } | null {
  const segments = splitPath(path);
  if (segments === null) return null;
  const match = matchByPath(ir, method, segments);
  if (match === null) return null;
  const pathParameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(match.params)) if (typeof v === 'string') pathParameters[k] = v;
  return { routeKey: match.route.key, pathParameters };
}

export function inputsFor(ir: PolicyIR, c: TestCase): CaseInput[] {
  const { method, path } = c.request;
  const base = { token: c.token, now: c.now };
  if (c.request.routeKey !== undefined || c.request.pathParameters !== undefined) {
    const request = {
      method,
      path,
      ...(c.request.routeKey !== undefined && { routeKey: c.request.routeKey }),
      ...(c.request.pathParameters !== undefined && { pathParameters: c.request.pathParameters }),
    };
    return [{ mode: 'pinned', input: { request, ...base } }];
  }
  const inputs: CaseInput[] = [{ mode: 'by-path', input: { request: { method, path }, ...base } }];
  const gw = gatewayRoute(ir, method, path);
  if (gw !== null) inputs.push({ mode: 'as-gateway', input: { request: { method, path, ...gw }, ...base } });
  return inputs;
}

/**
 * Why a case's request cannot be meant for this policy, or null. A request that matches no
 * route is a suite error unless the case expects exactly that (a ROUTE_NOT_IN_POLICY reason).
 */
export function routeProblem(ir: PolicyIR, r: TestRequest, expect: Expectation): { code: 'ROUTE_KEY_UNKNOWN' | 'ROUTE_NOT_IN_POLICY'; message: string } | null {
  if (typeof r.routeKey === 'string' && r.routeKey !== '$default' && !ir.routes.some((x) => x.key === r.routeKey)) {
    return { code: 'ROUTE_KEY_UNKNOWN', message: `routeKey "${r.routeKey}" is not a route of the policy` };
  }
  if (splitPath(r.path) === null) return null; // PATH_REJECTED is a decision worth testing
  if (r.routeKey !== undefined && r.routeKey !== null && r.routeKey !== '$default') return null;
  if (gatewayRoute(ir, r.method, r.path) !== null) return null;
  if ((expect.reasons ?? []).some((x) => x.code === 'ROUTE_NOT_IN_POLICY')) return null;
  return {
    code: 'ROUTE_NOT_IN_POLICY',
    message: `${r.method} ${r.path} matches no route of the policy (expect a ROUTE_NOT_IN_POLICY reason if that is the point)`,
  };
}
