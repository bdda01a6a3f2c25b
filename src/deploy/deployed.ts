// Reading a deployed or planned HTTP API: an OpenAPI document with API Gateway's extensions, or a
// CloudFormation template (`AWS::ApiGatewayV2::Route` / `Authorizer`, as `cdk synth`, SAM's
// transform output or a hand-written template hold them; an `AWS::ApiGatewayV2::Api` `Body` is read
// as OpenAPI). Values CloudFormation resolves only at deploy time stay visible as expressions.
import { parse, type ScalarTag, type CollectionTag } from 'yaml';
import { DeployError } from './errors.js';
import { isObject } from '../util/json.js';
import { ANY_METHOD, AUTHORIZER_EXTENSION, DEFAULT_PATH } from './openapi.js';

/** A value only CloudFormation can compute (`{"Fn::Join": …}`, `{"Ref": …}`), shown as JSON. */
export interface Unresolved {
  readonly expression: string;
}

export type Value<T> = T | Unresolved;

export const isUnresolved = (v: unknown): v is Unresolved => typeof v === 'object' && v !== null && 'expression' in v;

export interface DeployedAuthorizer {
  /** Scheme name (OpenAPI) or logical id (CloudFormation). */
  readonly name: string;
  /** `JWT`, `REQUEST` (Lambda authorizer), or what the description says. */
  readonly type: string;
  readonly issuer: Value<string> | null;
  readonly audience: Value<readonly Value<string>[]> | null;
  readonly identitySource: Value<readonly Value<string>[]> | null;
  /** Lambda (REQUEST) authorizers: the result cache TTL in seconds, as written (null: not given). */
  readonly resultTtlSeconds: Value<number> | null;
  /** Lambda authorizers: whether simple responses (`{ isAuthorized }`) are on (null: not given). */
  readonly simpleResponses: boolean | null;
  /** Lambda authorizers: the payload format version (`1.0`, `2.0`; null: not given). */
  readonly payloadFormatVersion: string | null;
}

export type DeployedAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'authorizer'; readonly authorizer: DeployedAuthorizer }
  /** AWS_IAM, or an authorizer reference that does not resolve to one in the description. */
  | { readonly kind: 'other'; readonly detail: string };

export interface DeployedRoute {
  /** As deployed: `GET /orders/{id}`, `$default`; a key CloudFormation computes is Unresolved. */
  readonly key: Value<string>;
  readonly auth: DeployedAuth;
  /** Where it is in the description: a JSON pointer or `Resources.<logicalId>`. */
  readonly where: string;
}

export interface DeployedApi {
  readonly format: 'openapi' | 'cloudformation';
  readonly routes: readonly DeployedRoute[];
}

type Obj = Record<string, unknown>;
const isObj = isObject;
const pointer = (...steps: string[]): string => steps.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** CloudFormation's YAML short forms (`!Ref X`, `!Sub …`, `!GetAtt A.B`), read as their long forms. */
const CFN_FUNCTIONS = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString', 'Length'];
const longName = (name: string): string => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);
const CFN_TAGS: (ScalarTag | CollectionTag)[] = CFN_FUNCTIONS.flatMap((name) => [
  {
    tag: `!${name}`,
    resolve: (value: string) => ({ [longName(name)]: name === 'GetAtt' ? value.split('.') : value }),
  } satisfies ScalarTag,
  { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [longName(name)]: seq.toJSON() }) } as CollectionTag,
  { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [longName(name)]: map.toJSON() }) } as CollectionTag,
]);

