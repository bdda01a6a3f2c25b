// `claimguard export openapi`: the document API Gateway imports, checked against the OpenAPI 3.0
// schema with @seriousme/openapi-schema-validator, for every route shape and option.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { fakeIo } from '../cli/fake-io.js';
import { AUDIENCE, fixtureDir, ISSUER, SHAPES, shapesPolicy } from './fixtures.js';

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  security?: unknown;
  paths: Record<string, Record<string, unknown> & { parameters?: { name: string; in: string; required: boolean }[] }>;
  components?: { securitySchemes: Record<string, Record<string, unknown>> };
};
type Op = { security: unknown[]; 'x-amazon-apigateway-integration'?: Record<string, unknown>; summary: string };

type Spec = Parameters<Validator['validate']>[0];

const repo = fileURLToPath(new URL('../../', import.meta.url));
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:orders';
const AUTH_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:auth';
let fixture: ReturnType<typeof fixtureDir>;
/** Compiles the OpenAPI 3.0 schema once for the file. */
const validator = new Validator();

beforeAll(() => {
  fixture = fixtureDir({
    'policies.yaml': shapesPolicy(),
    'no-issuer.yaml': shapesPolicy([`audience: ${AUDIENCE}`]),
    'no-audience.yaml': shapesPolicy([`issuer: ${ISSUER}`]),
    'public-only.yaml': 'version: 1\nroutes:\n  GET /health: { public: true }\n',
    'auth-protected.yaml': `version: 1\naudience: a\nissuer: ${ISSUER}\nroutes:\n  ANY /auth/{proxy+}:\n    require: { roles: { anyOf: [x] } }\n`,
  });
});
afterAll(() => fixture.remove());

async function exportDoc(args: string[], out = 'api.json'): Promise<{ code: number; doc: Doc; stdout: string; stderr: string }> {
  const io = fakeIo(fixture.dir);
  const code = await runCli(['export', 'openapi', '--out', out, ...args], io);
  const text = code === 0 ? readFileSync(join(fixture.dir, out), 'utf8') : '';
  return { code, doc: (code === 0 ? parse(text) : null) as Doc, stdout: io.out(), stderr: io.err() };
}

const op = (doc: Doc, key: string): Op => {
  const [method, path] = key === '$default' ? ['x-amazon-apigateway-any-method', '$default'] : key.split(' ');
  const m = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method!.toLowerCase();
  return doc.paths[path!]![m] as Op;
};

/** The schema errors, minus the one API Gateway makes us commit: the `$default` path key. */
async function schemaErrors(doc: Doc): Promise<unknown[]> {
  const result = await validator.validate(structuredClone(doc) as unknown as Spec);
  if (result.valid) return [];
  return (result.errors as { instancePath: string; params: { additionalProperty?: string } }[]).filter(
    (e) => !(e.instancePath === '/paths' && e.params.additionalProperty === '$default'),
  );
}

