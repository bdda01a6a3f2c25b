// IR → policy.wasm → bundle. The module's runtime (lib/compile/runtime.wasm) is compiled once from
// AssemblyScript when the package builds; compiling a policy only encodes its route table and
// splices it into a copy of that module, which is why a 10,000-route policy compiles in well under
// a second and the artifact stays one self-contained, hash-pinned file.
import { ClaimguardError } from '../errors.js';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeManifest, type BundleManifest } from '../bundle/manifest.js';
import { revisionOf } from '../bundle/revision.js';
import type { BundleSignature, SigningOptions } from '../bundle/signatures/sign.js';
import { bundleEntries, writeBundle } from '../bundle/write.js';
import type { PolicyIR } from '../policy/ir.js';
import { policyCounts } from '../policy/stats.js';
import { encodePolicyTable } from './encode/index.js';
import { linkPolicyModule } from './link.js';

export interface CompileStats {
  readonly routes: number;
  readonly publicRoutes: number;
  /** Leaf requirements across all routes (each anyOf branch's checks counted). */
  readonly requirements: number;
  readonly tableBytes: number;
  readonly moduleBytes: number;
}

export interface CompiledPolicy {
  readonly wasm: Uint8Array;
  readonly revision: string;
  readonly stats: CompileStats;
}

export type CompileErrorCode = 'RUNTIME_MISSING';

export class CompileError extends ClaimguardError<CompileErrorCode> {
  override readonly name = 'CompileError';
}

let runtime: Uint8Array | undefined;

/** The prebuilt runtime: beside this file once compiled to lib/, or in lib/ when run from src/. */
export function runtimeWasm(): Uint8Array {
  if (runtime) return runtime;
  const candidates = [new URL('./runtime.wasm', import.meta.url), new URL('../../lib/compile/runtime.wasm', import.meta.url)];
  const found = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (!found) throw new CompileError('RUNTIME_MISSING', 'lib/compile/runtime.wasm is missing: run `npm run build` first');
  runtime = readFileSync(found);
  return runtime;
}

export function compilePolicy(ir: PolicyIR): CompiledPolicy {
  const table = encodePolicyTable(ir);
  const wasm = linkPolicyModule(runtimeWasm(), table);
  return {
    wasm,
    revision: revisionOf(wasm),
    stats: {
      ...policyCounts(ir),
      tableBytes: table.length,
      moduleBytes: wasm.length,
    },
  };
}

export interface BuiltBundle {
  readonly bytes: Uint8Array;
  readonly manifest: BundleManifest;
  readonly compiled: CompiledPolicy;
  /** The signature written as /.signatures.json, or null for an unsigned bundle. */
  readonly signature: BundleSignature | null;
}

export interface BuildBundleOptions {
  /** Sign the bundle as `opa build --signing-key` does (docs/bundles.md). */
  readonly signing?: SigningOptions;
}

/**
 * Same IR in, byte-identical bundle out (signed with RS256 or HS256 too; an ES256 signature is
 * randomized). Key problems throw a BundleError('BUNDLE_KEY_INVALID').
 */
export async function buildBundle(ir: PolicyIR, options: BuildBundleOptions = {}): Promise<BuiltBundle> {
  const compiled = compilePolicy(ir);
  const manifest = makeManifest(compiled.revision);
  const files = { manifest, dataJson: '{}\n', wasm: compiled.wasm };
  let signature: BundleSignature | null = null;
  if (options.signing !== undefined) {
    // Imported here: only signing builds load jose.
    const { signBundleEntries } = await import('../bundle/signatures/sign.js');
    signature = await signBundleEntries(bundleEntries(files), options.signing);
  }
  const bytes = await writeBundle(signature === null ? files : { ...files, signatures: signature.signatures });
  return { bytes, manifest, compiled, signature };
}
