// The end of every measured run (proxylab run, compare, ablate): assemble result.json, check it
// against its schema, write it atomically and render report.md/report.html next to it.
import { join } from 'node:path';
import { RESULT_VERSION, type Environment, type RunResult, type ScenarioResult } from '../result/schema.js';
import { renderReports } from '../report/index.js';
import { assertValidResult } from './validate.js';
import { writeJsonAtomic } from './write.js';

export async function finishRun(
  dir: string,
  run: { id: string; startedAt: Date; env: Environment; suite?: string | undefined },
  scenarios: ScenarioResult[],
): Promise<RunResult> {
  const result: RunResult = {
    schema: 'proxylab/result',
    version: RESULT_VERSION,
    run_id: run.id,
    started_at: run.startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    ...(run.suite ? { suite: run.suite } : {}),
    env: run.env,
    scenarios,
  };
  assertValidResult(result);
  writeJsonAtomic(join(dir, 'result.json'), result);
  await renderReports(result, dir);
  return result;
}
