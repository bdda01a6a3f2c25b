// The text OPA hashes for a structured bundle file (data.json, data.yaml, .manifest): the JSON value
// with every object's keys in byte order, no whitespace, strings as Go's encoding/json writes them
// (HTML escaping off) and numbers exactly as written in the file (OPA decodes them as json.Number).
// See docs/bundles.md "How files are hashed". Input must already be valid JSON.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * A string as Go writes it: Go decodes a lone surrogate escape to U+FFFD, escapes U+2028/U+2029,
 * and otherwise escapes exactly what JSON.stringify escapes (quote, backslash, controls; `\b` `\f`
 * `\n` `\r` `\t` in short form since Go 1.22, the rest as lowercase `\u00XX`).
 */
export function goJsonString(s: string): string {
  return JSON.stringify(s.replace(LONE_SURROGATE, '\uFFFD')).replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

const utf8 = new TextEncoder();
/** Go sorts map keys as byte strings: UTF-8 order, which differs from UTF-16 order above U+FFFF. */
const byteOrder = (a: string, b: string): number => Buffer.compare(utf8.encode(a), utf8.encode(b));

const STRING = /"(?:[^"\\]|\\.)*"/y;
/** A number (kept as written, as json.Number is) or a literal: both are copied through unchanged. */
const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
/** JSON's four whitespace characters; NaN (charCodeAt past the end) is none of them. */
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

export function canonicalJson(text: string): string {
  let i = 0;
  const skip = (): void => {
    while (isSpace(text.charCodeAt(i))) i++;
  };
  const token = (re: RegExp): string => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) throw new SyntaxError(`canonicalJson: unexpected input at ${i}`);
    i = re.lastIndex;
    return m[0];
  };
  const expect = (c: string): void => {
    skip();
    if (text[i] !== c) throw new SyntaxError(`canonicalJson: expected ${c} at ${i}`);
    i++;
  };
  const value = (): string => {
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      // Go's decoder keeps the last of duplicate keys: set() overwrites the value; keys are sorted below.
      const members = new Map<string, string>();
      skip();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          skip();
          const key = (JSON.parse(token(STRING)) as string).replace(LONE_SURROGATE, '\uFFFD');
          expect(':');
          members.set(key, value());
          skip();
          if (text[i] === ',') i++;
          else {
            expect('}');
            break;
          }
        }
      }
      const keys = [...members.keys()].sort(byteOrder);
      return `{${keys.map((k) => `${goJsonString(k)}:${members.get(k)}`).join(',')}}`;
    }
    if (c === '[') {
      i++;
      const items: string[] = [];
      skip();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          items.push(value());
          skip();
          if (text[i] === ',') i++;
          else {
            expect(']');
            break;
          }
        }
      }
      return `[${items.join(',')}]`;
    }
    if (c === '"') return goJsonString(JSON.parse(token(STRING)) as string);
    return token(SCALAR);
  };
  const out = value();
  skip();
  if (i !== text.length) throw new SyntaxError(`canonicalJson: trailing input at ${i}`);
  return out;
}
