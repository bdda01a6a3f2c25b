// The policy table's binary format: the contract between the encoder (this folder, TypeScript) and
// the decision code in the module (src/compile/runtime/assembly/policy/, AssemblyScript). This file
// and checks.ts (the check records) are its one definition: the module's view of it,
// policy/format.ts, is generated from them by scripts/gen-runtime-constants.ts, and
// test/compile/decide.format.test.ts fails when that file is stale. Bump TABLE_VERSION on any change.
// docs/runtime.md describes the format in prose.
//
// Layout (little-endian; every offset is a byte offset from the table's start; sections start
// 8-byte aligned, word blocks 4-byte aligned, check records holding an f64 8-byte aligned).
// Blocks are deduplicated: equal words are stored once, whoever refers to them.
//   header      HEADER_WORDS u32 words (H below)
//   templates   [n, item × n]: item = string id, or a HOLE_* the module fills (reasons, decisions)
//   lists       [n, strId × n]: role names, audiences, …
//   checks      [op, key, …] per OP/W in checks.ts; the max-age f64 at byte 16
//   programs    [n, checkOff × n]: a route's checks in report order
//   routes      [key strId, flags, program, shape strId, method, segments, nParams, (name strId, segment | PARAM_GREEDY) × nParams]
//   segments    [n, literal strId or SEG_NOT_LITERAL × n]: a route's template, to check a routeKey hit against the path
//   route dir   routeId → route offset
//   key index   open addressing, KEY_SLOT words per slot: (hash, routeId + 1); 0 = empty; routes with segments only
//   terminals   [methodMask, routeId + 1 per set bit, in bit order]; bit i = HTTP_METHODS[i], ANY = bit 7
//   trie nodes  NODE words per node: (paramChild, greedyChild, terminalOff); node 0 = root, 0 = none
//   edge index  open addressing, EDGE_SLOT words per slot: (hash, parent, segment strId, child); child 0 = empty
//   values      strId × n: JSON texts of policy values, parsed once at module start
//   constants   template offset × CONST_COUNT: fixed decisions and input field names (CONSTS)
//   strings     bytes (WTF-8), then the directory: id → (offset, length)
import { HTTP_METHODS, type HttpMethod } from '../../policy/ir.js';
import { DEFAULT_ROUTE_KEY } from '../../policy/route-key.js';

export const TABLE_MAGIC = 0x31544743; // 'CGT1'
export const TABLE_VERSION = 2;

/** Header word indices. */
export const H = {
  MAGIC: 0,
  VERSION: 1,
  SIZE: 2,
  ROUTE_COUNT: 3,
  STR_DIR: 4,
  STR_COUNT: 5,
  ROUTES_DIR: 6,
  KEY_INDEX: 7,
  KEY_MASK: 8,
  NODES: 9,
  NODE_COUNT: 10,
  EDGE_INDEX: 11,
  EDGE_MASK: 12,
  DEFAULT_ROUTE: 13,
  VALUES: 14,
  VALUE_COUNT: 15,
  CONSTS: 16,
  CONST_COUNT: 17,
} as const;
export const HEADER_WORDS = 20;

/** Size of a fixed record whose words a layout object names. */
const bytesOf = (layout: Readonly<Record<string, number>>): number => Object.keys(layout).length * 4;

/** A block (template, list, program, segments): a count, then that many u32 items. */
export const BLOCK = { COUNT: 0, ITEMS: 1 } as const;
/** String directory entry words, per string id. */
export const STR_ENTRY = { OFFSET: 0, LENGTH: 1 } as const;
export const STR_ENTRY_BYTES = bytesOf(STR_ENTRY);
/** routeKey index slot words; ROUTE 0 marks an empty slot. */
export const KEY_SLOT = { HASH: 0, ROUTE: 1 } as const;
export const KEY_SLOT_BYTES = bytesOf(KEY_SLOT);
/** Literal edge index slot words; CHILD 0 marks an empty slot (the root is never a child). */
export const EDGE_SLOT = { HASH: 0, PARENT: 1, SEGMENT: 2, CHILD: 3 } as const;
export const EDGE_SLOT_BYTES = bytesOf(EDGE_SLOT);
/** Trie node words: child node ids (0 = none) and the terminal's offset (0 = none). */
export const NODE = { PARAM: 0, GREEDY: 1, TERMINAL: 2 } as const;
export const NODE_BYTES = bytesOf(NODE);
/** Terminal words: a method mask, then route id + 1 for each set bit, in bit order. */
export const TERMINAL = { MASK: 0, ROUTES: 1 } as const;
/** Route param entry: segment index, or'ed with GREEDY for `{name+}` (captures the rest of the path). */
export const PARAM_GREEDY = 0x80000000;
export const ROUTE_PUBLIC = 1;
/** The route's method is ANY (an exact method ranks before it). */
export const ROUTE_ANY = 2;
/** A list or template offset meaning "not set" (offset 0 is the header, never a block). */
export const NONE = 0;

