// claimguard/cdk, synthesized offline (Template.fromStack, no AWS account): one synth for the
// file. Every route's AuthorizationType follows the policy, the JWT authorizer carries its issuer,
// audience and identity source, and the function's package holds the bundle compiled from the same
// policy, pinned by revision, loadable by the SDK exactly as the Lambda loads it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { buildBundle } from '../../src/compile/compile.js';
import { ClaimguardFunction, ClaimguardHttpApi, DeployError, preloadPolicy } from '../../src/deploy/cdk/index.js';
import { preparePolicy } from '../../src/deploy/cdk/prepared.js';
import { loadPolicy } from '../../src/policy/load.js';
import { loadBundle } from '../../src/runtime/load-bundle.js';
import { fakeIo } from '../cli/fake-io.js';
import { AUDIENCE, fixtureDir, ISSUER, SHAPES, shapesPolicy } from './fixtures.js';

const ENTRY = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

let fixture: ReturnType<typeof fixtureDir>;
let policies: string;
let stack: Stack;
let template: Template;
let api: ClaimguardHttpApi;
let fn: ClaimguardFunction;
let revision: string;

beforeAll(async () => {
  fixture = fixtureDir({ 'policies.yaml': shapesPolicy(), 'no-issuer.yaml': shapesPolicy([`audience: ${AUDIENCE}`]), 'broken.yaml': 'version: 1\nroutes:\n  get /x: {}\n' });
  policies = join(fixture.dir, 'policies.yaml');
  const loaded = await loadPolicy(policies);
  if (!loaded.ok) throw new Error('fixture policy does not load');
  revision = (await buildBundle(loaded.ir)).compiled.revision;
  // The constructs load policies synchronously (a child process); preloading keeps the event loop free.
  await Promise.all(['policies.yaml', 'no-issuer.yaml', 'broken.yaml'].map((f) => preloadPolicy(join(fixture.dir, f))));

  // CloudFormation's own template validation is left to the example app's `cdk synth` (it costs ~12 s).
  const app = new App({ builtinCloudFormationValidation: false });
  stack = new Stack(app, 'Test');
  fn = new ClaimguardFunction(stack, 'Orders', { policies, entry: ENTRY, runtime: Runtime.NODEJS_22_X });
  const auth = new LambdaFunction(stack, 'Auth', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
  api = new ClaimguardHttpApi(stack, 'Api', { policies, handlers: { 'GET /health': auth }, defaultHandler: fn, auth: { handler: auth } });
  template = Template.fromStack(stack);
});
afterAll(() => {
  // The synth's bundle dir goes when its process exits; vitest ends its workers without an exit event.
  rmSync(dirname(preparePolicy(policies).bundle.file), { recursive: true, force: true });
  fixture.remove();
});

type Resource = { Properties: Record<string, unknown> };
const routes = (): Map<string, Record<string, unknown>> =>
  new Map(Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>).map((r) => [r.Properties['RouteKey'] as string, r.Properties]));

describe('ClaimguardHttpApi', () => {
  it('creates one route per policy route key, plus ANY and OPTIONS /auth/{proxy+}', () => {
    expect([...routes().keys()].sort()).toEqual([...Object.keys(SHAPES), 'ANY /auth/{proxy+}', 'OPTIONS /auth/{proxy+}'].sort());
    expect([...api.routes.keys()].sort()).toEqual([...routes().keys()].sort());
  });

  it.each(Object.entries(SHAPES))('%s: AuthorizationType follows the policy (protected %s)', (key, isProtected) => {
    const route = routes().get(key)!;
    expect(route['AuthorizationType']).toBe(isProtected ? 'JWT' : 'NONE');
    if (isProtected) expect((route['AuthorizerId'] as { Ref: string }).Ref).toMatch(/^ApiHttpApiClaimguardJwt/);
    else expect(route['AuthorizerId']).toBeUndefined();
  });

  it('mounts the auth routes without authorizer, to the auth handler', () => {
    const all = routes();
    for (const key of ['ANY /auth/{proxy+}', 'OPTIONS /auth/{proxy+}']) expect(all.get(key)!['AuthorizationType']).toBe('NONE');
    // GET /health and the auth routes share the auth function's integration; the rest go to the orders function.
    expect(all.get('GET /health')!['Target']).toEqual(all.get('ANY /auth/{proxy+}')!['Target']);
    expect(all.get('GET /orders/{orderId}')!['Target']).not.toEqual(all.get('GET /health')!['Target']);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('has one JWT authorizer with the policy’s issuer and audience, reading the Authorization header', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      Name: 'claimguard-jwt',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: [AUDIENCE] },
    });
    expect(api.authorizer).toBeDefined();
    expect(api.plan.jwt).toEqual({ issuer: ISSUER, audience: [AUDIENCE], identitySource: '$request.header.Authorization' });
  });

  it('passes `claimguard routes diff` against its own synthesized template', async () => {
    writeFileSync(join(fixture.dir, 'template.json'), JSON.stringify(template.toJSON()));
    const io = fakeIo(fixture.dir);
    expect(await runCli(['routes', 'diff', '--api', 'template.json', '--auth-routes'], io)).toBe(0);
    expect(io.out()).toBe('✔ template.json matches the policy: 9 routes\n');
  });
});

