// Measures the compiled decision at several policy sizes: encode and link time, table and module
// size, and per-decision cost (the SDK's whole evaluate, raw opa_eval, and input parsing alone),
// so the wasm work can be told apart from the SDK's glue. Decision cost must stay flat.
//   npx tsx scripts/measure-decide.ts [routes…]        (default: 20 2000 10000)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as opa from '../src/runtime/opa-sdk.js';
import { encodePolicyTable } from '../src/compile/encode/index.js';
import { linkPolicyModule } from '../src/compile/link.js';
import { decide } from '../src/decision/evaluate.js';
import type { Check, HttpMethod, IRRoute, PolicyIR, Segment } from '../src/policy/ir.js';

const AT = { file: 'policies.yaml', line: 1, col: 1 };
const base = { path: 'p', at: AT };

/** A policy shaped like a real API: resources with collection/item/sub-resource routes. */
export function syntheticPolicy(n: number): PolicyIR {
  const globals: Check[] = [
    { kind: 'audience', id: 'aud', anyOf: ['jwtAuthorizers'], ...base },
    { kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: null, ...base },
  ];
  const routes: IRRoute[] = [];
  const lit = (value: string): Segment => ({ kind: 'literal', value });
  const param = (name: string): Segment => ({ kind: 'param', name });
  const add = (method: HttpMethod, segments: Segment[], checks: Check[], pub = false): void => {
    const path = '/' + segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? `{${s.name}}` : `{${s.name}+}`)).join('/');
    routes.push({ key: `${method} ${path}`, method, segments, public: pub, checks: pub ? [] : [...globals, ...checks], at: AT });
  };
  add('GET', [lit('health')], [], true);
  for (let r = 0; routes.length < n; r++) {
    const res = `res${r}`;
    const roles = (x: string[]): Check => ({ kind: 'roles', id: 'st-role', anyOf: x, allOf: null, noneOf: null, maxAgeSeconds: null, ...base });
    const shapes: [HttpMethod, Segment[], Check[]][] = [
      ['GET', [lit('v1'), lit(res)], [roles(['customer', 'admin'])]],
      ['POST', [lit('v1'), lit(res)], [roles([`${res}-writer`, 'admin'])]],
      ['GET', [lit('v1'), lit(res), param('id')], [roles(['customer', 'admin'])]],
      ['PUT', [lit('v1'), lit(res), param('id')], [roles([`${res}-writer`, 'admin'])]],
      [
        'DELETE',
        [lit('v1'), lit(res), param('id')],
        [roles(['admin']), { kind: 'mfa', id: 'st-mfa', factors: { allOf: ['totp'], anyOf: null }, maxAgeSeconds: 300, ...base }],
      ],
      [
        'GET',
        [lit('v1'), lit(res), param('id'), lit('owner')],
        [
          {
            kind: 'anyOf',
            ...base,
            branches: [[roles(['admin'])], [{ kind: 'subject', id: 'sub', equalsPathParam: 'id', ...base }]],
          },
        ],
      ],
      ['ANY', [lit('v1'), lit(res), param('id'), { kind: 'greedy', name: 'rest' }], [roles(['admin'])]],
    ];
    for (const [m, s, c] of shapes) if (routes.length < n) add(m, s, c);
  }
  return { version: 1, audience: 'jwtAuthorizers', issuer: null, routes };
}