/** Template items ≥ HOLE_MIN are holes. */
export const HOLE_MIN = 0xfffffff0;
export const HOLE_VALUE = 0xffffffff; // the JSON of the value seen (bufValue)
export const HOLE_NUMBER = 0xfffffffe; // a computed number (bufNumber)
export const HOLE_PARAM = 0xfffffffd; // the path parameter, as a JSON string
export const HOLE_ROUTE = 0xfffffffc; // the matched route's key, as a JSON string

/** Route record word indices; PARAMS holds (name strId, segment index | PARAM_GREEDY) pairs. */
export const R = { KEY: 0, FLAGS: 1, PROGRAM: 2, SHAPE: 3, METHOD: 4, SEGMENTS: 5, PARAM_COUNT: 6, PARAMS: 7 } as const;
/** A route's parameter entry words. */
export const PARAM_ENTRY = { NAME: 0, SEGMENT: 1 } as const;
export const PARAM_ENTRY_BYTES = bytesOf(PARAM_ENTRY);
/** A `{param}` or `{greedy+}` slot in a route's segments block (string ids are smaller). */
export const SEG_NOT_LITERAL = 0xffffffff;
/** Segment kinds in a route's shape string (one byte per segment): compareRoutes' ranks. */
export const SHAPE = { literal: 0, param: 1, greedy: 2 } as const;

/**
 * Method slots of a terminal and a route's METHOD word: HTTP_METHODS order, ANY last. A request
 * method that is none of them matches only ANY routes.
 */
export const METHODS = HTTP_METHODS;
export const METHOD_ANY = HTTP_METHODS.indexOf('ANY');
export const METHOD_COUNT = HTTP_METHODS.length;

/** Whole decisions, or their head and tail around the reasons (templates: reasons.ts). */
export const DECISION_CONSTS = [
  'INPUT_NOT_OBJECT',
  'REQUEST_NOT_OBJECT',
  'METHOD_NOT_STRING',
  'PATH_NOT_STRING',
  'ROUTE_KEY_NOT_STRING',
  'PATH_PARAMETERS_NOT_OBJECT',
  'TOKEN_NOT_OBJECT',
  'NOW_NOT_NUMBER',
  'PATH_REJECTED',
  'ROUTE_NOT_IN_POLICY',
  'ROUTE_MISMATCH',
  'HEAD_ALLOW',
  'HEAD_DENY',
  'HEAD_UNAUTHORIZED',
  'FINER_HEAD',
  'TAIL_ALLOW',
  'REASONS_HEAD',
  'DECISION_TAIL',
  'TAIL_TOKEN_MISSING',
] as const;
export type DecisionConst = (typeof DECISION_CONSTS)[number];

/** Single strings the module looks up: input field names, claim members, the `$default` key. */
export const NAME_CONSTS = {
  K_REQUEST: 'request',
  K_METHOD: 'method',
  K_PATH: 'path',
  K_ROUTE_KEY: 'routeKey',
  K_PATH_PARAMETERS: 'pathParameters',
  K_TOKEN: 'token',
  K_NOW: 'now',
  K_DEFAULT: DEFAULT_ROUTE_KEY,
  K_V: 'v',
  K_T: 't',
  K_C: 'c',
} as const;
type NameConst = keyof typeof NAME_CONSTS;
type MethodConst = `M_${HttpMethod}`;

/** Method names, METHODS order (consecutive: the module finds a request's slot from M_GET on). */
const METHOD_CONSTS: readonly MethodConst[] = HTTP_METHODS.map((m): MethodConst => `M_${m}`);

/** Fixed templates every table carries, by index in the constants section. */
export type ConstName = DecisionConst | NameConst | MethodConst;
export const CONSTS: readonly ConstName[] = [...DECISION_CONSTS, ...(Object.keys(NAME_CONSTS) as NameConst[]), ...METHOD_CONSTS];
export const C = Object.fromEntries(CONSTS.map((n, i) => [n, i])) as { readonly [K in ConstName]: number };

/** FNV-1a (32-bit) and murmur3's finalizer: the key and edge indexes' hashes. */
export const HASH = {
  FNV_OFFSET: 0x811c9dc5,
  FNV_PRIME: 0x01000193,
  FMIX_1: 0x85ebca6b,
  FMIX_2: 0xc2b2ae35,
  /** Spreads the parent node id into a literal edge's hash. */
  EDGE_PARENT: 0x9e3779b1,
} as const;

/** 32-bit FNV-1a. */
export function fnv1a(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let h: number = HASH.FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, HASH.FNV_PRIME);
  return h >>> 0;
}

/** murmur3's finalizer: spreads FNV's weak low bits before masking. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, HASH.FMIX_1);
  x ^= x >>> 13;
  x = Math.imul(x, HASH.FMIX_2);
  x ^= x >>> 16;
  return x >>> 0;
}

export const keyHash = (bytes: Uint8Array): number => fmix32(fnv1a(bytes));
/** Literal edge (parent node, segment) → child: segHash is fnv1a of the segment bytes. */
export const edgeHash = (segHash: number, parent: number): number => fmix32(segHash ^ Math.imul(parent + 1, HASH.EDGE_PARENT));
