// The heap, as the OPA ABI defines it: a bump pointer that hosts read and reset
// (`opa_heap_ptr_get/set`), plus exact-size free lists so that `opa_free` can recycle blocks.
// Every block has a BlockHeader and an 8-aligned payload; a free block's payload starts with the
// next block of its free list.
import { DEBUG } from "./debug";
import { fatal } from "./env";

const MAGIC_USED: u32 = 0x4f50414d; // "MAPO"
const MAGIC_FREE: u32 = 0x4f504146; // "FAPO"
const SMALL_CLASSES: u32 = 128; // exact lists for payloads of 8..1024 bytes; one list above
const LARGE = SMALL_CLASSES;
const HEADS = memory.data(((SMALL_CLASSES + 1) << 2) as i32, 8);
const STASH = memory.data(((SMALL_CLASSES + 1) << 2) as i32, 8);

// @ts-ignore: decorator
@unmanaged class BlockHeader {
  /** Payload bytes, a multiple of 8. */
  size: u32;
  magic: u32;
}
const HEADER_BYTES: usize = offsetof<BlockHeader>();

// @ts-ignore: decorator
@inline function headerOf(p: usize): BlockHeader {
  return changetype<BlockHeader>(p - HEADER_BYTES);
}
/** A free block's successor in its list (0 ends it). */
// @ts-ignore: decorator
@inline function nextFree(p: usize): usize {
  return <usize>load<u32>(p);
}
// @ts-ignore: decorator
@inline function setNextFree(p: usize, next: usize): void {
  store<u32>(p, <u32>next);
}

let heapStart: usize = 0;
let heapPtr: usize = 0;
// Linear memory's size in bytes when last looked at. Memory never shrinks (the host may grow it
// behind our back), so a stale value only sends an allocation down the slow path, which refreshes it.
let memEnd: usize = 0;
// Whether any free list may be non-empty: while false, allocation is a pure bump and resetting
// the heap needs no clearing (the common case: every opa_eval resets, parses, decides, dumps).
let listsInUse: bool = false;
// Everything the start function allocated (route table, entrypoints) lies below the floor:
// hosts cannot reset the heap into it and frees of it are ignored.
let heapFloor: usize = 0;

export function heapInit(): void {
  // The build assumes a zero-filled imported memory (asc --zeroFilledMemory drops all-zero data
  // segments); the allocator's own state is cleared anyway, so only scratch buffers rely on it.
  memory.fill(HEADS, 0, (SMALL_CLASSES + 1) << 2);
  memory.fill(STASH, 0, (SMALL_CLASSES + 1) << 2);
  heapStart = (__heap_base + 7) & ~<usize>7;
  heapPtr = heapStart;
  heapFloor = heapStart;
  memEnd = (<usize>memory.size()) << 16;
  listsInUse = false;
}

/** Called at the end of the start function. */
export function sealHeapFloor(): void {
  heapFloor = heapPtr;
}

export function heapPtrGet(): usize {
  return heapPtr;
}

export function heapPtrSet(p: usize): void {
  heapPtr = p < heapFloor ? heapFloor : p;
  if (listsInUse) {
    memory.fill(HEADS, 0, (SMALL_CLASSES + 1) << 2);
    listsInUse = false;
  }
}

function ensure(end: usize): void {
  let have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) fatal("opa_malloc: failed");
    have = (<usize>memory.size()) << 16;
  }
  memEnd = have;
}

/**
 * `malloc` for the value constructors, inlined: a bump of the heap pointer when no free list is
 * in use and the block fits in memory already, else the full `malloc`.
 */
// @ts-ignore: decorator
@inline
export function mallocFast(n: u32): usize {
  const start = ((heapPtr + 7) & ~<usize>7) + HEADER_BYTES;
  const size: usize = (<usize>n + 7) & ~<usize>7;
  const end = start + (size == 0 ? 8 : size);
  if (listsInUse || n > 0x7ffffff0 || end > memEnd || end < start) return malloc(n);
  const h = headerOf(start);
  h.size = <u32>(end - start);
  h.magic = MAGIC_USED;
  heapPtr = end;
  return start;
}

