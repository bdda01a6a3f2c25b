// Mirror of src/compile/encode/format.ts (the policy table layout; read that file's header comment).
// test/compile/decide.format.test.ts parses this file and checks every number against the encoder's.

export const TABLE_MAGIC: u32 = 0x31544743;
export const TABLE_VERSION: u32 = 1;

// Header byte offsets (word index × 4).
export const H_MAGIC: u32 = 0 * 4;
export const H_VERSION: u32 = 1 * 4;
export const H_SIZE: u32 = 2 * 4;
export const H_ROUTE_COUNT: u32 = 3 * 4;
export const H_STR_DIR: u32 = 4 * 4;
export const H_STR_COUNT: u32 = 5 * 4;
export const H_ROUTES_DIR: u32 = 6 * 4;
export const H_KEY_INDEX: u32 = 7 * 4;
export const H_KEY_MASK: u32 = 8 * 4;
export const H_NODES: u32 = 9 * 4;
export const H_NODE_COUNT: u32 = 10 * 4;
export const H_EDGE_INDEX: u32 = 11 * 4;
export const H_EDGE_MASK: u32 = 12 * 4;
export const H_DEFAULT_ROUTE: u32 = 13 * 4;
export const H_VALUES: u32 = 14 * 4;
export const H_VALUE_COUNT: u32 = 15 * 4;
export const H_CONSTS: u32 = 16 * 4;
export const H_CONST_COUNT: u32 = 17 * 4;

export const KEY_SLOT_BYTES: u32 = 8;
export const EDGE_SLOT_BYTES: u32 = 16;
export const NODE_BYTES: u32 = 12;
export const PARAM_GREEDY: u32 = 0x80000000;
export const ROUTE_PUBLIC: u32 = 1;
export const ROUTE_ANY: u32 = 2;
export const NONE: u32 = 0;
export const HOLE_MIN: u32 = 0xfffffff0;
export const HOLE_VALUE: u32 = 0xffffffff;
export const HOLE_NUMBER: u32 = 0xfffffffe;
export const HOLE_PARAM: u32 = 0xfffffffd;
export const HOLE_ROUTE: u32 = 0xfffffffc;

// Route record byte offsets (word index × 4).
export const R_KEY: u32 = 0 * 4;
export const R_FLAGS: u32 = 1 * 4;
export const R_PROGRAM: u32 = 2 * 4;
export const R_SHAPE: u32 = 3 * 4;
export const R_PARAM_COUNT: u32 = 4 * 4;
export const R_PARAMS: u32 = 5 * 4;
export const METHOD_ANY: u32 = 7;
export const METHOD_COUNT: u32 = 8;

export const OP_AUDIENCE: u32 = 1;
export const OP_ISSUER: u32 = 2;
export const OP_EMAIL: u32 = 3;
export const OP_LIST: u32 = 4;
export const OP_MFA: u32 = 5;
export const OP_TENANT_ONE_OF: u32 = 6;
export const OP_EQUALS_PARAM: u32 = 7;
export const OP_CLAIM_EXISTS: u32 = 8;
export const OP_CLAIM_EQUALS: u32 = 9;
export const OP_CLAIM_ANY_OF: u32 = 10;
export const OP_ANY_OF: u32 = 11;

// Check record byte offsets (word index × 4).
export const W_KEY: u32 = 1 * 4;
export const W_LIST: u32 = 2 * 4;
export const W_MISSING: u32 = 3 * 4;
export const W_WRONG_TYPE: u32 = 4 * 4;
export const W_WRONG_VALUE: u32 = 5 * 4;
export const W_EQUALS: u32 = 2 * 4;
export const W_HAS_MAX_AGE: u32 = 2 * 4;
export const W_MAX_AGE: u32 = 4 * 4;
export const W_A_MISSING: u32 = 6 * 4;
export const W_A_WT_OBJECT: u32 = 7 * 4;
export const W_A_WT_VALUE: u32 = 8 * 4;
export const W_A_WT_T_NONE: u32 = 9 * 4;
export const W_A_WT_T: u32 = 10 * 4;
export const W_A_EXPIRED: u32 = 11 * 4;
export const W_E_WRONG_VALUE: u32 = 12 * 4;
export const W_L_ANY: u32 = 12 * 4;
export const W_L_ANY_F: u32 = 13 * 4;
export const W_L_ALL: u32 = 14 * 4;
export const W_L_ALL_F: u32 = 15 * 4;
export const W_L_NONE: u32 = 16 * 4;
export const W_L_NONE_F: u32 = 17 * 4;
export const W_M_MODE: u32 = 3 * 4;
export const W_M_REQUIRED: u32 = 6 * 4;
export const W_M_WT_OBJECT: u32 = 7 * 4;
export const W_M_WT_BOOLEAN: u32 = 8 * 4;
export const W_M_WT_NUMBER: u32 = 9 * 4;
export const W_M_NONE_FRESH: u32 = 10 * 4;
export const W_M_FACTOR_COUNT: u32 = 11 * 4;
export const W_M_FACTORS: u32 = 12 * 4;
export const W_M_FACTOR_WORDS: u32 = 3;
export const W_P_NAME: u32 = 2 * 4;
export const W_P_NO_PARAM: u32 = 3 * 4;
export const W_P_MISSING: u32 = 4 * 4;
export const W_P_WRONG_TYPE: u32 = 5 * 4;
export const W_P_WRONG_VALUE: u32 = 6 * 4;
export const W_X_MISSING: u32 = 2 * 4;
export const W_Q_VALUE: u32 = 2 * 4;
export const W_Q_MISSING: u32 = 3 * 4;
export const W_Q_WRONG_VALUE: u32 = 4 * 4;
export const W_Y_MISSING: u32 = 2 * 4;
export const W_Y_WRONG_VALUE: u32 = 3 * 4;
export const W_Y_COUNT: u32 = 4 * 4;
export const W_Y_VALUES: u32 = 5 * 4;
export const W_B_COUNT: u32 = 1 * 4;
export const W_B_PROGRAMS: u32 = 2 * 4;

// Constants section indices (CONSTS order in the encoder).
export const C_INPUT_NOT_OBJECT: u32 = 0;
export const C_REQUEST_NOT_OBJECT: u32 = 1;
export const C_METHOD_NOT_STRING: u32 = 2;
export const C_PATH_NOT_STRING: u32 = 3;
export const C_ROUTE_KEY_NOT_STRING: u32 = 4;
export const C_PATH_PARAMETERS_NOT_OBJECT: u32 = 5;
export const C_TOKEN_NOT_OBJECT: u32 = 6;
export const C_NOW_NOT_NUMBER: u32 = 7;
export const C_PATH_REJECTED: u32 = 8;
export const C_ROUTE_NOT_IN_POLICY: u32 = 9;
export const C_ALLOW: u32 = 10;
export const C_DENY_HEAD: u32 = 11;
export const C_DECISION_TAIL: u32 = 12;
export const C_TOKEN_MISSING: u32 = 13;
export const C_K_REQUEST: u32 = 14;
export const C_K_METHOD: u32 = 15;
export const C_K_PATH: u32 = 16;
export const C_K_ROUTE_KEY: u32 = 17;
export const C_K_PATH_PARAMETERS: u32 = 18;
export const C_K_TOKEN: u32 = 19;
export const C_K_NOW: u32 = 20;
export const C_K_DEFAULT: u32 = 21;
export const C_K_V: u32 = 22;
export const C_K_T: u32 = 23;
export const C_K_C: u32 = 24;
export const C_M_GET: u32 = 25;
export const C_COUNT: u32 = 33;
