// `proxylab run`: load the scenarios, run them one after another, write reports/<run-id>/result.json
// (atomically), render the reports and print the compact table.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunResult, ScenarioResult } from '../result/schema.js';
import { loadScenario, loadSuite, REPO_ROOT, type Scenario } from '../scenario/load.js';
import { environment, runId } from './env.js';
import { Progress } from './progress.js';
import { runScenario } from './scenario.js';
import { formatTable } from './table.js';
import { finishRun } from './finish.js';

export interface RunOptions {
  scenario?: string[];
  suite?: string;
  out?: string;
  rounds?: number;
  duration?: number;
}

export interface RunOutcome {
  dir: string;
  result: RunResult;
}

export function selectScenarios(opts: RunOptions): { suite?: string; scenarios: Scenario[] } {
  const overrides = { ...(opts.rounds ? { rounds: opts.rounds } : {}), ...(opts.duration ? { duration_s: opts.duration } : {}) };
  if (opts.scenario && opts.scenario.length > 0 && opts.suite) {
    throw new UsageError('RUN_ARGS', 'give --scenario FILE or --suite NAME, not both');
  }
  if (opts.scenario && opts.scenario.length > 0) {
    return { scenarios: opts.scenario.map((f) => loadScenario(f, overrides)) };
  }
  const suite = loadSuite(opts.suite ?? 'ci');
  return { suite: suite.name, scenarios: suite.files.map((f) => loadScenario(f, overrides)) };
}

export async function runLab(opts: RunOptions): Promise<RunOutcome> {
  // Validate every scenario before starting any process: a typo fails in milliseconds.
  const { suite, scenarios } = selectScenarios(opts);
  const env = environment();
  const startedAt = new Date();
  const id = runId(startedAt, env.git_commit);
  const dir = resolve(opts.out ?? join(REPO_ROOT, 'reports', id));
  mkdirSync(dir, { recursive: true });
  const progress = new Progress();
  progress.note(`proxylab run ${id}: ${scenarios.length} scenario(s) → ${dir}`);

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario, dir, progress));
  progress.clear();

  const result = await finishRun(dir, { id, startedAt, env, suite }, results);
  process.stdout.write(formatTable(result));
  process.stdout.write(`\n${join(dir, 'result.json')}\n`);
  return { dir, result };
}
