// Timing helpers: medians of repeated batches, so one GC pause or scheduler hiccup doesn't decide.
export const REPEATS = 7;

/** Median nanoseconds per call of fn over REPEATS batches of `iterations` calls (after a warm-up). */
export function measure(fn, iterations) {
  for (let i = 0; i < Math.min(iterations, 2000); i++) fn();
  const samples = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Median milliseconds of an expensive one-shot action, REPEATS times. */
export async function measureOnce(fn, repeats = REPEATS) {
  const samples = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
export const fmtRatio = (x) => `${x.toFixed(2)}×`;

/**
 * Medians for several candidates measured in alternating batches, so machine drift (other
 * processes, CPU frequency) hits all of them alike: ratios between them are what to read.
 */
export function measureInterleaved(candidates, iterations) {
  const names = Object.keys(candidates);
  for (const name of names) for (let i = 0; i < Math.min(iterations, 2000); i++) candidates[name]();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < REPEATS; r++) {
    for (const name of names) {
      const fn = candidates[name];
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) fn();
      samples[name].push(Number(process.hrtime.bigint() - t0) / iterations);
    }
  }
  return Object.fromEntries(names.map((n) => [n, [...samples[n]].sort((a, b) => a - b)[Math.floor(REPEATS / 2)]]));
}
