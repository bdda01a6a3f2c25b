#!/usr/bin/env node
// Compiles the AssemblyScript runtime (src/compile/runtime/assembly) to lib/compile/runtime.wasm.
//   node scripts/build-runtime.js                      → lib/compile/runtime.wasm (entry abi.ts)
//   node scripts/build-runtime.js [--assembly <dir>] [--entry <ts>] [--out <wasm>]
//     (tests build a copy of the sources with a stub policy and extra exports)
// Flags: imported memory, stub runtime (no GC: the OPA ABI owns the heap), our own abort
// (imports env.opa_abort instead of env.abort), static data from 64 KiB like OPA's layout,
// zero-filled memory assumed (every host hands a fresh WebAssembly.Memory, which is zeroed) so
// binaryen drops all-zero data segments (parser frame/item stacks, free lists, scratch: ~14 KB).
import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
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
    '--noAssert',
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
  process.chdir(root);
  buildRuntime(options).then(
    (out) => console.log(`built ${relative(root, out)}`),
    (err) => { console.error(err.message); process.exitCode = 1; },
  );
}
