// The registry of subcommands: one line per command module.
import type { Command } from 'commander';
import { registerProxy } from './proxy.js';
import { registerReport } from './report.js';

export const commands: Array<(program: Command) => void> = [registerProxy, registerReport];
