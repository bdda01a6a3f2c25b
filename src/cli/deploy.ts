// What `export openapi` and `routes diff` share: loading the policy into a DeployPlan, and showing
// a DeployError with the policy line it points at.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DeployError, type DeployErrorCode } from '../deploy/errors.js';
import { DEFAULT_AUTH_BASE_PATH, planDeployment, type DeployPlan } from '../deploy/plan.js';
import type { PolicyIR } from '../policy/ir.js';
import { EXIT_FAILURE, EXIT_USAGE, usageError, type CliIo, type ExitCode } from './io.js';
import { loadPolicyForCli } from './policy.js';
import { failureSummary, formatProblems } from './problems.js';

export function addAuthRoutesOption(command: Command): Command {
  return command.option(
    '--auth-routes [basePath]',
    `SuperTokens' routes (ANY and OPTIONS {basePath}/{proxy+}) are served without authorizer (basePath default ${DEFAULT_AUTH_BASE_PATH})`,
  );
}

export function addIssuerOption(command: Command): Command {
  return command.option('--issuer <url>', "the JWT authorizer's issuer when the policy pins none (SuperTokens: {apiDomain}{apiGatewayPath}{apiBasePath}); must equal the policy's when it does");
}

export const authBasePath = (option: string | boolean | undefined): string | undefined =>
  option === undefined || option === false ? undefined : option === true ? DEFAULT_AUTH_BASE_PATH : option;

export type Planned = { readonly ir: PolicyIR; readonly plan: DeployPlan } | ExitCode;

/** Loads the policy and plans it; every failure is reported here and returned as an exit code. */
export interface PlanFlags {
  readonly policies?: string;
  readonly authRoutes?: string | boolean;
  readonly issuer?: string;
  /** `routes diff --authorizer`: which authorizer protected routes carry (default jwt). */
  readonly authorizer?: 'jwt' | 'lambda';
}

export async function loadPlan(io: CliIo, flags: PlanFlags): Promise<Planned> {
  const result = await loadPolicyForCli(io, flags.policies);
  if (result.ok === 'usage') return usageError(io, result.message);
  if (result.warnings.length > 0) io.stderr.write(`${formatProblems(result.warnings)}\n`);
  if (!result.ok) {
    io.stderr.write(`${formatProblems(result.errors)}\n${failureSummary(result.errors, result.warnings)}\n`);
    return EXIT_FAILURE;
  }
  try {
    const base = authBasePath(flags.authRoutes);
    const plan = planDeployment(result.ir, {
      entryFile: result.files[0] ?? 'policies.yaml',
      ...(base === undefined ? {} : { authBasePath: base }),
      ...(flags.issuer === undefined ? {} : { issuer: flags.issuer }),
      ...(flags.authorizer === undefined ? {} : { authorizer: flags.authorizer }),
    });
    return { ir: result.ir, plan };
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    return reportDeployError(io, error);
  }
}

/** Errors in what the command line gave (flags, the --api file): usage, exit 2. */
const USAGE_CODES: ReadonlySet<DeployErrorCode> = new Set(['AUTH_BASE_PATH_INVALID', 'ISSUER_CONFLICT', 'API_UNREADABLE', 'API_UNRECOGNIZED', 'API_AMBIGUOUS']);

/** A bad flag or --api file is usage (2); what the policy must change to be deployable is a finding (1). */
export function reportDeployError(io: CliIo, error: DeployError): ExitCode {
  io.stderr.write(`${error.format(error.at === null ? null : sourceLine(io, error.at.file, error.at.line))}\n`);
  return USAGE_CODES.has(error.code) ? EXIT_USAGE : EXIT_FAILURE;
}

function sourceLine(io: CliIo, file: string, line: number): string | null {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8').split('\n')[line - 1]?.replace(/\r$/, '') ?? null;
  } catch {
    return null;
  }
}