describe('claimguard export openapi', () => {
  let doc: Doc;
  beforeAll(async () => {
    const exported = await exportDoc([]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    doc = exported.doc;
  });

  it('validates against the OpenAPI 3.0 schema (API Gateway’s `$default` path key is its only extension outside it)', async () => {
    expect(doc.openapi).toBe('3.0.1');
    expect(await schemaErrors(doc)).toEqual([]);
    // Without the `$default` path the document is plain, valid OpenAPI 3.0.
    const { $default: _ignored, ...rest } = doc.paths;
    expect(await validator.validate({ ...doc, paths: rest } as unknown as Spec)).toMatchObject({ valid: true });
  });

  it('has one JWT security scheme with the policy’s issuer, audience and the Authorization header', () => {
    expect(doc.components?.securitySchemes).toEqual({
      claimguardJwt: {
        type: 'oauth2',
        flows: {},
        'x-amazon-apigateway-authorizer': {
          type: 'jwt',
          jwtConfiguration: { issuer: ISSUER, audience: [AUDIENCE] },
          identitySource: '$request.header.Authorization',
        },
      },
    });
    expect(doc.security).toBeUndefined();
  });

  it.each(Object.entries(SHAPES))('%s: security follows the policy (protected %s)', (key, isProtected) => {
    expect(op(doc, key).security).toEqual(isProtected ? [{ claimguardJwt: [] }] : []);
  });

  it('writes ANY as x-amazon-apigateway-any-method, keeps {proxy+} in the path, `$default` as the $default path, declares path parameters', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['$default', '/', '/admin/{proxy+}', '/files/{proxy+}', '/health', '/orders/{orderId}']);
    expect(Object.keys(doc.paths['/admin/{proxy+}']!)).toEqual(['parameters', 'x-amazon-apigateway-any-method']);
    expect(Object.keys(doc.paths['$default']!)).toEqual(['x-amazon-apigateway-any-method']);
    expect(doc.paths['/orders/{orderId}']!.parameters).toEqual([{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(doc.paths['/files/{proxy+}']!.parameters).toEqual([{ name: 'proxy+', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(Object.keys(doc.paths['/orders/{orderId}']!).sort()).toEqual(['delete', 'get', 'parameters']);
    expect(doc.paths['/health']!.parameters).toBeUndefined();
  });

  it('names the bundle revision as info.version and takes --title', async () => {
    expect(doc.info.version).toMatch(/^[0-9a-f]{64}$/);
    const titled = await exportDoc(['--title', 'Orders API']);
    expect(titled.doc.info).toEqual({ title: 'Orders API', version: doc.info.version });
  });

  it('without --integration-uri has no integrations; with it, every route proxies to the function (payload 2.0)', async () => {
    expect(JSON.stringify(doc)).not.toContain('x-amazon-apigateway-integration');
    const { doc: wired } = await exportDoc(['--integration-uri', ARN]);
    for (const key of Object.keys(SHAPES)) {
      expect(op(wired, key)['x-amazon-apigateway-integration']).toEqual({ type: 'aws_proxy', httpMethod: 'POST', uri: ARN, payloadFormatVersion: '2.0' });
    }
    expect(await schemaErrors(wired)).toEqual([]);
  });

  it('--auth-routes adds SuperTokens’ ANY and OPTIONS /auth/{proxy+} without authorizer, wired with --auth-integration-uri', async () => {
    const { doc: withAuth } = await exportDoc(['--auth-routes', '--integration-uri', ARN, '--auth-integration-uri', AUTH_ARN]);
    const auth = withAuth.paths['/auth/{proxy+}']!;
    expect(auth.parameters).toEqual([{ name: 'proxy+', in: 'path', required: true, schema: { type: 'string' } }]);
    for (const m of ['x-amazon-apigateway-any-method', 'options']) {
      expect(auth[m]).toMatchObject({ security: [], 'x-amazon-apigateway-integration': { uri: AUTH_ARN } });
    }
    expect(await schemaErrors(withAuth)).toEqual([]);
    const { doc: custom } = await exportDoc(['--auth-routes', '/session']);
    expect(Object.keys(custom.paths)).toContain('/session/{proxy+}');
  });

  it('writes YAML for .yaml/.yml and JSON otherwise, the same document', async () => {
    const yamlDoc = await exportDoc([], 'out/api.yaml');
    expect(readFileSync(join(fixture.dir, 'out/api.yaml'), 'utf8')).toMatch(/^openapi: 3\.0\.1\n/);
    expect(yamlDoc.doc).toEqual(doc);
    const yml = await exportDoc([], 'api.yml');
    expect(yml.doc).toEqual(doc);
    expect(readFileSync(join(fixture.dir, 'api.json'), 'utf8')).toMatch(/^\{\n {2}"openapi": "3\.0\.1"/);
    expect(yamlDoc.stdout).toMatch(/✔ wrote out\/api\.yaml: 7 routes \(4 with the JWT authorizer, 3 without\)/);
  });

  it('`--out -` prints the JSON document', async () => {
    const io = fakeIo(fixture.dir);
    expect(await runCli(['export', 'openapi', '--out', '-'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual(doc);
  });

  it('a policy without `issuer` is an error at its `audience:` line saying the JWT authorizer needs one (exit 1)', async () => {
    const { code, stderr } = await exportDoc(['--policies', 'no-issuer.yaml']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^no-issuer\.yaml:2:1: error ISSUER_MISSING: the policy sets no `issuer`, but its protected routes need the API Gateway JWT authorizer, which requires one/);
    expect(stderr).toContain('\n  audience: jwtAuthorizers\n  ^');
  });

  it('--issuer gives the authorizer an issuer when the policy pins none, and must agree when it does (else exit 2)', async () => {
    const given = await exportDoc(['--policies', 'no-issuer.yaml', '--issuer', 'https://api.other.example/auth']);
    expect(given.code).toBe(0);
    expect(given.doc.components?.securitySchemes['claimguardJwt']).toMatchObject({
      'x-amazon-apigateway-authorizer': { jwtConfiguration: { issuer: 'https://api.other.example/auth' } },
    });
    expect((await exportDoc(['--issuer', ISSUER])).code).toBe(0);
    const conflict = await exportDoc(['--issuer', 'https://evil.example/auth']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/policies\.yaml:3:1: error ISSUER_CONFLICT: the policy pins issuer "https:\/\/api\.example\.com\/auth"/);
  });

  it('a policy without `audience` is an error (exit 1); a policy with only public routes needs neither', async () => {
    const noAudience = await exportDoc(['--policies', 'no-audience.yaml']);
    expect(noAudience.code).toBe(1);
    expect(noAudience.stderr).toMatch(/^no-audience\.yaml:1:1: error AUDIENCE_MISSING: the policy sets no `audience`/m);
    const open = await exportDoc(['--policies', 'public-only.yaml']);
    expect(open.code).toBe(0);
    expect(open.doc.components).toBeUndefined();
    expect(await schemaErrors(open.doc)).toEqual([]);
  });

  it('refuses auth routes the policy protects (exit 1) and a base path API Gateway cannot route (exit 2)', async () => {
    const conflict = await exportDoc(['--policies', 'auth-protected.yaml', '--auth-routes']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^auth-protected\.yaml:5:3: error AUTH_ROUTE_CONFLICT: the policy protects "ANY \/auth\/\{proxy\+\}"/);
    const bad = await exportDoc(['--auth-routes', 'auth']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error AUTH_BASE_PATH_INVALID: auth base path "auth" must look like "\/auth"/);
    const usage = await exportDoc(['--auth-integration-uri', AUTH_ARN]);
    expect(usage.code).toBe(2);
  });

  it('works on the sample policy (which pins no issuer) given --issuer', async () => {
    const io = fakeIo(repo);
    expect(await runCli(['export', 'openapi', '--out', '-', '--issuer', ISSUER, '--auth-routes'], io)).toBe(0);
    const sample = JSON.parse(io.out()) as Doc;
    expect(await schemaErrors(sample)).toEqual([]);
    expect(op(sample, 'GET /products/{sku}').security).toEqual([]);
    expect(op(sample, 'POST /internal/reindex').security).toEqual([{ claimguardJwt: [] }]);
    const noIssuer = fakeIo(repo);
    expect(await runCli(['export', 'openapi', '--out', '-'], noIssuer)).toBe(1);
    expect(noIssuer.err()).toMatch(/^policies\.yaml:6:1: error ISSUER_MISSING/);
  });
});
