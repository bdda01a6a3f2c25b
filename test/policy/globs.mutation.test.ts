// filesMatching and byPath (globs.ts), called directly: the one way `include:` rule files and
// `tests:` suites are found. Files only (a directory named like a rule file is not one), absolute,
// without repeats, in path order whatever order the file system lists them. Found by mutation
// testing (CONTRIBUTING.md, "Mutation testing"). The real matcher is used everywhere but in the
// last test, where it is made to throw something that is not an Error.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { byPath, filesMatching } from '../../src/policy/globs.js';
import { writeFixture } from './fixtures.js';

const throwNext = vi.hoisted(() => ({ armed: false, thrown: undefined as unknown }));

vi.mock('tinyglobby', async (importOriginal) => {
  const real = await importOriginal<typeof import('tinyglobby')>();
  return {
    ...real,
    glob: (...args: Parameters<typeof real.glob>) => {
      if (!throwNext.armed) return real.glob(...args);
      throwNext.armed = false;
      return Promise.reject(throwNext.thrown);
    },
  };
});

afterEach(() => {
  throwNext.armed = false;
});

describe('byPath', () => {
  it('a comparator: -1 before, 1 after, 0 for the same path', () => {
    expect([byPath('a', 'b'), byPath('b', 'a'), byPath('a', 'a'), byPath('', '')]).toEqual([-1, 1, 0, 0]);
  });

  it('orders by code unit: upper case before lower, "/" before letters, a prefix first', () => {
    expect(['r/b.yaml', 'r/a.yaml', 'r/B.yaml', 'r.yaml', 'r/a/x.yaml', 'r'].sort(byPath)).toEqual([
      'r',
      'r.yaml',
      'r/B.yaml',
      'r/a.yaml',
      'r/a/x.yaml',
      'r/b.yaml',
    ]);
  });
});

describe('filesMatching', () => {
  it('files in nested folders come back in path order, not in the order the folders are walked', async () => {
    // The matcher lists a folder's own files before those of its subfolders: b.yaml before a/z.yaml.
    const dir = writeFixture({ 'b.yaml': '', 'a/z.yaml': '', 'c/y.yaml': '', '0.yaml': '' });
    expect(await filesMatching('**/*.yaml', dir)).toEqual({
      ok: true,
      files: [join(dir, '0.yaml'), join(dir, 'a', 'z.yaml'), join(dir, 'b.yaml'), join(dir, 'c', 'y.yaml')],
    });
  });

  it('a folder whose name matches is not a file: neither it nor (unless the glob says so) what it holds', async () => {
    const dir = writeFixture({ 'r/a.yaml': '', 'r/sub.yaml/inner.yaml': '' });
    mkdirSync(join(dir, 'r', 'empty.yaml'));
    expect(await filesMatching('r/*.yaml', dir)).toEqual({ ok: true, files: [join(dir, 'r', 'a.yaml')] });
    // A bare folder name matches nothing: it is not expanded to the files inside it.
    expect(await filesMatching('r', dir)).toEqual({ ok: true, files: [] });
    expect(await filesMatching('r/sub.yaml', dir)).toEqual({ ok: true, files: [] });
    expect(await filesMatching('r/**/*.yaml', dir)).toEqual({ ok: true, files: [join(dir, 'r', 'a.yaml'), join(dir, 'r', 'sub.yaml', 'inner.yaml')] });
  });

  it('relative to dir, whatever the working directory; paths normalized; each file once', async () => {
    const dir = writeFixture({ 'conf/p.yaml': '', 'shared/x.yaml': '' });
    const conf = join(dir, 'conf');
    expect(await filesMatching('../shared/*.yaml', conf)).toEqual({ ok: true, files: [join(dir, 'shared', 'x.yaml')] });
    expect(await filesMatching('{./p,p,../conf/p}.yaml', conf)).toEqual({ ok: true, files: [join(conf, 'p.yaml')] });
  });

  it('an invalid glob is a message naming it and the matcher\'s reason', async () => {
    const long = `${'a'.repeat(70_000)}/*.yaml`;
    expect(await filesMatching(long, writeFixture({}))).toEqual({
      ok: false,
      message: `"${long}" is not a valid glob: Input length: 70007, exceeds maximum allowed length: 65536`,
    });
  });

  it('a matcher that throws something other than an Error: the glob named, no reason made up', async () => {
    throwNext.armed = true;
    throwNext.thrown = 'no';
    expect(await filesMatching('r/*.yaml', writeFixture({}))).toEqual({ ok: false, message: '"r/*.yaml" is not a valid glob' });
  });
});
