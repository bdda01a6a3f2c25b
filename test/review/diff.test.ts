// `claimguard diff` on the sample policy: one row per rule of docs/review.md (what loosens, what
// tightens), each an edit of policies.yaml compared with the original; then the command end to
// end: JSON contract shape, Markdown, --fail-on, a git ref with includes read at that ref.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import { diffRoutes, overallEffect } from '../../src/review/diff.js';
import { cli, edit, sampleCopy } from '../testing/support.js';

async function irOf(dir: string): Promise<PolicyIR> {
  const r = await loadPolicy(join(dir, 'policies.yaml'), { baseDir: dir });
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.ir;
}

const original = sampleCopy();
const baseIr = await irOf(original);

interface Row {
  readonly rule: string;
  readonly file?: string;
  readonly from: string;
  readonly to: string;
  /** Every route that changes, with its change and effect. */
  readonly routes: Readonly<Record<string, string>>;
  readonly detail?: RegExp;
}

const PROTECTED = baseIr.routes.filter((r) => !r.public).map((r) => r.key);
const every = (what: string): Record<string, string> => Object.fromEntries(PROTECTED.map((k) => [k, what]));

const rows: Row[] = [
  { rule: 'a role added to anyOf loosens', from: 'anyOf: [customer, admin] } }', to: 'anyOf: [customer, admin, support] } }', routes: { 'GET /orders/{orderId}': 'modified loosened' }, detail: /roles loosened: anyOf \+support/ },
  { rule: 'a value added to allOf tightens', from: 'roles: { allOf: [admin] }, mfa: true', to: 'roles: { allOf: [admin, auditor] }, mfa: true', routes: { 'DELETE /orders/{orderId}': 'modified tightened' }, detail: /allOf \+auditor/ },
  { rule: 'a value added to noneOf tightens', from: 'noneOf: [frozen] }', to: 'noneOf: [frozen, trial] }', routes: { 'POST /orders': 'modified tightened' } },
  { rule: 'a larger maxAgeSeconds loosens', from: 'maxAgeSeconds: 300 }', to: 'maxAgeSeconds: 600 }', routes: { 'ANY /admin/{proxy+}': 'modified loosened' }, detail: /maxAgeSeconds 300s → 600s/ },
  { rule: 'a requirement removed loosens', from: "      emailVerified: { maxAgeSeconds: 2592000 } # re-verified within 30 days\n", to: '', routes: { 'POST /orders': 'modified loosened' }, detail: /removed: st-ev\.v = true/ },
  { rule: 'mfa: true → named factors tightens', from: 'roles: { allOf: [admin] }, mfa: true', to: 'roles: { allOf: [admin] }, mfa: { factors: { allOf: [totp] } }', routes: { 'DELETE /orders/{orderId}': 'modified tightened' } },
  {
    rule: 'an anyOf branch added loosens',
    from: '        - subject: { equalsPathParam: userId }\n  PUT',
    to: '        - subject: { equalsPathParam: userId }\n        - roles: { anyOf: [support] }\n  PUT',
    routes: { 'GET /users/{userId}/profile': 'modified loosened' },
    detail: /branch added/,
  },
  { rule: 'defaults apply to every protected route', from: 'roles: { noneOf: [suspended] }', to: 'roles: { noneOf: [suspended, frozen] }', routes: every('modified tightened'), detail: /roles \(defaults\)/ },
  { rule: 'the global audience applies to every protected route', from: 'audience: jwtAuthorizers ', to: 'audience: otherAuthorizers ', routes: every('modified mixed'), detail: /audience \(global\)/ },
  { rule: 'making a route public loosens', file: 'policies/billing.yaml', from: "  GET /billing/invoices:\n    require:\n      emailVerified: true\n      permissions: { anyOf: [billing:read] }\n", to: '  GET /billing/invoices: { public: true }\n', routes: { 'GET /billing/invoices': 'modified loosened' }, detail: /made public/ },
  { rule: 'making a route protected tightens', from: 'GET /health: { public: true }', to: 'GET /health: { require: { roles: { anyOf: [ops] } } }', routes: { 'GET /health': 'modified tightened' } },
  {
    rule: 'a route added under a broader one compares with it',
    from: '  POST /orders:\n',
    to: '  GET /orders/export:\n    require: { roles: { anyOf: [admin] } }\n  POST /orders:\n',
    routes: { 'GET /orders/export': 'added tightened' },
    detail: /vs GET \/orders\/\{orderId\}, which answered GET \/orders\/export before: anyOf −customer/,
  },
  {
    rule: 'a route added where $default answered compares with $default',
    from: '  POST /orders:\n',
    to: '  GET /reports/{reportId}:\n    require: { roles: { anyOf: [admin, accountant] } }\n  POST /orders:\n',
    routes: { 'GET /reports/{reportId}': 'added loosened' },
    detail: /vs \$default/,
  },
  {
    rule: 'a route removed compares with what answers its requests now',
    from: '  DELETE /orders/{orderId}:\n    require: { roles: { allOf: [admin] }, mfa: true }\n',
    to: '',
    routes: { 'DELETE /orders/{orderId}': 'removed mixed' },
    detail: /vs \$default, which now answers DELETE \/orders\/x-orderId/,
  },
  { rule: 'reordering and moving comments changes nothing', from: 'roles: { anyOf: [customer], noneOf: [frozen] }', to: 'roles: { noneOf: [frozen], anyOf: [customer] }', routes: {} },
];

