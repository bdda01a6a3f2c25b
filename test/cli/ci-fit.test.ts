// The CLI items a CI gate relies on (docs/policy-tests.md, docs/review.md): one exit-code rule in
// every command, `test` output (failures by default, -v, colours honouring NO_COLOR/FORCE_COLOR,
// --format github, --strict, --filter coverage, --watch), and `build --policies` writing beside
// the policy it builds. All in-process through runCli.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { lines, writeFixture } from '../policy/fixtures.js';
import { edit, sampleCopy } from '../testing/support.js';
import { fakeIo, type FakeIoOptions } from './fake-io.js';

async function run(dir: string, argv: readonly string[], options: FakeIoOptions = {}): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo(dir, '', options);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const policy = lines('version: 1', 'audience: api', 'routes:', '  GET /orders/{id}: { require: { roles: { anyOf: [x] } } }');
const suite = lines(
  'version: 1',
  'principals:',
  '  x: { claims: { aud: api, st-role: { v: [x], t: now-1h } } }',
  'cases:',
  '  - { name: x reads, request: GET /orders/1, principal: x, expect: allow }',
  '  - { name: anonymous is refused, request: GET /orders/1, principal: anonymous, expect: { status: 401 } }',
);
const failingSuite = suite.replace('expect: { status: 401 }', 'expect: allow');
const ANSI = /\u001b\[\d+m/;

describe('one exit-code rule: 0 ok, 1 findings, 2 usage or I/O', () => {
  const input = '{"request":{"method":"GET","path":"/orders/1"},"token":null,"now":0}';
  const invalid = { 'policies.yaml': lines('version: 1', 'audience: api', 'routes:', '  GET /a: { require: { rolse: {} } }'), 'input.json': input };
  const badSuite = { 'policies.yaml': policy, 'policies/s.test.yaml': lines('version: 1', 'cases: [{ name: a, request: GET /orders/1, principal: nobody, expect: allow }]') };
  const good = { 'policies.yaml': policy, 'policies/s.test.yaml': suite, 'input.json': input };
  it.each([
    ['check', invalid, ['check'], 1],
    ['build', invalid, ['build'], 1],
    ['eval', invalid, ['eval', '--input', 'input.json'], 1],
    ['test', invalid, ['test'], 1],
    ['explain', invalid, ['explain', '--request', 'GET /a', '--principal', 'anonymous'], 1],
    ['report', invalid, ['report'], 1],
    ['diff (head)', invalid, ['diff', '--base', 'policies.yaml'], 1],
    ['test: an invalid suite', badSuite, ['test'], 1],
    ['explain: an invalid suite', badSuite, ['explain', '--request', 'GET /orders/1', '--principal', 'x'], 1],
    ['report: an invalid suite', badSuite, ['report'], 1],
    ['test: a failing case', { 'policies.yaml': policy, 'policies/s.test.yaml': failingSuite }, ['test'], 1],
    ['eval --fail-on-deny: a deny', good, ['eval', '--input', 'input.json', '--fail-on-deny'], 1],
    ['eval: a deny without --fail-on-deny', good, ['eval', '--input', 'input.json'], 0],
    ['test: all pass', good, ['test'], 0],
    ['check: a missing policy file', {}, ['check'], 2],
    ['test: a missing --bundle', good, ['test', '--bundle', 'nope.tar.gz'], 2],
    ['eval: a missing --bundle', good, ['eval', '--input', 'input.json', '--bundle', 'nope.tar.gz'], 2],
    ['eval: a missing input', good, ['eval', '--input', 'nope.json'], 2],
    ['test: an unknown option', good, ['test', '--nope'], 2],
    ['report: an unwritable --out', good, ['report', '--out', 'policies.yaml/x.html'], 2],
  ])('%s', async (_name, files, argv, code) => {
    const r = await run(writeFixture(files), argv);
    expect(r.code, r.err).toBe(code);
  });

  it('a reserved claim under claims: is an error at its own line, pointing at the dedicated requirement', async () => {
    const dir = writeFixture({ 'policies.yaml': lines('version: 1', 'audience: api', 'routes:', '  GET /a:', '    require:', '      claims:', '        st-mfa: { exists: true }') });
    const r = await run(dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('policies.yaml:7:9: error CLAIM_RESERVED: "st-mfa" cannot be checked under claims: SuperTokens\' MFA claim; use mfa: true (or { factors, maxAgeSeconds })');
  });
});

describe('claimguard test output', () => {
  it('prints failures and the summary by default, every case with -v', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': failingSuite });
    const quiet = await run(dir, ['test']);
    expect(quiet.code).toBe(1);
    expect(quiet.out).not.toContain('x reads');
    expect(quiet.out).toContain('✖ anonymous is refused  (policies/s.test.yaml:6:5)');
    expect(quiet.out).toMatch(/\n1 passed, 1 failed\n$/);
    const verbose = await run(dir, ['test', '-v']);
    expect(verbose.out).toContain('  ✔ x reads\n');
    expect(verbose.out).toContain('✖ anonymous is refused');
    const passing = await run(writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': suite }), ['test']);
    expect(passing.out).toMatch(/\n✔ all 2 cases pass \(-v lists them\)\n2 passed, 0 failed\n$/);
  });

  it.each([
    ['a terminal', { isTTY: true }, true],
    ['a pipe', { isTTY: false }, false],
    ['a terminal with NO_COLOR', { isTTY: true, env: { NO_COLOR: '1' } }, false],
    ['a pipe with FORCE_COLOR', { isTTY: false, env: { FORCE_COLOR: '1' } }, true],
    ['a terminal with FORCE_COLOR=0', { isTTY: true, env: { FORCE_COLOR: '0' } }, false],
    ['NO_COLOR and FORCE_COLOR together (NO_COLOR wins)', { isTTY: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }, false],
    ['a dumb terminal', { isTTY: true, env: { TERM: 'dumb' } }, false],
  ])('colours on %s: %s', async (_name, options, coloured) => {
    const r = await run(writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': failingSuite }), ['test', '-v'], options);
    expect(ANSI.test(r.out)).toBe(coloured);
    // The summary line is read by CI systems: never coloured.
    expect(r.out).toMatch(/\n1 passed, 1 failed\n$/);
  });

  it('--format github writes an annotation at each failing case and coverage gap', async () => {
    const r = await run(writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': failingSuite }), ['test', '--format', 'github', '--min-coverage', '100']);
    expect(r.code).toBe(1);
    const notes = r.out.split('\n').filter((l) => l.startsWith('::'));
    expect(notes[0]).toMatch(/^::error file=policies\/s\.test\.yaml,line=6,col=5,title=anonymous is refused::GET \/orders\/1 as anonymous%0Aexpected: allow%0A\[by-path\] actual: deny 401/);
    expect(notes).toContainEqual(expect.stringMatching(/^::error file=policies\.yaml,line=4,col=\d+,title=coverage%3A GET \/orders\/\{id\}::routes\["GET \/orders\/\{id\}"\]\.require\.roles: no case makes it fail$/));
    expect(notes).toContainEqual(expect.stringMatching(/^::error title=coverage::coverage \d+\.\d%25 is below the minimum 100%25$/));
    expect(r.out).toMatch(/\n1 passed, 1 failed\n$/);
  });

  it('--format github annotates suite errors at their line', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': suite.replace('principal: x,', 'principal: y,') });
    const r = await run(dir, ['test', '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^::error file=policies\/s\.test\.yaml,line=5,col=\d+,title=PRINCIPAL_UNKNOWN::unknown principal "y"/);
  });

  it('--strict makes warnings fail check, build and test', async () => {
    const noAudience = policy.replace('audience: api\n', '');
    const dir = writeFixture({ 'policies.yaml': noAudience, 'policies/s.test.yaml': suite.replace('aud: api, ', '') });
    for (const cmd of [['check'], ['build'], ['test']]) {
      const lax = await run(dir, cmd);
      expect(lax.code, `${cmd[0]} without --strict`).toBe(0);
      const strict = await run(dir, [...cmd, '--strict']);
      expect(strict.code, `${cmd[0]} --strict`).toBe(1);
      expect(strict.out + strict.err).toContain('error AUDIENCE_MISSING: no "audience"');
      expect(strict.out + strict.err).toContain('(a warning, an error under --strict)');
    }
  });

  it('--filter counts coverage over the routes the selected cases reach, and says so', async () => {
    const dir = sampleCopy();
    const all = await run(dir, ['test', '--min-coverage', '100']);
    expect(all.code).toBe(0);
    const filtered = await run(dir, ['test', '--filter', 'billing', '--min-coverage', '100']);
    expect(filtered.code).toBe(0);
    expect(filtered.out).toMatch(/Coverage over the 3 routes the filtered cases reach: (\d+)\/\1 requirement outcomes \(100\.0%\), minimum 100%/);
    const narrow = await run(dir, ['test', '--filter', 'billing: GET /billing/invoices as', '--min-coverage', '100']);
    expect(narrow.out).toMatch(/Coverage over the 1 route the filtered cases reach/);
  });

  it('--watch runs again when a suite changes, until stopped', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': suite });
    const stop = new AbortController();
    const io = fakeIo(dir, '', { signal: stop.signal });
    const done = runCli(['test', '--watch'], io);
    const until = async (what: RegExp): Promise<void> => {
      for (let i = 0; i < 200 && !what.test(io.out()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(io.out()).toMatch(what);
    };
    await until(/watching for changes/);
    expect(io.out()).toContain('2 passed, 0 failed');
    writeFileSync(join(dir, 'policies', 's.test.yaml'), failingSuite);
    await until(/s\.test\.yaml changed: running again[\s\S]*1 passed, 1 failed/);
    stop.abort();
    expect(await done).toBe(1);
  });
});

describe('did you mean, and check --format github', () => {
  it('explain suggests the principal meant', async () => {
    const r = await run(sampleCopy(), ['explain', '--request', 'GET /orders/o-1', '--principal', 'custmer']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown principal "custmer" \(did you mean "customer"\?\)/);
  });

  it('check --format github annotates each policy problem at its line', async () => {
    const dir = writeFixture({ 'policies.yaml': lines('version: 1', 'routes:', '  GET /a: { require: { rolse: {} } }') });
    const r = await run(dir, ['check', '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      '::error file=policies.yaml,line=3,col=24,title=KEY_UNKNOWN::unknown key "rolse" in routes["GET /a"].require (did you mean "roles"?)',
      '::warning file=policies.yaml,line=1,col=1,title=AUDIENCE_MISSING::no "audience": tokens minted for any other audience will be accepted; set it to the JWT authorizer\'s audience',
      '::error::1 error, 1 warning in 1 file',
      '',
    ]);
  });
});

describe('claimguard build --policies', () => {
  it('writes dist/bundle.tar.gz beside the policy it builds, and says where', async () => {
    const dir = sampleCopy();
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'policies.yaml'), policy);
    const main = await run(dir, ['build']);
    expect(main.code).toBe(0);
    const before = readFileSync(join(dir, 'dist', 'bundle.tar.gz'));
    const other = await run(dir, ['build', '--policies', 'other/policies.yaml']);
    expect(other.code).toBe(0);
    expect(other.out).toMatch(/^✔ built other\/dist\/bundle\.tar\.gz in \d+ ms\n/);
    expect(other.out).toContain(`  written to   ${join(dir, 'other', 'dist', 'bundle.tar.gz')}\n`);
    expect(existsSync(join(dir, 'other', 'dist', 'bundle.tar.gz'))).toBe(true);
    expect(readFileSync(join(dir, 'dist', 'bundle.tar.gz')).equals(before)).toBe(true);
    const out = await run(dir, ['build', '--policies', 'other/policies.yaml', '--out', 'x/b.tar.gz']);
    expect(out.out).toMatch(/^✔ built x\/b\.tar\.gz/);
  });
});

describe('mistakes reported at their own line', () => {
  it('a wrongly shaped principal fails at the principal, not at a case', async () => {
    const dir = sampleCopy();
    edit(dir, 'policies/orders.test.yaml', '      st-role: { v: [support] }', '      st-role: { v: support }');
    const r = await run(dir, ['test']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^policies\/orders\.test\.yaml:14:21: error CLAIM_SHAPE: principal "support": st-role\.v must be a list of strings/);
  });
});
