// Writes policy fixtures to a fresh temp dir, so loader tests read real files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `files`: relative path → contents (string, or raw bytes for encoding tests). Returns the dir. */
export function writeFixture(files: Readonly<Record<string, string | Uint8Array>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-policy-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** Joins lines, so fixtures show their line numbers plainly in the test source. */
export const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;

/** The reason each reserved claim name gives under `claims:` (CLAIM_RESERVED), written out in full
 * so that the tests pin its wording rather than read it back from the source. */
export const RESERVED_CLAIM_REASONS: Readonly<Record<string, string>> = {
  'st-ev': "SuperTokens' email-verification claim; use emailVerified: true (or { maxAgeSeconds })",
  'st-role': "SuperTokens' roles claim; use roles: { anyOf | allOf | noneOf }",
  'st-perm': "SuperTokens' permissions claim; use permissions: { anyOf | allOf | noneOf }",
  'st-mfa': "SuperTokens' MFA claim; use mfa: true (or { factors, maxAgeSeconds })",
  aud: 'the token audience; use audience: x (or the top-level audience:)',
  iss: 'the token issuer; use the top-level issuer:',
  sub: 'the user id; use subject: { equalsPathParam }',
  tId: 'the tenant id; use tenant: { anyOf | equalsPathParam }',
  exp: 'a JWT time the API Gateway JWT authorizer already checks',
  iat: 'a JWT time the API Gateway JWT authorizer already checks',
  nbf: 'a JWT time the API Gateway JWT authorizer already checks',
  rsub: "SuperTokens' session bookkeeping, not an authorization fact",
  sessionHandle: "SuperTokens' session bookkeeping, not an authorization fact",
  refreshTokenHash1: "SuperTokens' session bookkeeping, not an authorization fact",
  parentRefreshTokenHash1: "SuperTokens' session bookkeeping, not an authorization fact",
  antiCsrfToken: "SuperTokens' session bookkeeping, not an authorization fact",
};