describe('diff rules on the sample policy', () => {
  it.each(rows)('$rule', async (row) => {
    const dir = sampleCopy();
    edit(dir, row.file ?? 'policies.yaml', row.from, row.to);
    const routes = diffRoutes(baseIr, await irOf(dir));
    const changed = Object.fromEntries(routes.filter((r) => r.change !== 'unchanged').map((r) => [r.route, `${r.change} ${r.effect}`]));
    expect(changed).toEqual(row.routes);
    if (row.detail !== undefined) {
      const texts = routes.flatMap((r) => r.details.map((d) => `${d.requirement} ${d.effect}: ${d.reason}`));
      expect(texts.some((t) => row.detail!.test(t)), texts.join('\n')).toBe(true);
    }
    expect(routes.filter((r) => r.change === 'unchanged').every((r) => r.effect === 'none' && r.details.length === 0)).toBe(true);
  });

  it('says the whole change is mixed when one route loosens and another tightens', async () => {
    const dir = sampleCopy();
    edit(dir, 'policies.yaml', 'anyOf: [customer, admin] } }', 'anyOf: [customer, admin, support] } }');
    edit(dir, 'policies.yaml', 'noneOf: [frozen] }', 'noneOf: [frozen, trial] }');
    expect(overallEffect(diffRoutes(baseIr, await irOf(dir)))).toBe('mixed');
  });
});

