// The OPA Wasm ABI 1.3 surface (reference/opa-wasm-abi.md §1–§2). Entry file of runtime.wasm.
// Imports: env.memory, env.opa_abort. Exports: the functions below, two globals, `memory`.
import { fatal } from "./env";
import {
  clearStash, free, heapInit, heapPtrGet, heapPtrSet, malloc, restoreBlocks, sealHeapFloor, stashBlocks,
} from "./alloc";
import { bufAscii, bufByte, bufNew, bufPtr, bufLen } from "./buf";
import { dumpValue } from "./dump";
import {
  TAG_ARRAY, TAG_OBJECT, TAG_STRING, arrayGet, arrayLen, newArray, newObject, newString,
  objectLastIndexOf, parseJson, parseValue, stringLen, stringPtr, TAG_SET, valueEquals,
} from "./value";
import { policyEval, policyInit } from "./policy/decide";
export { __claimguard_table_size, __claimguard_table_copy } from "./table";

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 3;

const ENTRYPOINT_COUNT: u32 = 2;

function parseAscii(s: string): usize {
  const b = bufNew(<u32>s.length);
  bufAscii(b, s);
  return parseJson(bufPtr(b), bufLen(b));
}

// Start function: everything allocated here lies below the host's data heap pointer.
heapInit();
const builtinsValue = parseAscii("{}");
const entrypointsValue = parseAscii('{"claimguard/decision":0,"claimguard/allow":1}');
policyInit();
sealHeapFloor();

export function builtins(): usize {
  return builtinsValue;
}

export function entrypoints(): usize {
  return entrypointsValue;
}

// ---------------------------------------------------------------------------------------------
// Heap

export function opa_malloc(n: usize): usize {
  return malloc(<u32>n);
}

export function opa_free(p: usize): void {
  free(p);
}

export function opa_heap_ptr_get(): usize {
  return heapPtrGet();
}

export function opa_heap_ptr_set(p: usize): void {
  heapPtrSet(p);
}

export function opa_heap_blocks_stash(): void {
  stashBlocks();
}

export function opa_heap_blocks_restore(): void {
  restoreBlocks();
}

export function opa_heap_stash_clear(): void {
  clearStash();
}

// ---------------------------------------------------------------------------------------------
// Parse and dump

export function opa_json_parse(p: usize, n: usize): usize {
  return parseJson(p, <u32>n);
}

export function opa_value_parse(p: usize, n: usize): usize {
  return parseValue(p, <u32>n);
}

function dumpZ(v: usize, rego: bool): usize {
  const b = bufNew(64);
  if (v == 0) bufAscii(b, "null");
  else dumpValue(b, v, rego);
  bufByte(b, 0);
  return bufPtr(b);
}

export function opa_json_dump(v: usize): usize {
  return dumpZ(v, false);
}

export function opa_value_dump(v: usize): usize {
  return dumpZ(v, true);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function evaluate(entrypoint: u32, input: usize, rego: bool, out: usize): void {
  if (entrypoint >= ENTRYPOINT_COUNT) fatal("internal: illegal entrypoint id");
  bufAscii(out, rego ? '{{"result":' : '[{"result":');
  policyEval(entrypoint, input, out);
  bufAscii(out, rego ? "}}" : "}]");
}

export function opa_eval(
  reserved: i32, entrypoint: i32, data: usize, input: usize, inputLen: usize, heapPtr: usize, format: i32,
): usize {
  if (reserved != 0) fatal("invalid reserved argument");
  heapPtrSet(heapPtr);
  const value: usize = inputLen == 0 ? 0 : parseValue(input, <u32>inputLen);
  const out = bufNew(256);
  evaluate(<u32>entrypoint, value, format != 0, out);
  bufByte(out, 0);
  return bufPtr(out);
}

// Context-based evaluation (ABI < 1.2 hosts). Layout: input@0 data@4 result@8 entrypoint@12.

export function opa_eval_ctx_new(): usize {
  const ctx = malloc(16);
  memory.fill(ctx, 0, 16);
  return ctx;
}

export function opa_eval_ctx_set_input(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v);
}

export function opa_eval_ctx_set_data(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v, 4);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, id: i32): void {
  store<u32>(ctx, <u32>id, 12);
}

export function opa_eval_ctx_get_result(ctx: usize): usize {
  return <usize>load<u32>(ctx, 8);
}

function evalCtx(ctx: usize): i32 {
  const out = bufNew(256);
  evaluate(load<u32>(ctx, 12), <usize>load<u32>(ctx), true, out);
  let result = parseValue(bufPtr(out), bufLen(out));
  if (result == 0) result = newArray(TAG_SET, 0, 0);
  free(bufPtr(out));
  free(out);
  store<u32>(ctx, <u32>result, 8);
  return 0;
}
export { evalCtx as eval };

