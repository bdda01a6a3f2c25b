// schemas/policies.schema.json as an editor sees it (the root schema, entry or rule file):
// it accepts the sample policy and rejects each malformed form.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schemas/policies.schema.json', root), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
const validate = ajv.compile(schema);
const readYaml = (path: string): unknown => parse(readFileSync(new URL(path, root), 'utf8'));

describe('policies.schema.json', () => {
  it('has an $id, a title and a description for editors', () => {
    expect(schema).toMatchObject({ $id: expect.stringMatching(/policies\.schema\.json$/), title: expect.any(String) });
  });

  it.each(['policies.yaml', 'policies/billing.yaml'])('accepts the sample %s', (path) => {
    expect(validate(readYaml(path)), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the sample names the schema on its first line', () => {
    const first = readFileSync(new URL('policies.yaml', root), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./schemas/policies.schema.json');
  });

  const entry = (require: unknown, route = 'GET /a/{id}'): unknown => ({ version: 1, routes: { [route]: { require } } });

  it.each([
    ['every requirement kind', { emailVerified: true, roles: { anyOf: ['a'], noneOf: ['b'], maxAgeSeconds: 5 }, permissions: { allOf: ['p'] }, mfa: { factors: { allOf: ['totp'] }, maxAgeSeconds: 60 }, tenant: { anyOf: ['t'] }, subject: { equalsPathParam: 'id' }, audience: ['x'], claims: { plan: { equals: { a: [1, null] } }, tier: { anyOf: [1, 'x'] }, ok: { exists: true } } }],
    ['emailVerified with maxAgeSeconds', { emailVerified: { maxAgeSeconds: 1 } }],
    ['mfa true', { mfa: true }],
    ['audience string', { audience: 'x' }],
    ['tenant from path', { tenant: { equalsPathParam: 'id' } }],
    ['nested anyOf', { anyOf: [{ mfa: true }, { anyOf: [{ roles: { allOf: ['a'] } }] }] }],
    ['empty require', {}],
  ])('accepts %s', (_name, require) => {
    expect(validate(entry(require)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['emailVerified false', { emailVerified: false }],
    ['emailVerified maxAgeSeconds 0', { emailVerified: { maxAgeSeconds: 0 } }],
    ['emailVerified unknown key', { emailVerified: { maxAge: 5 } }],
    ['roles without a list', { roles: { maxAgeSeconds: 5 } }],
    ['roles empty list', { roles: { anyOf: [] } }],
    ['roles repeated entry', { roles: { anyOf: ['a', 'a'] } }],
    ['roles non-string entry', { roles: { anyOf: [1] } }],
    ['roles fractional age', { roles: { anyOf: ['a'], maxAgeSeconds: 1.5 } }],
    ['permissions as a list', { permissions: ['p'] }],
    ['mfa false', { mfa: false }],
    ['mfa object without factors', { mfa: { maxAgeSeconds: 60 } }],
    ['mfa factors with both lists', { mfa: { factors: { anyOf: ['totp'], allOf: ['totp'] } } }],
    ['mfa factors with neither list', { mfa: { factors: {} } }],
    ['mfa unknown factor', { mfa: { factors: { anyOf: ['sms'] } } }],
    ['tenant with both forms', { tenant: { anyOf: ['t'], equalsPathParam: 'id' } }],
    ['tenant empty', { tenant: {} }],
    ['subject without equalsPathParam', { subject: {} }],
    ['subject empty name', { subject: { equalsPathParam: '' } }],
    ['audience empty list', { audience: [] }],
    ['audience empty string', { audience: '' }],
    ['audience number', { audience: 3 }],
    ['claims empty', { claims: {} }],
    ['claim with two operators', { claims: { x: { equals: 1, exists: true } } }],
    ['claim exists false', { claims: { x: { exists: false } } }],
    ['claim anyOf empty', { claims: { x: { anyOf: [] } } }],
    ['anyOf empty', { anyOf: [] }],
    ['anyOf with an empty branch', { anyOf: [{}] }],
    ['anyOf not a list', { anyOf: { mfa: true } }],
    ['unknown requirement', { rolse: { anyOf: ['a'] } }],
  ])('rejects %s', (_name, require) => {
    expect(validate(entry(require))).toBe(false);
  });

  it.each([
    ['no version and global settings', { audience: 'a', routes: {} }],
    ['version 2', { version: 2, routes: {} }],
    ['public false', { version: 1, routes: { 'GET /a': { public: false } } }],
    ['public with require', { version: 1, routes: { 'GET /a': { public: true, require: {} } } }],
    ['route with neither', { version: 1, routes: { 'GET /a': {} } }],
    ['lower-case method', { version: 1, routes: { 'get /a': { public: true } } }],
    ['unknown top-level key', { version: 1, routes: {}, audiences: 'x' }],
    ['issuer not a URI', { version: 1, issuer: 'not a uri' }],
    ['include empty', { version: 1, include: [] }],
    ['defaults with unknown key', { version: 1, defaults: { requires: {} } }],
    ['rule file (no version) with defaults', { routes: {}, defaults: {} }],
  ])('rejects a file with %s', (_name, doc) => {
    expect(validate(doc)).toBe(false);
  });
});
