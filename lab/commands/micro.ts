// `proxylab micro`: component micro-benchmarks (tinybench), baseline vs optimized side by side.
import { Command, InvalidArgumentError } from 'commander';
import { collect } from './args.js';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('--time must be a positive whole number of milliseconds');
  return n;
};

export function registerMicro(program: Command): void {
  program
    .command('micro')
    .description('micro-benchmark the hot components (routing, rules, headers, balancer, access-log), baseline vs optimized')
    .option('-f, --filter <name>', 'run only suites whose name contains this (repeatable or comma-separated)', collect)
    .option('-t, --time <ms>', 'measured time per implementation in ms (default 500)', positiveInt)
    .option('--save', 'write the results as baselines (baselines/micro/<suite>.json)')
    .option('--compare', 'compare with the saved baselines; exit 1 on a regression')
    .option('--json <file>', 'also write the results as JSON')
    .option('--baseline-dir <dir>', 'where baselines live (default baselines/micro in the repository)')
    .option('--list', 'list the suites and exit')
    .addHelpText(
      'after',
      '\nA change counts as a regression when the 95% intervals (mean ± rme) do not overlap and the mean is over 5% slower.\n' +
        'With --compare and --save, the baseline is only replaced when nothing regressed.\n' +
        'Exit codes: 0 done, 1 regression against a baseline, 2 bad arguments or a missing/corrupt/wrong-version baseline.',
    )
    .action(async (opts: { filter?: string[]; time?: number; save?: boolean; compare?: boolean; json?: string; baselineDir?: string; list?: boolean }) => {
      if (opts.list) {
        const { SUITES } = await import('../micro/suites.js');
        for (const s of SUITES) process.stdout.write(`${s.name.padEnd(12)} ${s.flag ? `[${s.flag}] ` : ''}${s.description}\n`);
        return;
      }
      const { runMicro } = await import('../micro/index.js');
      await runMicro(opts);
    });
}
