// ClaimguardFunction: a NodejsFunction whose package carries the bundle compiled from the same
// policy, at synth time, with the library's own compiler. The bundle's revision is pinned in the
// function's environment, so the deployed function refuses any other bundle (the handler passes
// CLAIMGUARD_REVISION as `expectedRevision`).
import { NodejsFunction, type ICommandHooks, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { join, posix } from 'node:path';
import { DeployError } from '../errors.js';
import { preparePolicy } from './prepared.js';

/** Where withAuthorization looks by default, relative to the package root (LAMBDA_TASK_ROOT). */
export const DEFAULT_BUNDLE_PATH = 'dist/bundle.tar.gz';

export interface ClaimguardFunctionProps extends NodejsFunctionProps {
  /** Path to policies.yaml, relative to the working directory of the CDK app. */
  readonly policies: string;
  /** Where the bundle lands in the package. Default `dist/bundle.tar.gz`. */
  readonly bundlePath?: string;
}

export class ClaimguardFunction extends NodejsFunction {
  /** The bundle revision (SHA-256 of policy.wasm) the function is pinned to. */
  readonly revision: string;
  /** The bundle's path inside the package. */
  readonly bundlePath: string;

  constructor(scope: Construct, id: string, props: ClaimguardFunctionProps) {
    const { policies, bundlePath = DEFAULT_BUNDLE_PATH, ...functionProps } = props;
    if (functionProps.bundling?.forceDockerBundling === true) {
      throw new DeployError('BUNDLING_UNSUPPORTED', 'ClaimguardFunction bundles locally (esbuild installed in the project); forceDockerBundling cannot see the compiled bundle');
    }
    if (posix.isAbsolute(bundlePath) || bundlePath.split('/').includes('..')) {
      throw new DeployError('BUNDLING_UNSUPPORTED', `bundlePath "${bundlePath}" must be relative to the package root, without ".."`);
    }
    const { bundle } = preparePolicy(policies);
    for (const [name, value] of [
      ['CLAIMGUARD_BUNDLE', bundlePath],
      ['CLAIMGUARD_REVISION', bundle.revision],
    ] as const) {
      const given = functionProps.environment?.[name];
      if (given !== undefined && given !== value) {
        throw new DeployError('BUNDLING_UNSUPPORTED', `environment ${name} is set to "${given}", but ClaimguardFunction sets it to "${value}"`);
      }
    }
    const hooks = functionProps.bundling?.commandHooks;
    const commandHooks: ICommandHooks = {
      beforeBundling: (inputDir, outputDir) => hooks?.beforeBundling(inputDir, outputDir) ?? [],
      beforeInstall: (inputDir, outputDir) => hooks?.beforeInstall(inputDir, outputDir) ?? [],
      afterBundling: (inputDir, outputDir) => [...(hooks?.afterBundling(inputDir, outputDir) ?? []), ...copyCommands(bundle.file, outputDir, bundlePath)],
    };
    super(scope, id, {
      ...functionProps,
      environment: { ...functionProps.environment, CLAIMGUARD_BUNDLE: bundlePath, CLAIMGUARD_REVISION: bundle.revision },
      bundling: { ...functionProps.bundling, commandHooks },
    });
    this.revision = bundle.revision;
    this.bundlePath = bundlePath;
  }
}

/** Shell commands for local bundling: copy the bundle into the package at `bundlePath`. */
function copyCommands(source: string, outputDir: string, bundlePath: string): string[] {
  const target = join(outputDir, ...bundlePath.split('/'));
  const dir = join(target, '..');
  if (process.platform === 'win32') {
    const q = (s: string): string => `"${s}"`;
    return [`if not exist ${q(dir)} mkdir ${q(dir)}`, `copy /Y ${q(source)} ${q(target)}`];
  }
  const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
  return [`mkdir -p ${q(dir)}`, `cp ${q(source)} ${q(target)}`];
}
