// canonicalJson's parser and goJsonString, edge by edge (canonical.ts): the four JSON whitespace
// characters at every place JSON allows whitespace, and no other character; every refusal whole,
// with its position in the text; the number grammar's optional parts; keys that are one key once
// unescaped; key order by UTF-8 bytes; the surrogate and line-separator escapes Go writes. A signed
// data.json or .manifest must hash exactly as OPA (Go's encoding/json) hashes it, and text that is
// not JSON must throw rather than hash a prefix. Found by mutation testing (CONTRIBUTING.md,
// "Mutation testing").
import { describe, expect, it } from 'vitest';
import { canonicalJson, goJsonString } from '../../src/bundle/signatures/canonical.js';
import { thrown } from '../support/thrown.js';

/** The message of the SyntaxError canonicalJson throws for `text`. */
function refusal(text: string): string {
  const e = thrown(() => canonicalJson(text));
  if (!(e instanceof SyntaxError)) throw new Error(`expected a SyntaxError, got ${String(e)}`);
  return e.message;
}

/** Every place JSON allows whitespace; `_` marks it. */
const PLACES: readonly [place: string, template: string, canonical: string][] = [
  ['before a top-level value', '_1', '1'],
  ['after a top-level value', '1_', '1'],
  ['after "{"', '{_"a":1}', '{"a":1}'],
  ['before ":"', '{"a"_:1}', '{"a":1}'],
  ['after ":"', '{"a":_1}', '{"a":1}'],
  ['before "," in an object', '{"a":1_,"b":2}', '{"a":1,"b":2}'],
  ['after "," in an object', '{"a":1,_"b":2}', '{"a":1,"b":2}'],
  ['before "}"', '{"a":1_}', '{"a":1}'],
  ['inside an empty object', '{_}', '{}'],
  ['after "["', '[_1]', '[1]'],
  ['before "," in an array', '[1_,2]', '[1,2]'],
  ['after "," in an array', '[1,_2]', '[1,2]'],
  ['before "]"', '[1_]', '[1]'],
  ['inside an empty array', '[_]', '[]'],
  ['after a nested empty container', '{"a":[{}_,[]_]_}', '{"a":[{},[]]}'],
];

const WHITESPACE: readonly [name: string, ws: string][] = [
  ['space', ' '],
  ['tab', '\t'],
  ['LF', '\n'],
  ['CR', '\r'],
  ['a run of all four', ' \t\n\r \r\n'],
];

describe('whitespace', () => {
  const skipped = PLACES.flatMap(([place, template, canonical]) => WHITESPACE.map(([name, ws]) => [name, place, template.replaceAll('_', ws), canonical] as const));
  it.each(skipped)(
    '%s is skipped %s',
    (_name, _place, text, canonical) => {
      expect(canonicalJson(text)).toBe(canonical);
    },
  );

  // Characters JavaScript's own trim() or \s would skip, but JSON (and Go) do not. Each place
  // names where the character stops the parser.
  const NOT_WHITESPACE: readonly [name: string, c: string][] = [
    ['NO-BREAK SPACE', '\u00a0'],
    ['vertical tab', '\v'],
    ['form feed', '\f'],
    ['NEL', '\u0085'],
    ['LINE SEPARATOR', '\u2028'],
    ['BOM', '\ufeff'],
    ['NUL', '\0'],
  ];
  const REFUSED_AT: readonly [template: string, message: string][] = [
    ['_1', 'unexpected input at 0'],
    ['1_', 'trailing input at 1'],
    ['[_1]', 'unexpected input at 1'],
    ['[1_]', 'expected ] at 2'],
    ['{_}', 'unexpected input at 1'],
    ['{"a"_:1}', 'expected : at 4'],
    ['{"a":1,_"b":2}', 'unexpected input at 7'],
    ['{"a":1_}', 'expected } at 6'],
  ];
  const refused = NOT_WHITESPACE.flatMap(([name, c]) => REFUSED_AT.map(([template, message]) => [name, template, template.replace('_', c), message] as const));
  it.each(refused)(
    '%s is not whitespace: %s',
    (_name, _template, text, message) => {
      expect(refusal(text)).toBe(`canonicalJson: ${message}`);
    },
  );
});

