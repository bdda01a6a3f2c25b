// src/policy/document.ts (hand-written types) agrees with schemas/policies.schema.json:
// - key sets: the exported key lists equal the schema's properties (runtime), and the `Exact`
//   assertions below equal the types' keys (compile time, checked by `tsc --noEmit`);
// - typed examples of every form validate against the schema, and the sample policy loads;
// - forms the schema rejects do not type-check (`@ts-expect-error`).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ENTRY_KEYS, REQUIREMENT_KEYS, RULE_KEYS } from '../../src/policy/document.js';
import type { EntryDocument, RequirementMap, RuleDocument } from '../../src/policy/document.js';

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exact = <T extends true>(): T => true as T;
exact<Exact<(typeof REQUIREMENT_KEYS)[number], keyof RequirementMap>>();
exact<Exact<(typeof ENTRY_KEYS)[number], keyof EntryDocument>>();
exact<Exact<(typeof RULE_KEYS)[number], keyof RuleDocument>>();

interface Defs {
  readonly $id: string;
  readonly $defs: Record<string, { properties: Record<string, unknown> }>;
}
const schema = JSON.parse(readFileSync(new URL('../../schemas/policies.schema.json', import.meta.url), 'utf8')) as Defs;
const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addSchema(schema);
const validateEntry = ajv.getSchema(`${schema.$id}#/$defs/entryFile`);
const validateRule = ajv.getSchema(`${schema.$id}#/$defs/ruleFile`);

const props = (def: string): string[] => Object.keys(schema.$defs[def]?.properties ?? {});

describe('document types match the schema', () => {
  it('has the same keys', () => {
    expect([...REQUIREMENT_KEYS]).toEqual(props('requirementMap'));
    expect([...ENTRY_KEYS]).toEqual(props('entryFile'));
    expect([...RULE_KEYS]).toEqual(props('ruleFile'));
  });

  const everything: EntryDocument = {
    version: 1,
    audience: 'api',
    issuer: 'https://auth.example.com',
    include: ['policies/*.yaml'],
    tests: ['policies/*.test.yaml'],
    defaults: { require: { emailVerified: true } },
    routes: {
      'GET /health': { public: true, description: 'up' },
      'GET /t/{t}/u/{u}': {
        description: 'all kinds',
        require: {
          emailVerified: { maxAgeSeconds: 60 },
          roles: { anyOf: ['a'], allOf: ['b'], noneOf: ['c'], maxAgeSeconds: 5 },
          permissions: { noneOf: ['x'] },
          mfa: { factors: { allOf: ['totp', 'webauthn'] }, maxAgeSeconds: 300 },
          tenant: { equalsPathParam: 't' },
          subject: { equalsPathParam: 'u' },
          audience: ['ops'],
          claims: { plan: { equals: { tier: [1, null, true] } }, region: { anyOf: ['eu', 1] }, x: { exists: true } },
          anyOf: [{ mfa: true }, { tenant: { anyOf: ['t1'] }, audience: 'x' }],
        },
      },
    },
  };
  const rule: RuleDocument = { routes: { $default: { require: {} } } };

  it('accepts typed examples of every form', () => {
    expect(validateEntry?.(everything), JSON.stringify(validateEntry?.errors)).toBe(true);
    expect(validateRule?.(rule)).toBe(true);
  });

  it('rejects, at compile time, forms the schema rejects', () => {
    const invalid: unknown[] = [
      // @ts-expect-error version must be 1
      { version: 2 } satisfies EntryDocument,
      // @ts-expect-error public is true or absent
      { public: false } satisfies NonNullable<EntryDocument['routes']>[string],
      // @ts-expect-error a public route has no require
      { public: true, require: {} } satisfies NonNullable<EntryDocument['routes']>[string],
      // @ts-expect-error emailVerified: false is not a requirement
      { emailVerified: false } satisfies RequirementMap,
      // @ts-expect-error roles need a list
      { roles: { maxAgeSeconds: 5 } } satisfies RequirementMap,
      // @ts-expect-error lists are non-empty
      { roles: { anyOf: [] } } satisfies RequirementMap,
      // @ts-expect-error mfa object form needs factors
      { mfa: { maxAgeSeconds: 5 } } satisfies RequirementMap,
      // @ts-expect-error one factor list, not both
      { mfa: { factors: { anyOf: ['totp'], allOf: ['totp'] } } } satisfies RequirementMap,
      // @ts-expect-error unknown factor
      { mfa: { factors: { anyOf: ['sms'] } } } satisfies RequirementMap,
      // @ts-expect-error tenant takes one form
      { tenant: { anyOf: ['a'], equalsPathParam: 'p' } } satisfies RequirementMap,
      // @ts-expect-error exists is only true
      { claims: { x: { exists: false } } } satisfies RequirementMap,
      // @ts-expect-error global settings belong to the entry file
      { routes: {}, audience: 'x' } satisfies RuleDocument,
    ];
    for (const doc of invalid) {
      const ok = validateEntry?.(doc) === true || validateRule?.(doc) === true || validateEntry?.({ version: 1, routes: { 'GET /a': { require: doc } } }) === true;
      // The route-level forms are checked in place.
      const asRoute = validateEntry?.({ version: 1, routes: { 'GET /a': doc } }) === true;
      expect(ok || asRoute, JSON.stringify(doc)).toBe(false);
    }
  });
});
