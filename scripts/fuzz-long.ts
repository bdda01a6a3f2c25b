#!/usr/bin/env -S node --import tsx
// Long differential fuzzing of the shipped artifact against the reference evaluator
// (the CI-sized version is test/compile/differential.property.test.ts).
//
//   npm run build && npm run fuzz:long
//   FUZZ_CASES=1000000 FUZZ_SEED=42 FUZZ_PER_POLICY=100 FUZZ_OUT=dist/fuzz-repro.json npm run fuzz:long
//
// Compiler, bundle loader and reference evaluator come from lib/ (the compiled package, as
// shipped; `npm run build` first); the generators are the TypeScript arbitraries in test/, which
// is why this runs under tsx. Each generated policy is compiled once (buildBundle → tar.gz →
// loadBundle → the SDK's loadPolicySync) and FUZZ_PER_POLICY inputs run against it: most as
// documents (the SDK's JSON.stringify path), some as hostile raw JSON text (escaped and duplicate
// keys, number spellings), a few with heavy tokens (huge strings, deep nesting, many keys).
// Progress every ~50,000 cases; the last line is `fuzz: N cases, M mismatches, seed S, T s`.
// On a mismatch the run goes on counting; then the first failing case is reduced to a minimal policy
// and input (greedy deletion: fast-check's shrinking of a 100-input batch runs out of memory),
// written to FUZZ_OUT as JSON, and the exit code is 1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import fc from 'fast-check';
import { buildBundle } from '../lib/compile/compile.js';
import { decide } from '../lib/decision/evaluate.js';
import type { PolicyIR } from '../lib/policy/ir.js';
import { loadBundle } from '../lib/runtime/load-bundle.js';
import { arbInputFor, arbPolicyIR } from '../test/arbitraries/index.js';
import {
  arbHostileText,
  compareOne,
  describeMismatch,
  minimize,
  reproOf,
  stillFailsWith,
  type Mismatch,
  type Sent,
} from '../test/compile/differential.js';

const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
};

const CASES = envInt('FUZZ_CASES', 1_000_000);
const SEED = envInt('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31));
const PER_POLICY = Math.max(1, envInt('FUZZ_PER_POLICY', 100));
const PROGRESS = Math.max(1, envInt('FUZZ_PROGRESS', 50_000));
const OUT = resolve(process.env['FUZZ_OUT'] ?? `dist/fuzz-repro-${SEED}.json`);

/** One input: a document (weight 85), hostile raw text (14), or raw text with a heavy token (1). */
const arbSent = (ir: PolicyIR): fc.Arbitrary<Sent> =>
  fc.oneof(
    { weight: 85, arbitrary: arbInputFor(ir).map((doc): Sent => ({ doc })) },
    { weight: 14, arbitrary: arbHostileText(arbInputFor(ir)) },
    { weight: 1, arbitrary: arbHostileText(arbInputFor(ir, { noTokenPercent: 0 }), { heavy: true, maxHugeString: 100_000 }) },
  );

const arbBatch = arbPolicyIR().chain((ir) =>
  fc.array(arbSent(ir), { minLength: PER_POLICY, maxLength: PER_POLICY }).map((sents) => ({ ir, sents })),
);

interface Failure {
  readonly ir: PolicyIR;
  readonly sent: Sent;
  readonly mismatch: Mismatch;
}

/** Runs `sents` (at most `limit` of them) against the compiled `ir`; every mismatch goes to `onMismatch`. */
async function runBatch(ir: PolicyIR, sents: readonly Sent[], limit: number, onMismatch: (f: Failure) => void): Promise<number> {
  let auth;
  try {
    auth = await loadBundle((await buildBundle(ir)).bytes);
  } catch (err) {
    // A valid IR that does not compile or load is a failure of every case aimed at it.
    onMismatch({ ir, sent: sents[0]!, mismatch: { what: 'threw', expected: 'a loadable bundle', actual: String(err) } });
    return Math.min(limit, sents.length);
  }
  let n = 0;
  for (const sent of sents) {
    if (n >= limit) break;
    n++;
    const m = compareOne(auth, ir, sent, decide);
    if (m) onMismatch({ ir, sent, mismatch: m });
  }
  return n;
}

const t0 = performance.now();
const elapsed = (): number => (performance.now() - t0) / 1000;
let done = 0;
let mismatches = 0;
let firstRun = -1;
let first: Failure | null = null as Failure | null;
let nextProgress = PROGRESS;
let runIndex = 0;

console.log(`fuzz: ${CASES} cases, ${PER_POLICY} inputs per policy, seed ${SEED}`);
const numRuns = Math.ceil(CASES / PER_POLICY);
const counting = await fc.check(
  fc.asyncProperty(arbBatch, async ({ ir, sents }) => {
    const run = runIndex++;
    done += await runBatch(ir, sents, CASES - done, (f) => {
      mismatches++;
      if (first === null) {
        first = f;
        firstRun = run;
        console.log(describeMismatch(f.ir, f.sent, f.mismatch));
      }
    });
    if (done >= nextProgress) {
      const rate = done / elapsed();
      console.log(
        `fuzz: ${done}/${CASES} cases, ${mismatches} mismatches, ${Math.round(rate)} cases/s, ` +
          `${elapsed().toFixed(0)} s elapsed, ~${((CASES - done) / rate).toFixed(0)} s to go`,
      );
      while (nextProgress <= done) nextProgress += PROGRESS;
    }
    return true;
  }),
  { seed: SEED, numRuns, endOnFailure: true },
);
if (counting.failed) {
  // The predicate never fails: this is fast-check or the harness itself.
  console.error(`fuzz: harness failure: ${String(counting.errorInstance)}`);
  process.exitCode = 2;
}
const total = elapsed();

if (first) {
  // Reduce the first failure to a minimal policy and input (greedy deletion, see minimize()).
  console.log('fuzz: minimizing the first mismatch …');
  const load = async (ir: PolicyIR) => loadBundle((await buildBundle(ir)).bytes);
  const f: Failure = first;
  const small = await minimize(f.ir, f.sent, stillFailsWith(load, decide), 5 * 60_000);
  const mismatch = compareOne(await load(small.ir), small.ir, small.sent, decide) ?? f.mismatch;
  const repro = {
    note: 'minimal differential counterexample: reference decide(ir, input) vs the compiled bundle (buildBundle → loadBundle)',
    seed: SEED,
    batch: firstRun,
    reductions: small.steps,
    ...reproOf(small.ir, small.sent, mismatch),
    original: reproOf(f.ir, f.sent, f.mismatch),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(repro, null, 2) + '\n');
  console.log(describeMismatch(small.ir, small.sent, mismatch));
  console.log(`fuzz: minimal reproduction (${small.steps} reductions, ${small.tries} tries) written to ${OUT}`);
}

console.log(`fuzz: ${done} cases, ${mismatches} mismatches, seed ${SEED}, ${total.toFixed(1)} s`);
if (mismatches > 0) process.exitCode = 1;
