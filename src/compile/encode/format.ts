// The policy table's binary format: the contract between the encoder (this folder, TypeScript) and
// the decision code in the module (src/compile/runtime/assembly/policy/, AssemblyScript). The AS
// side mirrors these numbers in policy/format.ts; test/compile/decide.format.test.ts checks that
// the two files agree, so change both together and bump TABLE_VERSION.
//
// Layout (little-endian; every offset is a byte offset from the table's start; sections start
// 8-byte aligned, word blocks 4-byte aligned, check records holding an f64 8-byte aligned).
// Blocks are deduplicated: equal words are stored once, whoever refers to them.
//   header      HEADER_WORDS u32 words (H below)
//   templates   [n, item × n]: item = string id, or a HOLE_* the module fills (reasons, decisions)
//   lists       [n, strId × n]: role names, audiences, …
//   checks      [op, key, …] per OP/W below; the max-age f64 at byte 16
//   programs    [n, checkOff × n]: a route's checks in report order
//   routes      [key strId, flags, program, shape strId, method, segments, nParams, (name strId, segment | PARAM_GREEDY) × nParams]
//   segments    [n, literal strId or SEG_NOT_LITERAL × n]: a route's template, to check a routeKey hit against the path
//   route dir   routeId → route offset
//   key index   open addressing, KEY_SLOT_BYTES per slot: (hash, routeId + 1); 0 = empty; routes with segments only
//   terminals   [methodMask, routeId + 1 per set bit, in bit order]; bit i = METHODS[i], ANY = bit 7
//   trie nodes  NODE_BYTES per node: (paramChild, greedyChild, terminalOff); node 0 = root, 0 = none
//   edge index  open addressing, EDGE_SLOT_BYTES per slot: (hash, parent, segment strId, child); child 0 = empty
//   values      strId × n: JSON texts of policy values, parsed once at module start
//   constants   template offset × CONST_COUNT: fixed decisions and input field names (CONSTS)
//   strings     bytes (WTF-8), then the directory: id → (offset, length)

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

export const KEY_SLOT_BYTES = 8;
export const EDGE_SLOT_BYTES = 16;
export const NODE_BYTES = 12;
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

/** Route record word indices. */
export const R = { KEY: 0, FLAGS: 1, PROGRAM: 2, SHAPE: 3, METHOD: 4, SEGMENTS: 5, PARAM_COUNT: 6, PARAMS: 7 } as const;
/** A `{param}` or `{greedy+}` slot in a route's segments block (string ids are smaller). */
export const SEG_NOT_LITERAL = 0xffffffff;
/** Segment kinds in a route's shape string (one byte per segment): compareRoutes' ranks. */
export const SHAPE = { literal: 0, param: 1, greedy: 2 } as const;

/** Method slot order in a terminal; ANY is last. Anything else a request sends matches only ANY. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export const METHOD_ANY = 7;
export const METHOD_COUNT = 8;

/** Check opcodes. Word 0 is the op, word 1 the claim key's string id, the rest per op (see W below). */
export const OP = {
  AUDIENCE: 1,
  ISSUER: 2,
  EMAIL: 3,
  LIST: 4,
  MFA: 5,
  TENANT_ONE_OF: 6,
  EQUALS_PARAM: 7,
  CLAIM_EXISTS: 8,
  CLAIM_EQUALS: 9,
  CLAIM_ANY_OF: 10,
  ANY_OF: 11,
} as const;

/**
 * Word indices inside check records. Failure fields (MISSING, WRONG_*, *_F, …) are template offsets
 * (NONE when the failure cannot happen). Max-age records keep `hasMaxAge` at word 2 and the f64 at
 * word 4 (byte 16, 8-aligned).
 */