// ---------------------------------------------------------------------------------------------
// Data patching

const ERR_OK: i32 = 0;
const ERR_INVALID_TYPE: i32 = 2;
const ERR_INVALID_PATH: i32 = 3;

function validPath(path: usize): bool {
  if (path == 0 || load<u32>(path) != TAG_ARRAY) return false;
  const n = arrayLen(path);
  if (n == 0) return false;
  for (let i: u32 = 0; i < n; i++) if (load<u32>(arrayGet(path, i)) != TAG_STRING) return false;
  return true;
}

function objectPut(obj: usize, key: usize, v: usize): void {
  const n = load<u32>(obj, 4);
  const cap = load<u32>(obj, 8);
  const entries = <usize>load<u32>(obj, 12);
  if (n == cap) {
    const newCap = cap < 4 ? 4 : cap << 1;
    const e = malloc(newCap << 3);
    memory.copy(e, entries, <usize>n << 3);
    if (entries != obj + 16) free(entries);
    store<u32>(obj, <u32>e, 12);
    store<u32>(obj, newCap, 8);
  }
  const slot = <usize>load<u32>(obj, 12) + (<usize>n << 3);
  store<u32>(slot, <u32>key);
  store<u32>(slot, <u32>v, 4);
  store<u32>(obj, n + 1, 4);
}

export function opa_value_add_path(base: usize, path: usize, v: usize): i32 {
  if (!validPath(path)) return ERR_INVALID_PATH;
  if (base == 0) return ERR_INVALID_TYPE;
  const n = arrayLen(path);
  let cur = base;
  for (let i: u32 = 0; i < n; i++) {
    if (load<u32>(cur) != TAG_OBJECT) return ERR_INVALID_TYPE;
    const k = arrayGet(path, i);
    const j = objectLastIndexOf(cur, k);
    const slot: usize = j < 0 ? 0 : <usize>load<u32>(cur, 12) + (<usize>j << 3);
    if (i == n - 1) {
      if (slot != 0) {
        const old = <usize>load<u32>(slot, 4);
        store<u32>(slot, <u32>v, 4);
        if (old != v) opa_value_free(old);
      } else {
        objectPut(cur, newString(stringPtr(k), stringLen(k)), v);
      }
      return ERR_OK;
    }
    if (slot != 0) {
      cur = <usize>load<u32>(slot, 4);
    } else {
      const child = newObject(0, 0, 4);
      objectPut(cur, newString(stringPtr(k), stringLen(k)), child);
      cur = child;
    }
  }
  return ERR_OK;
}

export function opa_value_remove_path(base: usize, path: usize): i32 {
  if (!validPath(path)) return ERR_INVALID_PATH;
  if (base == 0) return ERR_INVALID_TYPE;
  const n = arrayLen(path);
  let cur = base;
  for (let i: u32 = 0; i < n; i++) {
    if (load<u32>(cur) != TAG_OBJECT) return i == 0 ? ERR_INVALID_TYPE : ERR_OK;
    const k = arrayGet(path, i);
    const j = objectLastIndexOf(cur, k);
    if (j < 0) return ERR_OK;
    if (i == n - 1) {
      // Remove every entry with this key (duplicates included), keeping the order of the rest.
      const len = load<u32>(cur, 4);
      const entries = <usize>load<u32>(cur, 12);
      let w: u32 = 0;
      for (let r: u32 = 0; r < len; r++) {
        const e = entries + (<usize>r << 3);
        if (valueEquals(<usize>load<u32>(e), k)) continue;
        store<u64>(entries + (<usize>w << 3), load<u64>(e));
        w++;
      }
      store<u32>(cur, w, 4);
      return ERR_OK;
    }
    cur = <usize>load<u32>(<usize>load<u32>(cur, 12) + (<usize>j << 3), 4);
  }
  return ERR_OK;
}

/** Frees a value and everything it owns. */
export function opa_value_free(v: usize): void {
  if (v == 0) return;
  const t = load<u32>(v);
  if (t == TAG_ARRAY || t == TAG_SET) {
    const n = load<u32>(v, 4);
    const items = <usize>load<u32>(v, 12);
    for (let i: u32 = 0; i < n; i++) opa_value_free(<usize>load<u32>(items + (<usize>i << 2)));
    if (items != v + 16) free(items);
  } else if (t == TAG_OBJECT) {
    const n = load<u32>(v, 4);
    const entries = <usize>load<u32>(v, 12);
    for (let i: u32 = 0; i < n; i++) {
      opa_value_free(<usize>load<u32>(entries + (<usize>i << 3)));
      opa_value_free(<usize>load<u32>(entries + (<usize>i << 3), 4));
    }
    if (entries != v + 16) free(entries);
  }
  free(v);
}
