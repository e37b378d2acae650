// `proxylab calibrate`: A/A noise floor and minimum detectable effect on this machine.
import type { Command } from 'commander';
import { positive } from './args.js';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenario, REPO_ROOT, SCENARIO_DIR } from '../scenario/load.js';
import { environment, runId } from '../run/env.js';
import { Progress } from '../run/progress.js';
import { writeFileAtomic } from '../report/write.js';
import { calibrate, calibrationDir, calibrationMarkdown } from '../gate/calibrate.js';


export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('A/A run: one target twice, interleaved; prints the noise floor per metric and the minimum detectable effect')
    .option('-s, --scenario <file>', 'scenario file', join(SCENARIO_DIR, 'small-get-1k.yaml'))
    .option('-t, --target <name>', 'which of the scenario\'s targets (default: the first)')
    .option('--rounds <n>', 'rounds per side (default: the scenario\'s)', positive('--rounds'))
    .option('--duration <s>', 'measured seconds per round (default: the scenario\'s)', positive('--duration'))
    .option('-o, --out <dir>', 'output folder (default reports/calibrate-<run-id>)')
    .addHelpText('after', '\nWrites calibration.json and calibration.md. Exit codes: 0 done (a false alarm is reported, not failed), 2 bad arguments, 3 the run failed.')
    .action(async (opts: { scenario: string; target?: string; rounds?: number; duration?: number; out?: string }) => {
      const scenario = loadScenario(opts.scenario, { ...(opts.rounds ? { rounds: opts.rounds } : {}), ...(opts.duration ? { duration_s: opts.duration } : {}) });
      const env = environment();
      const dir = resolve(opts.out ?? calibrationDir(REPO_ROOT, runId(new Date(), env.git_commit)));
      mkdirSync(dir, { recursive: true });
      const progress = new Progress();
      const { calibration } = await calibrate(scenario, opts.target, dir, progress);
      progress.clear();
      const markdown = calibrationMarkdown(calibration);
      await writeFileAtomic(join(dir, 'calibration.json'), `${JSON.stringify({ env, ...calibration }, null, 2)}\n`);
      await writeFileAtomic(join(dir, 'calibration.md'), markdown);
      process.stdout.write(`${markdown}\n${join(dir, 'calibration.md')}\n`);
    });
}
