// What API Gateway does with a Lambda authorizer's outcome, as far as claimguard's tests need it,
// written from the API Gateway Developer Guide:
// - "Output from an API Gateway Lambda authorizer": an IAM policy whose statements allow
//   `execute-api:Invoke` on the request's method ARN lets the request through; a Deny, or no
//   statement covering it, is a 403 (gateway response ACCESS_DENIED). Context values are strings,
//   numbers or booleans, and reach `$context.authorizer.<key>`, beside `principalId`.
// - "Call an API with API Gateway Lambda authorizers": the function failing with the message
//   `Unauthorized` is a 401 (UNAUTHORIZED); any other failure or an invalid output is a 500
//   (AUTHORIZER_CONFIGURATION_ERROR).
// - `x-amazon-apigateway-gateway-responses.responseTemplates`: a gateway response template "isn't
//   processed by the Velocity Template Language (VTL) engine"; it supports "only simple variable
//   substitution". A variable is replaced by its value as it is: nothing is quoted or escaped,
//   which is why `$context.error.messageString` ("the quoted value of $context.error.message")
//   exists. Directives such as `#if` are not evaluated. This evaluator substitutes
//   `$context.authorizer.<key>` exactly so; a key the context lacks becomes the empty string
//   (claimguard's templates only name keys every result carries, and a test checks that).

export type AuthorizerContextValues = Readonly<Record<string, string | number | boolean>>;

const AUTHORIZER_VARIABLE = /\$context\.authorizer\.([A-Za-z0-9_]+)/g;

/** The body API Gateway sends for a gateway response template, given the authorizer's context. */
export function renderGatewayTemplate(template: string, authorizer: AuthorizerContextValues | null): string {
  return template.replace(AUTHORIZER_VARIABLE, (_all, key: string) =>
    authorizer !== null && Object.hasOwn(authorizer, key) ? String(authorizer[key]) : '',
  );
}

/** The `$context.authorizer.*` keys a template reads. */
export function authorizerVariables(template: string): string[] {
  return [...template.matchAll(AUTHORIZER_VARIABLE)].map((m) => m[1]!);
}

interface Statement {
  readonly Action: string | readonly string[];
  readonly Effect: 'Allow' | 'Deny';
  readonly Resource: string | readonly string[];
}

export interface PolicyOutput {
  readonly principalId: string;
  readonly policyDocument: { readonly Version: string; readonly Statement: readonly Statement[] };
  readonly context?: AuthorizerContextValues;
}

/** `arn…/*`-style wildcards as IAM matches them (`*` any run, `?` one character). */
function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(arn);
}

const list = <T>(x: T | readonly T[]): readonly T[] => (Array.isArray(x) ? (x as readonly T[]) : [x as T]);

/** IAM evaluation of the policy for one method ARN: an explicit Deny wins, then an Allow, else an implicit deny. */
export function evaluatePolicy(output: PolicyOutput, methodArn: string): 'allow' | 'explicit-deny' | 'implicit-deny' {
  const applies = (s: Statement) =>
    list(s.Action).some((a) => a === 'execute-api:Invoke' || a === 'execute-api:*' || a === '*') && list(s.Resource).some((r) => arnMatches(r, methodArn));
  const statements = output.policyDocument.Statement.filter(applies);
  if (statements.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  return statements.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}

export interface GatewayResponseTemplates {
  readonly ACCESS_DENIED: string;
  readonly UNAUTHORIZED: string;
  readonly AUTHORIZER_CONFIGURATION_ERROR: string;
}

export type RestGatewayOutcome =
  | { readonly kind: 'integration'; readonly principalId: string; readonly context: AuthorizerContextValues }
  | { readonly kind: 'gateway-response'; readonly type: keyof GatewayResponseTemplates; readonly statusCode: 401 | 403 | 500; readonly body: string };

/** A REST API's answer to a request whose REQUEST authorizer settled with `settled`. */
export async function restGateway(
  settled: Promise<unknown>,
  methodArn: string,
  templates: GatewayResponseTemplates,
): Promise<RestGatewayOutcome> {
  let output: PolicyOutput;
  try {
    output = (await settled) as PolicyOutput;
  } catch (e) {
    if (e instanceof Error && e.message === 'Unauthorized') return { kind: 'gateway-response', type: 'UNAUTHORIZED', statusCode: 401, body: renderGatewayTemplate(templates.UNAUTHORIZED, null) };
    return { kind: 'gateway-response', type: 'AUTHORIZER_CONFIGURATION_ERROR', statusCode: 500, body: renderGatewayTemplate(templates.AUTHORIZER_CONFIGURATION_ERROR, null) };
  }
  if (typeof output?.principalId !== 'string' || !Array.isArray(output.policyDocument?.Statement)) {
    return { kind: 'gateway-response', type: 'AUTHORIZER_CONFIGURATION_ERROR', statusCode: 500, body: renderGatewayTemplate(templates.AUTHORIZER_CONFIGURATION_ERROR, null) };
  }
  const context = { ...(output.context ?? {}), principalId: output.principalId };
  if (evaluatePolicy(output, methodArn) === 'allow') return { kind: 'integration', principalId: output.principalId, context };
  return { kind: 'gateway-response', type: 'ACCESS_DENIED', statusCode: 403, body: renderGatewayTemplate(templates.ACCESS_DENIED, context) };
}
