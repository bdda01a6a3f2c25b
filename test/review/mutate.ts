// Policy mutations for the classifier's property test: from a generated policy (test/arbitraries),
// one to three edits a reviewer might see in a pull request, applied to the IR the way the loader
// would produce the edited policy (global and default checks stay copied into every protected
// route, in report order). Each edit is random within its kind, so it may loosen, tighten or both.
import fc from 'fast-check';
import { arbAnyOf, arbLeafCheck, arbPolicyIR, arbRequireMap, arbRouteTemplate, paramNamesOf, renderTemplate, templateShape, vocab } from '../arbitraries/index.js';
import type { Check, IRRoute, PolicyIR } from '../../src/policy/ir.js';

const isGlobal = (c: Check): boolean => c.path === 'audience' || c.path === 'issuer' || c.path.startsWith('defaults.require');
const ownPrefix = (key: string): string => `routes[${JSON.stringify(key)}].require`;

/** Gives fresh checks the path and position the loader would (paths pair requirements in the classifier). */
function place(checks: readonly Check[], prefix: string): Check[] {
  return checks.map((c): Check => {
    const at = { file: 'policies.yaml', line: 900, col: 5 };
    if (c.kind === 'anyOf') {
      const path = `${prefix}.anyOf`;
      return { ...c, path, at, branches: c.branches.map((b, i) => place(b, `${path}[${i}]`)) };
    }
    return { ...c, path: `${prefix}.${c.kind === 'claim' ? `claims[${JSON.stringify(c.id)}]` : c.kind}`, at };
  });
}

const globalsOf = (ir: PolicyIR): Check[] => ir.routes.find((r) => !r.public)?.checks.filter(isGlobal) ?? [];

function withGlobals(ir: PolicyIR, globals: readonly Check[], audience = ir.audience, issuer = ir.issuer): PolicyIR {
  return {
    ...ir,
    audience,
    issuer,
    routes: ir.routes.map((r) => (r.public ? r : { ...r, checks: [...globals, ...r.checks.filter((c) => !isGlobal(c))] })),
  };
}

const replaceRoute = (ir: PolicyIR, i: number, route: IRRoute): PolicyIR => ({ ...ir, routes: ir.routes.map((r, j) => (j === i ? route : r)) });

/** A check of the same kind (and claim) with other values: subsets, supersets and disjoint sets all happen on the small vocabulary. */
function arbSibling(c: Check, params: readonly string[]): fc.Arbitrary<Check> {
  // anyOf: add a branch, drop one, or edit inside one
  if (c.kind === 'anyOf') {
    return fc.oneof(
      arbRequireMap(params, 1, 1, 2).map((b) => ({ ...c, branches: [...c.branches, b] })),
      fc.nat({ max: c.branches.length - 1 }).map((i) => ({ ...c, branches: c.branches.length > 1 ? c.branches.filter((_, j) => j !== i) : c.branches })),
      fc.nat({ max: c.branches.length - 1 }).chain((i) => arbBranchEdit(c.branches[i]!, params).map((b) => ({ ...c, branches: c.branches.map((x, j) => (j === i ? b : x)) }))),
    );
  }
  const random = arbLeafCheck(params)
    .filter((x) => x.kind === c.kind && x.id === c.id)
    .map((x) => ({ ...x, path: c.path, at: c.at }) as Check);
  return fc.oneof({ weight: 1, arbitrary: random }, { weight: 3, arbitrary: arbTweak(c) });
}

