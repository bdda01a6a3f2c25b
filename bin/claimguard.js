#!/usr/bin/env node
// Thin entry point: all behaviour lives in runCli (src/cli/main.ts), which returns the exit code.
import { runCli } from '../lib/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
});
