// The policy table (written by src/compile/encode; format.ts, generated from the encoder, has its
// layout), copied once by policyInit into persistent heap memory and read only through the
// accessors below. The section addresses are set once, at module start, and never change after.
import { malloc } from "../alloc";
import { DEBUG } from "../debug";
import { fatal } from "../env";
import { bytesEqual, parseJson } from "../value";
import { __claimguard_table_copy, __claimguard_table_size } from "../table";
import * as F from "./format";
import { fmix32, fnv1a } from "./hash";

let base: usize = 0;
let tableSize: u32 = 0;
let strDir: usize = 0;
let strCount: u32 = 0;
let consts: usize = 0;
let routesDir: usize = 0;
let routeCount: u32 = 0;
let keyIndex: usize = 0;
let keyMask: u32 = 0;
let nodes: usize = 0;
let nodeCount: u32 = 0;
let edgeIndex: usize = 0;
let edgeMask: u32 = 0;
let defaultRouteId: u32 = 0;
/** Parsed policy values (claims equals/anyOf), one value address per slot. */
let values: usize = 0;

// @ts-ignore: decorator
@inline function header(off: u32): u32 {
  return load<u32>(base + off);
}

// The linker replaces the two placeholders' bodies, so no copy of them may be inlined here. binaryen
// inlines small direct callees whatever their bodies say; calling through function references it
// cannot resolve (mutable globals, loaded at run time) keeps the calls real.
let tableSizeFn: () => usize = __claimguard_table_size;
let tableCopyFn: (dst: usize) => void = __claimguard_table_copy;

/** Start function: copies the linked table to the heap, checks its header, parses its values. */
export function policyInit(): void {
  const size = <u32>tableSizeFn();
  if (size < F.HEADER_BYTES) fatal("claimguard: policy table missing");
  base = malloc(size);
  tableSize = size;
  tableCopyFn(base);
  if (header(F.H_MAGIC) != F.TABLE_MAGIC || header(F.H_VERSION) != F.TABLE_VERSION || header(F.H_SIZE) != size) {
    fatal("claimguard: policy table version mismatch");
  }
  if (header(F.H_CONST_COUNT) != F.C_COUNT) fatal("claimguard: policy table constants mismatch");
  strDir = at(header(F.H_STR_DIR));
  strCount = header(F.H_STR_COUNT);
  consts = at(header(F.H_CONSTS));
  routesDir = at(header(F.H_ROUTES_DIR));
  routeCount = header(F.H_ROUTE_COUNT);
  keyIndex = at(header(F.H_KEY_INDEX));
  keyMask = header(F.H_KEY_MASK);
  nodes = at(header(F.H_NODES));
  nodeCount = header(F.H_NODE_COUNT);
  edgeIndex = at(header(F.H_EDGE_INDEX));
  edgeMask = header(F.H_EDGE_MASK);
  defaultRouteId = header(F.H_DEFAULT_ROUTE);
  if (DEBUG) {
    assert(strDir + <usize>strCount * F.STR_ENTRY_BYTES <= base + size, "table: string directory out of bounds");
    assert(keyIndex + (<usize>keyMask + 1) * F.KEY_SLOT_BYTES <= base + size, "table: key index out of bounds");
    assert(edgeIndex + (<usize>edgeMask + 1) * F.EDGE_SLOT_BYTES <= base + size, "table: edge index out of bounds");
    assert(nodes + <usize>nodeCount * F.NODE_BYTES <= base + size, "table: trie out of bounds");
    assert(defaultRouteId <= routeCount, "table: default route out of range");
  }
  const n = header(F.H_VALUE_COUNT);
  const texts = at(header(F.H_VALUES));
  values = malloc(n << 2);
  for (let i: u32 = 0; i < n; i++) {
    const id = load<u32>(texts + (<usize>i << 2));
    const v = parseJson(str(id), strLen(id));
    if (v == 0) fatal("claimguard: policy value does not parse");
    store<u32>(values + (<usize>i << 2), <u32>v);
  }
}

