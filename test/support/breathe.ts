// Long property runs must let the event loop turn (vitest's worker RPC times out after 60 s
// without it, and a busy CI machine stretches every stretch of work). `await breathe()` inside an
// async property yields one macrotask whenever ~50 ms have passed since the last yield: cheap
// enough to call on every run, and it keeps the longest synchronous stretch near one run's cost.
let last = performance.now();

export async function breathe(): Promise<void> {
  const now = performance.now();
  if (now - last < 50) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  last = performance.now();
}
