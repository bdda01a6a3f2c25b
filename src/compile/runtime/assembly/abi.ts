// The OPA Wasm ABI 1.3 surface (docs/runtime.md, "ABI surface"). Entry file of runtime.wasm.
// Imports: env.memory, env.opa_abort. Exports: the functions below, two globals, `memory`.
import { fatal } from "./env";
import {
  clearStash, free, heapInit, heapPtrGet, heapPtrSet, malloc, restoreBlocks, sealHeapFloor, stashBlocks,
} from "./alloc";
import { bufAscii, bufByte, bufNew, bufPtr, bufLen } from "./buf";
import { dumpValue } from "./dump";
import {
  TAG_ARRAY, TAG_OBJECT, TAG_SET, TAG_STRING, arrayGet, arrayLen, containerCap, containerInline, containerItems,
  containerLen, copyEntry, entryAt, entryKey, entryValue, itemAt, newArray, newObject, newString, objectLastIndexOf,
  parseJson, parseValue, setContainerLen, setContainerStorage, setEntry, setEntryValue, stringLen, stringPtr,
  valueEquals, valueTag, ENTRY_BYTES,
} from "./value";
import { ENTRYPOINTS_JSON, ENTRYPOINT_COUNT } from "./entrypoints";
import { policyEval, policyInit } from "./policy/decide";
export { __claimguard_table_size, __claimguard_table_copy } from "./table";

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 3;

function parseAscii(s: string): usize {
  const b = bufNew(<u32>s.length);
  bufAscii(b, s);
  return parseJson(bufPtr(b), bufLen(b));
}

// Start function: everything allocated here lies below the host's data heap pointer.
heapInit();
const builtinsValue = parseAscii("{}");
const entrypointsValue = parseAscii(ENTRYPOINTS_JSON);
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

// Context-based evaluation (ABI < 1.2 hosts): the host makes a context, sets its fields, calls
// `eval`, reads the result (a value: the result set).

// @ts-ignore: decorator
@unmanaged class EvalContext {
  input: usize;
  data: usize;
  result: usize;
  entrypoint: u32;
}

export function opa_eval_ctx_new(): usize {
  const ctx = malloc(offsetof<EvalContext>());
  memory.fill(ctx, 0, offsetof<EvalContext>());
  return ctx;
}

export function opa_eval_ctx_set_input(ctx: usize, v: usize): void {
  changetype<EvalContext>(ctx).input = v;
}

export function opa_eval_ctx_set_data(ctx: usize, v: usize): void {
  changetype<EvalContext>(ctx).data = v;
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, id: i32): void {
  changetype<EvalContext>(ctx).entrypoint = <u32>id;
}

export function opa_eval_ctx_get_result(ctx: usize): usize {
  return changetype<EvalContext>(ctx).result;
}

function evalCtx(ctx: usize): i32 {
  const c = changetype<EvalContext>(ctx);
  const out = bufNew(256);
  evaluate(c.entrypoint, c.input, true, out);
  let result = parseValue(bufPtr(out), bufLen(out));
  if (result == 0) result = newArray(TAG_SET, 0, 0);
  free(bufPtr(out));
  free(out);
  c.result = result;
  return 0;
}
export { evalCtx as eval };

// ---------------------------------------------------------------------------------------------
// Data patching

const ERR_OK: i32 = 0;
const ERR_INVALID_TYPE: i32 = 2;
const ERR_INVALID_PATH: i32 = 3;

function validPath(path: usize): bool {
  if (path == 0 || valueTag(path) != TAG_ARRAY) return false;
  const n = arrayLen(path);
  if (n == 0) return false;
  for (let i: u32 = 0; i < n; i++) if (valueTag(arrayGet(path, i)) != TAG_STRING) return false;
  return true;
}

function objectPut(obj: usize, key: usize, v: usize): void {
  const n = containerLen(obj);
  const cap = containerCap(obj);
  const entries = containerItems(obj);
  if (n == cap) {
    const newCap = cap < 4 ? 4 : cap << 1;
    const e = malloc(newCap * ENTRY_BYTES);
    memory.copy(e, entries, <usize>n * ENTRY_BYTES);
    if (entries != containerInline(obj)) free(entries);
    setContainerStorage(obj, e, newCap);
  }
  setEntry(entryAt(containerItems(obj), n), key, v);
  setContainerLen(obj, n + 1);
}

export function opa_value_add_path(base: usize, path: usize, v: usize): i32 {
  if (!validPath(path)) return ERR_INVALID_PATH;
  if (base == 0) return ERR_INVALID_TYPE;
  const n = arrayLen(path);
  let cur = base;
  for (let i: u32 = 0; i < n; i++) {
    if (valueTag(cur) != TAG_OBJECT) return ERR_INVALID_TYPE;
    const k = arrayGet(path, i);
    const j = objectLastIndexOf(cur, k);
    const slot: usize = j < 0 ? 0 : entryAt(containerItems(cur), <u32>j);
    if (i == n - 1) {
      if (slot != 0) {
        const old = entryValue(slot);
        setEntryValue(slot, v);
        if (old != v) opa_value_free(old);
      } else {
        objectPut(cur, newString(stringPtr(k), stringLen(k)), v);
      }
      return ERR_OK;
    }
    if (slot != 0) {
      cur = entryValue(slot);
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
    if (valueTag(cur) != TAG_OBJECT) return i == 0 ? ERR_INVALID_TYPE : ERR_OK;
    const k = arrayGet(path, i);
    const j = objectLastIndexOf(cur, k);
    if (j < 0) return ERR_OK;
    if (i == n - 1) {
      // Remove every entry with this key (duplicates included), keeping the order of the rest.
      const len = containerLen(cur);
      const entries = containerItems(cur);
      let w: u32 = 0;
      for (let r: u32 = 0; r < len; r++) {
        const e = entryAt(entries, r);
        if (valueEquals(entryKey(e), k)) continue;
        copyEntry(entryAt(entries, w), e);
        w++;
      }
      setContainerLen(cur, w);
      return ERR_OK;
    }
    cur = entryValue(entryAt(containerItems(cur), <u32>j));
  }
  return ERR_OK;
}

/** Frees a value and everything it owns. */
export function opa_value_free(v: usize): void {
  if (v == 0) return;
  const t = valueTag(v);
  if (t == TAG_ARRAY || t == TAG_SET) {
    const n = containerLen(v);
    const items = containerItems(v);
    for (let i: u32 = 0; i < n; i++) opa_value_free(itemAt(items, i));
    if (items != containerInline(v)) free(items);
  } else if (t == TAG_OBJECT) {
    const n = containerLen(v);
    const entries = containerItems(v);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(entries, i);
      opa_value_free(entryKey(e));
      opa_value_free(entryValue(e));
    }
    if (entries != containerInline(v)) free(entries);
  }
  free(v);
}