/** The address of a table offset (a block, a record). */
// @ts-ignore: decorator
@inline export function at(off: u32): usize {
  if (DEBUG) assert(off < tableSize, "table: offset out of bounds");
  return base + <usize>off;
}

// ---------------------------------------------------------------------------------------------
// Strings and blocks

// @ts-ignore: decorator
@inline function strEntry(id: u32): usize {
  if (DEBUG) assert(id < strCount, "table: string id out of range");
  return strDir + <usize>id * F.STR_ENTRY_BYTES;
}
/** A table string's bytes. */
// @ts-ignore: decorator
@inline export function str(id: u32): usize {
  return base + <usize>load<u32>(strEntry(id), F.STR_ENTRY_OFFSET);
}
// @ts-ignore: decorator
@inline export function strLen(id: u32): u32 {
  return load<u32>(strEntry(id), F.STR_ENTRY_LENGTH);
}
/** The bytes at `p` are the table string `id`. */
// @ts-ignore: decorator
@inline export function strEquals(id: u32, p: usize, n: u32): bool {
  return bytesEqual(str(id), strLen(id), p, n);
}

/** A block's item count (templates, lists, programs, segments). */
// @ts-ignore: decorator
@inline export function blockCount(block: usize): u32 {
  return load<u32>(block, F.BLOCK_COUNT);
}
/** A block's item `i`. */
// @ts-ignore: decorator
@inline export function blockItem(block: usize, i: u32): u32 {
  if (DEBUG) assert(i < blockCount(block), "table: block item out of range");
  return load<u32>(block + F.BLOCK_ITEMS + (<usize>i << 2));
}

/** Offset of constant k's template. */
// @ts-ignore: decorator
@inline export function constTemplate(k: u32): u32 {
  if (DEBUG) assert(k < F.C_COUNT, "table: constant out of range");
  return load<u32>(consts + (<usize>k << 2));
}
/** String id of a single-string constant (an input field name, a method). */
// @ts-ignore: decorator
@inline export function constId(k: u32): u32 {
  return blockItem(at(constTemplate(k)), 0);
}
/** The bytes at `p` are the single-string constant k. */
export function constEquals(k: u32, p: usize, n: u32): bool {
  return strEquals(constId(k), p, n);
}

/** A policy value (claims equals/anyOf) by its slot. */
// @ts-ignore: decorator
@inline export function policyValue(slot: u32): usize {
  return <usize>load<u32>(values + (<usize>slot << 2));
}

// ---------------------------------------------------------------------------------------------
// Routes

/** A route's record by id + 1. */
// @ts-ignore: decorator
@inline export function routeRecord(id1: u32): usize {
  if (DEBUG) assert(id1 >= 1 && id1 <= routeCount, "table: route id out of range");
  return at(load<u32>(routesDir + (<usize>(id1 - 1) << 2)));
}
/** The `$default` route's id + 1, 0 when the policy has none. */
// @ts-ignore: decorator
@inline export function defaultRoute(): u32 {
  return defaultRouteId;
}
// @ts-ignore: decorator
@inline export function routeKey(rec: usize): u32 {
  return load<u32>(rec, F.R_KEY);
}
// @ts-ignore: decorator
@inline export function isPublic(rec: usize): bool {
  return (load<u32>(rec, F.R_FLAGS) & F.ROUTE_PUBLIC) != 0;
}
// @ts-ignore: decorator
@inline export function isAnyMethod(rec: usize): bool {
  return (load<u32>(rec, F.R_FLAGS) & F.ROUTE_ANY) != 0;
}
/** The method slot a route names. */
// @ts-ignore: decorator
@inline export function routeMethod(rec: usize): u32 {
  return load<u32>(rec, F.R_METHOD);
}
/** The route's checks: a program block's offset (protected routes only). */
// @ts-ignore: decorator
@inline export function routeProgram(rec: usize): u32 {
  return load<u32>(rec, F.R_PROGRAM);
}
/** The string id of the route's shape: one SHAPE_* byte per segment. */
// @ts-ignore: decorator
@inline export function routeShape(rec: usize): u32 {
  return load<u32>(rec, F.R_SHAPE);
}
/** The route's segments block: a literal's string id, or SEG_NOT_LITERAL, per segment. */
// @ts-ignore: decorator
@inline export function routeSegments(rec: usize): usize {
  return at(load<u32>(rec, F.R_SEGMENTS));
}
// @ts-ignore: decorator
@inline export function routeParamCount(rec: usize): u32 {
  return load<u32>(rec, F.R_PARAM_COUNT);
}
/** The address of the route's parameter entry j (PARAM_ENTRY_*). */
// @ts-ignore: decorator
@inline export function routeParam(rec: usize, j: u32): usize {
  if (DEBUG) assert(j < routeParamCount(rec), "table: route parameter out of range");
  return rec + F.R_PARAMS + <usize>j * F.PARAM_ENTRY_BYTES;
}

