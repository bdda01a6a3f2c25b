// docs/authorizer.md's REST API recipe, run as written against aws-cdk-lib and synthesized offline:
// a REQUEST authorizer with claimguard's safe identity sources, and the four gateway responses of
// restGatewayResponses, with their templates and CORS headers, as CloudFormation gets them.
import { readFileSync } from 'node:fs';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaIntegration, RequestAuthorizer, ResponseType, RestApi, type IAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_DENIED_TEMPLATE, restGatewayResponses, SAFE_IDENTITY_SOURCES } from '../../src/authorizer/index.js';

/** The fenced block after `<!-- tested by test/deploy/rest-authorizer.test.ts -->` in docs/authorizer.md. */
function docBlock(): string {
  const doc = readFileSync(new URL('../../docs/authorizer.md', import.meta.url), 'utf8');
  const at = doc.indexOf('<!-- tested by test/deploy/rest-authorizer.test.ts -->\n');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(doc.slice(at));
  if (at < 0 || block === null) throw new Error('docs/authorizer.md has no tested REST block');
  return block[1]!;
}

let template: Template;

beforeAll(() => {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Rest');
  const fn = (id: string) => new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
  const authorizerFn = fn('Authorizer');
  const api = new RestApi(stack, 'Api');
  // The block's statements, with its imports given as arguments and `this` the stack.
  const body = docBlock()
    .split('\n')
    .filter((l) => !l.startsWith('import '))
    .join('\n');
  const run = new Function('Duration', 'RequestAuthorizer', 'ResponseType', 'restGatewayResponses', 'SAFE_IDENTITY_SOURCES', 'authorizerFn', 'api', `${body}\nreturn authorizer;`) as (
    ...args: unknown[]
  ) => IAuthorizer;
  const authorizer = run.call(stack, Duration, RequestAuthorizer, ResponseType, restGatewayResponses, SAFE_IDENTITY_SOURCES, authorizerFn, api);
  api.root.addResource('orders').addResource('{orderId}').addMethod('GET', new LambdaIntegration(fn('Orders')), { authorizer });
  template = Template.fromStack(stack);
});

describe("docs/authorizer.md's REST recipe", () => {
  it('a REQUEST authorizer keyed on the token, the method and the resource', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization,context.httpMethod,context.resourcePath',
      AuthorizerResultTtlInSeconds: 0,
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'CUSTOM' });
  });

  it('the four gateway responses, with claimguard\'s templates and the frontend origin\'s CORS headers', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')) as { Properties: Record<string, unknown> }[];
    const byType = Object.fromEntries(responses.map((r) => [r.Properties['ResponseType'], r.Properties]));
    expect(Object.keys(byType).sort()).toEqual(['ACCESS_DENIED', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE', 'UNAUTHORIZED']);
    const cors = { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'", 'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'" };
    expect(byType['ACCESS_DENIED']).toMatchObject({ StatusCode: '403', ResponseTemplates: { 'application/json': ACCESS_DENIED_TEMPLATE }, ResponseParameters: cors });
    expect(byType['UNAUTHORIZED']).toMatchObject({ StatusCode: '401', ResponseTemplates: { 'application/json': '{"message":"unauthorised"}' }, ResponseParameters: cors });
    expect(byType['AUTHORIZER_FAILURE']).toMatchObject({ StatusCode: '500', ResponseTemplates: { 'application/json': '{"message":"internal error"}' } });
  });
});
