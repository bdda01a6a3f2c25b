// The package as a user gets it: `npm pack` (lib/ as `npm test` just built it), installed into an
// empty project with nothing but what claimguard declares. Checks what the tarball holds, the
// installed size of a claimguard/lambda-only user, every export subpath, the import graphs of
// claimguard/lambda and claimguard/authorizer, the published types under a strict consumer tsconfig without skipLibCheck,
// the optional peers, and the documented esbuild recipe (docs/bundles.md) end to end.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySize, installConsumer, installedPackages, pack, REPO, writeProjectFile } from '../../scripts/consumer.js';
import { importGraph } from './import-graph.js';

const run = promisify(execFile);

/** Goal of issue 12: what a claimguard/lambda-only user installs. */
const MAX_LAMBDA_INSTALL_BYTES = 8 * 1024 * 1024;
/** Dependencies only the CLI and the compiler use: never in claimguard/lambda's graph. */
const CLI_ONLY = ['commander', 'ajv', 'yaml', 'tinyglobby', 'modern-tar'];
const PEERS = ['supertokens-node', '@middy/core'];

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;

let packed: Awaited<ReturnType<typeof pack>>;
/** The tarball alone: a claimguard/lambda-only user. */
let project: string;
/** The tarball and the optional peers: a user of claimguard/middy and claimguard/supertokens. */
let withPeers: string;
const made: string[] = [];
const temp = (prefix: string): string => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
};

beforeAll(async () => {
  packed = await pack(temp('claimguard-pack-'));
  // Two independent installs, side by side (npm mostly waits on the disk and its cache).
  [project, withPeers] = await Promise.all([
    installConsumer(packed.tarball),
    installConsumer(packed.tarball, PEERS.map((p) => `${p}@${pkg.peerDependencies[p]}`)),
  ]);
  made.push(project, withPeers);
}, 180_000);

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Runs a module in the consumer project; its last stdout line is JSON. */
async function nodeIn(dir: string, file: string, source: string, env: NodeJS.ProcessEnv = {}): Promise<{ result: unknown; stdout: string[] }> {
  writeProjectFile(dir, file, source);
  const { stdout } = await run(process.execPath, [join(dir, file)], { cwd: dir, env: { PATH: process.env.PATH, ...env } });
  const lines = stdout.trimEnd().split('\n');
  return { result: JSON.parse(lines.at(-1)!), stdout: lines.slice(0, -1) };
}

