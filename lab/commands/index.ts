// The registry of subcommands: one line per command module.
import type { Command } from 'commander';
import { registerProxy } from './proxy.js';
import { registerReport } from './report.js';
import { registerOrigin } from './origin.js';
import { registerRun } from './run.js';
import { registerSchema } from './schema.js';
import { registerMicro } from './micro.js';
import { registerProfile } from './profile.js';
import { registerBaseline } from './baseline.js';
import { registerCalibrate } from './calibrate.js';
import { registerCompare } from './compare.js';
import { registerAblate } from './ablate.js';
import { registerCanary } from './canary.js';

export const commands: Array<(program: Command) => void> = [registerProxy, registerReport, registerOrigin, registerRun, registerSchema, registerMicro, registerProfile, registerCompare, registerAblate, registerBaseline, registerCalibrate, registerCanary];
