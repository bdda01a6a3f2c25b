// The main correctness test (docs/decision.md: the module agrees with the reference evaluator):
// for generated policies (test/arbitraries: random routes, params, greedy segments, ANY,
// $default, every requirement kind, nested anyOf) and generated inputs aimed at them, the
// shipped artifact — buildBundle → tar.gz → loadBundle (readBundle, manifest and revision
// checks, the official SDK's loadPolicySync) — decides exactly like the reference evaluator: the
// decision deep-equals JSON.parse(JSON.stringify(decide(ir, input))) (key
// order included), and the allow entrypoint equals decision.allow.
//
// Each generated policy is compiled once and many inputs run against it. The seed is the run's
// (FC_SEED, see test/setup/global-setup.ts) plus a fixed offset per property; DIFF_SCALE=<k>
// multiplies every run count. On failure the message carries a minimized policy + input as JSON,
// and fast-check prints the seed and path. Every input yields to the event loop when due
// (breathe), so no stretch of this file holds it for long.
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { buildBundle } from '../../src/compile/compile.js';
import { decide } from '../../src/decision/evaluate.js';
import type { Decision } from '../../src/decision/types.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { loadBundle, type Authorizer } from '../../src/runtime/load-bundle.js';
import { arbInputFor, arbPolicyIR, type InputOptions, type PolicyIROptions } from '../arbitraries/index.js';
import { BASE_NOW } from '../arbitraries/vocab.js';
import { breathe } from '../support/breathe.js';
import {
  arbHostileText,
  compareOne,
  describeMismatch,
  minimize,
  received,
  reproOf,
  stillFailsWith,
  type HostileOptions,
  type Sent,
} from './differential.js';

