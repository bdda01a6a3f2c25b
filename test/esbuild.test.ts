// claimguard/esbuild: a handler bundled with the plugin leaves out only the OPA SDK's Rego built-in
// libraries (and only where the SDK imports them), and still decides through the real SDK.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../src/compile/compile.js';
// The built plugin, as a user imports it: its stand-in file is the compiled one beside it.
import { claimguardEsbuild } from '../lib/esbuild/index.js';
import { policy, publicRoute } from './support/ir-builders.js';

const repo = new URL('../', import.meta.url);

async function bundle(entry: string, plugins: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-esbuild-'));
  const file = join(dir, 'entry.mjs');
  writeFileSync(file, entry);
  const outfile = join(dir, 'out.mjs');
  await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
    nodePaths: [new URL('node_modules', repo).pathname],
    ...(plugins ? { plugins: [claimguardEsbuild()] } : {}),
  });
  return outfile;
}

describe('claimguard/esbuild', () => {
  const handler = `export { loadBundle } from ${JSON.stringify(new URL('lib/runtime/load-bundle.js', repo).pathname)};`;

  it('leaves the SDK’s yaml and sprintf-js out, and the bundled loader still decides', async () => {
    const [plain, trimmed] = [await bundle(handler, false), await bundle(handler, true)];
    const size = (f: string) => readFileSync(f).length;
    expect(readFileSync(plain, 'utf8')).toMatch(/Implicit map keys need to be/);
    expect(readFileSync(trimmed, 'utf8')).not.toMatch(/Implicit map keys need to be|\[sprintf\] unexpected placeholder/);
    expect(size(trimmed)).toBeLessThan(size(plain) * 0.7);
    const { loadBundle } = (await import(pathToFileURL(trimmed).href)) as typeof import('../src/runtime/load-bundle.js');
    const authorizer = await loadBundle((await buildBundle(policy([publicRoute('GET /health')]))).bytes);
    expect(authorizer.decide({ request: { method: 'GET', path: '/health' }, now: 0 })).toEqual({ allow: true, status: 200, route: 'GET /health', reasons: [] });
  });

  it('bundles a yaml the handler itself imports as usual', async () => {
    const out = await bundle(`import { parse } from 'yaml'; export const x = parse('a: 1');`, true);
    const { x } = (await import(pathToFileURL(out).href)) as { x: unknown };
    expect(x).toEqual({ a: 1 });
  });

  it('the stand-ins throw if anything ever reaches them', async () => {
    const stub = await import('../src/esbuild/sdk-builtins-unused.js');
    expect(() => stub.parse()).toThrow(/claimguard policy modules use none/);
    expect(() => stub.default.vsprintf()).toThrow(/Rego built-in/);
  });
});