// ---------------------------------------------------------------------------------------------
// The routeKey index and the path trie

/** Route id + 1 whose key is exactly these bytes, or 0. */
export function keyLookup(p: usize, n: u32): u32 {
  const h = fmix32(fnv1a(p, n));
  let i = h & keyMask;
  for (let probes: u32 = 0; ; probes++) {
    if (DEBUG) assert(probes <= keyMask, "table: key index has no empty slot");
    const slot = keyIndex + <usize>i * F.KEY_SLOT_BYTES;
    const r = load<u32>(slot, F.KEY_SLOT_ROUTE);
    if (r == 0) return 0;
    if (load<u32>(slot, F.KEY_SLOT_HASH) == h && strEquals(routeKey(routeRecord(r)), p, n)) return r;
    i = (i + 1) & keyMask;
  }
  return 0;
}

/** The child of trie node `node` along the literal segment (p, n) whose fnv1a is `segHash`; 0 if none. */
export function literalChild(node: u32, p: usize, n: u32, segHash: u32): u32 {
  const h = fmix32(segHash ^ ((node + 1) * F.HASH_EDGE_PARENT));
  let i = h & edgeMask;
  for (let probes: u32 = 0; ; probes++) {
    if (DEBUG) assert(probes <= edgeMask, "table: edge index has no empty slot");
    const slot = edgeIndex + <usize>i * F.EDGE_SLOT_BYTES;
    const child = load<u32>(slot, F.EDGE_SLOT_CHILD);
    if (child == 0) return 0;
    if (load<u32>(slot, F.EDGE_SLOT_HASH) == h && load<u32>(slot, F.EDGE_SLOT_PARENT) == node) {
      if (strEquals(load<u32>(slot, F.EDGE_SLOT_SEGMENT), p, n)) return child;
    }
    i = (i + 1) & edgeMask;
  }
  return 0;
}

// @ts-ignore: decorator
@inline function nodeRecord(node: u32): usize {
  if (DEBUG) assert(node < nodeCount, "table: trie node out of range");
  return nodes + <usize>node * F.NODE_BYTES;
}
/** The node's `{param}` child, 0 if none. */
// @ts-ignore: decorator
@inline export function paramChild(node: u32): u32 {
  return load<u32>(nodeRecord(node), F.NODE_PARAM);
}
/** The node's `{greedy+}` child, 0 if none. */
// @ts-ignore: decorator
@inline export function greedyChild(node: u32): u32 {
  return load<u32>(nodeRecord(node), F.NODE_GREEDY);
}
/** The routes ending at the node (a terminal's address), 0 if none. */
// @ts-ignore: decorator
@inline export function terminalOf(node: u32): usize {
  const off = load<u32>(nodeRecord(node), F.NODE_TERMINAL);
  return off == 0 ? 0 : at(off);
}
/** The terminal's route (id + 1) for method slot `m`, 0 if none. */
// @ts-ignore: decorator
@inline export function terminalRoute(t: usize, m: u32): u32 {
  const mask = load<u32>(t, F.TERMINAL_MASK);
  if ((mask & (1 << m)) == 0) return 0;
  // Route ids follow the mask, one per set bit in bit order.
  return load<u32>(t + F.TERMINAL_ROUTES + (<usize>popcnt(mask & ((1 << m) - 1)) << 2));
}