/** Parses JSON or YAML text (with CloudFormation tags) and reads the API it describes. */
export function readDeployedApi(text: string, name: string, options: { readonly apiId?: string } = {}): DeployedApi {
  let data: unknown;
  try {
    data = parse(text, { customTags: CFN_TAGS, maxAliasCount: 100 });
  } catch (cause) {
    throw new DeployError('API_UNREADABLE', `${name} is not JSON or YAML: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (isObj(data) && typeof data['openapi'] === 'string') return { format: 'openapi', routes: openApiRoutes(data, '') };
  if (isObj(data) && isObj(data['Resources'])) return { format: 'cloudformation', routes: templateRoutes(data['Resources'], name, options.apiId) };
  throw new DeployError(
    'API_UNRECOGNIZED',
    `${name} is neither an OpenAPI 3 document (no "openapi" field) nor a CloudFormation template (no "Resources"); give \`claimguard export openapi\` output, a \`cdk synth\` template, or an API Gateway export`,
  );
}

// --- OpenAPI ----------------------------------------------------------------------------------

const OPERATIONS: Readonly<Record<string, string>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  trace: 'TRACE',
  [ANY_METHOD]: 'ANY',
};

function openApiRoutes(doc: Obj, base: string): DeployedRoute[] {
  const schemes = isObj(doc['components']) && isObj(doc['components']['securitySchemes']) ? doc['components']['securitySchemes'] : {};
  const globalSecurity = doc['security'];
  const routes: DeployedRoute[] = [];
  const paths = isObj(doc['paths']) ? doc['paths'] : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    const isDefault = path === DEFAULT_PATH || path === `/${DEFAULT_PATH}`;
    for (const [op, operation] of Object.entries(item)) {
      const method = OPERATIONS[op];
      if (method === undefined || !isObj(operation)) continue;
      const where = `${base}${pointer('paths', path, op)}`;
      const key = isDefault ? DEFAULT_PATH : `${method} ${path}`;
      const security = 'security' in operation ? operation['security'] : globalSecurity;
      routes.push({ key, auth: openApiAuth(security, schemes), where });
    }
  }
  return routes;
}

function openApiAuth(security: unknown, schemes: Obj): DeployedAuth {
  if (security === undefined || (Array.isArray(security) && security.length === 0)) return { kind: 'none' };
  if (!Array.isArray(security)) return { kind: 'other', detail: 'a `security` value that is not a list' };
  // API Gateway applies one authorizer per route: the first requirement's first scheme.
  const first = security[0];
  const names = isObj(first) ? Object.keys(first) : [];
  if (names.length === 0) return { kind: 'none' };
  const name = names[0]!;
  const scheme = schemes[name];
  const ext = isObj(scheme) ? scheme[AUTHORIZER_EXTENSION] : undefined;
  if (!isObj(ext)) return { kind: 'other', detail: `security scheme "${name}" ${isObj(scheme) ? `has no ${AUTHORIZER_EXTENSION}` : 'is not defined'}` };
  const jwt = isObj(ext['jwtConfiguration']) ? ext['jwtConfiguration'] : {};
  const identity = ext['identitySource'];
  return {
    kind: 'authorizer',
    authorizer: {
      name,
      type: typeof ext['type'] === 'string' ? ext['type'].toUpperCase() : 'UNKNOWN',
      issuer: stringValue(jwt['issuer']),
      audience: listValue(jwt['audience']),
      // OpenAPI writes it as one comma-separated string; CloudFormation as a list.
      identitySource: typeof identity === 'string' ? identity.split(',').map((s) => s.trim()) : listValue(identity),
      ...lambdaSettings(ext['authorizerResultTtlInSeconds'], ext['enableSimpleResponses'], ext['authorizerPayloadFormatVersion']),
    },
  };
}

// --- CloudFormation ---------------------------------------------------------------------------

