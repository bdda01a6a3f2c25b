// audienceOverride on a fake originalImplementation: `aud` lands in the payload, and a caller's
// own override keeps its changes. The real SDK path is in auth-handler.test.ts.
import type { RecipeInterface } from 'supertokens-node/recipe/session';
import { OverrideableBuilder } from 'supertokens-js-override';
import { describe, expect, it, vi } from 'vitest';
import { audienceOverride, withAudience, type SessionFunctionsOverride } from '../../src/supertokens/index.js';

type Input = Parameters<RecipeInterface['createNewSession']>[0];

function fakeOriginal() {
  const created: Input[] = [];
  const original = {
    createNewSession: vi.fn(async (input: Input) => {
      created.push(input);
      return { kind: 'session' };
    }),
    getSession: vi.fn(async () => ({ kind: 'existing' })),
    revokeSession: vi.fn(async () => true),
  };
  return { original: original as unknown as RecipeInterface, spies: original, created };
}

const builder = {} as OverrideableBuilder<RecipeInterface>;
const input = (accessTokenPayload?: unknown): Input =>
  ({ userId: 'u1', recipeUserId: { getAsString: () => 'u1' }, tenantId: 'public', userContext: {}, accessTokenPayload }) as unknown as Input;

describe('withAudience', () => {
  it.each<[string, unknown, string[], unknown]>([
    ['no payload', undefined, ['jwtAuthorizers'], { aud: 'jwtAuthorizers' }],
    ['a payload without aud', { plan: 'pro' }, ['jwtAuthorizers'], { plan: 'pro', aud: 'jwtAuthorizers' }],
    ['the same aud already', { aud: 'jwtAuthorizers' }, ['jwtAuthorizers'], { aud: 'jwtAuthorizers' }],
    ['another aud (string): both kept', { aud: 'mobile' }, ['jwtAuthorizers'], { aud: ['mobile', 'jwtAuthorizers'] }],
    ['another aud (array)', { aud: ['a', 'b'] }, ['jwtAuthorizers'], { aud: ['a', 'b', 'jwtAuthorizers'] }],
    ['a malformed aud is replaced', { aud: 42 }, ['jwtAuthorizers'], { aud: 'jwtAuthorizers' }],
    ['several audiences', {}, ['x', 'y'], { aud: ['x', 'y'] }],
  ])('%s', (_name, payload, audience, expected) => {
    expect(withAudience(payload, audience)).toEqual(expected);
  });

  it('does not mutate the caller’s payload', () => {
    const payload = { plan: 'pro' };
    withAudience(payload, ['a']);
    expect(payload).toEqual({ plan: 'pro' });
  });
});

describe('audienceOverride', () => {
  it('puts aud into accessTokenPayload and leaves the rest of the input and recipe alone', async () => {
    const { original, spies, created } = fakeOriginal();
    const impl = audienceOverride('jwtAuthorizers')(original, builder);
    expect(await impl.createNewSession(input({ plan: 'pro' }))).toEqual({ kind: 'session' });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ userId: 'u1', tenantId: 'public', accessTokenPayload: { plan: 'pro', aud: 'jwtAuthorizers' } });
    expect(impl.getSession).toBe(spies.getSession);
  });

  it('composes with the caller’s override: both apply, the caller runs first, aud is the last word', async () => {
    const { original, spies, created } = fakeOriginal();
    const seenByCaller: unknown[] = [];
    const inner: SessionFunctionsOverride = (orig) => ({
      ...orig,
      createNewSession: async (i) => {
        seenByCaller.push(i.accessTokenPayload);
        // The caller adds a claim and (carelessly) tries its own aud: ours still ends up in it.
        return orig.createNewSession({ ...i, accessTokenPayload: { ...i.accessTokenPayload, plan: 'pro', aud: 'mobile' } });
      },
      getSession: async () => ({ kind: 'caller' }) as never,
    });
    const impl = audienceOverride('jwtAuthorizers', inner)(original, builder);
    await impl.createNewSession(input({ 'st-x': 1 }));
    expect(seenByCaller).toEqual([{ 'st-x': 1 }]);
    expect(created[0]!.accessTokenPayload).toEqual({ 'st-x': 1, plan: 'pro', aud: ['mobile', 'jwtAuthorizers'] });
    expect(await impl.getSession({} as never)).toEqual({ kind: 'caller' });
    // functions neither override touches still reach the original, with their arguments and `this`
    const args = { sessionHandle: 'h', userContext: {} } as Parameters<RecipeInterface['revokeSession']>[0];
    await impl.revokeSession(args);
    expect(spies.revokeSession).toHaveBeenCalledWith(args);
    expect(spies.revokeSession.mock.contexts[0]).toBe(original);
  });

  it('works through supertokens-js-override’s builder, as Session.init uses it', async () => {
    const { original, created } = fakeOriginal();
    const inner: SessionFunctionsOverride = (orig) => ({
      ...orig,
      createNewSession: (i) => orig.createNewSession({ ...i, accessTokenPayload: { ...i.accessTokenPayload, plan: 'pro' } }),
    });
    const built = new OverrideableBuilder(original).override(audienceOverride('jwtAuthorizers', inner)).build();
    await built.createNewSession(input());
    expect(created[0]!.accessTokenPayload).toEqual({ plan: 'pro', aud: 'jwtAuthorizers' });
    expect(await built.getSession({} as never)).toEqual({ kind: 'existing' });
    const alone = new OverrideableBuilder(fakeOriginal().original).override(audienceOverride(['a', 'b'])).build();
    await expect(alone.createNewSession(input())).resolves.toEqual({ kind: 'session' });
  });

  it.each([[''], [[]], [['ok', '']]])('refuses an empty audience %j', (audience) => {
    expect(() => audienceOverride(audience as string)).toThrow(TypeError);
  });
});
