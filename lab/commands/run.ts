// `proxylab run`: drive the scenarios and write reports/<run-id>/.
import type { Command } from 'commander';
import { positive, collect } from './args.js';
import { runLab, selectScenarios } from '../run/index.js';
import { DEFAULT_BASELINE_DIR } from '../baseline/store.js';
import { evaluateGate, loadBaselines, publishGate } from '../gate/index.js';


export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run scenarios through the origin, the proxy variants and any external target; write reports/<run-id>/')
    .option('-s, --scenario <file>', 'a scenario file (repeatable)', collect)
    .option('--suite <name>', 'a suite in scenarios/suites/ (or a suite file); default ci when no --scenario')
    .option('-o, --out <dir>', 'output folder (default reports/<run-id>)')
    .option('--rounds <n>', 'override every scenario\'s rounds', positive('--rounds'))
    .option('--duration <s>', 'override every scenario\'s measured seconds per round', positive('--duration'))
    .option('--no-compare', 'do not compare with saved baselines (budgets are still checked)')
    .option('--baselines <dir>', 'baseline folder', DEFAULT_BASELINE_DIR)
    .addHelpText(
      'after',
      '\nCompares every target with baselines/<scenario>/<target>.json when it exists, checks the scenario budgets, and writes ' +
        'junit.xml and gate.md next to result.json (the Markdown is also appended to $GITHUB_STEP_SUMMARY when set).' +
        '\nExit codes: 0 done, 1 regression or budget breach, 2 invalid scenario, baseline or arguments, 3 the run failed (a target did not start, died, or errors above the limit).',
    )
    .action(async (opts: { scenario?: string[]; suite?: string; out?: string; rounds?: number; duration?: number; compare: boolean; baselines: string }) => {
      // Baselines are read and checked before any process starts: a corrupt file fails in milliseconds.
      const { scenarios } = selectScenarios(opts);
      const baselines = opts.compare ? loadBaselines(opts.baselines, scenarios) : undefined;
      const { dir, result } = await runLab(opts);
      await publishGate(evaluateGate(result, scenarios, baselines), dir);
    });
}
