// `claimguard routes diff`: every finding code, from an OpenAPI document (the export, then drifted
// the way hand edits and console clicks drift it) and from CloudFormation templates (JSON as
// `cdk synth` writes them, YAML with short-form tags as SAM/CloudFormation authors write them).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { DRIFT_CODES, DRIFT_SEVERITY, type DriftCode } from '../../src/deploy/drift.js';
import { fakeIo } from '../cli/fake-io.js';
import { AUDIENCE, fixtureDir, ISSUER, shapesPolicy } from './fixtures.js';

type Doc = {
  security?: unknown;
  paths: Record<string, Record<string, { security?: unknown } & Record<string, unknown>>>;
  components: { securitySchemes: Record<string, { 'x-amazon-apigateway-authorizer': { jwtConfiguration: { issuer: string; audience: string[] }; identitySource: string } }> };
};
type Report = {
  ok: boolean;
  api: { file: string; format: string };
  summary: { plannedRoutes: number; deployedRoutes: number; matched: number; errors: number; warnings: number };
  findings: { code: DriftCode; severity: string; route: string | null; authorizer: string | null; message: string; policy: unknown; deployed: string | null }[];
};

let fixture: ReturnType<typeof fixtureDir>;
let exported: Doc;

beforeAll(async () => {
  fixture = fixtureDir({ 'policies.yaml': shapesPolicy() });
  const io = fakeIo(fixture.dir);
  expect(await runCli(['export', 'openapi', '--out', '-', '--auth-routes'], io)).toBe(0);
  exported = JSON.parse(io.out()) as Doc;
});
afterAll(() => fixture.remove());

let written = 0;
async function diff(api: unknown, extra: string[] = ['--auth-routes'], ext = 'json'): Promise<{ code: number; report: Report; stderr: string }> {
  const file = `api-${written++}.${ext}`;
  writeFileSync(join(fixture.dir, file), typeof api === 'string' ? api : JSON.stringify(api));
  const io = fakeIo(fixture.dir);
  const code = await runCli(['routes', 'diff', '--api', file, '--format', 'json', ...extra], io);
  return { code, report: (io.out() === '' ? null : JSON.parse(io.out())) as Report, stderr: io.err() };
}

const drifted = (edit: (doc: Doc) => void): Doc => {
  const doc = structuredClone(exported);
  edit(doc);
  return doc;
};
const jwt = (doc: Doc) => doc.components.securitySchemes['claimguardJwt']!['x-amazon-apigateway-authorizer'];

// claimguard/authorizer on an HTTP API, as `cdk synth` writes ClaimguardHttpApi's lambdaAuthorizer mode.
type Props = Record<string, unknown>;
const lambdaTemplate = (authorizer: (p: Props) => void = () => {}, route: (key: string, p: Props) => void = () => {}) => {
  const authorizerProps: Props = {
    ApiId: { Ref: 'Api' },
    AuthorizerType: 'REQUEST',
    Name: 'claimguard-lambda',
    IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
    AuthorizerPayloadFormatVersion: '2.0',
    EnableSimpleResponses: true,
    AuthorizerResultTtlInSeconds: 300,
    AuthorizerUri: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:eu-west-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '/invocations']] },
  };
  authorizer(authorizerProps);
  const resources: Record<string, unknown> = {
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'orders', ProtocolType: 'HTTP' } },
    Lambda: { Type: 'AWS::ApiGatewayV2::Authorizer', Properties: authorizerProps },
  };
  const shapes: [string, boolean][] = [
    ['GET /', false],
    ['GET /health', false],
    ['GET /orders/{orderId}', true],
    ['DELETE /orders/{orderId}', true],
    ['ANY /admin/{proxy+}', true],
    ['GET /files/{proxy+}', false],
    ['$default', true],
  ];
  shapes.forEach(([key, isProtected], i) => {
    const p: Props = { ApiId: { Ref: 'Api' }, RouteKey: key, AuthorizationType: isProtected ? 'CUSTOM' : 'NONE', ...(isProtected ? { AuthorizerId: { Ref: 'Lambda' } } : {}) };
    route(key, p);
    resources[`Route${i}`] = { Type: 'AWS::ApiGatewayV2::Route', Properties: p };
  });
  return { Resources: resources };
};

