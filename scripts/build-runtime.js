#!/usr/bin/env node
// Compiles the AssemblyScript runtime (src/compile/runtime/assembly) to lib/compile/runtime.wasm.
//   node scripts/build-runtime.js [--force]            → lib/compile/runtime.wasm (entry abi.ts; skipped
//                                                         when its sources are unchanged), after
//                                                         regenerating the AS constants from TypeScript
//   node scripts/build-runtime.js [--assembly <dir>] [--entry <ts>] [--out <wasm>] [--debug]
//     (tests build a copy of the sources with a stub policy and extra exports, and debug builds)
// --debug keeps asc's assertions: the runtime's `if (DEBUG) assert(…)` invariants (debug.ts) run and
// abort through opa_abort. The shipped runtime is built with --noAssert, which compiles them out.
// Flags: imported memory, stub runtime (no GC: the OPA ABI owns the heap), our own abort
// (imports env.opa_abort instead of env.abort), static data from 64 KiB like OPA's layout,
// zero-filled memory assumed (every host hands a fresh WebAssembly.Memory, which is zeroed) so
// binaryen drops all-zero data segments (parser frame/item stacks, free lists, scratch: ~14 KB).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const assemblyDir = resolve(root, 'src/compile/runtime/assembly');

/**
 * The link step (src/compile/link.ts) replaces the bodies of the two table placeholders, so
 * binaryen must never inline them into their caller: mark them with binaryen's `no-inline` pass
 * after compilation, before asc optimizes.
 */
class KeepTablePlaceholders {
  afterCompile(module) {
    this.binaryen.setPassArgument('no-inline', '*__claimguard_table_*');
    module.runPasses(['no-inline']);
    this.binaryen.setPassArgument('no-inline', '');
  }
}

export async function buildRuntime({
  assembly = assemblyDir,
  entry = resolve(assembly, 'abi.ts'),
  out = resolve(root, 'lib/compile/runtime.wasm'),
  debug = false,
} = {}) {
  mkdirSync(dirname(out), { recursive: true });
  // Paths relative to the AssemblyScript source root (asc --baseDir), so a copy elsewhere builds too.
  const rel = (p) => relative(assembly, p).split('\\').join('/');
  const args = [
    rel(entry),
    '--baseDir', assembly,
    '--outFile', rel(out),
    '--importMemory',
    '--zeroFilledMemory',
    '--runtime', 'stub',
    '--use', 'abort=env/cgAbort',
    '--memoryBase', '65536',
    '--optimizeLevel', '3',
    '--shrinkLevel', '0',
    ...(debug ? [] : ['--noAssert']),
    '--uncheckedBehavior', 'always',
  ];
  let stderr = '';
  const { error } = await asc.main(args, {
    transforms: [KeepTablePlaceholders],
    stdout: { write: () => true },
    stderr: { write: (s) => { stderr += s; return true; } },
    readFile: undefined,
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr}`);
  return out;
}

/**
 * What the default build depends on: every AssemblyScript source, this script, and the compiler's
 * version. `npm test` runs the build again after `npm ci` did; with an unchanged digest it is a no-op.
 */
function sourceDigest() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else {
        hash.update(relative(root, p));
        hash.update(readFileSync(p));
      }
    }
  };
  walk(assemblyDir);
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(resolve(root, 'node_modules/assemblyscript/package.json')));
  return hash.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? resolve(argv[i + 1]) : undefined;
  };
  const options = {};
  if (opt('--entry')) options.entry = opt('--entry');
  if (opt('--out')) options.out = opt('--out');
  if (opt('--assembly')) options.assembly = opt('--assembly');
  if (argv.includes('--debug')) options.debug = true;
  process.chdir(root);
  const isDefault = Object.keys(options).length === 0;
  const out = resolve(root, 'lib/compile/runtime.wasm');
  const stamp = `${out}.sources`;
  // The module's constants come from their TypeScript definitions (scripts/gen-runtime-constants.ts):
  // regenerate them first, so the shipped runtime never reads a stale layout.
  if (isDefault) execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-runtime-constants.ts'], { cwd: root, stdio: 'inherit' });
  const digest = isDefault ? sourceDigest() : null;
  if (isDefault && !argv.includes('--force') && existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
    console.log(`${relative(root, out)} is up to date`);
  } else {
    buildRuntime(options).then(
      (built) => {
        if (digest !== null) writeFileSync(stamp, digest);
        console.log(`built ${relative(root, built)}`);
      },
      (err) => { console.error(err.message); process.exitCode = 1; },
    );
  }
}
