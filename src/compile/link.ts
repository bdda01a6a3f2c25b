// The link step: splices a policy's compiled route table into the prebuilt runtime module.
//
// The runtime (AssemblyScript, lib/compile/runtime.wasm) exports two placeholder functions,
// `__claimguard_table_size() -> i32` and `__claimguard_table_copy(dst: i32)`, which the policy's
// start-time init calls once. Linking
//   1. appends the table as a PASSIVE data segment (bulk memory) and adds/patches DataCount,
//   2. replaces the placeholder bodies: size → `i32.const N`; copy → `memory.init seg` of N bytes
//      from segment offset 0 to `dst`, then `data.drop seg`,
//   3. removes both exports, so the linked module exports exactly the ABI surface.
// A passive segment does not occupy linear memory at instantiation, so a multi-MB table does not
// raise the imported memory's minimum (the SDK tests instantiate with 2 pages); the start function
// copies it to the heap, which grows as needed. Output is a pure function of the inputs.

import { ClaimguardError } from '../errors.js';
export type LinkErrorCode = 'INVALID_MODULE' | 'PLACEHOLDER_MISSING' | 'TABLE_TOO_LARGE';

export class LinkError extends ClaimguardError<LinkErrorCode> {
  override readonly name = 'LinkError';
}

export const TABLE_SIZE_EXPORT = '__claimguard_table_size';
export const TABLE_COPY_EXPORT = '__claimguard_table_copy';

const SEC_TYPE = 1;
const SEC_IMPORT = 2;
const SEC_FUNCTION = 3;
const SEC_EXPORT = 7;
const SEC_CODE = 10;
const SEC_DATA = 11;
const SEC_DATA_COUNT = 12;

interface Section {
  readonly id: number;
  /** Content bytes (without id and size). */
  readonly body: Uint8Array;
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }
  byte(): number {
    if (this.pos >= this.end) throw invalid('unexpected end');
    return this.buf[this.pos++] as number;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift === 28 && b > 0x0f) throw invalid('LEB128 u32 overflow');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw invalid('unexpected end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(this.u32()));
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

const invalid = (msg: string): LinkError => new LinkError('INVALID_MODULE', `runtime module: ${msg}`);

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

export function sleb32(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function readSections(wasm: Uint8Array): Section[] {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (wasm.length < 8 || header.some((b, i) => wasm[i] !== b)) throw invalid('not a wasm 1.0 binary');
  const r = new Reader(wasm, 8);
  const sections: Section[] = [];
  while (r.pos < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, body: r.bytes(size) });
  }
  return sections;
}

function vecSection(id: number, count: number, items: readonly Uint8Array[]): Section {
  const parts = [Uint8Array.from(uleb(count)), ...items];
  return { id, body: concat(parts) };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function countImportedFunctions(body: Uint8Array): number {
  const r = new Reader(body);
  const n = r.u32();
  let funcs = 0;
  for (let i = 0; i < n; i++) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) {
      r.u32();
      funcs++;
    } else if (kind === 1) {
      r.byte();
      r.limits();
    } else if (kind === 2) {
      r.limits();
    } else if (kind === 3) {
      r.byte();
      r.byte();
    } else if (kind === 4) {
      r.byte();
      r.u32();
    } else {
      throw invalid(`unknown import kind ${kind}`);
    }
  }
  return funcs;
}

/** Function type (params, results) of defined function `index` (relative to the defined ones). */
function functionType(types: Uint8Array, funcs: Uint8Array, index: number): string {
  const fr = new Reader(funcs);
  const n = fr.u32();
  if (index >= n) throw invalid('function index out of range');
  let typeIndex = 0;
  for (let i = 0; i <= index; i++) typeIndex = fr.u32();
  const tr = new Reader(types);
  const nt = tr.u32();
  if (typeIndex >= nt) throw invalid('type index out of range');
  for (let i = 0; ; i++) {
    if (tr.byte() !== 0x60) throw invalid('unsupported type form');
    const params = [...tr.bytes(tr.u32())];
    const results = [...tr.bytes(tr.u32())];
    if (i === typeIndex) return `${params.join(',')}->${results.join(',')}`;
  }
}

const I32 = 0x7f;

