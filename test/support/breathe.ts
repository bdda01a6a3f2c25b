// Long property runs must let the event loop turn (vitest's worker RPC times out after 60 s
// without it, and a busy CI machine stretches every stretch of work). `await breathe()` inside an
// async property yields one macrotask whenever ~50 ms have passed since the last yield: cheap
// enough to call on every run, and it keeps the longest synchronous stretch near one run's cost.
import fc from 'fast-check';

let last = performance.now();

export async function breathe(): Promise<void> {
  const now = performance.now();
  if (now - last < 50) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  last = performance.now();
}

/**
 * `fc.assert` for a synchronous property, run in chunks of `chunk` runs with a macrotask between
 * them. Chunk i starts from the run's seed + i, so FC_SEED replays the whole sequence and a
 * failure names the chunk's seed and path as fast-check always does.
 */
export async function assertChunked<Ts>(
  property: fc.IProperty<Ts>,
  params: fc.Parameters<Ts> & { readonly numRuns: number },
  chunk = 20,
): Promise<void> {
  const base = fc.readConfigureGlobal().seed ?? 0;
  for (let done = 0, i = 0; done < params.numRuns; done += chunk, i++) {
    fc.assert(property, { ...params, numRuns: Math.min(chunk, params.numRuns - done), seed: (base + i) | 0 });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
