// `claimguard report` in a real browser: Debian's Chromium, headless, through playwright-core,
// opens the HTML file from disk. The rendered matrix must say what the suites say (every matrix
// cell of every suite is a case of a principal as defined: its cell shows that case with the
// verdict the suite expects), the filter box must hide and show rows, and the page may fetch
// nothing. A screenshot goes to test-output/ (git-ignored).
//
// CI installs Chromium (README set-up, .ci/run), so there this test always runs. Elsewhere a
// missing Chromium skips it with a warning that says how to install it; CLAIMGUARD_SKIP_BROWSER=1
// skips it on purpose (and says so too). Never silently.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { loadSuites } from '../../src/testing/load-suites.js';
import { gatewayRoute } from '../../src/testing/request.js';
import type { TestSuite } from '../../src/testing/suite.js';
import { cli, repo, sampleCopy } from '../testing/support.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const MISSING = !existsSync(CHROMIUM);
const SKIP = process.env['CLAIMGUARD_SKIP_BROWSER'] === '1' || MISSING;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

if (SKIP) {
  console.warn(
    `report.browser.test.ts: SKIPPED: the HTML report was not checked in a browser (${
      MISSING
        ? `no Chromium at ${CHROMIUM}: apt-get install -y chromium, or point CHROMIUM_PATH at one`
        : 'CLAIMGUARD_SKIP_BROWSER=1'
    })`,
  );
}

describe.skipIf(SKIP)('claimguard report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let ir: PolicyIR;
  let suites: readonly TestSuite[];
  const requests: string[] = [];

  beforeAll(async () => {
    const dir = sampleCopy();
    const out = join(dir, 'out', 'report.html');
    const r = await cli(dir, ['report', '--out', 'out/report.html']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✔ wrote out\/report\.html: \d+ routes × \d+ principals/);

    const policy = await loadPolicy(join(dir, 'policies.yaml'), { baseDir: dir });
    if (!policy.ok) throw new Error('the sample policy does not load');
    ir = policy.ir;
    const loaded = await loadSuites({ ir, entryFile: join(dir, 'policies.yaml'), baseDir: dir });
    if (!loaded.ok) throw new Error('the sample suites do not load');
    suites = loaded.suites;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(out).href);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('fetches nothing but the file itself', () => {
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('shows every suite matrix cell in its route × principal cell, with the verdict the suite expects', async () => {
    const rendered = await page.$$eval('td.cell', (tds) =>
      tds.map((td) => ({
        route: td.getAttribute('data-route'),
        principal: td.getAttribute('data-principal'),
        verdict: td.getAttribute('data-verdict'),
        cases: Array.from(td.querySelectorAll('li.obs')).map((li) => ({ name: li.getAttribute('data-case'), decision: li.getAttribute('data-decision') })),
      })),
    );
    const cellOf = (route: string, principal: string) => rendered.find((c) => c.route === route && c.principal === principal);
    let checked = 0;
    for (const suite of suites) {
      for (const c of suite.cases) {
        // Matrix cells (`<matrix>: <request> as <principal>`) are the principal as defined.
        if (!c.name.endsWith(` as ${c.principal}`) || !c.name.includes(': ')) continue;
        const route = gatewayRoute(ir, c.request.method, c.request.path)?.routeKey;
        if (route === undefined) continue; // refused paths have no route row
        const cell = cellOf(route, c.principal);
        expect(cell, `${route} × ${c.principal}`).toBeDefined();
        expect(cell!.cases, `${c.name} in ${route} × ${c.principal}`).toContainEqual({ name: c.name, decision: c.expect.allow ? 'allow' : 'deny' });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    // A cell's verdict is what its cases decided; a cell without cases says so.
    for (const cell of rendered) {
      const decisions = new Set(cell.cases.map((x) => x.decision));
      const expected = decisions.size === 0 ? 'untested' : decisions.size === 2 ? 'mixed' : [...decisions][0];
      expect(cell.verdict, `${cell.route} × ${cell.principal}`).toBe(expected);
    }
    expect(rendered).toHaveLength(ir.routes.length * (await page.$$eval('thead th[data-principal]', (ths) => ths.length)));
  });

  it('shows the reasons on a denied cell', async () => {
    const cell = page.locator('td.cell[data-route="DELETE /orders/{orderId}"][data-principal="no-mfa"]');
    await expect(cell.getAttribute('title')).resolves.toMatch(/^deny: MFA_REQUIRED/);
    await cell.locator('summary').click();
    await expect(cell.locator('ul.reasons li').first().textContent()).resolves.toMatch(/MFA_REQUIRED st-mfa: MFA requirement for auth is not satisfied/);
  });

  it('filters routes by what is typed, and shows them all again when cleared', async () => {
    const visibleRows = () => page.$$eval('#matrix tbody tr', (trs) => trs.filter((tr) => !(tr as HTMLElement).hidden).map((tr) => tr.getAttribute('data-route')));
    await page.fill('#filter', '/billing');
    expect(await visibleRows()).toEqual(['GET /billing/invoices', 'GET /billing/invoices/{invoiceId}', 'POST /billing/refunds']);
    await expect(page.textContent('#filter-count')).resolves.toBe(`3 of ${ir.routes.length} routes match`);
    const sections = await page.$$eval('section.route', (ss) => ss.filter((s) => !(s as HTMLElement).hidden).map((s) => s.getAttribute('data-route')));
    expect(sections).toEqual(['GET /billing/invoices', 'GET /billing/invoices/{invoiceId}', 'POST /billing/refunds']);

    await page.fill('#filter', 'st-mfa');
    const mfaRoutes = ir.routes.filter((r) => JSON.stringify(r.checks).includes('"kind":"mfa"')).map((r) => r.key);
    expect(await visibleRows()).toEqual(mfaRoutes);

    mkdirSync(join(repo, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(repo, 'test-output', 'report-filtered.png'), fullPage: false });
    await page.fill('#filter', '');
    expect(await visibleRows()).toHaveLength(ir.routes.length);
    await page.screenshot({ path: join(repo, 'test-output', 'report.png'), fullPage: false });
  });
});
