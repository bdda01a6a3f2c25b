// `explain` answers "why was this user denied?": the failing requirement, the claim value seen.
import { describe, expect, it } from 'vitest';
import { cli, repo } from './support.js';

/** An unsigned JWT: explain decodes the payload without verifying it. */
const jwt = (payload: object): string =>
  [{ alg: 'none' }, payload].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.';

describe('claimguard explain', () => {
  it('names the failing requirement of a denied principal and the claim value it saw', async () => {
    const r = await cli(repo, ['explain', '--request', 'DELETE /orders/o-1', '--principal', 'no-mfa']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  as principal no-mfa (policies/access.test.yaml)\n  at 2025-06-01T12:00:00.000Z (1748779200000)\n');
    expect(r.out).toMatch(/decision: DENY 403 {3}\(bundle [0-9a-f]{64} \(built in memory\)\)\n/);
    expect(r.out).toContain('route: DELETE /orders/{orderId}   (policies.yaml:');
    expect(r.out).toContain('requirements (3 of 4 pass):\n');
    expect(r.out).toMatch(/ {2}✔ roles: st-role\.v includes all of \[admin\] {3}\(policies\.yaml:\d+:\d+\)\n {6}seen st-role = \{"v":\["admin"\],"t":1748775600000\}\n/);
    expect(r.out).toMatch(
      / {2}✖ mfa: st-mfa\.v = true {3}\(policies\.yaml:\d+:\d+\)\n {6}seen st-mfa = \{"c":\{"emailpassword":1748779140\},"v":false\}\n {6}MFA_REQUIRED: MFA requirement for auth is not satisfied\n/,
    );
    expect(r.out).toContain('reasons:\n  st-mfa MFA_REQUIRED: MFA requirement for auth is not satisfied\n');
  });

  it('shows each anyOf branch', async () => {
    const r = await cli(repo, ['explain', '--request', 'GET /users/someone/profile', '--principal', 'customer']);
    expect(r.out).toContain('✖ anyOf: at least one of 2 branches passes entirely');
    expect(r.out).toMatch(/branch 1 fails:\n {8}✖ anyOf\[0\]\.roles/);
    expect(r.out).toMatch(/branch 2 fails:\n {8}✖ anyOf\[1\]\.subject: sub = path parameter userId .*\n {12}seen sub = "user-c1"\n {12}SUBJECT_MISMATCH: wrong value \{"expectedValue":"someone","actualValue":"user-c1"\}/);
  });

  it('decodes --token without verifying it, and says so', async () => {
    const token = jwt({ sub: 'u1', aud: 'jwtAuthorizers', iss: 'https://api.example.com/auth', 'st-ev': { v: true, t: 0 } });
    const r = await cli(repo, ['explain', '--request', 'GET /orders/o-1', '--token', token, '--now', '1000']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('as the --token payload, decoded WITHOUT signature verification\n');
    expect(r.out).toContain('seen st-role = (absent)\n');
    expect(r.out).toContain('ROLES_MISSING: value does not exist');
  });

  it('public routes and missing tokens are said plainly', async () => {
    expect((await cli(repo, ['explain', '--request', 'GET /health', '--principal', 'anonymous'])).out).toContain('public route: no token or claim is required');
    expect((await cli(repo, ['explain', '--request', 'GET /orders/1', '--principal', 'anonymous'])).out).toContain('decision: DENY 401');
  });

  it('usage errors exit 2', async () => {
    expect((await cli(repo, ['explain', '--request', 'GET /health'])).code).toBe(2);
    expect((await cli(repo, ['explain', '--request', 'GET /health', '--principal', 'nobody'])).err).toContain('unknown principal "nobody" (known: ');
    expect((await cli(repo, ['explain', '--request', 'GET /health', '--token', 'not-a-jwt'])).err).toContain('--token is not a JWT');
  });
});

describe('claimguard explain --format json', () => {
  it('gives the decision and every requirement as data', async () => {
    const r = await cli(repo, ['explain', '--request', 'DELETE /orders/o-1', '--principal', 'no-mfa', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      decision: { allow: boolean; status: number };
      route: { key: string };
      agrees: boolean;
      requirements: { requirement: string; pass: boolean; seen?: unknown; reasons: { code: string }[] }[];
    };
    expect(doc.decision).toMatchObject({ allow: false, status: 403 });
    expect(doc.route.key).toBe('DELETE /orders/{orderId}');
    expect(doc.agrees).toBe(true);
    const mfa = doc.requirements.find((x) => x.requirement === 'mfa');
    expect(mfa).toMatchObject({ pass: false, seen: { v: false }, reasons: [{ code: 'MFA_REQUIRED' }] });
    expect(doc.requirements.filter((x) => x.pass)).toHaveLength(3);
  });
});