describe('ClaimguardHttpApi with lambdaAuthorizer (claimguard/authorizer)', () => {
  let lambdaTemplate: Template;
  let lambdaApi: ClaimguardHttpApi;
  beforeAll(() => {
    const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'L');
    const inline = (id: string) => new LambdaFunction(s, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
    // A policy without issuer: the authorizer function's `verify` checks the token, not API Gateway.
    lambdaApi = new ClaimguardHttpApi(s, 'Api', { policies: join(fixture.dir, 'no-issuer.yaml'), handlers: {}, defaultHandler: inline('Orders'), lambdaAuthorizer: { handler: inline('Authorizer') } });
    lambdaTemplate = Template.fromStack(s);
  });

  it('one REQUEST authorizer: payload 2.0, simple responses, the route and the token as identity sources, the longest safe TTL', () => {
    lambdaTemplate.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    lambdaTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      Name: 'claimguard-lambda',
      IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 300,
    });
    // API Gateway may invoke the authorizer function.
    lambdaTemplate.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
    expect(lambdaApi.plan).toMatchObject({ jwt: null, lambda: { resultTtlSeconds: 300, identitySource: ['$request.header.Authorization', '$context.routeKey'] } });
  });

  it.each(Object.entries(SHAPES))('%s: the authorizer on exactly the protected routes (protected %s)', (key, isProtected) => {
    const route = Object.values(lambdaTemplate.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>).find((r) => r.Properties['RouteKey'] === key)!;
    expect(route.Properties['AuthorizationType']).toBe(isProtected ? 'CUSTOM' : 'NONE');
  });

  it('passes `claimguard routes diff --authorizer lambda` against its own template (and fails the JWT check)', async () => {
    writeFileSync(join(fixture.dir, 'lambda-template.json'), JSON.stringify(lambdaTemplate.toJSON()));
    const io = fakeIo(fixture.dir);
    expect(await runCli(['routes', 'diff', '--api', 'lambda-template.json', '--authorizer', 'lambda', '--policies', 'no-issuer.yaml'], io)).toBe(0);
    expect(io.out()).toBe('✔ lambda-template.json matches the policy: 7 routes\n');
    const jwt = fakeIo(fixture.dir);
    expect(await runCli(['routes', 'diff', '--api', 'lambda-template.json', '--policies', 'policies.yaml'], jwt)).toBe(1);
  });

  it('a shorter TTL is kept; a longer one than the policy allows is a DeployError', () => {
    const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'T');
    const inline = (id: string) => new LambdaFunction(s, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
    new ClaimguardHttpApi(s, 'Short', { policies, handlers: {}, defaultHandler: inline('A'), lambdaAuthorizer: { handler: inline('B'), resultsCacheTtl: Duration.seconds(30) } });
    Template.fromStack(s).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerResultTtlInSeconds: 30 });
    expect(() => new ClaimguardHttpApi(s, 'Long', { policies, handlers: {}, defaultHandler: inline('C'), lambdaAuthorizer: { handler: inline('D'), resultsCacheTtl: Duration.minutes(10) } })).toThrow(
      expect.objectContaining({ code: 'CACHE_TTL_UNSAFE', message: expect.stringMatching(/600 s, but the longest safe result TTL for this policy is 300 s/) }),
    );
    expect(() => new ClaimguardHttpApi(s, 'Both', { policies, handlers: {}, defaultHandler: inline('E'), issuer: ISSUER, lambdaAuthorizer: { handler: inline('F') } })).toThrow(
      expect.objectContaining({ code: 'AUTHORIZER_OPTIONS_CONFLICT' }),
    );
  });
});

