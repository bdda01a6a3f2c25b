// IR → the policy table the module's decision code reads (format.ts has the byte layout).
// Everything a decision needs that does not depend on the request is computed here: route index,
// path trie, check programs, and the JSON text of every reason, so the module mostly copies bytes.
import { ClaimguardError } from '../../errors.js';
import type { Check, IRRoute, JsonValue, PolicyIR } from '../../policy/ir.js';
import { W, encodeCheck, type RecordWriter } from './checks.js';
import {
  C,
  CONSTS,
  DECISION_CONSTS,
  EDGE_SLOT,
  EDGE_SLOT_BYTES,
  H,
  HEADER_WORDS,
  HOLE_NUMBER,
  HOLE_PARAM,
  HOLE_ROUTE,
  HOLE_VALUE,
  KEY_SLOT,
  KEY_SLOT_BYTES,
  METHOD_ANY,
  METHOD_COUNT,
  METHODS,
  NAME_CONSTS,
  NODE_BYTES,
  NONE,
  PARAM_GREEDY,
  R,
  ROUTE_ANY,
  ROUTE_PUBLIC,
  SEG_NOT_LITERAL,
  SHAPE,
  TABLE_MAGIC,
  TABLE_VERSION,
  edgeHash,
  fnv1a,
  keyHash,
  type ConstName,
} from './format.js';
import { DECISION_TEMPLATES, type Hole, type Template } from './reasons.js';
import { wtf8 } from './wtf8.js';

export type PolicyEncodeErrorCode = 'IR_INVALID';

/** The IR cannot be honoured by the module (the loader never produces such IR). */
export class PolicyEncodeError extends ClaimguardError<PolicyEncodeErrorCode> {
  override readonly name = 'PolicyEncodeError';

  constructor(message: string) {
    super('IR_INVALID', message);
  }
}

/** Growable little-endian byte writer. */
class Writer {
  bytes = new Uint8Array(1 << 16);
  view = new DataView(this.bytes.buffer);
  pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
  /** Pads to a multiple of `to` (8 for sections and f64 records, 4 for word blocks). */
  align(to: 4 | 8 = 8): number {
    const pad = (to - (this.pos & (to - 1))) & (to - 1);
    this.reserve(pad);
    this.bytes.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
    return this.pos;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }
  zeros(n: number): number {
    this.reserve(n);
    const at = this.pos;
    this.bytes.fill(0, at, at + n);
    this.pos += n;
    return at;
  }
  setU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }
  getU32(at: number): number {
    return this.view.getUint32(at, true);
  }
  finish(): Uint8Array {
    this.align();
    return this.bytes.slice(0, this.pos);
  }
}

interface TrieNode {
  id: number;
  readonly literal: Map<string, TrieNode>;
  param: TrieNode | null;
  greedy: TrieNode | null;
  terminals: number[] | null;
}

const newNode = (): TrieNode => ({ id: 0, literal: new Map(), param: null, greedy: null, terminals: null });

const pow2AtLeast = (n: number): number => {
  let c = 2;
  while (c < n) c *= 2;
  return c;
};

const HOLE_CODES: Record<Hole['hole'], number> = {
  value: HOLE_VALUE,
  number: HOLE_NUMBER,
  param: HOLE_PARAM,
  route: HOLE_ROUTE,
};

/**
 * A check's identity for deduplication: everything but where it was written. Injective over JSON
 * values (numbers and strings are tagged, so `1`, `"1"`, NaN and null stay apart; key order counts,
 * since it shows in the reasons' `expectedValue`).
 */
function checkKey(c: Check): string {
  const strip = (x: Check): unknown => {
    const { path: _path, at: _at, ...rest } = x;
    return x.kind === 'anyOf' ? { ...rest, branches: x.branches.map((b) => b.map(strip)) } : rest;
  };
  return JSON.stringify(strip(c), (_k, v: unknown) =>
    typeof v === 'number' ? `n${Object.is(v, -0) ? '-0' : String(v)}` : typeof v === 'string' ? `s${v}` : v,
  );
}

