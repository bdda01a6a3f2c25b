import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { lines, writeFixture } from '../policy/fixtures.js';
import { fakeIo } from './fake-io.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

const broken = {
  'policies.yaml': lines('version: 1', 'include: [more/*.yaml]', 'routes:', '  GET /a: { require: { rolse: {} } }'),
  'more/b.yaml': lines('routes:', '  GET /b/{id}: { require: { subject: { equalsPathParam: x } } }'),
};

describe('claimguard check', () => {
  it('passes the sample policy with a summary line', async () => {
    const io = fakeIo(repo);
    expect(await runCli(['check'], io)).toBe(0);
    expect(io.out()).toMatch(/^✔ policies\.yaml: \d+ routes, \d+ requirements \(2 files\)\n$/);
  });

  it('prints every error, then every warning, each with its source line, then a summary, and exits 1', async () => {
    const io = fakeIo(writeFixture(broken));
    expect(await runCli(['check'], io)).toBe(1);
    expect(io.out()).toBe(
      [
        'policies.yaml:4:24: error KEY_UNKNOWN: unknown key "rolse" in routes["GET /a"].require (did you mean "roles"?)',
        '    GET /a: { require: { rolse: {} } }',
        '                         ^',
        '',
        'more/b.yaml:2:57: error PARAM_UNKNOWN: route "GET /b/{id}" uses equalsPathParam "x" but the route has no {x} parameter',
        '    GET /b/{id}: { require: { subject: { equalsPathParam: x } } }',
        '                                                          ^',
        '',
        'policies.yaml:1:1: warning AUDIENCE_MISSING: no "audience": tokens minted for any other audience will be accepted; set it to the JWT authorizer\'s audience',
        '  version: 1',
        '  ^',
        '',
        '✖ 2 errors, 1 warning in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with --format json', async () => {
    const io = fakeIo(writeFixture(broken));
    expect(await runCli(['check', '--format', 'json'], io)).toBe(1);
    const report = JSON.parse(io.out()) as { ok: boolean; errors: { code: string; file: string; line: number; col: number }[]; warnings: unknown[]; routes: unknown[] };
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.code}`)).toEqual([
      'policies.yaml:4:24 KEY_UNKNOWN',
      'more/b.yaml:2:57 PARAM_UNKNOWN',
    ]);
    expect(report.warnings).toHaveLength(1);
    expect(report.routes).toEqual([]);
  });

  it('lists the routes in JSON when the policy is valid', async () => {
    const io = fakeIo(repo);
    expect(await runCli(['check', '--format', 'json', '--policies', 'policies.yaml'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { ok: boolean; files: string[]; routes: string[] };
    expect(report.ok).toBe(true);
    expect(report.files).toEqual(['policies.yaml', 'policies/billing.yaml']);
    expect(report.routes).toEqual(expect.arrayContaining(['GET /health', 'DELETE /orders/{orderId}', '$default', 'POST /billing/refunds']));
  });

  it.each([
    ['a missing policies file', ['check', '--policies', 'nope.yaml'], /file not found: nope\.yaml/],
    ['the default policies file missing', ['check'], /file not found: policies\.yaml \(pass --policies FILE\)/],
    ['an unknown option', ['check', '--nope'], /unknown option '--nope'/],
    ['an unknown format', ['check', '--format', 'xml'], /Allowed choices are pretty, json/],
    ['an unknown command', ['chek'], /unknown command 'chek'/],
    ['no command', [], /Usage: claimguard/],
  ])('exits 2 on %s', async (_name, argv, message) => {
    const io = fakeIo(writeFixture({}));
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.out()).toBe('');
  });

  it.each([['--help'], ['check', '--help'], ['eval', '--help'], ['help', 'check']])('prints help for %s and exits 0', async (...argv) => {
    const io = fakeIo(repo);
    expect(await runCli(argv, io)).toBe(0);
    expect(io.out()).toMatch(/Usage: claimguard/);
  });
});
