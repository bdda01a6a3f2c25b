// `claimguard explain --request "DELETE /orders/42" (--principal NAME | --token JWT | --claims FILE)`:
// the bundle's decision, and every requirement of the matched route marked ✔/✖ with the claim
// value seen and why. --token decodes the JWT payload WITHOUT verifying it, and says so.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { decodeJwt } from 'jose';
import { parse as parseYaml } from 'yaml';
import { evaluate } from '../../decision/evaluate.js';
import { explanationJson, renderExplanation } from '../../testing/explain.js';
import { formatSuiteErrors } from '../../testing/errors.js';
import { loadSuites } from '../../testing/load-suites.js';
import { applyLayer, homeNow, unknownPrincipal } from '../../testing/principals.js';
import { parseRequestLine } from '../../testing/request.js';
import { ANONYMOUS, type Claims } from '../../testing/suite.js';
import { absoluteTime } from '../../testing/time.js';
import type { PolicyIR } from '../../policy/ir.js';
import { parseSource } from '../../policy/source.js';
import { engineForCli } from '../engine.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, DEFAULT_POLICIES, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';

export interface ExplainOptions {
  readonly request: string;
  readonly principal?: string;
  readonly token?: string;
  readonly claims?: string;
  readonly now?: string;
  readonly bundle?: string;
  readonly policies?: string;
  readonly format?: 'pretty' | 'json';
}

export function registerExplain(program: Command, ctx: CliContext): void {
  const command = program
    .command('explain')
    .description('why a request is allowed or denied: every requirement of the matched route, pass or fail, with the claim value seen')
    .requiredOption('--request <line>', 'the request, e.g. "DELETE /orders/42"')
    .option('--principal <name>', 'a principal from the test suites ("anonymous" for no token)')
    .option('--token <jwt>', 'an access token; its payload is decoded WITHOUT signature verification')
    .option('--claims <file>', 'a token payload as JSON or YAML (time sugar like now-5m allowed)')
    .option('--now <ms>', 'the clock, epoch milliseconds or ISO-8601 (default: the principal\'s suite now, else the current time)')
    .option('--bundle <file>', 'explain with this bundle instead of building one from the policy in memory')
    .addOption(new Option('--format <format>', 'output format').choices(['pretty', 'json']).default('pretty'));
  addPoliciesOption(command).action(async (options: ExplainOptions) => {
    ctx.exitCode = await runExplain(ctx.io, options);
  });
}

interface Who {
  readonly label: string;
  readonly token: Claims | null;
  readonly now: number;
}

export async function runExplain(io: CliIo, options: ExplainOptions): Promise<ExitCode> {
  if (!/^[A-Z]+ \/.*$/.test(options.request)) return usageError(io, `--request must look like "DELETE /orders/42" (got "${options.request}")`);
  const sources = [options.principal, options.token, options.claims].filter((x) => x !== undefined).length;
  if (sources !== 1) return usageError(io, 'give exactly one of --principal NAME, --token JWT, --claims FILE');
  let now: number | undefined;
  if (options.now !== undefined) {
    const t = absoluteTime(/^\d+$/.test(options.now) ? Number(options.now) : options.now);
    if (t === null) return usageError(io, `--now must be epoch milliseconds or an ISO-8601 date-time (got "${options.now}")`);
    now = t;
  }

  const policy = await loadPolicyForCli(io, options.policies);
  if (policy.ok === 'usage') return usageError(io, policy.message);
  if (!policy.ok) {
    io.stderr.write(`${formatProblems(policy.errors)}\n${failureSummary(policy.errors, policy.warnings)}\n`);
    return EXIT_FAILURE;
  }

  let who: Who;
  if (options.principal !== undefined) {
    const found = await principal(io, options, policy.ir, now);
    if (typeof found === 'number') return found;
    who = found;
  } else if (options.token !== undefined) {
    let payload: Claims;
    try {
      payload = decodeJwt(options.token);
    } catch (cause) {
      return usageError(io, `--token is not a JWT: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    who = { label: 'the --token payload, decoded WITHOUT signature verification', token: payload, now: now ?? Date.now() };
  } else {
    const file = options.claims!;
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (cause) {
      return usageError(io, `cannot read --claims ${file} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
    }
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (cause) {
      return usageError(io, `--claims ${file} is not JSON or YAML: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return usageError(io, `--claims ${file} must hold a map of claims`);
    const at = now ?? Date.now();
    const errors: Parameters<typeof applyLayer>[4] = [];
    const token = applyLayer({}, { claims: data as Claims }, at, { file: parseSource(file, text).file, path: [], claimsPath: [] }, errors);
    if (errors.length > 0) {
      io.stderr.write(errors.map((e) => `${e.format()}\n`).join('\n'));
      return EXIT_USAGE;
    }
    who = { label: `the claims in ${file}`, token, now: at };
  }

  const engine = await engineForCli(io, policy.ir, options.bundle, 'to explain with');
  if (typeof engine === 'number') return engine;
  const { method, path } = parseRequestLine(options.request);
  const input = { request: { method, path }, token: who.token, now: who.now };
  let decision;
  try {
    decision = engine.decide(input);
  } catch (cause) {
    io.stderr.write(`claimguard: the bundle did not decide: ${cause instanceof Error ? cause.message : String(cause)}\n`);
    return EXIT_FAILURE;
  }
  const explained = {
    requestLine: options.request,
    who: who.label,
    now: who.now,
    decision,
    engine: engine.description,
    reference: evaluate(policy.ir, input),
  };
  const { text, agrees } = options.format === 'json' ? explanationJson(explained) : renderExplanation(explained);
  io.stdout.write(text);
  if (!agrees) {
    io.stderr.write('claimguard: INTERNAL ERROR: the bundle and the reference evaluator disagree (see above)\n');
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

/** A principal from the suites, at --now or else at the `now` of the suite that defines it. */
async function principal(io: CliIo, options: ExplainOptions, ir: PolicyIR, now: number | undefined): Promise<Who | ExitCode> {
  const name = options.principal!;
  if (name === ANONYMOUS) return { label: 'anonymous (no token)', token: null, now: now ?? Date.now() };
  const loaded = await loadSuites({ ir, entryFile: resolve(io.cwd, options.policies ?? DEFAULT_POLICIES), baseDir: io.cwd });
  if (!loaded.ok) {
    io.stderr.write(`${formatSuiteErrors(loaded.errors)}claimguard: the test suites (where principals live) have errors\n`);
    return EXIT_FAILURE;
  }
  const def = loaded.principals.get(name);
  if (def === undefined) return usageError(io, unknownPrincipal(name, loaded.principals.names()));
  const suiteNow = homeNow(def, loaded.suites);
  const at = now ?? suiteNow ?? Date.now();
  return { label: `principal ${name} (${def.src.file.name})`, token: loaded.principals.resolve(name, at), now: at };
}
