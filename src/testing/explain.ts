// `explain`: one request, one token, every requirement of the matched route marked ✔/✖ with the
// claim value it saw and why, for "why was this user denied?". The decision shown is the
// bundle's; the per-requirement detail is the reference evaluator's, and the two must agree.
import { isDeepStrictEqual } from 'node:util';
import type { CheckOutcome } from '../decision/checks.js';
import type { Evaluation } from '../decision/evaluate.js';
import type { Decision, Reason } from '../decision/types.js';
import type { Check, IRRoute } from '../policy/ir.js';

const list = (xs: readonly unknown[]): string => `[${xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')}]`;
const within = (s: number | null, what = ''): string => (s === null ? '' : `, ${what}within ${s}s`);

/** What a requirement demands, in claim terms. */
export function describeCheck(c: Check): string {
  switch (c.kind) {
    case 'audience':
      return `aud contains one of ${list(c.anyOf)}`;
    case 'issuer':
      return `iss = ${c.equals}`;
    case 'emailVerified':
      return `st-ev.v = true${within(c.maxAgeSeconds, 'verified ')}`;
    case 'roles':
    case 'permissions': {
      const parts: string[] = [];
      if (c.anyOf !== null) parts.push(`includes one of ${list(c.anyOf)}`);
      if (c.allOf !== null) parts.push(`includes all of ${list(c.allOf)}`);
      if (c.noneOf !== null) parts.push(`includes none of ${list(c.noneOf)}`);
      return `${c.id}.v ${parts.join(' and ')}${within(c.maxAgeSeconds, 'set ')}`;
    }
    case 'mfa': {
      if (c.factors === null) return 'st-mfa.v = true';
      const f = c.factors.allOf !== null ? `all of ${list(c.factors.allOf)}` : `one of ${list(c.factors.anyOf ?? [])}`;
      return `st-mfa.v = true and factors ${f} completed${within(c.maxAgeSeconds)}`;
    }
    case 'tenant':
      return c.equalsPathParam !== null ? `tId = path parameter ${c.equalsPathParam}` : `tId is one of ${list(c.anyOf ?? [])}`;
    case 'subject':
      return `sub = path parameter ${c.equalsPathParam}`;
    case 'claim':
      return c.op === 'exists' ? `${c.id} exists` : c.op === 'equals' ? `${c.id} = ${JSON.stringify(c.value)}` : `${c.id} is one of ${list(c.values)}`;
    case 'anyOf':
      return `at least one of ${c.branches.length} branches passes entirely`;
  }
}

/** The requirement's name relative to its route: `mfa`, `anyOf[1].subject`, `audience (global)`. */
export function requirementLabel(route: IRRoute, c: Check): string {
  const own = `routes[${JSON.stringify(route.key)}].require`;
  if (c.path.startsWith(`${own}.`)) return c.path.slice(own.length + 1);
  if (c.path.startsWith(own)) return c.path.slice(own.length);
  if (c.path.startsWith('defaults.require.')) return `${c.path.slice('defaults.require.'.length)} (defaults)`;
  if (c.kind === 'audience' || c.kind === 'issuer') return `${c.path} (global)`;
  return c.path;
}

const showValue = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

function reasonText(r: Reason): string {
  const { message, ...detail } = r.reason;
  return `${r.code}: ${message}${Object.keys(detail).length > 0 ? ` ${JSON.stringify(detail)}` : ''}`;
}

function outcomeLines(route: IRRoute, o: CheckOutcome, indent: string): string[] {
  const c = o.check;
  const lines = [`${indent}${o.pass ? '✔' : '✖'} ${requirementLabel(route, c)}: ${describeCheck(c)}   (${c.at.file}:${c.at.line}:${c.at.col})`];
  if (c.kind === 'anyOf') {
    (o.branches ?? []).forEach((branch, i) => {
      const passed = branch.every((b) => b.pass);
      lines.push(`${indent}    branch ${i + 1} ${passed ? 'passes' : 'fails'}:`);
      for (const b of branch) lines.push(...outcomeLines(route, b, `${indent}      `));
    });
    return lines;
  }
  lines.push(`${indent}    seen ${c.id} = ${showValue(o.seen)}`);
  for (const r of o.reasons) lines.push(`${indent}    ${reasonText(r)}`);
  return lines;
}

export interface ExplainInput {
  readonly requestLine: string;
  /** `principal admin (policies/x.test.yaml)`, `token from --token (signature NOT verified)`… */
  readonly who: string;
  readonly now: number;
  readonly decision: Decision;
  readonly engine: string;
  readonly reference: Evaluation;
}