class Encoder implements RecordWriter {
  readonly w = new Writer();
  private readonly strIds = new Map<string, number>();
  private readonly strBytes: Uint8Array[] = [];
  /**
   * Lists, piece lists, records and programs, deduplicated by their words: equal words are equal
   * bytes, so sharing one copy is safe even across kinds.
   */
  private readonly blocks = new Map<string, number>();
  private readonly valueSlots = new Map<string, number>();
  private readonly valueTexts: number[] = [];

  str(s: string): number {
    let id = this.strIds.get(s);
    if (id === undefined) {
      id = this.strBytes.length;
      this.strIds.set(s, id);
      this.strBytes.push(wtf8(s));
    }
    return id;
  }

  /** An 8-aligned block of u32 words, deduplicated; `f64s` go after the words' index `at`. */
  private block(words: readonly number[], f64?: { at: number; value: number }): number {
    const key = f64 === undefined ? words.join(',') : `${words.join(',')}|${f64.at}:${f64.value}`;
    const known = this.blocks.get(key);
    if (known !== undefined) return known;
    const off = this.w.align(f64 === undefined ? 4 : 8);
    for (let i = 0; i < words.length; i++) {
      if (f64 !== undefined && i === f64.at) {
        this.w.f64(f64.value);
        i++;
      } else {
        this.w.u32(words[i]!);
      }
    }
    this.blocks.set(key, off);
    return off;
  }

  /** A template as [n, item…]; NONE for a failure that cannot happen. */
  pieces(t: Template | null): number {
    if (t === null) return NONE;
    return this.block([t.length, ...t.map((p) => (typeof p === 'string' ? this.str(p) : HOLE_CODES[p.hole]))]);
  }

  list(xs: readonly string[] | null): number {
    if (xs === null) return NONE;
    return this.block([xs.length, ...xs.map((x) => this.str(x))]);
  }

  value(v: JsonValue): number {
    const text = JSON.stringify(v);
    let slot = this.valueSlots.get(text);
    if (slot === undefined) {
      slot = this.valueTexts.length;
      this.valueSlots.set(text, slot);
      this.valueTexts.push(this.str(text));
    }
    return slot;
  }

  record(words: number[], maxAge?: number | null): number {
    if (maxAge === undefined) return this.block(words);
    words[W.HAS_MAX_AGE] = maxAge === null ? 0 : 1;
    words[W.MAX_AGE] = 0;
    words[W.MAX_AGE + 1] = 0;
    return this.block(words, { at: W.MAX_AGE, value: maxAge ?? 0 });
  }

  refuse(message: string): never {
    throw new PolicyEncodeError(message);
  }

  /** Routes repeat the same checks (defaults, shared requirements): encode each distinct one once. */
  check(c: Check): number {
    const seen = this.byIdentity.get(c);
    if (seen !== undefined) return seen;
    const key = checkKey(c);
    let off = this.byShape.get(key);
    if (off === undefined) {
      off = encodeCheck(c, this);
      this.byShape.set(key, off);
    }
    this.byIdentity.set(c, off);
    return off;
  }

  private readonly byIdentity = new WeakMap<Check, number>();
  private readonly byShape = new Map<string, number>();

  program(checks: readonly Check[]): number {
    const offs = checks.map((c) => this.check(c));
    return this.block([offs.length, ...offs]);
  }

  route(r: IRRoute): number {
    const program = r.public ? NONE : this.program(r.checks);
    const words: number[] = [];
    words[R.KEY] = this.str(r.key);
    words[R.FLAGS] = (r.public ? ROUTE_PUBLIC : 0) | (r.method === 'ANY' ? ROUTE_ANY : 0);
    words[R.PROGRAM] = program;
    words[R.SHAPE] = this.str(String.fromCharCode(...(r.segments ?? []).map((s) => SHAPE[s.kind])));
    const method = r.method === null ? METHOD_ANY : (METHODS as readonly string[]).indexOf(r.method);
    if (method < 0) throw new PolicyEncodeError(`route ${r.key}: unknown method ${r.method}`);
    words[R.METHOD] = method;
    const segs = r.segments ?? [];
    words[R.SEGMENTS] = this.block([segs.length, ...segs.map((s) => (s.kind === 'literal' ? this.str(s.value) : SEG_NOT_LITERAL))]);
    const params: number[] = [];
    (r.segments ?? []).forEach((s, i) => {
      if (s.kind === 'param') params.push(this.str(s.name), i);
      else if (s.kind === 'greedy') params.push(this.str(s.name), (i | PARAM_GREEDY) >>> 0);
    });
    words[R.PARAM_COUNT] = params.length / 2;
    words.push(...params);
    const off = this.w.align(4);
    for (const x of words) this.w.u32(x);
    return off;
  }

