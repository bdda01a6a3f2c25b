// Runs once per `vitest run`, before any worker: fixes the fast-check seed for the whole run and
// prints it, so any red run can be replayed. `FC_SEED=<n>` replays, `FC_SEED=random` explores
// (`npm run test:random`); unset, the run uses the constant below, so `npm test` is the same
// every time and CI is never a lottery. See CONTRIBUTING.md, "Randomized tests".
import type { TestProject } from 'vitest/node';

/** The seed `npm test` runs with. Change it only together with a green run on it. */
export const DEFAULT_SEED = 0x5eed_c1a1;

export function resolveSeed(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw === 'random') return (Math.random() * 2 ** 31) | 0;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(raw)}`);
  return n | 0;
}

export default function setup(project: TestProject): void {
  const seed = resolveSeed(process.env['FC_SEED']);
  project.provide('fcSeed', seed);
  console.info(`fast-check seed ${seed} (replay a file: FC_SEED=${seed} npx vitest run <file>)`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
  }
}