describe('refusals name what was expected and where', () => {
  it.each<[string, string]>([
    ['', 'unexpected input at 0'],
    [' \t\r\n', 'unexpected input at 4'],
    // objects
    ['{', 'unexpected input at 1'],
    ['{"a" 1}', 'expected : at 5'],
    ['{"a"}', 'expected : at 4'],
    ['{"a":}', 'unexpected input at 5'],
    ['{"a":1', 'expected } at 6'],
    ['{"a":1 "b":2}', 'expected } at 7'],
    ['{"a":1,}', 'unexpected input at 7'],
    ['{,}', 'unexpected input at 1'],
    ['{1:2}', 'unexpected input at 1'],
    ["{'a':1}", 'unexpected input at 1'],
    ['{"a":[1,{"b" 2}]}', 'expected : at 13'],
    // arrays
    ['[', 'unexpected input at 1'],
    ['[1', 'expected ] at 2'],
    ['[1,2', 'expected ] at 4'],
    ['[1 2]', 'expected ] at 3'],
    ['[1,]', 'unexpected input at 3'],
    ['[,1]', 'unexpected input at 1'],
    // literals
    ['tru', 'unexpected input at 0'],
    ['fals', 'unexpected input at 0'],
    ['nul', 'unexpected input at 0'],
    ['True', 'unexpected input at 0'],
    ['undefined', 'unexpected input at 0'],
    ['truex', 'trailing input at 4'],
    ['[nullnull]', 'expected ] at 5'],
    // numbers: a leading zero ends the number, a fraction or exponent needs a digit
    ['-', 'unexpected input at 0'],
    ['-a', 'unexpected input at 0'],
    ['+1', 'unexpected input at 0'],
    ['.5', 'unexpected input at 0'],
    ['01', 'trailing input at 1'],
    ['-01', 'trailing input at 2'],
    ['[01]', 'expected ] at 2'],
    ['1.', 'trailing input at 1'],
    ['1.e5', 'trailing input at 1'],
    ['1e', 'trailing input at 1'],
    ['1e+', 'trailing input at 1'],
    ['1E-', 'trailing input at 1'],
    ['0x1F', 'trailing input at 1'],
    ['NaN', 'unexpected input at 0'],
    ['-Infinity', 'unexpected input at 0'],
    // strings
    ['"abc', 'unexpected input at 0'],
    ['"ab\\"', 'unexpected input at 0'],
    ['["abc]', 'unexpected input at 1'],
    ['{"a\\":1}', 'unexpected input at 1'],
    ["'a'", 'unexpected input at 0'],
    // trailing input after a whole value
    ['{}x', 'trailing input at 2'],
    ['{} {}', 'trailing input at 3'],
    ['{"a":1}}', 'trailing input at 7'],
    ['[]]', 'trailing input at 2'],
    ['1 2', 'trailing input at 2'],
    ['"a""b"', 'trailing input at 3'],
  ])('%j: %s', (text, message) => {
    expect(refusal(text)).toBe(`canonicalJson: ${message}`);
  });
});

describe('values', () => {
  // json.Number keeps the literal; every optional part of the grammar appears, alone and together.
  it.each([
    '0', '-0', '9', '10', '12', '-12', '123', '1.5', '1.25', '-0.0', '0.001', '1e5', '1E5', '1e10', '1e+5', '1e-5',
    '1E+10', '1.5e+10', '-0.0E-0', '123.456e789', '-9.99E-99',
  ])('number %s as written', (n) => {
    expect(canonicalJson(n)).toBe(n);
    expect(canonicalJson(`[ ${n} , ${n} ]`)).toBe(`[${n},${n}]`);
    expect(canonicalJson(`{"n": ${n}}`)).toBe(`{"n":${n}}`);
  });

  it.each<[string, string]>([
    ['true', 'true'],
    ['false', 'false'],
    ['null', 'null'],
    ['[true,false,null]', '[true,false,null]'],
    ['{"t":true,"f":false,"n":null}', '{"f":false,"n":null,"t":true}'],
  ])('literal %s', (text, canonical) => {
    expect(canonicalJson(text)).toBe(canonical);
  });

  it.each<[string, string]>([
    ['""', '""'],
    ['"ab"', '"ab"'],
    ['"\\""', '"\\""'],
    ['"\\\\"', '"\\\\"'],
    ['"a\\\\"', '"a\\\\"'], // an escaped backslash just before the closing quote
    ['["\\\\","x"]', '["\\\\","x"]'],
    ['"\\\\\\""', '"\\\\\\""'],
    ['"\\/"', '"/"'],
    ['"\\u00e9"', '"\u00e9"'],
    ['"\\u00E9"', '"\u00e9"'],
    ['"\\u0022\\u005c"', '"\\"\\\\"'],
    ['"\\u0000\\u001F"', '"\\u0000\\u001f"'],
    ['"\\ud83d\\ude00"', '"\u{1F600}"'],
    ['"\\uD83D\\uDE00"', '"\u{1F600}"'],
    ['"\\udc00"', '"\uFFFD"'],
    ['"\\udc00\\ud800"', '"\uFFFD\uFFFD"'],
    ['"\\ud800\\u0041"', '"\uFFFDA"'],
    ['"\\ud800\\ud800\\udc00"', '"\uFFFD\u{10000}"'],
    ['"\\u2029"', '"\\u2029"'],
  ])('string %s', (text, canonical) => {
    expect(canonicalJson(text)).toBe(canonical);
  });

  it.each<[string, string]>([
    ['{}', '{}'],
    ['[]', '[]'],
    ['[[]]', '[[]]'],
    ['[{}]', '[{}]'],
    ['{"a":{}}', '{"a":{}}'],
    ['[[],[[]],{}]', '[[],[[]],{}]'],
    ['{"c":[[],[{}]],"a":{"b":{}}}', '{"a":{"b":{}},"c":[[],[{}]]}'],
    ['[ { } , [ ] ]', '[{},[]]'],
    ['{ "a" : { } , "b" : [ ] }', '{"a":{},"b":[]}'],
  ])('empty containers: %s', (text, canonical) => {
    expect(canonicalJson(text)).toBe(canonical);
  });
});

