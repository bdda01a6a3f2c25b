// The package's public surface: every `exports` subpath resolves to built code with the names the
// README promises (run after `npm run build`, as `npm test` does).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { default: string }>;
};

const expected: Record<string, string[]> = {
  '.': ['loadPolicy', 'compilePolicy', 'buildBundle', 'loadBundle', 'RuntimeError', 'PolicyError', 'decideReference', 'planDeployment', 'openApiDocument', 'diffRoutes', 'DeployError'],
  './lambda': ['withAuthorization'],
  './authorizer': ['createAuthorizer', 'AuthorizerError', 'ACCESS_DENIED_TEMPLATE', 'restGatewayResponses', 'SAFE_IDENTITY_SOURCES'],
  './middy': ['claimguardMiddleware'],
  './supertokens': ['createAuthHandler', 'audienceOverride'],
  './esbuild': ['claimguardEsbuild'],
  './cdk': ['ClaimguardHttpApi', 'ClaimguardFunction', 'preloadPolicy', 'DeployError', 'authorizerCaching'],
};

describe('package exports', () => {
  it.each(Object.entries(expected))('%s exposes %j', async (subpath, names) => {
    const target = pkg.exports[subpath];
    const file = typeof target === 'string' ? target : target?.default;
    expect(file, `exports["${subpath}"]`).toBeTypeOf('string');
    const mod = (await import(new URL(`../${file}`, import.meta.url).href)) as Record<string, unknown>;
    for (const name of names) expect(mod[name], `${subpath} → ${name}`).toBeDefined();
  });
});
