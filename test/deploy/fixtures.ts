// Shared fixtures for the deploy tests: a policy with every route shape API Gateway has (`ANY`,
// greedy `{proxy+}`, `$default`, the root path, public and protected), written to a temp dir that
// lives for the whole test file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ISSUER = 'https://api.example.com/auth';
export const AUDIENCE = 'jwtAuthorizers';

/** Route key → protected? (what the authorizer must follow). */
export const SHAPES: Readonly<Record<string, boolean>> = {
  'GET /': false,
  'GET /health': false,
  'GET /orders/{orderId}': true,
  'DELETE /orders/{orderId}': true,
  'ANY /admin/{proxy+}': true,
  'GET /files/{proxy+}': false,
  $default: true,
};

export const shapesPolicy = (header: readonly string[] = [`audience: ${AUDIENCE}`, `issuer: ${ISSUER}`]): string =>
  [
    'version: 1',
    ...header,
    'routes:',
    '  GET /: { public: true }',
    '  GET /health: { public: true }',
    '  GET /orders/{orderId}:',
    '    require: { roles: { anyOf: [customer, admin] } }',
    '  DELETE /orders/{orderId}:',
    '    require: { roles: { allOf: [admin] }, mfa: true }',
    '  ANY /admin/{proxy+}:',
    '    require: { roles: { anyOf: [admin] } }',
    '  GET /files/{proxy+}: { public: true }',
    '  $default:',
    '    require: { roles: { anyOf: [admin] } }',
    '',
  ].join('\n');

/** A temp dir with `files`; call `remove` in afterAll. */
export function fixtureDir(files: Readonly<Record<string, string>>): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-deploy-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
