// `proxylab canary`: step a live canary through weights, judge each step, promote or roll back.
import type { Command } from 'commander';
import { collect } from './args.js';


export function registerCanary(program: Command): void {
  program
    .command('canary')
    .description("judge a live canary: one proxy serves both variants; at each step set the weight, drive the scenario's load, compare the variants from the proxy's /metrics, promote or roll back")
    .requiredOption('-s, --scenario <file>', 'the scenario whose origin, request mix and load to use')
    .option('--steps <list>', 'canary weights in percent, increasing', '5,25,50,100')
    .option('--step-duration <duration>', 'time per step: 30s, 500ms, 2m', '30s')
    .option('--primary <preset>', 'the primary variant: baseline | optimized', 'baseline')
    .option('--canary <preset>', 'the canary variant: baseline | optimized', 'optimized')
    .option('--canary-flag <name=on|off>', 'a flag of the canary variant, repeatable (e.g. burn=2000us to inject a regression)', collect)
    .option('-c, --config <file>', 'proxy config for the split proxy (e.g. with canary.guard rules); ${ORIGIN_PORT} is set')
    .option('--max-latency-ratio <x>', 'canary p50/p99 above this × the primary\'s is worse', '1.5')
    .option('--min-delta-ms <ms>', '...and only when more than this many ms above it', '1')
    .option('--max-error-rate <fraction>', 'canary 5xx rate more than this above the primary\'s is worse', '0.01')
    .option('--min-samples <n>', 'canary requests a step needs to be judged (fewer: inconclusive, promotes)', '50')
    .option('-o, --out <dir>', 'run folder (default reports/<run-id>)')
    .addHelpText(
      'after',
      '\nWrites canary.json, report.md and report.html into the run folder and prints the report paths.\n' +
        'Exit codes: 0 promoted through every step, 1 rolled back (by the judge, or by the proxy\'s own guard), 2 bad arguments or scenario, 3 the run failed.',
    )
    .action(async (opts) => {
      const { parsePlan } = await import('../canary/options.js');
      const { runCanary, assertPromoted } = await import('../canary/run.js');
      const outcome = await runCanary(parsePlan(opts));
      process.stdout.write(`${outcome.markdown}\n${outcome.html}\n`);
      assertPromoted(outcome);
    });
}
