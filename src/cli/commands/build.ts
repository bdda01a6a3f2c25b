// `claimguard build`: check, then compile the policy into dist/bundle.tar.gz beside the policy
// file (OPA bundle layout), or --out; signed as `opa build --signing-key` signs when a key is
// given (docs/bundles.md).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { BundleError } from '../../bundle/errors.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../bundle/signatures/keys.js';
import type { SigningOptions } from '../../bundle/signatures/sign.js';
import { buildBundle } from '../../compile/compile.js';
import { authorizerCaching } from '../../deploy/authorizer-cache.js';
import { EXIT_FAILURE, EXIT_OK, readKeyFile, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { addPoliciesOption, addStrictOption, defaultBundleFor, displayPath, loadPolicyForCli } from '../policy.js';
import { failureSummary, formatProblems } from '../problems.js';

/** Where `build` writes for the default policies.yaml. */
export const DEFAULT_BUNDLE = 'dist/bundle.tar.gz';

export interface BuildOptions {
  readonly policies?: string;
  /** Default: dist/bundle.tar.gz beside the policy file. */
  readonly out?: string;
  readonly strict?: boolean;
  readonly signingKey?: string;
  readonly signingAlg?: SigningAlgorithm;
  readonly keyId?: string;
  readonly scope?: string;
}

export function registerBuild(program: Command, ctx: CliContext): void {
  const command = program
    .command('build')
    .description('check the policy, then compile it into an OPA Wasm bundle')
    .option('--out <file>', `bundle to write (default: ${DEFAULT_BUNDLE} beside the policy file)`)
    .option('--signing-key <file>', 'sign the bundle (/.signatures.json): PEM private key (RSA, EC P-256) or HMAC secret file')
    .addOption(new Option('--signing-alg <alg>', 'signature algorithm (default: from the key)').choices(SIGNING_ALGORITHMS))
    .option('--key-id <id>', 'key id written into the signature (kid)')
    .option('--scope <scope>', 'scope written into the signature');
  addStrictOption(addPoliciesOption(command)).action(async (options: BuildOptions) => {
    ctx.exitCode = await runBuild(ctx.io, options);
  });
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** The signing options from the flags: none, a usage problem, or the key read from its file. */
async function signingOptions(io: CliIo, options: BuildOptions): Promise<SigningOptions | null | { usage: string }> {
  if (options.signingKey === undefined) {
    const stray = (['signingAlg', 'keyId', 'scope'] as const).find((k) => options[k] !== undefined);
    return stray === undefined ? null : { usage: `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --signing-key` };
  }
  const key = await readKeyFile(io, options.signingKey, 'signing key');
  if ('usage' in key) return key;
  // signBundleEntries takes an undefined algorithm, key id or scope as unset.
  return { key: key.bytes, algorithm: options.signingAlg, keyId: options.keyId, scope: options.scope };
}

export async function runBuild(io: CliIo, options: BuildOptions): Promise<ExitCode> {
  const started = performance.now();
  const signing = await signingOptions(io, options);
  if (signing !== null && 'usage' in signing) return usageError(io, signing.usage);
  const result = await loadPolicyForCli(io, options.policies, { strict: options.strict });
  if (result.ok === 'usage') return usageError(io, result.message);
  if (result.warnings.length > 0) io.stderr.write(`${formatProblems(result.warnings)}\n`);
  if (!result.ok) {
    // A policy with errors is never compiled: there is no half-built bundle to deploy by mistake.
    io.stderr.write(`${formatProblems(result.errors)}\n${failureSummary(result.errors, result.warnings)}\n`);
    return EXIT_FAILURE;
  }
  let built: Awaited<ReturnType<typeof buildBundle>>;
  try {
    built = await buildBundle(result.ir, signing === null ? {} : { signing });
  } catch (error) {
    if (error instanceof BundleError && error.code === 'BUNDLE_KEY_INVALID') return usageError(io, `${options.signingKey}: ${error.message}`);
    throw error;
  }
  const out = options.out === undefined ? defaultBundleFor(io, options.policies) : resolve(io.cwd, options.out);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, built.bytes);
  } catch (cause) {
    return usageError(io, `cannot write ${displayPath(io, out)}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const { stats, revision } = built.compiled;
  const signature = built.signature;
  const ms = performance.now() - started;
  const cache = authorizerCaching(result.ir);
  io.stdout.write(
    [
      `✔ built ${displayPath(io, out)} in ${ms.toFixed(0)} ms`,
      `  policy       ${result.files.join(', ')}`,
      `  written to   ${out}`,
      `  routes       ${stats.routes} (${stats.publicRoutes} public)`,
      `  requirements ${stats.requirements}`,
      `  policy.wasm  ${kb(stats.moduleBytes)} (route table ${kb(stats.tableBytes)})`,
      `  bundle       ${kb(built.bytes.length)}`,
      `  revision     ${revision}`,
      `  entrypoints  claimguard/decision, claimguard/allow`,
      ...(signature === null
        ? []
        : [`  signature    ${signature.algorithm}${signature.keyId === null ? '' : `, key id ${signature.keyId}`} over ${signature.files.map((f) => f.name).join(', ')}`]),
      // The longest safe result TTL for claimguard/authorizer (docs/authorizer.md, "Caching").
      `  cache TTL    longest safe claimguard/authorizer result TTL: HTTP API ${cache.httpApi.seconds} s, REST API ${cache.rest.seconds} s`,
      `               HTTP API: ${cache.httpApi.limitedBy}`,
      `               REST API: ${cache.rest.limitedBy}`,
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}
