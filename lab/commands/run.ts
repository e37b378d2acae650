// `proxylab run`: drive the scenarios and write reports/<run-id>/.
import { Command, InvalidArgumentError } from 'commander';
import { runLab } from '../run/index.js';

const positive = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run scenarios through the origin, the proxy variants and any external target; write reports/<run-id>/')
    .option('-s, --scenario <file>', 'a scenario file (repeatable)', collect)
    .option('--suite <name>', 'a suite in scenarios/suites/ (or a suite file); default ci when no --scenario')
    .option('-o, --out <dir>', 'output folder (default reports/<run-id>)')
    .option('--rounds <n>', 'override every scenario\'s rounds', positive('--rounds'))
    .option('--duration <s>', 'override every scenario\'s measured seconds per round', positive('--duration'))
    .addHelpText('after', '\nExit codes: 0 done, 2 invalid scenario or arguments, 3 the run failed (a target did not start, died, or errors above the limit).')
    .action(async (opts: { scenario?: string[]; suite?: string; out?: string; rounds?: number; duration?: number }) => {
      await runLab(opts);
    });
}
