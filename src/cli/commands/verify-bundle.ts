// `claimguard verify-bundle --verification-key FILE [bundle]`: checks a bundle as the Lambda loads
// it with `bundleVerificationKey` (OPA signature, file digests, manifest, revision, the module
// loading through the SDK) and says who signed what. Exit 1 when the bundle must not be used,
// 2 when the key or the bundle cannot be read.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { readBundle } from '../../bundle/read.js';
import { verifyBundleSignature } from '../../bundle/signatures/verify.js';
import { RuntimeError } from '../../runtime/errors.js';
import { loadBundle } from '../../runtime/load-bundle.js';
import { EXIT_FAILURE, EXIT_OK, readKeyFile, usageError, type CliContext, type CliIo, type ExitCode } from '../io.js';
import { DEFAULT_BUNDLE } from './build.js';

export interface VerifyBundleOptions {
  readonly verificationKey: string;
  readonly keyId?: string;
  readonly scope?: string;
}

export function registerVerifyBundle(program: Command, ctx: CliContext): void {
  program
    .command('verify-bundle')
    .description("verify a bundle's signature and integrity, as the Lambda does before using it")
    .argument('[bundle]', 'bundle to verify', DEFAULT_BUNDLE)
    .requiredOption('--verification-key <file>', 'PEM public key or certificate (RSA, EC), or the HMAC secret file')
    .option('--key-id <id>', 'refuse a signature that names another key id')
    .option('--scope <scope>', 'the scope the signature must carry')
    .action(async (bundle: string, options: VerifyBundleOptions) => {
      ctx.exitCode = await runVerifyBundle(ctx.io, bundle, options);
    });
}

export async function runVerifyBundle(io: CliIo, bundle: string, options: VerifyBundleOptions): Promise<ExitCode> {
  const key = await readKeyFile(io, options.verificationKey, 'verification key');
  if ('usage' in key) return usageError(io, key.usage);
  const path = resolve(io.cwd, bundle);
  const name = relative(io.cwd, path) || path;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    return usageError(io, `cannot read bundle ${bundle} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
  }
  // Both loadBundle and verifyBundleSignature take an undefined key id or scope as unset.
  const checks = { keyId: options.keyId, scope: options.scope };
  let revision: string;
  try {
    revision = (await loadBundle(bytes, { verificationKey: key.bytes, ...checks })).revision;
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    if (error.code === 'BUNDLE_KEY_INVALID') return usageError(io, `${options.verificationKey}: ${error.message}`);
    io.stderr.write(`✖ ${name}: ${error.code}: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  // Verified above; read again for what to print.
  const signature = await verifyBundleSignature(readBundle(bytes), { key: key.bytes, ...checks });
  const hashes = [...new Set(signature.files.map((f) => f.algorithm))].join(', ');
  io.stdout.write(
    [
      `✔ ${name}: signature verified`,
      `  algorithm    ${signature.algorithm}`,
      `  key id       ${signature.keyId ?? '(none)'}`,
      `  scope        ${signature.scope ?? '(none)'}`,
      `  files        ${signature.files.map((f) => f.name).join(', ')} (${hashes})`,
      `  revision     ${revision}`,
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}
