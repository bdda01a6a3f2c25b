// The shapes SuperTokens and the JWT authorizer give the claims a principal stands for. A
// principal is a token fixture: one with `st-role: { v: analyst }` (a string, not a list) would
// only show up later as a puzzling CLAIM_INVALID deny in some case, so it is refused where it is
// written. Cases and inline tokens may still carry malformed claims on purpose (to test denials).
import type { Claims } from './suite.js';
import { isObject } from '../util/json.js';

export interface ShapeProblem {
  /** Key path inside the token payload (`['st-role', 'v']`). */
  readonly path: readonly string[];
  readonly message: string;
}

type Json = { readonly [key: string]: unknown };

const isMap = isObject as (x: unknown) => x is Json;
const isNumber = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
const isStringList = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');
const show = (x: unknown): string => (x === undefined ? 'nothing' : JSON.stringify(x));
/** Time sugar that did not resolve is reported as TIME_INVALID where it is written, not twice. */
const looksLikeTime = (x: unknown): boolean => typeof x === 'string' && /^\s*(?:now\b|ms\(|s\()/.test(x);

const SHAPES = {
  'st-ev': '{ v: true|false, t: <ms> }',
  'st-role': '{ v: [role, …], t: <ms> }',
  'st-perm': '{ v: [permission, …], t: <ms> }',
  'st-mfa': '{ c: { <factor>: <seconds>, … }, v: true|false }',
} as const;

/** `{ v, t }` claims: st-ev (v boolean), st-role and st-perm (v a list of strings). */
function valueAndTime(name: 'st-ev' | 'st-role' | 'st-perm', value: unknown, out: ShapeProblem[]): void {
  const shape = `SuperTokens writes ${name} as ${SHAPES[name]}`;
  if (!isMap(value)) {
    out.push({ path: [name], message: `${name} must be a map: ${shape} (got ${show(value)})` });
    return;
  }
  const v = value['v'];
  const vOk = name === 'st-ev' ? typeof v === 'boolean' : isStringList(v);
  if (!vOk) out.push({ path: [name, 'v'], message: `${name}.v must be ${name === 'st-ev' ? 'true or false' : 'a list of strings'}: ${shape} (got ${show(v)})` });
  const t = value['t'];
  if (!isNumber(t) && !looksLikeTime(t)) out.push({ path: [name, 't'], message: `${name}.t must be a time in milliseconds (now-1h): ${shape} (got ${show(t)})` });
}

function mfa(value: unknown, out: ShapeProblem[]): void {
  const shape = `SuperTokens writes st-mfa as ${SHAPES['st-mfa']}`;
  if (!isMap(value)) {
    out.push({ path: ['st-mfa'], message: `st-mfa must be a map: ${shape} (got ${show(value)})` });
    return;
  }
  if (typeof value['v'] !== 'boolean') out.push({ path: ['st-mfa', 'v'], message: `st-mfa.v must be true or false: ${shape} (got ${show(value['v'])})` });
  const c = value['c'];
  if (!isMap(c)) {
    out.push({ path: ['st-mfa', 'c'], message: `st-mfa.c must map factor ids to completion times in seconds: ${shape} (got ${show(c)})` });
    return;
  }
  for (const [factor, at] of Object.entries(c)) {
    if (!isNumber(at) && !looksLikeTime(at)) out.push({ path: ['st-mfa', 'c', factor], message: `st-mfa.c.${factor} must be a time in seconds (now-5m) (got ${show(at)})` });
  }
}

const STRING_CLAIMS = ['sub', 'tId', 'iss', 'rsub', 'sessionHandle'] as const;
const SECONDS_CLAIMS = ['exp', 'iat', 'nbf'] as const;

/** Every claim of `token` whose shape SuperTokens or the JWT authorizer would never produce. */
export function claimShapeProblems(token: Claims): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  const has = (k: string): boolean => Object.hasOwn(token, k);
  for (const name of ['st-ev', 'st-role', 'st-perm'] as const) if (has(name)) valueAndTime(name, token[name], out);
  if (has('st-mfa')) mfa(token['st-mfa'], out);
  if (has('aud')) {
    const aud = token['aud'];
    if (typeof aud !== 'string' && !isStringList(aud)) out.push({ path: ['aud'], message: `aud must be a string or a list of strings (got ${show(aud)})` });
  }
  for (const name of STRING_CLAIMS) {
    if (has(name) && typeof token[name] !== 'string') out.push({ path: [name], message: `${name} must be a string (got ${show(token[name])})` });
  }
  for (const name of SECONDS_CLAIMS) {
    const v = token[name];
    if (has(name) && !isNumber(v) && !looksLikeTime(v)) out.push({ path: [name], message: `${name} must be a time in seconds (now+1h) (got ${show(v)})` });
  }
  return out;
}
