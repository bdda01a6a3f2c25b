// The `createNewSession` override that stamps the policy's audience into every access token, so the
// API Gateway JWT authorizer's Audience and the token's `aud` come from one source (policies.yaml).
import type { init as initSession, RecipeInterface } from 'supertokens-node/recipe/session';

/** Session.init's config. */
export type SessionConfig = NonNullable<Parameters<typeof initSession>[0]>;

/** Session's `override.functions` hook, as supertokens-node types it. */
export type SessionFunctionsOverride = NonNullable<NonNullable<SessionConfig['override']>['functions']>;

type Payload = Record<string, unknown>;

/**
 * The payload with `aud` containing every given audience. An existing `aud` (string or array) is
 * kept and extended, never replaced: another consumer's audience stays valid.
 */
export function withAudience(payload: unknown, audience: readonly string[]): Payload {
  const p: Payload = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Payload) : {};
  const existing = p.aud;
  const list: string[] =
    typeof existing === 'string' ? [existing] : Array.isArray(existing) ? existing.filter((a): a is string => typeof a === 'string') : [];
  for (const a of audience) if (!list.includes(a)) list.push(a);
  return { ...p, aud: list.length === 1 ? list[0] : list };
}

/**
 * Session `override.functions` that puts `aud` into `accessTokenPayload` on `createNewSession`.
 *
 * With `inner` (your own override), both apply: yours is the outer layer and runs first; the
 * "original implementation" it is given is ours, which adds `aud` and then calls SuperTokens'.
 * So `aud` is always the last word before the core signs the token, whatever your override does
 * to the payload (as long as it calls the original `createNewSession`).
 */
export function audienceOverride(audience: string | readonly string[], inner?: SessionFunctionsOverride): SessionFunctionsOverride {
  const list = typeof audience === 'string' ? [audience] : [...audience];
  if (list.length === 0 || list.some((a) => typeof a !== 'string' || a === '')) {
    throw new TypeError('audienceOverride: audience must be a non-empty string or list of them');
  }
  return (originalImplementation, builder) => {
    const createNewSession: RecipeInterface['createNewSession'] = (input) =>
      originalImplementation.createNewSession({ ...input, accessTokenPayload: withAudience(input.accessTokenPayload, list) });
    if (inner === undefined) return { ...originalImplementation, createNewSession };
    // `originalImplementation` is supertokens-js-override's proxy: its functions reach the layer
    // below through `this._call`, which exists only on the proxy itself. So our layer forwards
    // each call to the proxy (never copies its functions), and yours is built on top of it.
    const ours = {} as Record<string, unknown>;
    for (const key of Object.keys(originalImplementation) as (keyof RecipeInterface)[]) {
      const fn = originalImplementation[key] as unknown;
      if (typeof fn !== 'function' || (key as string) === '_call') continue;
      ours[key] = (...args: unknown[]): unknown => Reflect.apply(fn, originalImplementation, args);
    }
    ours.createNewSession = createNewSession;
    return inner(ours as unknown as RecipeInterface, builder);
  };
}
