// The bundle manifest claimguard writes and accepts (OPA's `.manifest`; docs/bundles.md).
import { BundleError } from './errors.js';

export const ENTRYPOINTS = ['claimguard/decision', 'claimguard/allow'] as const;
export type Entrypoint = (typeof ENTRYPOINTS)[number];

export interface BundleManifest {
  readonly revision: string;
  readonly roots: readonly string[];
  readonly wasm: readonly { readonly entrypoint: string; readonly module: string }[];
  readonly rego_version: 1;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Field order follows OPA's Manifest struct so the file reads like one OPA wrote. */
export function makeManifest(revision: string, metadata?: Record<string, unknown>): BundleManifest {
  return {
    revision,
    roots: ['claimguard'],
    wasm: ENTRYPOINTS.map((entrypoint) => ({ entrypoint, module: '/policy.wasm' })),
    rego_version: 1,
    ...(metadata ? { metadata } : {}),
  };
}

/** Refuses any manifest that is not exactly claimguard's shape: a bundle is a sealed artifact. */
export function checkManifest(value: unknown): BundleManifest {
  const bad = (why: string): never => {
    throw new BundleError('BUNDLE_MANIFEST_INVALID', `bundle manifest: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not a JSON object');
  const m = value as Record<string, unknown>;
  if (typeof m.revision !== 'string' || m.revision === '') bad('"revision" must be a non-empty string');
  if (!Array.isArray(m.roots) || m.roots.length !== 1 || m.roots[0] !== 'claimguard') bad('"roots" must be ["claimguard"]');
  if (m.rego_version !== 1) bad('"rego_version" must be 1');
  if (!Array.isArray(m.wasm)) return bad('"wasm" must be an array');
  const names = m.wasm.map((w: unknown) => {
    const e = (w ?? {}) as Record<string, unknown>;
    if (e.module !== '/policy.wasm') bad(`wasm entry module must be "/policy.wasm", got ${JSON.stringify(e.module)}`);
    return e.entrypoint;
  });
  if (names.length !== ENTRYPOINTS.length || ENTRYPOINTS.some((ep, i) => names[i] !== ep)) {
    throw new BundleError(
      'BUNDLE_ENTRYPOINT_MISMATCH',
      `bundle entrypoints ${JSON.stringify(names)} are not ${JSON.stringify(ENTRYPOINTS)}`,
    );
  }
  return m as unknown as BundleManifest;
}
