// The matched path, edge by edge (src/lambda/path.ts): a stage or mapping key is removed only where
// it is a whole leading segment of a path that starts with `/`, a missing stage never strips
// anything, an empty path is never promoted to the root, route-key segments that are only half a
// `{param}` have no template, the template cache stays bounded, and a basePath option no mapping
// could have fails the cold start with a message naming it. Found by mutation testing
// (CONTRIBUTING.md, "Mutation testing"): path.test.ts covers the common readings, not these edges.
import { describe, expect, it, vi } from 'vitest';
import { matchedPath, normaliseBasePath, templateOf } from '../../src/lambda/path.js';
import { thrown } from '../support/thrown.js';

describe('matchedPath: a prefix is removed only as whole leading segments', () => {
  it('a first segment as long as the stage but another name keeps the path', () => {
    // Same length as "prod", followed by "/": only the name comparison tells them apart.
    expect(matchedPath('/abcd/orders/42', 'prod', '', null)).toBe('/abcd/orders/42');
  });

  it('a path that does not start with "/" never has the stage removed, even when the stage follows its first character', () => {
    expect(matchedPath('xprod/orders', 'prod', '', null)).toBe('xprod/orders');
    expect(matchedPath('xprod', 'prod', '', null)).toBe('xprod');
  });

  it('a mapping key is compared from the first character: a same-length first segment is not it', () => {
    expect(matchedPath('/ab/orders', null, '/v1', null)).toBe('/ab/orders');
    expect(matchedPath('/ab/orders', null, '/v1', templateOf('GET /orders'))).toBe('/ab/orders');
  });

  it('no stage strips nothing, whatever the first segment is called (not even "null")', () => {
    expect(matchedPath('/null/orders', null, '', null)).toBe('/null/orders');
    expect(matchedPath('/null/orders', null, '/v1', null)).toBe('/null/orders');
  });

  it('an empty path stays empty (refused later as no path), never the root a public route could match', () => {
    expect(matchedPath('', null, '', null)).toBe('');
    expect(matchedPath('', 'prod', '', null)).toBe('');
    expect(matchedPath('', null, '', templateOf('GET /'))).toBe('');
  });
});

describe('templateOf: route-key segments that are only half a parameter have no template', () => {
  it.each([
    ['GET /a/{}', 'an empty parameter name'],
    ['GET /{abc', 'an opening brace without its closing one'],
    ['GET /abc}', 'a closing brace without its opening one'],
    ['GET /orders/x{', 'a trailing opening brace'],
  ])('%s: null (%s)', (key) => {
    expect(templateOf(key)).toBeNull();
  });

  it('the shortest parameter, one character in braces, is a parameter', () => {
    expect(templateOf('GET /a/{b}')).toEqual([
      { kind: 'literal', value: 'a' },
      { kind: 'param', name: 'b' },
    ]);
  });
});

describe('templateOf: the cache', () => {
  it('parses a key once, and keeps at most 10,000 keys: a flood of forged keys is parsed, not stored', async () => {
    // A fresh module: an empty cache, whatever other tests in this file parsed.
    vi.resetModules();
    const fresh = await import('../../src/lambda/path.js');
    const key = (i: number) => `GET /flood/${i}`;
    for (let i = 0; i < 10_000; i++) {
      const first = fresh.templateOf(key(i));
      if (fresh.templateOf(key(i)) !== first) throw new Error(`key ${i} was not cached`);
    }
    // The cache is full: the next key is parsed again on every call (equal, not the same array) ...
    const over = fresh.templateOf(key(10_000));
    expect(fresh.templateOf(key(10_000))).not.toBe(over);
    expect(fresh.templateOf(key(10_000))).toEqual(over);
    // ... and the keys already there stay.
    expect(fresh.templateOf(key(0))).toBe(fresh.templateOf(key(0)));
  });
});

describe('normaliseBasePath: what a cold start refuses, and says', () => {
  it('a value that is not a string (a JavaScript caller, or JSON config) is a TypeError naming what it wants', () => {
    for (const value of [42, null, ['v1'], { path: 'v1' }]) {
      const e = thrown(() => normaliseBasePath(value as unknown as string));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toBe('basePath must be a string such as "v1" or "orders/v1"');
    }
  });

  it('every leading and trailing slash goes, not only one', () => {
    expect(normaliseBasePath('//v1')).toBe('/v1');
    expect(normaliseBasePath('v1//')).toBe('/v1');
    expect(normaliseBasePath('///orders/v1///')).toBe('/orders/v1');
  });

  it('a value that is no path prefix is refused with the value and the rule in the message', () => {
    const e = thrown(() => normaliseBasePath('orders/../v1'));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('basePath "orders/../v1" is not a path prefix (empty, ".", ".." segments, "%", "\\" or control characters)');
  });
});