/** One value more or less in one list, or another maximum age: the edits whose direction is clear. */
function arbTweak(c: Exclude<Check, { kind: 'anyOf' }>): fc.Arbitrary<Check> {
  const age = fc.option(fc.constantFrom(...vocab.MAX_AGES), { nil: null });
  const toggle = (xs: readonly string[] | null, pool: readonly string[], keepOne: boolean): fc.Arbitrary<string[] | null> =>
    fc.constantFrom(...pool).map((v) => {
      const cur = xs ?? [];
      const next = cur.includes(v) ? cur.filter((x) => x !== v) : [...cur, v];
      return next.length === 0 ? (keepOne ? [...cur] : null) : next;
    });
  switch (c.kind) {
    case 'roles':
    case 'permissions': {
      const pool = c.kind === 'roles' ? vocab.ROLES : vocab.PERMISSIONS;
      return fc.oneof(
        toggle(c.anyOf, pool, false).map((anyOf) => ({ ...c, anyOf })),
        toggle(c.allOf, pool, false).map((allOf) => ({ ...c, allOf })),
        toggle(c.noneOf, pool, false).map((noneOf) => ({ ...c, noneOf })),
        age.map((maxAgeSeconds) => ({ ...c, maxAgeSeconds })),
      ).map((x) => (x.anyOf === null && x.allOf === null && x.noneOf === null ? c : x));
    }
    case 'emailVerified':
      return age.map((maxAgeSeconds) => ({ ...c, maxAgeSeconds }));
    case 'mfa':
      if (c.factors === null) return fc.constant(c);
      return fc.oneof(
        toggle(c.factors.anyOf ?? c.factors.allOf, vocab.FACTORS, true).map((list) => ({ ...c, factors: c.factors!.anyOf !== null ? { anyOf: list, allOf: null } : { anyOf: null, allOf: list } })),
        fc.constant({ ...c, factors: { anyOf: c.factors.allOf, allOf: c.factors.anyOf } }),
        fc.constant({ ...c, factors: null, maxAgeSeconds: null }),
        age.map((maxAgeSeconds) => ({ ...c, maxAgeSeconds })),
      );
    case 'tenant':
      return c.anyOf === null ? fc.constant(c) : toggle(c.anyOf, vocab.TENANTS, true).map((anyOf) => ({ ...c, anyOf }));
    case 'audience':
      return toggle(c.anyOf, vocab.AUDIENCES, true).map((anyOf) => ({ ...c, anyOf: anyOf ?? c.anyOf }));
    case 'claim': {
      const values = c.op === 'exists' ? [] : c.op === 'equals' ? [c.value] : c.values;
      return fc.oneof(
        fc.constant<Check>({ ...c, op: 'exists' } as Check),
        fc.nat({ max: Math.max(0, values.length - 1) }).map((i) => (values.length > 1 ? ({ ...c, op: 'anyOf', values: values.filter((_, j) => j !== i) } as Check) : c)),
        fc.constantFrom<unknown>('pro', 1, true, { a: 1 }).map((v) => ({ ...c, op: 'anyOf', values: [...values, v] }) as Check),
      );
    }
    default:
      return fc.constant(c);
  }
}

/** One edit inside a requirement list: change, drop or add a requirement. */
function arbBranchEdit(checks: readonly Check[], params: readonly string[]): fc.Arbitrary<Check[]> {
  const options: fc.Arbitrary<Check[]>[] = [arbLeafCheck(params).map((x) => [...checks, x])];
  if (checks.length > 0) {
    options.push(
      fc.nat({ max: checks.length - 1 }).map((i) => checks.filter((_, j) => j !== i)),
      fc.nat({ max: checks.length - 1 }).chain((i) => arbSibling(checks[i]!, params).map((x) => checks.map((c, j) => (j === i ? x : c)))),
    );
  }
  return fc.oneof(...options);
}

