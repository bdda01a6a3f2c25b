// Runs in every test file: every fast-check property of the run starts from the run's seed (see
// global-setup.ts), and a failing test prints the one command that replays it.
import fc from 'fast-check';
import { beforeEach, inject } from 'vitest';
import { relative } from 'node:path';

const seed = inject('fcSeed');
// A failing property over big generated policies can shrink for minutes; cut any single assert
// off at 40 s (a failure then reports the smallest counterexample found so far), and never let an
// interrupted run pass.
fc.configureGlobal({ seed, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: true });

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(() => {
    const file = task.file ? relative(process.cwd(), task.file.filepath) : '<file>';
    console.error(`\nreplay: FC_SEED=${seed} npx vitest run ${file} -t ${JSON.stringify(task.name)}\n`);
  });
});
