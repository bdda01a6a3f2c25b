// claimguardMiddleware's identity (src/lambda/middy.ts): the name middy's timing and
// error-reporting plugins show for it. Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { claimguardMiddleware } from '../../src/lambda/middy.js';
import { referenceAuthorizer } from './fixtures.js';

describe('claimguardMiddleware', () => {
  it('is named "claimguard" and acts only before the handler', () => {
    const middleware = claimguardMiddleware({ authorizer: referenceAuthorizer(), log: false });
    expect(middleware.name).toBe('claimguard');
    expect(Object.keys(middleware).sort()).toEqual(['before', 'name']);
  });
});
