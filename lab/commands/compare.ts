// `proxylab compare`: two targets of a scenario, interleaved, with a verdict per metric.
import { Command, InvalidArgumentError } from 'commander';
import { positive, positiveInt } from './args.js';


const probability = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 0.5) throw new InvalidArgumentError('--alpha must be a number between 0 and 0.5, e.g. 0.01');
  return n;
};

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('measure two targets interleaved (A B, B A, …) and judge B against A per metric: better, worse or no detectable difference')
    .requiredOption('-s, --scenario <file>', 'the scenario: origin, load, requests (its own targets are not run unless named)')
    .requiredOption('--a <target>', 'A: a target of the scenario, a preset (baseline, optimized) or a flag set (optimized,pooling=off)')
    .requiredOption('--b <target>', 'B, judged against A; same forms as --a')
    .option('--rounds <n>', 'rounds per target (default: 6, or the scenario\'s rounds if more)', positiveInt('--rounds', 100))
    .option('--duration <s>', 'measured seconds per round (default: the scenario\'s)', positive('--duration'))
    .option('-o, --out <dir>', 'output folder (default reports/<run-id>-compare)')
    .option('--alpha <p>', 'significance level of the two-sided test (default 0.05)', probability)
    .addHelpText(
      'after',
      '\nTargets: NAME (a target of the scenario file, e.g. nginx), baseline | optimized, PRESET,flag=on|off,… or flag=on|off,… (on top of baseline);\n' +
        'burn=50us in a flag set adds 50 µs of busy CPU per request (regression injection, to check what compare can detect).\n' +
        'A verdict needs p < alpha (two-sided Mann-Whitney over per-round values) and a change beyond ±5%.\n' +
        'Exit codes: 0 done (whatever the verdicts), 2 invalid scenario, target or arguments, 3 the run failed.',
    )
    .action(async (opts: { scenario: string; a: string; b: string; rounds?: number; duration?: number; out?: string; alpha?: number }) => {
      const { runCompare } = await import('../compare/index.js');
      await runCompare(opts);
    });
}