describe('claimguard diff (command)', () => {
  const git = (dir: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

  /** The sample committed in a fresh repository, then edited in the working tree. */
  function repoWithEdit(): string {
    const dir = sampleCopy();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    edit(dir, 'policies.yaml', 'anyOf: [customer, admin] } }', 'anyOf: [customer, admin, support] } }');
    // An included file changed too: the base must read it at the ref, not from the working tree.
    edit(dir, 'policies/billing.yaml', 'permissions: { anyOf: [billing:read] }\n  GET', 'permissions: { anyOf: [billing:read, billing:list] }\n  GET');
    return dir;
  }

  it('prints the JSON contract against a git ref, includes read at that ref', async () => {
    const dir = repoWithEdit();
    const r = await cli(dir, ['diff', '--base', 'main', '--format', 'json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { routes: { route: string; change: string; effect: string; details: unknown[] }[]; access: Record<string, string>[] };
    expect(Object.keys(doc)).toEqual(['routes', 'access']);
    for (const route of doc.routes) {
      expect(Object.keys(route)).toEqual(['route', 'change', 'effect', 'details']);
      expect(['added', 'removed', 'modified', 'unchanged']).toContain(route.change);
      expect(['loosened', 'tightened', 'mixed', 'none']).toContain(route.effect);
    }
    expect(doc.routes.filter((x) => x.change !== 'unchanged').map((x) => `${x.route} ${x.effect}`)).toEqual(['GET /orders/{orderId} loosened', 'GET /billing/invoices loosened']);
    for (const a of doc.access) expect(Object.keys(a)).toEqual(['principal', 'route', 'before', 'after']);
    // support is no customer: it gains GET /orders/{orderId}; nobody holds billing:list.
    expect(doc.access).toEqual([
      { principal: 'support', route: 'GET /orders/{orderId}', before: 'deny', after: 'allow' },
      { principal: 'support-stale-mfa', route: 'GET /orders/{orderId}', before: 'deny', after: 'allow' },
    ]);
  });

  it('fails with --fail-on loosened, passes a tightening, and --fail-on any fails on any change', async () => {
    const dir = repoWithEdit();
    expect((await cli(dir, ['diff', '--base', 'main', '--fail-on', 'loosened'])).code).toBe(1);
    expect((await cli(dir, ['diff', '--base', 'main', '--fail-on', 'any'])).code).toBe(1);
    git(dir, 'checkout', '-q', '--', '.');
    edit(dir, 'policies.yaml', 'noneOf: [frozen] }', 'noneOf: [frozen, trial] }');
    const tight = await cli(dir, ['diff', '--base', 'main', '--fail-on', 'loosened']);
    expect(tight.code).toBe(0);
    expect(tight.out).toMatch(/^claimguard diff: main:policies\.yaml → policies\.yaml {3}effect: tightened\n/);
    expect((await cli(dir, ['diff', '--base', 'main', '--fail-on', 'any'])).code).toBe(1);
    git(dir, 'checkout', '-q', '--', '.');
    const same = await cli(dir, ['diff', '--base', 'main', '--fail-on', 'any']);
    expect(same.code).toBe(0);
    expect(same.out).toContain('no route changed');
  });

  it('writes Markdown for a pull-request comment, base given as a file', async () => {
    const dir = sampleCopy();
    writeFileSync(join(dir, 'base.yaml'), readFileSync(join(dir, 'policies.yaml')));
    edit(dir, 'policies.yaml', 'GET /health: { public: true }', 'GET /health: { require: { roles: { anyOf: [ops] } } }');
    edit(dir, 'policies.yaml', 'anyOf: [customer, admin] } }', 'anyOf: [customer, admin, "ops|team"] } }');
    const r = await cli(dir, ['diff', '--base', 'base.yaml', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^### claimguard policy diff: ⚠️ mixed\n/);
    expect(r.out).toContain('| `GET /health` | modified | 🔒 tightened | **public** tightened: made protected');
    expect(r.out).toContain('| anonymous | `GET /health` | allow | **deny (TOKEN_MISSING)** | `GET /health` |');
    // A pipe in a value cannot break the table.
    expect(r.out).toContain('ops\\|team');
  });

  it.each([
    ['a base that is neither a file nor a ref', true, ['diff', '--base', 'no-such-branch'], /--base no-such-branch: "no-such-branch" is neither a file nor a git ref/],
    ['a ref outside a repository', false, ['diff', '--base', 'main'], /--base main: .* is not inside a git repository/],
    ['no --base', false, ['diff'], /required option '--base <ref\|file>'/],
    ['an unknown --fail-on', false, ['diff', '--base', 'x', '--fail-on', 'loose'], /Allowed choices are loosened, any/],
  ])('exits 2 on %s', async (_name, inRepo, argv, message) => {
    const dir = sampleCopy();
    if (inRepo) git(dir, 'init', '-q');
    const r = await cli(dir, argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('exits 1 when the base policy at the ref is invalid, naming the ref', async () => {
    const dir = sampleCopy();
    edit(dir, 'policies.yaml', 'GET /health: { public: true }', 'GET /health: { publik: true }');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'broken');
    edit(dir, 'policies.yaml', 'GET /health: { publik: true }', 'GET /health: { public: true }');
    const r = await cli(dir, ['diff', '--base', 'main']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^main:policies\.yaml:\d+:\d+: error KEY_UNKNOWN: unknown key "publik"/m);
    expect(r.err).toContain('(the base policy at main)');
  });
});
