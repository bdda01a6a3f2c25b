// Test build only (never shipped): the ABI module plus direct access to the value API.
// Built by test/compile/runtime-harness.ts with scripts/build-runtime.js --entry.
export * from "../abi";
import {
  parseJson, parseValue, valueEquals, valueTag, numberF64, stringPtr, stringLen, arrayLen, arrayGet,
  objectLen, objectKeyAt, objectValueAt, objectGet, boolValue,
} from "../value";
import { bufNew, bufPtr, bufLen, bufValue, bufNumber, bufJsonString } from "../buf";

export function t_parse_json(p: usize, n: u32): usize { return parseJson(p, n); }
export function t_parse_value(p: usize, n: u32): usize { return parseValue(p, n); }
export function t_value_equals(a: usize, b: usize): bool { return valueEquals(a, b); }
export function t_tag(v: usize): u32 { return valueTag(v); }
export function t_bool(v: usize): bool { return boolValue(v); }
export function t_number(v: usize): f64 { return numberF64(v); }
export function t_string_ptr(v: usize): usize { return stringPtr(v); }
export function t_string_len(v: usize): u32 { return stringLen(v); }
export function t_array_len(v: usize): u32 { return arrayLen(v); }
export function t_array_get(v: usize, i: u32): usize { return arrayGet(v, i); }
export function t_object_len(v: usize): u32 { return objectLen(v); }
export function t_object_key(v: usize, i: u32): usize { return objectKeyAt(v, i); }
export function t_object_value(v: usize, i: u32): usize { return objectValueAt(v, i); }
export function t_object_get(v: usize, k: usize, n: u32): usize { return objectGet(v, k, n); }
export function t_buf_new(): usize { return bufNew(16); }
export function t_buf_ptr(b: usize): usize { return bufPtr(b); }
export function t_buf_len(b: usize): u32 { return bufLen(b); }
export function t_buf_value(b: usize, v: usize): void { bufValue(b, v); }
export function t_buf_number(b: usize, x: f64): void { bufNumber(b, x); }
export function t_buf_json_string(b: usize, p: usize, n: u32): void { bufJsonString(b, p, n); }
// Built against testing/stub-decide.ts (copied over policy/decide.ts by the harness).
export { stubTablePtr as t_table_ptr, stubTableLen as t_table_len } from "../policy/decide";
