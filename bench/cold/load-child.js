// The runtime's own cold load, in a fresh process: import the loader, then read the bundle,
// gunzip, instantiate and decide once (no Lambda wrapper). Prints JSON timings for bench/run.js.
const t0 = performance.now();
const { loadBundle } = await import('../../lib/runtime/load-bundle.js');
const t1 = performance.now();
const { INPUT } = await import('../scenario.js');
const t2 = performance.now();
const authorizer = await loadBundle(process.argv[2]);
const decision = authorizer.decide(INPUT);
const t3 = performance.now();
if (typeof decision.allow !== 'boolean') process.exit(1);
process.stdout.write(JSON.stringify({ importMs: t1 - t0, loadAndFirstDecisionMs: t3 - t2 }));
