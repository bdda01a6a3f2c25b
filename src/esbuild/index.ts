// claimguard/esbuild: an esbuild plugin for bundling a Lambda handler that uses claimguard.
//
//   import { build } from 'esbuild';
//   import { claimguardEsbuild } from 'claimguard/esbuild';
//   await build({ entryPoints: ['src/orders.ts'], bundle: true, platform: 'node', format: 'esm',
//                 outfile: 'out/orders/index.mjs', plugins: [claimguardEsbuild()] });
//
// It leaves the OPA SDK's Rego built-in libraries (`yaml`, `sprintf-js`) out of the bundle — only
// where the SDK imports them, never for your own code — because claimguard's policy modules call
// no built-in (docs/bundles.md, "Packaging a handler"). The handler file halves and its import at
// cold start is about 5 ms shorter. Typed structurally, so esbuild stays your dependency, not ours.
import { fileURLToPath } from 'node:url';

/** The part of esbuild's PluginBuild this plugin uses. */
export interface EsbuildPluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: { path: string; importer: string }) => { path: string } | undefined,
  ): void;
}

export interface EsbuildPlugin {
  name: string;
  setup(build: EsbuildPluginBuild): void;
}

/** Only the SDK's own imports are redirected: a `yaml` your code imports is bundled as usual. */
const SDK_FILE = /[\\/]@open-policy-agent[\\/]opa-wasm[\\/]/;
const BUILTIN_LIBRARIES = /^(?:yaml|sprintf-js)$/;

export function claimguardEsbuild(): EsbuildPlugin {
  const stub = fileURLToPath(new URL('./sdk-builtins-unused.js', import.meta.url));
  return {
    name: 'claimguard',
    setup(build) {
      build.onResolve({ filter: BUILTIN_LIBRARIES }, (args) => (SDK_FILE.test(args.importer) ? { path: stub } : undefined));
    },
  };
}