  valuesSection(): { off: number; count: number } {
    const off = this.w.align();
    for (const id of this.valueTexts) this.w.u32(id);
    return { off, count: this.valueTexts.length };
  }

  /** Writes string bytes then the directory; call last (ids must all be assigned). */
  stringsSection(): { dir: number; count: number } {
    const offs: number[] = [];
    for (const b of this.strBytes) {
      offs.push(this.w.pos);
      this.w.raw(b);
    }
    const dir = this.w.align();
    this.strBytes.forEach((b, i) => {
      this.w.u32(offs[i]!);
      this.w.u32(b.length);
    });
    return { dir, count: this.strBytes.length };
  }
}

function buildTrie(ir: PolicyIR): { root: TrieNode; nodes: TrieNode[] } {
  const root = newNode();
  ir.routes.forEach((r, routeId) => {
    if (r.segments === null) return;
    if (r.method === null) return; // never equals a request method: the reference never matches it by path
    const m = (METHODS as readonly string[]).indexOf(r.method);
    if (m < 0) throw new PolicyEncodeError(`route ${r.key}: unknown method ${r.method}`);
    let node = root;
    r.segments.forEach((s, i) => {
      if (s.kind === 'literal') {
        let next = node.literal.get(s.value);
        if (!next) node.literal.set(s.value, (next = newNode()));
        node = next;
      } else if (s.kind === 'param') {
        node = node.param ??= newNode();
      } else {
        if (i !== r.segments!.length - 1) throw new PolicyEncodeError(`route ${r.key}: greedy segment is not last`);
        node = node.greedy ??= newNode();
      }
    });
    const t = (node.terminals ??= new Array<number>(METHOD_COUNT).fill(0));
    // Two routes with one method and template shape (parameter names aside) are one route to API
    // Gateway; the loader refuses them (ROUTE_DUPLICATE), and so does the compiler.
    if (t[m] !== 0) throw new PolicyEncodeError(`route ${r.key}: same method and template as ${ir.routes[t[m]! - 1]!.key}`);
    t[m] = routeId + 1;
  });
  const nodes: TrieNode[] = [];
  const queue = [root];
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q]!;
    n.id = nodes.length;
    nodes.push(n);
    queue.push(...n.literal.values());
    if (n.param) queue.push(n.param);
    if (n.greedy) queue.push(n.greedy);
  }
  return { root, nodes };
}

