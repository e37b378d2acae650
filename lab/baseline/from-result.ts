// Turn one run's result into baseline files: one per scenario × target, with the per-round samples.
import type { RunResult } from '../result/schema.js';
import { roundRatios } from '../stats/ratios.js';
import { fingerprint } from './fingerprint.js';
import { BASELINE_VERSION, type Baseline } from './schema.js';

export function baselinesFromResult(result: RunResult, savedAt = new Date()): Baseline[] {
  return result.scenarios.flatMap((scenario) => {
    const direct = scenario.targets.find((t) => t.kind === 'direct');
    return scenario.targets.map((t): Baseline => ({
      schema: 'proxylab/baseline',
      version: BASELINE_VERSION,
      scenario: scenario.name,
      target: t.name,
      kind: t.kind,
      ...(t.flags ? { flags: t.flags } : {}),
      saved_at: savedAt.toISOString(),
      run_id: result.run_id,
      git_commit: result.env.git_commit,
      fingerprint: fingerprint(result.env, scenario),
      rounds: t.rounds.map((r) => ({ round: r.round, requests: r.requests, metrics: r.metrics, latency_us: r.latency_us })),
      ratios: direct && t.kind !== 'direct' ? roundRatios(t.rounds, direct.rounds) : [],
      summary: t.summary,
    }));
  });
}
