// `claimguard diff --base REF|FILE [--head FILE]`: what a policy change does to access. Per route:
// added, removed, modified, unchanged, each requirement change loosened/tightened/changed with
// why; and, for every principal of the head's test suites, which routes it gains or loses, decided
// by both compiled bundles. `--fail-on loosened|any` makes it a CI gate (exit 1).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { buildBundle } from '../../compile/compile.js';
import type { PolicyIR } from '../../policy/ir.js';
import { accessChanges } from '../../review/access.js';
import { diffRoutes, overallEffect } from '../../review/diff.js';
import { GitError, loadPolicyAtRef } from '../../review/git.js';
import { reviewPrincipals } from '../../review/principals.js';
import { diffJson, diffMarkdown, diffPretty, type DiffReport } from '../../review/render-diff.js';
import { loadBundle } from '../../runtime/load-bundle.js';
import { formatSuiteErrors } from '../../testing/errors.js';
import { loadSuites } from '../../testing/load-suites.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, DEFAULT_POLICIES, displayPath, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';

export interface DiffOptions {
  readonly base: string;
  readonly head?: string;
  readonly policies?: string;
  readonly format?: 'pretty' | 'markdown' | 'json';
  readonly failOn?: 'loosened' | 'any';
}

export function registerDiff(program: Command, ctx: CliContext): void {
  const command = program
    .command('diff')
    .description('what a policy change does to access: per route, and per principal of the test suites')
    .requiredOption('--base <ref|file>', 'the policy before: a git ref (main, origin/main, HEAD~1) or a policy file')
    .option('--head <file>', 'the policy after (default: --policies, i.e. policies.yaml in the working tree)')
    .addOption(new Option('--format <format>', 'output format (markdown: for a pull-request comment)').choices(['pretty', 'markdown', 'json']).default('pretty'))
    .addOption(new Option('--fail-on <what>', 'exit 1 when access loosens anywhere (loosened) or when anything changes (any)').choices(['loosened', 'any']));
  addPoliciesOption(command).action(async (options: DiffOptions) => {
    ctx.exitCode = await runDiff(ctx.io, options);
  });
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

type Loaded = { readonly ir: PolicyIR; readonly label: string } | ExitCode;

export async function runDiff(io: CliIo, options: DiffOptions): Promise<ExitCode> {
  if (options.head !== undefined && options.policies !== undefined && options.policies !== DEFAULT_POLICIES && resolve(io.cwd, options.head) !== resolve(io.cwd, options.policies)) {
    return usageError(io, '--head and --policies name different files: give one');
  }
  const headFile = options.head ?? options.policies ?? DEFAULT_POLICIES;
  const head = await loadSide(io, headFile, 'head');
  if (typeof head === 'number') return head;
  const base = isFile(resolve(io.cwd, options.base)) ? await loadSide(io, options.base, 'base') : await loadRef(io, options.base, headFile);
  if (typeof base === 'number') return base;

  const routes = diffRoutes(base.ir, head.ir);
  const suites = await loadSuites({ ir: head.ir, entryFile: resolve(io.cwd, headFile), baseDir: io.cwd });
  let principals: ReturnType<typeof reviewPrincipals> = [];
  if (suites.ok) principals = reviewPrincipals(suites.principals, suites.suites);
  else if (!suites.errors.every((e) => e.code === 'NO_TESTS')) {
    io.stderr.write(`${formatSuiteErrors(suites.errors)}claimguard: the head's test suites (where principals live) have errors\n`);
    return EXIT_FAILURE;
  }
  const [baseBundle, headBundle] = await Promise.all([loadBundle((await buildBundle(base.ir)).bytes), loadBundle((await buildBundle(head.ir)).bytes)]);
  const access = accessChanges({ ir: base.ir, bundle: baseBundle }, { ir: head.ir, bundle: headBundle }, principals);

  const report: DiffReport = { base: base.label, head: head.label, routes, access, principals: principals.length };
  const format = options.format ?? 'pretty';
  io.stdout.write(format === 'json' ? diffJson(report) : format === 'markdown' ? diffMarkdown(report) : diffPretty(report));

  const effect = overallEffect(routes);
  const gains = access.some((a) => a.after === 'allow');
  if (options.failOn === 'loosened' && (effect === 'loosened' || effect === 'mixed' || gains)) {
    io.stderr.write(`claimguard diff: access loosens (${effect}${gains ? ', some principal gains access' : ''}); failing as --fail-on loosened asks\n`);
    return EXIT_FAILURE;
  }
  if (options.failOn === 'any' && (routes.some((r) => r.change !== 'unchanged') || access.length > 0)) {
    io.stderr.write('claimguard diff: the policy changed; failing as --fail-on any asks\n');
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

async function loadSide(io: CliIo, file: string, side: 'base' | 'head'): Promise<Loaded> {
  const result = await loadPolicyForCli(io, file);
  if (result.ok === 'usage') return usageError(io, `--${side}: ${result.message}`);
  if (!result.ok) {
    io.stderr.write(`${formatProblems(result.errors)}\n${failureSummary(result.errors, result.warnings)} (the ${side} policy)\n`);
    return EXIT_FAILURE;
  }
  return { ir: result.ir, label: displayPath(io, resolve(io.cwd, file)) };
}

async function loadRef(io: CliIo, ref: string, headFile: string): Promise<Loaded> {
  try {
    const { load, label } = await loadPolicyAtRef(io.cwd, ref, headFile);
    if (!load.ok) {
      io.stderr.write(`${formatProblems(load.errors)}\n${failureSummary(load.errors, load.warnings)} (the base policy at ${ref})\n`);
      return EXIT_FAILURE;
    }
    return { ir: load.ir, label };
  } catch (cause) {
    if (cause instanceof GitError) return usageError(io, `--base ${ref}: ${cause.message}`);
    throw cause;
  }
}