/** One edit a pull request might make. */
export function arbEdit(ir: PolicyIR): fc.Arbitrary<PolicyIR> {
  const n = ir.routes.length;
  const edits: fc.Arbitrary<PolicyIR>[] = [
    // a route's own requirements
    fc.nat({ max: n - 1 }).chain((i) => {
      const r = ir.routes[i]!;
      if (r.public) return fc.constant(replaceRoute(ir, i, { ...r, public: false, checks: globalsOf(ir) })); // made protected
      const own = r.checks.filter((c) => !isGlobal(c));
      const params = paramNamesOf(r.segments);
      return fc.oneof(
        arbBranchEdit(own, params).map((checks) => replaceRoute(ir, i, { ...r, checks: [...r.checks.filter(isGlobal), ...place(checks, ownPrefix(r.key))] })),
        arbAnyOf(params, 2).map((a) => replaceRoute(ir, i, { ...r, checks: [...r.checks, ...place([a], ownPrefix(r.key))] })),
        fc.constant(replaceRoute(ir, i, { ...r, public: true, checks: [] })), // made public
      );
    }),
    // defaults, applied to every protected route
    arbBranchEdit(globalsOf(ir).filter((c) => c.path.startsWith('defaults')), []).map((defaults) => {
      const g = globalsOf(ir).filter((c) => !c.path.startsWith('defaults'));
      return withGlobals(ir, [...g, ...place(defaults, 'defaults.require')]);
    }),
    // the global audience and issuer
    fc.option(fc.constantFrom(...vocab.AUDIENCES), { nil: null }).map((audience) => {
      const rest = globalsOf(ir).filter((c) => c.path !== 'audience');
      const aud: Check[] = audience === null ? [] : [{ kind: 'audience', id: 'aud', anyOf: [audience], path: 'audience', at: { file: 'policies.yaml', line: 2, col: 1 } }];
      return withGlobals(ir, [...aud, ...rest], audience);
    }),
    fc.option(fc.constantFrom(...vocab.ISSUERS), { nil: null }).map((issuer) => {
      const g = globalsOf(ir);
      const aud = g.filter((c) => c.path === 'audience');
      const rest = g.filter((c) => c.path !== 'audience' && c.path !== 'issuer');
      const iss: Check[] = issuer === null ? [] : [{ kind: 'issuer', id: 'iss', equals: issuer, path: 'issuer', at: { file: 'policies.yaml', line: 3, col: 1 } }];
      return withGlobals(ir, [...aud, ...iss, ...rest], ir.audience, issuer);
    }),
    // a route removed (its requests go to another route or to none)
    fc.nat({ max: n - 1 }).map((i) => ({ ...ir, routes: n > 1 ? ir.routes.filter((_, j) => j !== i) : ir.routes })),
    // a route added (it takes requests from another route, `$default` or none)
    fc.record({ t: arbRouteTemplate(3), at: fc.nat({ max: n }), isPublic: fc.boolean() }).chain(({ t, at, isPublic }) => {
      const key = `${t.method} ${renderTemplate(t.segments)}`;
      const taken = new Set(ir.routes.filter((r) => r.segments !== null).map((r) => templateShape({ method: r.method!, segments: r.segments! })));
      if (taken.has(templateShape(t))) return fc.constant(ir);
      return arbRequireMap(paramNamesOf(t.segments), 1, 0, 3).map((own) => {
        const route: IRRoute = { key, method: t.method, segments: t.segments, public: isPublic, checks: isPublic ? [] : [...globalsOf(ir), ...place(own, ownPrefix(key))], at: { file: 'policies.yaml', line: 950, col: 3 } };
        return { ...ir, routes: [...ir.routes.slice(0, at), route, ...ir.routes.slice(at)] };
      });
    }),
  ];
  return fc.oneof(...edits);
}

/** A base policy and a head policy one to three edits away. */
export function arbPolicyChange(): fc.Arbitrary<{ readonly base: PolicyIR; readonly head: PolicyIR }> {
  return arbPolicyIR({ maxRoutes: 8, maxChecks: 3, maxAnyOfDepth: 2 }).chain((base) =>
    fc
      .integer({ min: 1, max: 3 })
      .chain((edits) => {
        let arb: fc.Arbitrary<PolicyIR> = arbEdit(base);
        for (let k = 1; k < edits; k++) arb = arb.chain((ir) => arbEdit(ir));
        return arb;
      })
      .map((head) => ({ base, head })),
  );
}