const NOW = 1712345680000;
/** docs/decision.md's example input with a realistic SuperTokens access-token payload (~560 bytes). */
export function designInput(routeKey: string | null, path: string, method: string): Record<string, unknown> {
  return {
    request: { method, ...(routeKey ? { routeKey } : {}), path, pathParameters: { id: '42' } },
    token: {
      iat: 1712345600,
      exp: 1712349200,
      sub: 'a4b1e3c2-7d4f-4e6b-9a2c-0f1e2d3c4b5a',
      tId: 'public',
      rsub: 'a4b1e3c2-7d4f-4e6b-9a2c-0f1e2d3c4b5a',
      sessionHandle: '0b7c6f1e-9a2d-4c3b-8e5f-1a2b3c4d5e6f',
      refreshTokenHash1: '3f2a9c8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a',
      parentRefreshTokenHash1: null,
      antiCsrfToken: null,
      iss: 'https://api.example.com/auth',
      aud: 'jwtAuthorizers',
      'st-ev': { v: true, t: 1712345000000 },
      'st-role': { v: ['admin', 'customer'], t: 1712345678901 },
      'st-perm': { v: ['orders:read', 'orders:write'], t: 1712345678901 },
      'st-mfa': { c: { totp: 1712345650 }, v: true },
    },
    now: NOW,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
/** ns per call: the fastest of 9 batches (other load on the machine only ever adds time). */
function perCall(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 5000); i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < 9; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  return Math.min(...samples);
}
function timeMs(fn: () => void, repeats = 5): number {
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

interface SdkPolicy {
  evaluate(input: unknown, ep: string | number): { result: unknown }[];
  wasmInstance: WebAssembly.Instance;
  mem: WebAssembly.Memory;
  dataAddr: number;
  dataHeapPtr: number;
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) main();

function main(): void {
  const runtime = readFileSync(new URL('../lib/compile/runtime.wasm', import.meta.url));
  // The same runtime plus bench_policy_eval (policy/bench.ts): decisions looped inside wasm.
  const benchOut = join(mkdtempSync(join(tmpdir(), 'claimguard-bench-')), 'runtime-bench.wasm');
  execFileSync(process.execPath, [
    fileURLToPath(new URL('./build-runtime.js', import.meta.url)),
    '--entry',
    fileURLToPath(new URL('../src/compile/runtime/assembly/policy/bench.ts', import.meta.url)),
    '--out',
    benchOut,
  ]);
  const benchRuntime = readFileSync(benchOut);
  const sizes = process.argv.slice(2).map(Number);
  console.log(`runtime.wasm ${runtime.length} B; input ${JSON.stringify(designInput(null, '/v1/res0/42/owner', 'GET')).length} B`);
  console.log(
    'routes | encode ms | link ms | table B | module B | load ms | SDK evaluate µs | opa_eval µs | decide by path µs | by routeKey µs | allow ep µs',
  );
  for (const n of sizes.length ? sizes : [20, 2000, 10000]) {
    const ir = syntheticPolicy(n);
    let table = encodePolicyTable(ir);
    const encodeMs = timeMs(() => (table = encodePolicyTable(ir)));
    let wasm = linkPolicyModule(runtime, table);
    const linkMs = timeMs(() => (wasm = linkPolicyModule(runtime, table)));
    let policy = opa.loadPolicySync(wasm) as unknown as SdkPolicy;
    const loadMs = timeMs(() => (policy = opa.loadPolicySync(wasm) as unknown as SdkPolicy));

    // The target: an owner route deep in the table, reached by path (no routeKey) and by routeKey.
    const last = ir.routes.filter((r) => r.key.endsWith('/{id}/owner')).at(-1)!;
    const path = last.key.split(' ')[1]!.replace('{id}', '42');
    const byPath = designInput(null, path, 'GET');
    const byKey = designInput(last.key, path, 'GET');
    for (const doc of [byPath, byKey]) {
      const want = JSON.stringify(JSON.parse(JSON.stringify(decide(ir, doc))));
      const got = JSON.stringify(policy.evaluate(doc, 'claimguard/decision')[0]!.result);
      if (got !== want) throw new Error(`mismatch at ${n} routes:\n${got}\n${want}`);
    }

    const sdkNs = perCall(() => policy.evaluate(byPath, 'claimguard/decision'), 20000);
    const x = policy.wasmInstance.exports as Record<string, (...a: number[]) => number>;
    const bytes = new TextEncoder().encode(JSON.stringify(byPath));
    const at = policy.dataHeapPtr;
    new Uint8Array(policy.mem.buffer).set(bytes, at);
    const evalNs = perCall(() => void x.opa_eval!(0, 0, policy.dataAddr, at, bytes.length, at + bytes.length, 0), 50000);

    // Decision alone: parse once into the bench module's heap, loop policyEval inside wasm.
    const bench = opa.loadPolicySync(linkPolicyModule(benchRuntime, table)) as unknown as SdkPolicy;
    const bx = bench.wasmInstance.exports as Record<string, (...a: number[]) => number>;
    const parsed = (doc: unknown): number => {
      const b = new TextEncoder().encode(JSON.stringify(doc));
      const p = bx.opa_malloc!(b.length);
      new Uint8Array(bench.mem.buffer).set(b, p);
      return bx.opa_json_parse!(p, b.length);
    };
    const vPath = parsed(byPath);
    const vKey = parsed(byKey);
    const ITER = 200000;
    const loop = (ep: number, v: number): number => perCall(() => void bx.bench_policy_eval!(ep, v, ITER), 1) / ITER;
    console.log(
      [
        n,
        encodeMs.toFixed(1),
        linkMs.toFixed(1),
        table.length,
        wasm.length,
        loadMs.toFixed(1),
        (sdkNs / 1000).toFixed(2),
        (evalNs / 1000).toFixed(2),
        (loop(0, vPath) / 1000).toFixed(3),
        (loop(0, vKey) / 1000).toFixed(3),
        (loop(1, vPath) / 1000).toFixed(3),
      ].join(' | '),
    );
  }
}
