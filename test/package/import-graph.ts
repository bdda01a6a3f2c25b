// The static import graph of an installed module: every file an `import` (ESM, via es-module-lexer)
// or `require()` (CommonJS) can reach, split into what loads eagerly (static imports) and what
// only a dynamic `import()` reaches. A dynamic import whose specifier is not a string literal
// cannot be followed: it is reported, so the caller can fail rather than miss an edge.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { init, parse } from 'es-module-lexer';

export interface ImportGraph {
  /** Every reachable file → true when only dynamic imports reach it. */
  readonly files: Map<string, { readonly lazy: boolean }>;
  readonly builtins: Set<string>;
  /** `file: import(expr)` for dynamic imports that could not be followed. */
  readonly opaque: string[];
}

const REQUIRE = /\brequire\(\s*(['"])([^'"\n]+)\1\s*\)/g;

function isEsm(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

function resolveFrom(file: string, specifier: string): string {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const url = new URL(specifier, pathToFileURL(file));
    const path = fileURLToPath(url);
    if (existsSync(path) && !path.endsWith('/')) return createRequire(file).resolve(path);
  }
  // Packages: Node's resolver with the CommonJS conditions; for the packages checked here the
  // `import` and `require` entries live in the same package directory, which is what is compared.
  return createRequire(file).resolve(specifier);
}

export async function importGraph(entry: string): Promise<ImportGraph> {
  await init;
  const files = new Map<string, { lazy: boolean }>();
  const builtins = new Set<string>();
  const opaque: string[] = [];
  // Breadth first, eager edges before lazy ones, so a file reached both ways counts as eager.
  const queue: [string, boolean][] = [[entry, false]];
  while (queue.length > 0) {
    queue.sort((a, b) => Number(a[1]) - Number(b[1]));
    const [file, lazy] = queue.shift()!;
    const seen = files.get(file);
    if (seen !== undefined && (lazy || !seen.lazy)) continue;
    files.set(file, { lazy });
    if (!/\.(c|m)?js$/.test(file)) continue;
    const source = readFileSync(file, 'utf8');
    const edges: [string, boolean][] = [];
    if (isEsm(file)) {
      const [imports] = parse(source, file);
      for (const imp of imports) {
        if (imp.d === -2) continue; // import.meta
        const dynamic = imp.d >= 0;
        if (imp.n === undefined) opaque.push(`${file}: import(${source.slice(imp.s, imp.e)})`);
        else edges.push([imp.n, dynamic]);
      }
    } else {
      for (const m of source.matchAll(REQUIRE)) edges.push([m[2]!, false]);
    }
    for (const [specifier, dynamic] of edges) {
      if (isBuiltin(specifier)) {
        builtins.add(specifier.replace(/^node:/, ''));
        continue;
      }
      let target: string;
      try {
        target = resolveFrom(file, specifier);
      } catch {
        // A require() inside a try/catch for an optional package, or in dead code: reported by
        // the caller's checks only if it resolves to something forbidden, so skip it here.
        continue;
      }
      queue.push([target, lazy || dynamic]);
    }
  }
  return { files, builtins, opaque };
}