/** The routes whose requirements applied: the deciding one, and a finer one that applied as well. */
function routeSections(e: Evaluation): { label: string; route: IRRoute; outcomes: readonly CheckOutcome[] }[] {
  const sections = e.match === null ? [] : [{ label: 'route', route: e.match.route, outcomes: e.outcomes }];
  for (const f of e.finer) sections.push({ label: 'finer route (applies as well)', route: f.match.route, outcomes: f.outcomes });
  return sections;
}

/** The explanation, and whether the bundle and the reference agree (false is an internal error). */
export function renderExplanation(x: ExplainInput): { text: string; agrees: boolean } {
  const lines = [`${x.requestLine}`, `  as ${x.who}`, `  at ${new Date(x.now).toISOString()} (${x.now})`, ''];
  const d = x.decision;
  lines.push(`decision: ${d.allow ? 'ALLOW' : 'DENY'} ${d.status}   (${x.engine})`);
  const routes = routeSections(x.reference);
  if (routes.length === 0) lines.push('route: none');
  routes.forEach(({ label, route, outcomes }, i) => {
    if (i > 0) lines.push('');
    lines.push(`${label}: ${route.key}   (${route.at.file}:${route.at.line}:${route.at.col})`);
    if (route.public) lines.push('', 'public route: no token or claim is required');
    else if (outcomes.length === 0) lines.push('', 'no token: a protected route needs one (401)');
    else {
      const failing = outcomes.filter((o) => !o.pass).length;
      lines.push('', `requirements (${outcomes.length - failing} of ${outcomes.length} pass):`);
      for (const o of outcomes) lines.push(...outcomeLines(route, o, '  '));
    }
  });
  if (d.reasons.length > 0) {
    lines.push('', 'reasons:');
    for (const r of d.reasons) lines.push(`  ${r.id} ${reasonText(r)}`);
  }
  const agrees = isDeepStrictEqual(d, x.reference.decision);
  if (!agrees) {
    lines.push(
      '',
      '‼ INTERNAL ERROR: the bundle and the reference evaluator disagree; the requirement detail above is the reference evaluator\'s.',
      `  bundle:    ${JSON.stringify(d)}`,
      `  reference: ${JSON.stringify(x.reference.decision)}`,
    );
  }
  return { text: `${lines.join('\n')}\n`, agrees };
}

/** One requirement as data, for `explain --format json`. */
export interface RequirementJson {
  readonly requirement: string;
  readonly demands: string;
  readonly at: string;
  readonly pass: boolean;
  readonly seen?: unknown;
  readonly reasons: readonly Reason[];
  readonly branches?: readonly (readonly RequirementJson[])[];
}

function outcomeJson(route: IRRoute, o: CheckOutcome): RequirementJson {
  const c = o.check;
  const base = {
    requirement: requirementLabel(route, c),
    demands: describeCheck(c),
    at: `${c.at.file}:${c.at.line}:${c.at.col}`,
    pass: o.pass,
    reasons: o.reasons,
  };
  if (c.kind === 'anyOf') return { ...base, branches: (o.branches ?? []).map((b) => b.map((x) => outcomeJson(route, x))) };
  return o.seen === undefined ? base : { ...base, seen: o.seen };
}

/** The same explanation as data: what tools and tickets want instead of the ✔/✖ text. */
export function explanationJson(x: ExplainInput): { text: string; agrees: boolean } {
  const route = x.reference.match?.route;
  const agrees = isDeepStrictEqual(x.decision, x.reference.decision);
  const routeJson = (r: IRRoute) => ({ key: r.key, at: `${r.at.file}:${r.at.line}:${r.at.col}`, public: r.public });
  const doc = {
    request: x.requestLine,
    as: x.who,
    now: x.now,
    engine: x.engine,
    decision: x.decision,
    route: route ? routeJson(route) : null,
    requirements: route ? x.reference.outcomes.map((o) => outcomeJson(route, o)) : [],
    ...(x.reference.finer.length === 0
      ? {}
      : { finerRoutes: x.reference.finer.map((f) => ({ ...routeJson(f.match.route), requirements: f.outcomes.map((o) => outcomeJson(f.match.route, o)) })) }),
    agrees,
    ...(agrees ? {} : { reference: x.reference.decision }),
  };
  return { text: `${JSON.stringify(doc, null, 2)}\n`, agrees };
}
