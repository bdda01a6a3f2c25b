// Measures the compiled decision at several policy sizes: encode and link time, table and module
// size, and per-decision cost (the SDK's whole evaluate, raw opa_eval, and input parsing alone),
// so the wasm work can be told apart from the SDK's glue. Decision cost must stay flat.
//   npx tsx scripts/measure-decide.ts [routes…]        (default: 20 2000 10000)
import { readFileSync } from 'node:fs';
import opa from '@open-policy-agent/opa-wasm';
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
/** DESIGN §3's input with a realistic SuperTokens access-token payload (~560 bytes). */
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
/** Median ns per call over 7 batches. */
function perCall(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 5000); i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  return median(samples);
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

const runtime = readFileSync(new URL('../lib/compile/runtime.wasm', import.meta.url));
const sizes = process.argv.slice(2).map(Number);
console.log(`runtime.wasm ${runtime.length} B`);
console.log('routes | encode ms | link ms | table B | module B | load ms | SDK evaluate µs | opa_eval µs | parse-only µs | decide≈ µs | routeKey hit opa_eval µs');
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
  const want = JSON.stringify(JSON.parse(JSON.stringify(decide(ir, byPath))));
  const got = JSON.stringify(policy.evaluate(byPath, 'claimguard/decision')[0]!.result);
  if (got !== want) throw new Error(`mismatch at ${n} routes:\n${got}\n${want}`);

  const sdkNs = perCall(() => policy.evaluate(byPath, 'claimguard/decision'), 20000);
  const x = policy.wasmInstance.exports as Record<string, (...a: number[]) => number>;
  const raw = (doc: unknown): (() => void) => {
    const bytes = new TextEncoder().encode(JSON.stringify(doc));
    const at = policy.dataHeapPtr;
    new Uint8Array(policy.mem.buffer).set(bytes, at);
    return () => void x.opa_eval!(0, 0, policy.dataAddr, at, bytes.length, at + bytes.length, 0);
  };
  const evalNs = perCall(raw(byPath), 50000);
  const evalKeyNs = perCall(raw(byKey), 50000);
  const bytes = new TextEncoder().encode(JSON.stringify(byPath));
  const at = policy.dataHeapPtr;
  new Uint8Array(policy.mem.buffer).set(bytes, at);
  const parseNs = perCall(() => {
    x.opa_heap_ptr_set!(at + bytes.length);
    x.opa_value_parse!(at, bytes.length);
  }, 50000);
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
      (parseNs / 1000).toFixed(2),
      ((evalNs - parseNs) / 1000).toFixed(2),
      (evalKeyNs / 1000).toFixed(2),
    ].join(' | '),
  );
}
console.log(`input ${JSON.stringify(designInput(null, '/v1/res0/42/owner', 'GET')).length} B`);
