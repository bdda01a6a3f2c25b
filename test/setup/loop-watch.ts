// Opt-in check that no test holds the event loop for long (vitest's worker RPC gives up after
// 60 s without a turn of the loop). `LOOP_REPORT=<ms> npx vitest run` prints every test whose
// longest synchronous stretch exceeded <ms>; CONTRIBUTING.md uses it to audit the suite.
import { afterEach, beforeEach } from 'vitest';

const threshold = Number(process.env['LOOP_REPORT'] ?? 0);

if (threshold > 0) {
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  let longest = 0;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  beforeEach(() => {
    last = performance.now();
    longest = 0;
    timer = setInterval(tick, 10);
  });
  afterEach(({ task }) => {
    clearInterval(timer);
    tick();
    if (longest > threshold) {
      process.stderr.write(`loop-watch: ${longest.toFixed(0)} ms without a turn of the event loop in ${task.file?.name} > ${task.name}\n`);
    }
  });
}
