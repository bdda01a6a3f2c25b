// Run as a child process at synth time: `node prepare.js <policies> <baseDir> <bundleDir>`.
// CDK constructs are synchronous and the policy loader is not, so the construct runs this script
// with spawnSync. It loads the policy with the library's own loader, compiles the bundle
// with the library's own buildBundle (content-addressed: bundle-<revision>.tar.gz), and prints one
// JSON line: PrepareResult.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundle } from '../../compile/compile.js';
import { loadPolicy } from '../../policy/load.js';
import type { PreparedPolicy, PrepareResult } from './prepared.js';

async function prepare(policies: string, baseDir: string, bundleDir: string): Promise<PrepareResult> {
  const loaded = await loadPolicy(policies, { baseDir });
  const warnings = loaded.warnings.map((w) => w.format());
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map((e) => e.format()), warnings };
  const built = await buildBundle(loaded.ir);
  const file = join(bundleDir, `bundle-${built.compiled.revision}.tar.gz`);
  if (!existsSync(file)) {
    mkdirSync(bundleDir, { recursive: true });
    // Write then rename: a concurrent load never sees half a bundle.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, built.bytes);
    renameSync(partial, file);
  }
  const bundle: PreparedPolicy['bundle'] = { file, revision: built.compiled.revision };
  return { ok: true, ir: loaded.ir, files: loaded.files, warnings, bundle };
}

const [policies, baseDir, bundleDir] = process.argv.slice(2);
if (policies === undefined || baseDir === undefined || bundleDir === undefined) {
  process.stderr.write('usage: prepare.js <policies> <baseDir> <bundleDir>\n');
  process.exitCode = 2;
} else {
  try {
    process.stdout.write(`${JSON.stringify(await prepare(policies, baseDir, bundleDir))}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