const LAMBDA_CASES: [string, DriftCode, unknown, RegExp][] = [
  ['a cache TTL above the longest safe one', 'AUTHORIZER_CACHE_UNSAFE', lambdaTemplate((p) => (p.AuthorizerResultTtlInSeconds = 3600)), /caches results for 3600 s; the longest safe TTL for this policy is 300 s/],
  ['identity sources without the route', 'AUTHORIZER_IDENTITY_SOURCE_MISMATCH', lambdaTemplate((p) => (p.IdentitySource = ['$request.header.Authorization'])), /without \$context\.routeKey: API Gateway could serve one route's or one caller's cached answer for another/],
  ['IAM policy responses', 'AUTHORIZER_RESPONSE_FORMAT_MISMATCH', lambdaTemplate((p) => ((p.EnableSimpleResponses = false), (p.AuthorizerPayloadFormatVersion = '1.0'))), /uses payload 1\.0 with simple responses off/],
];

describe('claimguard routes diff (OpenAPI)', () => {
  it('the exported document matches its own policy: exit 0, no findings', async () => {
    const { code, report } = await diff(exported);
    expect(code).toBe(0);
    expect(report).toEqual({
      ok: true,
      api: { file: 'api-0.json', format: 'openapi' },
      summary: { plannedRoutes: 9, deployedRoutes: 9, matched: 9, errors: 0, warnings: 0 },
      findings: [],
    });
  });

  const cases: [string, (doc: Doc) => void, DriftCode, string | null, RegExp][] = [
    ['a deployed route the policy does not name', (d) => (d.paths['/debug'] = { get: { security: [], responses: {} } }), 'ROUTE_NOT_IN_POLICY', 'GET /debug', /is deployed but the policy does not name it/],
    ['a policy route not deployed', (d) => delete d.paths['/health']!['get'], 'ROUTE_NOT_DEPLOYED', 'GET /health', /is in the policy but not deployed/],
    ['the SuperTokens route not deployed', (d) => delete d.paths['/auth/{proxy+}']!['x-amazon-apigateway-any-method'], 'ROUTE_NOT_DEPLOYED', 'ANY /auth/{proxy+}', /nobody can sign in/],
    ['a protected route without authorizer', (d) => (d.paths['/orders/{orderId}']!['delete']!.security = []), 'PROTECTED_ROUTE_WITHOUT_AUTHORIZER', 'DELETE /orders/{orderId}', /deployed with no authorizer: anyone on the internet/],
    ['the protected $default route without authorizer', (d) => (d.paths['$default']!['x-amazon-apigateway-any-method']!.security = []), 'PROTECTED_ROUTE_WITHOUT_AUTHORIZER', '$default', /no authorizer/],
    [
      'a protected route under a scheme that is not an API Gateway authorizer',
      (d) => {
        (d.components.securitySchemes as Record<string, unknown>)['apiKey'] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
        d.paths['/admin/{proxy+}']!['x-amazon-apigateway-any-method']!.security = [{ apiKey: [] }];
      },
      'PROTECTED_ROUTE_WITHOUT_AUTHORIZER',
      'ANY /admin/{proxy+}',
      /security scheme "apiKey" has no x-amazon-apigateway-authorizer, not the JWT authorizer/,
    ],
    ['a public route with the authorizer', (d) => (d.paths['/health']!['get']!.security = [{ claimguardJwt: [] }]), 'PUBLIC_ROUTE_WITH_AUTHORIZER', 'GET /health', /public in the policy but deployed with the JWT authorizer "claimguardJwt": callers without a token are refused/],
    ['the auth route with the authorizer', (d) => (d.paths['/auth/{proxy+}']!['options']!.security = [{ claimguardJwt: [] }]), 'PUBLIC_ROUTE_WITH_AUTHORIZER', 'OPTIONS /auth/{proxy+}', /SuperTokens' auth route/],
    [
      'a global `security` reaching a public route without its own',
      (d) => {
        d.security = [{ claimguardJwt: [] }];
        delete d.paths['/files/{proxy+}']!['get']!.security;
      },
      'PUBLIC_ROUTE_WITH_AUTHORIZER',
      'GET /files/{proxy+}',
      /public in the policy/,
    ],
    ['another issuer', (d) => (jwt(d).jwtConfiguration.issuer = 'https://api.example.com/auth/'), 'AUTHORIZER_ISSUER_MISMATCH', null, /accepts issuer "https:\/\/api\.example\.com\/auth\/", the policy's issuer is "https:\/\/api\.example\.com\/auth"/],
    ['another audience', (d) => (jwt(d).jwtConfiguration.audience = ['other']), 'AUTHORIZER_AUDIENCE_MISMATCH', null, /accepts audience \["other"\], the policy's audience is \["jwtAuthorizers"\]/],
    ['an extra audience', (d) => (jwt(d).jwtConfiguration.audience = [AUDIENCE, 'ops-console']), 'AUTHORIZER_AUDIENCE_MISMATCH', null, /\["jwtAuthorizers","ops-console"\]/],
    ['another identity source', (d) => (jwt(d).identitySource = '$request.header.X-Token'), 'AUTHORIZER_IDENTITY_SOURCE_MISMATCH', null, /reads the token from \["\$request\.header\.X-Token"\]/],
    [
      'other path parameter names',
      (d) => {
        d.paths['/orders/{id}'] = { ...d.paths['/orders/{orderId}']!, parameters: [{ name: 'id', in: 'path', required: true }] } as never;
        delete d.paths['/orders/{orderId}'];
      },
      'ROUTE_PARAM_NAMES_DIFFER',
      'GET /orders/{orderId}',
      /deployed as "GET \/orders\/\{id\}", named "GET \/orders\/\{orderId\}" in the policy/,
    ],
  ];

  it('covers every finding code (with the Lambda authorizer cases below)', () => {
    expect(new Set([...cases.map((c) => c[2]), ...LAMBDA_CASES.map((c) => c[1])])).toEqual(new Set(DRIFT_CODES));
  });

  it.each(cases)('%s → %s', async (_name, edit, expected, route, message) => {
    const { code, report } = await diff(drifted(edit));
    const finding = report.findings.find((f) => f.code === expected);
    expect(finding, JSON.stringify(report.findings)).toBeDefined();
    expect(finding).toMatchObject({ severity: DRIFT_SEVERITY[expected], route });
    expect(finding!.message).toMatch(message);
    // Errors exit 1; the only warning (parameter names) leaves the exit code at 0.
    expect(code).toBe(report.findings.some((f) => f.severity === 'error') ? 1 : 0);
    expect(code).toBe(DRIFT_SEVERITY[expected] === 'error' ? 1 : 0);
    expect(report.ok).toBe(code === 0);
  });

  it('points policy findings at the policy line and deployed findings at the document', async () => {
    const { report } = await diff(drifted((d) => (d.paths['/orders/{orderId}']!['delete']!.security = [])));
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: 'PROTECTED_ROUTE_WITHOUT_AUTHORIZER',
        policy: { file: 'policies.yaml', line: 9, col: 3 },
        deployed: '/paths/~1orders~1{orderId}/delete',
      }),
    ]);
  });

  it('leaving out the explicit OPTIONS auth route is fine (ANY covers it); without --auth-routes the auth routes are not in the policy', async () => {
    expect((await diff(drifted((d) => delete d.paths['/auth/{proxy+}']!['options']))).code).toBe(0);
    const { code, report } = await diff(exported, []);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.code, f.route])).toEqual([
      ['ROUTE_NOT_IN_POLICY', 'ANY /auth/{proxy+}'],
      ['ROUTE_NOT_IN_POLICY', 'OPTIONS /auth/{proxy+}'],
    ]);
  });

  it('pretty output names each finding, where it is, and a summary line', async () => {
    const file = 'pretty.json';
    writeFileSync(join(fixture.dir, file), JSON.stringify(drifted((d) => (d.paths['/health']!['get']!.security = [{ claimguardJwt: [] }]))));
    const io = fakeIo(fixture.dir);
    expect(await runCli(['routes', 'diff', '--api', file, '--auth-routes'], io)).toBe(1);
    expect(io.out()).toBe(
      [
        '✖ error PUBLIC_ROUTE_WITH_AUTHORIZER: "GET /health" is public in the policy but deployed with the JWT authorizer "claimguardJwt": callers without a token are refused',
        '    policy policies.yaml:6:3, deployed /paths/~1health/get',
        '✖ 1 error: pretty.json does not match the policy',
        '',
      ].join('\n'),
    );
    const clean = fakeIo(fixture.dir);
    writeFileSync(join(fixture.dir, 'clean.json'), JSON.stringify(exported));
    expect(await runCli(['routes', 'diff', '--api', 'clean.json', '--auth-routes'], clean)).toBe(0);
    expect(clean.out()).toBe('✔ clean.json matches the policy: 9 routes\n');
  });
});

