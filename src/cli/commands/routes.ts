// `claimguard routes diff --api FILE`: a deployed or planned HTTP API (OpenAPI with API Gateway's
// extensions, or a CloudFormation template) against the policy. Exit 1 on any error finding.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { readDeployedApi, type DeployedApi } from '../../deploy/deployed.js';
import { diffRoutes, type DriftFinding, type DriftReport } from '../../deploy/drift.js';
import { DeployError } from '../../deploy/errors.js';
import { addAuthRoutesOption, addIssuerOption, loadPlan, reportDeployError } from '../deploy.js';
import { EXIT_FAILURE, EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption } from '../policy.js';

export interface RoutesDiffOptions {
  readonly api: string;
  readonly apiId?: string;
  readonly policies?: string;
  readonly format?: 'pretty' | 'json';
  readonly authRoutes?: string | boolean;
  readonly issuer?: string;
  readonly authorizer?: 'jwt' | 'lambda';
}

export function registerRoutes(program: Command, ctx: CliContext): void {
  const routes = program.command('routes').description('compare deployed routes with the policy');
  const diff = routes
    .command('diff')
    .description('report routes and authorizer settings that differ from the policy (exit 1 on drift that lets requests through unchecked or locks users out)')
    .requiredOption('--api <file>', 'OpenAPI document (JSON/YAML, API Gateway extensions) or CloudFormation template (e.g. cdk.out/Stack.template.json)')
    .option('--api-id <logicalId>', 'the HTTP API to compare when the template holds several')
    .addOption(new Option('--format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .addOption(
      new Option('--authorizer <kind>', "the authorizer protected routes carry: API Gateway's JWT authorizer, or claimguard/authorizer as a Lambda authorizer (identity sources, cache TTL, simple responses checked)")
        .choices(['jwt', 'lambda'])
        .default('jwt'),
    );
  addAuthRoutesOption(diff);
  addIssuerOption(diff);
  addPoliciesOption(diff).action(async (options: RoutesDiffOptions) => {
    ctx.exitCode = await runRoutesDiff(ctx.io, options);
  });
}

export async function runRoutesDiff(io: CliIo, options: RoutesDiffOptions): Promise<ExitCode> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, options.api), 'utf8');
  } catch (cause) {
    return usageError(io, `cannot read --api ${options.api} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
  }
  let api: DeployedApi;
  try {
    api = readDeployedApi(text, options.api, options.apiId === undefined ? {} : { apiId: options.apiId });
  } catch (error) {
    if (error instanceof DeployError) return reportDeployError(io, error);
    throw error;
  }
  const planned = await loadPlan(io, options);
  if (typeof planned === 'number') return planned;
  const report = diffRoutes(planned.plan, api);
  const failed = report.findings.some((f) => f.severity === 'error');
  io.stdout.write(options.format === 'json' ? jsonReport(options.api, api, report, failed) : prettyReport(options.api, report, failed));
  return failed ? EXIT_FAILURE : EXIT_OK;
}

function jsonReport(file: string, api: DeployedApi, report: DriftReport, failed: boolean): string {
  const count = (severity: string): number => report.findings.filter((f) => f.severity === severity).length;
  return `${JSON.stringify(
    {
      ok: !failed,
      api: { file, format: api.format },
      summary: {
        plannedRoutes: report.plannedRoutes,
        deployedRoutes: report.deployedRoutes,
        matched: report.matched,
        errors: count('error'),
        warnings: count('warning'),
      },
      findings: report.findings,
    },
    null,
    2,
  )}\n`;
}

function prettyReport(file: string, report: DriftReport, failed: boolean): string {
  const lines = report.findings.map(prettyFinding);
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(
    failed
      ? `✖ ${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}: ${file} does not match the policy`
      : `✔ ${file} matches the policy: ${plural(report.matched, 'route')}${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function prettyFinding(f: DriftFinding): string {
  const mark = f.severity === 'error' ? '✖' : '⚠';
  const where = [f.policy === null ? null : `policy ${f.policy.file}:${f.policy.line}:${f.policy.col}`, f.deployed === null ? null : `deployed ${f.deployed}`]
    .filter((x) => x !== null)
    .join(', ');
  return `${mark} ${f.severity} ${f.code}: ${f.message}${where === '' ? '' : `\n    ${where}`}`;
}