async function tsc(dir: string, files: string[]): Promise<string> {
  writeProjectFile(
    dir,
    'tsconfig.consumer.json',
    JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        // The consumer's own @types/node (aws-lambda's types need Node's); here the repository's.
        typeRoots: [join(REPO, 'node_modules/@types')],
        types: ['node'],
        skipLibCheck: false,
        noEmit: true,
      },
      files,
    }),
  );
  const tscBin = createRequire(join(REPO, 'package.json')).resolve('typescript/bin/tsc');
  try {
    await run(process.execPath, [tscBin, '-p', join(dir, 'tsconfig.consumer.json')], { cwd: dir });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

/** The fenced block after `<!-- tested by test/package/pack.test.ts: NAME -->` in docs/bundles.md. */
function docBlock(name: string): string {
  const doc = readFileSync(join(REPO, 'docs/bundles.md'), 'utf8');
  const marker = `<!-- tested by test/package/pack.test.ts: ${name} -->\n`;
  const at = doc.indexOf(marker);
  if (at < 0) throw new Error(`docs/bundles.md has no block "${name}"`);
  const block = /^```\w*\n([\s\S]*?)^```$/m.exec(doc.slice(at + marker.length));
  if (block === null) throw new Error(`docs/bundles.md: block "${name}" has no fenced code`);
  return block[1]!;
}

describe('the tarball', () => {
  const files = (): string[] => packed.files.map((f) => f.path);

  it('holds the license, the readme, the bin, the schemas and every exports target', () => {
    expect(files()).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'lib/compile/runtime.wasm', 'schemas/policies.schema.json']));
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n[\s\S]+END OF TERMS AND CONDITIONS/);
    for (const bin of Object.values(pkg.bin)) expect(files(), bin).toContain(bin.replace(/^\.\//, ''));
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const targets = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const t of targets) expect(files(), `exports["${subpath}"] → ${t}`).toContain(t.replace(/^\.\//, ''));
    }
  });

  it('ships built code for exactly the sources: no stale files, no sources, tests or source maps', () => {
    const shipped = files().filter((f) => f.startsWith('lib/') && f.endsWith('.js'));
    const sources = (dir: string): string[] =>
      readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
        .map((e) => relative(REPO, join(e.parentPath, e.name)).split(sep).join('/'))
        .filter((f) => !f.startsWith('src/compile/runtime/assembly/'));
    const expected = sources('src').map((f) => f.replace(/^src\//, 'lib/').replace(/\.ts$/, '.js'));
    expect(shipped.sort()).toEqual(expected.sort());
    for (const js of shipped) expect(files(), `${js} has its declarations`).toContain(js.replace(/\.js$/, '.d.ts'));
    expect(files().filter((f) => /^(src|test|bench|scripts|examples|docs)\//.test(f) || f.endsWith('.map'))).toEqual([]);
  });

  it('declares the peers as optional and no devDependency as a dependency', () => {
    for (const peer of PEERS) {
      expect(pkg.dependencies[peer], peer).toBeUndefined();
      expect(pkg.peerDependencies[peer], peer).toBeDefined();
    }
    expect(Object.keys(pkg.dependencies).filter((d) => d in pkg.devDependencies)).toEqual([]);
  });
});

describe('a consumer that installs only the tarball', () => {
  it(`installs no optional peer and at most ${MAX_LAMBDA_INSTALL_BYTES / 1024 / 1024} MB of node_modules`, () => {
    const names = installedPackages(project);
    for (const peer of [...PEERS, 'twilio', 'libphonenumber-js']) expect(names, peer).not.toContain(peer);
    const bytes = directorySize(join(project, 'node_modules'));
    console.log(`claimguard/lambda-only install: ${names.length} packages, ${(bytes / 1024 / 1024).toFixed(2)} MB of node_modules`);
    expect(bytes).toBeLessThanOrEqual(MAX_LAMBDA_INSTALL_BYTES);
  });

  it('imports every export subpath; claimguard/supertokens says which peer to install', async () => {
    const { result } = await nodeIn(
      project,
      'imports.mjs',
      `const out = {};
for (const s of ['claimguard', 'claimguard/lambda', 'claimguard/authorizer', 'claimguard/middy', 'claimguard/supertokens']) {
  try { out[s] = { names: Object.keys(await import(s)).sort() }; }
  catch (e) { out[s] = { error: e.code, name: e.name, message: e.message }; }
}
out['claimguard/package.json'] = (await import('claimguard/package.json', { with: { type: 'json' } })).default.version;
console.log(JSON.stringify(out));`,
    );
    expect(result).toMatchObject({
      claimguard: { names: expect.arrayContaining(['buildBundle', 'loadBundle', 'loadPolicy', 'BundleError', 'RuntimeError']) },
      'claimguard/lambda': { names: expect.arrayContaining(['withAuthorization', 'createAuthorize', 'loadBundle', 'RuntimeError']) },
      'claimguard/authorizer': { names: expect.arrayContaining(['createAuthorizer', 'AuthorizerError', 'ACCESS_DENIED_TEMPLATE', 'restGatewayResponses', 'KeySetError']) },
      // Types only from @middy/core: the middleware itself needs nothing at run time.
      'claimguard/middy': { names: ['claimguardMiddleware'] },
      'claimguard/supertokens': {
        error: 'SUPERTOKENS_MISSING',
        name: 'AuthConfigError',
        message: 'claimguard/supertokens needs the peer dependency supertokens-node (^24): npm install supertokens-node',
      },
      'claimguard/package.json': pkg.version,
    });
  });

  it.each([
    ['claimguard/lambda', 'lib/lambda/index.js'],
    ['claimguard/authorizer', 'lib/authorizer/index.js'],
  ])("%s's import graph never reaches a CLI-only package, the compiler or the deploy code; jose only lazily", async (_name, file) => {
    const entry = join(project, 'node_modules/claimguard', file);
    const graph = await importGraph(entry);
    expect(graph.opaque).toEqual([]);
    const claimguardDir = join(project, 'node_modules/claimguard');
    // Where Node finds `name` from claimguard's own files (not a same-named copy nested elsewhere).
    const packageDir = (name: string): string => {
      for (let dir = claimguardDir; dirname(dir) !== dir; dir = dirname(dir)) {
        const candidate = join(dir, 'node_modules', name);
        if (existsSync(join(candidate, 'package.json'))) return `${realpathSync(candidate)}${sep}`;
      }
      throw new Error(`${name} is not installed where claimguard can load it`);
    };
    const reached = [...graph.files.keys()];
    for (const name of CLI_ONLY) {
      const dir = packageDir(name);
      expect(reached.filter((f) => f.startsWith(dir)), `${name} (${dir})`).toEqual([]);
    }
    const own = reached.filter((f) => f.startsWith(claimguardDir)).map((f) => relative(claimguardDir, f).split(sep).join('/'));
    expect(own.filter((f) => /^lib\/(cli|compile|policy|testing|deploy|review)\/|^lib\/bundle\/write\.js$|^lib\/bundle\/signatures\/sign\.js$/.test(f))).toEqual([]);
    const jose = packageDir('jose');
    const eagerJose = reached.filter((f) => f.startsWith(jose) && !graph.files.get(f)!.lazy);
    expect(eagerJose, 'jose is imported only when a token or bundle signature is verified').toEqual([]);
    expect(reached.some((f) => f.startsWith(jose)), 'the lazy verification path is in the graph').toBe(true);
    expect([...graph.builtins].sort()).toEqual(['crypto', 'fs/promises', 'path', 'zlib']);
  });

  it('runs the bin', async () => {
    const { stdout } = await run(join(project, 'node_modules/.bin/claimguard'), ['--version'], { cwd: project });
    expect(stdout.trim()).toBe(pkg.version);
  });
});

describe('the documented esbuild recipe (docs/bundles.md "Packaging a handler")', () => {
  let deployed: string;

  beforeAll(async () => {
    cpSync(join(REPO, 'examples/orders-api/policies.yaml'), join(project, 'policies.yaml'));
    writeProjectFile(project, 'src/orders.ts', docBlock('handler'));
    writeProjectFile(project, 'build.mjs', docBlock('build-script'));
    // esbuild is the user's own devDependency; here the repository's plays that part.
    symlinkSync(join(REPO, 'node_modules/esbuild'), join(project, 'node_modules/esbuild'), 'dir');
    // The user's own devDependency; here the repository's esbuild plays that part.
    const PATH = [join(project, 'node_modules/.bin'), join(REPO, 'node_modules/.bin'), process.env.PATH].join(':');
    for (const name of ['keys', 'commands']) {
      const script = docBlock(name).replace(/^npx /gm, '');
      await run('sh', ['-ec', script], { cwd: project, env: { ...process.env, PATH } });
    }
    deployed = temp('claimguard-deployed-');
    cpSync(join(project, 'out/orders'), deployed, { recursive: true });
  }, 120_000);

  const invoke = async (env: NodeJS.ProcessEnv) => {
    const events = ['v2-get-order.json', 'v2-delete-order-customer.json', 'v2-get-order-no-token.json'].map((n) =>
      JSON.parse(readFileSync(join(REPO, 'examples/orders-api/events', n), 'utf8')) as unknown,
    );
    writeFileSync(join(deployed, 'events.json'), JSON.stringify(events));
    const { result, stdout } = await nodeIn(
      deployed,
      'invoke.mjs',
      `import { readFileSync } from 'node:fs';
const { handler } = await import('./index.mjs');
const out = [];
for (const event of JSON.parse(readFileSync(new URL('./events.json', import.meta.url), 'utf8'))) out.push(await handler(event, {}));
console.log(JSON.stringify(out));`,
      { LAMBDA_TASK_ROOT: deployed, ...env },
    );
    rmSync(join(deployed, 'invoke.mjs'));
    rmSync(join(deployed, 'events.json'));
    return { responses: result as { statusCode: number; body: string }[], log: stdout.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it('gives one file with the bundle beside it, and nothing else', () => {
    expect(readdirSync(deployed).sort()).toEqual(['bundle.tar.gz', 'index.mjs']);
    const text = readFileSync(join(deployed, 'index.mjs'), 'utf8');
    // The plugin left the SDK's Rego built-in libraries out: yaml@1's and sprintf-js's own code is not in the file.
    expect(text).not.toMatch(/Implicit map keys need to be/);
    expect(text).not.toMatch(/\[sprintf\] unexpected placeholder/);
    expect(text).toMatch(/claimguard policy modules use none/);
    const kb = text.length / 1024;
    console.log(`bundled handler: ${kb.toFixed(1)} KB + bundle ${(readFileSync(join(deployed, 'bundle.tar.gz')).length / 1024).toFixed(1)} KB`);
  });

  it('decides in a directory with no node_modules, verifying the signed bundle', async () => {
    const { responses, log } = await invoke({ CLAIMGUARD_BUNDLE_KEY: readFileSync(join(project, 'bundle-signing.pub'), 'utf8') });
    expect(responses.map((r) => r.statusCode)).toEqual([200, 403, 401]);
    expect(JSON.parse(responses[0]!.body)).toEqual({ route: 'GET /orders/{orderId}', user: expect.any(String) });
    expect(log.map((l) => l.status)).toEqual([200, 403, 401]);
  });

  it('answers 500 to everything without its verification key', async () => {
    const { responses, log } = await invoke({});
    expect(responses.map((r) => r.statusCode)).toEqual([500, 500, 500]);
    expect(log.map((l) => l.reasons)).toEqual([['BUNDLE_KEY_INVALID'], ['BUNDLE_KEY_INVALID'], ['BUNDLE_KEY_INVALID']]);
    expect(log[0]!.detail).toMatch(/the verification key is empty/);
  });
});

describe('published types, for a strict consumer without skipLibCheck', () => {
  const lambdaConsumer = `import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadBundle, RuntimeError, withAuthorization, type AuthorizationOptions, type AuthorizedDecision, type Decision } from 'claimguard/lambda';

const options: AuthorizationOptions = { bundle: 'bundle.tar.gz', bundleVerificationKey: '-----BEGIN PUBLIC KEY-----', log: { include: ['sub'] } };
export const handler = withAuthorization<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>(
  async (event, context, decision: AuthorizedDecision) => ({ statusCode: 200, body: JSON.stringify([event.rawPath, context.awsRequestId, decision.route, decision.token?.sub]) }),
  options,
);
export const shared = loadBundle(new Uint8Array(), { verificationKey: 'k', keyId: 'orders' }).catch((e: unknown) => (e instanceof RuntimeError ? e.code : null));
export const allowed = (d: Decision): boolean => d.allow && d.status === 200;
`;
  const authorizerConsumer = `import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { ACCESS_DENIED_TEMPLATE, AuthorizerError, createAuthorizer, restGatewayResponses, type AuthorizerOptions, type PolicyResult, type SimpleResult } from 'claimguard/authorizer';

const options: AuthorizerOptions = {
  bundle: 'bundle.tar.gz',
  verify: { jwksUrl: 'https://api.example.com/auth/jwt/jwks.json', issuer: 'https://api.example.com/auth', audience: 'jwtAuthorizers' },
  clock: () => Date.now(),
  log: { include: ['sub'] },
};
export const handler = createAuthorizer(options);
export const rest = (e: APIGatewayRequestAuthorizerEvent): Promise<PolicyResult> => handler(e);
export const http = (e: APIGatewayRequestAuthorizerEventV2): Promise<SimpleResult> => handler(e);
export const denied: string = restGatewayResponses({ allowOrigin: 'https://app.example.com' }).ACCESS_DENIED.responseTemplates['application/json'] + ACCESS_DENIED_TEMPLATE;
export const code = (e: unknown): string | null => (e instanceof AuthorizerError ? e.code : null);
`;
  const peersConsumer = `import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { claimguardMiddleware, type ClaimguardContext } from 'claimguard/middy';
import { audienceOverride, createAuthHandler, type AuthHandlerOptions } from 'claimguard/supertokens';

export const orders = middy<APIGatewayProxyEventV2WithJWTAuthorizer>()
  .use(claimguardMiddleware({ bundle: 'bundle.tar.gz' }))
  .handler(async (_event, context) => ({ statusCode: 200, body: (context as ClaimguardContext).claimguard.route ?? '' }));
const options: AuthHandlerOptions = { audience: 'jwtAuthorizers', session: { override: { functions: audienceOverride('jwtAuthorizers') } } };
export const auth = createAuthHandler(options);
`;

  it('claimguard/lambda, claimguard/authorizer (and the documented handler) without the peers; claimguard/middy and claimguard/supertokens with them', async () => {
    writeProjectFile(project, 'lambda-consumer.ts', lambdaConsumer);
    writeProjectFile(project, 'authorizer-consumer.ts', authorizerConsumer);
    writeProjectFile(project, 'src/orders.ts', docBlock('handler'));
    writeProjectFile(withPeers, 'lambda-consumer.ts', lambdaConsumer);
    writeProjectFile(withPeers, 'peers-consumer.ts', peersConsumer);
    const [lambdaOnly, all] = await Promise.all([
      tsc(project, ['lambda-consumer.ts', 'authorizer-consumer.ts', 'src/orders.ts']),
      tsc(withPeers, ['lambda-consumer.ts', 'peers-consumer.ts']),
    ]);
    expect(lambdaOnly).toBe('');
    expect(all).toBe('');
  }, 180_000);

  it('claimguard/supertokens imports once supertokens-node is installed', async () => {
    const { result } = await nodeIn(withPeers, 'peers.mjs', `console.log(JSON.stringify(Object.keys(await import('claimguard/supertokens')).sort()));`);
    expect(result).toEqual(expect.arrayContaining(['createAuthHandler', 'audienceOverride', 'AuthConfigError']));
  });
});
