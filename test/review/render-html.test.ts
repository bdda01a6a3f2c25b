// The report is data from the policy and the suites put into HTML: every value is escaped, and
// the page loads nothing from anywhere (checked in a browser by report.browser.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/review/render-html.js';
import { lines, writeFixture } from '../policy/fixtures.js';
import { cli } from '../testing/support.js';

describe('report HTML', () => {
  it('escapes hostile values from the policy and the suites', async () => {
    const hostile = '</script><img src=x onerror=alert(1)>';
    const dir = writeFixture({
      'policies.yaml': lines('version: 1', 'audience: api', 'routes:', '  GET /a/{id}:', '    require:', `      claims: { note: { equals: ${JSON.stringify(hostile)} } }`),
      'policies/s.test.yaml': lines(
        'version: 1',
        'principals:',
        `  x: { claims: { aud: api, note: ${JSON.stringify(hostile)} } }`,
        'cases:',
        `  - { name: ${JSON.stringify(`case ${hostile}`)}, request: GET /a/1, principal: x, expect: allow }`,
      ),
    });
    const r = await cli(dir, ['report', '--out', 'r.html']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(JSON.stringify(hostile)));
    // Exactly the one inline script of the page, and no external reference of any kind.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
