// The suites must catch a wrong policy: each mutation of the sample policy, made on the YAML text,
// turns a passing run into a failing one, and names a case that now gets the wrong decision.
import { describe, expect, it } from 'vitest';
import { cli, edit, sampleCopy } from './support.js';

describe('claimguard test on the sample policy', () => {
  it('passes every case through the bundle with 100% coverage', async () => {
    const r = await cli(sampleCopy(), ['test', '--min-coverage', '100']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^claimguard test: bundle [0-9a-f]{64} \(built in memory\)\n/);
    expect(r.out).toMatch(/Coverage: (\d+)\/\1 requirement outcomes \(100\.0%\), minimum 100%/);
    expect(r.out).toMatch(/\n\d+ passed, 0 failed\n$/);
  });
});

describe.each([
  {
    mutation: 'a role removed from anyOf',
    file: 'policies.yaml',
    from: 'GET /orders/{orderId}:\n    require: { roles: { anyOf: [customer, admin] } }',
    to: 'GET /orders/{orderId}:\n    require: { roles: { anyOf: [customer] } }',
    fails: 'orders: GET /orders/o-1 as admin',
  },
  {
    mutation: 'allOf turned into anyOf',
    file: 'policies.yaml',
    from: 'permissions: { allOf: [members:read, members:write], maxAgeSeconds: 3600 }',
    to: 'permissions: { anyOf: [members:read, members:write], maxAgeSeconds: 3600 }',
    fails: 'members: POST /tenants/acme/members as acme-reader',
  },
  {
    mutation: 'mfa dropped',
    file: 'policies.yaml',
    from: 'require: { roles: { allOf: [admin] }, mfa: true }',
    to: 'require: { roles: { allOf: [admin] } }',
    fails: 'orders: DELETE /orders/o-1 as no-mfa',
  },
  {
    mutation: 'maxAgeSeconds widened',
    file: 'policies.yaml',
    from: 'mfa: { factors: { allOf: [totp] }, maxAgeSeconds: 300 }',
    to: 'mfa: { factors: { allOf: [totp] }, maxAgeSeconds: 3000 }',
    fails: 'admin console: GET /admin/users as admin-stale-totp',
  },
  {
    mutation: 'public: true added',
    file: 'policies.yaml',
    from: 'GET /orders/{orderId}:\n    require: { roles: { anyOf: [customer, admin] } }',
    to: 'GET /orders/{orderId}: { public: true }',
    fails: 'shared checks on every protected route: GET /orders/o-1 as anonymous',
  },
  {
    mutation: 'a route key changed',
    file: 'policies.yaml',
    from: 'GET /users/{userId}/profile:',
    to: 'GET /users/{userId}/details:',
    fails: 'profiles: GET /users/user-c1/profile as customer',
  },
  {
    mutation: 'noneOf dropped in an included rule file',
    file: 'policies/billing.yaml',
    from: 'roles: { allOf: [billing-admin], noneOf: [trainee] }',
    to: 'roles: { allOf: [billing-admin] }',
    fails: 'billing: POST /billing/refunds as billing-trainee',
  },
])('after the mutation "$mutation"', ({ file, from, to, fails }) => {
  it('the suites fail (exit 1) and name the case that catches it', async () => {
    const dir = sampleCopy();
    edit(dir, file, from, to);
    const r = await cli(dir, ['test']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`✖ ${fails}  (`);
    expect(r.out).toMatch(/\n\d+ passed, [1-9]\d* failed\n$/);
  });
});