const SEED = inject('fcSeed');
const SCALE = Number(process.env['DIFF_SCALE'] ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
/** Policies in the main property: about 46 inputs each (1–100), so ≥ 20,000 cases. */
const POLICIES = 470;
const LIMIT_MS = 150_000 * Math.max(1, SCALE);

/** The exact artifact path a Lambda takes. */
async function artifact(ir: PolicyIR): Promise<Authorizer> {
  const { bytes } = await buildBundle(ir);
  return loadBundle(bytes);
}

let casesRun = 0;

/**
 * Every input against one compiled policy. On the first disagreement the case is reduced to a
 * minimal policy and input (minimize(): greedy deletion; fast-check's own shrinking of a whole
 * batch is slow and memory-hungry here) and thrown with a JSON reproduction.
 */
async function agreeOn(auth: Authorizer, ir: PolicyIR, sents: readonly Sent[]): Promise<void> {
  for (const sent of sents) {
    await breathe();
    casesRun++;
    const m = compareOne(auth, ir, sent, decide);
    if (!m) continue;
    const small = await minimize(ir, sent, stillFailsWith(artifact, decide), 60_000);
    const sm = compareOne(await artifact(small.ir), small.ir, small.sent, decide) ?? m;
    throw new Error(
      `${describeMismatch(small.ir, small.sent, sm)}\n  minimal reproduction (${small.steps} reductions):\n` +
        `${JSON.stringify(reproOf(small.ir, small.sent, sm))}\n  as generated:\n${describeMismatch(ir, sent, m)}`,
    );
  }
}

/** A policy and up to `max` inputs aimed at it (the array shrinks to the one input that fails). */
function arbBatch<T extends Sent>(
  max: number,
  sent: (ir: PolicyIR) => fc.Arbitrary<T>,
  policy: PolicyIROptions = {},
): fc.Arbitrary<{ readonly ir: PolicyIR; readonly sents: readonly T[] }> {
  return arbPolicyIR(policy).chain((ir) =>
    fc.array(sent(ir), { minLength: 1, maxLength: max, size: 'max' }).map((sents) => ({ ir, sents })),
  );
}

const docs = (options: InputOptions = {}) => (ir: PolicyIR) => arbInputFor(ir, options).map((doc): Sent => ({ doc }));
const texts = (hostile: HostileOptions, options: InputOptions = {}) => (ir: PolicyIR) => arbHostileText(arbInputFor(ir, options), hostile);

async function differential<T extends Sent>(
  arb: fc.Arbitrary<{ readonly ir: PolicyIR; readonly sents: readonly T[] }>,
  numRuns: number,
  seedOffset: number,
  extra: (auth: Authorizer, ir: PolicyIR, sents: readonly T[]) => void = () => {},
): Promise<number> {
  const before = casesRun;
  await fc.assert(
    fc.asyncProperty(arb, async ({ ir, sents }) => {
      const auth = await artifact(ir);
      await agreeOn(auth, ir, sents);
      extra(auth, ir, sents);
    }),
    // No fast-check shrinking (agreeOn minimizes); a machine too slow to finish in time fails rather
    // than passing silently with fewer runs.
    { seed: SEED + seedOffset, numRuns, endOnFailure: true, interruptAfterTimeLimit: LIMIT_MS, markInterruptAsFailure: true },
  );
  return casesRun - before;
}

describe('compiled bundle = reference evaluator', () => {
  it('on generated policies × generated inputs (≥ 20,000 cases)', async () => {
    const t0 = performance.now();
    const n = await differential(arbBatch(100, docs()), runs(POLICIES), 0);
    const seconds = (performance.now() - t0) / 1000;
    console.info(`differential: ${n} cases over ${runs(POLICIES)} policies in ${seconds.toFixed(1)} s (seed ${SEED})`);
    expect(n).toBeGreaterThanOrEqual(20_000 * Math.min(1, SCALE));
  }, LIMIT_MS + 60_000);

  it('reason order: many checks per route, tokens always present (multi-reason denials)', async () => {
    let multi = 0;
    let total = 0;
    const n = await differential(
      arbBatch(40, docs({ noTokenPercent: 0, malformedPercent: 0, refusedPercent: 0 }), { maxChecks: 6, maxAnyOfDepth: 3 }),
      runs(40),
      1,
      (auth, ir, sents) => {
        for (const s of sents) {
          const want = decide(ir, received(s));
          const got = auth.decide((s as { doc: unknown }).doc);
          // Already deep-equal; spelled out so a failure here names the order.
          expect(got.reasons.map((r) => `${r.id}:${r.code}`)).toEqual(want.reasons.map((r) => `${r.id}:${r.code}`));
          total++;
          if (want.reasons.length >= 2) multi++;
        }
      },
    );
    expect(n).toBe(total);
    // The property is only worth something if many denials carry several reasons.
    expect(multi / total).toBeGreaterThan(0.15);
  }, LIMIT_MS + 60_000);

  it('status: 200 iff allow, 401 iff a protected route without a token, 403 otherwise', async () => {
    const seen = { 200: 0, 401: 0, 403: 0 };
    await differential(arbBatch(40, docs({ noTokenPercent: 35 })), runs(60), 2, (auth, ir, sents) => {
      for (const s of sents) {
        const got: Decision = auth.decide((s as { doc: unknown }).doc);
        const want = decide(ir, received(s));
        expect(got.status).toBe(want.status);
        expect(got.allow).toBe(got.status === 200);
        expect(got.status === 401).toBe(got.reasons.length === 1 && got.reasons[0]!.code === 'TOKEN_MISSING');
        seen[got.status]++;
      }
    });
    console.info(`status: ${JSON.stringify(seen)}`);
    for (const status of [200, 401, 403] as const) expect(seen[status]).toBeGreaterThan(60);
  }, LIMIT_MS + 60_000);

  it('route: selection by method + path when routeKey is absent, $default, a proxy, unknown or another route', async () => {
    const ROUTE_KEYS = [undefined, null, '$default', 'ANY /{proxy+}', 'GET /not/in/policy', 'GET /{proxy+}', '', 'get /a'];
    const rerouted = (ir: PolicyIR): fc.Arbitrary<Sent> =>
      fc
        .tuple(arbInputFor(ir, { malformedPercent: 0 }), fc.oneof(fc.constantFrom(...ROUTE_KEYS), fc.constantFrom(...ir.routes.map((r) => r.key))))
        .map(([doc, routeKey]): Sent => {
          const d = doc as { request?: Record<string, unknown> };
          if (typeof d.request !== 'object' || d.request === null) return { doc };
          const request = { ...d.request };
          if (routeKey === undefined) delete request['routeKey'];
          else request['routeKey'] = routeKey;
          return { doc: { ...d, request } };
        });
    const seen = { routed: 0, finer: 0, mismatch: 0 };
    await differential(arbBatch(50, rerouted, { maxSegments: 4 }), runs(40), 3, (auth, ir, sents) => {
      for (const s of sents) {
        const want = decide(ir, received(s));
        const got = auth.decide((s as { doc: unknown }).doc);
        expect(got.route).toBe(want.route);
        expect(got.finerRoutes).toEqual(want.finerRoutes);
        if (want.route !== null) seen.routed++;
        if (want.finerRoutes !== undefined) seen.finer++;
        if (want.reasons[0]?.code === 'ROUTE_MISMATCH') seen.mismatch++;
      }
    });
    console.info(`route: ${JSON.stringify(seen)}`);
    expect(seen.routed).toBeGreaterThan(300);
    expect(seen.mismatch).toBeGreaterThan(100);
  }, LIMIT_MS + 60_000);

  it('dispatched requests: the routeKey’s route, every finer route that matches too, one list of reasons', async () => {
    const seen = { finer: 0, finerDeny: 0, several: 0 };
    await differential(arbBatch(40, docs({ dispatched: true, malformedPercent: 0 }), { maxSegments: 3 }), runs(100), 6, (_auth, ir, sents) => {
      for (const s of sents) {
        const want = decide(ir, received(s));
        if (want.finerRoutes === undefined) continue;
        seen.finer++;
        if (!want.allow) seen.finerDeny++;
        if (want.finerRoutes.length > 1) seen.several++;
      }
    });
    console.info(`dispatched: ${JSON.stringify(seen)}`);
    // Already deep-equal to the reference; the property is only worth something if finer routes occur.
    expect(seen.finer).toBeGreaterThan(40);
    expect(seen.finerDeny).toBeGreaterThan(20);
    expect(seen.several).toBeGreaterThan(0);
  }, LIMIT_MS + 60_000);

  it('raw text: escaped keys and strings ("st\\u002dev"), decoy duplicates, later duplicates, number spellings, whitespace', async () => {
    const n = await differential(arbBatch(50, texts({ escapeKeys: 25, escapeStrings: 15, decoys: 20, overrides: 8, respellNumbers: 30 })), runs(60), 4);
    expect(n).toBeGreaterThan(1000);
  }, LIMIT_MS + 60_000);

  it('raw text with heavy tokens: huge strings, ~50-deep nesting, thousands of keys, long role lists', async () => {
    const n = await differential(
      arbBatch(3, texts({ heavy: true, maxHugeString: 400_000, escapeKeys: 10, decoys: 10 }, { noTokenPercent: 0 }), { maxRoutes: 10 }),
      runs(60),
      5,
    );
    expect(n).toBeGreaterThan(25);
  }, LIMIT_MS + 60_000);
});

describe('duplicate keys are read as JSON.parse reads them: the last one wins', () => {
  const at = { file: 'policies.yaml', line: 1, col: 1 };
  const ir: PolicyIR = {
    version: 1,
    audience: null,
    issuer: null,
    routes: [
      {
        key: 'GET /a',
        method: 'GET',
        segments: [{ kind: 'literal', value: 'a' }],
        public: false,
        checks: [
          { kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: null, path: 'routes["GET /a"].require.emailVerified', at },
          { kind: 'roles', id: 'st-role', anyOf: ['admin'], allOf: null, noneOf: null, maxAgeSeconds: null, path: 'routes["GET /a"].require.roles', at },
        ],
        at,
      },
    ],
  };
  const request = '"request":{"method":"GET","path":"/a"}';
  const cases: [string, string, boolean, number][] = [
    ['escaped duplicate after: true wins', `{${request},"token":{"st-role":{"v":["admin"]},"st-ev":{"v":false},"st\\u002dev":{"v":true}},"now":${BASE_NOW}}`, true, 200],
    ['escaped duplicate before: false wins', `{${request},"token":{"st-role":{"v":["admin"]},"st\\u002Dev":{"v":true},"st-ev":{"v":false}},"now":${BASE_NOW}}`, false, 403],
    ['fully escaped key', `{${request},"token":{"\\u0073\\u0074\\u002d\\u0072\\u006f\\u006c\\u0065":{"v":["\\u0061dmin"]},"st-ev":{"v":true}},"now":${BASE_NOW}}`, true, 200],
    ['admin token, then "token": null → 401', `{${request},"token":{"st-role":{"v":["admin"]},"st-ev":{"v":true}},"token":null,"now":${BASE_NOW}}`, false, 401],
    ['escaped "token" key null after admin token → 401', `{${request},"token":{"st-role":{"v":["admin"]},"st-ev":{"v":true}},"t\\u006fken":null,"now":${BASE_NOW}}`, false, 401],
    ['request duplicated: the last path wins', `{"request":{"method":"GET","path":"/a"},"request":{"method":"GET","path":"/b"},"token":{"st-role":{"v":["admin"]},"st-ev":{"v":true}},"now":${BASE_NOW}}`, false, 403],
    ['now duplicated: the last (invalid) wins', `{${request},"token":{"st-role":{"v":["admin"]},"st-ev":{"v":true}},"now":${BASE_NOW},"now":"x"}`, false, 403],
    ['role list duplicated inside the claim', `{${request},"token":{"st-role":{"v":["admin"],"v":["user"]},"st-ev":{"v":true}},"now":${BASE_NOW}}`, false, 403],
  ];
  let auth: Authorizer;
  it.each(cases)('%s', async (_name, text, allow, status) => {
    auth ??= await artifact(ir);
    const want = decide(ir, JSON.parse(text));
    expect(want.allow).toBe(allow);
    expect(want.status).toBe(status);
    expect(compareOne(auth, ir, { text }, decide)).toBeNull();
  });
});
