// Builds the AssemblyScript runtime for tests, cached by a hash of the sources, and wraps raw
// instances. Every test build is a debug build (scripts/build-runtime.js --debug): the runtime's
// `if (DEBUG) assert(…)` invariants run and abort through opa_abort. The shipped runtime
// (lib/compile/runtime.wasm) has none of them; the policy tests run it as well.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sdkModule from '@open-policy-agent/opa-wasm';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const assemblyDir = join(root, 'src/compile/runtime/assembly');

/**
 * Appended to the test entry: dtoa.ts's powers of ten (from the table or the exact bignum path),
 * which a test checks against BigInt over their whole domain, 10^-324 .. 10^324.
 */
const DTOA_EXPORTS = `
import { pow10Mantissa, mHi, mLo } from "../dtoa";
export function t_pow10_mantissa(e: i32, exact: bool, out: usize): void {
  pow10Mantissa(e, exact);
  store<u64>(out, mLo);
  store<u64>(out, mHi, 8);
}
`;

function sourceHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') || name.endsWith('.json')) h.update(p).update(readFileSync(p));
    }
  };
  walk(assemblyDir);
  h.update(readFileSync(join(root, 'scripts/build-runtime.js')));
  // This file decides how the variants are built (stub, flags): a change here is a new build.
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  return h.digest('hex').slice(0, 16);
}

/**
 * Builds a debug runtime from a temporary copy of the AssemblyScript sources. With `stub`,
 * policy/ is replaced by the test stub (testing/stub-decide.ts as policy/decide.ts), so that runtime
 * tests never depend on the policy, and the test entry gains DTOA_EXPORTS; without, the policy is
 * the real one.
 */
function build(entry: string, name: string, stub = true): Uint8Array {
  const dir = join(tmpdir(), 'claimguard-runtime-test');
  mkdirSync(dir, { recursive: true });
  const hash = sourceHash();
  const out = join(dir, `${name}-${hash}.wasm`);
  if (!existsSync(out)) {
    const src = join(dir, `src-${name}-${hash}-${process.pid}`);
    rmSync(src, { recursive: true, force: true });
    cpSync(assemblyDir, src, { recursive: true });
    if (stub) {
      rmSync(join(src, 'policy'), { recursive: true, force: true });
      mkdirSync(join(src, 'policy'));
      cpSync(join(src, 'testing/stub-decide.ts'), join(src, 'policy/decide.ts'));
      appendFileSync(join(src, 'testing/exports.ts'), DTOA_EXPORTS);
    }
    const tmp = `${out}.${process.pid}.tmp.wasm`;
    try {
      execFileSync(process.execPath, ['scripts/build-runtime.js', '--debug', '--assembly', src, '--entry', join(src, entry), '--out', tmp], { cwd: root, stdio: 'pipe' });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer };
      throw new Error(`runtime build failed:\n${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
    renameSync(tmp, out);
  }
  return readFileSync(out);
}

/** The runtime's ABI surface (entry abi.ts), with the stub policy. */
export const stubRuntime = (): Uint8Array => build('abi.ts', 'runtime');
/** The test variant: the same module plus t_* exports of the value API. */
export const testRuntime = (): Uint8Array => build('testing/exports.ts', 'runtime-test');
/** The shipped runtime's sources with the real policy, as a debug build: link a table into it. */
export const debugPolicyRuntime = (): Uint8Array => build('abi.ts', 'runtime-policy-debug', false);

export class AbortError extends Error {
  override readonly name = 'AbortError';
}

type Fn = (...args: number[]) => number;

/** A raw instance with helpers; `opa_abort` throws AbortError(message). */
export class Raw {
  readonly memory: WebAssembly.Memory;
  readonly x: Record<string, Fn>;
  constructor(wasm: Uint8Array, memory = new WebAssembly.Memory({ initial: 2 })) {
    this.memory = memory;
    const env = {
      memory,
      opa_abort: (addr: number): never => {
        throw new AbortError(this.cstring(addr));
      },
    };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env });
    this.x = instance.exports as unknown as Record<string, Fn>;
  }
  get bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }
  fn(name: string): Fn {
    const f = this.x[name];
    if (!f) throw new Error(`no export ${name}`);
    return f;
  }
  cstring(addr: number): string {
    const b = this.bytes;
    let end = addr;
    while (b[end] !== 0) end++;
    return new TextDecoder().decode(b.subarray(addr, end));
  }
  /** Copies bytes into a fresh heap block, returns [addr, len]. */
  put(data: Uint8Array | string): [number, number] {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const p = this.fn('opa_malloc')(bytes.length);
    this.bytes.set(bytes, p);
    return [p, bytes.length];
  }
  parseJson(text: Uint8Array | string): number {
    return this.fn('opa_json_parse')(...this.put(text));
  }
  parseValue(text: Uint8Array | string): number {
    return this.fn('opa_value_parse')(...this.put(text));
  }
  jsonDump(v: number): string {
    return this.cstring(this.fn('opa_json_dump')(v));
  }
  valueDump(v: number): string {
    return this.cstring(this.fn('opa_value_dump')(v));
  }
  bufText(b: number): string {
    const p = this.fn('t_buf_ptr')(b);
    const n = this.fn('t_buf_len')(b);
    return new TextDecoder().decode(this.bytes.slice(p, p + n));
  }
  bufBytes(b: number): Uint8Array {
    const p = this.fn('t_buf_ptr')(b);
    const n = this.fn('t_buf_len')(b);
    return this.bytes.slice(p, p + n);
  }
}

// The SDK's ESM entry exports only a default object while its .d.mts declares named exports.
type Sdk = typeof sdkModule;
const sdk = ((sdkModule as unknown as { default?: Sdk }).default ?? sdkModule) as Sdk;
export const opa = { loadPolicySync: sdk.loadPolicySync, loadPolicy: sdk.loadPolicy };