function classOf(size: u32): u32 {
  return size <= (SMALL_CLASSES << 3) ? (size >> 3) - 1 : LARGE;
}

export function malloc(n: u32): usize {
  // Payload sizes are multiples of 8 (at least 8), so any freed block can serve its class.
  if (n > 0xfffffff0) fatal("opa_malloc: failed");
  let size: u32 = (n + 7) & ~7;
  if (size == 0) size = 8;
  const cls = classOf(size);
  const head = HEADS + (cls << 2);
  let p = nextFree(head);
  if (p != 0) {
    if (DEBUG) assert(headerOf(p).magic == MAGIC_FREE, "alloc: a listed block is not free");
    if (cls != LARGE) {
      if (DEBUG) assert(headerOf(p).size == size, "alloc: a block in the wrong size class");
      setNextFree(head, nextFree(p));
      headerOf(p).magic = MAGIC_USED;
      return p;
    }
    // Large blocks: first fit among the first few, no splitting.
    let prev = head;
    for (let k = 0; p != 0 && k < 16; k++) {
      if (headerOf(p).size >= size) {
        setNextFree(prev, nextFree(p));
        headerOf(p).magic = MAGIC_USED;
        return p;
      }
      prev = p;
      p = nextFree(p);
    }
  }
  const start = ((heapPtr + 7) & ~<usize>7) + HEADER_BYTES;
  const end = start + size;
  if (end < start) fatal("opa_malloc: failed");
  ensure(end);
  const h = headerOf(start);
  h.size = size;
  h.magic = MAGIC_USED;
  heapPtr = end;
  return start;
}

export function free(p: usize): void {
  // Hosts may hand back anything: what is not a live block of this heap is ignored.
  if (p < heapFloor + HEADER_BYTES || p >= heapPtr || (p & 7) != 0) return;
  const h = headerOf(p);
  if (h.magic != MAGIC_USED) return;
  const size = h.size;
  if (p + size > heapPtr) return;
  h.magic = MAGIC_FREE;
  if (p + size == heapPtr) {
    // Top of the heap: give it back to the bump pointer.
    heapPtr = p - HEADER_BYTES;
    return;
  }
  const head = HEADS + (classOf(size) << 2);
  setNextFree(p, nextFree(head));
  setNextFree(head, p);
  listsInUse = true;
}

/** Grows block `p` (payload `old` bytes) to at least `n` bytes in place when it is the heap's top block. */
export function tryExtend(p: usize, n: u32): bool {
  const h = headerOf(p);
  if (DEBUG) assert(h.magic == MAGIC_USED, "alloc: extending a block not in use");
  const size = h.size;
  if (p + size != heapPtr) return false;
  const newSize: u32 = (n + 7) & ~7;
  if (newSize <= size) return true;
  ensure(p + newSize);
  h.size = newSize;
  heapPtr = p + newSize;
  return true;
}

/** Reallocates: in place at the top of the heap, else malloc + copy + free. */
export function realloc(p: usize, oldLen: u32, n: u32): usize {
  if (tryExtend(p, n)) return p;
  const q = malloc(n);
  memory.copy(q, p, oldLen);
  free(p);
  return q;
}

export function stashBlocks(): void {
  memory.copy(STASH, HEADS, (SMALL_CLASSES + 1) << 2);
  memory.fill(HEADS, 0, (SMALL_CLASSES + 1) << 2);
  listsInUse = false;
}

export function restoreBlocks(): void {
  memory.copy(HEADS, STASH, (SMALL_CLASSES + 1) << 2);
  memory.fill(STASH, 0, (SMALL_CLASSES + 1) << 2);
  listsInUse = true;
}

export function clearStash(): void {
  memory.fill(STASH, 0, (SMALL_CLASSES + 1) << 2);
}
