// Stands in for `yaml` and `sprintf-js` inside the OPA SDK, in handlers bundled with the
// `claimguard/esbuild` plugin. The SDK loads them eagerly for Rego built-ins (`yaml.marshal`,
// `sprintf`, …), but a module calls a built-in only through the `opa_builtin*` imports, and
// claimguard's policy.wasm imports none (only `env.memory` and `env.opa_abort`): these are never
// reached. If one ever were, it throws, the evaluation fails, and the wrapper answers 500.
const unavailable = (): never => {
  throw new Error('claimguard: a Rego built-in was called, but claimguard policy modules use none (the OPA SDK built-ins are left out of this bundle)');
};

export const parse = unavailable;
export const stringify = unavailable;
export const parseAllDocuments = unavailable;
export const vsprintf = unavailable;
export const sprintf = unavailable;
export default { parse, stringify, parseAllDocuments, vsprintf, sprintf };
