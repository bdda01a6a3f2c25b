// Reading one policy file as strict UTF-8: a missing, unreadable or mis-encoded file is a
// positioned PolicyError like any other, never an exception.
import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { PolicyError } from './errors.js';

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: PolicyError };

const strict = (): TextDecoder => new TextDecoder('utf-8', { fatal: true });

/** Reads `absPath`; `name` is how problems refer to the file. */
export async function readPolicyFile(absPath: string, name: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absPath);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const error =
      code === 'ENOENT'
        ? new PolicyError({ code: 'FILE_NOT_FOUND', message: `file not found: ${name}`, file: name, line: 1, col: 1, cause })
        : new PolicyError({
            code: 'FILE_UNREADABLE',
            message: `cannot read ${name}${code === undefined ? '' : ` (${code})`}`,
            file: name,
            line: 1,
            col: 1,
            cause,
          });
    return { ok: false, error };
  }
  try {
    return { ok: true, text: strict().decode(bytes) };
  } catch (cause) {
    return { ok: false, error: notUtf8(bytes, name, cause) };
  }
}

/** Points at the first byte that is not UTF-8, so the author can find it. */
function notUtf8(bytes: Uint8Array, name: string, cause: unknown): PolicyError {
  const offset = firstInvalidByte(bytes);
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  const col = before.length - lineStart + 1;
  const rest = new TextDecoder('utf-8').decode(bytes.subarray(offset));
  const sourceLine = (before.slice(lineStart) + rest.split(/\r?\n/, 1)[0]).replace(/\r$/, '');
  // The byte named is a lead or stray continuation byte, 0x80 or above: always two hex digits.
  const byte = (bytes[offset] as number).toString(16);
  return new PolicyError({
    code: 'FILE_NOT_UTF8',
    message: `${name} is not valid UTF-8 (byte 0x${byte} at offset ${offset}); save it as UTF-8`,
    file: name,
    line,
    col,
    sourceLine,
    cause,
  });
}

/**
 * The offset of the first invalid byte: the longest prefix that still decodes in streaming mode
 * (which tolerates a cut multi-byte sequence at the end). Validity of prefixes is monotonic,
 * so a binary search finds it. When that prefix ends inside a sequence (a lead byte and up to two
 * continuation bytes that the next byte, or the end of the file, leaves unfinished), the invalid
 * sequence starts at its lead byte: that is the offset to name, not the byte that cut it short.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      strict().decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  try {
    strict().decode(bytes.subarray(0, lo));
    return lo;
  } catch {
    let lead = lo - 1;
    while ((bytes[lead]! & 0xc0) === 0x80) lead--;
    return lead;
  }
}
