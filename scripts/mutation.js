#!/usr/bin/env node
// `npm run mutation [-- <scope>… [stryker flags]]`: builds, then runs Stryker once per scope of
// stryker.config.mjs (policy, decision, runtime, bundle, lambda, authorizer by default), one after the other,
// and prints each scope's score. Exits non-zero when any scope falls below its threshold.
//
//   npm run mutation                         every scope (hours; see CONTRIBUTING.md for each scope's time)
//   npm run mutation -- policy               one scope
//   npm run mutation -- policy --incremental reuse reports/mutation/policy.incremental.json
//   npm run mutation -- policy --mutate src/policy/semantic.ts
//
// Flags after the scope names go to `stryker run` unchanged. Reports: reports/mutation/<scope>.html.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { scopes } from '../stryker.config.mjs';

const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('-'));
const names = firstFlag === -1 ? args : args.slice(0, firstFlag);
const flags = firstFlag === -1 ? [] : args.slice(firstFlag);
for (const name of names) {
  if (!Object.hasOwn(scopes, name)) {
    console.error(`unknown scope "${name}": use ${Object.keys(scopes).join(', ')}`);
    process.exit(2);
  }
}

const run = (cmd, cmdArgs, env = {}) =>
  spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

// Some tests read lib/ (the AssemblyScript runtime.wasm, the packed examples); the build is
// incremental, so this is quick when nothing changed.
if (run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);

const rows = [];
let failed = false;
for (const name of names.length > 0 ? names : Object.keys(scopes)) {
  const started = Date.now();
  const status = run('npx', ['stryker', 'run', 'stryker.config.mjs', ...flags], { MUTATION_SCOPE: name });
  const minutes = (Date.now() - started) / 60_000;
  failed ||= status !== 0;
  rows.push({ name, status, minutes, ...counts(`reports/mutation/${name}.json`) });
}

console.log('\nscope      mutants  killed  timeout  survived  no cov  errors  score    break  time');
for (const r of rows) {
  const cells = [
    r.name.padEnd(9),
    String(r.total ?? '-').padStart(7),
    String(r.killed ?? '-').padStart(7),
    String(r.timeout ?? '-').padStart(8),
    String(r.survived ?? '-').padStart(9),
    String(r.noCoverage ?? '-').padStart(7),
    String(r.errors ?? '-').padStart(7),
    (r.score === undefined ? '-' : `${r.score.toFixed(2)}%`).padStart(7),
    String(scopes[r.name].break).padStart(6),
    `${r.minutes.toFixed(1)} min${r.status === 0 ? '' : '  FAILED'}`.padStart(10),
  ];
  console.log(cells.join(' '));
}
process.exit(failed ? 1 : 0);

/** Mutant counts from Stryker's JSON report (mutation-testing-report-schema). */
function counts(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  const by = {};
  for (const f of Object.values(report.files)) for (const m of f.mutants) by[m.status] = (by[m.status] ?? 0) + 1;
  const n = (s) => by[s] ?? 0;
  const killed = n('Killed');
  const timeout = n('Timeout');
  const survived = n('Survived');
  const noCoverage = n('NoCoverage');
  const errors = n('RuntimeError') + n('CompileError');
  const valid = killed + timeout + survived + noCoverage;
  return {
    total: valid + errors + n('Ignored'),
    killed,
    timeout,
    survived,
    noCoverage,
    errors,
    score: valid === 0 ? undefined : ((killed + timeout) / valid) * 100,
  };
}
