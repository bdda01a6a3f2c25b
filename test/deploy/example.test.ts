// examples/orders-api's CDK app, synthesized offline as `npx cdk synth` does it (same stack,
// real esbuild bundling), then checked the way CI would: `claimguard routes diff` against the
// synthesized template, and the packaged orders function run in a fresh Node process from its
// asset directory, loading the bundle the construct put beside it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { preloadPolicy } from '../../src/deploy/cdk/index.js';
import { preparePolicy } from '../../src/deploy/cdk/prepared.js';
import { fakeIo } from '../cli/fake-io.js';

// Not a literal specifier: tsc resolves `claimguard/cdk` to lib/ (the built package).
vi.mock('claimguard/cdk', () => import('../../src/deploy/cdk/index.js'));

const repo = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string): string => fileURLToPath(new URL(`../../examples/orders-api/${file}`, import.meta.url));
const API_DOMAIN = 'https://api.orders.example.com';

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
let outdir: string;
let template: Template;

beforeAll(async () => {
  await preloadPolicy(example('policies.yaml'));
  outdir = mkdtempSync(join(tmpdir(), 'claimguard-example-'));
  const { OrdersApiStack } = (await import(new URL('../../examples/orders-api/stack.ts', import.meta.url).href)) as typeof import('../../examples/orders-api/stack.js');
  // CloudFormation's template validation is what `npx cdk synth` adds (~12 s); the README runs it.
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  new OrdersApiStack(app, 'OrdersApi', { apiDomain: API_DOMAIN, websiteDomain: 'https://shop.example.com', supertokensConnectionUri: 'https://core.example.com' });
  app.synth();
  template = JSON.parse(readFileSync(join(outdir, 'OrdersApi.template.json'), 'utf8')) as Template;
});
afterAll(() => {
  // The synth's bundle dir goes when its process exits; vitest ends its workers without an exit event.
  rmSync(dirname(preparePolicy(example('policies.yaml')).bundle.file), { recursive: true, force: true });
  rmSync(outdir, { recursive: true, force: true });
});

const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);

describe('examples/orders-api CDK app', () => {
  it('passes `claimguard routes diff` against its synthesized template', async () => {
    const io = fakeIo(repo);
    const argv = ['routes', 'diff', '--policies', example('policies.yaml'), '--api', join(outdir, 'OrdersApi.template.json'), '--auth-routes', '--issuer', `${API_DOMAIN}/auth`, '--format', 'json'];
    expect(await runCli(argv, io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ ok: true, api: { format: 'cloudformation' }, summary: { plannedRoutes: 7, matched: 7, errors: 0, warnings: 0 }, findings: [] });
  });

  it('attaches the authorizer to the four protected routes only, with SuperTokens’ issuer for the API domain', () => {
    const routes = Object.fromEntries(ofType('AWS::ApiGatewayV2::Route').map((r) => [r.Properties['RouteKey'], r.Properties['AuthorizationType']]));
    expect(routes).toEqual({
      'GET /health': 'NONE',
      'GET /orders/{orderId}': 'JWT',
      'DELETE /orders/{orderId}': 'JWT',
      'GET /users/{userId}/profile': 'JWT',
      'ANY /admin/{proxy+}': 'JWT',
      'ANY /auth/{proxy+}': 'NONE',
      'OPTIONS /auth/{proxy+}': 'NONE',
    });
    expect(ofType('AWS::ApiGatewayV2::Authorizer').map((a) => a.Properties)).toEqual([
      expect.objectContaining({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: `${API_DOMAIN}/auth`, Audience: ['jwtAuthorizers'] } }),
    ]);
    const auth = ofType('AWS::Lambda::Function').find((f) => (f.Properties['Environment'] as { Variables: Record<string, string> }).Variables['API_BASE_PATH'] === '/auth');
    expect((auth!.Properties['Environment'] as { Variables: Record<string, string> }).Variables).toMatchObject({ API_DOMAIN, CLAIMGUARD_AUDIENCE: 'jwtAuthorizers' });
  });

  it('packages the orders function with the bundle, and the package answers API Gateway events in a fresh process', async () => {
    const orders = ofType('AWS::Lambda::Function').find((f) => 'CLAIMGUARD_REVISION' in (f.Properties['Environment'] as { Variables: object }).Variables)!;
    const env = (orders.Properties['Environment'] as { Variables: Record<string, string> }).Variables;
    const assetDir = join(outdir, `asset.${(orders.Properties['Code'] as { S3Key: string }).S3Key.replace(/\.zip$/, '')}`);
    const invoke = async (eventFile: string): Promise<{ statusCode: number; body?: string }> => {
      const script = [
        `const { handler } = await import(${JSON.stringify(join(assetDir, 'index.mjs'))});`,
        `const event = JSON.parse(await (await import('node:fs/promises')).readFile(${JSON.stringify(example(`events/${eventFile}`))}, 'utf8'));`,
        `const result = await handler(event, { awsRequestId: 'r1', functionName: 'orders', getRemainingTimeInMillis: () => 3000 });`,
        `process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');`,
      ].join('\n');
      const stdout = await new Promise<string>((done, fail) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), env: { ...env, LAMBDA_TASK_ROOT: assetDir, PATH: process.env['PATH'] ?? '' } }, (error, out, err) =>
          error === null ? done(out) : fail(new Error(`${error.message}\n${err}`)),
        ),
      );
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      return JSON.parse(line!.slice('RESULT '.length)) as { statusCode: number; body?: string };
    };
    const [health, noToken] = await Promise.all([invoke('v2-health-public.json'), invoke('v2-get-order-no-token.json')]);
    expect(health).toMatchObject({ statusCode: 200, body: JSON.stringify({ status: 'ok' }) });
    expect(noToken).toMatchObject({ statusCode: 401, body: JSON.stringify({ message: 'unauthorised' }) });
  });
});
