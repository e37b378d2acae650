// `proxylab ablate`: what each optimization flag buys alone and what is lost without it.
import type { Command } from 'commander';
import { positive, positiveInt } from './args.js';


export function registerAblate(program: Command): void {
  program
    .command('ablate')
    .description('for each optimization flag: baseline + flag and optimized − flag, interleaved with baseline and optimized; what each flag buys alone and what is lost without it')
    .requiredOption('-s, --scenario <file>', 'the scenario: origin, load, requests (its own targets are not run)')
    .option('--flags <list>', 'comma-separated flags to ablate (default: every optimization flag)')
    .option('--rounds <n>', 'rounds per target (default: 6, or the scenario\'s rounds if more)', positiveInt('--rounds', 100))
    .option('--duration <s>', 'measured seconds per round (default: the scenario\'s)', positive('--duration'))
    .option('-o, --out <dir>', 'output folder (default reports/<run-id>-ablate)')
    .addHelpText(
      'after',
      '\n"alone" is baseline+flag judged against baseline; "without" is optimized−flag judged against optimized.\n' +
        'Exit codes: 0 done, 2 invalid scenario, flag or arguments, 3 the run failed.',
    )
    .action(async (opts: { scenario: string; flags?: string; rounds?: number; duration?: number; out?: string }) => {
      const { runAblate } = await import('../ablate/index.js');
      await runAblate(opts);
    });
}
