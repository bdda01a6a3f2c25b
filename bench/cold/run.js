// Cold start and size, measured side by side in fresh processes: claimguard's Lambda wrapper (as
// one esbuild file, with a signed bundle, and from node_modules) and claimguard/authorizer (which
// also fetches the JWKS and verifies the token) against what a team writes instead,
// supertokens-node's verifySession with claim validators against a local JWKS.
//
//   import { measureColdStarts, formatColdStarts } from './cold/run.js';   // bench/run.js
//   node bench/cold/run.js                                                 // alone
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { exportJWK, SignJWT } from 'jose';
import { buildBundle } from '../../lib/compile/compile.js';
import { claimguardEsbuild } from '../../lib/esbuild/index.js';
import { loadPolicy } from '../../lib/policy/load.js';
import { directorySize, installConsumer, pack } from '../../scripts/consumer.js';
import { httpApiAuthorizerEvent } from '../authorizer.js';
import { scenarioEvent } from '../lambda.js';
import { policyYaml } from '../scenario.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const KID = 'd-1712345000000';

/** A local stand-in for the SuperTokens core that serves only its JWKS (and the API version). */
async function startJwks(jwk) {
  const other = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://core').pathname;
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/jwks.json') return send(200, { keys: [jwk] });
    if (path === '/apiversion') return send(200, { versions: ['5.4'] });
    other.push(`${req.method} ${path}`);
    return send(404, {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, other, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A SuperTokens v5 access token for the scenario, fresh, signed by the stand-in's key. */
async function accessToken(privateKey) {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  const sub = randomUUID();
  const payload = {
    sub,
    rsub: sub,
    aud: 'jwtAuthorizers',
    tId: 'public',
    sessionHandle: randomUUID(),
    refreshTokenHash1: 'b'.repeat(64),
    parentRefreshTokenHash1: null,
    antiCsrfToken: null,
    iss: 'https://api.example.com/auth',
    'st-ev': { v: true, t: now },
    'st-role': { v: ['admin', 'user'], t: now },
    'st-perm': { v: ['orders:read', 'orders:delete'], t: now },
    'st-mfa': { c: { emailpassword: s, totp: s }, v: true },
  };
  const jwt = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT', version: '5' }).setIssuedAt(s).setExpirationTime(s + 3600).sign(privateKey);
  return { jwt, payload: { ...payload, iat: s, exp: s + 3600 } };
}

/** esbuild's usual ESM shim, for bundled CommonJS code that require()s Node built-ins (supertokens-node does). */
const REQUIRE_SHIM = "import{createRequire}from'node:module';const require=createRequire(import.meta.url);";

async function esbuild(entry, outfile, { requireShim = false, claimguard = false } = {}) {
  await build({
    // claimguard's handler is bundled as docs/bundles.md says: with the claimguard/esbuild plugin.
    ...(claimguard ? { plugins: [claimguardEsbuild()] } : {}),
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    ...(requireShim ? { banner: { js: REQUIRE_SHIM } } : {}),
  });
  return statSync(outfile).size;
}

async function coldStart(child, module, eventFile, env) {
  // eventFile: the variant's own, else the shared proxy event.
  try {
    const { stdout } = await run(process.execPath, [child, module, eventFile], { env: { PATH: process.env.PATH, ...env } });
    return JSON.parse(stdout);
  } catch (e) {
    throw new Error(`cold start of ${module} failed: ${String(e.stderr ?? e).slice(-2000)}`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Import-only probes, each bundled like the handler: where the import of claimguard's handler file
 * goes (the OPA SDK as the plugin leaves it, Node's crypto and zlib, the rest), and what the SDK's
 * yaml@1 would add without the plugin. Paths are resolved from claimguard's own files, so the
 * SDK's nested yaml@1 is the one probed.
 */
function probes(dir) {
  const sdkSrc = dirname(createRequire(join(here, '../../lib/runtime/opa-sdk.js')).resolve('@open-policy-agent/opa-wasm'));
  const yaml1 = createRequire(join(sdkSrc, 'builtins/yaml.js')).resolve('yaml');
  const noop = 'export const start = async () => {}; export const handler = async () => ({ statusCode: 200, body: String(typeof x) });';
  const entries = {
    empty: `const x = 0; ${noop}`,
    sdk: `import x from '@open-policy-agent/opa-wasm'; ${noop}`,
    yaml1: `import x from ${JSON.stringify(yaml1)}; ${noop}`,
    nodeBuiltins: `import { createHash as x } from 'node:crypto'; import { gunzipSync } from 'node:zlib'; import { readFile } from 'node:fs/promises'; void gunzipSync; void readFile; ${noop}`,
  };
  const files = {};
  for (const [name, source] of Object.entries(entries)) {
    files[name] = join(dir, `probe-${name}.mjs`);
    writeFileSync(files[name], source);
  }
  return files;
}

/**
 * @param {{ runs?: number, routes?: number, installSize?: boolean }} [options]
 */
export async function measureColdStarts({ runs = 15, routes = 20, installSize = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-cold-'));
  try {
    const policies = join(dir, 'policies.yaml');
    writeFileSync(policies, policyYaml(routes));
    const loaded = await loadPolicy(policies);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const signingKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signingPem = signingKeys.privateKey.export({ type: 'pkcs8', format: 'pem' });
    const verifyPem = signingKeys.publicKey.export({ type: 'spki', format: 'pem' });
    const plain = await buildBundle(loaded.ir);
    const signed = await buildBundle(loaded.ir, { signing: { key: signingPem, keyId: 'bench' } });
    writeFileSync(join(dir, 'bundle.tar.gz'), plain.bytes);
    writeFileSync(join(dir, 'signed.tar.gz'), signed.bytes);

    const coreKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...(await exportJWK(coreKeys.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    const core = await startJwks(jwk);
    const token = await accessToken(coreKeys.privateKey);
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(scenarioEvent(token.payload, token.jwt)));
    const authorizerEventFile = join(dir, 'authorizer-event.json');
    writeFileSync(authorizerEventFile, JSON.stringify(httpApiAuthorizerEvent(scenarioEvent(token.payload, token.jwt))));

    mkdirSync(join(dir, 'claimguard'));
    mkdirSync(join(dir, 'supertokens'));
    mkdirSync(join(dir, 'authorizer'));
    const claimguardFile = join(dir, 'claimguard', 'index.mjs');
    const authorizerFile = join(dir, 'authorizer', 'index.mjs');
    const supertokensFile = join(dir, 'supertokens', 'index.mjs');
    const sizes = {
      claimguardHandler: await esbuild(join(here, 'claimguard-handler.js'), claimguardFile, { claimguard: true }),
      authorizerHandler: await esbuild(join(here, 'authorizer-handler.js'), authorizerFile, { claimguard: true }),
      supertokensHandler: await esbuild(join(here, 'supertokens-handler.js'), supertokensFile, { requireShim: true }),
      policyBundle: plain.bytes.length,
      signedBundle: signed.bytes.length,
      lambdaInstall: null,
    };

    const variants = {
      claimguardBundled: { module: claimguardFile, env: { CLAIMGUARD_BUNDLE: join(dir, 'bundle.tar.gz') } },
      claimguardSigned: { module: claimguardFile, env: { CLAIMGUARD_BUNDLE: join(dir, 'signed.tar.gz'), CLAIMGUARD_BUNDLE_KEY: verifyPem } },
      claimguardModules: { module: join(here, 'claimguard-handler.js'), env: { CLAIMGUARD_BUNDLE: join(dir, 'bundle.tar.gz') } },
      authorizerBundled: { module: authorizerFile, event: authorizerEventFile, env: { CLAIMGUARD_BUNDLE: join(dir, 'bundle.tar.gz'), CLAIMGUARD_JWKS_URL: `${core.url}/.well-known/jwks.json` } },
      authorizerPinned: { module: authorizerFile, event: authorizerEventFile, env: { CLAIMGUARD_BUNDLE: join(dir, 'bundle.tar.gz'), CLAIMGUARD_JWKS: JSON.stringify({ keys: [jwk] }) } },
      authorizerModules: { module: join(here, 'authorizer-handler.js'), event: authorizerEventFile, env: { CLAIMGUARD_BUNDLE: join(dir, 'bundle.tar.gz'), CLAIMGUARD_JWKS_URL: `${core.url}/.well-known/jwks.json` } },
      supertokensBundled: { module: supertokensFile, env: { SUPERTOKENS_CONNECTION_URI: core.url } },
      supertokensModules: { module: join(here, 'supertokens-handler.js'), env: { SUPERTOKENS_CONNECTION_URI: core.url } },
    };
    // The probes are bundled inside the repository's tree so the SDK resolves from claimguard's files.
    const probeDir = mkdtempSync(join(here, '.probe-'));
    try {
      for (const [name, entry] of Object.entries(probes(probeDir))) {
        const out = join(dir, 'probes', `${name}.mjs`);
        // The SDK probe is bundled as the handler is, with the claimguard/esbuild plugin.
        await esbuild(entry, out, { claimguard: name === 'sdk' });
        variants[`probe:${name}`] = { module: out, env: {} };
      }
    } finally {
      rmSync(probeDir, { recursive: true, force: true });
    }
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const child = join(here, 'child.js');
    // Round robin: machine drift hits every variant alike.
    for (let i = 0; i < runs; i++) {
      for (const [name, v] of Object.entries(variants)) {
        samples[name].push(await coldStart(child, v.module, v.event ?? eventFile, v.env));
      }
    }
    await core.close();
    if (core.other.length > 0) throw new Error(`supertokens-node called the core beyond its JWKS: ${[...new Set(core.other)].join(', ')}`);

    if (installSize) {
      const packed = await pack(dir);
      const project = await installConsumer(packed.tarball);
      sizes.lambdaInstall = directorySize(join(project, 'node_modules'));
      rmSync(project, { recursive: true, force: true });
    }

    const med = (xs, f) => median(xs.map(f));
    const cold = Object.fromEntries(
      Object.entries(samples).map(([name, xs]) => [
        name,
        {
          importMs: med(xs, (x) => x.importMs),
          loadMs: med(xs, (x) => x.loadMs),
          firstMs: med(xs, (x) => x.firstMs),
          totalMs: med(xs, (x) => x.importMs + x.loadMs + x.firstMs),
          cpuMs: med(xs, (x) => x.importCpuMs + x.loadCpuMs + x.firstCpuMs),
          importCpuMs: med(xs, (x) => x.importCpuMs),
          loadCpuMs: med(xs, (x) => x.loadCpuMs),
          firstCpuMs: med(xs, (x) => x.firstCpuMs),
        },
      ]),
    );
    return { runs, routes, cold, sizes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n) => `${n.toFixed(1)} ms`;
const check = (ok) => (ok ? '✔' : '✖');

export function formatColdStarts({ runs, routes, cold, sizes }) {
  const rows = [
    ['claimguard, one esbuild file', cold.claimguardBundled, `${kb(sizes.claimguardHandler)} + bundle ${kb(sizes.policyBundle)}`],
    ['claimguard, esbuild, signed bundle', cold.claimguardSigned, `${kb(sizes.claimguardHandler)} + bundle ${kb(sizes.signedBundle)}`],
    ['claimguard, lib/ + node_modules', cold.claimguardModules, sizes.lambdaInstall === null ? '' : `install ${(sizes.lambdaInstall / 1024 / 1024).toFixed(2)} MB`],
    ['claimguard/authorizer, one esbuild file', cold.authorizerBundled, `${kb(sizes.authorizerHandler)} + bundle ${kb(sizes.policyBundle)}; JWKS fetched`],
    ['claimguard/authorizer, esbuild, pinned jwks', cold.authorizerPinned, 'local JWKS: no fetch'],
    ['claimguard/authorizer, lib/ + node_modules', cold.authorizerModules, 'JWKS fetched'],
    ['supertokens-node, one esbuild file', cold.supertokensBundled, kb(sizes.supertokensHandler)],
    ['supertokens-node, node_modules', cold.supertokensModules, ''],
  ];
  const out = [
    `cold start in a fresh process, median of ${runs} (${routes}-route policy): import → start (load the bundle | supertokens init) → first request`,
    `(cpu: the process's CPU time over the three, which a busy machine inflates far less than wall time)`,
    `${''.padEnd(46)}${'import'.padEnd(11)}${'start'.padEnd(11)}${'first req'.padEnd(11)}${'total'.padEnd(11)}${'cpu'.padEnd(11)}size`,
    ...rows.map(
      ([name, c, size]) =>
        `${name.padEnd(46)}${ms(c.importMs).padEnd(11)}${ms(c.loadMs).padEnd(11)}${ms(c.firstMs).padEnd(11)}${ms(c.totalMs).padEnd(11)}${ms(c.cpuMs).padEnd(11)}${size}`,
    ),
  ];
  const ratio = (a, b) => `${(a.totalMs / b.totalMs).toFixed(1)}× (cpu ${(a.cpuMs / b.cpuMs).toFixed(1)}×)`;
  const goals = [
    [cold.supertokensBundled.totalMs / cold.claimguardBundled.totalMs >= 10, 'supertokens-node / claimguard cold init, esbuild files', ratio(cold.supertokensBundled, cold.claimguardBundled), 'target ≥ 10×'],
    [cold.supertokensModules.totalMs / cold.claimguardModules.totalMs >= 10, 'supertokens-node / claimguard cold init, node_modules', ratio(cold.supertokensModules, cold.claimguardModules), 'target ≥ 10×'],
    [cold.claimguardBundled.totalMs <= 20, 'claimguard in-process init, esbuild file', `${ms(cold.claimguardBundled.totalMs)} (cpu ${ms(cold.claimguardBundled.cpuMs)})`, 'target ≤ 20 ms (quiet machine)'],
    [sizes.claimguardHandler <= 250 * 1024, 'claimguard handler file (the policy bundle beside it)', kb(sizes.claimguardHandler), 'target ≤ 250 KB'],
  ];
  if (sizes.lambdaInstall !== null) {
    goals.push([sizes.lambdaInstall <= 8 * 1024 * 1024, 'claimguard/lambda-only install (npm pack → npm install)', `${(sizes.lambdaInstall / 1024 / 1024).toFixed(2)} MB`, 'target ≤ 8 MB']);
  }
  const p = (name) => cold[`probe:${name}`].importCpuMs;
  const base = p('empty');
  const full = cold.claimguardBundled;
  const sdk = p('sdk') - base;
  const yaml1 = p('yaml1') - base;
  const builtins = p('nodeBuiltins') - base;
  out.push(
    '',
    `where claimguard's cold start goes (one esbuild file, CPU ms, medians): ${ms(full.cpuMs)}`,
    `  import ${ms(full.importCpuMs)}: an empty module ${ms(base)}, the OPA SDK ${ms(sdk)} (its yaml@1, ${ms(yaml1)} more, left out by the claimguard/esbuild plugin), node:crypto/zlib/fs ${ms(builtins)}, claimguard's own code ${ms(Math.max(0, full.importCpuMs - base - sdk - builtins))}`,
    `  start ${ms(full.loadCpuMs)}: read, gunzip, untar, SHA-256, compile and instantiate policy.wasm through the SDK; first request ${ms(full.firstCpuMs)}`,
  );
  out.push(
    '',
    `claimguard/authorizer (verifies the token itself, RS256): ${ratio(cold.supertokensBundled, cold.authorizerBundled)} faster than supertokens-node as esbuild files; ` +
      `beside claimguard/lambda's ${ms(cold.claimguardBundled.totalMs)} it adds the JWKS fetch (jose's remote key set loads Node's fetch) and the first RS256 key import and verification`,
  );
  out.push('', 'cold start and size goals (same run)');
  for (const [ok, name, value, target] of goals) out.push(`  ${check(ok)} ${name.padEnd(60)} ${value.padEnd(26)} ${target}`);
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(formatColdStarts(await measureColdStarts({ runs: Number(process.env.RUNS ?? 15) })));
}