export const W = {
  OP: 0,
  KEY: 1,
  // AUDIENCE, TENANT_ONE_OF: string list, missing, wrong type (1 hole: actual), wrong value (1 hole: actual)
  LIST: 2,
  MISSING: 3,
  WRONG_TYPE: 4,
  WRONG_VALUE: 5,
  // ISSUER: the expected string's id at 2, then MISSING / WRONG_TYPE / WRONG_VALUE as above
  EQUALS: 2,
  // EMAIL, LIST, MFA: max-age flag at 2, the f64 at words 4-5
  HAS_MAX_AGE: 2,
  MAX_AGE: 4,
  // EMAIL and LIST
  A_MISSING: 6,
  A_WT_OBJECT: 7,
  A_WT_VALUE: 8, // v not boolean (EMAIL) / not string[] (LIST); 1 hole
  A_WT_T_NONE: 9, // t absent or null: no actualValue
  A_WT_T: 10, // t not a number; 1 hole
  A_EXPIRED: 11, // 1 hole: ageInSeconds
  E_WRONG_VALUE: 12, // EMAIL: v === false
  L_ANY: 12, // LIST: string list or NONE, then its failure (1 hole: actual)
  L_ANY_F: 13,
  L_ALL: 14,
  L_ALL_F: 15,
  L_NONE: 16,
  L_NONE_F: 17,
  // MFA
  M_MODE: 3, // 0 `mfa: true`, 1 allOf factors, 2 anyOf factors
  M_REQUIRED: 6,
  M_WT_OBJECT: 7, // claim or c not an object; 1 hole
  M_WT_BOOLEAN: 8, // 1 hole
  M_WT_NUMBER: 9, // a factor's time not a number; 1 hole
  M_NONE_FRESH: 10, // anyOf: no factor completed (in time)
  M_FACTOR_COUNT: 11,
  M_FACTORS: 12, // (name, missing, expired (1 hole: ageInSeconds)) × count
  M_FACTOR_WORDS: 3,
  // EQUALS_PARAM: param name, no such param, missing (1 hole: param), wrong type (1 hole), wrong value (holes: param, actual)
  P_NAME: 2,
  P_NO_PARAM: 3,
  P_MISSING: 4,
  P_WRONG_TYPE: 5,
  P_WRONG_VALUE: 6,
  // CLAIM_EXISTS: missing
  X_MISSING: 2,
  // CLAIM_EQUALS: value slot, missing, wrong value (1 hole)
  Q_VALUE: 2,
  Q_MISSING: 3,
  Q_WRONG_VALUE: 4,
  // CLAIM_ANY_OF: missing, wrong value (1 hole), count, value slots
  Y_MISSING: 2,
  Y_WRONG_VALUE: 3,
  Y_COUNT: 4,
  Y_VALUES: 5,
  // ANY_OF: branch count, then program offsets
  B_COUNT: 1,
  B_PROGRAMS: 2,
} as const;

/** Fixed templates every table carries, by index in the constants section. */
export const CONSTS = [
  // whole decisions, or their head and tail around the reasons
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
  // single strings: input field names
  'K_REQUEST',
  'K_METHOD',
  'K_PATH',
  'K_ROUTE_KEY',
  'K_PATH_PARAMETERS',
  'K_TOKEN',
  'K_NOW',
  'K_DEFAULT',
  'K_V',
  'K_T',
  'K_C',
  // method names, METHODS order
  'M_GET',
  'M_POST',
  'M_PUT',
  'M_PATCH',
  'M_DELETE',
  'M_HEAD',
  'M_OPTIONS',
  'M_ANY',
] as const;
export type ConstName = (typeof CONSTS)[number];
export const C = Object.fromEntries(CONSTS.map((n, i) => [n, i])) as { readonly [K in ConstName]: number };

/** 32-bit FNV-1a. */
export function fnv1a(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** murmur3's finalizer: spreads FNV's weak low bits before masking. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export const keyHash = (bytes: Uint8Array): number => fmix32(fnv1a(bytes));
/** Literal edge (parent node, segment) → child: segHash is fnv1a of the segment bytes. */
export const edgeHash = (segHash: number, parent: number): number => fmix32(segHash ^ Math.imul(parent + 1, 0x9e3779b1));
