// The one place that imports @open-policy-agent/opa-wasm. Its ESM entry exports `loadPolicySync`
// only on the default export, while its .d.mts declares named exports and no default; this adapter
// gives the rest of the code one typed view that matches what runs.
import * as sdk from '@open-policy-agent/opa-wasm';

type Sdk = typeof sdk;

const mod = ((sdk as unknown as { default?: Sdk }).default ?? sdk) as Sdk;

export const loadPolicySync: Sdk['loadPolicySync'] = mod.loadPolicySync;
export const loadPolicy: Sdk['loadPolicy'] = mod.loadPolicy;
export type LoadedPolicy = ReturnType<Sdk['loadPolicySync']>;