// A hand-written template in the shape CloudFormation/SAM authors use: short-form tags, an issuer
// built with !Sub from the API's own id (unknown until deployed), an IAM-authorized route.
const TEMPLATE_YAML = `
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: { Name: orders, ProtocolType: HTTP }
  Jwt:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Api
      AuthorizerType: JWT
      Name: supertokens
      IdentitySource: ['$request.header.Authorization']
      JwtConfiguration:
        Issuer: !Sub 'https://\${Api}.execute-api.\${AWS::Region}.amazonaws.com/auth'
        Audience: [${AUDIENCE}]
  Root: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: 'GET /', AuthorizationType: NONE } }
  Health: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: 'GET /health' } }
  GetOrder: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: 'GET /orders/{orderId}', AuthorizationType: JWT, AuthorizerId: !Ref Jwt } }
  DeleteOrder: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: 'DELETE /orders/{orderId}', AuthorizationType: AWS_IAM } }
  Admin: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: 'ANY /admin/{proxy+}', AuthorizationType: JWT, AuthorizerId: !GetAtt Jwt.AuthorizerId } }
  Files: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: 'GET /files/{proxy+}', AuthorizationType: NONE } }
  Default: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: $default, AuthorizationType: JWT, AuthorizerId: !Ref Jwt } }
`;

