// Measure a chosen set of targets of one scenario with the lab's own run machinery (lab/run): the
// scenario's origin, load, warm-up and direct floor, its targets replaced by ours, rounds
// interleaved, in alternating order (A B, B A, A B …). Writes result.json (the ordinary result schema, so `proxylab report DIR`
// re-renders it) and the ordinary report.md/report.html next to it.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunResult, ScenarioResult } from '../result/schema.js';
import { REPO_ROOT, type Scenario, type Target } from '../scenario/load.js';
import { environment, runId } from '../run/env.js';
import { Progress } from '../run/progress.js';
import { runScenario } from '../run/scenario.js';
import { finishRun } from '../run/finish.js';

export interface Measured {
  dir: string;
  result: RunResult;
  scenario: ScenarioResult;
}

export async function measureTargets(
  scenario: Scenario,
  targets: Target[],
  opts: { rounds: number; out?: string; command: string },
): Promise<Measured> {
  const env = environment();
  const startedAt = new Date();
  const id = `${runId(startedAt, env.git_commit)}-${opts.command}`;
  const dir = resolve(opts.out ?? join(REPO_ROOT, 'reports', id));
  mkdirSync(dir, { recursive: true });
  const progress = new Progress();
  progress.note(`proxylab ${opts.command} ${id}: ${scenario.name}, ${targets.length} targets × ${opts.rounds} rounds → ${dir}`);
  const scenarioResult = await runScenario({ ...scenario, targets, rounds: opts.rounds }, dir, progress, { order: 'alternate' });
  progress.clear();
  const result = await finishRun(dir, { id, startedAt, env }, [scenarioResult]);
  return { dir, result, scenario: scenarioResult };
}
