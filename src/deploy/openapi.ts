// DeployPlan → an OpenAPI 3.0 document with API Gateway's HTTP API extensions, the form API Gateway
// imports (also SAM `DefinitionBody`, Terraform `aws_apigatewayv2_api.body`, the console):
// one path item per route path, `ANY` as `x-amazon-apigateway-any-method`, `$default` as the
// `$default` path, one JWT security scheme, `security` on every protected operation and
// `security: []` on every public one (no global `security`, so nothing is protected by accident).
import { stringify } from 'yaml';
import type { HttpMethod } from '../policy/ir.js';
import type { DeployPlan, PlannedRoute } from './plan.js';

/** The security scheme's name in `components.securitySchemes`. */
export const JWT_SCHEME = 'claimguardJwt';

export const ANY_METHOD = 'x-amazon-apigateway-any-method';
export const AUTHORIZER_EXTENSION = 'x-amazon-apigateway-authorizer';
export const INTEGRATION_EXTENSION = 'x-amazon-apigateway-integration';

/** API Gateway's path key for the `$default` route. */
export const DEFAULT_PATH = '$default';

export interface OpenApiOptions {
  readonly title: string;
  /** `info.version`; the CLI passes the bundle revision so the document names what it was made from. */
  readonly version: string;
  /** A Lambda function ARN (or integration URI) every policy route is proxied to. */
  readonly integrationUri?: string;
  /** The same for the auth routes (the SuperTokens auth function). */
  readonly authIntegrationUri?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** OpenAPI's operation key for a route method. */
export function operationKey(method: HttpMethod): string {
  return method === 'ANY' ? ANY_METHOD : method.toLowerCase();
}

export function openApiDocument(plan: DeployPlan, options: OpenApiOptions): JsonObject {
  const paths: JsonObject = {};
  for (const route of plan.routes) {
    const pathKey = route.path ?? DEFAULT_PATH;
    const item = (paths[pathKey] ??= pathItem(route)) as JsonObject;
    item[route.method === null ? ANY_METHOD : operationKey(route.method)] = operation(route, options);
  }
  const doc: JsonObject = {
    openapi: '3.0.1',
    info: { title: options.title, version: options.version },
    paths,
  };
  if (plan.jwt !== null) {
    doc['components'] = {
      securitySchemes: {
        [JWT_SCHEME]: {
          // API Gateway reads only the extension; `oauth2` with no flows is how it describes a JWT authorizer.
          type: 'oauth2',
          flows: {},
          [AUTHORIZER_EXTENSION]: {
            type: 'jwt',
            jwtConfiguration: { issuer: plan.jwt.issuer, audience: [...plan.jwt.audience] },
            identitySource: plan.jwt.identitySource,
          },
        },
      },
    };
  }
  return doc;
}

function pathItem(route: PlannedRoute): JsonObject {
  if (route.params.length === 0) return {};
  return { parameters: route.params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) };
}

function operation(route: PlannedRoute, options: OpenApiOptions): JsonObject {
  const uri = route.origin === 'auth' ? options.authIntegrationUri : options.integrationUri;
  const op: JsonObject = {
    summary: route.origin === 'auth' ? `${route.key} (SuperTokens auth routes)` : route.key,
    security: route.authorizer ? [{ [JWT_SCHEME]: [] }] : [],
    responses: { default: { description: route.authorizer ? 'Answered by the integration after the JWT authorizer and claimguard allow the request' : 'Answered by the integration' } },
  };
  if (uri !== undefined) {
    op[INTEGRATION_EXTENSION] = { type: 'aws_proxy', httpMethod: 'POST', uri, payloadFormatVersion: '2.0' };
  }
  return op;
}

export type OpenApiFormat = 'json' | 'yaml';

/** `.yaml`/`.yml` files get YAML, everything else JSON. */
export function formatForFile(file: string): OpenApiFormat {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'json';
}

export function serializeOpenApi(doc: JsonObject, format: OpenApiFormat): string {
  return format === 'yaml' ? stringify(doc, { lineWidth: 0 }) : `${JSON.stringify(doc, null, 2)}\n`;
}
