// The normalized, typed form of a whole policy (all files, defaults merged, global checks explicit).
// Both the reference evaluator (src/decision) and the wasm compiler (src/compile) consume only this.
// It is plain JSON-serializable data, so it can be hashed, snapshotted and shipped to workers.

/** Where something was written, for errors, coverage and explain output. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line and column. */
  readonly line: number;
  readonly col: number;
}

/** The methods a route key may name, `ANY` last (the compiled table's method slots follow this order). */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  /** `{name+}`: matches one or more remaining segments; only ever last. */
  | { readonly kind: 'greedy'; readonly name: string };

/** JSON value as written in the policy (`claims: { x: { equals: … } }`). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Fields every check carries: the claim key it reports under, and where it was written. */
interface CheckBase {
  /** `reasons[].id` when it fails: the token claim key (`st-ev`, `aud`, `tId`, `sub`, a custom claim…). */
  readonly id: string;
  /** Stable path for coverage and explain, e.g. `routes["GET /a"].require.roles` or `defaults.require.emailVerified`. */
  readonly path: string;
  readonly at: SourceLocation;
}

export interface AudienceCheck extends CheckBase {
  readonly kind: 'audience';
  readonly id: 'aud';
  /** `aud` (a string or an array of strings) must contain at least one of these. */
  readonly anyOf: readonly string[];
}

export interface IssuerCheck extends CheckBase {
  readonly kind: 'issuer';
  readonly id: 'iss';
  readonly equals: string;
}

export interface EmailVerifiedCheck extends CheckBase {
  readonly kind: 'emailVerified';
  readonly id: 'st-ev';
  readonly maxAgeSeconds: number | null;
}

/** `roles` (st-role) and `permissions` (st-perm): at least one of the three lists is set. */
export interface ListClaimCheck extends CheckBase {
  readonly kind: 'roles' | 'permissions';
  readonly id: 'st-role' | 'st-perm';
  readonly anyOf: readonly string[] | null;
  readonly allOf: readonly string[] | null;
  readonly noneOf: readonly string[] | null;
  readonly maxAgeSeconds: number | null;
}

export interface MfaCheck extends CheckBase {
  readonly kind: 'mfa';
  readonly id: 'st-mfa';
  /** null for `mfa: true`. Exactly one of anyOf / allOf is set otherwise. */
  readonly factors: { readonly anyOf: readonly string[] | null; readonly allOf: readonly string[] | null } | null;
  /** Only with factors: each counted factor must have completed within this many seconds. */
  readonly maxAgeSeconds: number | null;
}

export interface TenantCheck extends CheckBase {
  readonly kind: 'tenant';
  readonly id: 'tId';
  /** Exactly one of the two is set. */
  readonly anyOf: readonly string[] | null;
  readonly equalsPathParam: string | null;
}

export interface SubjectCheck extends CheckBase {
  readonly kind: 'subject';
  readonly id: 'sub';
  readonly equalsPathParam: string;
}

/** `claims: { name: { equals | anyOf | exists } }`, one check per claim name. */
export type ClaimCheck = CheckBase & { readonly kind: 'claim' } & (
    | { readonly op: 'equals'; readonly value: JsonValue }
    | { readonly op: 'anyOf'; readonly values: readonly JsonValue[] }
    | { readonly op: 'exists' }
  );

/** `anyOf: [map, …]`: passes when every check of at least one branch passes. */
export interface AnyOfCheck {
  readonly kind: 'anyOf';
  readonly path: string;
  readonly at: SourceLocation;
  readonly branches: readonly (readonly Check[])[];
}

export type Check =
  | AudienceCheck
  | IssuerCheck
  | EmailVerifiedCheck
  | ListClaimCheck
  | MfaCheck
  | TenantCheck
  | SubjectCheck
  | ClaimCheck
  | AnyOfCheck;

export interface IRRoute {
  /** The policy route key exactly as written: `GET /orders/{orderId}` or `$default`. */
  readonly key: string;
  /** null for `$default`. */
  readonly method: HttpMethod | null;
  /** null for `$default`; `[]` for `/`. */
  readonly segments: readonly Segment[] | null;
  readonly public: boolean;
  /**
   * Every check a protected route needs, in report order: global audience, global issuer,
   * then `defaults.require` entries, then the route's own `require` entries (each in written order).
   * Empty for public routes.
   */
  readonly checks: readonly Check[];
  readonly at: SourceLocation;
}

export interface PolicyIR {
  readonly version: 1;
  readonly audience: string | null;
  readonly issuer: string | null;
  /** In policy order: entry file first, then included files in sorted path order; keys in written order. */
  readonly routes: readonly IRRoute[];
}
