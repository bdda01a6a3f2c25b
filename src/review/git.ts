// A policy as it was at a git ref (`diff --base main`): the ref's YAML files are listed with
// `git ls-tree` and read with `git cat-file --batch` (one process for all, like `git show
// REF:path` for each) into a temporary directory laid out as the repository is, and loaded from
// there with the ordinary loader. So `include:` globs resolve at that ref exactly as they would
// in a checkout of it, with the same glob rules, and file names read as in the working tree.
import { ClaimguardError } from '../errors.js';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { PolicyError } from '../policy/errors.js';
import { loadPolicy, type LoadResult } from '../policy/load.js';

const run = promisify(execFile);

export type GitErrorCode = 'NOT_A_REPOSITORY' | 'REF_UNKNOWN' | 'FILE_NOT_AT_REF' | 'GIT_FAILED';

export class GitError extends ClaimguardError<GitErrorCode> {
  override readonly name = 'GitError';
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr?.trim() ?? '';
    throw new GitError('GIT_FAILED', `git ${args.join(' ')} failed${stderr === '' ? '' : `: ${stderr}`}`, { cause });
  }
}

/** The commit `ref` names, or null when it names none. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | null> {
  try {
    return (await git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim() || null;
  } catch {
    return null;
  }
}

/** Reads blobs in one `git cat-file --batch` process: `<oid> blob <size>\n<bytes>\n` per object. */
function catFiles(cwd: string, objects: readonly string[]): Promise<Buffer[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (cause) => reject(new GitError('GIT_FAILED', `git cat-file failed: ${cause.message}`, { cause })));
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError('GIT_FAILED', `git cat-file exited ${code}: ${stderr.trim()}`));
      const all = Buffer.concat(chunks);
      const out: Buffer[] = [];
      let at = 0;
      for (const name of objects) {
        const eol = all.indexOf(0x0a, at);
        const header = all.subarray(at, eol).toString('utf8');
        const m = / blob (\d+)$/.exec(header);
        if (m === null) return reject(new GitError('GIT_FAILED', `git cat-file could not read ${name}: ${header}`));
        const size = Number(m[1]);
        out.push(all.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
      }
      resolvePromise(out);
    });
    child.stdin.end(objects.map((o) => `${o}\n`).join(''));
  });
}

export interface RefPolicy {
  readonly load: LoadResult;
  /** `main:policies.yaml`, for messages. */
  readonly label: string;
}

/**
 * Loads the entry policy `entry` (a path in the working tree) as it was at `ref`. File names in
 * the IR and in problems read as in the working tree; problems are prefixed with the ref.
 */
export async function loadPolicyAtRef(cwd: string, ref: string, entry: string): Promise<RefPolicy> {
  let root: string;
  try {
    root = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch (cause) {
    throw new GitError('NOT_A_REPOSITORY', `${cwd} is not inside a git repository`, { cause });
  }
  const commit = await resolveCommit(cwd, ref);
  if (commit === null) throw new GitError('REF_UNKNOWN', `"${ref}" is neither a file nor a git ref`);
  const toRepo = (abs: string): string => relative(root, abs).split(sep).join('/');
  const entryInRepo = toRepo(resolve(cwd, entry));

  // `<mode> <type> <oid>\t<path>\0`: regular files only (no links or submodules).
  const listing = await git(root, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const files = new Map<string, string>();
  for (const item of listing.split('\0')) {
    const m = /^(100644|100755) blob ([0-9a-f]+)\t(.*)$/s.exec(item);
    if (m !== null && /\.ya?ml$/.test(m[3]!)) files.set(m[3]!, m[2]!);
  }
  if (!files.has(entryInRepo)) throw new GitError('FILE_NOT_AT_REF', `${entryInRepo} does not exist at ${ref}`);

  const dir = await mkdtemp(join(tmpdir(), 'claimguard-base-'));
  try {
    const paths = [...files.keys()];
    const blobs = await catFiles(root, paths.map((p) => files.get(p)!));
    for (const [i, p] of paths.entries()) {
      const target = join(dir, ...p.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, blobs[i]!);
    }
    const baseDir = join(dir, ...toRepo(resolve(cwd)).split('/').filter((s) => s !== ''));
    const load = await loadPolicy(join(dir, ...entryInRepo.split('/')), { baseDir });
    return { load: atRef(load, ref), label: `${ref}:${relative(cwd, resolve(cwd, entry)).split(sep).join('/')}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Problems name the ref: `main:policies.yaml:3:5`. */
function atRef(load: LoadResult, ref: string): LoadResult {
  const rename = (e: PolicyError): PolicyError =>
    new PolicyError({ code: e.code, message: e.message, file: `${ref}:${e.file}`, line: e.line, col: e.col, severity: e.severity, sourceLine: e.sourceLine, cause: e });
  return load.ok ? { ...load, warnings: load.warnings.map(rename) } : { ok: false, errors: load.errors.map(rename), warnings: load.warnings.map(rename) };
}