describe('ClaimguardFunction', () => {
  it('pins the bundle revision and path in the environment', () => {
    expect(fn.revision).toBe(revision);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { CLAIMGUARD_BUNDLE: 'dist/bundle.tar.gz', CLAIMGUARD_REVISION: revision } },
    });
  });

  it('packages dist/bundle.tar.gz compiled from the same policy, which the SDK loads and decides with', async () => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { CLAIMGUARD_REVISION: revision } } } }) as Record<string, { Properties: { Code: { S3Key: string } } }>;
    const [code] = Object.values(functions).map((f) => f.Properties.Code);
    const assetDir = join(Stage.of(stack)!.outdir, `asset.${code!.S3Key.replace(/\.zip$/, '')}`);
    const bytes = readFileSync(join(assetDir, 'dist/bundle.tar.gz'));
    const authorizer = await loadBundle(new Uint8Array(bytes), { expectedRevision: revision });
    expect(authorizer.revision).toBe(revision);
    expect(authorizer.decide({ request: { method: 'GET', path: '/health' }, token: null, now: 0 })).toMatchObject({ allow: true, route: 'GET /health' });
    expect(authorizer.decide({ request: { method: 'DELETE', path: '/orders/1' }, token: null, now: 0 })).toMatchObject({ allow: false, status: 401 });
    expect(readFileSync(join(assetDir, 'index.js'), 'utf8')).toContain('statusCode: 200');
  });
});

describe('construct errors (before anything is synthesized)', () => {
  const attempt = (make: (stack: Stack) => void): DeployError => {
    const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'E');
    try {
      make(s);
    } catch (error) {
      if (error instanceof DeployError) return error;
      throw error;
    }
    throw new Error('no DeployError');
  };
  let fns = 0;
  const fnIn = (s: Stack) => new LambdaFunction(s, `F${fns++}`, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });

  it.each<[string, (s: Stack) => void, string, RegExp]>([
    ['a route without handler', (s) => new ClaimguardHttpApi(s, 'A', { policies, handlers: { 'GET /health': fnIn(s) } }), 'HANDLER_MISSING', /no handler for "GET \/", "GET \/orders\/\{orderId\}"/],
    ['a handler for a route the policy does not name', (s) => new ClaimguardHttpApi(s, 'A', { policies, handlers: { 'GET /orders/{id}': fnIn(s) }, defaultHandler: fnIn(s) }), 'HANDLER_ROUTE_UNKNOWN', /handlers names routes the policy does not: "GET \/orders\/\{id\}"/],
    ['a policy without issuer', (s) => new ClaimguardHttpApi(s, 'A', { policies: join(fixture.dir, 'no-issuer.yaml'), handlers: {}, defaultHandler: fnIn(s) }), 'ISSUER_MISSING', /the policy sets no `issuer`/],
    ['an issuer that is not the policy’s', (s) => new ClaimguardHttpApi(s, 'A', { policies, handlers: {}, defaultHandler: fnIn(s), issuer: 'https://x.example/auth' }), 'ISSUER_CONFLICT', /pins issuer/],
    ['a policy with errors', (s) => new ClaimguardHttpApi(s, 'A', { policies: join(fixture.dir, 'broken.yaml'), handlers: {}, defaultHandler: fnIn(s) }), 'POLICY_INVALID', /broken\.yaml:3:3: error ROUTE_KEY_INVALID/],
    ['docker bundling', (s) => new ClaimguardFunction(s, 'F', { policies, entry: ENTRY, bundling: { forceDockerBundling: true } }), 'BUNDLING_UNSUPPORTED', /bundles locally/],
  ])('%s is a DeployError %s', (_name, make, code, message) => {
    const error = attempt(make);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('the policy’s issuer is used without `issuer`, and the given one when the policy pins none', () => {
    const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'I');
    const given = new ClaimguardHttpApi(s, 'A', { policies: join(fixture.dir, 'no-issuer.yaml'), handlers: {}, defaultHandler: fnIn(s), issuer: 'https://api.shop.example/auth' });
    expect(given.plan.jwt?.issuer).toBe('https://api.shop.example/auth');
    expect(readFileSync(policies, 'utf8')).toContain(`issuer: ${ISSUER}`);
  });
});
