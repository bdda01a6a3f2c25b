// Colours for terminal output, through picocolors. On only when stdout is a terminal, unless the
// environment says otherwise: NO_COLOR (non-empty) turns them off and wins; FORCE_COLOR turns them
// on (except FORCE_COLOR=0 or false), e.g. for CI logs that render ANSI. Decided per run from the
// CliIo, so in-process tests control it.
import pc from 'picocolors';
import type { CliIo } from './io.js';

export function colorEnabled(io: CliIo): boolean {
  const env = io.env ?? process.env;
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.stdout.isTTY === true && env['TERM'] !== 'dumb';
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(io: CliIo): Colors {
  return pc.createColors(colorEnabled(io));
}