export function encodePolicyTable(ir: PolicyIR): Uint8Array {
  const e = new Encoder();
  const w = e.w;
  w.zeros(HEADER_WORDS * 4);
  const header = (k: number, v: number): void => w.setU32(k * 4, v);
  header(H.MAGIC, TABLE_MAGIC);
  header(H.VERSION, TABLE_VERSION);
  header(H.ROUTE_COUNT, ir.routes.length);

  // Constants first, so their strings get the low ids.
  const constOffs = new Array<number>(CONSTS.length).fill(0);
  for (const name of DECISION_CONSTS) constOffs[C[name]] = e.pieces(DECISION_TEMPLATES[name]);
  for (const [name, text] of Object.entries(NAME_CONSTS)) constOffs[C[name as ConstName]] = e.pieces([text]);
  METHODS.forEach((m) => (constOffs[C[`M_${m}`]] = e.pieces([m])));
  if (constOffs.some((o) => o === 0)) throw new Error('internal: a table constant has no template');

  // Routes (their programs and reasons are written as they are first needed).
  const routeOffs = ir.routes.map((r) => e.route(r));
  const routesDir = w.align();
  for (const off of routeOffs) w.u32(off);
  header(H.ROUTES_DIR, routesDir);

  // routeKey index: the first route with the key and with segments; `$default` is never a hit.
  const firstByKey = new Map<string, number>();
  ir.routes.forEach((r, i) => {
    if (r.key !== '$default' && r.segments !== null && !firstByKey.has(r.key)) firstByKey.set(r.key, i);
  });
  const keyCap = pow2AtLeast(Math.ceil((firstByKey.size * 4) / 3));
  const keyIndex = w.align();
  w.zeros(keyCap * KEY_SLOT_BYTES);
  for (const [key, routeId] of firstByKey) {
    const h = keyHash(wtf8(key));
    let i = h & (keyCap - 1);
    while (w.getU32(keyIndex + i * KEY_SLOT_BYTES + KEY_SLOT.ROUTE * 4) !== 0) i = (i + 1) & (keyCap - 1);
    const slot = keyIndex + i * KEY_SLOT_BYTES;
    w.setU32(slot + KEY_SLOT.HASH * 4, h);
    w.setU32(slot + KEY_SLOT.ROUTE * 4, routeId + 1);
  }
  header(H.KEY_INDEX, keyIndex);
  header(H.KEY_MASK, keyCap - 1);

  const fallback = ir.routes.findIndex((r) => r.segments === null);
  header(H.DEFAULT_ROUTE, fallback + 1);

  // Path trie: nodes, terminals, literal edges.
  const { nodes } = buildTrie(ir);
  const termOffs = nodes.map((n) => {
    if (n.terminals === null) return 0;
    const off = w.align(4);
    let mask = 0;
    n.terminals.forEach((r, m) => (mask |= r === 0 ? 0 : 1 << m));
    w.u32(mask);
    for (const r of n.terminals) if (r !== 0) w.u32(r);
    return off;
  });
  const nodesOff = w.align();
  nodes.forEach((n, i) => {
    w.u32(n.param ? n.param.id : 0);
    w.u32(n.greedy ? n.greedy.id : 0);
    w.u32(termOffs[i]!);
  });
  if (w.pos !== nodesOff + nodes.length * NODE_BYTES) throw new Error('internal: node size');
  header(H.NODES, nodesOff);
  header(H.NODE_COUNT, nodes.length);

  let edgeCount = 0;
  for (const n of nodes) edgeCount += n.literal.size;
  const edgeCap = pow2AtLeast(edgeCount * 2);
  const edgeIndex = w.align();
  w.zeros(edgeCap * EDGE_SLOT_BYTES);
  for (const n of nodes) {
    for (const [seg, child] of n.literal) {
      const bytes = wtf8(seg);
      const h = edgeHash(fnv1a(bytes), n.id);
      let i = h & (edgeCap - 1);
      while (w.getU32(edgeIndex + i * EDGE_SLOT_BYTES + EDGE_SLOT.CHILD * 4) !== 0) i = (i + 1) & (edgeCap - 1);
      const slot = edgeIndex + i * EDGE_SLOT_BYTES;
      w.setU32(slot + EDGE_SLOT.HASH * 4, h);
      w.setU32(slot + EDGE_SLOT.PARENT * 4, n.id);
      w.setU32(slot + EDGE_SLOT.SEGMENT * 4, e.str(seg));
      w.setU32(slot + EDGE_SLOT.CHILD * 4, child.id);
    }
  }
  header(H.EDGE_INDEX, edgeIndex);
  header(H.EDGE_MASK, edgeCap - 1);

  const values = e.valuesSection();
  header(H.VALUES, values.off);
  header(H.VALUE_COUNT, values.count);

  const consts = w.align();
  for (const off of constOffs) w.u32(off);
  header(H.CONSTS, consts);
  header(H.CONST_COUNT, constOffs.length);

  const strings = e.stringsSection();
  header(H.STR_DIR, strings.dir);
  header(H.STR_COUNT, strings.count);

  const table = w.finish();
  new DataView(table.buffer).setUint32(H.SIZE * 4, table.length, true);
  return table;
}

export { TABLE_VERSION } from './format.js';