describe('claimguard routes diff (CloudFormation)', () => {
  it('reads routes and authorizers from a YAML template with short-form tags', async () => {
    const { code, report } = await diff(TEMPLATE_YAML, [], 'yaml');
    expect(code).toBe(1);
    expect(report.api.format).toBe('cloudformation');
    expect(report.summary).toMatchObject({ plannedRoutes: 7, deployedRoutes: 7, matched: 7 });
    expect(report.findings.map((f) => [f.code, f.route ?? f.authorizer, f.deployed])).toEqual([
      ['PROTECTED_ROUTE_WITHOUT_AUTHORIZER', 'DELETE /orders/{orderId}', 'Resources.DeleteOrder'],
      ['AUTHORIZER_ISSUER_MISMATCH', 'Jwt', 'Jwt'],
    ]);
    expect(report.findings[0]!.message).toMatch(/deployed with AWS_IAM authorization, not the JWT authorizer/);
    // An issuer CloudFormation computes cannot be proven equal offline: fail closed, and say why.
    expect(report.findings[1]!.message).toContain('the CloudFormation expression {"Fn::Sub":"https://${Api}.execute-api.${AWS::Region}.amazonaws.com/auth"}');
  });

  it('reads an API defined by an inline OpenAPI Body', async () => {
    const template = { Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Body: exported } } } };
    const { code, report } = await diff(template);
    expect(code).toBe(0);
    expect(report.summary.matched).toBe(9);
  });

  it('needs --api-id when a template holds several HTTP APIs (exit 2), and compares only that one', async () => {
    const template = {
      Resources: {
        A: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Body: exported } },
        B: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
        BRoute: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'B' }, RouteKey: 'GET /x' } },
      },
    };
    const ambiguous = await diff(template);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/error API_AMBIGUOUS: api-\d+\.json holds 2 HTTP APIs \(A, B\): choose one with --api-id/);
    expect((await diff(template, ['--auth-routes', '--api-id', 'A'])).code).toBe(0);
    const b = await diff(template, ['--auth-routes', '--api-id', 'B']);
    expect(b.report.findings.filter((f) => f.code === 'ROUTE_NOT_IN_POLICY').map((f) => f.route)).toEqual(['GET /x']);
    expect((await diff(template, ['--api-id', 'C'])).code).toBe(2);
  });

  it('a route key CloudFormation computes is not in the policy', async () => {
    const template = { Resources: { R: { Type: 'AWS::ApiGatewayV2::Route', Properties: { RouteKey: { 'Fn::Join': ['', ['GET ', '/x']] } } } } };
    const { report } = await diff(template, []);
    expect(report.findings[0]).toMatchObject({ code: 'ROUTE_NOT_IN_POLICY', route: null, deployed: 'Resources.R' });
    expect(report.findings[0]!.message).toMatch(/a route whose key is the CloudFormation expression \{"Fn::Join"/);
  });
});

