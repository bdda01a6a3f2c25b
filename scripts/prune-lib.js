#!/usr/bin/env node
// Removes build output whose source is gone (a moved or deleted src/**/*.ts), before the
// incremental `tsc -b` (which never deletes outputs): otherwise lib/ would keep shipping, and
// importing, modules that no longer exist in src/. The pack test fails on any such file.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');
/** Build outputs of one source file: x.js, x.d.ts and their maps. */
const OUTPUT = /\.(js|d\.ts)(\.map)?$/;

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (OUTPUT.test(entry.name)) {
      const source = join(root, 'src', relative(lib, path)).replace(OUTPUT, '.ts');
      if (!existsSync(source)) {
        rmSync(path);
        console.log(`removed ${relative(root, path)} (no ${relative(root, source)})`);
      }
    }
  }
}

if (existsSync(lib)) prune(lib);
