// A consumer project built from the packed package, as a user gets it: `npm pack`, then
// `npm install <tarball>` into an empty project, resolving only what claimguard declares.
// Used by the pack test (test/package) and by `npm run bench` (installed size).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Quiet, offline-first installs: CI's cache already holds every package `npm ci` fetched. */
const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/**
 * Packs the repository as it is built (lib/ must be fresh: `npm test` builds first), without
 * running `prepare` again. Returns the tarball and npm's list of packed files.
 * @param {string} dest
 * @returns {Promise<{ tarball: string, files: { path: string, size: number }[], size: number, unpackedSize: number }>}
 */
export async function pack(dest) {
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout);
  return { tarball: join(dest, info.filename), files: info.files, size: info.size, unpackedSize: info.unpackedSize };
}

/**
 * An empty ESM project under the system temp dir with the tarball (and `also`) installed.
 * @param {string} tarball
 * @param {string[]} [also] more package specs, e.g. the optional peers
 * @returns {Promise<string>} the project directory
 */
export async function installConsumer(tarball, also = []) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'claimguard-consumer-')));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  await npmInstall(dir, [tarball, ...also]);
  return dir;
}

/**
 * @param {string} dir
 * @param {string[]} specs
 */
export async function npmInstall(dir, specs) {
  await run(NPM, ['install', ...INSTALL_FLAGS, ...specs], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Bytes of every file under dir (what a deployment package of node_modules would hold).
 * @param {string} dir
 * @returns {number}
 */
export function directorySize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Installed packages under node_modules (scoped ones as @scope/name). @param {string} dir */
export function installedPackages(dir) {
  const root = join(dir, 'node_modules');
  const names = [];
  const walk = (/** @type {string} */ at, /** @type {string} */ prefix) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@')) walk(join(at, entry.name), `${entry.name}/`);
      else {
        names.push(prefix + entry.name);
        try {
          walk(join(at, entry.name, 'node_modules'), '');
        } catch {
          // no nested node_modules
        }
      }
    }
  };
  walk(root, '');
  return names;
}

/** @param {string} dir @param {string} name @param {string} text */
export function writeProjectFile(dir, name, text) {
  const path = join(dir, name);
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}
