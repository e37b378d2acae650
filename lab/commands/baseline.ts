// `proxylab baseline save`: run scenarios and store each target's rounds as
// baselines/<scenario>/<target>.json. Existing files are checked first: a corrupt or wrong-version
// baseline stops the save (exit 2) instead of being overwritten unseen; nothing is written until
// the whole run has finished, and each file is replaced atomically.
import type { Command } from 'commander';
import { positive, positiveInt, collect } from './args.js';
import { join, relative } from 'node:path';
import { runLab, selectScenarios } from '../run/index.js';
import { DEFAULT_BASELINE_DIR, writeBaseline } from '../baseline/store.js';
import { baselinesFromResults } from '../baseline/from-result.js';
import type { RunResult } from '../result/schema.js';
import { loadBaselines } from '../gate/index.js';


interface SaveOptions {
  scenario?: string[];
  suite?: string;
  out?: string;
  rounds?: number;
  duration?: number;
  runs: number;
  baselines: string;
}

export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description('saved baselines that `proxylab run` compares against');
  baseline
    .command('save')
    .description('run scenarios and save every target as baselines/<scenario>/<target>.json')
    .option('-s, --scenario <file>', 'a scenario file (repeatable)', collect)
    .option('--suite <name>', 'a suite in scenarios/suites/ (or a suite file); default ci when no --scenario')
    .option('-o, --out <dir>', 'run output folder (default reports/<run-id>)')
    .option('--rounds <n>', 'override every scenario\'s rounds', positive('--rounds'))
    .option('--duration <s>', 'override every scenario\'s measured seconds per round', positive('--duration'))
    .option('--runs <n>', 'separate runs to pool into each baseline, so the gate sees how far whole runs drift apart', positiveInt('--runs'), 3)
    .option('--baselines <dir>', 'baseline folder', DEFAULT_BASELINE_DIR)
    .addHelpText('after', '\nExit codes: 0 saved, 2 invalid scenario, existing baseline unreadable (fix or delete it) or arguments, 3 the run failed (nothing saved).')
    .action(async (opts: SaveOptions) => {
      const { scenarios } = selectScenarios(opts);
      loadBaselines(opts.baselines, scenarios); // refuse to overwrite a file we cannot read
      // Rounds of one run share the machine's state of the moment; only separate runs (fresh
      // processes, minutes apart) show the run-to-run drift a later `proxylab run` will meet.
      const results: RunResult[] = [];
      for (let i = 1; i <= opts.runs; i++) {
        if (opts.runs > 1) process.stderr.write(`baseline save: run ${i}/${opts.runs}\n`);
        const out = opts.out && opts.runs > 1 ? join(opts.out, `run-${i}`) : opts.out;
        results.push((await runLab({ ...opts, ...(out ? { out } : {}) })).result);
      }
      const files: string[] = [];
      for (const b of baselinesFromResults(results)) files.push(await writeBaseline(opts.baselines, b));
      process.stdout.write(`saved ${files.length} baseline(s):\n${files.map((f) => `  ${relative(process.cwd(), f)}`).join('\n')}\n`);
    });
}
