// End to end through the real artifact: examples/orders-api/policies.yaml → loadPolicy → buildBundle
// → dist/bundle.tar.gz on disk → withAuthorization (loadBundle + the official OPA SDK) on the
// real-shaped sample events; and every way a bundle can be broken, which must never allow.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import middy from '@middy/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildBundle, type BuiltBundle } from '../../src/compile/compile.js';
import { readBundle } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';
import { decide } from '../../src/decision/evaluate.js';
import { withAuthorization, type AuthorizationOptions } from '../../src/lambda/index.js';
import { claimguardMiddleware } from '../../src/lambda/middy.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { CONTEXT, logSink, NOW, payloadOf, v1Event, v2Event, withPayload } from './fixtures.js';

let ir: PolicyIR;
let built: BuiltBundle;
let root: string;

beforeAll(async () => {
  const loaded = await loadPolicy(new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  ir = loaded.ir;
  built = await buildBundle(ir);
  root = mkdtempSync(join(tmpdir(), 'claimguard-task-'));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'bundle.tar.gz'), built.bytes);
});

const savedRoot = process.env.LAMBDA_TASK_ROOT;
afterEach(() => {
  if (savedRoot === undefined) delete process.env.LAMBDA_TASK_ROOT;
  else process.env.LAMBDA_TASK_ROOT = savedRoot;
});

const OK = { statusCode: 200, body: 'ok' };
const json = { 'content-type': 'application/json' };
const INTERNAL = { statusCode: 500, headers: json, body: '{"message":"internal error"}' };

function wrap(options: Partial<AuthorizationOptions> = {}) {
  const log = logSink();
  const handler = vi.fn(async () => OK);
  const wrapped = withAuthorization(handler, { clock: () => NOW, log: { sink: log.sink }, ...options });
  return { log, handler, call: (event: unknown) => wrapped(event as never, CONTEXT) };
}

describe('the real bundle from dist/bundle.tar.gz under LAMBDA_TASK_ROOT', () => {
  it.each<[string, unknown]>([
    ['v2-get-order.json', OK],
    ['v2-default-route.json', OK],
    ['v2-delete-order-admin.json', OK],
    ['v2-health-public.json', OK],
    ['v1-get-order.json', OK],
    ['v2-get-order-no-token.json', { statusCode: 401, headers: json, body: '{"message":"unauthorised"}' }],
    [
      'v2-delete-order-customer.json',
      {
        statusCode: 403,
        headers: json,
        body: '{"message":"invalid claim","claimValidationErrors":[{"id":"st-role","reason":{"message":"wrong value","expectedToInclude":["admin"],"actualValue":["customer"]}}]}',
      },
    ],
  ])('%s', async (name, expected) => {
    process.env.LAMBDA_TASK_ROOT = root;
    const { call, handler, log } = wrap();
    expect(await call(v2Event(name))).toEqual(expected);
    expect(handler).toHaveBeenCalledTimes(expected === OK ? 1 : 0);
    expect(log.lines[0]).toMatchObject({ revision: built.manifest.revision });
  });

  it('the wasm decision the handler gets is the reference evaluator’s, field for field', async () => {
    const { call, handler } = wrap({ bundle: built.bytes });
    const event = v2Event('v2-get-order.json');
    await call(event);
    const input = {
      request: { method: 'GET', routeKey: 'GET /orders/{orderId}', path: '/orders/42', pathParameters: { orderId: '42' } },
      token: payloadOf(event.headers.authorization!),
      now: NOW,
    };
    const { decisionId: _id, revision: _rev, token: _token, ...decision } = (handler.mock.calls[0] as unknown[])[2] as Record<string, unknown>;
    expect(decision).toEqual(decide(ir, input));
  });

  it.each<[string, (e: ReturnType<typeof v2Event>) => void]>([
    ['tampered sub', (e) => (e.headers.authorization = withPayload(e.headers.authorization!, { ...payloadOf(e.headers.authorization!), sub: 'x' }))],
    ['two Authorization headers', (e) => (e.headers.authorization = `${e.headers.authorization},${e.headers.authorization}`)],
    ['a JSON array payload', (e) => (e.headers.authorization = withPayload(e.headers.authorization!, [1]))],
  ])('%s → 401 before the bundle is asked', async (_name, tamper) => {
    const { call, handler } = wrap({ bundle: built.bytes });
    const event = v2Event('v2-get-order.json');
    tamper(event);
    expect((await call(event)).statusCode).toBe(401);
    expect(handler).not.toHaveBeenCalled();
  });

  it('the middy middleware on the real bundle', async () => {
    const inner = vi.fn(async () => OK);
    const handler = middy().use(claimguardMiddleware({ bundle: built.bytes, clock: () => NOW, log: false })).handler(inner);
    expect(await handler(v1Event('v1-get-order.json'), { ...CONTEXT })).toBe(OK);
    expect((await handler(v2Event('v2-delete-order-customer.json'), { ...CONTEXT })).statusCode).toBe(403);
    expect(inner).toHaveBeenCalledOnce();
  });

  it('an error the handler throws propagates as its own', async () => {
    const boom = new Error('boom');
    const wrapped = withAuthorization(
      async () => {
        throw boom;
      },
      { bundle: built.bytes, clock: () => NOW, log: false },
    );
    await expect(wrapped(v2Event('v2-get-order.json'), CONTEXT)).rejects.toBe(boom);
  });
});

