// The engines a user would pick instead (docs/benchmarks.md), set up with the same route
// table and checks, so ratios compare like with like.
import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

/** Hand-written JS: Map.get(routeKey) + inline checks. The floor: no engine, no isolation. */
export function handWritten(keys) {
  const routes = new Map();
  for (const key of keys) {
    if (key === 'GET /health') routes.set(key, null);
    else routes.set(key, key === 'DELETE /orders/{orderId}' ? { anyOf: ['admin'], mfa: true } : { anyOf: ['admin', 'user'], mfa: false });
  }
  return (input) => {
    const rule = routes.get(input.request.routeKey);
    if (rule === undefined) return false;
    if (rule === null) return true;
    const t = input.token;
    if (!t) return false;
    const aud = t.aud;
    if (!(aud === 'jwtAuthorizers' || (Array.isArray(aud) && aud.includes('jwtAuthorizers')))) return false;
    if (t['st-ev']?.v !== true) return false;
    const roles = t['st-role']?.v;
    if (!Array.isArray(roles) || !rule.anyOf.some((r) => roles.includes(r))) return false;
    if (rule.mfa && t['st-mfa']?.v !== true) return false;
    return true;
  };
}

// The whole rule lives in the matcher, as a casbin user would write it for claims: the request
// subject is the token's relevant claims; `hasRole` is a registered function.
const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = role, obj, act, mfa
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.act == p.act && keyMatch2(r.obj, p.obj) && r.sub.aud == "jwtAuthorizers" && r.sub.ev == true && (p.mfa == "no" || r.sub.mfa == true) && hasRole(r.sub.roles, p.role)
`;

/** casbin enforceSync with the keyMatch2 REST model; roles, email, MFA and audience in the matcher. */
export async function casbinEngine(keys) {
  const lines = keys.map((key) => {
    const [method, path] = key.split(' ');
    const obj = path.replace(/\{(\w+)\+?\}/g, ':$1');
    const target = key === 'DELETE /orders/{orderId}';
    return `p, ${target ? 'admin' : 'admin|user'}, ${obj}, ${method}, ${target ? 'yes' : 'no'}`;
  });
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL), new StringAdapter(lines.join('\n')));
  await enforcer.addFunction('hasRole', (roles, allowed) => {
    const set = String(allowed).split('|');
    return Array.isArray(roles) && roles.some((r) => set.includes(r));
  });
  return (input) => {
    const t = input.token;
    const sub = { aud: t.aud, ev: t['st-ev']?.v === true, mfa: t['st-mfa']?.v === true, roles: t['st-role']?.v ?? [] };
    return enforcer.enforceSync(sub, input.request.path, input.request.method);
  };
}

/** Cedar with a pre-parsed policy set: one permit per route; the token goes in as context. */
export function cedarEngine(keys) {
  const policies = keys.map((key, i) => {
    const roles = key === 'DELETE /orders/{orderId}' ? '["admin"]' : '["admin", "user"]';
    const mfa = key === 'DELETE /orders/{orderId}' ? ' && context.token["st-mfa"].v == true' : '';
    return `@id("r${i}") permit(principal, action == Action::"call", resource == Route::${JSON.stringify(key)}) when { context.token.aud == "jwtAuthorizers" && context.token["st-ev"].v == true && context.token["st-role"].v.containsAny(${roles})${mfa} };`;
  });
  const parsed = cedar.preparsePolicySet('routes', { staticPolicies: policies.join('\n') });
  if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
  return (input) => {
    const t = input.token;
    // Cedar has no null and no floats in context: convert the token the way an integration must.
    const token = {
      sub: t.sub,
      aud: t.aud,
      'st-ev': { v: t['st-ev'].v, t: t['st-ev'].t },
      'st-role': { v: t['st-role'].v, t: t['st-role'].t },
      'st-mfa': { v: t['st-mfa'].v },
    };
    const answer = cedar.statefulIsAuthorized({
      principal: { type: 'User', id: t.sub },
      action: { type: 'Action', id: 'call' },
      resource: { type: 'Route', id: input.request.routeKey },
      context: { token },
      preparsedPolicySetId: 'routes',
      entities: [],
    });
    return answer.type === 'success' && answer.response.decision === 'allow';
  };
}

/**
 * The SDK's own glue for one evaluate(), without any wasm work: stringify the input, encode it,
 * copy it into linear memory, then decode a result string and JSON.parse it — what every OPA
 * wasm policy pays through @open-policy-agent/opa-wasm.
 */
export function sdkGlueFloor(resultJson) {
  const mem = new WebAssembly.Memory({ initial: 5 });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const resultBytes = encoder.encode(resultJson);
  new Uint8Array(mem.buffer).set(resultBytes, 200000);
  return (input) => {
    const bytes = encoder.encode(JSON.stringify(input));
    const view = new Uint8Array(mem.buffer);
    view.set(bytes, 100000);
    let end = 200000;
    while (view[end] !== 0) end++;
    return JSON.parse(decoder.decode(view.subarray(200000, end)));
  };
}
