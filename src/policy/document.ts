// The policy file as written, typed to match schemas/policies.schema.json exactly.
// Hand-written rather than generated (no generator in the toolchain); test/policy/document.test.ts
// proves the two agree: key sets both ways, and typed examples validate against the schema.
import type { JsonValue } from './ir.js';

/** SuperTokens factor ids (`$defs/factorId`). */
export type FactorId =
  | 'emailpassword'
  | 'webauthn'
  | 'otp-email'
  | 'otp-phone'
  | 'link-email'
  | 'link-phone'
  | 'thirdparty'
  | 'totp';

/** A non-empty list of unique strings (uniqueness is the schema's job). */
export type StringList = readonly [string, ...string[]];

export interface MaxAge {
  /** Positive integer. */
  readonly maxAgeSeconds?: number;
}

export type EmailVerifiedRequirement = true | { readonly maxAgeSeconds: number };

/** `roles` / `permissions`: at least one of the three lists. */
export type ListRequirement = MaxAge &
  (
    | { readonly anyOf: StringList; readonly allOf?: StringList; readonly noneOf?: StringList }
    | { readonly anyOf?: StringList; readonly allOf: StringList; readonly noneOf?: StringList }
    | { readonly anyOf?: StringList; readonly allOf?: StringList; readonly noneOf: StringList }
  );

export type FactorList = readonly [FactorId, ...FactorId[]];

export type MfaRequirement =
  | true
  | (MaxAge & {
      readonly factors: { readonly anyOf: FactorList; readonly allOf?: never } | { readonly allOf: FactorList; readonly anyOf?: never };
    });

export type TenantRequirement =
  | { readonly anyOf: StringList; readonly equalsPathParam?: never }
  | { readonly equalsPathParam: string; readonly anyOf?: never };

export interface SubjectRequirement {
  readonly equalsPathParam: string;
}

export type AudienceRequirement = string | StringList;

export type ClaimRequirement =
  | { readonly equals: JsonValue; readonly anyOf?: never; readonly exists?: never }
  | { readonly anyOf: readonly [JsonValue, ...JsonValue[]]; readonly equals?: never; readonly exists?: never }
  | { readonly exists: true; readonly equals?: never; readonly anyOf?: never };

export interface RequirementMap {
  readonly emailVerified?: EmailVerifiedRequirement;
  readonly roles?: ListRequirement;
  readonly permissions?: ListRequirement;
  readonly mfa?: MfaRequirement;
  readonly tenant?: TenantRequirement;
  readonly subject?: SubjectRequirement;
  readonly audience?: AudienceRequirement;
  readonly claims?: { readonly [claim: string]: ClaimRequirement };
  /** Non-empty, and each branch names at least one requirement. */
  readonly anyOf?: readonly [RequirementMap, ...RequirementMap[]];
}

export type RouteDefinition =
  | { readonly public: true; readonly require?: never; readonly description?: string }
  | { readonly require: RequirementMap; readonly public?: never; readonly description?: string };

export type Routes = { readonly [routeKey: string]: RouteDefinition };

/** `$defs/entryFile`: policies.yaml. */
export interface EntryDocument {
  readonly version: 1;
  readonly audience?: string;
  readonly issuer?: string;
  readonly include?: StringList;
  readonly tests?: StringList;
  readonly defaults?: { readonly require?: RequirementMap };
  readonly routes?: Routes;
}

/** `$defs/ruleFile`: a file pulled in by `include:`. */
export interface RuleDocument {
  readonly version?: 1;
  readonly routes: Routes;
}

export type PolicyDocument = EntryDocument | RuleDocument;

/** Requirement keys in schema order; `document.test.ts` holds it equal to the schema and the type. */
export const REQUIREMENT_KEYS = [
  'emailVerified',
  'roles',
  'permissions',
  'mfa',
  'tenant',
  'subject',
  'audience',
  'claims',
  'anyOf',
] as const satisfies readonly (keyof RequirementMap)[];

export const ENTRY_KEYS = [
  'version',
  'audience',
  'issuer',
  'include',
  'tests',
  'defaults',
  'routes',
] as const satisfies readonly (keyof EntryDocument)[];

export const RULE_KEYS = ['version', 'routes'] as const satisfies readonly (keyof RuleDocument)[];