describe('claimguard routes diff: usage', () => {
  it.each([
    ['a missing --api file', ['--api', 'missing.json'], /cannot read --api missing\.json \(ENOENT\)/],
    ['no --api', [], /required option '--api <file>' not specified/],
    ['a bad --format', ['--api', 'x.json', '--format', 'xml'], /argument 'xml' is invalid/],
  ])('%s exits 2', async (_name, argv, message) => {
    const io = fakeIo(fixture.dir);
    expect(await runCli(['routes', 'diff', ...argv], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it.each([
    ['text that is neither JSON nor YAML', '{ "a": [', /error API_UNREADABLE: api-\d+\.json is not JSON or YAML/],
    ['a document that describes no API', '{"swagger": "2.0"}', /error API_UNRECOGNIZED: api-\d+\.json is neither an OpenAPI 3 document/],
  ])('%s exits 2', async (_name, text, message) => {
    const { code, stderr } = await diff(text);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('a policy that cannot be deployed (no issuer) exits 1 with its position', async () => {
    const io = fakeIo(fixture.dir);
    writeFileSync(join(fixture.dir, 'no-issuer.yaml'), shapesPolicy([`audience: ${AUDIENCE}`]));
    writeFileSync(join(fixture.dir, 'clean.json'), JSON.stringify(exported));
    expect(await runCli(['routes', 'diff', '--api', 'clean.json', '--policies', 'no-issuer.yaml'], io)).toBe(1);
    expect(io.err()).toMatch(/^no-issuer\.yaml:2:1: error ISSUER_MISSING/);
    // With --issuer it compares against that issuer.
    const given = fakeIo(fixture.dir);
    expect(await runCli(['routes', 'diff', '--api', 'clean.json', '--policies', 'no-issuer.yaml', '--issuer', ISSUER, '--auth-routes'], given)).toBe(0);
  });
});

describe('claimguard routes diff --authorizer lambda (claimguard/authorizer)', () => {
  it('a template with the authorizer as planned matches: exit 0; an unset TTL is taken as API Gateway\'s 300 s default', async () => {
    const { code, report } = await diff(lambdaTemplate(), ['--authorizer', 'lambda']);
    expect([code, report.findings]).toEqual([0, []]);
    expect((await diff(lambdaTemplate((p) => delete p.AuthorizerResultTtlInSeconds), ['--authorizer', 'lambda'])).code).toBe(0);
  });

  it.each(LAMBDA_CASES)('%s → %s', async (_name, expected, template, message) => {
    const { code, report } = await diff(template, ['--authorizer', 'lambda']);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ code: expected, severity: 'error', authorizer: 'Lambda' })]);
    expect(report.findings[0]!.message).toMatch(message);
  });

  it('a protected route left on a JWT authorizer is not protected by the policy at the gateway', async () => {
    const template = lambdaTemplate(undefined, (key, p) => {
      if (key === 'DELETE /orders/{orderId}') Object.assign(p, { AuthorizationType: 'JWT', AuthorizerId: { Ref: 'Jwt' } });
    }) as { Resources: Record<string, unknown> };
    template.Resources['Jwt'] = { Type: 'AWS::ApiGatewayV2::Authorizer', Properties: { ApiId: { Ref: 'Api' }, AuthorizerType: 'JWT', Name: 'jwt', JwtConfiguration: { Issuer: ISSUER, Audience: [AUDIENCE] } } };
    const { report } = await diff(template, ['--authorizer', 'lambda']);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'PROTECTED_ROUTE_WITHOUT_AUTHORIZER', route: 'DELETE /orders/{orderId}' })]);
    expect(report.findings[0]!.message).toMatch(/a JWT authorizer \("Jwt"\), not claimguard's Lambda authorizer \(REQUEST\)/);
  });

  it('a policy deciding on a path parameter allows no caching: any TTL above 0 is unsafe', async () => {
    writeFileSync(join(fixture.dir, 'owners.yaml'), shapesPolicy().replace('    require: { roles: { anyOf: [customer, admin] } }', '    require: { subject: { equalsPathParam: orderId } }'));
    const args = ['--authorizer', 'lambda', '--policies', 'owners.yaml'];
    const { report } = await diff(lambdaTemplate(), args);
    expect(report.findings.map((f) => f.code)).toEqual(['AUTHORIZER_CACHE_UNSAFE']);
    expect(report.findings[0]!.message).toMatch(/the longest safe TTL for this policy is 0 s/);
    expect((await diff(lambdaTemplate((p) => (p.AuthorizerResultTtlInSeconds = 0)), args)).code).toBe(0);
  });

  it('needs no issuer or audience in the policy: the authorizer function verifies the token', async () => {
    writeFileSync(join(fixture.dir, 'bare.yaml'), shapesPolicy([]));
    expect((await diff(lambdaTemplate(), ['--authorizer', 'lambda', '--policies', 'bare.yaml'])).code).toBe(0);
  });
});
