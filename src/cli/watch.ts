// `--watch`: run, then re-run whenever a file the run read (or a new YAML file beside the policy)
// changes, until the CliIo's signal aborts. Changes that arrive while a run is going on start one
// more run after it, never two at once. chokidar smooths over fs.watch's platform differences.
import { dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { CliIo, ExitCode } from './io.js';
import { displayPath } from './policy.js';

export interface WatchTargets {
  /** The entry policy file: its directory is watched for new and changed YAML files. */
  readonly entry: string;
  /** More files to watch whatever the run reports (a --bundle). */
  readonly extra: readonly string[];
}

export interface RunResult {
  readonly code: ExitCode;
  readonly files: readonly string[];
}

/** Changes closer together than this are one change (editors write a file in several steps). */
const SETTLE_MS = 100;
const IGNORED = /(^|[\\/])(node_modules|\.git|dist|lib|coverage)([\\/]|$)/;
const WATCHED_FILE = /\.(ya?ml|json|tar\.gz)$/;

export async function watchAndRerun(io: CliIo, targets: WatchTargets, run: () => Promise<RunResult>): Promise<ExitCode> {
  let last = await run();
  if (io.signal?.aborted === true) return last.code;
  const watcher: FSWatcher = watch([dirname(targets.entry), ...targets.extra, ...last.files], {
    ignoreInitial: true,
    depth: 4,
    ignored: (path, stats) => IGNORED.test(path) || (stats?.isFile() === true && !WATCHED_FILE.test(path)),
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  io.stdout.write('\nwatching for changes (Ctrl-C to stop)\n');

  let stopped = false;
  let running = false;
  let pending: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  const rerun = async (): Promise<void> => {
    if (running) return;
    running = true;
    while (pending !== null) {
      const changed = pending;
      pending = null;
      io.stdout.write(`\n── ${changed} changed: running again ──\n\n`);
      last = await run();
      watcher.add([...last.files]);
      io.stdout.write('\nwatching for changes (Ctrl-C to stop)\n');
    }
    running = false;
  };
  watcher.on('all', (_event, path) => {
    if (stopped) return;
    pending = displayPath(io, path);
    clearTimeout(timer);
    timer = setTimeout(() => void rerun(), SETTLE_MS);
  });

  await new Promise<void>((resolve) => {
    if (io.signal === undefined) return; // runs until the process ends
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  stopped = true;
  clearTimeout(timer);
  await watcher.close();
  while (running) await new Promise((r) => setTimeout(r, 10));
  return last.code;
}
