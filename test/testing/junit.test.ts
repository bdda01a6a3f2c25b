// JUnit output has the shape CI reporters read, and names survive `<`, `&` and quotes.
import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/testing/report/junit.js';
import { lines, writeFixture } from '../policy/fixtures.js';
import { cli } from './support.js';
import { parseXml } from './xml.js';

const policy = lines('version: 1', 'audience: api', 'routes:', '  GET /a: { require: { roles: { anyOf: [x] } } }');
const tricky = `a <b> & "c" 'd' \u0001 ]]>`;

const suite = lines(
  'version: 1',
  'name: "Suite <one> & \\"two\\""',
  'principals:',
  '  x: { claims: { aud: api, st-role: { v: [x], t: 0 } } }',
  'cases:',
  `  - { name: ${JSON.stringify(tricky)}, request: GET /a, principal: x, expect: allow }`,
  `  - { name: "wrong & <expected>", request: GET /a, principal: x, expect: deny }`,
);

describe('--format junit', () => {
  it('writes testsuites › testsuite › testcase with failures, round-tripping names', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/a.test.yaml': suite });
    const r = await cli(dir, ['test', '--format', 'junit', '--min-coverage', '100']);
    expect(r.code).toBe(1);
    const root = parseXml(r.out);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '3', failures: '2', errors: '0' });
    const [suiteEl, coverageEl] = root.children;
    expect(root.children.map((c) => c.name)).toEqual(['testsuite', 'testsuite']);
    expect(suiteEl!.attrs).toMatchObject({ name: 'Suite <one> & "two"', file: 'policies/a.test.yaml', tests: '2', failures: '1', errors: '0' });
    const [pass, fail] = suiteEl!.children;
    expect(pass!.attrs['name']).toBe(`a <b> & "c" 'd' \uFFFD ]]>`);
    expect(pass!.attrs).toMatchObject({ classname: 'policies/a.test.yaml', file: 'policies/a.test.yaml', line: '6' });
    expect(pass!.children).toEqual([]);
    expect(fail!.attrs['name']).toBe('wrong & <expected>');
    expect(fail!.children.map((c) => c.name)).toEqual(['failure']);
    expect(fail!.children[0]!.attrs).toMatchObject({ type: 'DecisionMismatch', message: 'expected deny, got allow' });
    expect(fail!.children[0]!.text).toContain('expected: deny');
    expect(coverageEl!.attrs).toMatchObject({ name: 'coverage', tests: '1', failures: '1' });
    expect(coverageEl!.children[0]!.children[0]!.attrs['type']).toBe('CoverageBelowMinimum');
  });

  it('escapes the five specials in attributes and keeps newlines', () => {
    expect(escapeXml(`<&>"'\n`)).toBe('&lt;&amp;&gt;&quot;&apos;&#10;');
    expect(escapeXml(`<&>"'\n`, false)).toBe(`&lt;&amp;&gt;"'\n`);
    expect(parseXml(`<a n="${escapeXml(tricky)}"/>`).attrs['n']).toBe(tricky.replace('\u0001', '\uFFFD'));
  });

  it('--output writes the report to a file and still prints the pretty report', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/a.test.yaml': suite });
    const r = await cli(dir, ['test', '--format', 'junit', '--output', 'out/junit.xml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot write out/junit.xml');
    const ok = await cli(dir, ['test', '--format', 'junit', '--output', 'junit.xml']);
    expect(ok.out).toMatch(/\n1 passed, 1 failed\n$/);
    const { readFileSync } = await import('node:fs');
    expect(parseXml(readFileSync(`${dir}/junit.xml`, 'utf8')).name).toBe('testsuites');
  });
});