describe('keys', () => {
  it.each<[string, string, string]>([
    ['a prefix before the longer key', '{"ab":1,"a":2}', '{"a":2,"ab":1}'],
    ['the empty key first', '{"a":1,"":2}', '{"":2,"a":1}'],
    ['upper case before lower case (ASCII bytes)', '{"a":1,"B":2}', '{"B":2,"a":1}'],
    ['ASCII before multi-byte', '{"\u00e9":1,"z":2}', '{"z":2,"\u00e9":1}'],
    // U+FFFD is EF BF BD, U+10000 is F0 90 80 80; in UTF-16 units U+10000 (D800 DC00) sorts first.
    ['U+FFFD before U+10000', '{"\u{10000}":1,"\uFFFD":2}', '{"\uFFFD":2,"\u{10000}":1}'],
    ['a lone surrogate sorts as U+FFFD', '{"\u{10000}":1,"\\ud800":2}', '{"\uFFFD":2,"\u{10000}":1}'],
    ['an escaped quote in a key', '{"a\\"b":1}', '{"a\\"b":1}'],
    ['a line separator in a key', '{"\\u2028":1,"\\n":2}', '{"\\n":2,"\\u2028":1}'],
  ])('order: %s', (_name, text, canonical) => {
    expect(canonicalJson(text)).toBe(canonical);
  });

  // Go decodes into a map: a repeated key overwrites the value (no merge of objects), and the key
  // sits where byte order puts it, not where either occurrence was.
  it.each<[string, string, string]>([
    ['the last value wins', '{"a":1,"a":2}', '{"a":2}'],
    ['the repeated key takes its sorted place', '{"b":1,"a":2,"b":3}', '{"a":2,"b":3}'],
    ['the first key repeated last', '{"a":1,"b":2,"c":3,"a":4}', '{"a":4,"b":2,"c":3}'],
    ['objects are replaced, not merged', '{"a":{"x":1},"a":{"y":2}}', '{"a":{"y":2}}'],
    ['a container replaced by a scalar', '{"a":[1],"a":null}', '{"a":null}'],
    ['in a nested object', '[{"k":1,"k":{}}]', '[{"k":{}}]'],
    ['equal after unescaping', '{"\\u0062":1,"a":2,"b":3}', '{"a":2,"b":3}'],
    ['a pair escaped and written raw', '{"\\ud83d\\ude00":1,"\u{1F600}":2}', '{"\u{1F600}":2}'],
    ['a lone high surrogate and U+FFFD', '{"\\ud800":1,"\\ufffd":2}', '{"\uFFFD":2}'],
    ['U+FFFD and a lone low surrogate', '{"\\ufffd":1,"\\udc00":2}', '{"\uFFFD":2}'],
    ['two different lone surrogates', '{"\\ud800":1,"\\udbff":2,"b":3}', '{"b":3,"\uFFFD":2}'],
  ])('duplicates: %s', (_name, text, canonical) => {
    expect(canonicalJson(text)).toBe(canonical);
  });
});

describe('goJsonString', () => {
  it.each<[string, string, string]>([
    ['the empty string', '', '""'],
    ['plain text', 'abc', '"abc"'],
    ['U+2028 alone', '\u2028', '"\\u2028"'],
    ['U+2029 alone', '\u2029', '"\\u2029"'],
    ['U+2029 then U+2028', 'a\u2029b\u2028c', '"a\\u2029b\\u2028c"'],
    ['a lone high surrogate at the end', 'x\uD800', '"x\uFFFD"'],
    ['a lone high surrogate before a letter', '\uD800x', '"\uFFFDx"'],
    ['a lone low surrogate at the start', '\uDC00x', '"\uFFFDx"'],
    ['a lone low surrogate after a letter', 'x\uDC00', '"x\uFFFD"'],
    ['a pair in the wrong order', '\uDC00\uD800', '"\uFFFD\uFFFD"'],
    ['a lone high surrogate, then a pair', '\uD800\uD83D\uDE00', '"\uFFFD\u{1F600}"'],
    ['a pair, then a lone low surrogate', '\uD83D\uDE00\uDE00', '"\u{1F600}\uFFFD"'],
    ['a valid pair', '\uD83D\uDE00', '"\u{1F600}"'],
    ['U+FFFD itself', '\uFFFD', '"\uFFFD"'],
    ['quote and backslash', '"\\', '"\\"\\\\"'],
    ['short control escapes', '\b\f\n\r\t', '"\\b\\f\\n\\r\\t"'],
    ['other controls in lowercase hex', '\u0000\u001b\u001f', '"\\u0000\\u001b\\u001f"'],
    ['DEL and HTML characters as they are', '\u007f<>&', '"\u007f<>&"'],
  ])('%s', (_name, s, expected) => {
    expect(goJsonString(s)).toBe(expected);
  });
});
