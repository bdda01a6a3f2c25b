import type { Command } from 'commander';
import type { CliContext } from '../io.js';
export function registerReport(_program: Command, _ctx: CliContext): void {}
