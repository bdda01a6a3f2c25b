// readPolicyFile when reading fails without a system error code (read.ts): the message names the
// file alone. The real readFile is used everywhere else; here one call is made to fail.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readPolicyFile } from '../../src/policy/read.js';
import { writeFixture } from './fixtures.js';

const failNext = vi.hoisted(() => ({ error: undefined as unknown }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readFile: (...args: Parameters<typeof real.readFile>) => {
      const error = failNext.error;
      failNext.error = undefined;
      return error === undefined ? real.readFile(...args) : Promise.reject(error);
    },
  };
});

afterEach(() => {
  failNext.error = undefined;
});

it('a failure without a code: "cannot read NAME", at 1:1, the cause kept', async () => {
  const cause = new Error('the disk went away');
  failNext.error = cause;
  const r = await readPolicyFile('/nowhere/policies.yaml', 'conf/policies.yaml');
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.toJSON()).toEqual({ code: 'FILE_UNREADABLE', file: 'conf/policies.yaml', line: 1, col: 1, message: 'cannot read conf/policies.yaml', severity: 'error' });
  expect(r.error.cause).toBe(cause);
  expect(r.error.sourceLine).toBeNull();
});

it.each([['a string', 'EIO'], ['null', null]])('a thrown %s is a failure without a code too', async (_name, thrown) => {
  failNext.error = thrown;
  const r = await readPolicyFile('/nowhere/p.yaml', 'p.yaml');
  expect(r.ok ? null : [r.error.code, r.error.message, r.error.cause]).toEqual(['FILE_UNREADABLE', 'cannot read p.yaml', thrown]);
});

it('a code other than ENOENT is shown in brackets', async () => {
  failNext.error = Object.assign(new Error('busy'), { code: 'EBUSY' });
  const r = await readPolicyFile('/nowhere/p.yaml', 'p.yaml');
  expect(r.ok ? null : [r.error.code, r.error.message]).toEqual(['FILE_UNREADABLE', 'cannot read p.yaml (EBUSY)']);
});

it('otherwise the real file is read, as UTF-8', async () => {
  const dir = writeFixture({ 'p.yaml': 'é: 1\n' });
  expect(await readPolicyFile(join(dir, 'p.yaml'), 'p.yaml')).toEqual({ ok: true, text: 'é: 1\n' });
});

describe('where a file stops being UTF-8', () => {
  const read = async (bytes: Uint8Array) => {
    const dir = writeFixture({ 'p.yaml': bytes });
    const r = await readPolicyFile(join(dir, 'p.yaml'), 'p.yaml');
    return r.ok ? r : { code: r.error.code, at: `${r.error.file}:${r.error.line}:${r.error.col}`, message: r.error.message, sourceLine: r.error.sourceLine };
  };

  it('after many multi-byte characters: the offset in bytes, the column in characters', async () => {
    // "x: " (3 bytes) + eight "€" (3 bytes each) + " " = 28 bytes, 12 characters; then 0xff.
    const bytes = Buffer.concat([Buffer.from('x: €€€€€€€€ '), Buffer.from([0xff]), Buffer.from(' y\nz: 1\n')]);
    expect(await read(bytes)).toEqual({
      code: 'FILE_NOT_UTF8',
      at: 'p.yaml:1:13',
      message: 'p.yaml is not valid UTF-8 (byte 0xff at offset 28); save it as UTF-8',
      sourceLine: 'x: €€€€€€€€ \ufffd y',
    });
  });

  it('a multi-byte sequence cut short is named at its lead byte, not at the byte after it', async () => {
    // "x: a" then the first two bytes of "€" (e2 82 ac) and the end of the file.
    const atEnd = Buffer.concat([Buffer.from('x: a'), Buffer.from([0xe2, 0x82])]);
    expect(await read(atEnd)).toMatchObject({
      at: 'p.yaml:1:5',
      message: 'p.yaml is not valid UTF-8 (byte 0xe2 at offset 4); save it as UTF-8',
    });
    // "a: é" (é is c3 a9), then a lone lead byte c3 that a plain "x" cuts short.
    const cutByAscii = Buffer.concat([Buffer.from('a: é'), Buffer.from([0xc3]), Buffer.from('x\n')]);
    expect(await read(cutByAscii)).toMatchObject({
      at: 'p.yaml:1:5',
      message: 'p.yaml is not valid UTF-8 (byte 0xc3 at offset 5); save it as UTF-8',
    });
    // Two bytes of a three-byte sequence, then a whole "€": the first sequence is the bad one.
    const cutByChar = Buffer.concat([Buffer.from([0xe2, 0x82]), Buffer.from('€\n')]);
    expect(await read(cutByChar)).toMatchObject({
      at: 'p.yaml:1:1',
      message: 'p.yaml is not valid UTF-8 (byte 0xe2 at offset 0); save it as UTF-8',
    });
  });

  it('the source line keeps a carriage return inside it; one ending it is dropped', async () => {
    const inside = Buffer.concat([Buffer.from('a\rb: '), Buffer.from([0xff]), Buffer.from(' c\r\nd\n')]);
    expect(await read(inside)).toMatchObject({ at: 'p.yaml:1:6', sourceLine: 'a\rb: \ufffd c' });
    const ending = Buffer.concat([Buffer.from('a: 1\nb: '), Buffer.from([0xff]), Buffer.from('\r')]);
    expect(await read(ending)).toMatchObject({ at: 'p.yaml:2:4', sourceLine: 'b: \ufffd' });
  });
});
