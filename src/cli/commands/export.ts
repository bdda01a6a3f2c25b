// `claimguard export openapi --out FILE.json|.yaml`: the policy as an OpenAPI 3.0 document with
// API Gateway's HTTP API extensions (JWT authorizer on exactly the protected routes).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { compilePolicy } from '../../compile/compile.js';
import { formatForFile, openApiDocument, serializeOpenApi } from '../../deploy/openapi.js';
import { addAuthRoutesOption, addIssuerOption, loadPlan } from '../deploy.js';
import { EXIT_OK, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption } from '../policy.js';

export interface ExportOpenApiOptions {
  readonly out: string;
  readonly policies?: string;
  readonly title?: string;
  readonly integrationUri?: string;
  readonly authIntegrationUri?: string;
  readonly authRoutes?: string | boolean;
  readonly issuer?: string;
}

export function registerExport(program: Command, ctx: CliContext): void {
  const exportCommand = program.command('export').description('export the policy for other tools');
  const openapi = exportCommand
    .command('openapi')
    .description('write an OpenAPI 3.0 document for API Gateway HTTP APIs: one JWT authorizer, attached to exactly the protected routes')
    .requiredOption('--out <file>', 'document to write: .json, or .yaml/.yml for YAML ("-" prints JSON)')
    .option('--title <title>', 'info.title of the document')
    .option('--integration-uri <uri>', 'Lambda function ARN (or integration URI) every policy route is proxied to (payload 2.0)')
    .option('--auth-integration-uri <uri>', 'the same for the auth routes (the SuperTokens auth function)');
  addAuthRoutesOption(openapi);
  addIssuerOption(openapi);
  addPoliciesOption(openapi).action(async (options: ExportOpenApiOptions) => {
    ctx.exitCode = await runExportOpenApi(ctx.io, options);
  });
}

export async function runExportOpenApi(io: CliIo, options: ExportOpenApiOptions): Promise<ExitCode> {
  if (options.authIntegrationUri !== undefined && options.authRoutes === undefined) {
    return usageError(io, '--auth-integration-uri needs --auth-routes');
  }
  const planned = await loadPlan(io, options);
  if (typeof planned === 'number') return planned;
  const { ir, plan } = planned;
  const doc = openApiDocument(plan, {
    title: options.title ?? 'claimguard API',
    // The bundle revision compiled from the same policy: the document says what it was made from.
    version: compilePolicy(ir).revision,
    ...(options.integrationUri === undefined ? {} : { integrationUri: options.integrationUri }),
    ...(options.authIntegrationUri === undefined ? {} : { authIntegrationUri: options.authIntegrationUri }),
  });
  if (options.out === '-') {
    io.stdout.write(serializeOpenApi(doc, 'json'));
    return EXIT_OK;
  }
  const out = resolve(io.cwd, options.out);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, serializeOpenApi(doc, formatForFile(out)));
  } catch (cause) {
    return usageError(io, `cannot write ${options.out} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
  }
  const protectedCount = plan.routes.filter((r) => r.authorizer).length;
  io.stdout.write(
    `✔ wrote ${relative(io.cwd, out) || out}: ${plan.routes.length} routes (${protectedCount} with the JWT authorizer, ${plan.routes.length - protectedCount} without)\n`,
  );
  return EXIT_OK;
}