/** Links `table` into `runtimeWasm` (see the file comment). Deterministic. */
export function linkPolicyModule(runtimeWasm: Uint8Array, table: Uint8Array): Uint8Array {
  if (table.length > 0x7fffffff) throw new LinkError('TABLE_TOO_LARGE', `policy table is ${table.length} bytes (limit 2 GiB)`);
  const sections = readSections(runtimeWasm);
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const code = find(SEC_CODE);
  const exportSec = find(SEC_EXPORT);
  const types = find(SEC_TYPE);
  const funcs = find(SEC_FUNCTION);
  if (!code || !exportSec || !types || !funcs) throw invalid('missing type, function, export or code section');
  const importSec = find(SEC_IMPORT);
  const importedFuncs = importSec ? countImportedFunctions(importSec.body) : 0;

  // Exports: find and drop the placeholders.
  const er = new Reader(exportSec.body);
  const nExports = er.u32();
  const kept: Uint8Array[] = [];
  const placeholders = new Map<string, number>();
  for (let i = 0; i < nExports; i++) {
    const start = er.pos;
    const name = er.name();
    const kind = er.byte();
    const index = er.u32();
    if (kind === 0 && (name === TABLE_SIZE_EXPORT || name === TABLE_COPY_EXPORT)) placeholders.set(name, index);
    else kept.push(exportSec.body.subarray(start, er.pos));
  }
  const sizeFn = placeholders.get(TABLE_SIZE_EXPORT);
  const copyFn = placeholders.get(TABLE_COPY_EXPORT);
  if (sizeFn === undefined || copyFn === undefined) {
    throw new LinkError('PLACEHOLDER_MISSING', `runtime module does not export ${TABLE_SIZE_EXPORT} and ${TABLE_COPY_EXPORT} (already linked?)`);
  }
  if (sizeFn < importedFuncs || copyFn < importedFuncs) throw invalid('table placeholders are imports');
  if (functionType(types.body, funcs.body, sizeFn - importedFuncs) !== `->${I32}`) throw invalid(`${TABLE_SIZE_EXPORT} must be () -> i32`);
  if (functionType(types.body, funcs.body, copyFn - importedFuncs) !== `${I32}->`) throw invalid(`${TABLE_COPY_EXPORT} must be (i32) -> ()`);

  // Data: append the passive segment.
  const dataSec = find(SEC_DATA);
  let segments: Uint8Array[] = [];
  let nSegments = 0;
  if (dataSec) {
    const dr = new Reader(dataSec.body);
    nSegments = dr.u32();
    segments = [dataSec.body.subarray(dr.pos)];
  }
  const seg = nSegments;
  const newData = vecSection(SEC_DATA, nSegments + 1, [...segments, Uint8Array.from([0x01, ...uleb(table.length)]), table]);
  const dataCount: Section = { id: SEC_DATA_COUNT, body: Uint8Array.from(uleb(nSegments + 1)) };

  // Code: replace the two bodies.
  const n = table.length;
  const sizeBody = Uint8Array.from([0x00, 0x41, ...sleb32(n), 0x0b]);
  const copyBody = Uint8Array.from([
    0x00, // no locals
    0x20, 0x00, // local.get 0 (dst)
    0x41, 0x00, // i32.const 0 (segment offset)
    0x41, ...sleb32(n), // i32.const n
    0xfc, 0x08, ...uleb(seg), 0x00, // memory.init seg, memory 0
    0xfc, 0x09, ...uleb(seg), // data.drop seg
    0x0b,
  ]);
  const cr = new Reader(code.body);
  const nBodies = cr.u32();
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < nBodies; i++) {
    const start = cr.pos;
    const size = cr.u32();
    cr.bytes(size);
    const fn = i + importedFuncs;
    const replacement = fn === sizeFn ? sizeBody : fn === copyFn ? copyBody : undefined;
    bodies.push(replacement ? Uint8Array.from([...uleb(replacement.length), ...replacement]) : code.body.subarray(start, cr.pos));
  }

  // Reassemble in canonical order: DataCount goes right before Code; Data replaced or appended after Code.
  const out: Section[] = [];
  for (const s of sections) {
    if (s.id === SEC_DATA_COUNT || s.id === SEC_DATA) continue;
    if (s.id === SEC_CODE) {
      out.push(dataCount, vecSection(SEC_CODE, nBodies, bodies), newData);
      continue;
    }
    out.push(s.id === SEC_EXPORT ? vecSection(SEC_EXPORT, kept.length, kept) : s);
  }
  return concat([
    Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    ...out.flatMap((s) => [Uint8Array.from([s.id, ...uleb(s.body.length)]), s.body]),
  ]);
}
