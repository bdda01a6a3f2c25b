// Errors of the deploy path (policy → OpenAPI / CDK / drift check). One class, a closed union of
// stable codes; a problem that belongs to a policy file carries its position.
import { ClaimguardError } from '../errors.js';
import { formatPositioned } from '../policy/errors.js';
import type { SourceLocation } from '../policy/ir.js';

export type DeployErrorCode =
  /** The policy has protected routes but no `issuer`: the JWT authorizer cannot be configured. */
  | 'ISSUER_MISSING'
  /** The deployment is given an issuer other than the one the policy pins. */
  | 'ISSUER_CONFLICT'
  /** The policy has protected routes but no `audience`: the JWT authorizer needs at least one. */
  | 'AUDIENCE_MISSING'
  /** `--auth-routes` / `auth.basePath` is not a path API Gateway can route. */
  | 'AUTH_BASE_PATH_INVALID'
  /** The policy protects a route the SuperTokens auth routes would mount without authorizer. */
  | 'AUTH_ROUTE_CONFLICT'
  /** The policy does not load (the problems are in the message). */
  | 'POLICY_INVALID'
  /** A policy route has neither a handler nor a default handler (CDK). */
  | 'HANDLER_MISSING'
  /** A handler is keyed by a route the policy does not name (CDK). */
  | 'HANDLER_ROUTE_UNKNOWN'
  /** A bundling setup the bundle cannot be copied into (CDK). */
  | 'BUNDLING_UNSUPPORTED'
  /** A Lambda authorizer result TTL longer than the policy's longest safe one (CDK). */
  | 'CACHE_TTL_UNSAFE'
  /** Options of one authorizer kind given for the other (CDK: `issuer` with `lambdaAuthorizer`). */
  | 'AUTHORIZER_OPTIONS_CONFLICT'
  /** The synth-time policy compilation did not run (CDK). */
  | 'PREPARE_FAILED'
  /** The API description given to `routes diff` cannot be read or parsed. */
  | 'API_UNREADABLE'
  /** It is neither an OpenAPI document nor a CloudFormation template with an HTTP API. */
  | 'API_UNRECOGNIZED'
  /** The template holds several HTTP APIs and none was chosen. */
  | 'API_AMBIGUOUS';

export class DeployError extends ClaimguardError<DeployErrorCode> {
  override readonly name = 'DeployError';
  /** Where in the policy the problem is, when it is about a policy file. */
  readonly at: SourceLocation | null;

  constructor(code: DeployErrorCode, message: string, options: { at?: SourceLocation | null; cause?: unknown } = {}) {
    super(code, message, options);
    this.at = options.at ?? null;
  }

  /** `file:line:col: error CODE: message` with the source line when known, else `error CODE: message`. */
  format(sourceLine: string | null = null): string {
    if (this.at === null) return `error ${this.code}: ${this.message}`;
    return formatPositioned({ ...this.at, severity: 'error', code: this.code, message: this.message, sourceLine });
  }
}
