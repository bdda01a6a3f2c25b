// Test support: an IR compiled to policy.wasm and loaded by the official SDK, next to the
// reference evaluator's decision normalized the way the SDK's JSON round trip normalizes it.
import { readFileSync } from 'node:fs';
import * as opa from '../../src/runtime/opa-sdk.js';
import { encodePolicyTable } from '../../src/compile/encode/index.js';
import { linkPolicyModule } from '../../src/compile/link.js';
import { decide } from '../../src/decision/evaluate.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { debugPolicyRuntime } from './runtime-harness.js';

let runtime: Uint8Array | undefined;
/** The runtime as shipped. */
export const runtimeWasm = (): Uint8Array =>
  (runtime ??= readFileSync(new URL('../../lib/compile/runtime.wasm', import.meta.url)));
let debug: Uint8Array | undefined;
/** The same sources built with their invariant assertions (runtime-harness.ts). */
export const debugRuntimeWasm = (): Uint8Array => (debug ??= debugPolicyRuntime());

export interface WasmPolicy {
  readonly wasm: Uint8Array;
  decide(input: unknown): unknown;
  allow(input: unknown): unknown;
  /** Evaluates raw JSON text (the SDK passes an ArrayBuffer through unchanged). */
  decideText(text: string): unknown;
}

type Loaded = ReturnType<typeof opa.loadPolicySync>;

/** The IR's table linked into the shipped runtime, or (`debug`) into the debug build. */
export function compileIR(ir: PolicyIR, { debug = false }: { debug?: boolean } = {}): WasmPolicy {
  const wasm = linkPolicyModule(debug ? debugRuntimeWasm() : runtimeWasm(), encodePolicyTable(ir));
  const policy: Loaded = opa.loadPolicySync(wasm);
  const one = (rs: unknown): unknown => {
    const set = rs as { result: unknown }[];
    if (!Array.isArray(set) || set.length !== 1) throw new Error(`result set ${JSON.stringify(rs)}`);
    return set[0]!.result;
  };
  return {
    wasm,
    decide: (input) => one(policy.evaluate(input, 'claimguard/decision')),
    allow: (input) => one(policy.evaluate(input, 'claimguard/allow')),
    decideText: (text) => {
      const bytes = new TextEncoder().encode(text);
      return one(policy.evaluate(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), 'claimguard/decision'));
    },
  };
}

/** The reference decision as the SDK would hand it back: JSON round trip (non-finite → null). */
export const referenceDecision = (ir: PolicyIR, input: unknown): unknown => JSON.parse(JSON.stringify(decide(ir, input)));

/** The input as the module receives it: what JSON.stringify makes of it (the SDK sends falsy input as none). */
export const asSent = (input: unknown): unknown => (input ? JSON.parse(JSON.stringify(input)) : undefined);