describe('broken bundles: every request 500, never the handler', () => {
  const variants: [string, () => Promise<Partial<AuthorizationOptions>>, string][] = [
    ['missing file', async () => ({ bundle: join(tmpdir(), 'no-such-dir', 'bundle.tar.gz') }), 'BUNDLE_NOT_FOUND'],
    ['missing default dist/bundle.tar.gz', async () => ((process.env.LAMBDA_TASK_ROOT = mkdtempSync(join(tmpdir(), 'empty-'))), {}), 'BUNDLE_NOT_FOUND'],
    ['truncated bytes', async () => ({ bundle: built.bytes.slice(0, Math.floor(built.bytes.length / 2)) }), 'BUNDLE_CORRUPT'],
    ['not gzip at all', async () => ({ bundle: new TextEncoder().encode('{"allow":true}') }), 'BUNDLE_CORRUPT'],
    [
      'manifest entrypoints swapped',
      async () => {
        const files = readBundle(built.bytes);
        const manifest = files.manifest as { wasm: { entrypoint: string; module: string }[] };
        const swapped = { ...manifest, wasm: [...manifest.wasm].reverse() };
        return { bundle: await writeBundle({ manifest: swapped, wasm: files.wasm }) };
      },
      'BUNDLE_ENTRYPOINT_MISMATCH',
    ],
    [
      'manifest entrypoint renamed',
      async () => {
        const files = readBundle(built.bytes);
        const manifest = files.manifest as { wasm: { entrypoint: string; module: string }[] };
        const renamed = { ...manifest, wasm: manifest.wasm.map((w, i) => (i === 0 ? { ...w, entrypoint: 'claimguard/allow_all' } : w)) };
        return { bundle: await writeBundle({ manifest: renamed, wasm: files.wasm }) };
      },
      'BUNDLE_ENTRYPOINT_MISMATCH',
    ],
    [
      'policy.wasm altered after build (revision mismatch)',
      async () => {
        const files = readBundle(built.bytes);
        const wasm = Uint8Array.from(files.wasm);
        const last = wasm.length - 1;
        wasm[last] = wasm[last]! ^ 1;
        return { bundle: await writeBundle({ manifest: files.manifest as object, wasm }) };
      },
      'BUNDLE_REVISION_MISMATCH',
    ],
    ['not the pinned revision', async () => ({ bundle: built.bytes, expectedRevision: '0'.repeat(64) }), 'BUNDLE_REVISION_MISMATCH'],
  ];

  it.each(variants)('%s', async (_name, make, code) => {
    const { call, handler, log } = wrap(await make());
    for (const name of ['v2-get-order.json', 'v2-health-public.json', 'v2-delete-order-admin.json']) {
      expect(await call(v2Event(name))).toEqual(INTERNAL);
    }
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines.map((l) => [l.status, l.reasons])).toEqual([
      [500, [code]],
      [500, [code]],
      [500, [code]],
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('"allow":true');
  });
});
