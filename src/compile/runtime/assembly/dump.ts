// Value → text. JSON mode (opa_json_dump, bufValue): sets become arrays and non-string object keys
// are JSON-encoded and used as string keys. Rego mode (opa_value_dump): sets are `{a,b}` / `set()`
// and non-string keys stay raw, so Go hosts can `ast.ParseTerm` the output.
import { bufAscii, bufByte, bufBytes, bufJsonString, bufNew, bufPtr, bufLen } from "./buf";
import { free } from "./alloc";
import {
  TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING, TAG_ARRAY, TAG_OBJECT, TAG_SET,
  containerItems, containerLen, entryAt, entryKey, entryValue, itemAt, numberTextLen, numberTextPtr, rawBool,
  rawStringLen, rawStringPtr, valueTag,
} from "./value";

export function dumpValue(b: usize, v: usize, rego: bool): void {
  const tag = valueTag(v);
  switch (tag) {
    case TAG_NULL:
      bufAscii(b, "null");
      return;
    case TAG_BOOL:
      if (rawBool(v)) bufAscii(b, "true");
      else bufAscii(b, "false");
      return;
    case TAG_NUMBER:
      bufBytes(b, numberTextPtr(v), numberTextLen(v));
      return;
    case TAG_STRING:
      bufJsonString(b, rawStringPtr(v), rawStringLen(v));
      return;
    case TAG_ARRAY:
    case TAG_SET: {
      const n = containerLen(v);
      const items = containerItems(v);
      const set = rego && tag == TAG_SET;
      if (set && n == 0) {
        bufAscii(b, "set()");
        return;
      }
      bufByte(b, set ? 0x7b : 0x5b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) bufByte(b, 0x2c);
        dumpValue(b, itemAt(items, i), rego);
      }
      bufByte(b, set ? 0x7d : 0x5d);
      return;
    }
    case TAG_OBJECT: {
      const n = containerLen(v);
      const entries = containerItems(v);
      bufByte(b, 0x7b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) bufByte(b, 0x2c);
        const e = entryAt(entries, i);
        const k = entryKey(e);
        if (valueTag(k) == TAG_STRING || rego) {
          dumpValue(b, k, rego);
        } else {
          const t = bufNew(32);
          dumpValue(t, k, false);
          bufJsonString(b, bufPtr(t), bufLen(t));
          free(bufPtr(t));
          free(t);
        }
        bufByte(b, 0x3a);
        dumpValue(b, entryValue(e), rego);
      }
      bufByte(b, 0x7d);
      return;
    }
  }
}
