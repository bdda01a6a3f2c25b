// The bundle's entries, as `opa build` names and orders them (docs/bundles.md): OPA's writer puts
// /data.json first, then the Wasm module, then /.signatures.json, and /.manifest last.

export const DATA_JSON = '/data.json';
export const POLICY_WASM = '/policy.wasm';
export const SIGNATURES_JSON = '/.signatures.json';
export const MANIFEST = '/.manifest';

/** Archive order of every entry a claimguard bundle may hold. */
export const ENTRY_ORDER = [DATA_JSON, POLICY_WASM, SIGNATURES_JSON, MANIFEST] as const;

export type EntryName = (typeof ENTRY_ORDER)[number];

/** One file of the bundle, named with its leading "/" as it appears in the archive. */
export interface BundleEntry {
  readonly name: EntryName;
  readonly bytes: Uint8Array;
}