function templateRoutes(resources: Obj, name: string, apiId: string | undefined): DeployedRoute[] {
  const ofType = (type: string): [string, Obj][] =>
    Object.entries(resources).filter((e): e is [string, Obj] => isObj(e[1]) && e[1]['Type'] === type);
  const apis = ofType('AWS::ApiGatewayV2::Api').filter(([, r]) => !isObj(r['Properties']) || r['Properties']['ProtocolType'] !== 'WEBSOCKET');
  const apiIds = apis.map(([id]) => id);
  if (apiId !== undefined && !apiIds.includes(apiId)) {
    throw new DeployError('API_AMBIGUOUS', `${name} has no HTTP API with logical id "${apiId}" (found: ${apiIds.join(', ') || 'none'})`);
  }
  if (apiId === undefined && apiIds.length > 1) {
    throw new DeployError('API_AMBIGUOUS', `${name} holds ${apiIds.length} HTTP APIs (${apiIds.join(', ')}): choose one with --api-id`);
  }
  const chosen = apiId ?? apiIds[0];
  const belongs = (props: Obj): boolean => chosen === undefined || refTarget(props['ApiId']) === chosen;

  const authorizers = new Map<string, DeployedAuthorizer>();
  for (const [id, resource] of ofType('AWS::ApiGatewayV2::Authorizer')) {
    const props = isObj(resource['Properties']) ? resource['Properties'] : {};
    const jwt = isObj(props['JwtConfiguration']) ? props['JwtConfiguration'] : {};
    authorizers.set(id, {
      name: id,
      type: typeof props['AuthorizerType'] === 'string' ? props['AuthorizerType'] : 'UNKNOWN',
      issuer: stringValue(jwt['Issuer']),
      audience: listValue(jwt['Audience']),
      identitySource: listValue(props['IdentitySource']),
      ...lambdaSettings(props['AuthorizerResultTtlInSeconds'], props['EnableSimpleResponses'], props['AuthorizerPayloadFormatVersion']),
    });
  }

  const routes: DeployedRoute[] = [];
  for (const [id, resource] of ofType('AWS::ApiGatewayV2::Route')) {
    const props = isObj(resource['Properties']) ? resource['Properties'] : {};
    if (!belongs(props)) continue;
    const key = stringValue(props['RouteKey']) ?? { expression: 'no RouteKey' };
    const type = typeof props['AuthorizationType'] === 'string' ? props['AuthorizationType'] : 'NONE';
    routes.push({ key, auth: templateAuth(type, props['AuthorizerId'], authorizers), where: `Resources.${id}` });
  }
  // An API defined by an inline OpenAPI body (`Body`) carries its routes there.
  const api = apis.find(([id]) => id === chosen)?.[1];
  const body = api !== undefined && isObj(api['Properties']) ? api['Properties']['Body'] : undefined;
  if (isObj(body) && chosen !== undefined) routes.push(...openApiRoutes(body, `Resources.${chosen}.Properties.Body`));
  return routes;
}

function templateAuth(type: string, authorizerId: unknown, authorizers: ReadonlyMap<string, DeployedAuthorizer>): DeployedAuth {
  if (type === 'NONE') return { kind: 'none' };
  const target = refTarget(authorizerId);
  const authorizer = target === null ? undefined : authorizers.get(target);
  if (authorizer !== undefined && (type === 'JWT' || type === 'CUSTOM')) return { kind: 'authorizer', authorizer };
  if (type === 'AWS_IAM') return { kind: 'other', detail: 'AWS_IAM authorization' };
  return { kind: 'other', detail: `${type} authorization with an authorizer not in the template (${JSON.stringify(authorizerId ?? null)})` };
}

function lambdaSettings(ttl: unknown, simple: unknown, version: unknown): Pick<DeployedAuthorizer, 'resultTtlSeconds' | 'simpleResponses' | 'payloadFormatVersion'> {
  return {
    // CloudFormation takes numbers and booleans written as strings too.
    resultTtlSeconds:
      ttl === undefined || ttl === null ? null : typeof ttl === 'number' ? ttl : typeof ttl === 'string' && /^\d+$/.test(ttl) ? Number(ttl) : { expression: JSON.stringify(ttl) },
    simpleResponses: typeof simple === 'boolean' ? simple : simple === 'true' ? true : simple === 'false' ? false : null,
    payloadFormatVersion: typeof version === 'string' ? version : null,
  };
}

/** `{ Ref: X }` → X; also a GetAtt on X. */
function refTarget(v: unknown): string | null {
  if (!isObj(v)) return null;
  if (typeof v['Ref'] === 'string') return v['Ref'];
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return null;
}

function stringValue(v: unknown): Value<string> | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  return { expression: JSON.stringify(v) };
}

function listValue(v: unknown): Value<readonly Value<string>[]> | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return { expression: JSON.stringify(v) };
  return v.map((x) => (typeof x === 'string' ? x : { expression: JSON.stringify(x) }));
}
