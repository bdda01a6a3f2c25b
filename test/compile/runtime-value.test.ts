import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Raw, testRuntime } from './runtime-harness.js';

let wasm: Uint8Array;
beforeAll(() => {
  wasm = testRuntime();
});

/** A fresh instance per property run would be slow; reset the heap instead. */
function fresh(): Raw {
  return new Raw(wasm, new WebAssembly.Memory({ initial: 2 }));
}

function withHeap<T>(m: Raw, f: () => T): T {
  const hp = m.fn('opa_heap_ptr_get')();
  try {
    return f();
  } finally {
    m.fn('opa_heap_ptr_set')(hp);
  }
}

describe('parse + dump', () => {
  it.each([
    ['null', 'null'],
    ['true', 'true'],
    [' false ', 'false'],
    ['1.50', '1.50'],
    ['-0', '-0'],
    ['1e400', '1e400'],
    ['"a\\"b\\\\c\\n\\r\\t\\b\\f\\/"', '"a\\"b\\\\c\\n\\r\\t\\u0008\\u000c/"'],
    ['"\\u00e9\\u4e2d\\ud83d\\ude00"', '"é中😀"'],
    ['"\\ud800"', '"\\ud800"'],
    ['"\\udc00\\ud800"', '"\\udc00\\ud800"'],
    ['"\\ud83dx"', '"\\ud83dx"'],
    ['[]', '[]'],
    ['{}', '{}'],
    ['[1,[2,[3]],{"a":{"b":[]}}]', '[1,[2,[3]],{"a":{"b":[]}}]'],
    ['{"a":1,"a":2}', '{"a":1,"a":2}'],
    ['[1] x', '[1]'],
    ['{"a" : [ 1 , 2 ] }', '{"a":[1,2]}'],
  ])('%s → %s', (text, dumped) => {
    const m = fresh();
    const v = m.parseJson(text);
    expect(v).not.toBe(0);
    expect(m.jsonDump(v)).toBe(dumped);
  });

  it.each([
    '', ' ', '[', ']', '{', '{"a"}', '{"a":}', '{1:2}', '[1,]', '{"a":1,}', '01x', '-', '1.', '.5', '1e', '1e+',
    '"abc', '"\\x"', '"\\u12"', '"\\u12g4"', 'tru', 'nul', 'set()', '{1,2}', '"\x01"', '\u00a0',
    new Uint8Array([0x22, 0xff, 0x22]), new Uint8Array([0x22, 0xc0, 0x80, 0x22]), new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]),
    new Uint8Array([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]), new Uint8Array([0x22, 0xe2, 0x82, 0x22]),
  ])('rejects %j', (text) => {
    const m = fresh();
    // '01x' parses as 0 with trailing garbage ignored; only texts that cannot start a value fail
    if (text === '01x') expect(m.jsonDump(m.parseJson(text))).toBe('0');
    else expect(m.parseJson(text)).toBe(0);
  });

  it.each([
    ['{1,"a"}', '{1,"a"}', '[1,"a"]'],
    ['set()', 'set()', '[]'],
    ['{1,1,[1],[1]}', '{1,[1]}', '[1,[1]]'],
    ['{1:"a"}', '{1:"a"}', '{"1":"a"}'],
    ['{{"result":true}}', '{{"result":true}}', '[{"result":true}]'],
    ['{[1,2]:{set()}}', '{[1,2]:{set()}}', '{"[1,2]":[[]]}'],
  ])('value syntax %s', (text, valueDump, jsonDump) => {
    const m = fresh();
    const v = m.parseValue(text);
    expect(v).not.toBe(0);
    expect(m.valueDump(v)).toBe(valueDump);
    expect(m.jsonDump(v)).toBe(jsonDump);
  });

  it('nesting: depth 1000 parses, 1001 and 100,000 fail without trapping', () => {
    const m = new Raw(wasm, new WebAssembly.Memory({ initial: 2 }));
    const nest = (d: number): string => '['.repeat(d) + ']'.repeat(d);
    expect(m.jsonDump(m.parseJson(nest(1000)))).toBe(nest(1000));
    expect(m.parseJson(nest(1001))).toBe(0);
    expect(m.parseJson('{"a":'.repeat(1001) + '1' + '}'.repeat(1001))).toBe(0);
    expect(m.parseJson('['.repeat(100_000))).toBe(0);
    expect(m.parseValue('{'.repeat(100_000))).toBe(0);
  });

  it('round-trips any JSON value (dump(parse(JSON.stringify(x))) JSON.parses deep-equal)', () => {
    const m = fresh();
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        withHeap(m, () => {
          const text = JSON.stringify(x);
          const v = m.parseJson(text);
          expect(v).not.toBe(0);
          expect(JSON.parse(m.jsonDump(v))).toStrictEqual(JSON.parse(text));
          const w = m.parseValue(text);
          expect(JSON.parse(m.valueDump(w))).toStrictEqual(JSON.parse(text));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any JS string, lone surrogates included', () => {
    const m = fresh();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }), (s, t) => {
        withHeap(m, () => {
          for (const str of [s, t, s + t + s]) {
            const text = JSON.stringify(str);
            const v = m.parseJson(text);
            expect(v).not.toBe(0);
            expect(JSON.parse(m.jsonDump(v))).toBe(str);
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('strings: a special byte at every offset of the 8-byte scan words, and at the input end', () => {
    const m = fresh();
    const specials = ['"', '\\', '\n', '\u0001', '\u001f', '\u007f', 'é', '\ud83d\ude00', '\ud800', ' ', '~', '!', '#', ']'];
    for (let len = 0; len <= 24; len++) {
      for (let at = 0; at <= len; at++) {
        withHeap(m, () => {
          for (const sp of specials) {
            const str = 'x'.repeat(at) + sp + 'y'.repeat(len - at);
            const text = JSON.stringify(str);
            expect(JSON.parse(m.jsonDump(m.parseJson(text)))).toBe(str);
            expect(m.parseJson(text.slice(0, -1))).toBe(0); // unterminated
          }
          // A raw control byte is invalid wherever it falls.
          expect(m.parseJson(`"${'x'.repeat(at)}\u0001${'y'.repeat(len - at)}"`)).toBe(0);
          expect(m.parseJson(`"${'x'.repeat(at)}\u001f${'y'.repeat(len - at)}"`)).toBe(0);
          // So is invalid UTF-8 (a stray continuation byte, an encoded surrogate, 0xff).
          for (const bad of [[0x80], [0xed, 0xa0, 0x80], [0xff], [0xc3]]) {
            const bytes = new Uint8Array([0x22, ...Array(at).fill(0x78), ...bad, ...Array(len - at).fill(0x79), 0x22]);
            expect(m.parseJson(bytes)).toBe(0);
          }
        });
      }
    }
  });

  it.each([
    '0', '-0', '0.0', '-0.0', '7', '-7', '0.05', '-0.05', '123456789012345', '-123456789012345', '1234567890123456',
    '12345678901234567890', '0.1', '0.3', '1.000000000000001', '0.000000000000000000001', '0.0000000000000000000001',
    '0.00000000000000000000001', '9.99999999999999', '1712345678901', '1712345678.901', '1e5', '1E+5', '1e-5', '2.5e0',
  ])('numbers: %s parses like JSON.parse and dumps as written', (text) => {
    const m = fresh();
    const v = m.parseJson(text);
    expect(Object.is(m.fn('t_number')(v), JSON.parse(text))).toBe(true);
    expect(m.jsonDump(v)).toBe(text);
    expect(m.jsonDump(m.parseJson(`[${text},${text}]`))).toBe(`[${text},${text}]`);
  });

  it.each([
    ['-', null], ['1.', null], ['.5', null], ['-.5', null], ['1e', null], ['1e+', null], ['1.e5', null], ['--1', null],
    ['+1', null], ['1.5e', null], ['[1.]', null], ['{"a":-}', null], ['01', '0'], ['0x10', '0'], ['-0.5.5', '-0.5'],
  ])('numbers: %s is invalid (or a valid prefix: trailing bytes are ignored) → %s', (text, prefix) => {
    const m = fresh();
    const v = m.parseJson(text);
    if (prefix === null) expect(v).toBe(0);
    else expect(m.jsonDump(v)).toBe(prefix);
  });

  it('stringPtr/stringLen give unescaped UTF-8 (WTF-8 for lone surrogates)', () => {
    const m = fresh();
    const v = m.parseJson('"a\\u00e9\\ud800\\ud83d\\ude00"');
    const p = m.fn('t_string_ptr')(v);
    const n = m.fn('t_string_len')(v);
    expect([...m.bytes.slice(p, p + n)]).toEqual([0x61, 0xc3, 0xa9, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80]);
  });
});

describe('accessors', () => {
  it('objects keep duplicates; objectGet takes the last', () => {
    const m = fresh();
    const v = m.parseJson('{"a":1,"b":[true,null],"a":2}');
    expect(m.fn('t_tag')(v)).toBe(6);
    expect(m.fn('t_object_len')(v)).toBe(3);
    const [k, n] = m.put('a');
    expect(m.jsonDump(m.fn('t_object_get')(v, k, n))).toBe('2');
    const [kb, nb] = m.put('b');
    const b = m.fn('t_object_get')(v, kb, nb);
    expect(m.fn('t_array_len')(b)).toBe(2);
    expect(m.fn('t_bool')(m.fn('t_array_get')(b, 0))).toBe(1);
    expect(m.fn('t_tag')(m.fn('t_array_get')(b, 1))).toBe(1);
    const [kc, nc] = m.put('c');
    expect(m.fn('t_object_get')(v, kc, nc)).toBe(0);
    expect(m.jsonDump(m.fn('t_object_key')(v, 1))).toBe('"b"');
    expect(m.jsonDump(m.fn('t_object_value')(v, 0))).toBe('1');
  });
});

describe('numbers', () => {
  const num = (m: Raw, text: string): number => {
    const v = m.parseJson(text);
    expect(m.fn('t_tag')(v)).toBe(3);
    return m.fn('t_number')(v);
  };

  it.each([
    '0', '-0', '1', '1e400', '-1e400', '1e-400', '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324',
    '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '9007199254740993',
    '0.1', '123456789012345678901234567890', '2.2250738585072011e-308', '2.2250738585072012e-308',
    '7.038531e-26', '1' + '0'.repeat(400) + 'e-400', '0.' + '0'.repeat(400) + '1e400',
    '9007199254740992.9999999999999999999999999', '1.00000000000000011102230246251565404236316680908203125',
    '1.00000000000000011102230246251565404236316680908203124', '1.00000000000000011102230246251565404236316680908203126',
    '1e23', '8.98846567431158e307', '4503599627370496.5', '4503599627370497.5',
  ])('numberF64(%s) is correctly rounded', (text) => {
    const m = fresh();
    expect(Object.is(num(m, text), JSON.parse(text))).toBe(true);
  });

  it('agrees with JSON.parse on random doubles, their neighbours and long digit strings', () => {
    const m = fresh();
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        withHeap(m, () => {
          const texts = [JSON.stringify(x), x.toPrecision(17), x.toExponential(25), x.toExponential(3)];
          for (const t of texts) {
            const j = t.replace(/^(-?)(\d+)\.?(\d*)e\+?(-?\d+)$/, (_s, sg, a, b, e) => `${sg}${a}${b ? '.' + b : ''}e${e}`);
            expect(Object.is(num(m, j), JSON.parse(j))).toBe(true);
          }
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with JSON.parse on random decimal strings (halfway-prone digit runs)', () => {
    const m = fresh();
    const digits = fc.array(fc.constantFrom('0', '1', '4', '5', '9'), { minLength: 1, maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.boolean(), digits, digits, fc.integer({ min: -360, max: 330 }), (neg, a, b, e) => {
        withHeap(m, () => {
          const int = a.replace(/^0+(?=\d)/, '');
          const t = `${neg ? '-' : ''}${int}.${b}e${e}`;
          expect(Object.is(num(m, t), JSON.parse(t))).toBe(true);
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('bufNumber round-trips every double; non-finite → null; -0 → 0', () => {
    const m = fresh();
    const dump = (x: number): string => {
      const b = m.fn('t_buf_new')();
      m.fn('t_buf_number')(b, x);
      return m.bufText(b);
    };
    expect(dump(Infinity)).toBe('null');
    expect(dump(-Infinity)).toBe('null');
    expect(dump(NaN)).toBe('null');
    expect(dump(-0)).toBe('0');
    expect(dump(5)).toBe('5');
    expect(dump(-5)).toBe('-5');
    expect(dump(1e21)).toBe('1e+21');
    expect(dump(1.5e-7)).toBe('1.5e-7');
    expect(dump(123456789012)).toBe('123456789012');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        withHeap(m, () => {
          const s = dump(x);
          expect(JSON.parse(s)).toBe(x === 0 ? 0 : x);
          // Grisu2 is not always shortest: allow a digit or two more than JS.
          expect(s.length).toBeLessThanOrEqual(String(x).length + 2);
        });
      }),
      { numRuns: 20000 },
    );
  });
});

describe('valueEquals', () => {
  const eq = (m: Raw, a: string, b: string): boolean => m.fn('t_value_equals')(m.parseValue(a), m.parseValue(b)) === 1;
  // The oracle: JSON.parse both and compare deep (objects as key sets, -0 == 0)
  const oracle = (x: unknown, y: unknown): boolean => {
    if (typeof x !== typeof y) return false;
    if (x === null || y === null) return x === y;
    if (Array.isArray(x)) return Array.isArray(y) && x.length === y.length && x.every((v, i) => oracle(v, y[i]));
    if (typeof x === 'object') {
      if (Array.isArray(y)) return false;
      const xo = x as Record<string, unknown>, yo = y as Record<string, unknown>;
      const kx = Object.keys(xo), ky = Object.keys(yo);
      return kx.length === ky.length && kx.every((k) => Object.hasOwn(yo, k) && oracle(xo[k], yo[k]));
    }
    return x === y;
  };

  it.each([
    ['0', '-0', true], ['1e400', '1e401', true], ['1.0', '1', true], ['"a"', '"a"', true], ['"a"', '"b"', false],
    ['{"a":1,"a":2}', '{"a":2}', true], ['{"a":1,"a":2}', '{"a":1}', false], ['{"a":1,"b":2}', '{"b":2,"a":1}', true],
    ['{"a":1,"b":2,"a":3}', '{"b":2,"a":3,"b":2}', true], ['{"a":1}', '{"a":1,"b":1}', false],
    ['[1,2]', '[2,1]', false], ['{1,2}', '{2,1}', true], ['{1,2}', '[1,2]', false], ['null', 'false', false],
    ['{"a":null}', '{}', false],
  ])('%s == %s → %s', (a, b, want) => {
    expect(eq(fresh(), a, b)).toBe(want);
  });

  it('agrees with the JSON.parse oracle, duplicates included', () => {
    const m = fresh();
    // Objects as raw entry lists so that duplicate keys occur.
    const key = fc.constantFrom('a', 'b', 'c');
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom('null', 'true', 'false', '0', '-0', '1', '1.0', '2', '"a"', '"b"'),
        fc.array(tie('value'), { maxLength: 3 }).map((xs) => `[${xs.join(',')}]`),
        fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((es) => `{${es.map(([k, v]) => `"${k}":${v}`).join(',')}}`),
      ),
    }));
    fc.assert(
      fc.property(value, value, fc.boolean(), (a, b, same) => {
        withHeap(m, () => {
          const y = same ? a : b;
          expect(eq(m, a, y)).toBe(oracle(JSON.parse(a), JSON.parse(y)));
        });
      }),
      { numRuns: 3000 },
    );
  });
});

describe('large sets', () => {
  it('dedupe by value (hash table path above 32 elements), fast on 100,000 elements', () => {
    const m = new Raw(wasm, new WebAssembly.Memory({ initial: 2 }));
    const xs = Array.from({ length: 100_000 }, (_, i) => i % 50_000);
    const t0 = performance.now();
    const v = m.parseValue(`{${xs.join(',')}}`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(m.fn('t_array_len')(v)).toBe(50_000);
    const mixed = m.parseValue(`{${Array.from({ length: 40 }, (_, i) => `[${i % 20}],{"k":${i % 10},"k":${i % 20}},"${i % 5}",-0,0,1e400,1e401`).join(',')}}`);
    // 20 arrays, 20 objects ({"k":j} for j<20), 5 strings, one 0 (-0 == 0), one Infinity
    expect(m.fn('t_array_len')(mixed)).toBe(20 + 20 + 5 + 1 + 1);
  });
});
