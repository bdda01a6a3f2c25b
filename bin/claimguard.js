#!/usr/bin/env node
// Thin entry point: all behaviour lives in runCli (src/cli/main.ts), which returns the exit code.
// Ctrl-C ends long-running commands (`test --watch`) through the signal, with their exit code.
import { runCli } from '../lib/cli/main.js';

const stop = new AbortController();
const onSignal = () => stop.abort();
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
  signal: stop.signal,
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
